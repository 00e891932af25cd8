/*
 * call_stats: the hotline's figures for leaders.
 *   GET /giam-sat/tong-dai          the page (tables, no JavaScript)
 *   GET /giam-sat/tong-dai.csv      the same as CSV
 *   GET /giam-sat/tong-dai.xlsx     the same as an Excel workbook
 *   GET /giam-sat/tong-dai.json     the same as JSON
 * Calls received, answered, abandoned, missed (hung up while an operator's
 * phone rang, a silent voicemail, media gone), left as voicemail, transferred,
 * the service level (answered within a threshold, 20 s unless asked, of
 * all calls received) and the average wait and talk, by day, hour,
 * operator or month over a range of days; then the time each operator
 * spent in each state on each day, from the plugin's agent.state events
 * (agent_state_times(), migrations/0066), which this file also stores.
 */
#include <sys/stat.h>

#include <jansson.h>

#include "app.h"
#include "admin.h"
#include "call_stats.h"
#include "csv.h"
#include "date.h"
#include "supervisor.h"
#include "valid.h"
#include "xlsx.h"

#define DAY_LEN			SUP_DAY_LEN
#define THRESHOLD_DEFAULT	CALL_STATS_THRESHOLD
#define THRESHOLD_MAX		600

struct call_group {
	const char	*slug;		/* in the URL */
	const char	*key;		/* in the SQL */
	const char	*label;		/* the first column */
	enum xlsx_kind	 kind;		/* the first column in the workbook */
};

static const struct call_group groups[] = {
	{ "ngay",	"day",		"Ngày",			XLSX_DATE },
	{ "gio",	"hour",		"Khung giờ",		XLSX_TEXT },
	{ "dtv",	"operator",	"Điện thoại viên",	XLSX_TEXT },
	{ "thang",	"month",	"Tháng",		XLSX_TEXT },
};

/* The figures' columns, in the order of every export. */
const struct call_col call_stats_cols[CALL_STATS_NCOLS] = {
	{ "received",	"Cuộc gọi đến",			XLSX_NUMBER, 0 },
	{ "answered",	"Đã trả lời",			XLSX_NUMBER, 0 },
	{ "abandoned",	"Bỏ máy khi chờ",		XLSX_NUMBER, 0 },
	{ "missed",	"Cuộc gọi nhỡ",			XLSX_NUMBER, 0 },
	{ "voicemail",	"Để lại lời nhắn",		XLSX_NUMBER, 0 },
	{ "transferred", "Chuyển cơ quan",		XLSX_NUMBER, 0 },
	{ "in_sl",	"Trả lời trong ngưỡng",		XLSX_NUMBER, 0 },
	{ "service_level", "Mức phục vụ (%)",		XLSX_NUMBER, 0 },
	{ "avg_wait",	"Chờ trung bình (giây)",	XLSX_NUMBER, 1 },
	{ "avg_talk",	"Đàm thoại trung bình (giây)",	XLSX_NUMBER, 1 },
};
_Static_assert(sizeof(call_stats_cols) / sizeof(call_stats_cols[0]) ==
    CALL_STATS_NCOLS, "CALL_STATS_NCOLS");
#define CALL_NCOLS	CALL_STATS_NCOLS

static const struct call_col state_cols[] = {
	{ "available",	"Sẵn sàng",			XLSX_DURATION, 1 },
	{ "ringing",	"Đổ chuông",			XLSX_DURATION, 1 },
	{ "in_call",	"Trong cuộc gọi",		XLSX_DURATION, 1 },
	{ "wrap_up",	"Sau cuộc gọi",			XLSX_DURATION, 1 },
	{ "paused",	"Tạm nghỉ",			XLSX_DURATION, 1 },
};
#define STATE_NCOLS	(sizeof(state_cols) / sizeof(state_cols[0]))

struct call_filter {
	char				 from[DAY_LEN + 1];
	char				 to[DAY_LEN + 1];
	char				 threshold[8];
	const struct call_group		*group;
	int				 page;		/* of the states */
	char				 limit[16];	/* empty: all */
	char				 offset[16];
};

struct call_stats {
	struct call_filter	 f;
	unsigned char		*xlsx;		/* the workbook, once built */
	size_t			 xlsx_len;
};

static void	call_stats_free(void *);
static int	filter_read(struct web *, struct call_filter *, const char **);
static void	filter_view(struct web *, const struct call_filter *);
static int	stats_page(struct http_request *, struct web *);
static int	stats_csv(struct http_request *, struct web *);
static int	stats_json(struct http_request *, struct web *);
static int	stats_xlsx_build(struct web *);
static int	stats_xlsx_send(struct http_request *, struct web *);
static const char *row_label(struct web *, int);
static void	hms_text(const char *, char *, size_t);

/*
 * $1, $2: the first and last day, $3: the grouping, $4: the threshold in
 * seconds.  The empty grouping set is the total row (is_total = 1),
 * computed over the calls, so its averages are right.  A call is answered
 * when an operator took it (answered_at), transferred calls included.
 */
const char	call_stats_sql[] =
    "SELECT g.key, g.label, count(*) AS received, "
    "count(*) FILTER (WHERE c.answered_at IS NOT NULL) AS answered, "
    "count(*) FILTER (WHERE c.disposition = 'abandoned') AS abandoned, "
    "count(*) FILTER (WHERE c.disposition = 'missed') AS missed, "
    "count(*) FILTER (WHERE c.disposition = 'voicemail') AS voicemail, "
    "count(*) FILTER (WHERE c.disposition = 'transferred') AS transferred, "
    "count(*) FILTER (WHERE c.answered_at IS NOT NULL "
    "    AND c.wait_seconds <= $4::integer) AS in_sl, "
    "round(100.0 * count(*) FILTER (WHERE c.answered_at IS NOT NULL "
    "    AND c.wait_seconds <= $4::integer) / nullif(count(*), 0), 1) "
    "    AS service_level, "
    "round(avg(c.wait_seconds) FILTER (WHERE c.answered_at IS NOT NULL), 1) "
    "    AS avg_wait, "
    "round(avg(c.talk_seconds) FILTER (WHERE c.answered_at IS NOT NULL), 1) "
    "    AS avg_talk, "
    "GROUPING(g.key) = 1 AS is_total "
    "FROM calls c LEFT JOIN users u ON u.id = c.agent_id "
    "CROSS JOIN LATERAL (SELECT "
    "  CASE $3 WHEN 'day' THEN to_char(c.created_at, 'YYYY-MM-DD') "
    "    WHEN 'hour' THEN to_char(c.created_at, 'HH24') "
    "    WHEN 'month' THEN to_char(c.created_at, 'YYYY-MM') "
    "    ELSE coalesce(c.agent_id::text, c.agent_ref, '') END AS key, "
    "  CASE $3 WHEN 'day' THEN to_char(c.created_at, 'DD/MM/YYYY') "
    "    WHEN 'hour' THEN to_char(c.created_at, 'HH24') || ':00–' || "
    "      to_char(c.created_at + interval '1 hour', 'HH24') || ':00' "
    "    WHEN 'month' THEN to_char(c.created_at, 'MM/YYYY') "
    "    ELSE coalesce(u.full_name, c.agent_ref, "
    "      'Không có điện thoại viên nhận') END AS label) g "
    "WHERE c.created_at >= $1::date::timestamptz "
    "AND c.created_at < ($2::date + 1)::timestamptz "
    "GROUP BY GROUPING SETS ((g.key, g.label), ()) "
    "ORDER BY GROUPING(g.key), "
    "CASE WHEN $3 = 'operator' THEN g.label ELSE g.key END";

/* Each operator's day: seconds per state, and the pauses by reason. */
static const char	SQL_STATES[] =
    "SELECT coalesce(u.full_name, t.agent_ref) AS name, "
    "to_char(t.day, 'YYYY-MM-DD') AS day, "
    "to_char(t.day, 'DD/MM/YYYY') AS day_vi, "
    "coalesce(sum(t.seconds) FILTER (WHERE t.state = 'available'), 0) "
    "    AS available, "
    "coalesce(sum(t.seconds) FILTER (WHERE t.state = 'ringing'), 0) AS ringing, "
    "coalesce(sum(t.seconds) FILTER (WHERE t.state = 'in_call'), 0) AS in_call, "
    "coalesce(sum(t.seconds) FILTER (WHERE t.state = 'wrap_up'), 0) AS wrap_up, "
    "coalesce(sum(t.seconds) FILTER (WHERE t.state = 'paused'), 0) AS paused, "
    "string_agg(CASE WHEN t.state = 'paused' THEN "
    "  coalesce(nullif(t.reason, ''), 'Không ghi lý do') || ': ' || "
    "  to_char(make_interval(secs => t.seconds), 'HH24:MI:SS') END, '; ' "
    "  ORDER BY t.reason) AS pauses, "
    "count(*) OVER () AS total "
    "FROM agent_state_times($1::date, $2::date) t "
    "LEFT JOIN users u ON u.id = t.agent_id "
    "GROUP BY 1, t.day ORDER BY 1, t.day "
    "LIMIT NULLIF($3, '')::integer OFFSET $4::integer";

/*
 * An agent.state event (docs/hotline-api.md): one statement, stored once
 * per event id.  The answer's "stored" is what calls.c replies.
 */
static const char	SQL_AGENT_STATE[] = SQL_REPEATABLE
    "WITH s AS (INSERT INTO agent_states (event_id, agent_ref, agent_id, "
    "state, reason, device, at) VALUES ($1::uuid, $2, "
    "hotline_agent_user($2), $3, $4, $5, "
    "$6::timestamptz) ON CONFLICT DO NOTHING RETURNING 1) "
    "SELECT count(*) AS stored FROM s";

/*
 * The report: read the filters, ask for the calls and the operators'
 * states, then show or export them; the workbook is written on a lane.
 */
enum { CS_CALLS, CS_STATES, CS_BUILD, CS_SEND };

int
call_stats_step(struct http_request *req, struct web *w)
{
	struct call_stats	*cs = w->data;
	const char		*err;

	switch (w->step) {
	case CS_CALLS:
		cs = kore_calloc(1, sizeof(*cs));
		w->data = cs;
		w->data_free = call_stats_free;
		if (filter_read(w, &cs->f, &err) == -1) {
			if (w->route->id != ROUTE_SUP_CALL_STATS)
				return (web_error(req, w, 400, err));
			tval_set(w->view, "error", err);
			filter_view(w, &cs->f);
			return (web_render(req, w, 400, "supervisor_call_stats",
			    "Thống kê tổng đài"));
		}
		return (web_query(req, w, call_stats_sql, 4, cs->f.from, cs->f.to,
		    cs->f.group->key, cs->f.threshold));
	case CS_STATES:
		return (web_query(req, w, SQL_STATES, 4, cs->f.from, cs->f.to,
		    cs->f.limit, cs->f.offset));
	case CS_BUILD:
		if (w->route->id == ROUTE_SUP_CALL_STATS_XLSX)
			return (web_task(req, w, LANE_DISK, stats_xlsx_build));
		if (w->route->id == ROUTE_SUP_CALL_STATS_CSV)
			return (stats_csv(req, w));
		if (w->route->id == ROUTE_SUP_CALL_STATS_JSON)
			return (stats_json(req, w));
		return (stats_page(req, w));
	default:
		return (stats_xlsx_send(req, w));
	}
}

/*
 * The Kore side of an agent.state event; calls.c has checked the
 * signature, the event id and the time.  0 once the statement is started,
 * -1 if the event is not one we can store (the caller quarantines it).
 */
int
call_stats_agent_event(struct http_request *req, struct web *w, json_t *root)
{
	static const char *const states[] = {
		"available", "ringing", "in_call", "wrap_up", "paused",
		"offline", NULL
	};
	const char	*p[6], *agent, *state, *reason, *device;
	json_t		*j;
	int		 i;

	agent = json_string_value(json_object_get(root, "agent_user_id"));
	state = json_string_value(json_object_get(root, "state"));
	device = json_string_value(json_object_get(root, "device"));
	j = json_object_get(root, "reason");
	if (j != NULL && !json_is_null(j) && !json_is_string(j))
		return (-1);
	reason = json_string_value(j);
	if (agent == NULL || *agent == '\0' || strlen(agent) > 64 ||
	    state == NULL || (reason != NULL && (strlen(reason) > 200 ||
	    !valid_utf8(reason, strlen(reason)))))
		return (-1);
	for (i = 0; states[i] != NULL; i++) {
		if (strcmp(state, states[i]) == 0)
			break;
	}
	if (states[i] == NULL)
		return (-1);
	if (device != NULL && strcmp(device, "web") != 0 &&
	    strcmp(device, "phone") != 0)
		return (-1);
	p[0] = json_string_value(json_object_get(root, "event_id"));
	p[1] = agent;
	p[2] = state;
	p[3] = reason != NULL && *reason != '\0' ? reason : NULL;
	p[4] = device;
	p[5] = json_string_value(json_object_get(root, "at"));
	w->want_errors = 1;
	web_queryv(req, w, SQL_AGENT_STATE, 6, p);
	return (0);
}

static void
call_stats_free(void *arg)
{
	struct call_stats	*cs = arg;

	free(cs->xlsx);
	kore_free(cs);
}

/*
 * tu, den: days (this month so far by default); theo: the grouping (by
 * day unless told); nguong: the service level's threshold in seconds.
 */
static int
filter_read(struct web *w, struct call_filter *f, const char **err)
{
	struct tm	 tm;
	time_t		 now;
	int		 c, n;

	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(f->from, sizeof(f->from), "%Y-%m-01", &tm);
	strftime(f->to, sizeof(f->to), "%Y-%m-%d", &tm);
	kore_strlcpy(f->threshold, THRESHOLD_DEFAULT, sizeof(f->threshold));
	f->group = &groups[0];

	if (sup_day_range(w, f->from, f->to, err) == -1)
		return (-1);
	c = sup_arg_choice(w, "theo", groups, sizeof(groups) /
	    sizeof(groups[0]), sizeof(groups[0]));
	if (c == SUP_CHOICE_BAD) {
		*err = "Cách nhóm không hợp lệ: chọn theo ngày, khung giờ, "
		    "điện thoại viên hoặc tháng.";
		return (-1);
	}
	if (c != SUP_CHOICE_NONE)
		f->group = &groups[c];
	if (web_arg(w, "nguong", NULL) != NULL) {
		if (admin_int(w, "nguong", 1, THRESHOLD_MAX, &n) == -1) {
			*err = "Ngưỡng mức phục vụ không hợp lệ: nhập số giây "
			    "từ 1 đến 600.";
			return (-1);
		}
		(void)snprintf(f->threshold, sizeof(f->threshold), "%d", n);
	}
	/* The page shows the states 50 a page; the exports, all of them. */
	f->page = 1;
	if (web_arg(w, "page", NULL) != NULL &&
	    admin_int(w, "page", 1, WEB_PAGE_MAX, &f->page) == -1) {
		*err = "Số trang không hợp lệ.";
		return (-1);
	}
	if (w->route->id == ROUTE_SUP_CALL_STATS) {
		(void)snprintf(f->limit, sizeof(f->limit), "%d", WEB_PAGE_SIZE);
		(void)snprintf(f->offset, sizeof(f->offset), "%d",
		    (f->page - 1) * WEB_PAGE_SIZE);
	} else
		kore_strlcpy(f->offset, "0", sizeof(f->offset));
	return (0);
}

static void
filter_view(struct web *w, const struct call_filter *f)
{
	struct tval	*list, *o;
	size_t		 i;

	tval_set(w->view, "from", f->from);
	tval_set(w->view, "to", f->to);
	tval_setf(w->view, "from_vi", "%.2s/%.2s/%.4s", f->from + 8,
	    f->from + 5, f->from);
	tval_setf(w->view, "to_vi", "%.2s/%.2s/%.4s", f->to + 8, f->to + 5,
	    f->to);
	tval_set(w->view, "threshold", f->threshold);
	tval_set(w->view, "group_label", f->group->label);
	tval_setf(w->view, "qs", "tu=%s&den=%s&theo=%s&nguong=%s", f->from,
	    f->to, f->group->slug, f->threshold);
	list = tval_set_list(w->view, "groups");
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		o = tval_list_add(list);
		tval_set(o, "slug", groups[i].slug);
		tval_set(o, "label", groups[i].label);
		tval_set_bool(o, "selected", &groups[i] == f->group);
	}
	list = tval_set_list(w->view, "call_headers");
	for (i = 0; i < CALL_NCOLS; i++)
		tval_list_add_str(list, call_stats_cols[i].header);
}

/* The first column of a row of the calls: its label, or the total. */
static const char *
row_label(struct web *w, int i)
{
	const char	*v;

	v = web_val(w, CS_CALLS, i, "label");
	return (v != NULL ? v : "Tổng cộng");
}

static int
stats_page(struct http_request *req, struct web *w)
{
	struct call_stats	*cs = w->data;
	struct tval		*list, *o, *cells, *c;
	const char		*v;
	char			 buf[64], qs[128];
	size_t			 k;
	int			 i, n, total;

	filter_view(w, &cs->f);
	n = web_rows(w, CS_CALLS);
	list = tval_set_list(w->view, "rows");
	for (i = 0; i < n; i++) {
		o = web_bool(w, CS_CALLS, i, "is_total") ?
		    tval_set_obj(w->view, "total") : tval_list_add(list);
		tval_set(o, "key", web_val(w, CS_CALLS, i, "key"));
		tval_set(o, "label", row_label(w, i));
		cells = tval_set_list(o, "cells");
		for (k = 0; k < CALL_NCOLS; k++) {
			v = web_val(w, CS_CALLS, i, call_stats_cols[k].name);
			c = tval_list_add(cells);
			tval_set(c, "col", call_stats_cols[k].name);
			call_stats_cell_text(&call_stats_cols[k], v, buf, sizeof(buf));
			tval_set(c, "text", buf);
		}
	}
	tval_set_bool(w->view, "empty", n <= 1);

	list = tval_set_list(w->view, "states");
	n = web_rows(w, CS_STATES);
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		tval_set(o, "name", web_val(w, CS_STATES, i, "name"));
		tval_set(o, "day", web_val(w, CS_STATES, i, "day"));
		tval_set(o, "day_vi", web_val(w, CS_STATES, i, "day_vi"));
		cells = tval_set_list(o, "cells");
		for (k = 0; k < STATE_NCOLS; k++) {
			c = tval_list_add(cells);
			tval_set(c, "col", state_cols[k].name);
			hms_text(web_val(w, CS_STATES, i, state_cols[k].name),
			    buf, sizeof(buf));
			tval_set(c, "text", buf);
		}
		tval_set(o, "pauses", web_val(w, CS_STATES, i, "pauses"));
	}
	tval_set_bool(w->view, "states_empty", n == 0);
	total = n > 0 ? atoi(web_val(w, CS_STATES, 0, "total")) : 0;
	(void)snprintf(qs, sizeof(qs), "tu=%s&den=%s&theo=%s&nguong=%s&",
	    cs->f.from, cs->f.to, cs->f.group->slug, cs->f.threshold);
	web_pager(w, "/giam-sat/tong-dai", qs, cs->f.page,
	    web_pager_count(w, cs->f.page, total));
	return (web_render(req, w, 200, "supervisor_call_stats",
	    "Thống kê tổng đài"));
}

static int
stats_csv(struct http_request *req, struct web *w)
{
	struct call_stats	*cs = w->data;
	struct sbuf		 b;
	char			 file[96];
	size_t			 k;
	int			 i, n;

	sbuf_init(&b);
	csv_start(&b);
	csv_cell(&b, cs->f.group->label, 1);
	for (k = 0; k < CALL_NCOLS; k++)
		csv_cell(&b, call_stats_cols[k].header, 0);
	csv_end_row(&b);
	n = web_rows(w, CS_CALLS);
	for (i = 0; i < n; i++) {
		csv_cell(&b, row_label(w, i), 1);
		for (k = 0; k < CALL_NCOLS; k++)
			csv_number(&b, web_val(w, CS_CALLS, i,
			    call_stats_cols[k].name), 0);
		csv_end_row(&b);
	}
	csv_end_row(&b);
	csv_cell(&b, "Điện thoại viên", 1);
	csv_cell(&b, "Ngày", 0);
	for (k = 0; k < STATE_NCOLS; k++) {
		char	h[80];

		(void)snprintf(h, sizeof(h), "%s (giây)", state_cols[k].header);
		csv_cell(&b, h, 0);
	}
	csv_cell(&b, "Tạm nghỉ theo lý do", 0);
	csv_end_row(&b);
	n = web_rows(w, CS_STATES);
	for (i = 0; i < n; i++) {
		csv_cell(&b, web_val(w, CS_STATES, i, "name"), 1);
		csv_cell(&b, web_val(w, CS_STATES, i, "day_vi"), 0);
		for (k = 0; k < STATE_NCOLS; k++)
			csv_number(&b, web_val(w, CS_STATES, i,
			    state_cols[k].name), 0);
		csv_cell(&b, web_val(w, CS_STATES, i, "pauses"), 0);
		csv_end_row(&b);
	}
	(void)snprintf(file, sizeof(file), "tong-dai-%s-%s-%s.csv",
	    cs->f.group->slug, cs->f.from, cs->f.to);
	web_send_csv(req, &b, file);
	sbuf_free(&b);
	return (WEB_DONE);
}

static int
stats_json(struct http_request *req, struct web *w)
{
	struct call_stats	*cs = w->data;
	json_t			*rows, *row, *total, *states;
	size_t			 k;
	int			 i, n;

	rows = json_array();
	total = json_null();
	n = web_rows(w, CS_CALLS);
	for (i = 0; i < n; i++) {
		row = json_pack("{s:o,s:o}",
		    "key", json_text(web_val(w, CS_CALLS, i, "key")),
		    "label", json_text(row_label(w, i)));
		for (k = 0; k < CALL_NCOLS; k++)
			json_object_set_new(row, call_stats_cols[k].name,
			    json_number_text(web_val(w, CS_CALLS, i,
			    call_stats_cols[k].name)));
		if (web_bool(w, CS_CALLS, i, "is_total")) {
			json_decref(total);
			total = row;
		} else
			json_list_add(&rows, row);
	}
	states = json_array();
	n = web_rows(w, CS_STATES);
	for (i = 0; i < n; i++) {
		row = json_pack("{s:o,s:o,s:o}",
		    "name", json_text(web_val(w, CS_STATES, i, "name")),
		    "day", json_text(web_val(w, CS_STATES, i, "day")),
		    "pauses", json_text(web_val(w, CS_STATES, i, "pauses")));
		for (k = 0; k < STATE_NCOLS; k++)
			json_object_set_new(row, state_cols[k].name,
			    json_number_text(web_val(w, CS_STATES, i,
			    state_cols[k].name)));
		json_list_add(&states, row);
	}
	return (web_json(req, 200, json_pack("{s:s,s:s,s:s,s:i,s:o,s:o,s:o}",
	    "from", cs->f.from, "to", cs->f.to, "group", cs->f.group->slug,
	    "threshold", atoi(cs->f.threshold), "rows", rows, "total", total,
	    "states", states)));
}

/*
 * On LANE_DISK: the two tables as a workbook, in VAR_DIR/tmp.  The cells
 * are the query's text, read here and not changed until the reply.
 */
static int
stats_xlsx_build(struct web *w)
{
	struct call_stats	*cs = w->data;
	struct xlsx_col		 ccols[CALL_NCOLS + 1], scols[STATE_NCOLS + 3];
	struct xlsx_sheet	 sheets[2];
	const char		**cc, **sc;
	char			 title[2][160];
	size_t			 k;
	int			 i, n, m, rc;

	ccols[0] = (struct xlsx_col){ cs->f.group->label, cs->f.group->kind,
	    cs->f.group->kind == XLSX_TEXT ? 30 : 12 };
	for (k = 0; k < CALL_NCOLS; k++)
		ccols[k + 1] = (struct xlsx_col){ call_stats_cols[k].header,
		    call_stats_cols[k].kind, 14 };
	n = web_rows(w, CS_CALLS);
	cc = calloc((size_t)n * (CALL_NCOLS + 1), sizeof(*cc));
	for (i = 0; cc != NULL && i < n; i++) {
		/* A day as a date, except on the total row. */
		cc[i * (CALL_NCOLS + 1)] = cs->f.group->kind == XLSX_DATE &&
		    !web_bool(w, CS_CALLS, i, "is_total") ?
		    web_val(w, CS_CALLS, i, "key") : NULL;
		if (cs->f.group->kind != XLSX_DATE)
			cc[i * (CALL_NCOLS + 1)] = row_label(w, i);
		for (k = 0; k < CALL_NCOLS; k++)
			cc[i * (CALL_NCOLS + 1) + k + 1] = web_val(w, CS_CALLS,
			    i, call_stats_cols[k].name);
	}
	scols[0] = (struct xlsx_col){ "Điện thoại viên", XLSX_TEXT, 28 };
	scols[1] = (struct xlsx_col){ "Ngày", XLSX_DATE, 12 };
	for (k = 0; k < STATE_NCOLS; k++)
		scols[k + 2] = (struct xlsx_col){ state_cols[k].header,
		    XLSX_DURATION, 14 };
	scols[STATE_NCOLS + 2] = (struct xlsx_col){ "Tạm nghỉ theo lý do",
	    XLSX_TEXT, 40 };
	m = web_rows(w, CS_STATES);
	sc = calloc((size_t)m * (STATE_NCOLS + 3) + 1, sizeof(*sc));
	for (i = 0; sc != NULL && i < m; i++) {
		sc[i * (STATE_NCOLS + 3)] = web_val(w, CS_STATES, i, "name");
		sc[i * (STATE_NCOLS + 3) + 1] = web_val(w, CS_STATES, i, "day");
		for (k = 0; k < STATE_NCOLS; k++)
			sc[i * (STATE_NCOLS + 3) + k + 2] = web_val(w,
			    CS_STATES, i, state_cols[k].name);
		sc[i * (STATE_NCOLS + 3) + STATE_NCOLS + 2] = web_val(w,
		    CS_STATES, i, "pauses");
	}
	(void)snprintf(title[0], sizeof(title[0]), "Cuộc gọi theo %s, từ "
	    "%.2s/%.2s/%.4s đến %.2s/%.2s/%.4s (ngưỡng %s giây)",
	    cs->f.group->label, cs->f.from + 8, cs->f.from + 5, cs->f.from,
	    cs->f.to + 8, cs->f.to + 5, cs->f.to, cs->f.threshold);
	(void)snprintf(title[1], sizeof(title[1]), "Thời gian theo trạng thái "
	    "của điện thoại viên, từ %.2s/%.2s/%.4s đến %.2s/%.2s/%.4s",
	    cs->f.from + 8, cs->f.from + 5, cs->f.from, cs->f.to + 8,
	    cs->f.to + 5, cs->f.to);
	sheets[0] = (struct xlsx_sheet){ "Cuộc gọi", title[0], ccols,
	    CALL_NCOLS + 1, cc, n, 1 };
	sheets[1] = (struct xlsx_sheet){ "Trạng thái", title[1], scols,
	    STATE_NCOLS + 3, sc, m, 0 };
	rc = -1;
	if (cc != NULL && sc != NULL)
		rc = call_stats_xlsx(sheets, 2, &cs->xlsx, &cs->xlsx_len);
	free(cc);
	free(sc);
	return (rc);
}

static int
stats_xlsx_send(struct http_request *req, struct web *w)
{
	struct call_stats	*cs = w->data;
	char			 file[96];

	(void)snprintf(file, sizeof(file), "tong-dai-%s-%s-%s.xlsx",
	    cs->f.group->slug, cs->f.from, cs->f.to);
	return (call_stats_xlsx_send(req, w, cs->xlsx, cs->xlsx_len, file));
}

/*
 * On a lane: a workbook's bytes, written in VAR_DIR/tmp (a folder the
 * worker may use) and removed there; 0 or -1, the reason logged.  The
 * caller frees *out.
 */
int
call_stats_xlsx(const struct xlsx_sheet *sheets, int n, unsigned char **out,
    size_t *outlen)
{
	char	dir[PATH_MAX], err[256];

	(void)snprintf(dir, sizeof(dir), "%s/tmp", app.var_dir);
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		kore_log(LOG_ERR, "xlsx: mkdir %s: %s", dir, strerror(errno));
		return (-1);
	}
	if (xlsx_build(dir, sheets, n, out, outlen, err, sizeof(err)) == -1) {
		kore_log(LOG_ERR, "xlsx: %s", err);
		return (-1);
	}
	return (0);
}

/* A workbook built by a lane as a download; file: an ASCII name. */
int
call_stats_xlsx_send(struct http_request *req, struct web *w,
    const unsigned char *data, size_t len, const char *file)
{
	char	disp[160];

	if (w->task_result != 0 || data == NULL)
		return (web_error(req, w, 500, "Không tạo được tệp Excel."));
	(void)snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", file);
	http_response_header(req, "content-disposition", disp);
	http_response_header(req, "cache-control", "no-store");
	return (web_send(req, 200, XLSX_TYPE, data, len));
}

/* A figure as people read it: "12,5", "12,5 giây"; none: "—". */
void
call_stats_cell_text(const struct call_col *col, const char *v, char *out,
    size_t len)
{
	char	num[32];

	if (v == NULL) {
		kore_strlcpy(out, "—", len);
		return;
	}
	sup_decimal_vi(v, num, sizeof(num));
	if (col->seconds)
		(void)snprintf(out, len, "%s giây", num);
	else
		kore_strlcpy(out, num, len);
}

/* Seconds in a state as h:mm:ss. */
static void
hms_text(const char *v, char *out, size_t len)
{
	long	s;

	s = v != NULL ? strtol(v, NULL, 10) : 0;
	(void)snprintf(out, len, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60,
	    s % 60);
}
