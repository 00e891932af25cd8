/*
 * admin: the administrator's pages, shared parts.  The entry page, the
 * log of administrative changes (admin_events), and the helpers the other
 * admin_*.c files read forms with.
 *
 * Every change an administrator makes is ONE SQL statement that changes
 * the row and appends its admin_events row together, so a change without
 * its record (or the reverse) cannot happen.
 */
#include <sodium.h>
#include <time.h>

#include "app.h"
#include "date.h"
#include "admin.h"
#include "refdata.h"
#include "valid.h"

static const char *event_kind_vi(const char *);

static const struct {
	const char	*kind;
	const char	*vi;
} event_kinds[] = {
	{ "user_create",	"Tạo tài khoản" },
	{ "user_update",	"Sửa tài khoản" },
	{ "user_password_reset", "Đặt lại mật khẩu" },
	{ "user_deactivate",	"Khóa tài khoản" },
	{ "user_activate",	"Mở khóa tài khoản" },
	{ "password_change",	"Tự đổi mật khẩu" },
	{ "agency_create",	"Thêm cơ quan" },
	{ "agency_update",	"Sửa cơ quan" },
	{ "field_create",	"Thêm lĩnh vực" },
	{ "field_update",	"Sửa lĩnh vực" },
	{ "calendar_add",	"Thêm ngày vào lịch" },
	{ "calendar_remove",	"Xóa ngày khỏi lịch" },
	{ "hotline_hours",	"Sửa giờ tổng đài theo thứ" },
	{ "hotline_shift_add",	"Thêm ca riêng của tổng đài" },
	{ "hotline_shift_remove", "Xóa ca riêng của tổng đài" },
	{ "open311_key_issue",	"Cấp khóa API Open311" },
	{ "open311_key_revoke",	"Thu hồi khóa API Open311" },
	{ "channel_update",	"Sửa cấu hình kênh" },
	{ "channel_secret_clear", "Xóa khóa bí mật của kênh" },
	{ "message_resend",	"Gửi lại tin" },
	{ "dossier_settings",	"Sửa cấu hình tra cứu hồ sơ" },
	{ "dossier_import",	"Nhập hồ sơ một cửa" },
};

static const char	SQL_EVENTS[] =
    "SELECT e.id, e.kind, e.target_kind, e.target_id, e.target_label, "
    "e.actor_label, u.username AS actor, e.payload::text AS payload, "
    "to_char(e.at, 'DD/MM/YYYY HH24:MI:SS') AS at, "
    "count(*) OVER () AS total "
    "FROM admin_events e LEFT JOIN users u ON u.id = e.actor_id "
    "ORDER BY e.id DESC LIMIT 50 OFFSET $1::integer";

int
admin_home_step(struct http_request *req, struct web *w)
{
	return (web_redirect(req, "/quan-tri/nguoi-dung"));
}

/* The log: ask for a page of events, then show it. */
enum { EVENTS_QUERY, EVENTS_SHOW };

int
admin_events_step(struct http_request *req, struct web *w)
{
	struct tval	*list, *o;
	char		 offset[16];
	int		 i, n, page, total;

	page = 1;
	if (web_arg(w, "page", NULL) != NULL &&
	    admin_int(w, "page", 1, WEB_PAGE_MAX, &page) == -1)
		return (web_error(req, w, 400, "Số trang không hợp lệ."));
	if (w->step == EVENTS_QUERY) {
		(void)snprintf(offset, sizeof(offset), "%d",
		    (page - 1) * WEB_PAGE_SIZE);
		return (web_query(req, w, SQL_EVENTS, 1, offset));
	}

	admin_nav(w, "events");
	n = web_rows(w, EVENTS_QUERY);
	list = tval_set_list(w->view, "events");
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, EVENTS_QUERY, i);
		tval_set(o, "kind_text",
		    event_kind_vi(web_val(w, EVENTS_QUERY, i, "kind")));
	}
	total = n > 0 ? atoi(web_val(w, EVENTS_QUERY, 0, "total")) : 0;
	tval_set_bool(w->view, "empty", n == 0);
	web_pager(w, "/quan-tri/nhat-ky", "", page,
	    web_pager_count(w, page, total));
	return (web_render(req, w, 200, "admin_events", "Nhật ký quản trị"));
}

static const char *
event_kind_vi(const char *kind)
{
	size_t	i;

	for (i = 0; i < sizeof(event_kinds) / sizeof(event_kinds[0]); i++) {
		if (strcmp(event_kinds[i].kind, kind) == 0)
			return (event_kinds[i].vi);
	}
	return (kind);
}

/* ---- Helpers for the other admin_*.c files. ---------------------------- */

/*
 * A one-line text field, trimmed into out.  Optional ones may be empty.
 * 0, or -1 with a message in err if it is not acceptable.
 */
int
admin_text(struct web *w, const char *name, int max_chars, int required,
    char *out, size_t outlen, const char *label, char *err, size_t errlen)
{
	return (web_text(w, name, max_chars, 0, required, out, outlen, label,
	    err, errlen));
}

/* A decimal in [min, max], nothing else (no sign, no blanks). */
int
admin_int(struct web *w, const char *name, int min, int max, int *out)
{
	const char	*v;
	size_t		 len;
	long		 n;

	v = web_arg(w, name, &len);
	if (v == NULL || len == 0 || len > 9 || strlen(v) != len ||
	    strspn(v, "0123456789") != len)
		return (-1);
	n = strtol(v, NULL, 10);
	if (n < min || n > max)
		return (-1);
	*out = (int)n;
	return (0);
}

/* A checkbox: ticked when sent with the value "1". */
int
admin_checked(struct web *w, const char *name)
{
	const char	*v;

	v = web_arg(w, name, NULL);
	return (v != NULL && strcmp(v, "1") == 0);
}

/* What was typed, shown again when a form comes back with an error. */
void
admin_keep(struct web *w, struct tval *obj, const char *const *names)
{
	const char	*v;
	size_t		 len;
	int		 i;

	for (i = 0; names[i] != NULL; i++) {
		v = web_arg(w, names[i], &len);
		if (v != NULL && len < 2048 && strlen(v) == len &&
		    valid_utf8(v, len))
			tval_set(obj, names[i], v);
	}
}

/* The admin pages' own menu, with the current one marked. */
void
admin_nav(struct web *w, const char *current)
{
	struct tval	*nav;

	nav = tval_set_obj(w->view, "nav");
	tval_set_bool(nav, current, 1);
}

void
admin_actor(struct web *w, char *buf, size_t len)
{
	(void)snprintf(buf, len, "%d", w->user.id);
}

/* Read off a screen by a person: no 0/O, no 1/l/I. */
void
admin_password_generate(struct admin_secret *s)
{
	static const char	alphabet[] =
	    "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	size_t			i;

	for (i = 0; i < ADMIN_PASSWORD_LEN; i++)
		s->password[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	s->password[i] = '\0';
}

/* On a lane's thread: argon2id is slow by design. */
int
admin_password_hash(struct admin_secret *s)
{
	if (crypto_pwhash_str_alg(s->hash, s->password, strlen(s->password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		return (-1);
	return (0);
}

/* "YYYY-MM-DD", a real day of a year from 2000 to 2100. */
int
admin_date(const char *s, size_t len, int *y, int *m, int *d)
{
	return (len == 10 && s[4] == '-' && date_parse(s, len, y, m, d) == 0 &&
	    *y >= 2000 && *y <= 2100);
}

/* Today in the province, "YYYY-MM-DD", and its year. */
void
admin_today(char *buf, size_t len, int *year)
{
	struct tm	tm;
	time_t		now;

	now = time(NULL);
	localtime_r(&now, &tm);
	(void)strftime(buf, len, "%Y-%m-%d", &tm);
	if (year != NULL)
		*year = tm.tm_year + 1900;
}
