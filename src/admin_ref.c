/*
 * admin_ref: agencies and fields (lĩnh vực), as the administrator lists,
 * creates and edits them.  Tickets refer to both, so neither is ever
 * deleted: it is made inactive and leaves the forms.  A code is chosen
 * once, at creation; it names the row in links and imports.
 *
 * After a change this worker reloads its reference-data cache at once;
 * the other workers do within a minute (refdata.c).
 */
#include <ctype.h>

#include "app.h"
#include "ticket.h"
#include "admin.h"
#include "refdata.h"
#include "valid.h"

#define REF_NAME_MAX		200
#define AGENCY_PHONE_MAX	32
#define EMAIL_MAX		254
#define DEADLINE_MIN		1
#define SORT_MAX		100000

#define MSG_AGENCY_NOT_FOUND	"Không tìm thấy cơ quan."
#define MSG_FIELD_NOT_FOUND	"Không tìm thấy lĩnh vực."
#define MSG_FIELD_AGENCY	"Vui lòng chọn cơ quan xử lý hợp lệ (đang hoạt động)."

struct ref_page {
	char	id[16];
	char	code[48];
	char	name[REF_NAME_MAX * 4 + 1];
	char	kind[8];
	char	phone[AGENCY_PHONE_MAX + 1];
	char	email[EMAIL_MAX + 1];
	char	agency[16];		/* a field's default agency, or "" */
	char	days[8];
	char	sort[16];
	int	active;
	char	actor[16];
	char	err[300];
};

static int	agency_read(struct web *, struct ref_page *, int);
static int	agency_form(struct http_request *, struct web *, int,
		    const char *);
static int	field_read(struct web *, struct ref_page *, int);
static int	field_form(struct http_request *, struct web *, int,
		    const char *);
static void	view_kinds(struct tval *, const char *);
static const char *kind_vi(const char *);
static struct ref_page *ref_page_new(struct web *);

/*
 * What differs between the agencies' pages and the fields': the same
 * create and edit steps (ref_create_step, ref_edit_step) serve both.
 * Both statements take the id (edit) or the code (create), the name, the
 * three columns cols() gives, whether it is active, and the actor.
 */
struct ref_kind {
	const char	*sql_get;
	const char	*sql_create;	/* id, or NULL (and "taken") */
	const char	*sql_update;	/* one row, or none */
	const char	*url;		/* the edit page, before the id */
	const char	*not_found;
	const char	*taken;		/* "…\"%s\" đã có…", the code */
	const char	*refused;	/* NULL: the database refuses nothing else */
	int		(*read)(struct web *, struct ref_page *, int);
	int		(*form)(struct http_request *, struct web *, int,
			    const char *);
	void		(*cols)(const struct ref_page *, const char *[3]);
};

static int	ref_create_step(struct http_request *, struct web *,
		    const struct ref_kind *);
static int	ref_edit_step(struct http_request *, struct web *,
		    const struct ref_kind *);
static void	agency_cols(const struct ref_page *, const char *[3]);
static void	field_cols(const struct ref_page *, const char *[3]);

/*
 * The steps of the pages, the same for agencies and fields; a result is
 * read by the name of the step that asked for it.
 */
enum { LIST_QUERY, LIST_SHOW };			/* the list */
enum { CREATE_STORE, CREATE_DONE };		/* a new one */
enum { EDIT_LOAD, EDIT_SAVE, EDIT_DONE };	/* one, shown and saved */

static const struct {
	const char	*key;
	const char	*vi;
} kinds[] = {
	{ "so",		"Sở" },
	{ "ban",	"Ban" },
	{ "nganh",	"Ngành" },
	{ "huyen",	"UBND cấp huyện" },
	{ "xa",		"UBND cấp xã" },
	{ "khac",	"Khác" },
};

/* ---- Agencies. ---------------------------------------------------------- */

static const char	SQL_AGENCIES[] =
    "SELECT a.id, a.code, a.name, a.kind, a.phone, a.email, a.active, "
    "(SELECT count(*) FROM users u WHERE u.agency_id = a.id AND u.active) "
    "AS users FROM agencies a ORDER BY a.active DESC, a.id";

static const char	SQL_AGENCY_GET[] =
    "SELECT id, code, name, kind, phone, email, active FROM agencies "
    "WHERE id = $1::integer";

/* One row back: the new id, or NULL when the code is taken. */
static const char	SQL_AGENCY_CREATE[] =
    "WITH a AS (INSERT INTO agencies (code, name, kind, phone, email, active) "
    "VALUES ($1, $2, $3, NULLIF($4, ''), NULLIF($5, ''), $6::boolean) "
    "ON CONFLICT (code) DO NOTHING RETURNING *), "
    "e AS (" ADMIN_EVENT_COLS
    "SELECT $7::integer, $8, 'agency_create', 'agency', id::text, name, "
    "to_jsonb(a) FROM a RETURNING target_id) "
    "SELECT (SELECT target_id FROM e) AS id";

static const char	SQL_AGENCY_UPDATE[] =
    "WITH old AS (SELECT * FROM agencies WHERE id = $1::integer FOR UPDATE), "
    "a AS (UPDATE agencies SET name = $2, kind = $3, phone = NULLIF($4, ''), "
    "email = NULLIF($5, ''), active = $6::boolean FROM old "
    "WHERE agencies.id = old.id "
    "RETURNING agencies.id, agencies.name, to_jsonb(old) AS o, "
    "to_jsonb(agencies) AS n) "
    ADMIN_EVENT_COLS
    "SELECT $7::integer, $8, 'agency_update', 'agency', id::text, name, "
    "jsonb_build_object('from', o, 'to', n) FROM a RETURNING target_id AS id";

int
admin_ref_agencies_step(struct http_request *req, struct web *w)
{
	struct tval	*list, *o;
	int		 i, n;

	if (w->step == LIST_QUERY)
		return (web_query(req, w, SQL_AGENCIES, 0));
	admin_nav(w, "agencies");
	n = web_rows(w, LIST_QUERY);
	list = tval_set_list(w->view, "agencies");
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, LIST_QUERY, i);
		tval_set(o, "kind_text", kind_vi(web_val(w, LIST_QUERY, i, "kind")));
	}
	return (web_render(req, w, 200, "admin_agencies", "Cơ quan"));
}

static const struct ref_kind	agency_kind = {
	SQL_AGENCY_GET, SQL_AGENCY_CREATE, SQL_AGENCY_UPDATE,
	"/quan-tri/co-quan/", MSG_AGENCY_NOT_FOUND,
	"Mã cơ quan \"%s\" đã có. Vui lòng chọn mã khác.", NULL,
	agency_read, agency_form, agency_cols
};

int
admin_ref_agency_new_step(struct http_request *req, struct web *w)
{
	return (ref_create_step(req, w, &agency_kind));
}

int
admin_ref_agency_edit_step(struct http_request *req, struct web *w)
{
	return (ref_edit_step(req, w, &agency_kind));
}

static void
agency_cols(const struct ref_page *p, const char *v[3])
{
	v[0] = p->kind;
	v[1] = p->phone;
	v[2] = p->email;
}

/*
 * The phone is the number urgent calls are forwarded to: people type it
 * with spaces, dots or dashes; what is kept is digits and a leading +.
 */
static int
agency_read(struct web *w, struct ref_page *p, int is_new)
{
	const char	*v;
	size_t		 len, i, n;

	if (is_new) {
		v = web_arg(w, "code", &len);
		if (v == NULL || len < 2 || len > 32 || strlen(v) != len) {
			kore_strlcpy(p->err, "Mã cơ quan gồm 2 đến 32 ký tự: chữ "
			    "không dấu, chữ số hoặc gạch ngang (ví dụ SYT).",
			    sizeof(p->err));
			return (-1);
		}
		for (i = 0; i < len; i++)
			p->code[i] = toupper((unsigned char)v[i]);
		p->code[len] = '\0';
		if (strspn(p->code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") !=
		    len) {
			kore_strlcpy(p->err, "Mã cơ quan gồm 2 đến 32 ký tự: chữ "
			    "không dấu, chữ số hoặc gạch ngang (ví dụ SYT).",
			    sizeof(p->err));
			return (-1);
		}
	}
	if (admin_text(w, "name", REF_NAME_MAX, 1, p->name, sizeof(p->name),
	    "Tên cơ quan", p->err, sizeof(p->err)) == -1)
		return (-1);
	if (valid_utf8_chars(p->name, strlen(p->name)) < 2) {
		kore_strlcpy(p->err, "Tên cơ quan cần ít nhất 2 ký tự.",
		    sizeof(p->err));
		return (-1);
	}
	v = web_arg(w, "kind", &len);
	if (v == NULL || len == 0 || len >= sizeof(p->kind) ||
	    strcmp(kind_vi(v), v) == 0) {
		kore_strlcpy(p->err, "Vui lòng chọn loại cơ quan hợp lệ.",
		    sizeof(p->err));
		return (-1);
	}
	memcpy(p->kind, v, len + 1);

	v = web_arg(w, "phone", &len);
	if (v != NULL && len > 0) {
		n = 0;
		for (i = 0; i < len && i < 64; i++) {
			if (v[i] == ' ' || v[i] == '.' || v[i] == '-')
				continue;
			if (n >= AGENCY_PHONE_MAX ||
			    !((v[i] >= '0' && v[i] <= '9') ||
			    (v[i] == '+' && n == 0)))
				break;
			p->phone[n++] = v[i];
		}
		p->phone[n] = '\0';
		if (i != len || n - (p->phone[0] == '+') < 2) {
			kore_strlcpy(p->err, "Số điện thoại chuyển cuộc gọi chỉ "
			    "gồm chữ số, có thể có dấu + ở đầu, tối đa 32 ký tự "
			    "(ví dụ 02773851234 hoặc +842773851234).",
			    sizeof(p->err));
			return (-1);
		}
	}
	v = web_arg(w, "email", &len);
	if (v != NULL && len > 0) {
		if (len > EMAIL_MAX || strlen(v) != len || !valid_email(v, len)) {
			kore_strlcpy(p->err, valid_error_vi(VALID_EEMAIL),
			    sizeof(p->err));
			return (-1);
		}
		memcpy(p->email, v, len + 1);
	}
	p->active = admin_checked(w, "active");
	return (0);
}

static int
agency_form(struct http_request *req, struct web *w, int status,
    const char *error)
{
	static const char *const keep[] = {
		"code", "name", "phone", "email", NULL
	};
	struct tval	*f;
	const char	*kind, *ok;
	int		 is_new;

	admin_nav(w, "agencies");
	/* On the new-agency page, a result (if any) is CREATE_STORE's. */
	is_new = w->route->id == ROUTE_ADMIN_AGENCY_NEW;
	f = tval_set_obj(w->view, "f");
	tval_set_bool(w->view, "is_new", is_new);
	kind = "so";
	tval_set_bool(f, "active", 1);
	if (!is_new) {
		web_view_row(w, f, EDIT_LOAD, 0);
		kind = web_val(w, EDIT_LOAD, 0, "kind");
	}
	if (web_is_post(req)) {
		admin_keep(w, f, keep);
		kind = web_arg(w, "kind", NULL);
		tval_set_bool(f, "active", admin_checked(w, "active"));
	}
	view_kinds(w->view, kind);
	ok = web_arg(w, "ok", NULL);
	if (ok != NULL && (strcmp(ok, "luu") == 0 || strcmp(ok, "tao") == 0))
		tval_set(w->view, "notice", "Đã lưu.");
	if (error != NULL)
		tval_set(w->view, "error", error);
	return (web_render(req, w, status, "admin_agency_edit",
	    is_new ? "Thêm cơ quan" : "Sửa cơ quan"));
}

static void
view_kinds(struct tval *view, const char *selected)
{
	struct tval	*list, *o;
	size_t		 i;

	list = tval_set_list(view, "kinds");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		o = tval_list_add(list);
		tval_set(o, "key", kinds[i].key);
		tval_set(o, "text", kinds[i].vi);
		tval_set_bool(o, "selected", selected != NULL &&
		    strcmp(selected, kinds[i].key) == 0);
	}
}

static const char *
kind_vi(const char *key)
{
	size_t	i;

	for (i = 0; key != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(kinds[i].key, key) == 0)
			return (kinds[i].vi);
	}
	return (key != NULL ? key : "");
}

/* ---- Fields. ------------------------------------------------------------ */

static const char	SQL_FIELDS[] =
    "SELECT f.id, f.code, f.name, f.deadline_days, f.sort, f.active, "
    "a.name AS agency FROM fields f "
    "LEFT JOIN agencies a ON a.id = f.default_agency_id "
    "ORDER BY f.active DESC, f.sort, f.name";

static const char	SQL_FIELD_GET[] =
    "SELECT f.id, f.code, f.name, "
    "coalesce(f.default_agency_id, 0) AS agency_id, f.deadline_days, f.sort, "
    "f.active, a.name AS agency, (a.id IS NOT NULL AND NOT a.active) "
    "AS agency_closed FROM fields f "
    "LEFT JOIN agencies a ON a.id = f.default_agency_id "
    "WHERE f.id = $1::integer";

/* One row back: the new id, or NULL and whether the code was taken. */
static const char	SQL_FIELD_CREATE[] =
    "WITH f AS (INSERT INTO fields (code, name, default_agency_id, "
    "deadline_days, sort, active) SELECT $1, $2, NULLIF($3, '')::integer, "
    "$4::integer, $5::integer, $6::boolean "
    "WHERE $3 = '' OR EXISTS (SELECT 1 FROM agencies "
    "WHERE id = NULLIF($3, '')::integer AND active) "
    "ON CONFLICT (code) DO NOTHING RETURNING *), "
    "e AS (" ADMIN_EVENT_COLS
    "SELECT $7::integer, $8, 'field_create', 'field', id::text, name, "
    "to_jsonb(f) FROM f RETURNING target_id) "
    "SELECT (SELECT target_id FROM e) AS id, "
    "EXISTS (SELECT 1 FROM fields WHERE code = $1) AS taken";

static const char	SQL_FIELD_UPDATE[] =
    "WITH old AS (SELECT * FROM fields WHERE id = $1::integer FOR UPDATE), "
    "f AS (UPDATE fields SET name = $2, default_agency_id = NULLIF($3, '')::integer, "
    "deadline_days = $4::integer, sort = $5::integer, active = $6::boolean "
    "FROM old WHERE fields.id = old.id "
    "AND ($3 = '' OR EXISTS (SELECT 1 FROM agencies a "
    "WHERE a.id = NULLIF($3, '')::integer "
    "AND (a.active OR a.id = old.default_agency_id))) "
    "RETURNING fields.id, fields.name, to_jsonb(old) AS o, "
    "to_jsonb(fields) AS n) "
    ADMIN_EVENT_COLS
    "SELECT $7::integer, $8, 'field_update', 'field', id::text, name, "
    "jsonb_build_object('from', o, 'to', n) FROM f RETURNING target_id AS id";

int
admin_ref_fields_step(struct http_request *req, struct web *w)
{
	struct tval	*list, *o;
	int		 i, n;

	if (w->step == LIST_QUERY)
		return (web_query(req, w, SQL_FIELDS, 0));
	admin_nav(w, "fields");
	n = web_rows(w, LIST_QUERY);
	list = tval_set_list(w->view, "field_rows");
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, LIST_QUERY, i);
	}
	return (web_render(req, w, 200, "admin_fields", "Lĩnh vực"));
}

static const struct ref_kind	field_kind = {
	SQL_FIELD_GET, SQL_FIELD_CREATE, SQL_FIELD_UPDATE,
	"/quan-tri/linh-vuc/", MSG_FIELD_NOT_FOUND,
	"Mã lĩnh vực \"%s\" đã có. Vui lòng chọn mã khác.", MSG_FIELD_AGENCY,
	field_read, field_form, field_cols
};

int
admin_ref_field_new_step(struct http_request *req, struct web *w)
{
	return (ref_create_step(req, w, &field_kind));
}

int
admin_ref_field_edit_step(struct http_request *req, struct web *w)
{
	return (ref_edit_step(req, w, &field_kind));
}

static void
field_cols(const struct ref_page *p, const char *v[3])
{
	v[0] = p->agency;
	v[1] = p->days;
	v[2] = p->sort;
}

/*
 * A field's default agency is an active one, or the one it already has:
 * the SQL checks that against the database, not this worker's cache.
 */
static int
field_read(struct web *w, struct ref_page *p, int is_new)
{
	const char	*v;
	size_t		 len;
	int		 n;

	if (is_new) {
		v = web_arg(w, "code", &len);
		if (v == NULL || len < 2 || len > 40 || strlen(v) != len ||
		    strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789-") != len) {
			kore_strlcpy(p->err, "Mã lĩnh vực gồm 2 đến 40 ký tự: chữ "
			    "thường không dấu, chữ số hoặc gạch ngang (ví dụ "
			    "dat-dai).", sizeof(p->err));
			return (-1);
		}
		memcpy(p->code, v, len + 1);
	}
	if (admin_text(w, "name", REF_NAME_MAX, 1, p->name, sizeof(p->name),
	    "Tên lĩnh vực", p->err, sizeof(p->err)) == -1)
		return (-1);
	if (valid_utf8_chars(p->name, strlen(p->name)) < 2) {
		kore_strlcpy(p->err, "Tên lĩnh vực cần ít nhất 2 ký tự.",
		    sizeof(p->err));
		return (-1);
	}
	v = web_arg(w, "agency", &len);
	if (v != NULL && len > 0) {
		if (admin_int(w, "agency", 1, 999999999, &n) == -1) {
			kore_strlcpy(p->err, MSG_FIELD_AGENCY, sizeof(p->err));
			return (-1);
		}
		(void)snprintf(p->agency, sizeof(p->agency), "%d", n);
	}
	if (admin_int(w, "deadline_days", DEADLINE_MIN, TICKET_MAX_DEADLINE_DAYS, &n) == -1) {
		(void)snprintf(p->err, sizeof(p->err), "Thời hạn xử lý phải là "
		    "số ngày làm việc từ %d đến %d.", DEADLINE_MIN, TICKET_MAX_DEADLINE_DAYS);
		return (-1);
	}
	(void)snprintf(p->days, sizeof(p->days), "%d", n);
	n = 100;
	v = web_arg(w, "sort", &len);
	if (v != NULL && len > 0 && admin_int(w, "sort", 0, SORT_MAX, &n) == -1) {
		(void)snprintf(p->err, sizeof(p->err),
		    "Thứ tự hiển thị là số từ 0 đến %d.", SORT_MAX);
		return (-1);
	}
	(void)snprintf(p->sort, sizeof(p->sort), "%d", n);
	p->active = admin_checked(w, "active");
	return (0);
}

static int
field_form(struct http_request *req, struct web *w, int status,
    const char *error)
{
	static const char *const keep[] = {
		"code", "name", "deadline_days", "sort", NULL
	};
	struct tval	*f;
	const char	*v, *ok;
	int		 is_new, agency;

	admin_nav(w, "fields");
	is_new = w->route->id == ROUTE_ADMIN_FIELD_NEW;
	f = tval_set_obj(w->view, "f");
	tval_set_bool(w->view, "is_new", is_new);
	tval_set_bool(f, "active", 1);
	tval_set(f, "deadline_days", "5");
	tval_set(f, "sort", "100");
	agency = 0;
	if (!is_new) {
		web_view_row(w, f, EDIT_LOAD, 0);
		agency = atoi(web_val(w, EDIT_LOAD, 0, "agency_id"));
	}
	if (web_is_post(req)) {
		admin_keep(w, f, keep);
		v = web_arg(w, "agency", NULL);
		agency = v != NULL && strlen(v) < 10 ? atoi(v) : 0;
		tval_set_bool(f, "active", admin_checked(w, "active"));
	}
	refdata_view_agencies(w->view, agency);
	tval_setf(w->view, "days_min", "%d", DEADLINE_MIN);
	tval_setf(w->view, "days_max", "%d", TICKET_MAX_DEADLINE_DAYS);
	ok = web_arg(w, "ok", NULL);
	if (ok != NULL && (strcmp(ok, "luu") == 0 || strcmp(ok, "tao") == 0))
		tval_set(w->view, "notice", "Đã lưu.");
	if (error != NULL)
		tval_set(w->view, "error", error);
	return (web_render(req, w, status, "admin_field_edit",
	    is_new ? "Thêm lĩnh vực" : "Sửa lĩnh vực"));
}

/* ---- What agencies and fields share. ----------------------------------- */

static int
ref_create_step(struct http_request *req, struct web *w,
    const struct ref_kind *k)
{
	struct ref_page	*p = w->data;
	const char	*v[3], *id;
	char		 url[64];

	switch (w->step) {
	case CREATE_STORE:
		if (!web_is_post(req))
			return (k->form(req, w, 200, NULL));
		p = ref_page_new(w);
		if (k->read(w, p, 1) == -1)
			return (k->form(req, w, 400, p->err));
		k->cols(p, v);
		return (web_query(req, w, k->sql_create, 8, p->code, p->name,
		    v[0], v[1], v[2], p->active ? "true" : "false", p->actor,
		    w->user.full_name));
	default:	/* CREATE_DONE */
		if ((id = web_val(w, CREATE_STORE, 0, "id")) == NULL) {
			if (k->refused != NULL &&
			    !web_bool(w, CREATE_STORE, 0, "taken"))
				return (k->form(req, w, 400, k->refused));
			(void)snprintf(p->err, sizeof(p->err), k->taken, p->code);
			return (k->form(req, w, 409, p->err));
		}
		refdata_reload();
		(void)snprintf(url, sizeof(url), "%s%s?ok=tao", k->url, id);
		return (web_redirect(req, url));
	}
}

static int
ref_edit_step(struct http_request *req, struct web *w,
    const struct ref_kind *k)
{
	struct ref_page	*p = w->data;
	const char	*v[3];
	char		 url[64];

	switch (w->step) {
	case EDIT_LOAD:
		p = ref_page_new(w);
		if (web_path_id(req, w, 1, p->id, sizeof(p->id)) == -1)
			return (web_error(req, w, 404, k->not_found));
		return (web_query(req, w, k->sql_get, 1, p->id));
	case EDIT_SAVE:
		if (web_rows(w, EDIT_LOAD) != 1)
			return (web_error(req, w, 404, k->not_found));
		if (!web_is_post(req))
			return (k->form(req, w, 200, NULL));
		if (k->read(w, p, 0) == -1)
			return (k->form(req, w, 400, p->err));
		k->cols(p, v);
		return (web_query(req, w, k->sql_update, 8, p->id, p->name,
		    v[0], v[1], v[2], p->active ? "true" : "false", p->actor,
		    w->user.full_name));
	default:	/* EDIT_DONE */
		/* No row: gone meanwhile, or (fields) refused by the database. */
		if (web_rows(w, EDIT_SAVE) != 1 && k->refused != NULL)
			return (k->form(req, w, 400, k->refused));
		if (web_rows(w, EDIT_SAVE) != 1)
			return (web_error(req, w, 404, k->not_found));
		refdata_reload();
		(void)snprintf(url, sizeof(url), "%s%s?ok=luu", k->url, p->id);
		return (web_redirect(req, url));
	}
}

static struct ref_page *
ref_page_new(struct web *w)
{
	struct ref_page	*p;

	p = kore_calloc(1, sizeof(*p));
	admin_actor(w, p->actor, sizeof(p->actor));
	w->data = p;
	w->data_free = kore_free;
	return (p);
}
