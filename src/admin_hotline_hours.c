/*
 * admin_hotline_hours: the hotline's own opening hours, apart from the
 * deadline calendar (admin_calendar.c): hours per weekday, and shifts (a
 * date the hotline closes, or opens with other hours).  Saved in
 * hotline_hours and hotline_shifts (migrations/0058); refdata.c writes
 * them into $VAR_DIR/calendar.txt and the plugin reads them again within
 * seconds.  A weekday left "as configured" keeps the plugin's open_hours
 * (always open unless set otherwise), holidays included.
 */
#include <ctype.h>

#include "app.h"
#include "admin.h"
#include "refdata.h"

#define HH_NOTE_MAX	200
#define HH_DAYS		7

struct hh_page {
	char	today[16];
	char	actor[16];
	/* The week, as Postgres array literals of checked tokens. */
	char	modes[HH_DAYS * 8 + 3];
	char	opens[HH_DAYS * 6 + 3];
	char	closes[HH_DAYS * 6 + 3];
	/* A shift. */
	char	day[16];
	char	closed[8];
	char	s_opens[8], s_closes[8];
	char	note[HH_NOTE_MAX * 4 + 1];
	char	err[300];
	int	status;
	int	k_week;			/* which result holds the week */
};

static const char *const hh_modes[] = { "default", "allday", "closed",
    "open", NULL };

static int	hh_time(const char *, int *);
static void	hh_cat(char *, const char *, size_t);
static int	hh_read_week(struct web *, struct hh_page *);
static int	hh_read_shift(struct web *, struct hh_page *);
static int	hh_list(struct http_request *, struct web *,
		    struct hh_page *);
static int	hh_render(struct http_request *, struct web *,
		    struct hh_page *);
static struct hh_page *hh_page_new(struct web *);

static const char	SQL_WEEK[] =
    "SELECT d AS dow, (ARRAY['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', "
    "'Thứ Sáu', 'Thứ Bảy', 'Chủ nhật'])[d] AS day_vi, "
    "CASE WHEN h.dow IS NULL THEN 'default' WHEN h.closed THEN 'closed' "
    "WHEN h.opens = '00:00' AND h.closes = '24:00' THEN 'allday' "
    "ELSE 'open' END AS mode, "
    "coalesce(to_char(h.opens, 'HH24:MI'), '') AS opens, "
    "coalesce(to_char(h.closes, 'HH24:MI'), '') AS closes "
    "FROM generate_series(1, 7) d LEFT JOIN hotline_hours h ON h.dow = d "
    "ORDER BY d";

static const char	SQL_SHIFTS[] =
    "SELECT to_char(day, 'YYYY-MM-DD') AS day, "
    "to_char(day, 'DD/MM/YYYY') AS day_vi, closed, "
    "coalesce(to_char(opens, 'HH24:MI'), '') AS opens, "
    "coalesce(to_char(closes, 'HH24:MI'), '') AS closes, note "
    "FROM hotline_shifts WHERE day >= $1::date - 1 ORDER BY day LIMIT 500";

/* The whole week at once; one line in the administration log. */
static const char	SQL_WEEK_SAVE[] =
    "WITH v AS (SELECT d::smallint AS dow, ($1::text[])[d] AS mode, "
    "($2::text[])[d] AS o, ($3::text[])[d] AS c "
    "FROM generate_series(1, 7) d), "
    "del AS (DELETE FROM hotline_hours WHERE dow IN "
    "(SELECT dow FROM v WHERE mode = 'default') RETURNING dow), "
    "up AS (INSERT INTO hotline_hours (dow, closed, opens, closes, "
    "updated_at, updated_by) SELECT dow, mode = 'closed', "
    "CASE mode WHEN 'open' THEN o::time WHEN 'allday' THEN '00:00' END, "
    "CASE mode WHEN 'open' THEN c::time WHEN 'allday' THEN '24:00' END, "
    "now(), $4::integer FROM v WHERE mode <> 'default' "
    "ON CONFLICT (dow) DO UPDATE SET closed = EXCLUDED.closed, "
    "opens = EXCLUDED.opens, closes = EXCLUDED.closes, updated_at = now(), "
    "updated_by = EXCLUDED.updated_by RETURNING dow) "
    ADMIN_EVENT_COLS
    "SELECT $4::integer, $5, 'hotline_hours', 'hotline_schedule', 'week', "
    "'Giờ tổng đài theo thứ', jsonb_build_object('mode', $1::text[], "
    "'opens', $2::text[], 'closes', $3::text[], "
    "'changed', (SELECT count(*) FROM del) + (SELECT count(*) FROM up)) "
    "RETURNING id";

/* The end of a shift's line in the administration log, from s. */
#define HH_SHIFT_EVENT \
    "to_char(day, 'YYYY-MM-DD'), note, jsonb_build_object('closed', closed, " \
    "'opens', to_char(opens, 'HH24:MI'), 'closes', to_char(closes, 'HH24:MI'), " \
    "'note', note) FROM s RETURNING target_id AS day"

/* One row back: the shift added, or none when the date has one. */
static const char	SQL_SHIFT_ADD[] =
    "WITH s AS (INSERT INTO hotline_shifts (day, closed, opens, closes, "
    "note, created_by) VALUES ($1::date, $2::boolean, "
    "CASE WHEN NOT $2::boolean THEN $3::time END, "
    "CASE WHEN NOT $2::boolean THEN $4::time END, $5, $6::integer) "
    "ON CONFLICT (day) DO NOTHING RETURNING day, closed, opens, closes, note) "
    ADMIN_EVENT_COLS
    "SELECT $6::integer, $7, 'hotline_shift_add', 'hotline_schedule', "
    HH_SHIFT_EVENT;

static const char	SQL_SHIFT_REMOVE[] =
    "WITH s AS (DELETE FROM hotline_shifts WHERE day = $1::date "
    "RETURNING day, closed, opens, closes, note) "
    ADMIN_EVENT_COLS
    "SELECT $2::integer, $3, 'hotline_shift_remove', 'hotline_schedule', "
    HH_SHIFT_EVENT;

/*
 * The page: show the week and the shifts, or save the week the form sent
 * (HH_SAVE, then back to the page).  The lists are asked for at HH_SAVE
 * or, after the save, never: a saved week redirects.
 */
enum { HH_SAVE, HH_SAVED, HH_SHIFTS, HH_SHOW };

int
admin_hotline_hours_step(struct http_request *req, struct web *w)
{
	struct hh_page	*h = w->data;

	if (w->step == HH_SAVE) {
		h = hh_page_new(w);
		if (!web_is_post(req))
			return (hh_list(req, w, h));
		if (hh_read_week(w, h) == -1) {
			h->status = 400;
			return (hh_list(req, w, h));
		}
		return (web_query(req, w, SQL_WEEK_SAVE, 5, h->modes, h->opens,
		    h->closes, h->actor, w->user.full_name));
	}
	if (h->k_week >= 0 && w->step - 1 == h->k_week)
		return (web_query(req, w, SQL_SHIFTS, 1, h->today));
	if (h->k_week >= 0 && w->step - 2 == h->k_week)
		return (hh_render(req, w, h));
	refdata_reload();
	return (web_redirect(req, "/quan-tri/gio-tong-dai?ok=tuan"));
}

/* Adding a shift. */
enum { SHIFT_ADD, SHIFT_ADDED };

int
admin_hotline_shift_add_step(struct http_request *req, struct web *w)
{
	struct hh_page	*h = w->data;

	if (w->step == SHIFT_ADD) {
		h = hh_page_new(w);
		if (hh_read_shift(w, h) == -1) {
			h->status = 400;
			return (hh_list(req, w, h));
		}
		return (web_query(req, w, SQL_SHIFT_ADD, 7, h->day, h->closed,
		    h->s_opens, h->s_closes, h->note, h->actor,
		    w->user.full_name));
	}
	if (h->k_week >= 0 && w->step - 1 == h->k_week)
		return (web_query(req, w, SQL_SHIFTS, 1, h->today));
	if (h->k_week >= 0 && w->step - 2 == h->k_week)
		return (hh_render(req, w, h));
	if (web_rows(w, SHIFT_ADD) != 1) {
		h->status = 409;
		(void)snprintf(h->err, sizeof(h->err), "Ngày %.2s/%.2s/%.4s đã "
		    "có ca riêng. Muốn đổi, hãy xóa ca đó rồi thêm lại.",
		    h->day + 8, h->day + 5, h->day);
		return (hh_list(req, w, h));
	}
	refdata_reload();
	return (web_redirect(req, "/quan-tri/gio-tong-dai?ok=them"));
}

/* Removing a shift (the page asks to confirm first). */
enum { SHIFT_DELETE, SHIFT_DONE };

int
admin_hotline_shift_remove_step(struct http_request *req, struct web *w)
{
	struct hh_page	*h = w->data;
	const char	*v;
	size_t		 len;
	int		 y, m, d;

	if (w->step == SHIFT_DELETE) {
		h = hh_page_new(w);
		v = web_arg(w, "day", &len);
		if (v == NULL || strlen(v) != len ||
		    !admin_date(v, len, &y, &m, &d))
			return (web_error(req, w, 400, "Ngày không hợp lệ."));
		memcpy(h->day, v, len + 1);
		return (web_query(req, w, SQL_SHIFT_REMOVE, 3, h->day,
		    h->actor, w->user.full_name));
	}
	if (web_rows(w, SHIFT_DELETE) != 1)
		return (web_error(req, w, 404, "Ngày này không có ca riêng."));
	refdata_reload();
	return (web_redirect(req, "/quan-tri/gio-tong-dai?ok=xoa"));
}

/* "HH:MM", 00:00 to 24:00: 0 and the minutes, or -1. */
static int
hh_time(const char *s, int *min)
{
	if (s == NULL || strlen(s) != 5 || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || s[2] != ':' ||
	    !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]) ||
	    s[3] > '5')
		return (-1);
	*min = ((s[0] - '0') * 10 + (s[1] - '0')) * 60 +
	    (s[3] - '0') * 10 + (s[4] - '0');
	return (*min > 24 * 60 ? -1 : 0);
}

/* Appends s to dst (len bytes in all); what does not fit is left out
 * (the buffers are sized for the longest tokens). */
static void
hh_cat(char *dst, const char *s, size_t len)
{
	size_t	n = strlen(dst), m = strlen(s);

	if (n + m + 1 > len)
		return;
	memcpy(dst + n, s, m + 1);
}

/* mode_1 .. mode_7, opens_N, closes_N: into array literals. */
static int
hh_read_week(struct web *w, struct hh_page *h)
{
	static const char *const day_vi[] = { "Thứ Hai", "Thứ Ba", "Thứ Tư",
	    "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật" };
	char		 name[16];
	const char	*mode, *o, *c;
	int		 d, i, from, to;

	(void)kore_strlcpy(h->modes, "{", sizeof(h->modes));
	(void)kore_strlcpy(h->opens, "{", sizeof(h->opens));
	(void)kore_strlcpy(h->closes, "{", sizeof(h->closes));
	for (d = 1; d <= HH_DAYS; d++) {
		(void)snprintf(name, sizeof(name), "mode_%d", d);
		mode = web_arg(w, name, NULL);
		for (i = 0; mode != NULL && hh_modes[i] != NULL; i++)
			if (strcmp(mode, hh_modes[i]) == 0)
				break;
		if (mode == NULL || hh_modes[i] == NULL) {
			(void)snprintf(h->err, sizeof(h->err), "%s: vui lòng "
			    "chọn cách mở tổng đài.", day_vi[d - 1]);
			return (-1);
		}
		o = c = "-";
		if (strcmp(mode, "open") == 0) {
			(void)snprintf(name, sizeof(name), "opens_%d", d);
			o = web_arg(w, name, NULL);
			(void)snprintf(name, sizeof(name), "closes_%d", d);
			c = web_arg(w, name, NULL);
			if (hh_time(o, &from) == -1 || hh_time(c, &to) == -1 ||
			    from >= to) {
				(void)snprintf(h->err, sizeof(h->err), "%s: giờ "
				    "mở và giờ đóng phải theo dạng giờ:phút "
				    "(00:00 đến 24:00), giờ mở trước giờ đóng.",
				    day_vi[d - 1]);
				return (-1);
			}
		}
		hh_cat(h->modes, mode, sizeof(h->modes));
		hh_cat(h->opens, o, sizeof(h->opens));
		hh_cat(h->closes, c, sizeof(h->closes));
		if (d < HH_DAYS) {
			hh_cat(h->modes, ",", sizeof(h->modes));
			hh_cat(h->opens, ",", sizeof(h->opens));
			hh_cat(h->closes, ",", sizeof(h->closes));
		}
	}
	hh_cat(h->modes, "}", sizeof(h->modes));
	hh_cat(h->opens, "}", sizeof(h->opens));
	hh_cat(h->closes, "}", sizeof(h->closes));
	return (0);
}

/* day (today or later), closed or opens/closes, note. */
static int
hh_read_shift(struct web *w, struct hh_page *h)
{
	const char	*v;
	size_t		 len;
	int		 y, m, d, from, to;

	v = web_arg(w, "day", &len);
	if (v == NULL || len == 0 || strlen(v) != len ||
	    !admin_date(v, len, &y, &m, &d)) {
		kore_strlcpy(h->err, "Ngày không hợp lệ: vui lòng nhập theo "
		    "dạng năm-tháng-ngày, ví dụ 2026-09-02 (năm 2000 đến 2100).",
		    sizeof(h->err));
		return (-1);
	}
	memcpy(h->day, v, len + 1);
	if (strcmp(h->day, h->today) < 0) {
		kore_strlcpy(h->err, "Chỉ thêm được ca cho hôm nay hoặc ngày "
		    "sau.", sizeof(h->err));
		return (-1);
	}
	v = web_arg(w, "kind", NULL);
	if (v != NULL && strcmp(v, "closed") == 0) {
		kore_strlcpy(h->closed, "true", sizeof(h->closed));
		kore_strlcpy(h->s_opens, "00:00", sizeof(h->s_opens));
		kore_strlcpy(h->s_closes, "24:00", sizeof(h->s_closes));
	} else if (v != NULL && strcmp(v, "open") == 0) {
		kore_strlcpy(h->closed, "false", sizeof(h->closed));
		if (hh_time(web_arg(w, "opens", NULL), &from) == -1 ||
		    hh_time(web_arg(w, "closes", NULL), &to) == -1 ||
		    from >= to) {
			kore_strlcpy(h->err, "Giờ mở và giờ đóng phải theo dạng "
			    "giờ:phút (00:00 đến 24:00), giờ mở trước giờ đóng.",
			    sizeof(h->err));
			return (-1);
		}
		kore_strlcpy(h->s_opens, web_arg(w, "opens", NULL),
		    sizeof(h->s_opens));
		kore_strlcpy(h->s_closes, web_arg(w, "closes", NULL),
		    sizeof(h->s_closes));
	} else {
		kore_strlcpy(h->err, "Vui lòng chọn: tổng đài nghỉ cả ngày, "
		    "hoặc mở theo giờ khác.", sizeof(h->err));
		return (-1);
	}
	return (admin_text(w, "note", HH_NOTE_MAX, 0, h->note,
	    sizeof(h->note), "Ghi chú", h->err, sizeof(h->err)));
}

/* The week then the shifts; the page renders when both are in. */
static int
hh_list(struct http_request *req, struct web *w, struct hh_page *h)
{
	h->k_week = w->step;
	return (web_query(req, w, SQL_WEEK, 0));
}

static int
hh_render(struct http_request *req, struct web *w, struct hh_page *h)
{
	static const char *const keep[] = { "day", "opens", "closes", "note",
	    NULL };
	struct tval	*list, *o, *f;
	const char	*v, *mode;
	char		 key[16];
	int		 i, j, n;

	admin_nav(w, "hotline_hours");
	list = tval_set_list(w->view, "week");
	n = web_rows(w, h->k_week);
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, h->k_week, i);
		mode = web_val(w, h->k_week, i, "mode");
		/* A refused form shows what was sent, not what is saved. */
		if (h->status != 0 && web_is_post(req)) {
			(void)snprintf(key, sizeof(key), "mode_%d", i + 1);
			if ((v = web_arg(w, key, NULL)) != NULL)
				mode = v;
		}
		for (j = 0; hh_modes[j] != NULL; j++) {
			(void)snprintf(key, sizeof(key), "m_%s", hh_modes[j]);
			tval_set_bool(o, key, strcmp(mode, hh_modes[j]) == 0);
		}
	}
	list = tval_set_list(w->view, "shifts");
	n = web_rows(w, h->k_week + 1);
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, h->k_week + 1, i);
		tval_set_bool(o, "is_closed",
		    strcmp(web_val(w, h->k_week + 1, i, "closed"), "t") == 0);
	}
	tval_set_bool(w->view, "no_shifts", n == 0);
	tval_set(w->view, "today", h->today);
	f = tval_set_obj(w->view, "f");
	if (web_is_post(req) && web_arg(w, "day", NULL) != NULL) {
		admin_keep(w, f, keep);
		v = web_arg(w, "kind", NULL);
		tval_set_bool(f, "open", v != NULL && strcmp(v, "open") == 0);
	}
	v = web_arg(w, "ok", NULL);
	if (!web_is_post(req) && v != NULL && strcmp(v, "tuan") == 0)
		tval_set(w->view, "notice", "Đã lưu giờ tổng đài theo thứ.");
	else if (!web_is_post(req) && v != NULL && strcmp(v, "them") == 0)
		tval_set(w->view, "notice", "Đã thêm ca riêng.");
	else if (!web_is_post(req) && v != NULL && strcmp(v, "xoa") == 0)
		tval_set(w->view, "notice", "Đã xóa ca riêng.");
	if (h->err[0] != '\0')
		tval_set(w->view, "error", h->err);
	return (web_render(req, w, h->status ? h->status : 200,
	    "admin_hotline_hours", "Giờ tổng đài"));
}

static struct hh_page *
hh_page_new(struct web *w)
{
	struct hh_page	*h;
	int		 year;

	h = kore_calloc(1, sizeof(*h));
	admin_actor(w, h->actor, sizeof(h->actor));
	admin_today(h->today, sizeof(h->today), &year);
	h->k_week = -1;
	w->data = h;
	w->data_free = kore_free;
	return (h);
}
