/*
 * calls: the Kore side of the hotline (docs/hotline-api.md).
 *   POST /api/internal/call-events  the plugin reports a call; signed
 *                                   with HMAC-SHA256, stored once per event
 *   GET  /dtv/hotline/token         a short-lived token for the operator's
 *                                   browser to log in to the plugin
 *   GET  /giam-sat/hotline/token    the same for a supervisor: may watch
 *                                   the hotline and listen in, takes no call
 *   GET  /giam-sat/truc-tiep        the live supervision page
 *   GET  /ghi-am/{call uuid}        a recording, for roles that may hear it
 *
 * The shared secret, the keys derived from it and the token formats are
 * the contract's (hotline_contract.c); the keys are loaded here, once per
 * worker.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>

#include "app.h"
#include "ticket.h"
#include "code.h"
#include "hotline_contract.h"
#include "refdata.h"
#include "valid.h"

static int	signature_ok(struct http_request *, struct web *);
static int	reject(struct http_request *, struct web *, const char *);
static void	call_ticket_fields(const char *, char *, char *, char *);
static int	utc_ok(const char *);

static unsigned char	keys[HOTLINE_KEY_COUNT][HOTLINE_KEY_LEN];
static int		have_keys;

/* Agencies a call can be forwarded to. */
static const char	SQL_FORWARD_TARGETS[] =
    "SELECT name, phone FROM agencies WHERE active AND phone IS NOT NULL "
    "ORDER BY kind, name";

/* Names for the user ids the plugin reports. */
static const char	SQL_LIVE_USERS[] =
    "SELECT id, full_name FROM users WHERE role IN ('operator', 'supervisor', 'admin') "
    "ORDER BY full_name";

/* What the operator needs while the phone rings: who this caller is. */
static const char	SQL_CALLER[] =
    "SELECT t.id, t.code, t.title, t.status, t.name, "
    "to_char(t.created_at, 'DD/MM/YYYY') AS created "
    "FROM tickets t WHERE t.phone = $1 ORDER BY t.created_at DESC LIMIT 10";

/*
 * One statement: the call, and an event on its ticket if the operator has
 * already opened one for it.  ON CONFLICT makes a repeated delivery a no-op.
 */
static const char	SQL_CALL_EVENT[] = SQL_REPEATABLE
    "WITH c AS (INSERT INTO calls (event_id, call_uuid, sip_call_id, caller, "
    "callee, agent_ref, agent_id, disposition, hangup_by, codec, created_at, "
    "answered_at, ended_at, wait_seconds, talk_seconds, recording, "
    "transferred_to, transfer_agency_id, transferred_at) "
    "VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, "
    "hotline_agent_user($6), $7, $8, $9, $10::timestamptz, "
    "$11::timestamptz, $12::timestamptz, $13::integer, $14::integer, $15, "
    "$19, (SELECT id FROM agencies WHERE id = $20::integer), $21::timestamptz) "
    "ON CONFLICT DO NOTHING RETURNING *), "
    /*
     * A voicemail is a contact like any other: it becomes a ticket through
     * ticket_submit(), as every contact does (migrations/0032); the
     * caller's number links the contact without renaming it.
     */
    "v AS (SELECT s.id, s.code, vm.call_uuid FROM (SELECT * FROM c "
    "WHERE c.disposition = 'voicemail') vm CROSS JOIN LATERAL ticket_submit("
    "$16, 'phone', 'Người gọi ' || vm.caller, $17, NULL, NULL, "
    "'Lời nhắn thoại từ ' || vm.caller, 'Lời nhắn thoại để lại lúc ' || "
    "to_char(vm.created_at, 'HH24:MI DD/MM/YYYY') || "
    "'. Nghe ghi âm trong phiếu và gọi lại cho người dân.', "
    "'voicemail:' || vm.call_uuid, $18::timestamptz, NULL, 0, 1, NULL, "
    TICKET_DEDUPE_WINDOW_SEC ", "
    "vm.call_uuid, 'Tổng đài', 'Tổng đài đã tiếp nhận lời nhắn thoại.', false) s), "
    /* The call in the history of its ticket, after a voicemail's "created". */
    "e AS (INSERT INTO ticket_events (ticket_id, actor_label, kind, public, note, payload) "
    "SELECT t.id, 'Tổng đài', 'call', false, "
    /* "Chuyển cuộc gọi đến Sở X, số …, lúc …" (migrations/0040) */
    "call_history_note(c.disposition, c.transferred_to, "
    "c.transfer_agency_id, c.transferred_at), "
    "jsonb_build_object('call_id', c.call_uuid, 'talk_seconds', c.talk_seconds, "
    "'recording', c.recording IS NOT NULL, 'transferred_to', c.transferred_to, "
    "'agency_id', c.transfer_agency_id) "
    "FROM c JOIN (SELECT id, call_uuid FROM tickets UNION ALL "
    "SELECT id, call_uuid FROM v) t ON t.call_uuid = c.call_uuid) "
    "SELECT count(*) AS stored, (SELECT min(code) FROM v) AS voicemail_ticket "
    "FROM c";

static const char	SQL_REJECT[] =
    "INSERT INTO call_events_rejected (body, reason) VALUES (decode($1, 'hex'), $2)";

static const char	SQL_RECORDING[] =
    "SELECT recording FROM calls WHERE call_uuid = $1::uuid AND recording IS NOT NULL";

/* The secret file, read by the contract's rule; one key per purpose. */
void
calls_init(void)
{
	char		 buf[HOTLINE_SECRET_FILE_MAX + 1];
	const char	*path, *why;
	size_t		 off, len;
	ssize_t		 n;
	int		 fd, i;

	path = getenv("HOTLINE_SECRET_FILE");
	if (path == NULL || (fd = open(path, O_RDONLY)) == -1) {
		kore_log(LOG_NOTICE, "hotline: no secret file; call events refused");
		return;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0 || hotline_contract_secret_parse(buf, (size_t)n, &off, &len,
	    &why) < 0) {
		kore_log(LOG_ERR, "hotline: secret file %s refused: %s; call "
		    "events refused", path, n < 0 ? strerror(errno) : why);
		sodium_memzero(buf, sizeof(buf));
		return;
	}
	for (i = 0; i < HOTLINE_KEY_COUNT; i++)
		hotline_contract_key_derive((unsigned char *)buf + off, len,
		    (enum hotline_purpose)i, keys[i]);
	have_keys = 1;
	sodium_memzero(buf, sizeof(buf));
}

/* The key of one purpose, or NULL while there is no secret. */
const unsigned char *
calls_key(enum hotline_purpose p)
{
	return (have_keys ? keys[p] : NULL);
}

/* The softphone page: the forward targets, then the page. */
enum { SOFTPHONE_TARGETS, SOFTPHONE_SHOW };

int
calls_softphone_step(struct http_request *req, struct web *w)
{
	struct tval	*list, *o;
	int		 i;

	if (w->step == SOFTPHONE_TARGETS)
		return (web_query(req, w, SQL_FORWARD_TARGETS, 0));
	list = tval_set_list(w->view, "targets");
	for (i = 0; i < web_rows(w, SOFTPHONE_TARGETS); i++) {
		o = tval_list_add(list);
		web_view_row(w, o, SOFTPHONE_TARGETS, i);
	}
	refdata_view_fields(w->view, 0);
	return (web_render(req, w, 200, "console_softphone", "Tổng đài 1022"));
}

/* The page; live.js talks to the plugin with a supervisor's token. */
enum { LIVE_USERS, LIVE_SHOW };

int
calls_live_step(struct http_request *req, struct web *w)
{
	struct tval	*list, *o;
	int		 i;

	if (w->step == LIVE_USERS)
		return (web_query(req, w, SQL_LIVE_USERS, 0));
	list = tval_set_list(w->view, "users");
	for (i = 0; i < web_rows(w, LIVE_USERS); i++) {
		o = tval_list_add(list);
		web_view_row(w, o, LIVE_USERS, i);
	}
	return (web_render(req, w, 200, "supervisor_live",
	    "Giám sát tổng đài trực tiếp"));
}

/* Earlier tickets of a caller, by the number the trunk gave. */
enum { CALLER_TICKETS, CALLER_SHOW };

int
calls_caller_step(struct http_request *req, struct web *w)
{
	const char	*v;
	char		 phone[VALID_PHONE_LEN + 1];
	json_t		*tickets;
	int		 i;

	if (w->step == CALLER_TICKETS) {
		v = web_arg(w, "phone", NULL);
		if (v == NULL || strlen(v) > 32 ||
		    valid_phone_vn(v, phone, sizeof(phone)) != VALID_OK) {
			/* Withheld or foreign numbers have no history here. */
			return (web_json(req, 200, json_pack("{s:n,s:[]}",
			    "phone", "tickets")));
		}
		w->data = kore_strdup(phone);
		w->data_free = kore_free;
		return (web_query(req, w, SQL_CALLER, 1, phone));
	}
	tickets = json_array();
	for (i = 0; i < web_rows(w, CALLER_TICKETS); i++) {
		json_list_add(&tickets, json_pack(
		    "{s:o,s:o,s:o,s:o,s:o,s:o}",
		    "id", web_json_val(w, CALLER_TICKETS, i, "id"),
		    "code", web_json_val(w, CALLER_TICKETS, i, "code"),
		    "title", web_json_val(w, CALLER_TICKETS, i, "title"),
		    "status", web_json_val(w, CALLER_TICKETS, i, "status"),
		    "name", web_json_val(w, CALLER_TICKETS, i, "name"),
		    "created", web_json_val(w, CALLER_TICKETS, i, "created")));
	}
	return (web_json(req, 200, json_pack("{s:s,s:o}", "phone", w->data,
	    "tickets", tickets)));
}

/*
 * A call event from the plugin: store it (EVENT_STORE), then answer
 * (EVENT_ANSWER).  A value the database refuses sends the step back to
 * EVENT_STORE to quarantine the bytes instead; w->data is then the reason.
 */
enum { EVENT_STORE, EVENT_ANSWER };

int
calls_events_step(struct http_request *req, struct web *w)
{
	static const char *const strs[] = {
		"event_id", "call_id", "sip_call_id", "caller", "callee",
		"agent_user_id", "disposition", "hangup_by", "codec",
		"created_at", "answered_at", "ended_at", "recording",
		"transferred_to", "transferred_at", NULL
	};
	const char	*p[21], *v;
	char		 wait[16], talk[16], code[CODE_LEN + 1], agency[16];
	char		 phone[VALID_PHONE_LEN + 1], due[32];
	json_t		*root, *j;
	json_error_t	 jerr;
	int		 i;

	if (w->step == EVENT_ANSWER && w->data != NULL) {
		/* The quarantine insert of reject() is done. */
		return (web_json(req, 202, json_pack("{s:b,s:s}",
		    "stored", 0, "rejected", (const char *)w->data)));
	}
	if (w->step == EVENT_ANSWER) {
		/* Data the database refuses (class 22, 23): quarantine it. */
		if (strncmp(w->sqlstate, "22", 2) == 0 ||
		    strncmp(w->sqlstate, "23", 2) == 0) {
			w->step = EVENT_STORE;
			return (reject(req, w, "the database refused a value"));
		}
		if (w->sqlstate[0] != '\0')
			return (web_error(req, w, 500, "database error"));
		return (web_json(req, 200, json_pack("{s:b}", "stored",
		    strcmp(web_val(w, EVENT_STORE, 0, "stored"), "1") == 0)));
	}

	if (!signature_ok(req, w))
		return (web_error(req, w, 401, "bad signature"));
	root = json_loadb((const char *)w->body, w->body_len, 0, &jerr);
	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		return (reject(req, w, "body is not a JSON object"));
	}
	/* Every string bounded; the database checks the rest again. */
	for (i = 0; strs[i] != NULL; i++) {
		j = json_object_get(root, strs[i]);
		if (j != NULL && !json_is_null(j) &&
		    (!json_is_string(j) || json_string_length(j) > 255 ||
		    !valid_utf8(json_string_value(j),
		    json_string_length(j)))) {
			json_decref(root);
			return (reject(req, w, "a field is not a short string"));
		}
	}
#define S(k)	(json_string_value(json_object_get(root, (k))))
	v = S("type");
	/* An operator's state change: stored by call_stats.c. */
	if (v != NULL && strcmp(v, "agent.state") == 0) {
		if (!valid_uuid(S("event_id")) || !utc_ok(S("at")) ||
		    call_stats_agent_event(req, w, root) == -1) {
			json_decref(root);
			return (reject(req, w, "malformed agent.state event"));
		}
		json_decref(root);
		return (WEB_WAIT);
	}
	if (v == NULL || strcmp(v, "call.ended") != 0 || !valid_uuid(S("event_id")) ||
	    !valid_uuid(S("call_id")) || S("sip_call_id") == NULL ||
	    S("caller") == NULL || S("callee") == NULL ||
	    S("disposition") == NULL || !utc_ok(S("created_at")) ||
	    !utc_ok(S("ended_at")) ||
	    (S("answered_at") != NULL && !utc_ok(S("answered_at"))) ||
	    !json_is_integer(json_object_get(root, "wait_seconds")) ||
	    !json_is_integer(json_object_get(root, "talk_seconds")) ||
	    (S("transferred_at") != NULL && !utc_ok(S("transferred_at")))) {
		json_decref(root);
		return (reject(req, w, "missing or malformed call fields"));
	}
	/* The agency of a transfer: an id, or null (a number of no agency). */
	j = json_object_get(root, "transfer_agency_id");
	if (j != NULL && !json_is_null(j) && (!json_is_integer(j) ||
	    json_integer_value(j) < 1 || json_integer_value(j) > INT32_MAX)) {
		json_decref(root);
		return (reject(req, w, "transfer_agency_id is not an agency id"));
	}
	agency[0] = '\0';
	if (json_is_integer(j))
		(void)snprintf(agency, sizeof(agency), "%lld",
		    (long long)json_integer_value(j));
	(void)snprintf(wait, sizeof(wait), "%lld", (long long)json_integer_value(
	    json_object_get(root, "wait_seconds")));
	(void)snprintf(talk, sizeof(talk), "%lld", (long long)json_integer_value(
	    json_object_get(root, "talk_seconds")));
	p[0] = S("event_id");
	p[1] = S("call_id");
	p[2] = S("sip_call_id");
	p[3] = S("caller");
	p[4] = S("callee");
	p[5] = S("agent_user_id");
	p[6] = S("disposition");
	p[7] = S("hangup_by");
	p[8] = S("codec");
	p[9] = S("created_at");
	p[10] = S("answered_at");
	p[11] = S("ended_at");
	p[12] = wait;
	p[13] = talk;
	p[14] = S("recording");
	/* Used only if the call is a voicemail: its ticket. */
	call_ticket_fields(S("caller"), code, phone, due);
	p[15] = code;
	p[16] = phone[0] != '\0' ? phone : NULL;
	p[17] = due;
	p[18] = S("transferred_to");
	p[19] = agency[0] != '\0' ? agency : NULL;
	p[20] = S("transferred_at");
#undef S
	w->want_errors = 1;
	web_queryv(req, w, SQL_CALL_EVENT, 21, p);
	json_decref(root);
	return (WEB_WAIT);
}

/* Voicemails are called back within two working days. */
#define VOICEMAIL_DEADLINE_DAYS	2

/* A new ticket's code, the caller's number if it is one, and a due time. */
static void
call_ticket_fields(const char *caller, char *code, char *phone, char *due)
{
	ticket_code_due(VOICEMAIL_DEADLINE_DAYS, code, due);
	if (caller == NULL || strlen(caller) > 32 ||
	    valid_phone_vn(caller, phone, VALID_PHONE_LEN + 1) != VALID_OK)
		phone[0] = '\0';
}

/*
 * An authentic event we cannot store: keep its bytes and acknowledge it
 * (202), so the plugin's spool moves on; the reason is logged once.
 */
static int
reject(struct http_request *req, struct web *w, const char *reason)
{
	char	*hex;
	size_t	 len;

	kore_log(LOG_NOTICE, "hotline: call event rejected: %s", reason);
	len = w->body_len * 2 + 1;
	hex = kore_malloc(len);
	sodium_bin2hex(hex, len, w->body, w->body_len);
	w->data = kore_strdup(reason);
	w->data_free = kore_free;
	w->want_errors = 0;
	web_query(req, w, SQL_REJECT, 2, hex, reason);
	kore_free(hex);
	return (WEB_WAIT);
}

static int
signature_ok(struct http_request *req, struct web *w)
{
	const char	*sig;
	char		 want[HOTLINE_HEX_LEN + 1];

	if (!have_keys || w->body == NULL)
		return (0);
	if (!http_request_header(req, "x-hotline-signature", &sig) ||
	    strlen(sig) != HOTLINE_HEX_LEN)
		return (0);
	hotline_contract_hmac_hex(keys[HOTLINE_KEY_CALL_EVENT], w->body,
	    w->body_len, want);
	return (sodium_memcmp(want, sig, HOTLINE_HEX_LEN) == 0);
}

/*
 * Two tokens for the page that asked: Janus's own, which lets its browser
 * use Janus at all (for janus.plugin.hotline only, until the Kore session
 * ends), and the plugin's login token: single use, tied to this session.
 */
int
calls_token_step(struct http_request *req, struct web *w)
{
	unsigned char	 rnd[HOTLINE_NONCE_LEN / 2];
	char		 user[16], nonce[HOTLINE_NONCE_LEN + 1];
	char		 tok[HOTLINE_TOKEN_MAX + 1], jtok[HOTLINE_JANUS_TOKEN_MAX];
	long long	 expires;

	if (!have_keys)
		return (web_error(req, w, 503, "Tổng đài điện thoại chưa được cấu hình."));
	expires = (long long)time(NULL) + HOTLINE_TOKEN_TTL;
	randombytes_buf(rnd, sizeof(rnd));
	hotline_contract_hex(rnd, sizeof(rnd), nonce);
	(void)snprintf(user, sizeof(user), "%d", w->user.id);
	/* A supervisor's token says so: the plugin lets it watch and
	 * listen, and never offers it a call. */
	if (hotline_contract_agent_token(keys[HOTLINE_KEY_AGENT_TOKEN],
	    w->route->id == ROUTE_SUP_HOTLINE_TOKEN, user, w->user.sid, nonce, expires,
	    tok, sizeof(tok)) < 0 ||
	    hotline_contract_janus_token(keys[HOTLINE_KEY_JANUS_TOKEN],
	    w->user.session_expires, jtok, sizeof(jtok)) < 0)
		return (web_error(req, w, 500, "Không tạo được quyền vào tổng đài."));
	return (web_json(req, 200, json_pack("{s:s,s:I,s:s,s:o}",
	    "token", tok, "expires", (json_int_t)expires,
	    "janus_token", jtok, "janus", json_text(app.janus_public_url))));
}

/* A recording: find its file, then send it. */
enum { RECORDING_LOOKUP, RECORDING_SEND };

int
calls_recording_step(struct http_request *req, struct web *w)
{
	const char		*rel;
	char			 path[PATH_MAX], uuid[40];
	int			 n;

	if (w->step == RECORDING_LOOKUP) {
		if (web_path_arg(req, w, 1, uuid, sizeof(uuid)) == -1 ||
		    !valid_uuid(uuid))
			return (web_error(req, w, 404, "Không tìm thấy bản ghi âm."));
		return (web_query(req, w, SQL_RECORDING, 1, uuid));
	}
	if (web_rows(w, RECORDING_LOOKUP) != 1)
		return (web_error(req, w, 404, "Không tìm thấy bản ghi âm."));
	rel = web_val(w, RECORDING_LOOKUP, 0, "recording");
	n = snprintf(path, sizeof(path), "%s/recordings/%s", app.var_dir, rel);
	if (n < 0 || (size_t)n >= sizeof(path) || strstr(rel, "..") != NULL)
		return (web_error(req, w, 404, "Không tìm thấy bản ghi âm."));

	if (web_send_file(req, path, "audio/wav") == -1)
		return (web_error(req, w, 404, "Tệp ghi âm không còn trên máy chủ."));
	return (WEB_DONE);
}

/* YYYY-MM-DDTHH:MM:SSZ, as the plugin writes it. */
static int
utc_ok(const char *s)
{
	static const char	shape[] = "dddd-dd-ddTdd:dd:ddZ";
	int			i;

	if (s == NULL || strlen(s) != sizeof(shape) - 1)
		return (0);
	for (i = 0; shape[i] != '\0'; i++) {
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return (0);
	}
	return (1);
}
