/*
 * admin_calendar: public holidays and the weekend days worked in
 * exchange ("ngày làm bù"), by year.  Deadlines in working days are
 * computed from them (deadline.c), so only a future day may be removed:
 * deadlines already given out depend on the past ones.
 */
#include <time.h>

#include "app.h"
#include "admin.h"
#include "refdata.h"
#include "valid.h"

#define DAY_NAME_MAX		200

struct cal_page {
	char	today[16];
	char	year[8];
	char	day[16];
	char	kind[16];
	char	name[DAY_NAME_MAX * 4 + 1];
	char	actor[16];
	char	err[300];
	int	status;			/* of the page, when not 200 */
	int	k_list;			/* which result holds the list */
};

static int	cal_read(struct web *, struct cal_page *);
static int	cal_list(struct http_request *, struct web *,
		    struct cal_page *);
static int	cal_render(struct http_request *, struct web *,
		    struct cal_page *);
static const char *day_kind_vi(const char *);
static struct cal_page *cal_page_new(struct web *);

static const char	SQL_DAYS[] =
    "SELECT to_char(day, 'YYYY-MM-DD') AS day, "
    "to_char(day, 'DD/MM/YYYY') AS day_vi, extract(isodow FROM day)::int AS dow, "
    "kind, name, day > $2::date AS removable FROM calendar_days "
    "WHERE day >= make_date($1::integer, 1, 1) "
    "AND day < make_date($1::integer + 1, 1, 1) ORDER BY day";

/* One row back: the day added, or NULL when it is already there. */
static const char	SQL_DAY_ADD[] =
    "WITH d AS (INSERT INTO calendar_days (day, kind, name) "
    "VALUES ($1::date, $2, $3) ON CONFLICT (day) DO NOTHING "
    "RETURNING day, kind, name), "
    "e AS (" ADMIN_EVENT_COLS
    "SELECT $4::integer, $5, 'calendar_add', 'calendar', "
    "to_char(day, 'YYYY-MM-DD'), name, "
    "jsonb_build_object('kind', kind, 'name', name) FROM d "
    "RETURNING target_id) "
    "SELECT (SELECT target_id FROM e) AS day";

/* The database checks "in the future" too, by its own clock. */
static const char	SQL_DAY_REMOVE[] =
    "WITH d AS (DELETE FROM calendar_days WHERE day = $1::date "
    "AND day > current_date "
    "RETURNING day, kind, name) "
    ADMIN_EVENT_COLS
    "SELECT $2::integer, $3, 'calendar_remove', 'calendar', "
    "to_char(day, 'YYYY-MM-DD'), name, "
    "jsonb_build_object('kind', kind, 'name', name) FROM d "
    "RETURNING target_id AS day";

/*
 * The calendar: show the year, or add the day the form sent (CAL_ADD) and
 * see whether it was new (CAL_ADDED).  The list is asked for at CAL_ADD
 * or, after a refused add, at CAL_ADDED: c->k_list says which.
 */
enum { CAL_ADD, CAL_ADDED, CAL_SHOW };

int
admin_calendar_step(struct http_request *req, struct web *w)
{
	struct cal_page	*c = w->data;
	char		 url[96];
	int		 year;

	if (w->step == CAL_ADD) {
		c = cal_page_new(w);
		if (!web_is_post(req)) {
			if (web_arg(w, "nam", NULL) != NULL) {
				if (admin_int(w, "nam", 2000, 2100, &year) == -1) {
					c->status = 400;
					kore_strlcpy(c->err, "Năm không hợp lệ "
					    "(từ 2000 đến 2100).", sizeof(c->err));
				} else {
					(void)snprintf(c->year, sizeof(c->year),
					    "%d", year);
				}
			}
			return (cal_list(req, w, c));
		}
		if (cal_read(w, c) == -1) {
			c->status = 400;
			return (cal_list(req, w, c));
		}
		return (web_query(req, w, SQL_DAY_ADD, 5, c->day, c->kind,
		    c->name, c->actor, w->user.full_name));
	}
	if (w->step - 1 == c->k_list)
		return (cal_render(req, w, c));

	/* The INSERT is done, or the day was there already. */
	if (web_val(w, CAL_ADD, 0, "day") == NULL) {
		c->status = 409;
		(void)snprintf(c->err, sizeof(c->err), "Ngày %.2s/%.2s/%.4s đã "
		    "có trong lịch. Muốn đổi loại hoặc tên, hãy xóa ngày đó "
		    "rồi thêm lại.", c->day + 8, c->day + 5, c->day);
		return (cal_list(req, w, c));
	}
	refdata_reload();
	(void)snprintf(url, sizeof(url), "/quan-tri/lich?nam=%s&ok=them",
	    c->year);
	return (web_redirect(req, url));
}

/* Date, kind and name of a day to add.  The year shown follows the date. */
static int
cal_read(struct web *w, struct cal_page *c)
{
	const char	*v;
	size_t		 len;
	struct tm	 tm;
	time_t		 t;
	int		 y, m, d;

	v = web_arg(w, "day", &len);
	if (v == NULL || len == 0 || strlen(v) != len ||
	    !admin_date(v, len, &y, &m, &d)) {
		kore_strlcpy(c->err, "Ngày không hợp lệ: vui lòng nhập theo "
		    "dạng năm-tháng-ngày, ví dụ 2026-09-02 (năm 2000 đến 2100).",
		    sizeof(c->err));
		return (-1);
	}
	memcpy(c->day, v, len + 1);
	(void)snprintf(c->year, sizeof(c->year), "%d", y);

	v = web_arg(w, "kind", &len);
	if (v == NULL || (strcmp(v, "holiday") != 0 &&
	    strcmp(v, "workday") != 0)) {
		kore_strlcpy(c->err, "Vui lòng chọn loại ngày: ngày nghỉ hoặc "
		    "ngày làm bù.", sizeof(c->err));
		return (-1);
	}
	kore_strlcpy(c->kind, v, sizeof(c->kind));

	/* A day worked in exchange is a Saturday or a Sunday. */
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	if (strcmp(c->kind, "workday") == 0 && tm.tm_wday != 0 &&
	    tm.tm_wday != 6) {
		kore_strlcpy(c->err, "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật "
		    "(ngày thường đã là ngày làm việc).", sizeof(c->err));
		return (-1);
	}
	return (admin_text(w, "name", DAY_NAME_MAX, 1, c->name,
	    sizeof(c->name), "Tên ngày (ví dụ: Quốc khánh)", c->err,
	    sizeof(c->err)));
}

/* The days of the year shown; the page renders when they are in. */
static int
cal_list(struct http_request *req, struct web *w, struct cal_page *c)
{
	c->k_list = w->step;
	return (web_query(req, w, SQL_DAYS, 2, c->year, c->today));
}

static int
cal_render(struct http_request *req, struct web *w, struct cal_page *c)
{
	static const char *const keep[] = { "day", "name", NULL };
	struct tval	*list, *o, *f;
	const char	*v;
	int		 i, n, year;
	char		 link[64];

	admin_nav(w, "calendar");
	list = tval_set_list(w->view, "days");
	n = web_rows(w, c->k_list);
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, c->k_list, i);
		tval_set(o, "kind_text",
		    day_kind_vi(web_val(w, c->k_list, i, "kind")));
		tval_set_bool(o, "is_holiday",
		    strcmp(web_val(w, c->k_list, i, "kind"), "holiday") == 0);
	}
	tval_set_bool(w->view, "empty", n == 0);
	year = atoi(c->year);
	tval_set(w->view, "year", c->year);
	tval_set(w->view, "today", c->today);
	(void)snprintf(link, sizeof(link), "/quan-tri/lich?nam=%d", year - 1);
	if (year > 2000)
		tval_set(w->view, "prev_year", link);
	(void)snprintf(link, sizeof(link), "/quan-tri/lich?nam=%d", year + 1);
	if (year < 2100)
		tval_set(w->view, "next_year", link);

	f = tval_set_obj(w->view, "f");
	if (web_is_post(req)) {
		admin_keep(w, f, keep);
		v = web_arg(w, "kind", NULL);
		tval_set_bool(f, "workday", v != NULL && strcmp(v, "workday") == 0);
	}
	v = web_arg(w, "ok", NULL);
	if (!web_is_post(req) && v != NULL && strcmp(v, "them") == 0)
		tval_set(w->view, "notice", "Đã thêm ngày vào lịch.");
	else if (!web_is_post(req) && v != NULL && strcmp(v, "xoa") == 0)
		tval_set(w->view, "notice", "Đã xóa ngày khỏi lịch.");
	if (c->err[0] != '\0')
		tval_set(w->view, "error", c->err);
	return (web_render(req, w, c->status ? c->status : 200,
	    "admin_calendar", "Lịch ngày nghỉ, ngày làm bù"));
}

/* Removing a day: delete it, then go back to its year. */
enum { REMOVE_DELETE, REMOVE_DONE };

int
admin_calendar_remove_step(struct http_request *req, struct web *w)
{
	struct cal_page	*c = w->data;
	const char	*v;
	size_t		 len;
	char		 url[96];
	int		 y, m, d;

	if (w->step == REMOVE_DELETE) {
		c = cal_page_new(w);
		v = web_arg(w, "day", &len);
		if (v == NULL || strlen(v) != len || !admin_date(v, len, &y, &m, &d))
			return (web_error(req, w, 400, "Ngày không hợp lệ."));
		memcpy(c->day, v, len + 1);
		(void)snprintf(c->year, sizeof(c->year), "%d", y);
		if (strcmp(c->day, c->today) <= 0)
			return (web_error(req, w, 409, "Không thể xóa ngày đã "
			    "qua hoặc hôm nay: hạn xử lý các phiếu đã được tính "
			    "theo ngày này."));
		return (web_query(req, w, SQL_DAY_REMOVE, 3, c->day, c->actor,
		    w->user.full_name));
	}
	if (web_rows(w, REMOVE_DELETE) != 1)
		return (web_error(req, w, 404, "Ngày này không có trong lịch "
		    "(hoặc đã qua)."));
	refdata_reload();
	(void)snprintf(url, sizeof(url), "/quan-tri/lich?nam=%s&ok=xoa",
	    c->year);
	return (web_redirect(req, url));
}

static const char *
day_kind_vi(const char *kind)
{
	if (strcmp(kind, "holiday") == 0)
		return ("Ngày nghỉ");
	if (strcmp(kind, "workday") == 0)
		return ("Ngày làm bù");
	return (kind);
}

static struct cal_page *
cal_page_new(struct web *w)
{
	struct cal_page	*c;
	int		 year;

	c = kore_calloc(1, sizeof(*c));
	admin_actor(w, c->actor, sizeof(c->actor));
	admin_today(c->today, sizeof(c->today), &year);
	(void)snprintf(c->year, sizeof(c->year), "%d", year);
	c->k_list = -1;
	w->data = c;
	w->data_free = kore_free;
	return (c);
}
