/*
 * dossiers: the one-stop dossier lookup (issue 10).  A citizen on the
 * portal (/tra-cuu-ho-so), a program or an SMS gateway or a kiosk
 * (/api/v1/dossiers/{code} and its .txt), an operator (/dtv/ho-so, the
 * box beside a ticket) ask by the code on the receipt; the answer comes
 * from one of two adapters, chosen on /quan-tri/ho-so:
 *
 *   local  the table `dossiers`, filled by an import (CSV or JSON lines);
 *   http   the province's one-stop system, GET {url}/{code} with libcurl
 *          on the LANE_LOOKUP threads, never the event loop, bounded by
 *          the configured timeout; its answers (found or not) are kept in
 *          `dossier_cache` for a short while, a failure never is.
 *
 * Every lookup runs the same steps (dossiers_lookup_step): the settings,
 * the local row or the cached answer and the address's limit in one
 * query; the remote call when needed; the cache; the reply in the form
 * the route asks for.  The rules (codes, rows, the contract's answer, the
 * SMS line) are in dossier.c; docs/dossiers.md describes both formats.
 */
#include <time.h>

#include "app.h"
#include "admin.h"
#include "channel_settings.h"
#include "dossier.h"
#include "outbox.h"
#include "valid.h"

#define DOSSIER_RATE_MAX	"60"	/* public lookups per address ... */
#define DOSSIER_RATE_WINDOW	"600"	/* ... per 10 minutes */
#define DOSSIER_REJECTS_SHOWN	100	/* rejected import rows listed */
#define DOSSIER_TITLE		"Tra cứu hồ sơ một cửa"
#define DOSSIER_LINE_BYTES_MAX	8192	/* an import line, before parsing */

/* One lookup, shared with its LANE_LOOKUP thread while it runs. */
struct lookup {
	char			 code[DOSSIER_CODE_MAX + 1];
	char			 url[512];
	char			 username[256];
	char			 password[256];
	long			 timeout_ms;
	struct timespec		 queued;
	enum dossier_found	 found;
	struct dossier		 d;
	char			 err[256];
	char			 today[11];
};

/*
 * The settings, the local row (adapter local) or a fresh cached answer
 * (adapter http), and one hit on the address's limit $1 ($1 NULL: staff;
 * $3, the address, one of the trusted gateways and kiosks: not counted).
 */
static const char	SQL_LOAD[] =
    "SELECT CASE WHEN $1::text IS NULL OR $3 = ANY (string_to_array("
    "s.trusted, ',')) THEN true "
    "ELSE rate_limit_hit($1, " DOSSIER_RATE_MAX ", " DOSSIER_RATE_WINDOW ") "
    "END AS ok, s.adapter, s.url, s.username, s.password, s.timeout_ms, "
    "s.cache_seconds, to_char(now(), 'YYYY-MM-DD') AS today, "
    "(SELECT json_build_object('code', d.code, 'status', d.status, "
    "'procedure', d.procedure, 'agency', d.agency, 'received_on', "
    "d.received_on, 'due_on', d.due_on, 'missing', d.missing, 'pickup', "
    "d.pickup) FROM dossiers d WHERE d.code = $2) AS local, "
    "c.code IS NOT NULL AS cached, c.payload AS cached_payload "
    "FROM dossier_settings s LEFT JOIN dossier_cache c ON s.adapter = 'http' "
    "AND c.code = $2 AND s.cache_seconds > 0 "
    "AND c.fetched_at > now() - make_interval(secs => s.cache_seconds)";

/* Rows older than any cache time (an hour at most) go on the way. */
static const char	SQL_KEEP[] = SQL_REPEATABLE
    "WITH old AS (DELETE FROM dossier_cache WHERE fetched_at < "
    "now() - interval '1 day' AND code <> $1) "
    "INSERT INTO dossier_cache AS c (code, payload, fetched_at) "
    "VALUES ($1, $2::jsonb, now()) ON CONFLICT (code) DO UPDATE "
    "SET payload = EXCLUDED.payload, fetched_at = now()";

static const char	SQL_SETTINGS[] =
    "SELECT s.adapter, s.url, s.username, s.password <> '' AS has_password, "
    "s.timeout_ms, s.cache_seconds, replace(s.trusted, ',', ', ') AS trusted, "
    "(SELECT count(*) FROM dossiers) AS local_count "
    "FROM dossier_settings s";

/*
 * A blank password keeps the stored one; the cache goes with the source;
 * the administrators' log says what the settings became (never the
 * password, only whether it changed).  $7 actor id, $8 actor's name.
 */
static const char	SQL_SETTINGS_SAVE[] =
    "WITH s AS (UPDATE dossier_settings SET adapter = $1, url = $2, "
    "username = $3, password = CASE WHEN $4 = '' THEN password ELSE $4 END, "
    "timeout_ms = $5::integer, cache_seconds = $6::integer, trusted = $9, "
    "updated_at = now(), updated_by = $7::integer "
    "RETURNING adapter, url, username, timeout_ms, cache_seconds, trusted), "
    "c AS (DELETE FROM dossier_cache RETURNING 1), "
    "e AS (" ADMIN_EVENT_COLS
    "SELECT $7::integer, $8, 'dossier_settings', 'channel', 'dossier', "
    "'" DOSSIER_TITLE "', jsonb_build_object('adapter', s.adapter, "
    "'url', s.url, 'username', s.username, 'password_changed', $4 <> '', "
    "'timeout_ms', s.timeout_ms, 'cache_seconds', s.cache_seconds, "
    "'trusted', s.trusted) "
    "FROM s RETURNING id) "
    "SELECT count(*) AS logged FROM e";

/*
 * The import's valid rows in one statement: all of them or none.  A code
 * twice in one file: its last row counts.
 */
static const char	SQL_IMPORT[] =
    "WITH x AS (SELECT DISTINCT ON (e.v->>'code') e.v->>'code' AS code, "
    "e.v->>'status' AS status, e.v->>'procedure' AS procedure, "
    "e.v->>'agency' AS agency, (e.v->>'received_on')::date AS received_on, "
    "(e.v->>'due_on')::date AS due_on, e.v->>'missing' AS missing, "
    "e.v->>'pickup' AS pickup "
    "FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e (v, n) "
    "ORDER BY e.v->>'code', e.n DESC), "
    "i AS (INSERT INTO dossiers AS d (code, status, procedure, agency, "
    "received_on, due_on, missing, pickup, imported_by) "
    "SELECT code, status, procedure, agency, received_on, due_on, missing, "
    "pickup, $2::integer FROM x "
    "ON CONFLICT (code) DO UPDATE SET status = EXCLUDED.status, "
    "procedure = EXCLUDED.procedure, agency = EXCLUDED.agency, "
    "received_on = EXCLUDED.received_on, due_on = EXCLUDED.due_on, "
    "missing = EXCLUDED.missing, pickup = EXCLUDED.pickup, "
    "imported_at = now(), imported_by = EXCLUDED.imported_by "
    "RETURNING (xmax = 0) AS inserted), "
    "e AS (" ADMIN_EVENT_COLS
    "SELECT $2::integer, $3, 'dossier_import', 'channel', 'dossier', "
    "'" DOSSIER_TITLE "', jsonb_build_object('rows', (SELECT count(*) "
    "FROM i), 'added', (SELECT count(*) FROM i WHERE inserted), "
    "'rejected', $4::integer) RETURNING id) "
    "SELECT inserted FROM i";

static const char	SQL_LINK[] =
    "INSERT INTO ticket_dossiers (ticket_id, code, linked_by) "
    "SELECT t.id, $2, $3::integer FROM tickets t WHERE t.id = $1::bigint "
    "ON CONFLICT DO NOTHING RETURNING ticket_id";

static const char	SQL_UNLINK[] =
    "DELETE FROM ticket_dossiers WHERE ticket_id = $1::bigint AND code = $2 "
    "RETURNING ticket_id";

static const char	SQL_LINKED[] =
    "SELECT code FROM ticket_dossiers WHERE ticket_id = $1::bigint "
    "ORDER BY linked_at, code";

static int	lookup_read(struct http_request *, struct web *,
		    struct lookup *);
static int	lookup_loaded(struct http_request *, struct web *,
		    struct lookup *);
static int	lookup_fetch(struct web *);
static int	lookup_keep(struct http_request *, struct web *,
		    struct lookup *);
static int	lookup_reply(struct http_request *, struct web *,
		    struct lookup *);
static int	lookup_reply_bad(struct http_request *, struct web *,
		    int, const char *);
static void	lookup_view(struct web *, const struct lookup *);
static int	settings_save(struct http_request *, struct web *);
static int	settings_refuse(struct http_request *, struct web *,
		    const char *);
static int	settings_view(struct http_request *, struct web *, int);
static int	import_parse(struct web *);
static void	import_free(void *);

static const char	MSG_BAD_CODE[] = "Mã hồ sơ không hợp lệ. Mã in trên "
    "phiếu biên nhận có dạng 000.00.21.H21-240115-0001 (chữ, số, dấu chấm "
    "và dấu gạch ngang, 10–40 ký tự).";
static const char	MSG_NOT_FOUND[] = "Không tìm thấy hồ sơ có mã này. "
    "Vui lòng kiểm tra lại mã in trên phiếu biên nhận.";
static const char	MSG_UNAVAILABLE[] = "Hệ thống một cửa của tỉnh đang "
    "không phản hồi. Vui lòng thử lại sau ít phút hoặc gọi 1022.";
static const char	MSG_RATE[] = "Bạn đã tra cứu quá nhiều lần. "
    "Vui lòng thử lại sau ít phút.";

/*
 * The steps of every lookup.  LOOK_READ starts SQL_LOAD; LOOK_FETCH asks
 * the one-stop system (http, not cached); LOOK_KEEP caches its answer;
 * LOOK_REPLY answers.  A step with nothing to do moves on at once.
 */
enum { LOOK_READ, LOOK_FETCH, LOOK_KEEP, LOOK_REPLY };

int
dossiers_lookup_step(struct http_request *req, struct web *w)
{
	struct lookup	*l = w->data;

	switch (w->step) {
	case LOOK_READ:
		l = kore_calloc(1, sizeof(*l));
		w->data = l;
		w->data_free = kore_free;
		return (lookup_read(req, w, l));
	case LOOK_FETCH:
		return (lookup_loaded(req, w, l));
	case LOOK_KEEP:
		if (w->task_result == -1)
			kore_log(LOG_NOTICE, "dossiers: %s: %s", l->code, l->err);
		return (lookup_keep(req, w, l));
	default:
		return (lookup_reply(req, w, l));
	}
}

/* The code from the path or the form; cheap checks before the query. */
static int
lookup_read(struct http_request *req, struct web *w, struct lookup *l)
{
	const char	*v;
	char		 arg[72], ip[64], key[96];

	if (w->route->api) {
		if (web_path_arg(req, w, 1, arg, sizeof(arg)) == -1)
			arg[0] = '\0';
		v = arg;
	} else {
		if ((v = web_arg(w, "ma", NULL)) == NULL) {
			lookup_view(w, l);
			return (lookup_reply_bad(req, w, 200, NULL));
		}
		tval_set(w->view, "ma", valid_utf8(v, strlen(v)) &&
		    strlen(v) <= 64 ? v : "");
	}
	if (strlen(v) > 64 || dossier_code_read(v, l->code,
	    sizeof(l->code)) == -1)
		return (lookup_reply_bad(req, w, 400, MSG_BAD_CODE));
	(void)web_client_ip(req, ip, sizeof(ip));
	if (w->user.id != 0 && (w->user.role & ROLE_STAFF))
		return (web_query(req, w, SQL_LOAD, 3, NULL, l->code, ip));
	(void)snprintf(key, sizeof(key), "dossier:%s", ip);
	return (web_query(req, w, SQL_LOAD, 3, key, l->code, ip));
}

/* What SQL_LOAD found: an answer at once, or the remote call. */
static int
lookup_loaded(struct http_request *req, struct web *w, struct lookup *l)
{
	const char	*adapter, *payload;
	json_t		*o;
	json_error_t	 jerr;
	char		 why[256];

	if (web_rows(w, LOOK_READ) != 1)
		return (web_error(req, w, 500, "Lỗi hệ thống."));
	if (!web_bool(w, LOOK_READ, 0, "ok"))
		return (lookup_reply_bad(req, w, 429, MSG_RATE));
	(void)snprintf(l->today, sizeof(l->today), "%s",
	    web_val(w, LOOK_READ, 0, "today"));
	adapter = web_val(w, LOOK_READ, 0, "adapter");
	if (strcmp(adapter, "local") == 0)
		payload = web_val(w, LOOK_READ, 0, "local");
	else if (web_bool(w, LOOK_READ, 0, "cached"))
		payload = web_val(w, LOOK_READ, 0, "cached_payload");
	else
		payload = NULL;

	if (strcmp(adapter, "local") == 0 ||
	    web_bool(w, LOOK_READ, 0, "cached")) {
		l->found = DOSSIER_NOT_FOUND;
		if (payload != NULL && payload[0] != '\0') {
			o = json_loads(payload, 0, &jerr);
			if (o != NULL && dossier_from_json(o, &l->d, why,
			    sizeof(why)) == 0)
				l->found = DOSSIER_FOUND;
			else
				kore_log(LOG_ERR, "dossiers: %s: stored row "
				    "unreadable", l->code);
			json_decref(o);
		}
		w->step = LOOK_REPLY;
		return (lookup_reply(req, w, l));
	}

	(void)snprintf(l->url, sizeof(l->url), "%s",
	    web_val(w, LOOK_READ, 0, "url"));
	if (l->url[0] == '\0') {
		kore_log(LOG_NOTICE, "dossiers: adapter http without a url");
		l->found = DOSSIER_UNAVAILABLE;
		w->step = LOOK_REPLY;
		return (lookup_reply(req, w, l));
	}
	(void)snprintf(l->username, sizeof(l->username), "%s",
	    web_val(w, LOOK_READ, 0, "username"));
	(void)snprintf(l->password, sizeof(l->password), "%s",
	    web_val(w, LOOK_READ, 0, "password"));
	l->timeout_ms = strtol(web_val(w, LOOK_READ, 0, "timeout_ms"), NULL, 10);
	(void)clock_gettime(CLOCK_MONOTONIC, &l->queued);
	return (web_task(req, w, LANE_LOOKUP, lookup_fetch));
}

/*
 * On a LANE_LOOKUP thread: GET {url}/{code}.  The whole wait, the time in
 * the lane's queue included, stays within the configured timeout.
 */
static int
lookup_fetch(struct web *w)
{
	struct lookup		*l = w->data;
	struct httpc_reply	 reply;
	struct httpc_options	 opt;
	struct timespec		 now;
	const char		*headers[] = { "Accept: application/json", NULL };
	char			 url[600];
	long			 waited;
	size_t			 len;

	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	waited = (now.tv_sec - l->queued.tv_sec) * 1000 +
	    (now.tv_nsec - l->queued.tv_nsec) / 1000000;
	if (waited >= l->timeout_ms - 50) {
		l->found = DOSSIER_UNAVAILABLE;
		(void)snprintf(l->err, sizeof(l->err), "waited %ld ms for a "
		    "thread", waited);
		return (-1);
	}
	len = strlen(l->url);
	(void)snprintf(url, sizeof(url), "%s%s%s", l->url,
	    len > 0 && l->url[len - 1] == '/' ? "" : "/", l->code);

	memset(&opt, 0, sizeof(opt));
	opt.timeout_ms = l->timeout_ms - waited;
	opt.username = l->username[0] != '\0' ? l->username : NULL;
	opt.password = l->password;
	if (httpc_request_with("GET", url, headers, NULL, 0, &opt,
	    &reply) == -1) {
		l->found = DOSSIER_UNAVAILABLE;
		(void)snprintf(l->err, sizeof(l->err), "%s", reply.error);
		httpc_reply_free(&reply);
		return (-1);
	}
	l->found = dossier_remote_read(reply.status, reply.body, reply.len,
	    &l->d, l->err, sizeof(l->err));
	httpc_reply_free(&reply);
	if (l->found == DOSSIER_FOUND && strcmp(l->d.code, l->code) != 0) {
		l->found = DOSSIER_UNAVAILABLE;
		(void)snprintf(l->err, sizeof(l->err), "the one-stop system "
		    "answered for another code");
	}
	return (l->found == DOSSIER_UNAVAILABLE ? -1 : 0);
}

/* An answer of the one-stop system is kept; a failure is not. */
static int
lookup_keep(struct http_request *req, struct web *w, struct lookup *l)
{
	json_t	*o;
	char	*payload;
	int	 rc;

	if (l->found == DOSSIER_UNAVAILABLE) {
		w->step = LOOK_REPLY;
		return (lookup_reply(req, w, l));
	}
	payload = NULL;
	if (l->found == DOSSIER_FOUND) {
		o = dossier_to_json(&l->d);
		payload = json_dumps(o, JSON_COMPACT);
		json_decref(o);
	}
	rc = web_query(req, w, SQL_KEEP, 2, l->code, payload);
	free(payload);
	return (rc);
}

static int
lookup_reply(struct http_request *req, struct web *w, struct lookup *l)
{
	char	line[DOSSIER_LINE_SIZE + 1];
	json_t	*o;
	size_t	len;

	if (l->found == DOSSIER_NOT_FOUND)
		return (lookup_reply_bad(req, w, 404, MSG_NOT_FOUND));
	if (l->found == DOSSIER_UNAVAILABLE)
		return (lookup_reply_bad(req, w, 503, MSG_UNAVAILABLE));

	dossier_line(&l->d, l->today, line, DOSSIER_LINE_SIZE);
	switch (w->route->id) {
	case ROUTE_API_DOSSIER_TXT:
		len = strlen(line);
		line[len++] = '\n';
		return (web_send(req, 200, "text/plain; charset=utf-8", line,
		    len));
	case ROUTE_API_DOSSIER:
		o = dossier_to_json(&l->d);
		(void)json_object_set_new(o, "overdue", json_boolean(
		    l->d.due_on[0] != '\0' && !dossier_is_finished(l->d.status) &&
		    strcmp(l->today, l->d.due_on) > 0));
		(void)json_object_set_new(o, "line", json_string(line));
		return (web_json(req, 200, o));
	default:
		lookup_view(w, l);
		return (web_render(req, w, 200, "dossier_lookup",
		    DOSSIER_TITLE));
	}
}

/* A refusal, in the route's own form; msg NULL: the empty form. */
static int
lookup_reply_bad(struct http_request *req, struct web *w, int status,
    const char *msg)
{
	struct lookup	*l = w->data;
	char		 line[512];

	switch (w->route->id) {
	case ROUTE_API_DOSSIER_TXT:
		(void)snprintf(line, sizeof(line), "%s\n", msg);
		return (web_send(req, status, "text/plain; charset=utf-8", line,
		    strlen(line)));
	case ROUTE_API_DOSSIER:
		return (web_error(req, w, status, msg));
	default:
		lookup_view(w, l);
		if (msg != NULL)
			tval_set(w->view, "problem", msg);
		return (web_render(req, w, status, "dossier_lookup",
		    DOSSIER_TITLE));
	}
}

/* What the page shows: the form (portal or console) and the dossier. */
static void
lookup_view(struct web *w, const struct lookup *l)
{
	struct tval	*o;
	const char	*v;
	char		 day[16];
	int		 late;

	tval_set(w->view, "action", w->route->id == ROUTE_CONSOLE_DOSSIER ?
	    "/dtv/ho-so" : "/tra-cuu-ho-so");
	tval_set_bool(w->view, "staff", w->route->id == ROUTE_CONSOLE_DOSSIER);
	v = web_arg(w, "phieu", NULL);
	if (w->route->id == ROUTE_CONSOLE_DOSSIER && v != NULL &&
	    strlen(v) <= WEB_PATH_ID_DIGITS && v[0] != '\0' &&
	    strspn(v, "0123456789") == strlen(v))
		tval_set(w->view, "phieu", v);
	if (l == NULL || l->found != DOSSIER_FOUND || l->d.code[0] == '\0')
		return;
	o = tval_set_obj(w->view, "dossier");
	tval_set(o, "code", l->d.code);
	tval_set(o, "status", l->d.status);
	tval_set(o, "status_text", dossier_status_vi(l->d.status));
	tval_set(o, "procedure", l->d.procedure);
	tval_set(o, "agency", l->d.agency);
	(void)snprintf(day, sizeof(day), "%.2s/%.2s/%.4s", l->d.received_on + 8,
	    l->d.received_on + 5, l->d.received_on);
	tval_set(o, "received_on", day);
	if (l->d.due_on[0] != '\0') {
		(void)snprintf(day, sizeof(day), "%.2s/%.2s/%.4s",
		    l->d.due_on + 8, l->d.due_on + 5, l->d.due_on);
		tval_set(o, "due_on", day);
	}
	late = l->d.due_on[0] != '\0' && !dossier_is_finished(l->d.status) &&
	    strcmp(l->today, l->d.due_on) > 0;
	tval_set_bool(o, "overdue", late);
	tval_set(o, "missing", l->d.missing);
	tval_set(o, "pickup", l->d.pickup);
}

/*
 * /dtv/ho-so/lien-ket (POST phieu, ma): the ticket is about this
 * dossier; /dtv/ho-so/bo-gan: it is not (after a confirmation on the
 * ticket's page).  Back to the ticket's page, where it shows.
 */
enum { LINK_STORE, LINK_DONE };

int
dossiers_link_step(struct http_request *req, struct web *w)
{
	const char	*ticket, *v;
	char		 code[DOSSIER_CODE_MAX + 1], user[16], loc[64];

	ticket = web_arg(w, "phieu", NULL);
	if (ticket == NULL || ticket[0] == '\0' ||
	    strlen(ticket) > WEB_PATH_ID_DIGITS ||
	    strspn(ticket, "0123456789") != strlen(ticket))
		return (web_error(req, w, 400, "Thiếu số phiếu."));
	if (w->step == LINK_STORE) {
		v = web_arg(w, "ma", NULL);
		if (v == NULL || strlen(v) > 64 ||
		    dossier_code_read(v, code, sizeof(code)) == -1)
			return (web_error(req, w, 400, MSG_BAD_CODE));
		if (w->route->id == ROUTE_CONSOLE_DOSSIER_UNLINK)
			return (web_query(req, w, SQL_UNLINK, 2, ticket, code));
		(void)snprintf(user, sizeof(user), "%d", w->user.id);
		return (web_query(req, w, SQL_LINK, 3, ticket, code, user));
	}
	(void)snprintf(loc, sizeof(loc), "/dtv/phieu/%s", ticket);
	return (web_redirect(req, loc));
}

/* /dtv/api/phieu/{id}/ho-so: the codes linked to a ticket, for its page. */
enum { LINKED_LOAD, LINKED_REPLY };

int
dossiers_ticket_step(struct http_request *req, struct web *w)
{
	char	 id[WEB_PATH_ID_DIGITS + 1];
	json_t	*list;
	int	 i, n;

	if (w->step == LINKED_LOAD) {
		if (web_path_id(req, w, 1, id, sizeof(id)) == -1)
			return (web_error(req, w, 404, "Không có phiếu này."));
		return (web_query(req, w, SQL_LINKED, 1, id));
	}
	list = json_array();
	n = web_rows(w, LINKED_LOAD);
	for (i = 0; i < n; i++)
		json_list_add(&list, web_json_val(w, LINKED_LOAD, i, "code"));
	return (web_json(req, 200, json_pack("{s:o}", "codes", list)));
}

/*
 * /quan-tri/ho-so: the adapter and the one-stop system's address,
 * account and limits; the import form beside them.
 */
enum { SET_SAVE, SET_LOAD, SET_SHOW };


int
dossiers_settings_step(struct http_request *req, struct web *w)
{
	switch (w->step) {
	case SET_SAVE:
		if (web_is_post(req))
			return (settings_save(req, w));
		w->step = SET_LOAD;
		return (dossiers_settings_step(req, w));
	case SET_LOAD:
		return (web_query(req, w, SQL_SETTINGS, 0));
	default:
		return (settings_view(req, w, SET_LOAD));
	}
}

static int
settings_save(struct http_request *req, struct web *w)
{
	const char	*adapter, *url, *user, *pass, *tmo, *ttl, *v;
	char		 uid[16], trusted[DOSSIER_TRUSTED_MAX + 1];
	long		 n;

	adapter = web_arg(w, "adapter", NULL);
	url = web_arg(w, "url", NULL);
	user = web_arg(w, "username", NULL);
	pass = web_arg(w, "password", NULL);
	tmo = web_arg(w, "timeout_ms", NULL);
	ttl = web_arg(w, "cache_seconds", NULL);
	if (url == NULL)
		url = "";
	if (user == NULL)
		user = "";
	if (pass == NULL)
		pass = "";
	if (adapter == NULL || (strcmp(adapter, "local") != 0 &&
	    strcmp(adapter, "http") != 0))
		return (settings_refuse(req, w, "Chọn nguồn dữ liệu hồ sơ."));
	if ((url[0] != '\0' && (strncmp(url, "http", 4) != 0 ||
	    !channel_url_ok(url) || strlen(url) > 500)) ||
	    (strcmp(adapter, "http") == 0 && url[0] == '\0'))
		return (settings_refuse(req, w, "Địa chỉ hệ thống một cửa phải "
		    "bắt đầu bằng http:// hoặc https://, có tên máy chủ, không "
		    "có khoảng trắng (tối đa 500 ký tự)."));
	if ((user[0] != '\0' && valid_text(user, strlen(user), 200, 0) !=
	    VALID_OK) || strlen(pass) > 200 || !valid_utf8(pass, strlen(pass)))
		return (settings_refuse(req, w, "Tên đăng nhập hoặc mật khẩu "
		    "không hợp lệ (tối đa 200 ký tự)."));
	if (tmo == NULL || tmo[0] == '\0' || strlen(tmo) > 5 ||
	    strspn(tmo, "0123456789") != strlen(tmo) ||
	    (n = strtol(tmo, NULL, 10)) < 200 || n > 30000)
		return (settings_refuse(req, w, "Thời gian chờ phải từ 200 đến "
		    "30000 mili giây."));
	if (ttl == NULL || ttl[0] == '\0' || strlen(ttl) > 4 ||
	    strspn(ttl, "0123456789") != strlen(ttl) ||
	    (n = strtol(ttl, NULL, 10)) > 3600)
		return (settings_refuse(req, w, "Thời gian lưu tạm phải từ 0 "
		    "đến 3600 giây."));
	if ((v = web_arg(w, "trusted", NULL)) == NULL)
		v = "";
	if (strlen(v) > DOSSIER_TRUSTED_MAX || dossier_addresses_read(v,
	    trusted, sizeof(trusted)) == -1)
		return (settings_refuse(req, w, "Địa chỉ tin cậy phải là các "
		    "địa chỉ IP, cách nhau bằng dấu phẩy (tối đa 1000 ký tự)."));
	admin_actor(w, uid, sizeof(uid));
	tval_set(w->view, "saved", "Đã lưu cấu hình tra cứu hồ sơ.");
	return (web_query(req, w, SQL_SETTINGS_SAVE, 9, adapter, url, user,
	    pass, tmo, ttl, uid, w->user.full_name, trusted));
}

/*
 * A form that cannot be saved: the page again, with what was sent and
 * why, and nothing stored (w->data holds the reason).
 */
static int
settings_refuse(struct http_request *req, struct web *w, const char *why)
{
	w->data = kore_strdup(why);
	w->data_free = kore_free;
	w->step = SET_LOAD;
	return (dossiers_settings_step(req, w));
}

/* The page, from the SQL_SETTINGS rows that step `load` asked for. */
static int
settings_view(struct http_request *req, struct web *w, int load)
{
	static const char *const sent[] = { "adapter", "url", "username",
	    "timeout_ms", "cache_seconds", "trusted", NULL };
	struct tval	*s;
	const char	*v;
	int		 i;

	if (web_rows(w, load) == 1) {
		s = tval_set_obj(w->view, "s");
		web_view_row(w, s, load, 0);
		tval_set_bool(s, "is_http", strcmp(web_val(w, load, 0,
		    "adapter"), "http") == 0);
		tval_set_bool(s, "has_password",
		    web_bool(w, load, 0, "has_password"));
		tval_set(s, "password", "");
		if (w->route->id == ROUTE_ADMIN_DOSSIERS && w->data != NULL) {
			for (i = 0; sent[i] != NULL; i++) {
				v = web_arg(w, sent[i], NULL);
				tval_set(s, sent[i], v != NULL &&
				    strlen(v) <= 1000 &&
				    valid_utf8(v, strlen(v)) ? v : "");
			}
			v = web_arg(w, "adapter", NULL);
			tval_set_bool(s, "is_http", v != NULL &&
			    strcmp(v, "http") == 0);
		}
	}
	admin_nav(w, "dossiers");
	if (w->route->id == ROUTE_ADMIN_DOSSIERS && w->data != NULL) {
		tval_set(w->view, "problem", w->data);
		return (web_render(req, w, 400, "admin_dossiers",
		    DOSSIER_TITLE));
	}
	return (web_render(req, w, 200, "admin_dossiers", DOSSIER_TITLE));
}

/*
 * /quan-tri/ho-so/nhap: a CSV or JSON lines file (docs/dossiers.md).
 * Each line is checked on a LANE_DISK thread (up to 8 MB of parsing is no
 * work for the event loop); the valid ones are stored in one statement,
 * the others listed with their line and reason.
 */
enum { IMPORT_PARSE, IMPORT_STORE, IMPORT_LOAD, IMPORT_SHOW };

struct import_reject {
	int	line;
	char	reason[256];
};

struct import {
	const struct form_file	*file;
	int			 rows;		/* valid rows */
	int			 rejected;
	int			 too_many;
	char			*dump;		/* the valid rows, JSON */
	struct import_reject	 shown[DOSSIER_REJECTS_SHOWN];
};

int
dossiers_import_step(struct http_request *req, struct web *w)
{
	struct import	*im = w->data;
	struct tval	*list, *e;
	char		 uid[16], nrej[16];
	int		 i, added;

	switch (w->step) {
	case IMPORT_PARSE:
		im = kore_calloc(1, sizeof(*im));
		w->data = im;
		w->data_free = import_free;
		for (i = 0; i < w->form.nfiles; i++) {
			if (strcmp(w->form.file[i].name, "tep") == 0 &&
			    w->form.file[i].len > 0)
				im->file = &w->form.file[i];
		}
		if (im->file == NULL)
			return (web_error(req, w, 400, "Chọn tệp CSV hoặc JSON "
			    "lines để nhập."));
		return (web_task(req, w, LANE_DISK, import_parse));
	case IMPORT_STORE:
		if (im->too_many)
			return (web_error(req, w, 413, "Tệp quá lớn: tối đa "
			    "20.000 dòng mỗi lần nhập."));
		tval_set_bool(w->view, "has_rejected", im->rejected > 0);
		list = tval_set_list(w->view, "rejected");
		for (i = 0; i < im->rejected && i < DOSSIER_REJECTS_SHOWN; i++) {
			e = tval_list_add(list);
			tval_setf(e, "line", "%d", im->shown[i].line);
			tval_set(e, "reason", im->shown[i].reason);
		}
		if (im->rejected > 0)
			tval_setf(w->view, "rejected_count", "%d dòng bị từ "
			    "chối, không được lưu.", im->rejected);
		if (im->rows == 0) {
			w->step = IMPORT_LOAD;		/* nothing to store */
			return (dossiers_import_step(req, w));
		}
		admin_actor(w, uid, sizeof(uid));
		(void)snprintf(nrej, sizeof(nrej), "%d", im->rejected);
		return (web_query(req, w, SQL_IMPORT, 4, im->dump, uid,
		    w->user.full_name, nrej));
	case IMPORT_LOAD:
		if (im->rows > 0) {
			added = 0;
			for (i = 0; i < web_rows(w, IMPORT_STORE); i++)
				added += web_bool(w, IMPORT_STORE, i,
				    "inserted");
			tval_setf(w->view, "imported", "Đã nhập %d hồ sơ: %d "
			    "mới, %d cập nhật.", web_rows(w, IMPORT_STORE),
			    added, web_rows(w, IMPORT_STORE) - added);
		}
		return (web_query(req, w, SQL_SETTINGS, 0));
	default:
		return (settings_view(req, w, IMPORT_LOAD));
	}
}

/*
 * On a LANE_DISK thread: the file's lines into im (no Kore, no view).
 * 0; -1 when the file has more than DOSSIER_IMPORT_ROWS rows.
 */
static int
import_parse(struct web *w)
{
	struct import		*im = w->data;
	struct import_reject	*r;
	struct dossier		 d;
	json_t			*rows;
	const char		*p, *end, *eol;
	char			 err[256];
	size_t			 len;
	int			 line, json, rc;

	p = (const char *)im->file->data;
	end = p + im->file->len;
	if (im->file->len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	json = (p < end && *p == '{');
	rows = json_array();
	for (line = 1; p < end; line++, p = eol + 1) {
		if ((eol = memchr(p, '\n', end - p)) == NULL)
			eol = end;
		len = eol - p;
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len == 0 || (line == 1 && !json &&
		    dossier_is_csv_header(p, len)))
			continue;
		if (im->rows + im->rejected >= DOSSIER_IMPORT_ROWS) {
			im->too_many = 1;
			json_decref(rows);
			return (-1);
		}
		if (len > DOSSIER_LINE_BYTES_MAX) {
			rc = -1;
			(void)snprintf(err, sizeof(err), "Dòng quá dài.");
		} else
			rc = dossier_row_parse(p, len, json, &d, err,
			    sizeof(err));
		if (rc == -1) {
			if (im->rejected < DOSSIER_REJECTS_SHOWN) {
				r = &im->shown[im->rejected];
				r->line = line;
				(void)snprintf(r->reason, sizeof(r->reason),
				    "%s", err);
			}
			im->rejected++;
			continue;
		}
		im->rows++;
		(void)json_array_append_new(rows, dossier_to_json(&d));
	}
	if (im->rows > 0 && (im->dump = json_dumps(rows, JSON_COMPACT)) == NULL)
		im->rows = 0;
	json_decref(rows);
	return (0);
}

static void
import_free(void *arg)
{
	struct import	*im = arg;

	free(im->dump);
	kore_free(im);
}
