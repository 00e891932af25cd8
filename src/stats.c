/*
 * stats: the leaders' statistics — tickets received, answered, answered
 * on time (against the first deadline the ticket was given, kept in
 * ticket_deadlines: a re-forward that moved the deadline does not make a
 * late answer on time), open past their deadline (ticket_overdue(), the
 * inbox's definition), the average time to answer, and the center's own
 * time to its first answer or forward, by field, channel, type, level,
 * agency or month,
 * for a range of days in Vietnam's time.  A second query gives each
 * agency's figures: forward to that agency's reply (agency_timeliness(),
 * migrations/0059), the same an agency officer sees of their own agency on
 * /co-quan/thong-ke.  The queries serve the page (a table that needs no
 * JavaScript), the JSON the chart draws from, and the CSV.
 */
#include <time.h>

#include "app.h"
#include "date.h"
#include "refdata.h"
#include "csv.h"
#include "supervisor.h"
#include "workflow.h"

#define DAY_LEN		SUP_DAY_LEN
#define YEAR_MIN	DATE_YEAR_MIN
#define YEAR_MAX	DATE_YEAR_MAX

struct stats_group {
	const char	*slug;		/* in the URL */
	const char	*key;		/* in the SQL */
	const char	*label;		/* the table's first column */
};

static const struct stats_group groups[] = {
	{ "linh-vuc",	"field",	"Lĩnh vực" },
	{ "kenh",	"channel",	"Kênh tiếp nhận" },
	{ "loai",	"kind",		"Loại phiếu" },
	{ "cap-do",	"level",	"Cấp độ" },
	{ "co-quan",	"agency",	"Cơ quan xử lý" },
	{ "thang",	"month",	"Tháng" },
};

struct stats_filter {
	char				 from[DAY_LEN + 1];
	char				 to[DAY_LEN + 1];
	const struct stats_group	*group;
};

/*
 * One line of the table: a row of the query, or, grouping by month, a
 * month without tickets, so a year reads as twelve months.
 */
struct stats_row {
	const char	*key;
	const char	*label;
	const char	*received;
	const char	*answered;
	const char	*on_time;
	const char	*on_time_pct;
	const char	*overdue_open;
	const char	*avg_hours;
	const char	*avg_days;
	const char	*center_replied;	/* first answer or forward */
	const char	*center_on_time_pct;
	const char	*center_avg_hours;
	char		 month_key[8];		/* YYYY-MM */
	char		 month_label[8];	/* MM/YYYY */
};

static int	stats_filter_read(struct web *, struct stats_filter *,
		    const char **);
static void	stats_filter_view(struct web *, const struct stats_filter *);
static int	stats_page(struct http_request *, struct web *,
		    const struct stats_filter *);
static int	stats_json(struct http_request *, struct web *,
		    const struct stats_filter *);
static int	stats_csv(struct http_request *, struct web *,
		    const struct stats_filter *);
static struct stats_row *stats_rows(struct web *, const struct stats_filter *,
		    int *);
static void	stats_row_result(struct web *, int,
		    const struct stats_filter *, struct stats_row *);
static void	stats_row_month(int, int, struct stats_row *);
static void	stats_row_view(const struct stats_row *, struct tval *);
static void	stats_avg_text(const char *, const char *, char *, size_t);
static json_t	*stats_row_json(const struct stats_row *);
static void	stats_agencies_view(struct web *, int, struct tval *);
static json_t	*stats_agencies_json(struct web *, int);
static void	stats_agencies_csv(struct web *, int, struct sbuf *);

#define MONTHS_MAX	((YEAR_MAX - YEAR_MIN + 1) * 12)

/*
 * $1, $2: the first and last day (inclusive, Vietnam time), $3: the
 * grouping.  The empty grouping set adds the total row (is_total = 1),
 * computed over the tickets, not summed from the rows, so its average is
 * right.
 */
static const char	SQL_STATS[] =
    "SELECT g.key, g.label, "
    "count(*) AS received, "
    "count(*) FILTER (WHERE k.answered) AS answered, "
    "count(*) FILTER (WHERE k.answered AND t.answered_at <= k.first_due) "
    "    AS on_time, "
    "round(100.0 * count(*) FILTER (WHERE k.answered "
    "    AND t.answered_at <= k.first_due) "
    "    / nullif(count(*) FILTER (WHERE k.answered), 0), 1) AS on_time_pct, "
    "count(*) FILTER (WHERE ticket_overdue(t)) AS overdue_open, "
    "round(extract(epoch FROM avg(t.answered_at - t.created_at) "
    "    FILTER (WHERE k.answered)) / 3600, 1) AS avg_hours, "
    "round(extract(epoch FROM avg(t.answered_at - t.created_at) "
    "    FILTER (WHERE k.answered)) / 86400, 1) AS avg_days, "
    "count(k.first_reply) AS center_replied, "
    "round(100.0 * count(*) FILTER (WHERE k.first_reply <= k.first_due) "
    "    / nullif(count(k.first_reply), 0), 1) AS center_on_time_pct, "
    "round(extract(epoch FROM avg(k.first_reply - t.created_at)) / 3600, 1) "
    "    AS center_avg_hours, "
    "GROUPING(g.key) AS is_total "
    "FROM tickets t "
    "LEFT JOIN fields f ON f.id = t.field_id "
    "LEFT JOIN agencies a ON a.id = t.agency_id "
    "LEFT JOIN ticket_levels l ON l.id = t.level "
    "CROSS JOIN LATERAL (SELECT ticket_first_due(t.id) AS first_due, "
    "  ticket_first_reply(t.id) AS first_reply, "
    "  (t.answered_at IS NOT NULL AND NOT ticket_open(t)) AS answered) k "
    "CROSS JOIN LATERAL (SELECT "
    "  CASE $3 WHEN 'field' THEN coalesce(f.code, '') "
    "    WHEN 'agency' THEN coalesce(a.code, '') "
    "    WHEN 'channel' THEN t.channel "
    "    WHEN 'kind' THEN t.kind "
    "    WHEN 'level' THEN coalesce(t.level::text, '') "
    "    ELSE to_char(t.created_at, 'YYYY-MM') END AS key, "
    "  CASE $3 WHEN 'field' THEN coalesce(f.name, 'Chưa phân loại lĩnh vực') "
    "    WHEN 'agency' THEN coalesce(a.name, 'Chưa chuyển cơ quan') "
    "    WHEN 'channel' THEN t.channel "
    "    WHEN 'kind' THEN t.kind "
    "    WHEN 'level' THEN coalesce(l.name, 'Chưa phân loại cấp độ') "
    "    ELSE to_char(t.created_at, 'MM/YYYY') END AS label, "
    "  CASE $3 WHEN 'field' THEN coalesce(f.sort, 100000) "
    "    WHEN 'agency' THEN CASE WHEN a.id IS NULL THEN 1 ELSE 0 END "
    "    WHEN 'channel' THEN array_position(ARRAY['phone', 'web', 'email', "
    "      'chat', 'zalo', 'facebook', 'open311', 'walkin', 'letter', "
    "      'other'], t.channel) "
    "    WHEN 'kind' THEN array_position(ARRAY['hoi', 'phan_anh', "
    "      'kien_nghi', 'khac'], t.kind) "
    "    WHEN 'level' THEN coalesce(t.level, 1000) "
    "    ELSE 0 END AS sort) g "
    "WHERE t.created_at >= $1::date::timestamptz "
    "AND t.created_at < ($2::date + 1)::timestamptz "
    "GROUP BY GROUPING SETS ((g.sort, g.key, g.label), ()) "
    "ORDER BY GROUPING(g.key), g.sort, "
    "CASE WHEN $3 = 'month' THEN g.key ELSE g.label END";

/*
 * Each agency's figures, every agency ($3 NULL) or one agency's (the
 * officer's scope): see agency_timeliness() in migrations/0059.
 */
static const char	SQL_AGENCIES[] =
    "SELECT code, name, received, answered, on_time, on_time_pct, overdue, "
    "avg_hours, round(avg_hours / 24, 1) AS avg_days "
    "FROM agency_timeliness($1::date, $2::date, $3::integer)";

/*
 * The report: read the filters and ask, ask for the agencies' figures,
 * then show or export the rows.
 */
enum { STATS_QUERY, STATS_AGENCIES, STATS_SHOW };

int
stats_step(struct http_request *req, struct web *w)
{
	struct stats_filter	*f = w->data;
	const char		*err;

	if (w->step == STATS_QUERY) {
		f = kore_calloc(1, sizeof(*f));
		w->data = f;
		w->data_free = kore_free;
		if (stats_filter_read(w, f, &err) == -1) {
			if (w->route->id != ROUTE_SUP_STATS)
				return (web_error(req, w, 400, err));
			tval_set(w->view, "error", err);
			stats_filter_view(w, f);
			return (web_render(req, w, 400, "supervisor_stats",
			    "Thống kê"));
		}
		return (web_query(req, w, SQL_STATS, 3, f->from, f->to,
		    f->group->key));
	}
	if (w->step == STATS_AGENCIES)
		return (web_query(req, w, SQL_AGENCIES, 3, f->from, f->to,
		    NULL));

	if (w->route->id == ROUTE_SUP_STATS_JSON)
		return (stats_json(req, w, f));
	if (w->route->id == ROUTE_SUP_STATS_CSV)
		return (stats_csv(req, w, f));
	return (stats_page(req, w, f));
}

/*
 * tu, den: days as YYYY-MM-DD (what <input type=date> sends) or
 * DD/MM/YYYY (what people type); this year so far by default.
 * theo: the grouping, by field unless told.
 */
static int
stats_filter_read(struct web *w, struct stats_filter *f, const char **err)
{
	struct tm	 tm;
	time_t		 now;
	int		 c;

	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(f->from, sizeof(f->from), "%Y-01-01", &tm);
	strftime(f->to, sizeof(f->to), "%Y-%m-%d", &tm);
	f->group = &groups[0];

	if (sup_day_range(w, f->from, f->to, err) == -1)
		return (-1);

	c = sup_arg_choice(w, "theo", groups, sizeof(groups) /
	    sizeof(groups[0]), sizeof(groups[0]));
	if (c == SUP_CHOICE_BAD) {
		*err = "Cách nhóm không hợp lệ: chọn theo lĩnh vực, kênh, "
		    "loại, cấp độ, cơ quan hoặc tháng.";
		return (-1);
	}
	if (c != SUP_CHOICE_NONE)
		f->group = &groups[c];
	return (0);
}

/* The filter form as it was, and the same filters for the links. */
static void
stats_filter_view(struct web *w, const struct stats_filter *f)
{
	struct tval	*list, *o;
	size_t		 i;

	tval_set(w->view, "from", f->from);
	tval_set(w->view, "to", f->to);
	/* "2026-01-31" → "31/01/2026" for the heading. */
	tval_setf(w->view, "from_vi", "%.2s/%.2s/%.4s", f->from + 8, f->from + 5,
	    f->from);
	tval_setf(w->view, "to_vi", "%.2s/%.2s/%.4s", f->to + 8, f->to + 5, f->to);
	tval_set(w->view, "group_label", f->group->label);
	tval_setf(w->view, "qs", "tu=%s&den=%s&theo=%s", f->from, f->to,
	    f->group->slug);
	list = tval_set_list(w->view, "groups");
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		o = tval_list_add(list);
		tval_set(o, "slug", groups[i].slug);
		tval_set(o, "label", groups[i].label);
		tval_set_bool(o, "selected", &groups[i] == f->group);
	}
}

static int
stats_page(struct http_request *req, struct web *w,
    const struct stats_filter *f)
{
	struct stats_row	*rows;
	struct tval		*list;
	int			 i, n;

	stats_filter_view(w, f);
	rows = stats_rows(w, f, &n);
	list = tval_set_list(w->view, "rows");
	for (i = 0; i < n - 1; i++)
		stats_row_view(&rows[i], tval_list_add(list));
	stats_row_view(&rows[n - 1], tval_set_obj(w->view, "total"));
	tval_set_bool(w->view, "empty", strcmp(rows[n - 1].received, "0") == 0);
	kore_free(rows);
	stats_agencies_view(w, STATS_AGENCIES, w->view);
	return (web_render(req, w, 200, "supervisor_stats", "Thống kê"));
}

/*
 * The lines of the table, the total last (the query sorts it there);
 * *np >= 1.  The caller frees the array; the strings stay in w->res[0].
 */
static struct stats_row *
stats_rows(struct web *w, const struct stats_filter *f, int *np)
{
	struct stats_row	*rows;
	const char		*key;
	int			 i, k, n, m, y, months;

	n = web_rows(w, STATS_QUERY);
	if (n < 1)
		fatal("stats: no total row");
	if (strcmp(f->group->key, "month") != 0) {
		rows = kore_calloc(n, sizeof(*rows));
		for (i = 0; i < n; i++)
			stats_row_result(w, i, f, &rows[i]);
		*np = n;
		return (rows);
	}

	/* Every month of the range, in order; the query has those with tickets. */
	y = atoi(f->from);
	m = atoi(f->from + 5);
	months = (atoi(f->to) - y) * 12 + atoi(f->to + 5) - m + 1;
	if (months < 1 || months > MONTHS_MAX)
		fatal("stats: %d months", months);
	rows = kore_calloc(months + 1, sizeof(*rows));
	for (i = 0, k = 0; i < months; i++) {
		stats_row_month(y, m, &rows[i]);
		key = web_val(w, STATS_QUERY, k, "key");
		if (k < n - 1 && key != NULL &&
		    strcmp(key, rows[i].month_key) == 0)
			stats_row_result(w, k++, f, &rows[i]);
		if (++m > 12) {
			m = 1;
			y++;
		}
	}
	stats_row_result(w, n - 1, f, &rows[months]);
	*np = months + 1;
	return (rows);
}

static void
stats_row_result(struct web *w, int i, const struct stats_filter *f,
    struct stats_row *r)
{
	r->key = web_val(w, STATS_QUERY, i, "key");
	r->label = web_val(w, STATS_QUERY, i, "label");
	if (r->label == NULL)
		r->label = "Tổng cộng";
	else if (strcmp(f->group->key, "channel") == 0)
		r->label = workflow_channel_vi(r->label);
	else if (strcmp(f->group->key, "kind") == 0 &&
	    workflow_kind_vi(r->label) != NULL)
		r->label = workflow_kind_vi(r->label);
	r->received = web_val(w, STATS_QUERY, i, "received");
	r->answered = web_val(w, STATS_QUERY, i, "answered");
	r->on_time = web_val(w, STATS_QUERY, i, "on_time");
	r->on_time_pct = web_val(w, STATS_QUERY, i, "on_time_pct");
	r->overdue_open = web_val(w, STATS_QUERY, i, "overdue_open");
	r->avg_hours = web_val(w, STATS_QUERY, i, "avg_hours");
	r->avg_days = web_val(w, STATS_QUERY, i, "avg_days");
	r->center_replied = web_val(w, STATS_QUERY, i, "center_replied");
	r->center_on_time_pct = web_val(w, STATS_QUERY, i,
	    "center_on_time_pct");
	r->center_avg_hours = web_val(w, STATS_QUERY, i, "center_avg_hours");
}

static void
stats_row_month(int y, int m, struct stats_row *r)
{
	char	buf[32];

	(void)snprintf(buf, sizeof(buf), "%04d-%02d", y, m);
	kore_strlcpy(r->month_key, buf, sizeof(r->month_key));
	(void)snprintf(buf, sizeof(buf), "%02d/%04d", m, y);
	kore_strlcpy(r->month_label, buf, sizeof(r->month_label));
	r->key = r->month_key;
	r->label = r->month_label;
	r->received = r->answered = r->on_time = r->overdue_open = "0";
	r->center_replied = "0";
	r->on_time_pct = r->avg_hours = r->avg_days = NULL;
	r->center_on_time_pct = r->center_avg_hours = NULL;
}

static void
stats_row_view(const struct stats_row *r, struct tval *o)
{
	char	buf[64];

	tval_set(o, "key", r->key);
	tval_set(o, "label", r->label);
	tval_set(o, "received", r->received);
	tval_set(o, "answered", r->answered);
	tval_set(o, "on_time", r->on_time);
	tval_set(o, "overdue_open", r->overdue_open);
	sup_decimal_vi(r->on_time_pct, buf, sizeof(buf));
	if (buf[0] != '\0')
		tval_setf(o, "on_time_pct_text", "%s%%", buf);
	stats_avg_text(r->avg_hours, r->avg_days, buf, sizeof(buf));
	tval_set(o, "avg_text", buf);
	tval_set(o, "center_replied", r->center_replied);
	sup_decimal_vi(r->center_on_time_pct, buf, sizeof(buf));
	if (buf[0] != '\0')
		tval_setf(o, "center_on_time_pct_text", "%s%%", buf);
	sup_decimal_vi(r->center_avg_hours, buf, sizeof(buf));
	if (buf[0] != '\0')
		tval_setf(o, "center_avg_text", "%s giờ", buf);
}

/* Under two days in hours, beyond that in days. */
static void
stats_avg_text(const char *hours, const char *days, char *out, size_t len)
{
	char	num[32];

	if (hours == NULL || days == NULL) {
		kore_strlcpy(out, "—", len);
		return;
	}
	if (atof(hours) < 48.0) {
		sup_decimal_vi(hours, num, sizeof(num));
		(void)snprintf(out, len, "%s giờ", num);
	} else {
		sup_decimal_vi(days, num, sizeof(num));
		(void)snprintf(out, len, "%s ngày", num);
	}
}

static int
stats_json(struct http_request *req, struct web *w,
    const struct stats_filter *f)
{
	struct stats_row	*rows;
	json_t			*list, *total;
	int			 i, n;

	rows = stats_rows(w, f, &n);
	/* The last row is the total. */
	list = json_array();
	for (i = 0; i < n - 1; i++)
		json_list_add(&list, stats_row_json(&rows[i]));
	total = stats_row_json(&rows[n - 1]);
	kore_free(rows);
	return (web_json(req, 200, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o}",
	    "from", f->from, "to", f->to, "group", f->group->slug,
	    "group_label", f->group->label, "rows", list, "total", total,
	    "agencies", stats_agencies_json(w, STATS_AGENCIES))));
}

/* The numbers PostgreSQL computed, or null. */
static json_t *
stats_row_json(const struct stats_row *r)
{
	return (json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
	    "key", json_text(r->key), "label", json_text(r->label),
	    "received", json_number_text(r->received),
	    "answered", json_number_text(r->answered),
	    "on_time", json_number_text(r->on_time),
	    "on_time_pct", json_number_text(r->on_time_pct),
	    "overdue_open", json_number_text(r->overdue_open),
	    "avg_hours", json_number_text(r->avg_hours),
	    "avg_days", json_number_text(r->avg_days),
	    "center_replied", json_number_text(r->center_replied),
	    "center_on_time_pct", json_number_text(r->center_on_time_pct),
	    "center_avg_hours", json_number_text(r->center_avg_hours)));
}

static int
stats_csv(struct http_request *req, struct web *w,
    const struct stats_filter *f)
{
	struct stats_row	*rows;
	struct sbuf		 b;
	char			 file[80];
	int			 i, n;

	sbuf_init(&b);
	csv_start(&b);
	csv_cell(&b, f->group->label, 1);
	csv_cell(&b, "Tiếp nhận", 0);
	csv_cell(&b, "Đã trả lời", 0);
	csv_cell(&b, "Trả lời đúng hạn", 0);
	csv_cell(&b, "Tỷ lệ đúng hạn (%)", 0);
	csv_cell(&b, "Quá hạn chưa trả lời", 0);
	csv_cell(&b, "Thời gian trả lời trung bình (giờ)", 0);
	csv_cell(&b, "Tổng đài đã xử lý lần đầu", 0);
	csv_cell(&b, "Tổng đài xử lý đúng hạn (%)", 0);
	csv_cell(&b, "Thời gian Tổng đài xử lý trung bình (giờ)", 0);
	csv_end_row(&b);
	rows = stats_rows(w, f, &n);
	for (i = 0; i < n; i++) {
		csv_cell(&b, rows[i].label, 1);
		csv_number(&b, rows[i].received, 0);
		csv_number(&b, rows[i].answered, 0);
		csv_number(&b, rows[i].on_time, 0);
		csv_number(&b, rows[i].on_time_pct, 0);
		csv_number(&b, rows[i].overdue_open, 0);
		csv_number(&b, rows[i].avg_hours, 0);
		csv_number(&b, rows[i].center_replied, 0);
		csv_number(&b, rows[i].center_on_time_pct, 0);
		csv_number(&b, rows[i].center_avg_hours, 0);
		csv_end_row(&b);
	}
	kore_free(rows);
	csv_end_row(&b);
	stats_agencies_csv(w, STATS_AGENCIES, &b);
	(void)snprintf(file, sizeof(file), "thong-ke-%s-%s-%s.csv",
	    f->group->slug, f->from, f->to);
	web_send_csv(req, &b, file);
	sbuf_free(&b);
	return (WEB_DONE);
}

/* ---- Each agency's figures: forward to the agency's reply. ------------ */

static void
stats_agencies_view(struct web *w, int k, struct tval *view)
{
	struct tval	*list, *o;
	const char	*v;
	char		 buf[64];
	int		 i, n;

	n = web_rows(w, k);
	list = tval_set_list(view, "agencies");
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, k, i);
		sup_decimal_vi(web_val(w, k, i, "on_time_pct"), buf,
		    sizeof(buf));
		if (buf[0] != '\0')
			tval_setf(o, "on_time_pct_text", "%s%%", buf);
		stats_avg_text(web_val(w, k, i, "avg_hours"),
		    web_val(w, k, i, "avg_days"), buf, sizeof(buf));
		tval_set(o, "avg_text", buf);
	}
	tval_set_bool(view, "agencies_empty", n == 0);
	if (n == 1 && (v = web_val(w, k, 0, "name")) != NULL)
		tval_set(view, "agency_name", v);
}

static json_t *
stats_agencies_json(struct web *w, int k)
{
	json_t	*list;
	int	 i, n;

	list = json_array();
	n = web_rows(w, k);
	for (i = 0; i < n; i++) {
		json_list_add(&list, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
		    "key", json_text(web_val(w, k, i, "code")),
		    "label", json_text(web_val(w, k, i, "name")),
		    "received", json_number_text(web_val(w, k, i, "received")),
		    "answered", json_number_text(web_val(w, k, i, "answered")),
		    "on_time", json_number_text(web_val(w, k, i, "on_time")),
		    "on_time_pct",
		    json_number_text(web_val(w, k, i, "on_time_pct")),
		    "overdue", json_number_text(web_val(w, k, i, "overdue")),
		    "avg_hours",
		    json_number_text(web_val(w, k, i, "avg_hours"))));
	}
	return (list);
}

/* A second table under the first, after an empty line. */
static void
stats_agencies_csv(struct web *w, int k, struct sbuf *b)
{
	int	i, n;

	csv_cell(b, "Cơ quan xử lý", 1);
	csv_cell(b, "Đã nhận", 0);
	csv_cell(b, "Đã trả lời", 0);
	csv_cell(b, "Trả lời đúng hạn", 0);
	csv_cell(b, "Tỷ lệ đúng hạn (%)", 0);
	csv_cell(b, "Quá hạn chưa trả lời", 0);
	csv_cell(b, "Thời gian trả lời trung bình (giờ)", 0);
	csv_end_row(b);
	n = web_rows(w, k);
	for (i = 0; i < n; i++) {
		csv_cell(b, web_val(w, k, i, "name"), 1);
		csv_number(b, web_val(w, k, i, "received"), 0);
		csv_number(b, web_val(w, k, i, "answered"), 0);
		csv_number(b, web_val(w, k, i, "on_time"), 0);
		csv_number(b, web_val(w, k, i, "on_time_pct"), 0);
		csv_number(b, web_val(w, k, i, "overdue"), 0);
		csv_number(b, web_val(w, k, i, "avg_hours"), 0);
		csv_end_row(b);
	}
}

/*
 * /co-quan/thong-ke: an agency officer's own agency's figures for a
 * period.  The scope is the officer's (web_ticket_scope): never another
 * agency's, and nothing at all without one.
 */
enum { AGENCY_STATS_QUERY, AGENCY_STATS_SHOW };

int
agency_stats_step(struct http_request *req, struct web *w)
{
	struct stats_filter	*f = w->data;
	const char		*err, *scope;

	if ((scope = web_ticket_scope(w)) == NULL)
		return (web_error(req, w, 403,
		    "Trang này dành cho cán bộ cơ quan."));
	if (w->step == AGENCY_STATS_QUERY) {
		f = kore_calloc(1, sizeof(*f));
		w->data = f;
		w->data_free = kore_free;
		if (stats_filter_read(w, f, &err) == -1) {
			tval_set(w->view, "error", err);
			stats_filter_view(w, f);
			return (web_render(req, w, 400, "agency_stats",
			    "Số liệu của cơ quan"));
		}
		return (web_query(req, w, SQL_AGENCIES, 3, f->from, f->to,
		    scope));
	}
	stats_filter_view(w, f);
	stats_agencies_view(w, AGENCY_STATS_QUERY, w->view);
	return (web_render(req, w, 200, "agency_stats", "Số liệu của cơ quan"));
}
