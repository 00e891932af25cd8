/*
 * admin_levels: the ticket levels (cấp độ) as the administrator lists,
 * creates, edits and removes them (/quan-tri/cap-do).  Each says what a
 * ticket of that level implies: who handles it, its deadline in working
 * days, whether the center must forward it rather than answer it, and
 * whether supervisors are alerted (migrations/0065_levels.sql).
 *
 * A level that tickets use is never removed (the foreign key refuses, and
 * the page says so): it is made inactive and leaves the forms.  After a
 * change every worker reloads its cache (refdata.c), so the next ticket
 * already counts its due date from the new deadline.
 */
#include "app.h"
#include "admin.h"
#include "refdata.h"
#include "ticket.h"
#include "valid.h"

#define LEVEL_NAME_MAX		100
#define LEVEL_DESC_MAX		1000
#define LEVEL_ID_MAX		99

#define MSG_LEVEL_NOT_FOUND	"Không tìm thấy cấp độ."

struct level_page {
	char	id[8];
	char	name[LEVEL_NAME_MAX * 4 + 1];
	char	desc[LEVEL_DESC_MAX * 4 + 1];
	char	days[8];
	int	agency;
	int	must_forward;
	int	alert;
	int	active;
	char	actor[16];
	char	err[300];
};

static int	level_read(struct web *, struct level_page *, int);
static int	level_form(struct http_request *, struct web *, int,
		    const char *);
static struct level_page *level_page_new(struct web *);

enum { LIST_QUERY, LIST_SHOW };
enum { CREATE_STORE, CREATE_DONE };
enum { EDIT_LOAD, EDIT_SAVE, EDIT_DONE };
enum { REMOVE_STORE, REMOVE_DONE };

static const char	SQL_LEVELS[] =
    "SELECT l.id, l.name, l.description, l.handler = 'agency' AS agency, "
    "l.deadline_days, l.must_forward, l.alert_supervisor, l.active, "
    "(SELECT count(*) FROM tickets t WHERE t.level = l.id) AS tickets "
    "FROM ticket_levels l ORDER BY l.active DESC, l.id";

static const char	SQL_LEVEL_GET[] =
    "SELECT l.id, l.name, l.description, l.handler = 'agency' AS agency, "
    "l.deadline_days, l.must_forward, l.alert_supervisor, l.active, "
    "(SELECT count(*) FROM tickets t WHERE t.level = l.id) AS tickets "
    "FROM ticket_levels l WHERE l.id = $1::smallint";

/*
 * $1 id, $2 name, $3 description, $4 handler, $5 days, $6 must forward,
 * $7 alert, $8 active, $9 actor, $10 actor's name.  One row back: the id,
 * or NULL and whether the number or the name was taken.
 */
static const char	SQL_LEVEL_CREATE[] =
    "WITH l AS (INSERT INTO ticket_levels (id, name, description, handler, "
    "deadline_days, must_forward, alert_supervisor, active) "
    "VALUES ($1::smallint, $2, $3, $4, $5::integer, $6::boolean, "
    "$7::boolean, $8::boolean) ON CONFLICT DO NOTHING RETURNING *), "
    "e AS (" ADMIN_EVENT_COLS
    "SELECT $9::integer, $10, 'level_create', 'level', id::text, name, "
    "to_jsonb(l) FROM l RETURNING target_id) "
    "SELECT (SELECT target_id FROM e) AS id";

static const char	SQL_LEVEL_UPDATE[] =
    "WITH old AS (SELECT * FROM ticket_levels WHERE id = $1::smallint "
    "FOR UPDATE), "
    "l AS (UPDATE ticket_levels SET name = $2, description = $3, "
    "handler = $4, deadline_days = $5::integer, must_forward = $6::boolean, "
    "alert_supervisor = $7::boolean, active = $8::boolean FROM old "
    "WHERE ticket_levels.id = old.id AND NOT EXISTS (SELECT 1 FROM "
    "ticket_levels o WHERE o.name = $2 AND o.id <> old.id) "
    "RETURNING ticket_levels.id, ticket_levels.name, to_jsonb(old) AS o, "
    "to_jsonb(ticket_levels) AS n) "
    ADMIN_EVENT_COLS
    "SELECT $9::integer, $10, 'level_update', 'level', id::text, name, "
    "jsonb_build_object('from', o, 'to', n) FROM l RETURNING target_id AS id";

/* Only a level no ticket uses: one row back, or none. */
static const char	SQL_LEVEL_REMOVE[] =
    "WITH l AS (DELETE FROM ticket_levels WHERE id = $1::smallint "
    "AND NOT EXISTS (SELECT 1 FROM tickets WHERE level = $1::smallint) "
    "RETURNING *) "
    ADMIN_EVENT_COLS
    "SELECT $2::integer, $3, 'level_remove', 'level', id::text, name, "
    "to_jsonb(l) FROM l RETURNING target_id AS id";

int
admin_levels_step(struct http_request *req, struct web *w)
{
	struct tval	*list, *o;
	const char	*ok;
	int		 i, n;

	if (w->step == LIST_QUERY)
		return (web_query(req, w, SQL_LEVELS, 0));
	admin_nav(w, "levels");
	n = web_rows(w, LIST_QUERY);
	list = tval_set_list(w->view, "level_rows");
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, LIST_QUERY, i);
	}
	ok = web_arg(w, "ok", NULL);
	if (ok != NULL && strcmp(ok, "xoa") == 0)
		tval_set(w->view, "notice", "Đã xóa cấp độ.");
	return (web_render(req, w, 200, "admin_levels", "Cấp độ phiếu"));
}

int
admin_level_new_step(struct http_request *req, struct web *w)
{
	struct level_page	*p = w->data;
	char			 url[64];

	switch (w->step) {
	case CREATE_STORE:
		if (!web_is_post(req))
			return (level_form(req, w, 200, NULL));
		p = level_page_new(w);
		if (level_read(w, p, 1) == -1)
			return (level_form(req, w, 400, p->err));
		return (web_query(req, w, SQL_LEVEL_CREATE, 10, p->id, p->name,
		    p->desc, p->agency ? "agency" : "center", p->days,
		    p->must_forward ? "true" : "false",
		    p->alert ? "true" : "false", p->active ? "true" : "false",
		    p->actor, w->user.full_name));
	default:	/* CREATE_DONE */
		if (web_val(w, CREATE_STORE, 0, "id") == NULL)
			return (level_form(req, w, 409, "Số hoặc tên cấp độ này "
			    "đã có. Vui lòng chọn số, tên khác."));
		refdata_reload();
		(void)snprintf(url, sizeof(url), "/quan-tri/cap-do/%s?ok=tao",
		    p->id);
		return (web_redirect(req, url));
	}
}

int
admin_level_edit_step(struct http_request *req, struct web *w)
{
	struct level_page	*p = w->data;
	char			 url[64];

	switch (w->step) {
	case EDIT_LOAD:
		p = level_page_new(w);
		if (web_path_id(req, w, 1, p->id, sizeof(p->id)) == -1)
			return (web_error(req, w, 404, MSG_LEVEL_NOT_FOUND));
		return (web_query(req, w, SQL_LEVEL_GET, 1, p->id));
	case EDIT_SAVE:
		if (web_rows(w, EDIT_LOAD) != 1)
			return (web_error(req, w, 404, MSG_LEVEL_NOT_FOUND));
		if (!web_is_post(req))
			return (level_form(req, w, 200, NULL));
		if (level_read(w, p, 0) == -1)
			return (level_form(req, w, 400, p->err));
		return (web_query(req, w, SQL_LEVEL_UPDATE, 10, p->id, p->name,
		    p->desc, p->agency ? "agency" : "center", p->days,
		    p->must_forward ? "true" : "false",
		    p->alert ? "true" : "false", p->active ? "true" : "false",
		    p->actor, w->user.full_name));
	default:	/* EDIT_DONE */
		if (web_rows(w, EDIT_SAVE) != 1)
			return (level_form(req, w, 409, "Tên cấp độ này đã có. "
			    "Vui lòng chọn tên khác."));
		refdata_reload();
		(void)snprintf(url, sizeof(url), "/quan-tri/cap-do/%s?ok=luu",
		    p->id);
		return (web_redirect(req, url));
	}
}

/*
 * Removing: the edit page asks to confirm; a level tickets use stays (the
 * statement removes nothing), and the page says to deactivate it instead.
 */
int
admin_level_remove_step(struct http_request *req, struct web *w)
{
	struct level_page	*p = w->data;

	switch (w->step) {
	case REMOVE_STORE:
		p = level_page_new(w);
		if (web_path_id(req, w, 1, p->id, sizeof(p->id)) == -1)
			return (web_error(req, w, 404, MSG_LEVEL_NOT_FOUND));
		return (web_query(req, w, SQL_LEVEL_REMOVE, 3, p->id, p->actor,
		    w->user.full_name));
	default:	/* REMOVE_DONE */
		if (web_rows(w, REMOVE_STORE) != 1)
			return (web_error(req, w, 409, "Không xóa được cấp độ: "
			    "đã có phiếu mang cấp độ này (hoặc cấp độ không còn). "
			    "Hãy bỏ chọn \"Đang dùng\" để ngừng dùng cấp độ."));
		refdata_reload();
		return (web_redirect(req, "/quan-tri/cap-do?ok=xoa"));
	}
}

/* Everything the form says, against the limits of migrations/0065. */
static int
level_read(struct web *w, struct level_page *p, int is_new)
{
	const char	*v;
	size_t		 len;
	int		 n;

	if (is_new) {
		if (admin_int(w, "id", 1, LEVEL_ID_MAX, &n) == -1) {
			(void)snprintf(p->err, sizeof(p->err), "Số cấp độ là "
			    "số từ 1 đến %d.", LEVEL_ID_MAX);
			return (-1);
		}
		(void)snprintf(p->id, sizeof(p->id), "%d", n);
	}
	if (admin_text(w, "name", LEVEL_NAME_MAX, 1, p->name, sizeof(p->name),
	    "Tên cấp độ", p->err, sizeof(p->err)) == -1)
		return (-1);
	if (valid_utf8_chars(p->name, strlen(p->name)) < 2) {
		kore_strlcpy(p->err, "Tên cấp độ cần ít nhất 2 ký tự.",
		    sizeof(p->err));
		return (-1);
	}
	v = web_arg(w, "description", &len);
	if (v != NULL && len > 0 && admin_text(w, "description",
	    LEVEL_DESC_MAX, 0, p->desc, sizeof(p->desc), "Mô tả", p->err,
	    sizeof(p->err)) == -1)
		return (-1);
	v = web_arg(w, "handler", &len);
	if (v == NULL || (strcmp(v, "center") != 0 && strcmp(v, "agency") != 0)) {
		kore_strlcpy(p->err, "Vui lòng chọn nơi xử lý: Tổng đài hoặc "
		    "cơ quan chuyên môn.", sizeof(p->err));
		return (-1);
	}
	p->agency = strcmp(v, "agency") == 0;
	if (admin_int(w, "deadline_days", 1, TICKET_MAX_DEADLINE_DAYS, &n) ==
	    -1) {
		(void)snprintf(p->err, sizeof(p->err), "Thời hạn xử lý phải là "
		    "số ngày làm việc từ 1 đến %d.", TICKET_MAX_DEADLINE_DAYS);
		return (-1);
	}
	(void)snprintf(p->days, sizeof(p->days), "%d", n);
	p->must_forward = admin_checked(w, "must_forward");
	p->alert = admin_checked(w, "alert_supervisor");
	p->active = admin_checked(w, "active");
	if (p->must_forward && !p->agency) {
		kore_strlcpy(p->err, "Cấp độ phải chuyển cơ quan thì nơi xử lý "
		    "là cơ quan chuyên môn.", sizeof(p->err));
		return (-1);
	}
	return (0);
}

static int
level_form(struct http_request *req, struct web *w, int status,
    const char *error)
{
	static const char *const keep[] = {
		"id", "name", "description", "deadline_days", NULL
	};
	struct tval	*l;
	const char	*v, *ok;
	int		 is_new;

	admin_nav(w, "levels");
	is_new = w->route->id == ROUTE_ADMIN_LEVEL_NEW;
	l = tval_set_obj(w->view, "l");
	tval_set_bool(w->view, "is_new", is_new);
	tval_set_bool(l, "active", 1);
	tval_set(l, "deadline_days", "5");
	if (!is_new)
		web_view_row(w, l, EDIT_LOAD, 0);
	if (web_is_post(req)) {
		admin_keep(w, l, keep);
		v = web_arg(w, "handler", NULL);
		tval_set_bool(l, "agency", v != NULL && strcmp(v, "agency") == 0);
		tval_set_bool(l, "must_forward",
		    admin_checked(w, "must_forward"));
		tval_set_bool(l, "alert_supervisor",
		    admin_checked(w, "alert_supervisor"));
		tval_set_bool(l, "active", admin_checked(w, "active"));
	}
	tval_setf(w->view, "days_max", "%d", TICKET_MAX_DEADLINE_DAYS);
	if (!is_new && web_val(w, EDIT_LOAD, 0, "tickets") != NULL &&
	    strcmp(web_val(w, EDIT_LOAD, 0, "tickets"), "0") == 0)
		tval_set_bool(w->view, "removable", 1);
	ok = web_arg(w, "ok", NULL);
	if (ok != NULL && (strcmp(ok, "luu") == 0 || strcmp(ok, "tao") == 0))
		tval_set(w->view, "notice", "Đã lưu.");
	if (error != NULL)
		tval_set(w->view, "error", error);
	return (web_render(req, w, status, "admin_level_edit",
	    is_new ? "Thêm cấp độ" : "Sửa cấp độ"));
}

static struct level_page *
level_page_new(struct web *w)
{
	struct level_page	*p;

	p = kore_calloc(1, sizeof(*p));
	admin_actor(w, p->actor, sizeof(p->actor));
	w->data = p;
	w->data_free = kore_free;
	return (p);
}
