/*
 * catalog: the procedures catalog (thủ tục hành chính) on the portal and
 * as JSON.  /thu-tuc lists and searches, /thu-tuc/{code} is one procedure
 * (printable), /api/v1/procedures and /api/v1/procedures/{code} the same
 * for programs.
 *
 * The search itself is SQL, written once in migrations/0062_catalog.sql
 * (procedures_find(), catalog_search()): with or without diacritics,
 * forgiving typos, a name match above a match in the body.  Withdrawn
 * procedures are left out of lists and search but keep their page.
 */
#include "app.h"
#include "admin.h"
#include "procedure.h"

#define CATALOG_Q_MAX_CHARS	100
#define CATALOG_FIELD_MAX_CHARS	200

struct catalog_query {
	char	q[CATALOG_Q_MAX_CHARS * 4 + 1];
	char	field[CATALOG_FIELD_MAX_CHARS * 4 + 1];
	char	level[8];
	int	page;
};

static const char *const catalog_online_labels[] = {
	"Chưa cung cấp trực tuyến",
	"Mức độ 1: thông tin",
	"Mức độ 2: tải biểu mẫu",
	"Một phần (mức độ 3): nộp hồ sơ trực tuyến",
	"Toàn trình (mức độ 4): nộp hồ sơ, thanh toán, nhận kết quả trực tuyến",
};

static int	catalog_read_query(struct web *, struct catalog_query *,
		    char *, size_t);
static void	catalog_item_view(struct web *, int, int, int, struct tval *);
static json_t	*catalog_item_json(struct web *, int, int, int);
static json_t	*catalog_forms_json(const char *);
static void	catalog_levels_view(struct web *, const char *);

#define CATALOG_LIST_COLUMNS \
    "p.code, p.name, p.field, p.level, p.receiving_agency, p.online_level, " \
    "to_char(p.changed_on, 'DD/MM/YYYY') AS changed_on, " \
    "to_char(p.changed_on, 'YYYY-MM-DD') AS changed_date, p.status, " \
    "round(f.score::numeric, 3) AS score, count(*) OVER () AS total "

/* $1 words, $2 field, $3 level, $4 offset: a page and one more row. */
static const char	SQL_CATALOG_FIND[] =
    "SELECT " CATALOG_LIST_COLUMNS
    "FROM procedures_find($1, $2, $3, false) f "
    "JOIN procedures p ON p.id = f.id "
    "ORDER BY f.score DESC, p.name, p.code "
    "LIMIT 51 OFFSET $4::integer";

static const char	SQL_CATALOG_FIELDS[] =
    "SELECT field FROM procedures WHERE status = 'active' AND field <> '' "
    "GROUP BY field ORDER BY field";

static const char	SQL_CATALOG_ONE[] =
    "SELECT code, name, field, level, receiving_agency, deciding_agency, "
    "steps, dossier, forms::text AS forms, processing_time, fees, "
    "legal_basis, applicants, online_level, submission, result_delivery, "
    "postal, to_char(changed_on, 'DD/MM/YYYY') AS changed_on, "
    "to_char(changed_on, 'YYYY-MM-DD') AS changed_date, status, "
    "to_char(withdrawn_at, 'DD/MM/YYYY') AS withdrawn_on "
    "FROM procedures WHERE code = $1";

/* The list: find (CAT_FIND), the fields for the filter (CAT_FIELDS). */
enum { CAT_FIND, CAT_FIELDS, CAT_SHOW };

int
catalog_list_step(struct http_request *req, struct web *w)
{
	struct catalog_query	*cq = w->data;
	struct tval		*list, *o;
	struct sbuf		 link;
	json_t			*items;
	const char		*v;
	char			 err[160], off[16];
	int			 i, n;

	switch (w->step) {
	case CAT_FIND:
		cq = kore_calloc(1, sizeof(*cq));
		w->data = cq;
		w->data_free = kore_free;
		if (catalog_read_query(w, cq, err, sizeof(err)) == -1) {
			if (w->route->api)
				return (web_error(req, w, 400, err));
			tval_set(w->view, "error", err);
			return (web_render(req, w, 400, "catalog_list",
			    "Thủ tục hành chính"));
		}
		(void)snprintf(off, sizeof(off), "%d",
		    (cq->page - 1) * WEB_PAGE_SIZE);
		return (web_query(req, w, SQL_CATALOG_FIND, 4, cq->q,
		    cq->field, cq->level, off));
	case CAT_FIELDS:
		if (!w->route->api)
			return (web_query(req, w, SQL_CATALOG_FIELDS, 0));
		/* FALLTHROUGH */
	default:
		break;
	}

	n = web_rows(w, CAT_FIND);
	if (w->route->api) {
		items = json_array();
		for (i = 0; i < n && i < WEB_PAGE_SIZE; i++)
			json_list_add(&items,
			    catalog_item_json(w, CAT_FIND, i, 0));
		v = n > 0 ? web_val(w, CAT_FIND, 0, "total") : "0";
		return (web_json(req, 200, json_pack(
		    "{s:o,s:i,s:i,s:o,s:b,s:o}",
		    "q", json_text(cq->q), "page", cq->page,
		    "per_page", WEB_PAGE_SIZE, "total", json_number_text(v),
		    "has_next", n > WEB_PAGE_SIZE, "items", items)));
	}

	list = tval_set_list(w->view, "items");
	for (i = 0; i < n && i < WEB_PAGE_SIZE; i++)
		catalog_item_view(w, CAT_FIND, i, 0, tval_list_add(list));
	tval_set(w->view, "total", n > 0 ?
	    web_val(w, CAT_FIND, 0, "total") : "0");
	tval_set_bool(w->view, "none", n == 0);
	if (cq->q[0] != '\0')
		tval_set(w->view, "q", cq->q);

	list = tval_set_list(w->view, "fields");
	for (i = 0; i < web_rows(w, CAT_FIELDS); i++) {
		o = tval_list_add(list);
		v = web_val(w, CAT_FIELDS, i, "field");
		tval_set(o, "name", v);
		tval_set_bool(o, "selected", strcmp(v, cq->field) == 0);
	}
	catalog_levels_view(w, cq->level);

	/* The pager keeps the search and the filters. */
	sbuf_init(&link);
	catalog_link_arg(&link, "q", cq->q);
	catalog_link_arg(&link, "linh-vuc", cq->field);
	catalog_link_arg(&link, "cap", cq->level);
	tval_setf(w->view, "page", "%d", cq->page);
	web_pager(w, "/thu-tuc", link.data, cq->page, n > WEB_PAGE_SIZE);
	sbuf_free(&link);
	return (web_render(req, w, 200, "catalog_list", "Thủ tục hành chính"));
}

/* /thu-tuc/{code} and /api/v1/procedures/{code}. */
enum { ONE_LOAD, ONE_SHOW };

int
catalog_show_step(struct http_request *req, struct web *w)
{
	char	code[PROCEDURE_CODE_MAX + 1];

	if (w->step == ONE_LOAD) {
		if (web_path_arg(req, w, 1, code, sizeof(code)) == -1 ||
		    !procedure_code_ok(code))
			return (web_error(req, w, 404,
			    "Không tìm thấy thủ tục này."));
		return (web_query(req, w, SQL_CATALOG_ONE, 1, code));
	}
	if (web_rows(w, ONE_LOAD) != 1)
		return (web_error(req, w, 404, "Không tìm thấy thủ tục này."));
	if (w->route->api)
		return (web_json(req, 200, catalog_item_json(w, ONE_LOAD, 0,
		    1)));
	catalog_item_view(w, ONE_LOAD, 0, 1, tval_set_obj(w->view, "item"));
	return (web_render(req, w, 200, "catalog_show",
	    web_val(w, ONE_LOAD, 0, "name")));
}

/*
 * q: one-line text of at most CATALOG_Q_MAX_CHARS characters; linh-vuc:
 * a field's name; cap: tinh, huyen or xa; page: 1 to WEB_PAGE_MAX.
 */
static int
catalog_read_query(struct web *w, struct catalog_query *cq, char *err,
    size_t errlen)
{
	const char	*v;

	cq->page = 1;
	if ((v = web_arg(w, "page", NULL)) != NULL && v[0] != '\0' &&
	    admin_int(w, "page", 1, WEB_PAGE_MAX, &cq->page) == -1) {
		kore_strlcpy(err, "Số trang không hợp lệ.", errlen);
		return (-1);
	}
	if (web_text(w, "q", CATALOG_Q_MAX_CHARS, 0, 0, cq->q, sizeof(cq->q),
	    "Từ khóa tìm kiếm", err, errlen) == -1)
		return (-1);
	if (web_text(w, "linh-vuc", CATALOG_FIELD_MAX_CHARS, 0, 0, cq->field,
	    sizeof(cq->field), "Lĩnh vực", err, errlen) == -1)
		return (-1);
	if ((v = web_arg(w, "cap", NULL)) != NULL && v[0] != '\0') {
		if (procedure_level_label(v) == NULL) {
			kore_strlcpy(err, "Cấp thực hiện không hợp lệ.",
			    errlen);
			return (-1);
		}
		kore_strlcpy(cq->level, v, sizeof(cq->level));
	}
	return (0);
}

static void
catalog_levels_view(struct web *w, const char *chosen)
{
	struct tval	*list, *o;
	const char	*code;
	size_t		 i;

	list = tval_set_list(w->view, "levels");
	for (i = 0; (code = procedure_level_code(i)) != NULL; i++) {
		o = tval_list_add(list);
		tval_set(o, "code", code);
		tval_set(o, "label", procedure_level_label(code));
		tval_set_bool(o, "selected", strcmp(code, chosen) == 0);
	}
}

static const char *
catalog_online_label(const char *v)
{
	int	n;

	n = v != NULL ? atoi(v) : 0;
	if (n < 0 || n > 4)
		n = 0;
	return (catalog_online_labels[n]);
}

/*
 * A pager's query string: name=value& when value is not empty (the
 * catalog's, the articles' and the administrators' lists).
 */
void
catalog_link_arg(struct sbuf *link, const char *name, const char *value)
{
	if (value[0] == '\0')
		return;
	sbuf_append(link, name, strlen(name));
	sbuf_lit(link, "=");
	sbuf_append_url(link, value, SBUF_URL_QUERY);
	sbuf_lit(link, "&");
}

/* A procedure for a template; full: one procedure's page, with its forms. */
static void
catalog_item_view(struct web *w, int k, int row, int full, struct tval *o)
{
	struct tval	*list, *f;
	json_t		*forms, *e;
	const char	*v;
	size_t		 i;

	web_view_row(w, o, k, row);
	v = web_val(w, k, row, "level");
	tval_set(o, "level_label", v != NULL && procedure_level_label(v) ?
	    procedure_level_label(v) : "");
	tval_set(o, "online_label",
	    catalog_online_label(web_val(w, k, row, "online_level")));
	v = web_val(w, k, row, "status");
	tval_set_bool(o, "withdrawn", v != NULL && strcmp(v, "withdrawn") == 0);

	if (!full || (v = web_val(w, k, row, "forms")) == NULL)
		return;
	forms = catalog_forms_json(v);
	list = tval_set_list(o, "form_list");
	json_array_foreach(forms, i, e) {
		f = tval_list_add(list);
		tval_set(f, "name", json_string_value(json_object_get(e,
		    "name")));
		tval_set(f, "url", json_string_value(json_object_get(e, "url")));
	}
	tval_set_bool(o, "has_forms", json_array_size(forms) > 0);
	json_decref(forms);
}

/* The forms as stored, only entries with a name and an http(s) link. */
static json_t *
catalog_forms_json(const char *text)
{
	json_t		*in, *out, *e, *name, *url;
	const char	*u;
	size_t		 i;

	out = json_array();
	if ((in = json_loads(text, 0, NULL)) == NULL)
		return (out);
	json_array_foreach(in, i, e) {
		name = json_object_get(e, "name");
		url = json_object_get(e, "url");
		if (!json_is_string(name) || !json_is_string(url))
			continue;
		u = json_string_value(url);
		if (strncmp(u, "https://", 8) != 0 &&
		    strncmp(u, "http://", 7) != 0)
			continue;
		json_array_append_new(out, json_pack("{s:O,s:O}",
		    "name", name, "url", url));
	}
	json_decref(in);
	return (out);
}

static json_t *
catalog_item_json(struct web *w, int k, int row, int full)
{
	static const char *const text_cols[] = {
		"deciding_agency", "steps", "dossier", "processing_time",
		"fees", "legal_basis", "applicants", "submission",
		"result_delivery",
	};
	json_t		*o;
	const char	*v;
	char		 url[80];
	size_t		 i;

	v = web_val(w, k, row, "code");
	(void)snprintf(url, sizeof(url), "/thu-tuc/%s", v);
	o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s}",
	    "code", json_text(v),
	    "name", web_json_val(w, k, row, "name"),
	    "field", web_json_val(w, k, row, "field"),
	    "level", web_json_val(w, k, row, "level"),
	    "receiving_agency", web_json_val(w, k, row, "receiving_agency"),
	    "online_level", json_number_text(web_val(w, k, row,
		"online_level")),
	    "changed_on", web_json_val(w, k, row, "changed_date"),
	    "status", web_json_val(w, k, row, "status"),
	    "url", url);
	if (!full) {
		json_object_set_new(o, "score",
		    json_number_text(web_val(w, k, row, "score")));
		return (o);
	}
	for (i = 0; i < sizeof(text_cols) / sizeof(text_cols[0]); i++)
		json_object_set_new(o, text_cols[i],
		    web_json_val(w, k, row, text_cols[i]));
	json_object_set_new(o, "postal",
	    json_boolean(web_bool(w, k, row, "postal")));
	json_object_set_new(o, "forms",
	    catalog_forms_json(web_val(w, k, row, "forms")));
	return (o);
}
