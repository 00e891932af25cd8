/*
 * fuzz_request: a Janus API "message" from an operator's or supervisor's
 * browser, {"janus":"message","handle_id":N,"body":{...},"jsep":{...}},
 * through the plugin's own request handling: hl_request_handle()
 * (plugins/hotline/requests.c, the function the request thread runs), the
 * token check of a login (token.c) and the agent-state rules (fsm.c, acd.c).
 *
 * The plugin is set up as hotline_init() sets it up, minus the threads
 * and sockets: its tables, a known secret, and a gateway whose
 * push_event() checks every answer.  Three handles are made through the
 * plugin's own create_session(): handle 0 stays anonymous, before each
 * input handle 1 logs in as an operator and handle 2 as a supervisor with
 * tokens signed here, and after it every handle logs out, so one input
 * never depends on the inputs before it.
 */
#include <string.h>
#include <unistd.h>

#include "hotline.h"
#include "fuzz.h"

#define FUZZ_SECRET	"0123456789abcdef0123456789abcdef" \
			"0123456789abcdef0123456789abcdef"
#define FUZZ_HANDLES	3

janus_plugin	*create(void);

static int	 push_event(janus_plugin_session *, janus_plugin *,
		    const char *, json_t *, json_t *);
static void	 close_pc(janus_plugin_session *);
static void	 handle(int, json_t *, json_t *);
static void	 login(int, const char *);
static void	 logout_all(void);
static void	 secret_load(void);

static janus_callbacks		 gateway = {
	.push_event = push_event,
	.close_pc = close_pc,
};
static janus_plugin		*plugin;
static janus_plugin_session	 handles[FUZZ_HANDLES];
static int			 answers[FUZZ_HANDLES];
static unsigned long		 logins;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int	i, err;

	(void)argc;
	(void)argv;
	/* Without Janus's log thread every line would pile up unread. */
	janus_log_level = LOG_NONE;
	plugin = create();

	memset(&hl, 0, sizeof(hl));
	hl.gateway = &gateway;
	hl.plugin = plugin;
	janus_mutex_init(&hl.lock);
	hl.sessions = g_hash_table_new(NULL, NULL);
	hl.agents = g_hash_table_new(g_str_hash, g_str_equal);
	hl.calls = g_hash_table_new(g_str_hash, g_str_equal);
	hl.queue = g_queue_new();
	secret_load();
	hl.cfg.registrar = g_strdup("");
	hl.cfg.sip_ip = g_strdup("127.0.0.1");
	hl.cfg.transfer_uri = g_strdup("sip:{number}@127.0.0.1:5070");
	hl.cfg.ring_timeout = 15;
	hl.cfg.wrapup_time = 10;
	hl.cfg.transfer_timeout = 30;

	for (i = 0; i < FUZZ_HANDLES; i++) {
		err = 0;
		plugin->create_session(&handles[i], &err);
		FUZZ_CHECK(err == 0 && handles[i].plugin_handle != NULL);
	}
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t		*root, *body, *jsep, *id;
	json_error_t	 jerr;
	int		 h;

	/* Janus itself parses the message and hands over body and jsep. */
	root = json_loadb((const char *)data, size, 0, &jerr);
	if (root == NULL)
		return (0);
	body = json_object_get(root, "body");
	jsep = json_object_get(root, "jsep");
	id = json_object_get(root, "handle_id");
	h = json_is_integer(id) ? (int)(json_integer_value(id) & 3) % 3 : 1;
	if (json_is_object(body)) {
		secret_load();
		login(1, "17");
		login(2, "supervisor.42");
		handle(h, body, json_is_object(jsep) ? jsep : NULL);
		logout_all();
	}
	json_decref(root);
	return (0);
}

/* One request on handle h, as the request thread answers it. */
static void
handle(int h, json_t *body, json_t *jsep)
{
	hl_request	 req;
	hl_session	*s = handles[h].plugin_handle;

	memset(&req, 0, sizeof(req));
	req.session = s;
	req.transaction = g_strdup("fuzz");
	req.message = json_incref(body);
	req.jsep = jsep != NULL ? json_incref(jsep) : NULL;
	answers[h] = 0;
	hl_request_handle(&req);
	/* Every request is answered, once. */
	FUZZ_CHECK(answers[h] == 1);
	g_free(req.transaction);
	json_decref(req.message);
	if (req.jsep != NULL)
		json_decref(req.jsep);
}

static void
login(int h, const char *who)
{
	hl_session	*s = handles[h].plugin_handle;
	json_t		*msg;
	char		*signed_part, *mac, *token;

	if (s->agent != NULL || s->supervisor != NULL)
		return;
	logins++;
	/* [supervisor.]user.sid.nonce.expires.mac (docs/hotline-api.md) */
	signed_part = g_strdup_printf("%s.%016lx.%032lx.%" G_GINT64_FORMAT,
	    who, (unsigned long)h, logins,
	    janus_get_real_time() / G_USEC_PER_SEC + HL_TOKEN_TTL);
	mac = hl_hmac_hex(HL_KEY_AGENT_TOKEN, signed_part, strlen(signed_part));
	token = g_strdup_printf("%s.%s", signed_part, mac);
	msg = json_pack("{ssss}", "request", "login", "token", token);
	handle(h, msg, NULL);
	FUZZ_CHECK(s->agent != NULL || s->supervisor != NULL);
	json_decref(msg);
	g_free(token);
	g_free(mac);
	g_free(signed_part);
}

static void
logout_all(void)
{
	hl_session	*s;
	json_t		*msg;
	int		 h;

	msg = json_pack("{ss}", "request", "logout");
	for (h = 0; h < FUZZ_HANDLES; h++) {
		s = handles[h].plugin_handle;
		if (s->listen_call != NULL || s->agent != NULL ||
		    s->supervisor != NULL)
			handle(h, msg, NULL);
		FUZZ_CHECK(s->supervisor == NULL);
		/* An agent stays known, offline, with no handle. */
		FUZZ_CHECK(s->agent == NULL || s->agent->session == NULL ||
		    s->agent->state == HL_AGENT_OFFLINE);
		s->agent = NULL;
	}
	json_decref(msg);
}

/* Every answer is an event; an error has a code of the API and a text. */
static int
push_event(janus_plugin_session *h, janus_plugin *p, const char *transaction,
    json_t *ev, json_t *jsep)
{
	json_t	*code, *text;
	int	 i;

	FUZZ_CHECK(p == plugin);
	for (i = 0; i < FUZZ_HANDLES; i++)
		if (h == &handles[i])
			break;
	FUZZ_CHECK(i < FUZZ_HANDLES);
	if (transaction != NULL)
		answers[i]++;
	FUZZ_CHECK(json_is_object(ev));
	FUZZ_CHECK(json_is_string(json_object_get(ev, "hotline")));
	FUZZ_CHECK(json_is_string(json_object_get(ev, "event")));
	if (strcmp(json_string_value(json_object_get(ev, "event")),
	    "error") == 0) {
		code = json_object_get(ev, "error_code");
		text = json_object_get(ev, "error");
		FUZZ_CHECK(json_is_integer(code));
		FUZZ_CHECK(json_integer_value(code) >= HL_ERR_UNKNOWN &&
		    json_integer_value(code) <= HL_ERR_NOT_ALLOWED);
		FUZZ_CHECK(json_is_string(text) &&
		    json_string_length(text) > 0);
	}
	FUZZ_CHECK(jsep == NULL || json_is_object(jsep));
	return (0);
}

/*
 * The keys from a secret file, as hotline_init() loads them.  Loaded
 * again before each input: logins are single-use, and the nonces the
 * plugin keeps would otherwise make every input look like a leak.
 */
static void
secret_load(void)
{
	char	path[] = "/tmp/fuzz-hotline-secret.XXXXXX";
	int	fd;

	if ((fd = mkstemp(path)) == -1 ||
	    write(fd, FUZZ_SECRET, strlen(FUZZ_SECRET)) !=
	    (ssize_t)strlen(FUZZ_SECRET))
		abort();
	(void)close(fd);
	hl_secret_free();
	FUZZ_CHECK(hl_secret_load(path) == 0);
	(void)unlink(path);
}

static void
close_pc(janus_plugin_session *h)
{
	(void)h;
}
