/*
 * open311: the GeoReport v2 API (JSON), so existing Open311 clients can
 * file requests and read them.  Services are our fields; a request is a
 * ticket (channel "open311") filed through the same validation and SQL as
 * the portal.  What is read back is what the public may see: published
 * requests only, their text masked.  One that is not published answers
 * exactly like one that does not exist, so request ids cannot be probed.
 *
 *   GET  /open311/v2/services.json
 *   POST /open311/v2/requests.json      api_key, service_code, description, phone, ...
 *   GET  /open311/v2/requests.json      published requests, newest first
 *   GET  /open311/v2/requests/{id}.json
 *
 * Filing needs an api_key that an administrator issued to the client
 * (admin_open311.c) and has not revoked; reading needs none, as the spec
 * allows.  The key is read from the form body only, never from the URL,
 * where proxies and logs would keep it.  This API takes no cookie, so a
 * form another site makes a browser post carries no key and files
 * nothing; bodies other than form-urlencoded are refused outright.
 */
#include <ctype.h>

#include "app.h"
#include "ticket.h"
#include "code.h"
#include "mask.h"
#include "open311.h"
#include "refdata.h"
#include "valid.h"

#define LIST_MAX	50

#define MSG_BAD_KEY	"api_key không hợp lệ hoặc đã bị thu hồi."

static int	key_check(struct http_request *, struct web *);
static int	key_checked(struct http_request *, struct web *);
static int	create_submit(struct http_request *, struct web *);
static int	list_step(struct http_request *, struct web *);
static json_t	*request_json(struct web *, int);
static json_t	*masked_json(const char *);
static int	iso_date_ok(const char *);

#define SQL_REQUEST_COLUMNS \
    "t.code, f.code AS service_code, " \
    "f.name AS service_name, a.name AS agency, t.title, t.content, t.answer, " \
    "to_char(t.created_at, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM') AS requested, " \
    "to_char(t.updated_at, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM') AS updated "

/* What the public may read: answered and published, nothing else. */
#define SQL_PUBLISHED \
    "t.published AND t.status IN ('answered', 'closed') "

static const char	SQL_LIST[] =
    "SELECT " SQL_REQUEST_COLUMNS
    "FROM tickets t LEFT JOIN fields f ON f.id = t.field_id "
    "LEFT JOIN agencies a ON a.id = t.agency_id "
    "WHERE " SQL_PUBLISHED
    "AND ($1 = '' OR f.code = $1) "
    "AND ($2 = '' OR t.created_at >= $2::timestamptz) "
    "AND ($3 = '' OR t.created_at < $3::timestamptz) "
    "ORDER BY t.created_at DESC LIMIT 50";

static const char	SQL_SHOW[] =
    "SELECT " SQL_REQUEST_COLUMNS
    "FROM tickets t LEFT JOIN fields f ON f.id = t.field_id "
    "LEFT JOIN agencies a ON a.id = t.agency_id WHERE t.code = $1 "
    "AND " SQL_PUBLISHED;

/* A key in use: known, not revoked.  Its use is noted for the admin page. */
static const char	SQL_KEY[] =
    "UPDATE open311_clients SET last_used_at = now() "
    "WHERE key_hash = decode($1, 'hex') AND revoked_at IS NULL "
    "RETURNING id, name";

int
open311_services_step(struct http_request *req, struct web *w)
{
	json_t	*list;
	int	 i;

	list = json_array();
	for (i = 0; i < refdata->nfields; i++) {
		json_list_add(&list, json_pack(
		    "{s:o,s:o,s:o,s:b,s:s,s:s,s:s}",
		    "service_code", json_text(refdata->field[i].code),
		    "service_name", json_text(refdata->field[i].name),
		    "description", json_text(refdata->field[i].name),
		    "metadata", 0, "type", "realtime", "keywords", "",
		    "group", ""));
	}
	return (web_json(req, 200, list));
}

/*
 * POST: the api_key first (KEY_LOOKUP looks it up, KEY_CHECKED has the
 * answer), then GeoReport's fields are mapped onto ours and the portal's
 * submission code takes over (tickets_submit_step), from its own first
 * step, SUBMIT_READ.  Its state (w->data) exists from then on.  GET lists
 * published requests.
 */
enum { KEY_LOOKUP, KEY_CHECKED };

int
open311_create_step(struct http_request *req, struct web *w)
{
	if (req->method == HTTP_METHOD_GET)
		return (list_step(req, w));
	if (w->data != NULL)
		return (tickets_submit_step(req, w));
	if (w->step == KEY_LOOKUP)
		return (key_check(req, w));
	return (key_checked(req, w));
}

static int
key_check(struct http_request *req, struct web *w)
{
	struct form	 body;
	const char	*key;
	char		 hash[65];
	size_t		 len;
	int		 missing;

	if (w->body_kind != WEB_BODY_FORM)
		return (web_error(req, w, 415,
		    "Content-Type phải là application/x-www-form-urlencoded."));

	/* The body alone: a key in the query string does not count. */
	form_init(&body);
	if (form_parse_urlencoded(&body, (const char *)w->body,
	    w->body_len) != FORM_OK) {
		form_free(&body);
		return (web_error(req, w, 400, "Dữ liệu biểu mẫu không hợp lệ."));
	}
	key = form_get(&body, "api_key", &len);
	missing = key == NULL || len == 0;
	hash[0] = '\0';
	/* Only what could be a key of ours is looked up. */
	if (!missing && len == OPEN311_KEY_LEN && strlen(key) == len &&
	    strncmp(key, OPEN311_KEY_PREFIX, OPEN311_KEY_PREFIX_LEN) == 0)
		web_sha256_hex(key, hash);
	form_free(&body);

	if (missing)
		return (web_error(req, w, 400, "Thiếu api_key: ứng dụng cần "
		    "khóa API do quản trị viên Tổng đài 1022 cấp, gửi trong "
		    "trường api_key của nội dung yêu cầu."));
	if (hash[0] == '\0')
		return (web_error(req, w, 403, MSG_BAD_KEY));
	return (web_query(req, w, SQL_KEY, 1, hash));
}

static int
key_checked(struct http_request *req, struct web *w)
{
	if (web_rows(w, KEY_LOOKUP) != 1)
		return (web_error(req, w, 403, MSG_BAD_KEY));
	kore_log(LOG_INFO, "open311: a request from client %s (%s)",
	    web_val(w, KEY_LOOKUP, 0, "id"), web_val(w, KEY_LOOKUP, 0, "name"));
	/* The submission numbers its steps from SUBMIT_READ (0): res[0] is
	 * not its own. */
	w->step = SUBMIT_READ;
	return (create_submit(req, w));
}

static int
create_submit(struct http_request *req, struct web *w)
{
	const struct ref_field	*f;
	const char		*svc, *desc, *first, *last, *addr, *lat, *lon;
	struct sbuf		 name, title, content;
	size_t			 len;

	svc = web_arg(w, "service_code", NULL);
	if (svc == NULL || strlen(svc) >= 48 ||
	    (f = refdata_field_by_code(svc)) == NULL)
		return (web_error(req, w, 400, "service_code không hợp lệ."));
	desc = web_arg(w, "description", &len);
	if (desc == NULL || len == 0)
		return (web_error(req, w, 400, "Vui lòng nhập description."));
	if (len > TICKET_CONTENT_MAX_CHARS * 4 || strlen(desc) != len)
		return (web_error(req, w, 400, "description quá dài."));

	first = web_arg(w, "first_name", NULL);
	last = web_arg(w, "last_name", NULL);
	addr = web_arg(w, "address_string", NULL);
	lat = web_arg(w, "lat", NULL);
	lon = web_arg(w, "long", NULL);

	sbuf_init(&name);
	sbuf_init(&title);
	sbuf_init(&content);
	if (first != NULL && *first != '\0')
		sbuf_appendf(&name, "%.100s", first);
	if (last != NULL && *last != '\0')
		sbuf_appendf(&name, "%s%.100s", name.len ? " " : "", last);
	if (name.len == 0)
		sbuf_appendf(&name, "Người dân (Open311)");
	sbuf_appendf(&title, "%s", f->name);
	if (addr != NULL && *addr != '\0')
		sbuf_appendf(&title, " — %.120s", addr);
	sbuf_append(&content, desc, len);
	if (addr != NULL && *addr != '\0')
		sbuf_appendf(&content, "\nĐịa chỉ: %.300s", addr);
	if (lat != NULL && lon != NULL && strlen(lat) < 24 && strlen(lon) < 24)
		sbuf_appendf(&content, "\nTọa độ: %s, %s", lat, lon);

	/* Ours replace whatever the client sent under these names. */
	form_replace(&w->form, "name", name.data, name.len);
	form_replace(&w->form, "title", title.data, title.len);
	form_replace(&w->form, "content", content.data, content.len);
	form_replace(&w->form, "field", f->code, strlen(f->code));
	sbuf_free(&name);
	sbuf_free(&title);
	sbuf_free(&content);
	return (tickets_submit_step(req, w));
}

/* The published requests, a list or one: ask, then answer. */
enum { PUB_QUERY, PUB_REPLY };

static int
list_step(struct http_request *req, struct web *w)
{
	const char	*svc, *start, *end;
	json_t		*list;
	int		 i, n;

	if (w->step == PUB_QUERY) {
		svc = web_arg(w, "service_code", NULL);
		start = web_arg(w, "start_date", NULL);
		end = web_arg(w, "end_date", NULL);
		if (svc != NULL && (strlen(svc) >= 48 || !refdata_field_by_code(svc)))
			return (web_error(req, w, 400, "service_code không hợp lệ."));
		if ((start != NULL && !iso_date_ok(start)) ||
		    (end != NULL && !iso_date_ok(end)))
			return (web_error(req, w, 400,
			    "start_date/end_date phải theo ISO 8601 (ví dụ 2026-11-01T00:00:00Z)."));
		/* A date of the right shape may still not exist (2026-02-30). */
		w->want_errors = 1;
		return (web_query(req, w, SQL_LIST, 3, svc ? svc : "",
		    start ? start : "", end ? end : ""));
	}
	if (strncmp(w->sqlstate, "22", 2) == 0)
		return (web_error(req, w, 400, "start_date/end_date không hợp lệ."));
	if (w->sqlstate[0] != '\0')
		return (web_error(req, w, 500, "Lỗi hệ thống."));
	n = web_rows(w, PUB_QUERY);
	list = json_array();
	for (i = 0; i < n && i < LIST_MAX; i++)
		json_list_add(&list, request_json(w, i));
	return (web_json(req, 200, list));
}

int
open311_show_step(struct http_request *req, struct web *w)
{
	char		 id[64], code[CODE_LEN + 1];

	if (w->step == PUB_QUERY) {
		if (web_path_arg(req, w, 1, id, sizeof(id)) == -1 ||
		    code_parse(id, code) != 0)
			return (web_error(req, w, 404, "Không tìm thấy yêu cầu."));
		return (web_query(req, w, SQL_SHOW, 1, code));
	}
	if (web_rows(w, PUB_QUERY) != 1)
		return (web_error(req, w, 404, "Không tìm thấy yêu cầu."));
	return (web_json(req, 200, json_pack("[o]", request_json(w, 0))));
}

/*
 * One published request (SQL_PUBLISHED), its words masked.  Answered is
 * GeoReport's "closed".
 */
static json_t *
request_json(struct web *w, int row)
{
	return (json_pack("{s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
	    "service_request_id", web_json_val(w, PUB_QUERY, row, "code"),
	    "status", "closed",
	    "service_code", web_json_val(w, PUB_QUERY, row, "service_code"),
	    "service_name", web_json_val(w, PUB_QUERY, row, "service_name"),
	    "agency_responsible", web_json_val(w, PUB_QUERY, row, "agency"),
	    "requested_datetime", web_json_val(w, PUB_QUERY, row, "requested"),
	    "updated_datetime", web_json_val(w, PUB_QUERY, row, "updated"),
	    "description", masked_json(web_val(w, PUB_QUERY, row, "content")),
	    "status_notes", masked_json(web_val(w, PUB_QUERY, row, "answer"))));
}

/* A citizen's words with personal data masked, or null. */
static json_t *
masked_json(const char *text)
{
	json_t	*v;
	char	*m;

	if (text == NULL)
		return (json_null());
	m = mask_personal(text, strlen(text));
	v = json_text(m != NULL ? m : "");
	free(m);
	return (v);
}

/* 2026-11-01, 2026-11-01T00:00:00Z, 2026-11-01T07:00:00+07:00 */
static int
iso_date_ok(const char *s)
{
	size_t	i, n;

	n = strlen(s);
	if (n < 10 || n > 25)
		return (0);
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]) && strchr("-:T+Z", s[i]) == NULL)
			return (0);
	}
	return (s[4] == '-' && s[7] == '-');
}
