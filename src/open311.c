/*
 * open311: the GeoReport v2 API, so existing Open311 clients (mySociety's
 * FixMyStreet and the like) can file requests and read them, in XML (the
 * spec's required format) or JSON, chosen by the URL's extension; errors
 * too, as the spec's list of {code, description}.  Services are our
 * fields; a request is a ticket (channel "open311") filed through the
 * same validation and SQL as the portal (tickets.c, ticket.c).
 *
 *   GET  /open311/v2/discovery.{fmt}
 *   GET  /open311/v2/services.{fmt}
 *   GET  /open311/v2/services/{service_code}.{fmt}    its attributes
 *   POST /open311/v2/requests.{fmt}       api_key, service_code, ...
 *   GET  /open311/v2/requests.{fmt}       the spec's filters, pages
 *   GET  /open311/v2/requests/{id}.{fmt}
 *   GET  /open311/v2/tokens/{token}.{fmt}          the id for a token
 *   GET  /open311/v2/servicerequestupdates.{fmt}   mySociety's extension
 *
 * What is read back is what the public may see: a request's status,
 * service, agency and dates; its text (description, status_notes) only
 * once the answer is published, and then with personal data masked.
 *
 * Filing needs an api_key that an administrator issued to the client
 * (admin_open311.c) and has not revoked; reading needs none, as the spec
 * allows.  The key is read from the body only, never from the URL, where
 * proxies and logs would keep it.  This API takes no cookie, so a form
 * another site makes a browser post carries no key and files nothing.
 * A key's submissions are counted against its own limit
 * (APP_RATE_OPEN311), not the citizens' per-address one.
 * docs/open311.md is the integrator's documentation.
 */
#include "app.h"
#include "ticket.h"
#include "code.h"
#include "georeport.h"
#include "mask.h"
#include "open311.h"
#include "refdata.h"
#include "valid.h"

/* Pages of the lists: the house pager's 50, at most 200 at a time. */
#define PAGE_SIZE_DEFAULT	50
#define PAGE_SIZE_MAX		200
#define PAGE_MAX		10000
/* Comma-separated filters: how many values each may hold. */
#define IDS_MAX			50
#define SERVICES_MAX		20

#define ADDRESS_MAX_CHARS	300
#define ATTRIBUTE_MAX_CHARS	100
#define MEDIA_URL_MAX		500

#define MSG_BAD_KEY	"api_key không hợp lệ hoặc đã bị thu hồi."
#define MSG_NOT_FOUND	"Không tìm thấy yêu cầu."

/* A service's attributes (its definition): what a client may add. */
static const struct {
	const char	*code;
	const char	*label;
	const char	*description;
} attributes[] = {
	{ "ma_ho_so", "Mã hồ sơ",
	    "Mã hồ sơ thủ tục hành chính mà phản ánh nói đến, nếu có." },
	{ "thu_tuc", "Thủ tục hành chính",
	    "Tên thủ tục hành chính mà phản ánh nói đến, nếu có." },
};
#define NATTRIBUTES	(sizeof(attributes) / sizeof(attributes[0]))

static const char	*jurisdiction = "dongthap.gov.vn";
static int		 rate_max = 200;

static int	jurisdiction_ok(struct web *);
static int	send_reply(struct http_request *, int, const char *, json_t *);
static int	key_check(struct http_request *, struct web *);
static int	key_checked(struct http_request *, struct web *);
static int	create_submit(struct http_request *, struct web *);
static int	list_step(struct http_request *, struct web *);
static int	list_reply(struct http_request *, struct web *, int);
static int	page_args(struct http_request *, struct web *, char *,
		    char *);
static int	list_arg(struct web *, const char *, int, int, struct sbuf *);
static json_t	*request_json(struct web *, int, int);
static json_t	*masked_json(const char *);
static json_t	*service_json(const struct ref_field *);
static int	media_url_ok(const char *, size_t);

#define SQL_DATE(col) \
    "to_char(" col ", 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM')"
#define SQL_OPEN_CLOSED \
    "CASE WHEN t.status IN ('answered', 'closed') THEN 'closed' " \
    "ELSE 'open' END"
/* What the public may read of a request's words: answered, published. */
#define SQL_PUBLIC \
    "(t.published AND t.status IN ('answered', 'closed'))"

/*
 * $1 ids (comma-separated codes: then nothing else filters), $2 service
 * codes, $3 start, $4 end (by default the last 90 days), $5 statuses,
 * $6 page size, $7 offset.  Text leaves the database only if public.
 */
static const char	SQL_LIST[] =
    "SELECT t.code, f.code AS service_code, f.name AS service_name, "
    "a.name AS agency, " SQL_OPEN_CLOSED " AS status, "
    "CASE WHEN " SQL_PUBLIC " THEN t.content END AS content, "
    "CASE WHEN " SQL_PUBLIC " THEN t.answer END AS answer, "
    SQL_DATE("t.created_at") " AS requested, "
    SQL_DATE("t.updated_at") " AS updated, "
    SQL_DATE("t.due_at") " AS expected "
    "FROM tickets t LEFT JOIN fields f ON f.id = t.field_id "
    "LEFT JOIN agencies a ON a.id = t.agency_id "
    "WHERE CASE WHEN $1 <> '' THEN t.code = ANY (string_to_array($1, ',')) "
    "ELSE ($2 = '' OR f.code = ANY (string_to_array($2, ','))) "
    "AND t.created_at >= coalesce(NULLIF($3, '')::timestamptz, "
    "coalesce(NULLIF($4, '')::timestamptz, now()) - interval '90 days') "
    "AND ($4 = '' OR t.created_at <= $4::timestamptz) "
    "AND ($5 = '' OR " SQL_OPEN_CLOSED " = ANY (string_to_array($5, ','))) "
    "END "
    "ORDER BY t.created_at DESC, t.id DESC LIMIT $6::integer OFFSET $7::integer";

/*
 * mySociety's servicerequestupdates: the public events of requests, in
 * order; their notes only for a public request, masked.  $1 start, $2
 * end (by default the last 90 days), $3 page size, $4 offset.
 */
static const char	SQL_UPDATES[] =
    "SELECT e.id, t.code, "
    "CASE WHEN e.kind IN ('answer', 'close', 'publish') THEN 'closed' "
    "ELSE 'open' END AS status, " SQL_DATE("e.at") " AS at, "
    "CASE WHEN " SQL_PUBLIC " THEN e.note END AS note "
    "FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id "
    "WHERE e.public "
    "AND e.at >= coalesce(NULLIF($1, '')::timestamptz, "
    "coalesce(NULLIF($2, '')::timestamptz, now()) - interval '90 days') "
    "AND ($2 = '' OR e.at <= $2::timestamptz) "
    "ORDER BY e.at, e.id LIMIT $3::integer OFFSET $4::integer";

/* A key in use: known, not revoked.  Its use is noted for the admin page. */
static const char	SQL_KEY[] =
    "UPDATE open311_clients SET last_used_at = now() "
    "WHERE key_hash = decode($1, 'hex') AND revoked_at IS NULL "
    "RETURNING id, name";

/* The settings of the environment: the jurisdiction, a key's limit. */
void
open311_init(void)
{
	const char	*v;

	if ((v = getenv("APP_OPEN311_JURISDICTION")) != NULL)
		jurisdiction = v;
	if ((v = getenv("APP_RATE_OPEN311")) != NULL && *v != '\0') {
		rate_max = atoi(v);
		if (rate_max < 1 || rate_max > 1000000)
			fatal("APP_RATE_OPEN311: between 1 and 1000000");
	}
}

/* 1 if the request asked for XML (its URL ends in .xml), else 0. */
int
open311_xml(struct http_request *req)
{
	size_t	n;

	n = strlen(req->path);
	return (n > 4 && strcmp(req->path + n - 4, ".xml") == 0);
}

/* The spec's errors: [{code, description}], <errors><error>. */
int
open311_error(struct http_request *req, int status, const char *msg)
{
	return (send_reply(req, status, "errors", json_pack("[{s:i,s:o}]",
	    "code", status, "description", json_text(msg))));
}

/* A request filed (tickets.c): its id, at once. */
int
open311_created(struct http_request *req, const char *code, int created,
    const char *notice)
{
	return (send_reply(req, created ? 201 : 200, "service_requests",
	    json_pack("[{s:o,s:s,s:n}]", "service_request_id",
	    json_text(code), "service_notice", notice, "account_id")));
}

/*
 * A key's submissions are counted under its own name, against its own
 * limit (tickets.c asks while the key's row, KEY_LOOKUP, is at hand).
 */
void
open311_rate(struct web *w, char *key, size_t keylen, int *max)
{
	(void)snprintf(key, keylen, "open311:%s", web_val(w, 0, 0, "id"));
	*max = rate_max;
}

/* v in the format asked for, under root in XML. */
static int
send_reply(struct http_request *req, int status, const char *root, json_t *v)
{
	struct sbuf	b;

	if (!open311_xml(req))
		return (web_json(req, status, v));
	sbuf_init(&b);
	if (v == NULL || georeport_xml(&b, root, v) == -1) {
		kore_log(LOG_ERR, "open311: an XML reply could not be written");
		sbuf_reset(&b);
		(void)georeport_xml(&b, "errors", NULL);
		status = 500;
	}
	json_decref(v);
	http_response_header(req, "cache-control", "no-store");
	web_send(req, status, "text/xml; charset=utf-8", b.data, b.len);
	sbuf_free(&b);
	return (WEB_DONE);
}

/* No jurisdiction_id, or ours: this endpoint serves one. */
static int
jurisdiction_ok(struct web *w)
{
	const char	*v;
	size_t		 len;

	v = web_arg(w, "jurisdiction_id", &len);
	if (v == NULL || len == 0)
		return (1);
	return (jurisdiction[0] != '\0' && strlen(v) == len &&
	    strcmp(v, jurisdiction) == 0);
}

#define JURISDICTION_CHECK(req, w) do {					\
	if (!jurisdiction_ok(w))					\
		return (web_error((req), (w), 404,			\
		    "jurisdiction_id không đúng: điểm truy cập này chỉ "	\
		    "phục vụ một đơn vị (xem discovery)."));		\
} while (0)

int
open311_discovery_step(struct http_request *req, struct web *w)
{
	json_t	*formats;

	JURISDICTION_CHECK(req, w);
	formats = json_pack("[s,s]", "text/xml", "application/json");
	return (send_reply(req, 200, "discovery", json_pack(
	    "{s:s,s:s,s:s,s:[{s:s,s:s+,s:s,s:s,s:o}]}",
	    "changeset", OPEN311_CHANGESET,
	    "contact", "Tổng đài 1022, tổng đài Thông tin dịch vụ công "
	    "của tỉnh: gọi 1022.",
	    "key_service", "Khóa API do quản trị viên Tổng đài 1022 cấp "
	    "(trang quản trị, mục Open311).",
	    "endpoints",
	    "specification", "http://wiki.open311.org/GeoReport_v2",
	    "url", app.public_url, "/open311/v2",
	    "changeset", OPEN311_CHANGESET,
	    "type", "production",
	    "formats", formats)));
}

int
open311_services_step(struct http_request *req, struct web *w)
{
	json_t	*list;
	int	 i;

	JURISDICTION_CHECK(req, w);
	list = json_array();
	for (i = 0; i < refdata->nfields; i++)
		json_list_add(&list, service_json(&refdata->field[i]));
	return (send_reply(req, 200, "services", list));
}

/* A field as a service; its group, the agency that usually answers. */
static json_t *
service_json(const struct ref_field *f)
{
	const struct ref_agency	*a;

	a = f->agency_id ? refdata_agency_by_id(f->agency_id) : NULL;
	return (json_pack("{s:o,s:o,s:o,s:b,s:s,s:s,s:o}",
	    "service_code", json_text(f->code),
	    "service_name", json_text(f->name),
	    "description", json_text(f->name),
	    "metadata", 1, "type", "realtime", "keywords", "",
	    "group", json_text(a != NULL ? a->name : "")));
}

/* services/{code}.{fmt}: the service's definition, its attributes. */
int
open311_service_step(struct http_request *req, struct web *w)
{
	const struct ref_field	*f;
	char			 code[48];
	json_t			*list;
	size_t			 i;

	JURISDICTION_CHECK(req, w);
	if (web_path_arg(req, w, 1, code, sizeof(code)) == -1 ||
	    (f = refdata_field_by_code(code)) == NULL)
		return (web_error(req, w, 404, "service_code không tồn tại."));
	list = json_array();
	for (i = 0; i < NATTRIBUTES; i++) {
		json_list_add(&list, json_pack(
		    "{s:b,s:s,s:s,s:b,s:s,s:i,s:s}",
		    "variable", 1, "code", attributes[i].code,
		    "datatype", "string", "required", 0,
		    "datatype_description", attributes[i].description,
		    "order", (int)i + 1, "description", attributes[i].label));
	}
	return (send_reply(req, 200, "service_definition", json_pack(
	    "{s:o,s:o}", "service_code", json_text(f->code),
	    "attributes", list)));
}

/*
 * POST: the api_key first (KEY_LOOKUP looks it up, KEY_CHECKED has the
 * answer), then GeoReport's fields are mapped onto ours and the portal's
 * submission code takes over (tickets_submit_step), from its own first
 * step, SUBMIT_READ.  Its state (w->data) exists from then on.  GET lists
 * requests.
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
	const char	*key, *ct;
	char		 hash[65], boundary[80];
	size_t		 len;
	int		 missing, rc;

	/* Form-encoded or multipart, as established clients post. */
	if (w->body_kind != WEB_BODY_FORM && w->body_kind != WEB_BODY_MULTIPART)
		return (web_error(req, w, 415, "Content-Type phải là "
		    "application/x-www-form-urlencoded hoặc multipart/form-data."));
	JURISDICTION_CHECK(req, w);

	/* The body alone: a key in the query string does not count. */
	form_init(&body);
	if (w->body_kind == WEB_BODY_FORM)
		rc = form_parse_urlencoded(&body, (const char *)w->body,
		    w->body_len);
	else if (!http_request_header(req, "content-type", &ct))
		rc = FORM_E_SYNTAX;
	else if ((rc = form_boundary(ct, boundary, sizeof(boundary))) ==
	    FORM_OK)
		rc = form_parse_multipart(&body, boundary, w->body,
		    w->body_len);
	if (rc != FORM_OK) {
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
	 * not its own, though open311_rate() still reads it there. */
	w->step = SUBMIT_READ;
	return (create_submit(req, w));
}

/* Append up to max characters of v (len bytes), never half of one. */
static void
append_clipped(struct sbuf *b, const char *v, size_t len, size_t max)
{
	sbuf_append(b, v, georeport_clip(v, len, max));
}

/* A text argument: present, not empty, no NUL inside; else NULL. */
static const char *
text_arg(struct web *w, const char *name, size_t *len)
{
	const char	*v;

	v = web_arg(w, name, len);
	if (v == NULL || *len == 0 || strlen(v) != *len)
		return (NULL);
	return (v);
}

static int
create_submit(struct http_request *req, struct web *w)
{
	const struct ref_field	*f;
	const char		*svc, *desc, *first, *last, *addr, *lat, *lon;
	const char		*v;
	struct sbuf		 name, title, content;
	char			 arg[FORM_NAME_MAX];
	size_t			 len, flen, llen, alen, i;

	svc = web_arg(w, "service_code", NULL);
	if (svc == NULL || strlen(svc) >= 48 ||
	    (f = refdata_field_by_code(svc)) == NULL)
		return (web_error(req, w, 400, "service_code không hợp lệ."));
	desc = web_arg(w, "description", &len);
	if (desc == NULL || len == 0)
		return (web_error(req, w, 400, "Vui lòng nhập description."));
	if (len > TICKET_CONTENT_MAX_CHARS * 4 || strlen(desc) != len)
		return (web_error(req, w, 400, "description quá dài."));

	first = text_arg(w, "first_name", &flen);
	last = text_arg(w, "last_name", &llen);
	addr = text_arg(w, "address_string", &alen);
	lat = web_arg(w, "lat", NULL);
	lon = web_arg(w, "long", NULL);

	/* Cut by characters: a cut never leaves half a letter behind. */
	sbuf_init(&name);
	sbuf_init(&title);
	sbuf_init(&content);
	if (first != NULL)
		append_clipped(&name, first, flen, TICKET_NAME_MAX_CHARS);
	if (last != NULL) {
		if (name.len > 0)
			sbuf_lit(&name, " ");
		sbuf_append(&name, last, llen);
	}
	if (name.len == 0)
		sbuf_appendf(&name, "Người dân (Open311)");
	name.len = georeport_clip(name.data, name.len, TICKET_NAME_MAX_CHARS);
	name.data[name.len] = '\0';

	sbuf_appendf(&title, "%s", f->name);
	if (addr != NULL) {
		sbuf_lit(&title, " — ");
		append_clipped(&title, addr, alen, TICKET_TITLE_MAX_CHARS);
		title.len = georeport_clip(title.data, title.len,
		    TICKET_TITLE_MAX_CHARS);
		title.data[title.len] = '\0';
	}

	sbuf_append(&content, desc, len);
	if (addr != NULL) {
		sbuf_lit(&content, "\nĐịa chỉ: ");
		append_clipped(&content, addr, alen, ADDRESS_MAX_CHARS);
	}
	if (lat != NULL && lon != NULL && *lat != '\0' && *lon != '\0' &&
	    strlen(lat) < 24 && strlen(lon) < 24)
		sbuf_appendf(&content, "\nTọa độ: %s, %s", lat, lon);
	/* A photo the client keeps: its address, if it is a web one. */
	if ((v = text_arg(w, "media_url", &len)) != NULL) {
		if (!media_url_ok(v, len)) {
			sbuf_free(&name);
			sbuf_free(&title);
			sbuf_free(&content);
			return (web_error(req, w, 400, "media_url phải là địa chỉ "
			    "http:// hoặc https://, không quá 500 ký tự."));
		}
		sbuf_appendf(&content, "\nẢnh đính kèm: %s", v);
	}
	/* The service's attributes, attribute[code], under their names. */
	for (i = 0; i < NATTRIBUTES; i++) {
		(void)snprintf(arg, sizeof(arg), "attribute[%s]",
		    attributes[i].code);
		if ((v = text_arg(w, arg, &len)) == NULL)
			continue;
		sbuf_appendf(&content, "\n%s: ", attributes[i].label);
		append_clipped(&content, v, len, ATTRIBUTE_MAX_CHARS);
	}

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

/* http(s), printable ASCII without blanks, at most MEDIA_URL_MAX. */
static int
media_url_ok(const char *v, size_t len)
{
	size_t	i;

	if (len > MEDIA_URL_MAX || (strncmp(v, "https://", 8) != 0 &&
	    strncmp(v, "http://", 7) != 0))
		return (0);
	for (i = 0; i < len; i++)
		if ((unsigned char)v[i] <= 0x20 || (unsigned char)v[i] >= 0x7f)
			return (0);
	return (1);
}

/* The requests, a list or one: ask, then answer. */
enum { PUB_QUERY, PUB_REPLY };

/*
 * A comma-separated filter, each value checked (kind 0: request ids,
 * normalised; 1: service codes; 2: open/closed), into out: 0, or -1.
 */
static int
list_arg(struct web *w, const char *name, int kind, int max, struct sbuf *out)
{
	const char	*v, *p, *comma;
	char		 one[64], code[CODE_LEN + 1];
	size_t		 len, n;
	int		 count;

	v = web_arg(w, name, &len);
	if (v == NULL || len == 0)
		return (0);
	if (strlen(v) != len || len > (size_t)max * 64)
		return (-1);
	for (p = v, count = 0; *p != '\0'; p = comma + 1) {
		if ((comma = strchr(p, ',')) == NULL)
			comma = p + strlen(p);
		n = (size_t)(comma - p);
		if (n == 0 || n >= sizeof(one) || ++count > max)
			return (-1);
		memcpy(one, p, n);
		one[n] = '\0';
		if (out->len > 0)
			sbuf_lit(out, ",");
		if (kind == 0) {
			if (code_parse(one, code) != 0)
				return (-1);
			sbuf_appendf(out, "%s", code);
		} else if (kind == 1) {
			if (refdata_field_by_code(one) == NULL)
				return (-1);
			sbuf_appendf(out, "%s", one);
		} else {
			if (strcmp(one, "open") != 0 && strcmp(one, "closed") != 0)
				return (-1);
			sbuf_appendf(out, "%s", one);
		}
		if (*comma == '\0')
			break;
	}
	return (0);
}

/* page and page_size, checked, as LIMIT and OFFSET: 0, or -1 (sent). */
static int
page_args(struct http_request *req, struct web *w, char *limit, char *offset)
{
	const char	*v;
	long		 page, size;
	char		*end;

	page = 1;
	size = PAGE_SIZE_DEFAULT;
	if ((v = web_arg(w, "page", NULL)) != NULL && *v != '\0') {
		page = strtol(v, &end, 10);
		if (*end != '\0' || page < 1 || page > PAGE_MAX) {
			web_error(req, w, 400, "page phải là số từ 1.");
			return (-1);
		}
	}
	if ((v = web_arg(w, "page_size", NULL)) != NULL && *v != '\0') {
		size = strtol(v, &end, 10);
		if (*end != '\0' || size < 1 || size > PAGE_SIZE_MAX) {
			web_error(req, w, 400,
			    "page_size phải là số từ 1 đến 200.");
			return (-1);
		}
	}
	(void)snprintf(limit, 16, "%ld", size);
	(void)snprintf(offset, 16, "%ld", (page - 1) * size);
	return (0);
}

/* start_date and end_date: absent or ISO 8601; 1 if so. */
static int
dates_ok(struct web *w, const char **start, const char **end)
{
	*start = web_arg(w, "start_date", NULL);
	*end = web_arg(w, "end_date", NULL);
	if (*start != NULL && **start != '\0' && !georeport_date_ok(*start))
		return (0);
	if (*end != NULL && **end != '\0' && !georeport_date_ok(*end))
		return (0);
	return (1);
}

#define MSG_BAD_DATE	"start_date/end_date phải theo ISO 8601 " \
    "(ví dụ 2026-11-01T00:00:00Z hoặc 2026-11-01T07:00:00.000+07:00)."

static int
list_step(struct http_request *req, struct web *w)
{
	struct sbuf	 ids, svcs, stat;
	const char	*start, *end;
	char		 limit[16], offset[16];
	int		 rc;

	if (w->step != PUB_QUERY)
		return (list_reply(req, w, 0));
	JURISDICTION_CHECK(req, w);
	sbuf_init(&ids);
	sbuf_init(&svcs);
	sbuf_init(&stat);
	if (list_arg(w, "service_request_id", 0, IDS_MAX, &ids) == -1)
		rc = web_error(req, w, 400, "service_request_id không hợp lệ "
		    "(tối đa 50 mã, cách nhau bằng dấu phẩy).");
	else if (list_arg(w, "service_code", 1, SERVICES_MAX, &svcs) == -1)
		rc = web_error(req, w, 400, "service_code không hợp lệ.");
	else if (list_arg(w, "status", 2, 2, &stat) == -1)
		rc = web_error(req, w, 400,
		    "status chỉ nhận open, closed hoặc open,closed.");
	else if (!dates_ok(w, &start, &end))
		rc = web_error(req, w, 400, MSG_BAD_DATE);
	else if (page_args(req, w, limit, offset) == -1)
		rc = WEB_DONE;
	else {
		/* A date of the right shape may still not exist. */
		w->want_errors = 1;
		rc = web_query(req, w, SQL_LIST, 7, ids.data, svcs.data,
		    start ? start : "", end ? end : "", stat.data, limit,
		    offset);
	}
	sbuf_free(&ids);
	sbuf_free(&svcs);
	sbuf_free(&stat);
	return (rc);
}

/* The rows of SQL_LIST as the spec's service_requests; one: 404 if none. */
static int
list_reply(struct http_request *req, struct web *w, int one)
{
	json_t	*list;
	int	 i, n;

	if (strncmp(w->sqlstate, "22", 2) == 0)
		return (web_error(req, w, 400, MSG_BAD_DATE));
	if (w->sqlstate[0] != '\0')
		return (web_error(req, w, 500, "Lỗi hệ thống."));
	n = web_rows(w, PUB_QUERY);
	if (one && n != 1)
		return (web_error(req, w, 404, MSG_NOT_FOUND));
	list = json_array();
	for (i = 0; i < n; i++)
		json_list_add(&list, request_json(w, PUB_QUERY, i));
	return (send_reply(req, 200, "service_requests", list));
}

int
open311_show_step(struct http_request *req, struct web *w)
{
	char		 id[64], code[CODE_LEN + 1];

	if (w->step != PUB_QUERY)
		return (list_reply(req, w, 1));
	JURISDICTION_CHECK(req, w);
	if (web_path_arg(req, w, 1, id, sizeof(id)) == -1 ||
	    code_parse(id, code) != 0)
		return (web_error(req, w, 404, MSG_NOT_FOUND));
	w->want_errors = 1;
	return (web_query(req, w, SQL_LIST, 7, code, "", "", "", "", "1", "0"));
}

/*
 * One request: its public fields; its words only if public (SQL_LIST
 * leaves them NULL otherwise), masked.  Answered is GeoReport's "closed".
 */
static json_t *
request_json(struct web *w, int step, int row)
{
	return (json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
	    "service_request_id", web_json_val(w, step, row, "code"),
	    "status", web_json_val(w, step, row, "status"),
	    "status_notes", masked_json(web_val(w, step, row, "answer")),
	    "service_name", web_json_val(w, step, row, "service_name"),
	    "service_code", web_json_val(w, step, row, "service_code"),
	    "description", masked_json(web_val(w, step, row, "content")),
	    "agency_responsible", web_json_val(w, step, row, "agency"),
	    "requested_datetime", web_json_val(w, step, row, "requested"),
	    "updated_datetime", web_json_val(w, step, row, "updated"),
	    "expected_datetime", web_json_val(w, step, row, "expected")));
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

/* mySociety's servicerequestupdates.{fmt}: ask, then answer. */
int
open311_updates_step(struct http_request *req, struct web *w)
{
	const char	*start, *end;
	char		 limit[16], offset[16];
	json_t		*list;
	int		 i, n;

	if (w->step == PUB_QUERY) {
		JURISDICTION_CHECK(req, w);
		if (!dates_ok(w, &start, &end))
			return (web_error(req, w, 400, MSG_BAD_DATE));
		if (page_args(req, w, limit, offset) == -1)
			return (WEB_DONE);
		w->want_errors = 1;
		return (web_query(req, w, SQL_UPDATES, 4, start ? start : "",
		    end ? end : "", limit, offset));
	}
	if (strncmp(w->sqlstate, "22", 2) == 0)
		return (web_error(req, w, 400, MSG_BAD_DATE));
	if (w->sqlstate[0] != '\0')
		return (web_error(req, w, 500, "Lỗi hệ thống."));
	n = web_rows(w, PUB_QUERY);
	list = json_array();
	for (i = 0; i < n; i++) {
		json_list_add(&list, json_pack("{s:o,s:o,s:o,s:o,s:o,s:s}",
		    "update_id", web_json_val(w, PUB_QUERY, i, "id"),
		    "service_request_id", web_json_val(w, PUB_QUERY, i, "code"),
		    "status", web_json_val(w, PUB_QUERY, i, "status"),
		    "updated_datetime", web_json_val(w, PUB_QUERY, i, "at"),
		    "description", masked_json(web_val(w, PUB_QUERY, i, "note")),
		    "media_url", ""));
	}
	return (send_reply(req, 200, "service_request_updates", list));
}

/*
 * tokens/{token}.{fmt}: the spec's way to learn a request's id when
 * filing answered with a token only.  Filing here always answers with
 * the id itself (the ticket exists when the answer is sent), so the only
 * tokens there are are ids: a known one answers with itself, as the
 * spec's [{service_request_id, token}]; anything else is 404.
 */
int
open311_token_step(struct http_request *req, struct web *w)
{
	char	id[64], code[CODE_LEN + 1];

	if (w->step != PUB_QUERY) {
		if (w->sqlstate[0] != '\0')
			return (web_error(req, w, 500, "Lỗi hệ thống."));
		if (web_rows(w, PUB_QUERY) != 1)
			return (web_error(req, w, 404, "Không tìm thấy token."));
		return (send_reply(req, 200, "service_requests", json_pack(
		    "[{s:o,s:o}]", "service_request_id",
		    web_json_val(w, PUB_QUERY, 0, "code"), "token",
		    web_json_val(w, PUB_QUERY, 0, "code"))));
	}
	JURISDICTION_CHECK(req, w);
	if (web_path_arg(req, w, 1, id, sizeof(id)) == -1 ||
	    code_parse(id, code) != 0)
		return (web_error(req, w, 404, "Không tìm thấy token."));
	w->want_errors = 1;
	return (web_query(req, w, SQL_LIST, 7, code, "", "", "", "", "1", "0"));
}
