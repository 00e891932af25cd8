/*
 * events.c: call events to the Kore app.  Each event is written to the
 * spool folder first (write, fsync, rename), then a sender thread POSTs
 * the spooled files oldest first and deletes each only when Kore answers
 * 2xx.  Kore stores by event_id, so a resend after a lost reply is
 * harmless.  Nothing here runs on a Janus or SIP thread but the spooling.
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

static char		*spool_dir;
static char		*post_url;
static GThread		*sender;
static janus_mutex	 ev_mutex;
static janus_condition	 ev_cond;
static int		 ev_quit;
static int		 ev_kick;

static gpointer	 ev_sender(gpointer);
static int	 ev_send_file(CURL *, const char *);
static int	 ev_spool(const char *, const char *);
static char	*iso_time(gint64);
static size_t	 ev_discard(char *, size_t, size_t, void *);

int
hl_events_start(void)
{
	char	*url;
	size_t	 n;

	janus_mutex_init(&ev_mutex);
	janus_condition_init(&ev_cond);
	spool_dir = g_build_filename(hl.cfg.var_dir, "spool", "call-events",
	    NULL);
	if (g_mkdir_with_parents(spool_dir, 0750) < 0) {
		JANUS_LOG(LOG_ERR, "hotline: mkdir %s: %s\n", spool_dir,
		    strerror(errno));
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
	sender = g_thread_new("hotline events", ev_sender, NULL);
	return (0);
}

void
hl_events_stop(void)
{
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
	g_free(post_url);
}

/* hl.lock held.  Spools the call.ended event; the sender does the rest. */
void
hl_events_call_ended(hl_call *c)
{
	json_t	*ev;
	char	*event_id, *body, *t;
	gint64	 wait_end;

	if (spool_dir == NULL)
		return;
	event_id = g_uuid_string_random();
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
	json_object_set_new(ev, "recording", c->recording ?
	    json_string(c->recording) : json_null());
	body = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(ev);
	if (body == NULL || ev_spool(event_id, body) < 0)
		JANUS_LOG(LOG_ERR, "hotline: event for call %s NOT spooled\n",
		    c->id);
	free(body);
	g_free(event_id);
	janus_mutex_lock(&ev_mutex);
	ev_kick = 1;
	janus_condition_signal(&ev_cond);
	janus_mutex_unlock(&ev_mutex);
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
		g_ptr_array_sort(names, (GCompareFunc)(void (*)(void))
		    g_strcmp0);
		failed = 0;
		for (i = 0; i < names->len && !failed; i++)
			failed = ev_send_file(curl, g_ptr_array_index(names,
			    i)) < 0;
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
	char			*path, *body = NULL, *sig, *h;
	gsize			 len = 0;
	long			 status = 0;
	CURLcode		 rc;

	path = g_build_filename(spool_dir, name, NULL);
	if (!g_file_get_contents(path, &body, &len, NULL) ||
	    len > EV_BODY_MAX) {
		JANUS_LOG(LOG_ERR, "hotline: unreadable spool file %s, "
		    "kept\n", path);
		g_free(path);
		g_free(body);
		return (-1);
	}
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
	if (rc != CURLE_OK || status < 200 || status > 299) {
		JANUS_LOG(LOG_WARN, "hotline: call event %s not delivered "
		    "(%s, HTTP %ld), will retry\n", name,
		    rc != CURLE_OK ? curl_easy_strerror(rc) : "ok", status);
		g_free(path);
		return (-1);
	}
	unlink(path);
	g_free(path);
	return (0);
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

static size_t
ev_discard(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	(void)ptr;
	(void)userdata;
	return (size * nmemb);
}
