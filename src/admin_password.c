/*
 * admin_password: any logged-in user changes their own password.  The
 * current one is checked and the new one hashed on a lane's thread; every
 * other session of the user ends, the one in use stays.
 */
#include <sodium.h>

#include "app.h"
#include "admin.h"
#include "valid.h"

#define NEW_MIN_CHARS		10
#define NEW_MAX_CHARS		128
#define RATE_MAX		"10"
#define RATE_WINDOW_SEC		"900"

#define TASK_WRONG		0
#define TASK_OK			1
#define TASK_FAILED		2

struct pw_page {
	char			id[16];
	char			current[ADMIN_PASSWORD_MAX + 1];
	char			old_hash[crypto_pwhash_STRBYTES];
	struct admin_secret	secret;		/* the new password */
	char			err[300];
};

static int	pw_read(struct web *, struct pw_page *);
static int	pw_task(struct web *);
static int	pw_form(struct http_request *, struct web *, int, const char *);
static void	pw_free(void *);

static const char	SQL_RATE[] =
    "SELECT rate_limit_hit($1, " RATE_MAX ", " RATE_WINDOW_SEC ") AS ok";
static const char	SQL_PW_GET[] =
    "SELECT password_hash FROM users WHERE id = $1::integer AND active";

/*
 * Only over the hash that was verified: a reset by an administrator in
 * between wins.  The session in use (known by its CSRF token) stays.
 */
static const char	SQL_PW_SET[] =
    "WITH u AS (UPDATE users SET password_hash = $2, "
    "must_change_password = false WHERE id = $1::integer "
    "AND active AND password_hash = $5 RETURNING id, username), "
    "s AS (DELETE FROM sessions WHERE user_id IN (SELECT id FROM u) "
    "AND csrf <> $3 RETURNING token_hash, expires_at), "
    "e AS (" ADMIN_EVENT_COLS
    "SELECT $1::integer, $4, 'password_change', 'user', id::text, username, "
    "'{}' FROM u RETURNING target_id) "
    "SELECT target_id AS id, (SELECT " HOTLINE_SQL_ENDED " FROM s) AS ended "
    "FROM e";

/*
 * A change of one's own password: count the attempt, load the current
 * hash, check the current password and hash the new one on a lane, then
 * store it if nobody changed it meanwhile.
 */
enum { PW_RATE, PW_LOAD, PW_VERIFY, PW_SAVE, PW_DONE };

int
admin_password_step(struct http_request *req, struct web *w)
{
	struct pw_page	*p = w->data;
	char		 key[64];

	switch (w->step) {
	case PW_RATE:
		if (!web_is_post(req))
			return (pw_form(req, w, 200, NULL));
		p = kore_calloc(1, sizeof(*p));
		w->data = p;
		w->data_free = pw_free;
		admin_actor(w, p->id, sizeof(p->id));
		if (pw_read(w, p) == -1)
			return (pw_form(req, w, 400, p->err));
		(void)snprintf(key, sizeof(key), "password:%s", p->id);
		return (web_query(req, w, SQL_RATE, 1, key));
	case PW_LOAD:
		if (!web_bool(w, PW_RATE, 0, "ok")) {
			http_response_header(req, "retry-after", RATE_WINDOW_SEC);
			return (pw_form(req, w, 429, "Nhập sai quá nhiều lần. "
			    "Vui lòng thử lại sau 15 phút."));
		}
		return (web_query(req, w, SQL_PW_GET, 1, p->id));
	case PW_VERIFY:
		if (web_rows(w, PW_LOAD) != 1)
			return (web_error(req, w, 403,
			    "Tài khoản không còn hoạt động."));
		kore_strlcpy(p->old_hash, web_val(w, PW_LOAD, 0, "password_hash"),
		    sizeof(p->old_hash));
		return (web_task(req, w, LANE_HASH, pw_task));
	case PW_SAVE:
		sodium_memzero(p->current, sizeof(p->current));
		if (w->task_result == TASK_WRONG)
			return (pw_form(req, w, 400,
			    "Mật khẩu hiện tại không đúng."));
		if (w->task_result != TASK_OK)
			return (web_error(req, w, 500,
			    "Chưa đổi được mật khẩu, vui lòng thử lại."));
		return (web_query(req, w, SQL_PW_SET, 5, p->id, p->secret.hash,
		    w->user.csrf, w->user.full_name, p->old_hash));
	default:	/* PW_DONE */
		if (web_rows(w, PW_SAVE) != 1)
			return (pw_form(req, w, 409, "Mật khẩu vừa được thay đổi "
			    "ở nơi khác. Vui lòng thử lại."));
		hotline_sessions_end(web_val(w, PW_SAVE, 0, "ended"));
		kore_log(LOG_INFO, "auth: %s changed their password",
		    w->user.username);
		return (web_redirect(req, "/doi-mat-khau?ok=1"));
	}
}

static int
pw_read(struct web *w, struct pw_page *p)
{
	const char	*cur, *nw, *again;
	size_t		 clen, nlen, alen;
	int		 rc;

	cur = web_arg(w, "current", &clen);
	nw = web_arg(w, "new", &nlen);
	again = web_arg(w, "confirm", &alen);
	if (cur == NULL || clen == 0) {
		kore_strlcpy(p->err, "Vui lòng nhập mật khẩu hiện tại.",
		    sizeof(p->err));
		return (-1);
	}
	if (clen > ADMIN_PASSWORD_MAX || strlen(cur) != clen) {
		kore_strlcpy(p->err, "Mật khẩu hiện tại không đúng.",
		    sizeof(p->err));
		return (-1);
	}
	if (nw == NULL || nlen == 0) {
		kore_strlcpy(p->err, "Vui lòng nhập mật khẩu mới.",
		    sizeof(p->err));
		return (-1);
	}
	rc = strlen(nw) != nlen ? VALID_EUTF8 :
	    valid_text(nw, nlen, NEW_MAX_CHARS, 0);
	if (rc == VALID_EUTF8 || rc == VALID_ECONTROL) {
		(void)snprintf(p->err, sizeof(p->err), "Mật khẩu mới: %s",
		    valid_error_vi(rc));
		return (-1);
	}
	if (rc == VALID_ETOOLONG || nlen > ADMIN_PASSWORD_MAX) {
		(void)snprintf(p->err, sizeof(p->err),
		    "Mật khẩu mới quá dài (tối đa %d ký tự).", NEW_MAX_CHARS);
		return (-1);
	}
	if (valid_utf8_chars(nw, nlen) < NEW_MIN_CHARS) {
		(void)snprintf(p->err, sizeof(p->err),
		    "Mật khẩu mới cần ít nhất %d ký tự.", NEW_MIN_CHARS);
		return (-1);
	}
	if (strcasecmp(nw, w->user.username) == 0) {
		kore_strlcpy(p->err, "Mật khẩu mới không được trùng tên đăng "
		    "nhập.", sizeof(p->err));
		return (-1);
	}
	if (strcmp(nw, cur) == 0) {
		kore_strlcpy(p->err, "Mật khẩu mới phải khác mật khẩu hiện tại.",
		    sizeof(p->err));
		return (-1);
	}
	if (again == NULL || alen != nlen || strcmp(again, nw) != 0) {
		kore_strlcpy(p->err, "Hai lần nhập mật khẩu mới không giống "
		    "nhau.", sizeof(p->err));
		return (-1);
	}
	memcpy(p->current, cur, clen + 1);
	memcpy(p->secret.password, nw, nlen + 1);
	return (0);
}

/* On a lane's thread: check the current password, then hash the new one. */
static int
pw_task(struct web *w)
{
	struct pw_page	*p = w->data;

	if (crypto_pwhash_str_verify(p->old_hash, p->current,
	    strlen(p->current)) != 0)
		return (TASK_WRONG);
	return (admin_password_hash(&p->secret) == 0 ? TASK_OK : TASK_FAILED);
}

/* Passwords are never written back into the page. */
static int
pw_form(struct http_request *req, struct web *w, int status,
    const char *error)
{
	const char	*ok;

	ok = web_arg(w, "ok", NULL);
	if (!web_is_post(req) && ok != NULL && strcmp(ok, "1") == 0)
		tval_set(w->view, "notice", "Đã đổi mật khẩu. Các phiên đăng "
		    "nhập khác của bạn đã được đăng xuất.");
	if (w->user.must_change_password)
		tval_set(w->view, "first_login", "Tài khoản của bạn đang dùng "
		    "mật khẩu được cấp. Vui lòng đặt mật khẩu riêng trước khi "
		    "dùng các trang khác.");
	if (error != NULL)
		tval_set(w->view, "error", error);
	tval_setf(w->view, "min", "%d", NEW_MIN_CHARS);
	return (web_render(req, w, status, "password_change", "Đổi mật khẩu"));
}

static void
pw_free(void *arg)
{
	sodium_memzero(arg, sizeof(struct pw_page));
	kore_free(arg);
}
