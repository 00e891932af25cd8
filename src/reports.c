/*
 * reports: the periodic report a leader files with the province, for the
 * first or last six months of a year or the whole year.
 *   GET /giam-sat/bao-cao        the report, a printable page (a print
 *                                stylesheet) in the form the province
 *                                files: the unit, the title, the period,
 *                                the tables, a signature block
 *   GET /giam-sat/bao-cao.xlsx   the same tables as an Excel workbook
 * Tickets received, answered, answered on time, forwarded to an agency
 * and open past their deadline, by field and by channel; then the calls
 * of each month (call_stats.c's query).
 */
#include <time.h>

#include "app.h"
#include "call_stats.h"
#include "report_mail.h"
#include "date.h"
#include "supervisor.h"
#include "workflow.h"
#include "xlsx.h"

#define PROVINCE_DEFAULT	"Đồng Tháp"

struct report_period {
	const char	*slug;		/* in the URL */
	const char	*label;		/* in the title */
	const char	*from;		/* MM-DD */
	const char	*to;
};

static const struct report_period periods[] = {
	{ "6-thang-dau",	"6 tháng đầu năm",	"01-01", "06-30" },
	{ "6-thang-cuoi",	"6 tháng cuối năm",	"07-01", "12-31" },
	{ "ca-nam",		"năm",			"01-01", "12-31" },
};

/* The tickets' columns, in the order of the page and the workbook. */
static const struct call_col ticket_cols[] = {
	{ "received",	"Tiếp nhận",			XLSX_NUMBER, 0 },
	{ "answered",	"Đã trả lời",			XLSX_NUMBER, 0 },
	{ "on_time",	"Trả lời đúng hạn",		XLSX_NUMBER, 0 },
	{ "on_time_pct", "Tỷ lệ đúng hạn (%)",		XLSX_NUMBER, 0 },
	{ "forwarded",	"Chuyển cơ quan xử lý",		XLSX_NUMBER, 0 },
	{ "overdue",	"Quá hạn chưa trả lời",		XLSX_NUMBER, 0 },
};
#define TICKET_NCOLS	(sizeof(ticket_cols) / sizeof(ticket_cols[0]))

struct report {
	const struct report_period	*period;
	int				 year;
	char				 from[SUP_DAY_LEN + 1];
	char				 to[SUP_DAY_LEN + 1];
	char				 title[160];
	char				 unit[200];
	unsigned char			*xlsx;
	size_t				 xlsx_len;
};

static void	report_free(void *);
static int	report_read(struct web *, struct report *, const char **);
static void	report_view(struct web *, const struct report *);
static void	report_rows_view(struct web *, const char *, const char *);
static int	report_xlsx_build(struct web *);
static int	report_xlsx_send(struct http_request *, struct web *);
static const char *ticket_label(struct web *, int);

/*
 * $1, $2: the period's first and last day.  One row per field
 * (dim 'field'), per channel ('channel'), and the total ('total').
 */
static const char	SQL_TICKETS[] =
    "SELECT CASE WHEN GROUPING(f.code) = 0 THEN 'field' "
    "  WHEN GROUPING(t.channel) = 0 THEN 'channel' ELSE 'total' END AS dim, "
    "coalesce(f.code, t.channel) AS key, "
    "CASE WHEN GROUPING(f.code) = 0 THEN coalesce(f.name, "
    "  'Chưa phân loại lĩnh vực') ELSE t.channel END AS label, "
    "count(*) AS received, "
    "count(*) FILTER (WHERE k.answered) AS answered, "
    "count(*) FILTER (WHERE k.answered AND t.answered_at <= k.first_due) "
    "    AS on_time, "
    "round(100.0 * count(*) FILTER (WHERE k.answered "
    "    AND t.answered_at <= k.first_due) "
    "    / nullif(count(*) FILTER (WHERE k.answered), 0), 1) AS on_time_pct, "
    "count(*) FILTER (WHERE t.agency_id IS NOT NULL) AS forwarded, "
    "count(*) FILTER (WHERE ticket_overdue(t)) AS overdue "
    "FROM tickets t LEFT JOIN fields f ON f.id = t.field_id "
    "CROSS JOIN LATERAL (SELECT ticket_first_due(t.id) AS first_due, "
    "  (t.answered_at IS NOT NULL AND NOT ticket_open(t)) AS answered) k "
    "WHERE t.created_at >= $1::date::timestamptz "
    "AND t.created_at < ($2::date + 1)::timestamptz "
    "GROUP BY GROUPING SETS ((f.sort, f.code, f.name), (t.channel), ()) "
    "ORDER BY GROUPING(f.code), GROUPING(t.channel), "
    "coalesce(f.sort, 100000), t.channel";

/* report_mail.c builds the mailed workbook with the same query. */
const char *const		report_tickets_sql = SQL_TICKETS;
const struct call_col *const	report_ticket_cols = ticket_cols;
const size_t			report_ticket_ncols = TICKET_NCOLS;

static const char	SQL_PROVINCE[] =
    "SELECT value FROM channel_settings "
    "WHERE channel = 'notice' AND name = 'province' AND value <> ''";

enum { REPORT_TICKETS, REPORT_CALLS, REPORT_PROVINCE, REPORT_BUILD,
    REPORT_SEND };

int
reports_step(struct http_request *req, struct web *w)
{
	struct report	*r = w->data;
	const char	*err, *province;

	switch (w->step) {
	case REPORT_TICKETS:
		r = kore_calloc(1, sizeof(*r));
		w->data = r;
		w->data_free = report_free;
		if (report_read(w, r, &err) == -1) {
			if (w->route->id != ROUTE_SUP_REPORT)
				return (web_error(req, w, 400, err));
			tval_set(w->view, "error", err);
			report_view(w, r);
			return (web_render(req, w, 400, "report_periodic",
			    "Báo cáo định kỳ"));
		}
		return (web_query(req, w, SQL_TICKETS, 2, r->from, r->to));
	case REPORT_CALLS:
		return (web_query(req, w, call_stats_sql, 4, r->from, r->to,
		    "month", CALL_STATS_THRESHOLD));
	case REPORT_PROVINCE:
		return (web_query(req, w, SQL_PROVINCE, 0));
	case REPORT_BUILD:
		province = web_val(w, REPORT_PROVINCE, 0, "value");
		(void)snprintf(r->unit, sizeof(r->unit), "Tổng đài Thông tin "
		    "dịch vụ công tỉnh %s", province != NULL ? province :
		    PROVINCE_DEFAULT);
		if (w->route->id == ROUTE_SUP_REPORT_XLSX)
			return (web_task(req, w, LANE_DISK, report_xlsx_build));
		report_view(w, r);
		return (web_render(req, w, 200, "report_periodic",
		    "Báo cáo định kỳ"));
	default:
		return (report_xlsx_send(req, w));
	}
}

static void
report_free(void *arg)
{
	struct report	*r = arg;

	free(r->xlsx);
	kore_free(r);
}

/*
 * ky: the period (this half-year unless told); nam: the year (this
 * year unless told).
 */
static int
report_read(struct web *w, struct report *r, const char **err)
{
	const char	*v;
	struct tm	 tm;
	time_t		 now;
	size_t		 len;
	int		 c;
	long		 y;
	char		*end;

	now = time(NULL);
	localtime_r(&now, &tm);
	r->year = tm.tm_year + 1900;
	r->period = &periods[tm.tm_mon < 6 ? 0 : 1];

	c = sup_arg_choice(w, "ky", periods, sizeof(periods) /
	    sizeof(periods[0]), sizeof(periods[0]));
	if (c == SUP_CHOICE_BAD) {
		*err = "Kỳ báo cáo không hợp lệ: chọn 6 tháng đầu năm, "
		    "6 tháng cuối năm hoặc cả năm.";
		return (-1);
	}
	if (c != SUP_CHOICE_NONE)
		r->period = &periods[c];
	v = web_arg(w, "nam", &len);
	if (v != NULL && len > 0) {
		y = (len == 4 && strlen(v) == len) ? strtol(v, &end, 10) : -1;
		if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX || *end != '\0') {
			*err = "Năm báo cáo không hợp lệ: nhập năm có bốn chữ số.";
			return (-1);
		}
		r->year = (int)y;
	}
	(void)snprintf(r->from, sizeof(r->from), "%04d-%s", r->year,
	    r->period->from);
	(void)snprintf(r->to, sizeof(r->to), "%04d-%s", r->year,
	    r->period->to);
	(void)snprintf(r->title, sizeof(r->title), "Kết quả tiếp nhận, xử lý "
	    "thông tin %s %d", r->period->label, r->year);
	return (0);
}

static void
report_view(struct web *w, const struct report *r)
{
	struct tval	*list, *o;
	struct tm	 tm;
	time_t		 now;
	size_t		 i;

	tval_set(w->view, "title", r->title);
	tval_set(w->view, "unit", r->unit);
	tval_setf(w->view, "year", "%d", r->year);
	tval_set(w->view, "period_label", r->period->label);
	tval_setf(w->view, "from_vi", "%.2s/%.2s/%.4s", r->from + 8,
	    r->from + 5, r->from);
	tval_setf(w->view, "to_vi", "%.2s/%.2s/%.4s", r->to + 8, r->to + 5,
	    r->to);
	tval_setf(w->view, "qs", "ky=%s&nam=%d", r->period->slug, r->year);
	now = time(NULL);
	localtime_r(&now, &tm);
	tval_setf(w->view, "today", "ngày %02d tháng %02d năm %d", tm.tm_mday,
	    tm.tm_mon + 1, tm.tm_year + 1900);
	list = tval_set_list(w->view, "periods");
	for (i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
		o = tval_list_add(list);
		tval_set(o, "slug", periods[i].slug);
		tval_set(o, "label", i == 2 ? "Cả năm" : periods[i].label);
		tval_set_bool(o, "selected", &periods[i] == r->period);
	}
	list = tval_set_list(w->view, "ticket_headers");
	for (i = 0; i < TICKET_NCOLS; i++)
		tval_list_add_str(list, ticket_cols[i].header);
	list = tval_set_list(w->view, "call_headers");
	for (i = 0; i < CALL_STATS_NCOLS; i++)
		tval_list_add_str(list, call_stats_cols[i].header);
	if (w->step < REPORT_BUILD)
		return;
	report_rows_view(w, "field", "by_field");
	report_rows_view(w, "channel", "by_channel");
	report_rows_view(w, NULL, "calls");
}

/*
 * The rows of one table: the tickets of a dimension (field, channel,
 * then the total), or, dim NULL, the calls of each month and their total.
 */
static void
report_rows_view(struct web *w, const char *dim, const char *name)
{
	const struct call_col	*cols;
	struct tval		*list, *o, *cells, *c;
	const char		*d, *label;
	char			 buf[64];
	size_t			 k, ncols;
	int			 i, n, q, total;

	q = dim != NULL ? REPORT_TICKETS : REPORT_CALLS;
	cols = dim != NULL ? ticket_cols : call_stats_cols;
	ncols = dim != NULL ? TICKET_NCOLS : CALL_STATS_NCOLS;
	list = tval_set_list(w->view, name);
	n = web_rows(w, q);
	for (i = 0; i < n; i++) {
		d = dim != NULL ? web_val(w, q, i, "dim") : NULL;
		total = dim != NULL ? strcmp(d, "total") == 0 :
		    web_bool(w, q, i, "is_total");
		if (dim != NULL && !total && strcmp(d, dim) != 0)
			continue;
		label = dim != NULL ? ticket_label(w, i) :
		    web_val(w, q, i, "label");
		o = tval_list_add(list);
		if (label == NULL)	/* a channel with no Vietnamese name */
			label = web_val(w, q, i, "label");
		tval_set(o, "label", total ? "Tổng cộng" : label);
		tval_set_bool(o, "total", total);
		cells = tval_set_list(o, "cells");
		for (k = 0; k < ncols; k++) {
			c = tval_list_add(cells);
			tval_set(c, "col", cols[k].name);
			call_stats_cell_text(&cols[k],
			    web_val(w, q, i, cols[k].name), buf, sizeof(buf));
			tval_set(c, "text", buf);
		}
	}
}

/* A ticket row's first column: a field's name or a channel's, in Vietnamese. */
static const char *
ticket_label(struct web *w, int i)
{
	const char	*d, *label;

	d = web_val(w, REPORT_TICKETS, i, "dim");
	label = web_val(w, REPORT_TICKETS, i, "label");
	if (strcmp(d, "total") == 0)
		return ("Tổng cộng");
	if (strcmp(d, "channel") == 0)
		return (workflow_channel_vi(label));
	return (label);
}

/*
 * On LANE_DISK: three sheets, by field, by channel, the calls by month.
 */
static int
report_xlsx_build(struct web *w)
{
	struct report		*r = w->data;
	struct xlsx_col		 fcols[TICKET_NCOLS + 1], kcols[TICKET_NCOLS + 1];
	struct xlsx_col		 ccols[CALL_STATS_NCOLS + 1];
	struct xlsx_sheet	 sheets[3];
	const char		**cells[3], *d;
	char			 titles[3][512];
	int			 i, n, s, rc, nrows[3];
	size_t			 k;

	report_xlsx_cols(fcols, kcols, ccols);

	/* The tickets' rows, split by dimension; the total ends both. */
	n = web_rows(w, REPORT_TICKETS);
	for (s = 0; s < 2; s++) {
		cells[s] = calloc((size_t)n * (TICKET_NCOLS + 1) + 1,
		    sizeof(*cells[s]));
		nrows[s] = 0;
		for (i = 0; cells[s] != NULL && i < n; i++) {
			d = web_val(w, REPORT_TICKETS, i, "dim");
			if (strcmp(d, s == 0 ? "field" : "channel") != 0 &&
			    strcmp(d, "total") != 0)
				continue;
			cells[s][nrows[s] * (TICKET_NCOLS + 1)] =
			    ticket_label(w, i);
			for (k = 0; k < TICKET_NCOLS; k++)
				cells[s][nrows[s] * (TICKET_NCOLS + 1) + k + 1] =
				    web_val(w, REPORT_TICKETS, i,
				    ticket_cols[k].name);
			nrows[s]++;
		}
	}
	n = web_rows(w, REPORT_CALLS);
	cells[2] = calloc((size_t)n * (CALL_STATS_NCOLS + 1) + 1,
	    sizeof(*cells[2]));
	for (i = 0; cells[2] != NULL && i < n; i++) {
		cells[2][i * (CALL_STATS_NCOLS + 1)] =
		    web_bool(w, REPORT_CALLS, i, "is_total") ? "Tổng cộng" :
		    web_val(w, REPORT_CALLS, i, "label");
		for (k = 0; k < CALL_STATS_NCOLS; k++)
			cells[2][i * (CALL_STATS_NCOLS + 1) + k + 1] =
			    web_val(w, REPORT_CALLS, i, call_stats_cols[k].name);
	}
	nrows[2] = n;
	(void)snprintf(titles[0], sizeof(titles[0]), "%s — %s: theo lĩnh vực "
	    "(%.2s/%.2s/%.4s – %.2s/%.2s/%.4s)", r->unit, r->title,
	    r->from + 8, r->from + 5, r->from, r->to + 8, r->to + 5, r->to);
	(void)snprintf(titles[1], sizeof(titles[1]), "%s — %s: theo kênh "
	    "tiếp nhận", r->unit, r->title);
	(void)snprintf(titles[2], sizeof(titles[2]), "%s — %s: cuộc gọi "
	    "đến Tổng đài theo tháng (mức phục vụ: trả lời trong %s giây)",
	    r->unit, r->title, CALL_STATS_THRESHOLD);
	sheets[0] = (struct xlsx_sheet){ "Theo lĩnh vực", titles[0], fcols,
	    TICKET_NCOLS + 1, cells[0], nrows[0], 1 };
	sheets[1] = (struct xlsx_sheet){ "Theo kênh", titles[1], kcols,
	    TICKET_NCOLS + 1, cells[1], nrows[1], 1 };
	sheets[2] = (struct xlsx_sheet){ "Cuộc gọi", titles[2], ccols,
	    CALL_STATS_NCOLS + 1, cells[2], nrows[2], 1 };
	rc = -1;
	if (cells[0] != NULL && cells[1] != NULL && cells[2] != NULL)
		rc = call_stats_xlsx(sheets, 3, &r->xlsx, &r->xlsx_len);
	for (s = 0; s < 3; s++)
		free(cells[s]);
	return (rc);
}

/*
 * The workbook's columns: by field and by channel (TICKET_NCOLS + 1
 * each), the calls by month (CALL_STATS_NCOLS + 1).  report_mail.c
 * builds the mailed workbook with the same.
 */
void
report_xlsx_cols(struct xlsx_col *fcols, struct xlsx_col *kcols,
    struct xlsx_col *ccols)
{
	size_t	k;

	fcols[0] = (struct xlsx_col){ "Lĩnh vực", XLSX_TEXT, 40 };
	kcols[0] = (struct xlsx_col){ "Kênh tiếp nhận", XLSX_TEXT, 24 };
	for (k = 0; k < TICKET_NCOLS; k++) {
		fcols[k + 1] = (struct xlsx_col){ ticket_cols[k].header,
		    XLSX_NUMBER, 14 };
		kcols[k + 1] = fcols[k + 1];
	}
	ccols[0] = (struct xlsx_col){ "Tháng", XLSX_TEXT, 14 };
	for (k = 0; k < CALL_STATS_NCOLS; k++)
		ccols[k + 1] = (struct xlsx_col){ call_stats_cols[k].header,
		    call_stats_cols[k].kind, 14 };
}

static int
report_xlsx_send(struct http_request *req, struct web *w)
{
	struct report	*r = w->data;
	char		 file[80];

	(void)snprintf(file, sizeof(file), "bao-cao-%s-%d.xlsx",
	    r->period->slug, r->year);
	return (call_stats_xlsx_send(req, w, r->xlsx, r->xlsx_len, file));
}
