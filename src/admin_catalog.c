/*
 * admin_catalog: administrators edit the procedures catalog.
 * /quan-tri/thu-tuc lists (withdrawn ones too), /quan-tri/thu-tuc/{code}
 * edits one, /quan-tri/thu-tuc/{code}/lich-su shows its history.
 *
 * The form is checked by the importer's own rules (procedure_row_check(),
 * src/procedure.c), so a procedure typed by hand obeys the same limits as
 * one imported.  The previous text of every change is kept by the
 * database (procedures_keep_previous(), migrations/0062_catalog.sql),
 * with who changed it.
 */
#include "app.h"
#include "admin.h"
#include "procedure.h"
#include "valid.h"

/* The form's fields: the columns of procedure.c, as text. */
static const char *const catalog_form_fields[] = {
	"name", "field", "level", "receiving_agency", "deciding_agency",
	"steps", "dossier", "forms", "processing_time", "fees", "legal_basis",
	"applicants", "online_level", "submission", "result_delivery",
	"changed_on",
};

#define CATALOG_FORM_NFIELDS \
    (sizeof(catalog_form_fields) / sizeof(catalog_form_fields[0]))

static int	admin_catalog_form(struct http_request *, struct web *, int,
		    const char *, const char *);
static json_t	*admin_catalog_read(struct web *, const char *, char *,
		    size_t);

/* $1 words, $2 offset. */
static const char	SQL_ADMIN_CATALOG_LIST[] =
    "SELECT p.code, p.name, p.field, p.level, p.status, p.updated_via, "
    "to_char(p.updated_at, 'DD/MM/YYYY HH24:MI') AS updated, "
    "count(*) OVER () AS total "
    "FROM procedures_find($1, NULL, NULL, true) f "
    "JOIN procedures p ON p.id = f.id "
    "ORDER BY f.score DESC, p.name, p.code LIMIT 51 OFFSET $2::integer";

/* forms as the form shows them: one "name | url" a line. */
static const char	SQL_ADMIN_CATALOG_ONE[] =
    "SELECT code, name, field, level, receiving_agency, deciding_agency, "
    "steps, dossier, processing_time, fees, legal_basis, applicants, "
    "online_level, submission, result_delivery, postal, status, "
    "coalesce(to_char(changed_on, 'YYYY-MM-DD'), '') AS changed_on, "
    "coalesce((SELECT string_agg((e->>'name') || ' | ' || (e->>'url'), "
    "E'\\n') FROM jsonb_array_elements(forms) e), '') AS forms "
    "FROM procedures WHERE code = $1";

/* $1 the checked row (procedure_row_check), $2 who. */
static const char	SQL_ADMIN_CATALOG_SAVE[] =
    "UPDATE procedures p SET name = x.name, field = x.field, "
    "level = x.level, receiving_agency = x.receiving_agency, "
    "deciding_agency = x.deciding_agency, steps = x.steps, "
    "dossier = x.dossier, forms = x.forms, "
    "processing_time = x.processing_time, fees = x.fees, "
    "legal_basis = x.legal_basis, applicants = x.applicants, "
    "online_level = x.online_level, submission = x.submission, "
    "result_delivery = x.result_delivery, postal = x.postal, "
    "changed_on = x.changed_on, updated_by = $2::integer, "
    "updated_via = 'admin' "
    "FROM jsonb_to_record($1::jsonb) AS x (code text, name text, "
    "field text, level text, receiving_agency text, deciding_agency text, "
    "steps text, dossier text, forms jsonb, processing_time text, "
    "fees text, legal_basis text, applicants text, online_level smallint, "
    "submission text, result_delivery text, postal boolean, "
    "changed_on date) "
    "WHERE p.code = x.code RETURNING p.code";

static const char	SQL_ADMIN_CATALOG_HISTORY[] =
    "SELECT v.id, to_char(v.changed_at, 'DD/MM/YYYY HH24:MI:SS') AS changed, "
    "coalesce(u.full_name, '') AS who, v.changed_via, "
    "v.previous->>'name' AS name, v.previous->>'status' AS status, "
    "v.previous->>'fees' AS fees, "
    "v.previous->>'processing_time' AS processing_time, "
    "jsonb_pretty(v.previous - 'id' - 'updated_by' - 'updated_via' "
    "- 'in_source') AS previous "
    "FROM procedure_versions v JOIN procedures p ON p.id = v.procedure_id "
    "LEFT JOIN users u ON u.id = v.changed_by "
    "WHERE p.code = $1 ORDER BY v.id DESC LIMIT 200";

enum { LIST_FIND, LIST_SHOW };

int
admin_catalog_list_step(struct http_request *req, struct web *w)
{
	struct tval	*list;
	struct sbuf	 link;
	const char	*v;
	char		 q[401], err[160], off[16];
	int		 page, n, i;

	page = 1;
	if ((v = web_arg(w, "page", NULL)) != NULL && v[0] != '\0' &&
	    admin_int(w, "page", 1, WEB_PAGE_MAX, &page) == -1)
		return (web_error(req, w, 400, "Số trang không hợp lệ."));
	if (web_text(w, "q", 100, 0, 0, q, sizeof(q), "Từ khóa tìm kiếm",
	    err, sizeof(err)) == -1)
		return (web_error(req, w, 400, err));
	if (w->step == LIST_FIND) {
		(void)snprintf(off, sizeof(off), "%d",
		    (page - 1) * WEB_PAGE_SIZE);
		return (web_query(req, w, SQL_ADMIN_CATALOG_LIST, 2, q, off));
	}
	admin_nav(w, "catalog");
	n = web_rows(w, LIST_FIND);
	list = tval_set_list(w->view, "items");
	for (i = 0; i < n && i < WEB_PAGE_SIZE; i++)
		web_view_row(w, tval_list_add(list), LIST_FIND, i);
	tval_set(w->view, "total", n > 0 ? web_val(w, LIST_FIND, 0, "total") :
	    "0");
	tval_set(w->view, "q", q);
	tval_setf(w->view, "page", "%d", page);
	sbuf_init(&link);
	catalog_link_arg(&link, "q", q);
	web_pager(w, "/quan-tri/thu-tuc", link.data, page, n > WEB_PAGE_SIZE);
	sbuf_free(&link);
	return (web_render(req, w, 200, "admin_catalog", "Thủ tục hành chính"));
}

/* One procedure: load it (EDIT_LOAD), save the form (EDIT_SAVE). */
enum { EDIT_LOAD, EDIT_SAVE, EDIT_DONE };

int
admin_catalog_edit_step(struct http_request *req, struct web *w)
{
	json_t	*row;
	char	 code[PROCEDURE_CODE_MAX + 1], who[16], url[128];
	char	 err[PROCEDURE_REASON_MAX], *text;
	int	 rc;

	if (web_path_arg(req, w, 1, code, sizeof(code)) == -1 ||
	    !procedure_code_ok(code))
		return (web_error(req, w, 404, "Không tìm thấy thủ tục này."));

	switch (w->step) {
	case EDIT_LOAD:
		return (web_query(req, w, SQL_ADMIN_CATALOG_ONE, 1, code));
	case EDIT_SAVE:
		if (web_rows(w, EDIT_LOAD) != 1)
			return (web_error(req, w, 404,
			    "Không tìm thấy thủ tục này."));
		if (!web_is_post(req))
			return (admin_catalog_form(req, w, 200, NULL,
			    web_arg(w, "da-luu", NULL) != NULL ? "Đã lưu." :
			    NULL));
		if ((row = admin_catalog_read(w, code, err,
		    sizeof(err))) == NULL)
			return (admin_catalog_form(req, w, 400, err, NULL));
		text = json_dumps(row, JSON_COMPACT);
		json_decref(row);
		if (text == NULL)
			fatal("admin_catalog: out of memory");
		admin_actor(w, who, sizeof(who));
		rc = web_query(req, w, SQL_ADMIN_CATALOG_SAVE, 2, text, who);
		free(text);
		return (rc);
	case EDIT_DONE:
	default:
		if (web_rows(w, EDIT_SAVE) != 1)
			return (web_error(req, w, 409,
			    "Thủ tục vừa bị thay đổi, vui lòng tải lại."));
		(void)snprintf(url, sizeof(url),
		    "/quan-tri/thu-tuc/%s?da-luu=1", code);
		return (web_redirect(req, url));
	}
}

/* The form's fields as the importer's row, checked by its rules. */
static json_t *
admin_catalog_read(struct web *w, const char *code, char *err, size_t errlen)
{
	json_t		*in, *row;
	const char	*v;
	size_t		 i, len;

	in = json_object();
	json_object_set_new(in, "code", json_string(code));
	for (i = 0; i < CATALOG_FORM_NFIELDS; i++) {
		v = web_arg(w, catalog_form_fields[i], &len);
		if (v == NULL)
			continue;
		if (strlen(v) != len || !valid_utf8(v, len)) {
			json_decref(in);
			kore_strlcpy(err, "Nội dung không hợp lệ.", errlen);
			return (NULL);
		}
		json_object_set_new(in, catalog_form_fields[i],
		    json_stringn(v, len));
	}
	json_object_set_new(in, "postal",
	    json_boolean(admin_checked(w, "postal")));
	row = procedure_row_check(in, err, errlen);
	json_decref(in);
	return (row);
}

/* The form with the stored values, or what was typed when it failed. */
static int
admin_catalog_form(struct http_request *req, struct web *w, int status,
    const char *err, const char *notice)
{
	struct tval	*o, *list, *e;
	const char	*lv, *v;
	size_t		 i;
	int		 n, level;

	admin_nav(w, "catalog");
	o = tval_set_obj(w->view, "p");
	web_view_row(w, o, EDIT_LOAD, 0);
	if (err != NULL) {
		tval_set(w->view, "error", err);
		for (i = 0; i < CATALOG_FORM_NFIELDS; i++) {
			if ((v = web_arg(w, catalog_form_fields[i], NULL)) !=
			    NULL)
				tval_set(o, catalog_form_fields[i], v);
		}
		tval_set_bool(o, "postal", admin_checked(w, "postal"));
	}
	if (notice != NULL)
		tval_set(w->view, "notice", notice);
	tval_set_bool(o, "withdrawn", strcmp(web_val(w, EDIT_LOAD, 0,
	    "status"), "withdrawn") == 0);

	list = tval_set_list(w->view, "levels");
	for (i = 0; (lv = procedure_level_code(i)) != NULL; i++) {
		e = tval_list_add(list);
		tval_set(e, "code", lv);
		tval_set(e, "label", procedure_level_label(lv));
		tval_set_bool(e, "selected", strcmp(lv,
		    err != NULL && web_arg(w, "level", NULL) != NULL ?
		    web_arg(w, "level", NULL) :
		    web_val(w, EDIT_LOAD, 0, "level")) == 0);
	}
	level = atoi(err != NULL && web_arg(w, "online_level", NULL) != NULL ?
	    web_arg(w, "online_level", NULL) :
	    web_val(w, EDIT_LOAD, 0, "online_level"));
	list = tval_set_list(w->view, "online_levels");
	for (n = 0; n <= 4; n++) {
		e = tval_list_add(list);
		tval_setf(e, "value", "%d", n);
		tval_set_bool(e, "selected", n == level);
	}
	return (web_render(req, w, status, "admin_catalog_edit",
	    "Sửa thủ tục"));
}

/* /quan-tri/thu-tuc/{code}/lich-su: every earlier text, newest first. */
enum { HIST_LOAD, HIST_SHOW };

int
admin_catalog_history_step(struct http_request *req, struct web *w)
{
	struct tval	*list;
	char		 code[PROCEDURE_CODE_MAX + 1];
	int		 i;

	if (web_path_arg(req, w, 1, code, sizeof(code)) == -1 ||
	    !procedure_code_ok(code))
		return (web_error(req, w, 404, "Không tìm thấy thủ tục này."));
	if (w->step == HIST_LOAD)
		return (web_query(req, w, SQL_ADMIN_CATALOG_HISTORY, 1, code));
	admin_nav(w, "catalog");
	tval_set(w->view, "code", code);
	list = tval_set_list(w->view, "versions");
	for (i = 0; i < web_rows(w, HIST_LOAD); i++)
		web_view_row(w, tval_list_add(list), HIST_LOAD, i);
	tval_set_bool(w->view, "none", web_rows(w, HIST_LOAD) == 0);
	return (web_render(req, w, 200, "admin_catalog_history",
	    "Lịch sử thủ tục"));
}
