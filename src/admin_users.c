/*
 * admin_users: the administrator's pages for staff accounts.  The list
 * with its filters, a new account, its edit page, a password reset and
 * locking an account.
 *
 * A password is made here, shown to the administrator once and stored
 * only as its argon2id hash, computed on a lane's thread.  A reset or a
 * lock also ends the user's sessions, in the same statement, and the
 * hotline is told (hotline_sessions.c); a change of role ends only the
 * hotline logins of the user's sessions.  Nobody locks or demotes
 * themself: C says so clearly, the SQL refuses it too.
 */
#include <sodium.h>

#include "app.h"
#include "admin.h"
#include "refdata.h"
#include "valid.h"

#define USERNAME_MIN		3
#define USERNAME_MAX		40
#define USERNAME_CHARS		"abcdefghijklmnopqrstuvwxyz0123456789._-"

#define MSG_NOT_FOUND		"Không tìm thấy tài khoản."
#define MSG_AGENCY		"Cán bộ đầu mối phải thuộc một cơ quan đang " \
				"hoạt động: vui lòng chọn cơ quan hợp lệ."
#define MSG_SELF		"Bạn không thể tự khóa hoặc hạ quyền tài khoản " \
				"của chính mình. Hãy nhờ một quản trị viên khác."

struct user_page {
	char			id[16];
	char			username[USERNAME_MAX + 1];
	char			full_name[ADMIN_NAME_MAX * 4 + 1];
	char			role[16];
	char			agency[16];	/* "" or an agency id */
	int			active;
	char			actor[16];
	char			err[300];
	struct admin_secret	secret;
};

struct user_filter {
	char	role[16];
	char	agency[16];
	char	active[2];
	char	offset[16];
	int	page;
	int	bad;		/* a filter was not ours: ignored */
};

static int	list_read(struct web *, struct user_filter *);
static int	active_step(struct http_request *, struct web *, int);
static int	user_hash(struct web *);
static int	user_read(struct web *, struct user_page *);
static int	user_username(struct web *, struct user_page *);
static int	create_form(struct http_request *, struct web *, int,
		    const char *);
static int	edit_form(struct http_request *, struct web *, int,
		    const char *);
static int	password_page(struct http_request *, struct web *,
		    struct user_page *, int);
static void	view_roles(struct web *, const char *);
static const char *role_vi(const char *);
static struct user_page *user_page_new(struct web *);
static void	user_page_free(void *);

static const struct {
	const char	*key;
	const char	*vi;
} roles[] = {
	{ "operator",	"Điện thoại viên" },
	{ "supervisor",	"Lãnh đạo, giám sát" },
	{ "agency",	"Cán bộ đầu mối cơ quan" },
	{ "admin",	"Quản trị hệ thống" },
};

/* ---- The list. ---------------------------------------------------------- */

static const char	SQL_USERS[] =
    "SELECT u.id, u.username, u.full_name, u.role, u.active, "
    "a.name AS agency, "
    "to_char(u.created_at, 'DD/MM/YYYY') AS created, "
    "count(*) OVER () AS total "
    "FROM users u LEFT JOIN agencies a ON a.id = u.agency_id "
    "WHERE ($1 = '' OR u.role = $1) "
    "AND ($2 = '' OR u.agency_id = NULLIF($2, '')::integer) "
    "AND ($3 = '' OR u.active = ($3 = '1')) "
    "ORDER BY u.active DESC, u.username LIMIT 50 OFFSET $4::integer";

/* The users' list: read the filters and ask, then show the page. */
enum { LIST_QUERY, LIST_SHOW };

int
admin_users_list_step(struct http_request *req, struct web *w)
{
	struct user_filter	*f = w->data;
	struct tval		*list, *o, *fv;
	char			 query[128];
	int			 i, n, total;

	if (w->step == LIST_QUERY) {
		f = kore_calloc(1, sizeof(*f));
		w->data = f;
		w->data_free = kore_free;
		if (list_read(w, f) == -1) {
			memset(f, 0, sizeof(*f));
			f->page = 1;
			f->bad = 1;
			tval_set(w->view, "error",
			    "Bộ lọc không hợp lệ, đã bỏ qua.");
		}
		(void)snprintf(f->offset, sizeof(f->offset), "%d",
		    (f->page - 1) * WEB_PAGE_SIZE);
		return (web_query(req, w, SQL_USERS, 4, f->role, f->agency,
		    f->active, f->offset));
	}

	admin_nav(w, "users");
	view_roles(w, f->role);
	refdata_view_agencies(w->view, f->agency[0] ? atoi(f->agency) : 0);
	fv = tval_set_obj(w->view, "filter");
	tval_set_bool(fv, "active_yes", strcmp(f->active, "1") == 0);
	tval_set_bool(fv, "active_no", strcmp(f->active, "0") == 0);

	n = web_rows(w, LIST_QUERY);
	list = tval_set_list(w->view, "users");
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, LIST_QUERY, i);
		tval_set(o, "role_text",
		    role_vi(web_val(w, LIST_QUERY, i, "role")));
	}
	total = n > 0 ? atoi(web_val(w, LIST_QUERY, 0, "total")) : 0;
	tval_set_bool(w->view, "empty", n == 0);
	/* The filters are validated codes and numbers: nothing to encode. */
	(void)snprintf(query, sizeof(query), "%s%s%s%s%s%s%s%s%s",
	    f->role[0] ? "role=" : "", f->role, f->role[0] ? "&" : "",
	    f->agency[0] ? "agency=" : "", f->agency, f->agency[0] ? "&" : "",
	    f->active[0] ? "active=" : "", f->active, f->active[0] ? "&" : "");
	web_pager(w, "/quan-tri/nguoi-dung", query, f->page,
	    web_pager_count(w, f->page, total));
	return (web_render(req, w, f->bad ? 400 : 200, "admin_users",
	    "Quản lý tài khoản"));
}

/* The filters from the query string; -1 if one of them is not ours. */
static int
list_read(struct web *w, struct user_filter *f)
{
	const char	*v;
	size_t		 len;
	int		 n;

	f->page = 1;
	if ((v = web_arg(w, "role", &len)) != NULL && len > 0) {
		if (strcmp(role_vi(v), v) == 0)
			return (-1);
		kore_strlcpy(f->role, v, sizeof(f->role));
	}
	if ((v = web_arg(w, "agency", &len)) != NULL && len > 0) {
		if (admin_int(w, "agency", 1, 999999999, &n) == -1)
			return (-1);
		(void)snprintf(f->agency, sizeof(f->agency), "%d", n);
	}
	if ((v = web_arg(w, "active", &len)) != NULL && len > 0) {
		if (strcmp(v, "1") != 0 && strcmp(v, "0") != 0)
			return (-1);
		kore_strlcpy(f->active, v, sizeof(f->active));
	}
	if ((v = web_arg(w, "page", &len)) != NULL && len > 0) {
		if (admin_int(w, "page", 1, WEB_PAGE_MAX, &f->page) == -1)
			return (-1);
	}
	return (0);
}

/* ---- A new account. ----------------------------------------------------- */

/*
 * The agency is checked here, not against this worker's cache: one just
 * created or closed on another worker counts as it is in the database.
 * One row back: the new id, or NULL and whether the name was taken.
 */
static const char	SQL_USER_CREATE[] =
    "WITH u AS (INSERT INTO users (username, full_name, role, agency_id, "
    "password_hash, active, must_change_password) "
    "SELECT $1, $2, $3, NULLIF($4, '')::integer, $5, $6::boolean, true "
    "WHERE $4 = '' OR EXISTS (SELECT 1 FROM agencies "
    "WHERE id = NULLIF($4, '')::integer AND active) "
    "ON CONFLICT (username) DO NOTHING "
    "RETURNING id, username, full_name, role, agency_id, active), "
    "e AS (" ADMIN_EVENT_COLS
    "SELECT $7::integer, $8, 'user_create', 'user', id::text, username, "
    "jsonb_strip_nulls(jsonb_build_object('full_name', full_name, "
    "'role', role, 'agency_id', agency_id, 'active', active)) FROM u "
    "RETURNING target_id) "
    "SELECT (SELECT target_id FROM e) AS id, "
    "EXISTS (SELECT 1 FROM users WHERE username = $1) AS taken";

/* A new user: hash the first password, store the user, show it once. */
enum { CREATE_HASH, CREATE_STORE, CREATE_DONE };

int
admin_users_create_step(struct http_request *req, struct web *w)
{
	struct user_page	*u = w->data;

	switch (w->step) {
	case CREATE_HASH:
		if (!web_is_post(req))
			return (create_form(req, w, 200, NULL));
		u = user_page_new(w);
		if (user_username(w, u) == -1 || user_read(w, u) == -1)
			return (create_form(req, w, 400, u->err));
		admin_password_generate(&u->secret);
		return (web_task(req, w, LANE_HASH, user_hash));
	case CREATE_STORE:
		if (w->task_result != 1)
			return (web_error(req, w, 500,
			    "Không tạo được mật khẩu, vui lòng thử lại."));
		return (web_query(req, w, SQL_USER_CREATE, 8, u->username,
		    u->full_name, u->role, u->agency, u->secret.hash,
		    u->active ? "true" : "false", u->actor,
		    w->user.full_name));
	case CREATE_DONE:
	default:
		if (web_val(w, CREATE_STORE, 0, "id") == NULL &&
		    web_bool(w, CREATE_STORE, 0, "taken")) {
			(void)snprintf(u->err, sizeof(u->err),
			    "Tên đăng nhập \"%s\" đã có. Vui lòng chọn tên khác.",
			    u->username);
			return (create_form(req, w, 409, u->err));
		}
		if (web_val(w, CREATE_STORE, 0, "id") == NULL)
			return (create_form(req, w, 400, MSG_AGENCY));
		kore_strlcpy(u->id, web_val(w, CREATE_STORE, 0, "id"),
		    sizeof(u->id));
		kore_log(LOG_INFO, "admin: %s created user %s", w->user.username,
		    u->username);
		return (password_page(req, w, u, 1));
	}
}

static int
create_form(struct http_request *req, struct web *w, int status,
    const char *error)
{
	static const char *const keep[] = { "username", "full_name", NULL };
	const char	*role, *agency;

	admin_nav(w, "users");
	if (web_is_post(req)) {
		admin_keep(w, w->view, keep);
		role = web_arg(w, "role", NULL);
		agency = web_arg(w, "agency", NULL);
		tval_set_bool(w->view, "active", admin_checked(w, "active"));
	} else {
		role = "operator";
		agency = NULL;
		tval_set_bool(w->view, "active", 1);
	}
	view_roles(w, role);
	refdata_view_agencies(w->view, agency != NULL && strlen(agency) < 10 ?
	    atoi(agency) : 0);
	if (error != NULL)
		tval_set(w->view, "error", error);
	return (web_render(req, w, status, "admin_user_new", "Tạo tài khoản"));
}

/* ---- An account's page. ------------------------------------------------- */

static const char	SQL_USER_GET[] =
    "SELECT u.id, u.username, u.full_name, u.role, "
    "coalesce(u.agency_id, 0) AS agency_id, u.active, a.name AS agency, "
    "(a.id IS NOT NULL AND NOT a.active) AS agency_closed, "
    "to_char(u.created_at, 'DD/MM/YYYY HH24:MI') AS created, "
    "(SELECT count(*) FROM sessions s WHERE s.user_id = u.id "
    " AND s.expires_at > now()) AS sessions "
    "FROM users u LEFT JOIN agencies a ON a.id = u.agency_id "
    "WHERE u.id = $1::integer";

/*
 * The old values go into the event beside the new ones.  A locked
 * account's sessions end with the change.
 */
static const char	SQL_USER_UPDATE[] =
    "WITH old AS (SELECT id, full_name, role, agency_id, active FROM users "
    "WHERE id = $1::integer FOR UPDATE), "
    "u AS (UPDATE users SET full_name = $2, role = $3, "
    "agency_id = NULLIF($4, '')::integer, active = $5::boolean FROM old "
    "WHERE users.id = old.id "
    "AND NOT (users.id = $6::integer AND ($3 <> 'admin' OR NOT $5::boolean)) "
    "AND ($4 = '' OR EXISTS (SELECT 1 FROM agencies a "
    "WHERE a.id = NULLIF($4, '')::integer "
    "AND (a.active OR a.id = old.agency_id))) "
    "RETURNING users.id, users.username, users.full_name, users.role, "
    "users.agency_id, users.active, old.full_name AS o_name, "
    "old.role AS o_role, old.agency_id AS o_agency, old.active AS o_active), "
    "s AS (DELETE FROM sessions WHERE user_id IN "
    "(SELECT id FROM u WHERE NOT active) RETURNING token_hash, expires_at), "
    /* Another role: the sessions stay, their hotline logins end. */
    "r AS (SELECT token_hash, expires_at FROM sessions WHERE expires_at > now() "
    "AND user_id IN (SELECT id FROM u WHERE active AND role <> o_role)), "
    "e AS (" ADMIN_EVENT_COLS
    "SELECT $6::integer, $7, 'user_update', 'user', id::text, username, "
    "jsonb_build_object("
    "'from', jsonb_build_object('full_name', o_name, 'role', o_role, "
    "'agency_id', o_agency, 'active', o_active), "
    "'to', jsonb_build_object('full_name', full_name, 'role', role, "
    "'agency_id', agency_id, 'active', active)) FROM u "
    "RETURNING target_id) "
    "SELECT target_id AS id, (SELECT " HOTLINE_SQL_ENDED " FROM "
    "(SELECT * FROM s UNION ALL SELECT * FROM r) x) AS ended FROM e";

/* A user's page: load the user, then save what the form sent. */
enum { EDIT_LOAD, EDIT_SAVE, EDIT_DONE };

int
admin_users_edit_step(struct http_request *req, struct web *w)
{
	struct user_page	*u = w->data;
	char			 url[96];

	switch (w->step) {
	case EDIT_LOAD:
		u = user_page_new(w);
		if (web_path_id(req, w, 1, u->id, sizeof(u->id)) == -1)
			return (web_error(req, w, 404, MSG_NOT_FOUND));
		return (web_query(req, w, SQL_USER_GET, 1, u->id));
	case EDIT_SAVE:
		if (web_rows(w, EDIT_LOAD) != 1)
			return (web_error(req, w, 404, MSG_NOT_FOUND));
		if (!web_is_post(req))
			return (edit_form(req, w, 200, NULL));
		if (user_read(w, u) == -1)
			return (edit_form(req, w, 400, u->err));
		if (atoi(u->id) == w->user.id &&
		    (strcmp(u->role, "admin") != 0 || !u->active))
			return (edit_form(req, w, 409, MSG_SELF));
		return (web_query(req, w, SQL_USER_UPDATE, 7, u->id,
		    u->full_name, u->role, u->agency, u->active ? "true" : "false",
		    u->actor, w->user.full_name));
	case EDIT_DONE:
	default:
		if (web_rows(w, EDIT_SAVE) != 1)
			return (edit_form(req, w, 400, MSG_AGENCY));
		hotline_sessions_end(web_val(w, EDIT_SAVE, 0, "ended"));
		(void)snprintf(url, sizeof(url), "/quan-tri/nguoi-dung/%s?ok=luu",
		    u->id);
		return (web_redirect(req, url));
	}
}

/* The page from the loaded row, or from what was typed after an error. */
static int
edit_form(struct http_request *req, struct web *w, int status,
    const char *error)
{
	struct user_page	*u = w->data;
	struct tval		*o;
	const char		*v, *role, *ok;
	int			 agency;

	admin_nav(w, "users");
	o = tval_set_obj(w->view, "u");
	web_view_row(w, o, EDIT_LOAD, 0);
	tval_set(o, "role_text", role_vi(web_val(w, EDIT_LOAD, 0, "role")));
	tval_set_bool(o, "is_self", atoi(u->id) == w->user.id);
	role = web_val(w, EDIT_LOAD, 0, "role");
	agency = atoi(web_val(w, EDIT_LOAD, 0, "agency_id"));
	if (web_is_post(req)) {
		v = web_arg(w, "full_name", NULL);
		if (v != NULL && strlen(v) < 2048 && valid_utf8(v, strlen(v)))
			tval_set(o, "full_name", v);
		role = web_arg(w, "role", NULL);
		v = web_arg(w, "agency", NULL);
		agency = v != NULL && strlen(v) < 10 ? atoi(v) : 0;
		tval_set_bool(o, "active", admin_checked(w, "active"));
	}
	view_roles(w, role);
	refdata_view_agencies(w->view, agency);

	ok = web_arg(w, "ok", NULL);
	if (ok != NULL && strcmp(ok, "luu") == 0)
		tval_set(w->view, "notice", "Đã lưu thay đổi.");
	else if (ok != NULL && strcmp(ok, "khoa") == 0)
		tval_set(w->view, "notice",
		    "Đã khóa tài khoản; mọi phiên đăng nhập của tài khoản đã kết thúc.");
	else if (ok != NULL && strcmp(ok, "mo-khoa") == 0)
		tval_set(w->view, "notice", "Đã mở khóa tài khoản.");
	if (error != NULL)
		tval_set(w->view, "error", error);
	return (web_render(req, w, status, "admin_user_edit",
	    web_val(w, EDIT_LOAD, 0, "username")));
}

/* ---- Password reset. ---------------------------------------------------- */

static const char	SQL_USER_RESET[] =
    "WITH u AS (UPDATE users SET password_hash = $2, "
    "must_change_password = true WHERE id = $1::integer "
    "RETURNING id, username), "
    "s AS (DELETE FROM sessions WHERE user_id IN (SELECT id FROM u) "
    "RETURNING token_hash, expires_at), "
    "e AS (" ADMIN_EVENT_COLS
    "SELECT $3::integer, $4, 'user_password_reset', 'user', id::text, "
    "username, '{}' FROM u RETURNING target_id, target_label) "
    "SELECT target_id AS id, target_label AS username, "
    "(SELECT " HOTLINE_SQL_ENDED " FROM s) AS ended FROM e";

/* A new password: hash it, store it, show it once. */
enum { RESET_HASH, RESET_STORE, RESET_DONE };

int
admin_users_reset_step(struct http_request *req, struct web *w)
{
	struct user_page	*u = w->data;

	switch (w->step) {
	case RESET_HASH:
		u = user_page_new(w);
		if (web_path_id(req, w, 1, u->id, sizeof(u->id)) == -1)
			return (web_error(req, w, 404, MSG_NOT_FOUND));
		admin_password_generate(&u->secret);
		return (web_task(req, w, LANE_HASH, user_hash));
	case RESET_STORE:
		if (w->task_result != 1)
			return (web_error(req, w, 500,
			    "Không tạo được mật khẩu, vui lòng thử lại."));
		return (web_query(req, w, SQL_USER_RESET, 4, u->id,
		    u->secret.hash, u->actor, w->user.full_name));
	case RESET_DONE:
	default:
		if (web_rows(w, RESET_STORE) != 1)
			return (web_error(req, w, 404, MSG_NOT_FOUND));
		hotline_sessions_end(web_val(w, RESET_STORE, 0, "ended"));
		kore_strlcpy(u->username,
		    web_val(w, RESET_STORE, 0, "username"), sizeof(u->username));
		kore_log(LOG_INFO, "admin: %s reset the password of %s",
		    w->user.username, u->username);
		return (password_page(req, w, u, 0));
	}
}

/* Shown once: the page is never cached and the password never stored. */
static int
password_page(struct http_request *req, struct web *w, struct user_page *u,
    int created)
{
	int	rc;

	admin_nav(w, "users");
	tval_set(w->view, "id", u->id);
	tval_set(w->view, "username", u->username);
	tval_set(w->view, "password", u->secret.password);
	tval_set_bool(w->view, "created", created);
	rc = web_render(req, w, created ? 201 : 200, "admin_user_password",
	    created ? "Đã tạo tài khoản" : "Đã đặt lại mật khẩu");
	sodium_memzero(&u->secret, sizeof(u->secret));
	return (rc);
}

static int
user_hash(struct web *w)
{
	struct user_page	*u = w->data;

	return (admin_password_hash(&u->secret) == 0);
}

/* ---- Lock and unlock. --------------------------------------------------- */

static const char	SQL_USER_ACTIVE[] =
    "WITH u AS (UPDATE users SET active = $2::boolean WHERE id = $1::integer "
    "AND (id <> $3::integer OR $2::boolean) RETURNING id, username), "
    "s AS (DELETE FROM sessions WHERE NOT $2::boolean "
    "AND user_id IN (SELECT id FROM u) RETURNING token_hash, expires_at), "
    "e AS (" ADMIN_EVENT_COLS
    "SELECT $3::integer, $4, $5, 'user', id::text, username, '{}' FROM u "
    "RETURNING target_id) "
    "SELECT target_id AS id, (SELECT " HOTLINE_SQL_ENDED " FROM s) AS ended FROM e";

int
admin_users_lock_step(struct http_request *req, struct web *w)
{
	return (active_step(req, w, 0));
}

int
admin_users_unlock_step(struct http_request *req, struct web *w)
{
	return (active_step(req, w, 1));
}

/* Lock or unlock: set the flag, then go back to the user's page. */
enum { ACTIVE_SET, ACTIVE_DONE };

static int
active_step(struct http_request *req, struct web *w, int active)
{
	struct user_page	*u = w->data;
	char			 url[96];

	if (w->step == ACTIVE_SET) {
		u = user_page_new(w);
		if (web_path_id(req, w, 1, u->id, sizeof(u->id)) == -1)
			return (web_error(req, w, 404, MSG_NOT_FOUND));
		if (!active && atoi(u->id) == w->user.id)
			return (web_error(req, w, 409, MSG_SELF));
		return (web_query(req, w, SQL_USER_ACTIVE, 5, u->id,
		    active ? "true" : "false", u->actor, w->user.full_name,
		    active ? "user_activate" : "user_deactivate"));
	}
	if (web_rows(w, ACTIVE_SET) != 1)
		return (web_error(req, w, 404, MSG_NOT_FOUND));
	hotline_sessions_end(web_val(w, ACTIVE_SET, 0, "ended"));
	(void)snprintf(url, sizeof(url), "/quan-tri/nguoi-dung/%s?ok=%s", u->id,
	    active ? "mo-khoa" : "khoa");
	return (web_redirect(req, url));
}

/* ---- Reading the form. -------------------------------------------------- */

static int
user_username(struct web *w, struct user_page *u)
{
	const char	*v;
	size_t		 len;

	v = web_arg(w, "username", &len);
	if (v == NULL || len == 0) {
		kore_strlcpy(u->err, "Vui lòng nhập tên đăng nhập.",
		    sizeof(u->err));
		return (-1);
	}
	if (len < USERNAME_MIN || len > USERNAME_MAX || strlen(v) != len ||
	    strspn(v, USERNAME_CHARS) != len) {
		kore_strlcpy(u->err, "Tên đăng nhập gồm 3 đến 40 ký tự: chữ "
		    "thường không dấu (a-z), chữ số, dấu chấm, gạch ngang hoặc "
		    "gạch dưới; ví dụ: cb.stnmt2.", sizeof(u->err));
		return (-1);
	}
	memcpy(u->username, v, len + 1);
	return (0);
}

/*
 * Full name, role, agency and the active box.  An agency officer belongs
 * to one active agency (or keeps the one they have: the SQL checks which
 * agencies are active); nobody else has one.
 */
static int
user_read(struct web *w, struct user_page *u)
{
	const char	*v;
	size_t		 len;
	int		 agency;

	if (admin_text(w, "full_name", ADMIN_NAME_MAX, 1, u->full_name,
	    sizeof(u->full_name), "Họ và tên", u->err, sizeof(u->err)) == -1)
		return (-1);
	if (valid_utf8_chars(u->full_name, strlen(u->full_name)) < 2) {
		kore_strlcpy(u->err, "Họ và tên cần ít nhất 2 ký tự.",
		    sizeof(u->err));
		return (-1);
	}
	v = web_arg(w, "role", &len);
	if (v == NULL || len == 0 || len >= sizeof(u->role) ||
	    strcmp(role_vi(v), v) == 0) {
		kore_strlcpy(u->err, "Vui lòng chọn một vai trò hợp lệ.",
		    sizeof(u->err));
		return (-1);
	}
	memcpy(u->role, v, len + 1);

	v = web_arg(w, "agency", &len);
	if (strcmp(u->role, "agency") == 0) {
		if (admin_int(w, "agency", 1, 999999999, &agency) == -1) {
			kore_strlcpy(u->err, MSG_AGENCY, sizeof(u->err));
			return (-1);
		}
		(void)snprintf(u->agency, sizeof(u->agency), "%d", agency);
	} else if (v != NULL && len > 0) {
		kore_strlcpy(u->err, "Chỉ tài khoản cán bộ đầu mối mới thuộc một "
		    "cơ quan: vui lòng để trống ô Cơ quan.", sizeof(u->err));
		return (-1);
	}
	u->active = admin_checked(w, "active");
	return (0);
}

static void
view_roles(struct web *w, const char *selected)
{
	struct tval	*list, *o;
	size_t		 i;

	list = tval_set_list(w->view, "roles");
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		o = tval_list_add(list);
		tval_set(o, "key", roles[i].key);
		tval_set(o, "text", roles[i].vi);
		tval_set_bool(o, "selected", selected != NULL &&
		    strcmp(selected, roles[i].key) == 0);
	}
}

/* The role in Vietnamese; the key itself if it is not a role. */
static const char *
role_vi(const char *key)
{
	size_t	i;

	for (i = 0; key != NULL && i < sizeof(roles) / sizeof(roles[0]); i++) {
		if (strcmp(roles[i].key, key) == 0)
			return (roles[i].vi);
	}
	return (key != NULL ? key : "");
}

static struct user_page *
user_page_new(struct web *w)
{
	struct user_page	*u;

	u = kore_calloc(1, sizeof(*u));
	admin_actor(w, u->actor, sizeof(u->actor));
	w->data = u;
	w->data_free = user_page_free;
	return (u);
}

static void
user_page_free(void *p)
{
	sodium_memzero(p, sizeof(struct user_page));
	kore_free(p);
}
