/*
 * plugin.c: the Janus side of janus.plugin.hotline.  Sessions are kept in
 * a hash table keyed by handle; every request is answered on one request
 * thread fed by an async queue, so Janus's own threads never block.
 */
#include <sys/stat.h>

#include <string.h>

#include "hotline.h"
#include "config.h"
#include "utils.h"
#include "sdp-utils.h"

/* Janus plugin interface. */
static int		 hotline_init(janus_callbacks *, const char *);
static void		 hotline_destroy(void);
static int		 hotline_get_api_compatibility(void);
static int		 hotline_get_version(void);
static const char	*hotline_get_version_string(void);
static const char	*hotline_get_description(void);
static const char	*hotline_get_name(void);
static const char	*hotline_get_author(void);
static const char	*hotline_get_package(void);
static void		 hotline_create_session(janus_plugin_session *, int *);
static struct janus_plugin_result *hotline_handle_message(
			    janus_plugin_session *, char *, json_t *, json_t *);
static json_t		*hotline_handle_admin_message(json_t *);
static void		 hotline_setup_media(janus_plugin_session *);
static void		 hotline_incoming_rtp(janus_plugin_session *,
			    janus_plugin_rtp *);
static void		 hotline_incoming_rtcp(janus_plugin_session *,
			    janus_plugin_rtcp *);
static void		 hotline_hangup_media(janus_plugin_session *);
static void		 hotline_destroy_session(janus_plugin_session *, int *);
static json_t		*hotline_query_session(janus_plugin_session *);

janus_plugin		*create(void);

/* Internals. */
static void		 config_load(const char *);
static char		*config_str(janus_config *, janus_config_category *,
			    const char *, const char *);
static int		 config_int(janus_config *, janus_config_category *,
			    const char *, int);
static void		 config_extensions(janus_config *,
			    janus_config_category *);
static hl_session	*session_lookup(janus_plugin_session *);
static void		 session_free(const janus_refcount *);
static void		 session_unref(gpointer);
static void		 request_free(hl_request *);
static gpointer		 request_thread(gpointer);

static janus_plugin hotline_plugin = JANUS_PLUGIN_INIT(
	.init = hotline_init,
	.destroy = hotline_destroy,
	.get_api_compatibility = hotline_get_api_compatibility,
	.get_version = hotline_get_version,
	.get_version_string = hotline_get_version_string,
	.get_description = hotline_get_description,
	.get_name = hotline_get_name,
	.get_author = hotline_get_author,
	.get_package = hotline_get_package,
	.create_session = hotline_create_session,
	.handle_message = hotline_handle_message,
	.handle_admin_message = hotline_handle_admin_message,
	.setup_media = hotline_setup_media,
	.incoming_rtp = hotline_incoming_rtp,
	.incoming_rtcp = hotline_incoming_rtcp,
	.hangup_media = hotline_hangup_media,
	.destroy_session = hotline_destroy_session,
	.query_session = hotline_query_session,
);

hl_globals		 hl;
static GAsyncQueue	*requests;
static GThread		*req_thread;
static hl_request	 exit_request;
static volatile gint	 initialized;

janus_plugin *
create(void)
{
	return (&hotline_plugin);
}

static int
hotline_init(janus_callbacks *callback, const char *config_path)
{
	GError	*err = NULL;

	if (callback == NULL || config_path == NULL)
		return (-1);
	memset(&hl, 0, sizeof(hl));
	hl.gateway = callback;
	hl.plugin = &hotline_plugin;
	janus_mutex_init(&hl.lock);
	config_load(config_path);

	if (hl_secret_load(hl.cfg.secret_file) < 0)
		JANUS_LOG(LOG_WARN, "hotline: no usable secret in %s, every "
		    "login will be refused\n", hl.cfg.secret_file);
	if (hl_calendar_load(hl.cfg.open_hours, hl.cfg.holidays,
	    hl.cfg.timezone) < 0)
		JANUS_LOG(LOG_WARN, "hotline: calendar has errors, see above\n");
	if (hl_transfers_load(hl.cfg.transfer_allow) < 0)
		JANUS_LOG(LOG_WARN, "hotline: transfer_allow has errors, see "
		    "above\n");
	if (hl_audio_load() < 0)
		JANUS_LOG(LOG_WARN, "hotline: prompts missing in %s, callers "
		    "will hear silence instead\n", hl.cfg.audio_dir);

	hl.sessions = g_hash_table_new_full(NULL, NULL, NULL,
	    session_unref);
	hl.agents = g_hash_table_new(g_str_hash, g_str_equal);
	hl.calls = g_hash_table_new(g_str_hash, g_str_equal);
	hl.queue = g_queue_new();
	hl.voicemails = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    (GDestroyNotify)g_array_unref);
	requests = g_async_queue_new_full((GDestroyNotify)request_free);
	hl_sessions_start();

	if (hl_events_start() < 0)
		JANUS_LOG(LOG_ERR, "hotline: call events will not be "
		    "reported\n");
	if (hl_sip_start() < 0) {
		JANUS_LOG(LOG_FATAL, "hotline: cannot start SIP on %s:%d\n",
		    hl.cfg.sip_ip, hl.cfg.sip_port);
		return (-1);
	}
	if (hl_timer_start() < 0) {
		hl_sip_stop();
		return (-1);
	}
	req_thread = g_thread_try_new("hotline requests", request_thread,
	    NULL, &err);
	if (err != NULL) {
		JANUS_LOG(LOG_FATAL, "hotline: request thread: %s\n",
		    err->message);
		g_error_free(err);
		hl_timer_stop();
		hl_sip_stop();
		return (-1);
	}
	g_atomic_int_set(&initialized, 1);
	JANUS_LOG(LOG_INFO, "%s initialized (SIP on %s:%d udp+tcp)\n",
	    HOTLINE_NAME, hl.cfg.sip_ip, hl.cfg.sip_port);
	return (0);
}

static void
hotline_destroy(void)
{
	if (!g_atomic_int_get(&initialized))
		return;
	g_atomic_int_set(&hl.stopping, 1);
	g_async_queue_push(requests, &exit_request);
	if (req_thread != NULL) {
		g_thread_join(req_thread);
		req_thread = NULL;
	}
	hl_timer_stop();
	hl_sip_stop();
	hl_events_stop();
	janus_mutex_lock(&hl.lock);
	g_hash_table_destroy(hl.sessions);
	hl_calendar_free();
	hl_transfers_free();
	hl_sessions_stop();
	hl_secret_free();
	hl.sessions = NULL;
	janus_mutex_unlock(&hl.lock);
	g_async_queue_unref(requests);
	g_atomic_int_set(&initialized, 0);
	JANUS_LOG(LOG_INFO, "%s destroyed\n", HOTLINE_NAME);
}

static int
hotline_get_api_compatibility(void)
{
	return (JANUS_PLUGIN_API_VERSION);
}

static int
hotline_get_version(void)
{
	return (HOTLINE_VERSION);
}

static const char *
hotline_get_version_string(void)
{
	return (HOTLINE_VERSION_STRING);
}

static const char *
hotline_get_description(void)
{
	return ("Tổng đài 1022: SIP trunk to browser operators, "
	    "queue, recording");
}

static const char *
hotline_get_name(void)
{
	return ("Hotline 1022");
}

static const char *
hotline_get_author(void)
{
	return ("Tổng đài 1022 project");
}

static const char *
hotline_get_package(void)
{
	return (HOTLINE_NAME);
}

static void
hotline_create_session(janus_plugin_session *handle, int *error)
{
	hl_session	*s;

	if (g_atomic_int_get(&hl.stopping)) {
		*error = -1;
		return;
	}
	s = g_malloc0(sizeof(*s));
	s->handle = handle;
	janus_mutex_init(&s->mutex);
	janus_refcount_init(&s->ref, session_free);
	handle->plugin_handle = s;
	janus_mutex_lock(&hl.lock);
	g_hash_table_insert(hl.sessions, handle, s);
	janus_mutex_unlock(&hl.lock);
}

static void
hotline_destroy_session(janus_plugin_session *handle, int *error)
{
	hl_session	*s;

	if (g_atomic_int_get(&hl.stopping)) {
		*error = -1;
		return;
	}
	janus_mutex_lock(&hl.lock);
	s = g_hash_table_lookup(hl.sessions, handle);
	if (s == NULL) {
		janus_mutex_unlock(&hl.lock);
		*error = -2;
		return;
	}
	g_atomic_int_set(&s->destroyed, 1);
	/* An operator who closes the tab is offline; a call in progress
	 * ends with the agent's side. */
	hl_listen_stop(s, "closed");
	if (s->agent != NULL)
		hl_acd_agent_gone(s->agent);
	g_hash_table_remove(hl.sessions, handle);
	janus_mutex_unlock(&hl.lock);
}

static json_t *
hotline_query_session(janus_plugin_session *handle)
{
	hl_session	*s;
	json_t		*info;

	janus_mutex_lock(&hl.lock);
	s = g_hash_table_lookup(hl.sessions, handle);
	if (s == NULL) {
		janus_mutex_unlock(&hl.lock);
		return (NULL);
	}
	info = json_object();
	if (s->agent != NULL)
		json_object_set_new(info, "agent", hl_status_agent_json(s->agent));
	if (s->supervisor != NULL)
		json_object_set_new(info, "supervisor",
		    json_string(s->supervisor));
	janus_mutex_unlock(&hl.lock);
	return (info);
}

static struct janus_plugin_result *
hotline_handle_message(janus_plugin_session *handle, char *transaction,
    json_t *message, json_t *jsep)
{
	hl_request	*req;
	hl_session	*s;

	if (g_atomic_int_get(&hl.stopping))
		return (janus_plugin_result_new(JANUS_PLUGIN_ERROR,
		    "Shutting down", NULL));
	s = session_lookup(handle);
	if (s == NULL)
		return (janus_plugin_result_new(JANUS_PLUGIN_ERROR,
		    "No session associated with this handle", NULL));
	req = g_malloc0(sizeof(*req));
	req->session = s;		/* keeps session_lookup's ref */
	req->transaction = transaction;
	req->message = message;
	req->jsep = jsep;
	g_async_queue_push(requests, req);
	return (janus_plugin_result_new(JANUS_PLUGIN_OK_WAIT, NULL, NULL));
}

static json_t *
hotline_handle_admin_message(json_t *message)
{
	json_t	*req, *res;

	req = json_object_get(message, "request");
	if (!json_is_string(req))
		return (hl_error_new(HL_ERR_MISSING_ELEMENT,
		    "Missing element (request)"));
	if (strcmp(json_string_value(req), "status") != 0)
		return (hl_error_new(HL_ERR_INVALID_REQUEST,
		    "Unknown admin request"));
	janus_mutex_lock(&hl.lock);
	res = hl_status_json();
	janus_mutex_unlock(&hl.lock);
	json_object_set_new(res, "hotline", json_string("status"));
	return (res);
}

static void
hotline_setup_media(janus_plugin_session *handle)
{
	hl_session	*s;

	s = session_lookup(handle);
	if (s == NULL)
		return;
	g_atomic_int_set(&s->webrtc_up, 1);
	g_atomic_int_set(&s->hangingup, 0);
	JANUS_LOG(LOG_INFO, "hotline: WebRTC up on handle %p\n", handle);
	janus_refcount_decrease(&s->ref);
}

static void
hotline_incoming_rtp(janus_plugin_session *handle, janus_plugin_rtp *packet)
{
	hl_session	*s;

	if (handle == NULL || g_atomic_int_get(&handle->stopped) ||
	    g_atomic_int_get(&hl.stopping) || packet->video)
		return;
	s = (hl_session *)handle->plugin_handle;
	if (s == NULL || g_atomic_int_get(&s->destroyed))
		return;
	hl_media_from_agent(s, packet);
}

static void
hotline_incoming_rtcp(janus_plugin_session *handle, janus_plugin_rtcp *packet)
{
	/* Trunk and browser RTCP are not bridged: each leg's RTCP is
	 * terminated by its own endpoint (Janus does the browser's). */
	(void)handle;
	(void)packet;
}

static void
hotline_hangup_media(janus_plugin_session *handle)
{
	hl_session	*s;

	s = session_lookup(handle);
	if (s == NULL)
		return;
	if (!g_atomic_int_compare_and_exchange(&s->hangingup, 0, 1)) {
		janus_refcount_decrease(&s->ref);
		return;
	}
	g_atomic_int_set(&s->webrtc_up, 0);
	janus_mutex_lock(&hl.lock);
	hl_acd_webrtc_down(s);
	janus_mutex_unlock(&hl.lock);
	janus_refcount_decrease(&s->ref);
}

/* Events to the browser. */

json_t *
hl_event_new(const char *name)
{
	json_t	*ev;

	ev = json_object();
	json_object_set_new(ev, "hotline", json_string("event"));
	json_object_set_new(ev, "event", json_string(name));
	return (ev);
}

/* An answer refusing a request: error_code and error (hotline-api.md). */
json_t *
hl_error_new(int code, const char *text)
{
	json_t	*ev;

	ev = json_object();
	json_object_set_new(ev, "hotline", json_string("event"));
	json_object_set_new(ev, "event", json_string("error"));
	json_object_set_new(ev, "error_code", json_integer(code));
	json_object_set_new(ev, "error", json_string(text != NULL ? text :
	    "Unknown error"));
	return (ev);
}

/* Steals ev and jsep. */
void
hl_push_event(hl_session *s, const char *transaction, json_t *ev,
    json_t *jsep)
{
	int	 rc;

	if (s == NULL || g_atomic_int_get(&s->destroyed)) {
		json_decref(ev);
		if (jsep != NULL)
			json_decref(jsep);
		return;
	}
	rc = hl.gateway->push_event(s->handle, hl.plugin, transaction, ev,
	    jsep);
	if (rc != 0)
		JANUS_LOG(LOG_WARN, "hotline: push_event failed (%d)\n", rc);
	json_decref(ev);
	if (jsep != NULL)
		json_decref(jsep);
}

/* Requests. */

static gpointer
request_thread(gpointer data)
{
	hl_request	*req;

	(void)data;
	while (!g_atomic_int_get(&hl.stopping)) {
		req = g_async_queue_pop(requests);
		if (req == &exit_request)
			break;
		hl_request_handle(req);
		request_free(req);
	}
	return (NULL);
}

static hl_session *
session_lookup(janus_plugin_session *handle)
{
	hl_session	*s;

	janus_mutex_lock(&hl.lock);
	s = hl.sessions != NULL ? g_hash_table_lookup(hl.sessions, handle) :
	    NULL;
	if (s != NULL)
		janus_refcount_increase(&s->ref);
	janus_mutex_unlock(&hl.lock);
	return (s);
}

static void
session_free(const janus_refcount *ref)
{
	hl_session	*s = janus_refcount_containerof(ref, hl_session, ref);

	g_free(s->supervisor);
	g_free(s->kore_sid);
	g_free(s);
}

static void
session_unref(gpointer p)
{
	hl_session	*s = p;

	janus_refcount_decrease(&s->ref);
}

static void
request_free(hl_request *req)
{
	if (req == NULL || req == &exit_request)
		return;
	if (req->session != NULL)
		janus_refcount_decrease(&req->session->ref);
	g_free(req->transaction);
	if (req->message != NULL)
		json_decref(req->message);
	if (req->jsep != NULL)
		json_decref(req->jsep);
	g_free(req);
}

/* Configuration: janus.plugin.hotline.jcfg, category "general". */

static void
config_load(const char *config_path)
{
	janus_config		*cfg;
	janus_config_category	*gen = NULL;
	char			 file[1024];
	char			*trunks, *range;

	g_snprintf(file, sizeof(file), "%s/%s.jcfg", config_path,
	    HOTLINE_NAME);
	cfg = janus_config_parse(file);
	if (cfg == NULL)
		JANUS_LOG(LOG_WARN, "hotline: no %s, using defaults\n", file);
	else
		gen = janus_config_get_create(cfg, NULL,
		    janus_config_type_category, "general");

	hl.cfg.sip_ip = config_str(cfg, gen, "sip_ip", "127.0.0.1");
	hl.cfg.sip_port = config_int(cfg, gen, "sip_port", 5062);
	hl.cfg.media_ip = config_str(cfg, gen, "media_ip", hl.cfg.sip_ip);
	range = config_str(cfg, gen, "rtp_port_range", "20000-29999");
	if (sscanf(range, "%d-%d", &hl.cfg.rtp_port_min,
	    &hl.cfg.rtp_port_max) != 2 || hl.cfg.rtp_port_min < 1024 ||
	    hl.cfg.rtp_port_max > 65534 ||
	    hl.cfg.rtp_port_min + 2 > hl.cfg.rtp_port_max) {
		JANUS_LOG(LOG_WARN, "hotline: bad rtp_port_range '%s', "
		    "using 20000-29999\n", range);
		hl.cfg.rtp_port_min = 20000;
		hl.cfg.rtp_port_max = 29999;
	}
	g_free(range);
	trunks = config_str(cfg, gen, "trunks", "127.0.0.1");
	hl.cfg.trunks = g_strsplit_set(trunks, ", ", -1);
	g_free(trunks);
	hl.cfg.trunk_max_calls = config_int(cfg, gen, "trunk_max_calls", 100);
	range = config_str(cfg, gen, "rtp_latch", "no");
	hl.cfg.rtp_latch = janus_is_true(range);
	hl.cfg.rtp_timeout = config_int(cfg, gen, "rtp_timeout", 60);
	if (hl.cfg.rtp_timeout < 0 || hl.cfg.rtp_timeout > 3600)
		hl.cfg.rtp_timeout = 60;
	hl.cfg.session_expires = config_int(cfg, gen, "session_expires", 1800);
	if (hl.cfg.session_expires != 0 && (hl.cfg.session_expires < 90 ||
	    hl.cfg.session_expires > 86400))
		hl.cfg.session_expires = 1800;
	g_free(range);
	hl.cfg.var_dir = config_str(cfg, gen, "var_dir", "var");
	hl.cfg.secret_file = config_str(cfg, gen, "secret_file",
	    "var/hotline.secret");
	hl.cfg.kore_url = config_str(cfg, gen, "kore_url",
	    "http://127.0.0.1:8888");
	hl.cfg.audio_dir = config_str(cfg, gen, "audio_dir", "assets/audio");
	hl.cfg.ring_timeout = config_int(cfg, gen, "ring_timeout", 15);
	hl.cfg.wrapup_time = config_int(cfg, gen, "wrapup_time", 10);
	hl.cfg.no_answer_return = config_int(cfg, gen, "no_answer_return", 0);
	hl.cfg.queue_max_wait = config_int(cfg, gen, "queue_max_wait", 120);
	hl.cfg.no_agent_grace = config_int(cfg, gen, "no_agent_grace", 10);
	if (hl.cfg.no_agent_grace > 3600)
		hl.cfg.no_agent_grace = 10;
	hl.cfg.voicemail_max = config_int(cfg, gen, "voicemail_max", 120);
	if (hl.cfg.voicemail_max < 1 || hl.cfg.voicemail_max > 3600)
		hl.cfg.voicemail_max = 120;
	hl.cfg.vm_per_hour = config_int(cfg, gen, "voicemail_per_hour", 3);
	range = config_str(cfg, gen, "strategy", "longest_idle");
	hl.cfg.ring_all = strcmp(range, "ring_all") == 0;
	if (!hl.cfg.ring_all && strcmp(range, "longest_idle") != 0)
		JANUS_LOG(LOG_WARN, "hotline: unknown strategy '%s', using "
		    "longest_idle\n", range);
	g_free(range);
	hl.cfg.announce_interval = config_int(cfg, gen, "announce_interval",
	    30);
	if (hl.cfg.announce_interval < 5)
		hl.cfg.announce_interval = 30;
	hl.cfg.registrar = config_str(cfg, gen, "registrar", "");
	hl.cfg.reg_user = config_str(cfg, gen, "register_user", "");
	hl.cfg.reg_password = config_str(cfg, gen, "register_password", "");
	hl.cfg.reg_domain = config_str(cfg, gen, "register_domain", "");
	hl.cfg.reg_expires = config_int(cfg, gen, "register_expires", 300);
	if (hl.cfg.reg_expires < 60 || hl.cfg.reg_expires > 86400)
		hl.cfg.reg_expires = 300;
	config_extensions(cfg, gen);
	hl.cfg.reg_networks = config_str(cfg, gen, "register_networks", "");
	hl.cfg.reg_lockout_failures = config_int(cfg, gen,
	    "register_lockout_failures", 5);
	if (hl.cfg.reg_lockout_failures < 1 ||
	    hl.cfg.reg_lockout_failures > 1000)
		hl.cfg.reg_lockout_failures = 5;
	hl.cfg.reg_lockout_seconds = config_int(cfg, gen,
	    "register_lockout_seconds", 600);
	if (hl.cfg.reg_lockout_seconds < 10)
		hl.cfg.reg_lockout_seconds = 600;
	hl.cfg.transfer_uri = config_str(cfg, gen, "transfer_uri",
	    "sip:{number}@127.0.0.1:5070");
	hl.cfg.transfer_file = config_str(cfg, gen, "transfer_file", "");
	hl.cfg.transfer_allow = config_str(cfg, gen, "transfer_allow", "");
	hl.cfg.transfer_timeout = config_int(cfg, gen, "transfer_timeout", 30);
	if (hl.cfg.transfer_timeout < 5 || hl.cfg.transfer_timeout > 600)
		hl.cfg.transfer_timeout = 30;
	hl.cfg.open_hours = config_str(cfg, gen, "open_hours", "always");
	hl.cfg.holidays = config_str(cfg, gen, "holidays", "");
	hl.cfg.calendar_file = config_str(cfg, gen, "calendar_file", "");
	hl.cfg.timezone = config_str(cfg, gen, "timezone",
	    "Asia/Ho_Chi_Minh");
	if (hl.cfg.ring_timeout < 1 || hl.cfg.ring_timeout > 300)
		hl.cfg.ring_timeout = 15;
	if (hl.cfg.wrapup_time < 0 || hl.cfg.wrapup_time > 3600)
		hl.cfg.wrapup_time = 10;
	if (hl.cfg.no_answer_return < 0 || hl.cfg.no_answer_return > 86400)
		hl.cfg.no_answer_return = 0;
	if (cfg != NULL)
		janus_config_destroy(cfg);
}

static char *
config_str(janus_config *cfg, janus_config_category *cat, const char *name,
    const char *def)
{
	janus_config_item	*item;

	if (cfg == NULL)
		return (g_strdup(def));
	item = janus_config_get(cfg, cat, janus_config_type_item, name);
	if (item == NULL || item->value == NULL)
		return (g_strdup(def));
	return (g_strdup(item->value));
}

static int
config_int(janus_config *cfg, janus_config_category *cat, const char *name,
    int def)
{
	char	*s, *end;
	long	 v;

	s = config_str(cfg, cat, name, NULL);
	if (s == NULL)
		return (def);
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 0 || v > 65535) {
		JANUS_LOG(LOG_WARN, "hotline: bad %s '%s'\n", name, s);
		v = def;
	}
	g_free(s);
	return ((int)v);
}

/*
 * extensions = "101:op101:password, 102:op102:password": SIP phones that
 * may REGISTER (digest) as extension 101 and take calls as agent op101.
 */
static void
config_extensions(janus_config *cfg, janus_config_category *gen)
{
	char		*list, **items, **f;
	hl_extension	*e;
	int		 i;

	hl.cfg.extensions = g_hash_table_new(g_str_hash, g_str_equal);
	list = config_str(cfg, gen, "extensions", "");
	items = g_strsplit(list, ",", -1);
	for (i = 0; items[i] != NULL; i++) {
		g_strstrip(items[i]);
		if (items[i][0] == '\0')
			continue;
		f = g_strsplit(items[i], ":", 3);
		if (g_strv_length(f) != 3 || f[0][0] == '\0' ||
		    f[1][0] == '\0' || strlen(f[2]) < 8 ||
		    strlen(f[0]) > 32 || strlen(f[1]) > 64) {
			JANUS_LOG(LOG_ERR, "hotline: bad extensions entry "
			    "#%d (want ext:user_id:password, password 8+ "
			    "chars), ignored\n", i + 1);
			g_strfreev(f);
			continue;
		}
		e = g_malloc0(sizeof(*e));
		e->ext = g_strdup(f[0]);
		e->user_id = g_strdup(f[1]);
		e->password = g_strdup(f[2]);
		g_hash_table_insert(hl.cfg.extensions, e->ext, e);
		g_strfreev(f);
	}
	g_strfreev(items);
	g_free(list);
}
