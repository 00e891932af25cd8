/*
 * events.c: the end of a call and its event to the Kore app; and the
 * agents' state changes (agent.state), on the same path.
 *
 * A call that ends is handed to the finisher thread, which does the slow
 * part away from hl.lock: joins the call's media thread, closes the WAV,
 * and writes the event to the spool folder (write, fsync, rename).  A
 * sender thread POSTs the spooled files oldest first and deletes each
 * only when Kore answers 2xx.  Kore stores by event_id, so a resend after
 * a lost reply is harmless.
 *
 * A file that cannot be read, is not a JSON object, or that Kore refuses
 * for what it holds (400, 409, 413, 415, 422) would be refused forever:
 * it is moved to the quarantine folder beside the spool, logged, and the
 * files after it are sent.  Anything else (no answer, 5xx, 401/403/404:
 * Kore away or misconfigured) stops the round and is retried.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "hotline.h"

#define EV_BACKOFF_MIN	(1 * G_USEC_PER_SEC)
#define EV_BACKOFF_MAX	(30 * G_USEC_PER_SEC)
#define EV_BODY_MAX	(64 * 1024)

enum {
	EV_SENT = 0,
	EV_RETRY,		/* Kore away: stop this round */
	EV_QUARANTINE,		/* never deliverable: set aside */
};

/* A call that ended (or an agent's new state: call NULL), for the
 * finisher. */
typedef struct ev_job {
	hl_call		*call;		/* holds a ref; NULL: body only */
	char		*event_id;
	char		*body;		/* NULL: nothing to spool */
} ev_job;

static char		*spool_dir;
static char		*quarantine_dir;
static GThread		*finisher;
static GAsyncQueue	*jobs;
static ev_job		 finisher_quit;
static char		*post_url;
static GThread		*sender;
static janus_mutex	 ev_mutex;
static janus_condition	 ev_cond;
static int		 ev_quit;
static int		 ev_kick;

static gpointer	 ev_sender(gpointer);
static gpointer	 ev_finisher(gpointer);
static void	 ev_finish(ev_job *);
static int	 ev_send_file(CURL *, const char *);
static void	 ev_quarantine(const char *, const char *);
static int	 ev_permanent(long);
static int	 ev_spool(const char *, const char *);
static char	*ev_body(hl_call *, const char *);
static char	*iso_time(gint64);
static size_t	 ev_discard(char *, size_t, size_t, void *);
static gint	 ev_name_cmp(gconstpointer, gconstpointer);

int
hl_events_start(void)
{
	GError	*err = NULL;
	char	*url;
	size_t	 n;

	janus_mutex_init(&ev_mutex);
	janus_condition_init(&ev_cond);
	/* Calls must be finished even if events cannot be spooled. */
	jobs = g_async_queue_new();
	finisher = g_thread_try_new("hotline finisher", ev_finisher, NULL,
	    &err);
	if (finisher == NULL) {
		JANUS_LOG(LOG_ERR, "hotline: finisher thread: %s; calls are "
		    "finished under the lock instead\n", err->message);
		g_clear_error(&err);
	}
	spool_dir = g_build_filename(hl.cfg.var_dir, "spool", "call-events",
	    NULL);
	quarantine_dir = g_build_filename(hl.cfg.var_dir, "spool",
	    "call-events-quarantine", NULL);
	if (g_mkdir_with_parents(spool_dir, 0750) < 0 ||
	    g_mkdir_with_parents(quarantine_dir, 0750) < 0) {
		JANUS_LOG(LOG_ERR, "hotline: mkdir %s: %s\n", spool_dir,
		    strerror(errno));
		g_free(spool_dir);
		spool_dir = NULL;
		return (-1);
	}
	url = g_strdup(hl.cfg.kore_url);
	n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		url[--n] = '\0';
	post_url = g_strdup_printf("%s/api/internal/call-events", url);
	g_free(url);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	ev_quit = 0;
	ev_kick = 1;
	sender = g_thread_try_new("hotline events", ev_sender, NULL, &err);
	if (sender == NULL) {
		JANUS_LOG(LOG_ERR, "hotline: events thread: %s\n",
		    err->message);
		g_clear_error(&err);
		return (-1);
	}
	return (0);
}

void
hl_events_stop(void)
{
	if (finisher != NULL) {
		g_async_queue_push(jobs, &finisher_quit);
		g_thread_join(finisher);
		finisher = NULL;
	}
	if (sender == NULL)
		return;
	janus_mutex_lock(&ev_mutex);
	ev_quit = 1;
	janus_condition_signal(&ev_cond);
	janus_mutex_unlock(&ev_mutex);
	g_thread_join(sender);
	sender = NULL;
	curl_global_cleanup();
	g_free(spool_dir);
	g_free(quarantine_dir);
	g_free(post_url);
}

/*
 * hl.lock held: the call is over.  Its event is composed now (the fields
 * are hl.lock's) and the media thread told to stop; joining it, closing
 * the WAV and spooling happen on the finisher thread.
 */
void
hl_events_call_ended(hl_call *c)
{
	ev_job	*job;

	g_atomic_int_set(&c->media_stop, 1);
	job = g_malloc0(sizeof(*job));
	janus_refcount_increase(&c->ref);
	job->call = c;
	job->event_id = g_uuid_string_random();
	job->body = spool_dir != NULL ? ev_body(c, job->event_id) : NULL;
	if (finisher != NULL)
		g_async_queue_push(jobs, job);
	else
		ev_finish(job);
}

/*
 * hl.lock held.  An agent's state changed: one agent.state event, on the
 * same signed spool as call.ended (the finisher writes it, in order with
 * the calls; the sender posts it).  device: "phone" for a desk phone's
 * own steps (registered, unregistered, expired) and for an agent with a
 * phone and no console; "web" otherwise.
 */
void
hl_events_agent_state(const hl_agent *a, int phone_step)
{
	ev_job	*job;
	json_t	*ev;
	char	*t;

	if (spool_dir == NULL)
		return;
	job = g_malloc0(sizeof(*job));
	job->event_id = g_uuid_string_random();
	ev = json_object();
	json_object_set_new(ev, "event_id", json_string(job->event_id));
	json_object_set_new(ev, "type", json_string("agent.state"));
	json_object_set_new(ev, "agent_user_id", json_string(a->user_id));
	json_object_set_new(ev, "state",
	    json_string(hl_agent_state_name(a->state)));
	json_object_set_new(ev, "reason", a->state == HL_AGENT_PAUSED &&
	    a->pause_reason != NULL ? json_string(a->pause_reason) :
	    json_null());
	t = iso_time(janus_get_real_time());
	json_object_set_new(ev, "at", json_string(t));
	g_free(t);
	json_object_set_new(ev, "device", json_string(phone_step ||
	    (a->session == NULL && a->sip_contact != NULL) ? "phone" : "web"));
	job->body = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(ev);
	if (finisher != NULL)
		g_async_queue_push(jobs, job);
	else
		ev_finish(job);
}

static gpointer
ev_finisher(gpointer data)
{
	ev_job	*job;

	(void)data;
	while ((job = g_async_queue_pop(jobs)) != &finisher_quit)
		ev_finish(job);
	return (NULL);
}

/* Media stopped, recording complete, then (only then) the event. */
static void
ev_finish(ev_job *job)
{
	hl_call	*c = job->call;

	if (c != NULL) {
		hl_media_stop(c);
		janus_mutex_lock(&c->mutex);
		if (c->wav != NULL) {
			hl_wav_close(c->wav, c->ended_mono);
			c->wav = NULL;
		}
		janus_mutex_unlock(&c->mutex);
	}
	if (job->body != NULL) {
		if (ev_spool(job->event_id, job->body) < 0)
			JANUS_LOG(LOG_ERR, "hotline: event %s NOT spooled\n",
			    job->event_id);
		janus_mutex_lock(&ev_mutex);
		ev_kick = 1;
		janus_condition_signal(&ev_cond);
		janus_mutex_unlock(&ev_mutex);
	}
	free(job->body);
	g_free(job->event_id);
	g_free(job);
	if (c != NULL)
		hl_call_unref(c);
}

/* hl.lock held.  The call.ended event, compact JSON with sorted keys. */
static char *
ev_body(hl_call *c, const char *event_id)
{
	json_t	*ev;
	char	*body, *t;
	gint64	 wait_end;

	ev = json_object();
	json_object_set_new(ev, "event_id", json_string(event_id));
	json_object_set_new(ev, "type", json_string("call.ended"));
	json_object_set_new(ev, "call_id", json_string(c->id));
	json_object_set_new(ev, "sip_call_id", json_string(c->sip_call_id ?
	    c->sip_call_id : ""));
	json_object_set_new(ev, "caller", json_string(c->caller ?
	    c->caller : ""));
	json_object_set_new(ev, "callee", json_string(c->callee ?
	    c->callee : ""));
	json_object_set_new(ev, "agent_user_id", c->agent_user_id ?
	    json_string(c->agent_user_id) : json_null());
	json_object_set_new(ev, "disposition", json_string(c->disposition));
	json_object_set_new(ev, "hangup_by", json_string(c->hangup_by));
	json_object_set_new(ev, "codec", json_string(c->pt == 0 ? "PCMU" :
	    "PCMA"));
	t = iso_time(c->created_real);
	json_object_set_new(ev, "created_at", json_string(t));
	g_free(t);
	if (c->answered_real > 0) {
		t = iso_time(c->answered_real);
		json_object_set_new(ev, "answered_at", json_string(t));
		g_free(t);
	} else
		json_object_set_new(ev, "answered_at", json_null());
	t = iso_time(c->ended_real);
	json_object_set_new(ev, "ended_at", json_string(t));
	g_free(t);
	if (c->voicemail_real > 0) {
		t = iso_time(c->voicemail_real);
		json_object_set_new(ev, "voicemail_at", json_string(t));
		g_free(t);
	} else
		json_object_set_new(ev, "voicemail_at", json_null());
	wait_end = c->answered_real > 0 ? c->answered_real :
	    c->voicemail_real > 0 ? c->voicemail_real : c->ended_real;
	json_object_set_new(ev, "wait_seconds", json_integer(
	    (wait_end - c->created_real) / G_USEC_PER_SEC));
	json_object_set_new(ev, "talk_seconds", json_integer(
	    c->answered_real > 0 ? (c->ended_real - c->answered_real) /
	    G_USEC_PER_SEC : 0));
	json_object_set_new(ev, "transferred_to", c->transfer_to ?
	    json_string(c->transfer_to) : json_null());
	json_object_set_new(ev, "transfer_agency_id", c->transfer_to != NULL &&
	    c->transfer_agency_id > 0 ? json_integer(c->transfer_agency_id) :
	    json_null());
	if (c->transfer_to != NULL && c->transferred_real > 0) {
		t = iso_time(c->transferred_real);
		json_object_set_new(ev, "transferred_at", json_string(t));
		g_free(t);
	} else
		json_object_set_new(ev, "transferred_at", json_null());
	json_object_set_new(ev, "recording", c->recording ?
	    json_string(c->recording) : json_null());
	body = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(ev);
	if (body == NULL)
		JANUS_LOG(LOG_ERR, "hotline: event for call %s NOT "
		    "composed\n", c->id);
	return (body);
}

/* <spool>/<unix usec>-<event_id>.json, so names sort oldest first. */
static int
ev_spool(const char *event_id, const char *body)
{
	char	*tmp, *final;
	int	 fd, rc = -1;
	size_t	 len = strlen(body);

	final = g_strdup_printf("%s/%020" G_GINT64_FORMAT "-%s.json",
	    spool_dir, janus_get_real_time(), event_id);
	tmp = g_strdup_printf("%s.tmp", final);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd >= 0) {
		if (write(fd, body, len) == (ssize_t)len && fsync(fd) == 0)
			rc = 0;
		close(fd);
		if (rc == 0 && rename(tmp, final) < 0)
			rc = -1;
		if (rc < 0)
			unlink(tmp);
	}
	g_free(tmp);
	g_free(final);
	return (rc);
}

static gpointer
ev_sender(gpointer data)
{
	CURL		*curl;
	GDir		*dir;
	GPtrArray	*names;
	const char	*name;
	gint64		 backoff = EV_BACKOFF_MIN, until;
	guint		 i;
	int		 failed, was_failing = 0;

	(void)data;
	curl = curl_easy_init();
	for (;;) {
		janus_mutex_lock(&ev_mutex);
		until = g_get_monotonic_time() + backoff;
		while (!ev_quit && !ev_kick &&
		    g_cond_wait_until(&ev_cond, &ev_mutex, until))
			;
		ev_kick = 0;
		if (ev_quit) {
			janus_mutex_unlock(&ev_mutex);
			break;
		}
		janus_mutex_unlock(&ev_mutex);

		dir = g_dir_open(spool_dir, 0, NULL);
		if (dir == NULL)
			continue;
		names = g_ptr_array_new_with_free_func(g_free);
		while ((name = g_dir_read_name(dir)) != NULL)
			if (g_str_has_suffix(name, ".json"))
				g_ptr_array_add(names, g_strdup(name));
		g_dir_close(dir);
		g_ptr_array_sort(names, ev_name_cmp);
		failed = 0;
		for (i = 0; i < names->len && !failed; i++)
			failed = ev_send_file(curl, g_ptr_array_index(names,
			    i)) == EV_RETRY;
		g_ptr_array_free(names, TRUE);
		/* Back off while Kore is away (1, 2, 4 ... 30 s); when
		 * all is sent, sleep until kicked or 5 s for safety. */
		if (failed)
			backoff = was_failing ? MIN(backoff * 2,
			    EV_BACKOFF_MAX) : EV_BACKOFF_MIN;
		else
			backoff = 5 * G_USEC_PER_SEC;
		was_failing = failed;
	}
	curl_easy_cleanup(curl);
	return (NULL);
}

static int
ev_send_file(CURL *curl, const char *name)
{
	struct curl_slist	*hdrs = NULL;
	json_t			*j;
	char			*path, *body = NULL, *sig, *h;
	char			 why[48];
	gsize			 len = 0;
	long			 status = 0;
	CURLcode		 rc;

	path = g_build_filename(spool_dir, name, NULL);
	if (!g_file_get_contents(path, &body, &len, NULL) ||
	    len > EV_BODY_MAX) {
		ev_quarantine(name, "unreadable or over 64 KiB");
		g_free(path);
		g_free(body);
		return (EV_QUARANTINE);
	}
	j = json_loadb(body, len, 0, NULL);
	if (!json_is_object(j)) {
		json_decref(j);
		ev_quarantine(name, "not a JSON object");
		g_free(path);
		g_free(body);
		return (EV_QUARANTINE);
	}
	json_decref(j);
	sig = hl_hmac_hex(HL_KEY_CALL_EVENT, body, len);
	h = g_strdup_printf("X-Hotline-Signature: %s", sig ? sig : "");
	hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	hdrs = curl_slist_append(hdrs, h);
	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, post_url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, ev_discard);
	rc = curl_easy_perform(curl);
	if (rc == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hdrs);
	g_free(h);
	g_free(sig);
	g_free(body);
	if (rc == CURLE_OK && ev_permanent(status)) {
		g_snprintf(why, sizeof(why), "refused by Kore (HTTP %ld)",
		    status);
		ev_quarantine(name, why);
		g_free(path);
		return (EV_QUARANTINE);
	}
	if (rc != CURLE_OK || status < 200 || status > 299) {
		JANUS_LOG(LOG_WARN, "hotline: call event %s not delivered "
		    "(%s, HTTP %ld), will retry\n", name,
		    rc != CURLE_OK ? curl_easy_strerror(rc) : "ok", status);
		g_free(path);
		return (EV_RETRY);
	}
	unlink(path);
	g_free(path);
	return (EV_SENT);
}

/* Kore refuses what the body holds: sending it again cannot help. */
static int
ev_permanent(long status)
{
	return (status == 400 || status == 409 || status == 413 ||
	    status == 415 || status == 422);
}

/* Sets a spool file aside, where an operator can look at it. */
static void
ev_quarantine(const char *name, const char *why)
{
	char	*from, *to;

	from = g_build_filename(spool_dir, name, NULL);
	to = g_build_filename(quarantine_dir, name, NULL);
	if (rename(from, to) < 0)
		JANUS_LOG(LOG_ERR, "hotline: call event %s %s, and cannot "
		    "be moved to %s: %s; skipped\n", name, why,
		    quarantine_dir, strerror(errno));
	else
		JANUS_LOG(LOG_ERR, "hotline: call event %s %s: moved to %s, "
		    "the next ones are sent\n", name, why, quarantine_dir);
	g_free(from);
	g_free(to);
}

static char *
iso_time(gint64 usec)
{
	GDateTime	*dt;
	char		*s;

	dt = g_date_time_new_from_unix_utc(usec / G_USEC_PER_SEC);
	s = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
	g_date_time_unref(dt);
	return (s);
}

/*
 * g_ptr_array_sort hands the comparator pointers to the elements: the
 * names sort as strings (oldest first), not as the bytes of pointers.
 */
static gint
ev_name_cmp(gconstpointer a, gconstpointer b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

static size_t
ev_discard(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	(void)ptr;
	(void)userdata;
	return (size * nmemb);
}
