/*
 * callbacks: every call of the hotline for supervisors, and the calls an
 * operator owes a call back (issue 11).
 *   GET  /giam-sat/cuoc-goi            the calls, by day range, operator
 *                                      and disposition, 50 a page, and
 *                                      what each operator still owes
 *   GET  /giam-sat/cuoc-goi.csv        the same calls as CSV
 *   POST /giam-sat/cuoc-goi/{id}/goi-lai  give a call to an operator
 *   GET, POST /giam-sat/goi-lai/{id}/huy  cancel it, after a confirmation
 *   GET  /dtv/goi-lai                  what the operator owes
 *   POST /dtv/goi-lai/{id}             the outcome, recorded once
 *
 * Which calls may be called back is the database's rule
 * (call_needs_callback(), migrations/0060); one open callback per call is
 * its unique index.  The call back itself is made by any phone: the plugin
 * places no outbound call.
 */
#include <stdint.h>
#include <time.h>

#include "app.h"
#include "admin.h"
#include "callback.h"
#include "csv.h"
#include "date.h"
#include "supervisor.h"
#include "valid.h"

#define DAY_LEN			SUP_DAY_LEN
#define CALLS_CSV_MAX		"10000"	/* rows of one export */

struct calls_filter {
	char		 from[DAY_LEN + 1];
	char		 to[DAY_LEN + 1];
	char		 agent[16];	/* a user id, or "" */
	const char	*disposition;	/* a key of callback_dispositions, or "" */
	int		 owed;		/* only calls with an open callback */
	int		 page;
	char		 offset[16];
};

static int	calls_filter_read(struct web *, struct calls_filter *,
		    const char **);
static void	calls_filter_query(const struct calls_filter *, struct sbuf *);
static void	calls_filter_view(struct web *, const struct calls_filter *);
static int	calls_csv(struct http_request *, struct web *);
static void	calls_row_view(struct web *, int, int, struct tval *);
static void	calls_seconds_vi(const char *, char *, size_t);
static void	calls_back_url(struct web *, const char *, char *, size_t);

/*
 * $1, $2 the days (the session's time zone), $3 an agent's id or '',
 * $4 a disposition or '', $5 'owed' or '', $6 a limit, $7 an offset.
 * The newest callback of each call says whether one is owed.
 */
static const char	SQL_CALLS[] =
    "SELECT c.id, c.call_uuid, c.caller, c.disposition, "
    "to_char(c.created_at, 'DD/MM/YYYY HH24:MI:SS') AS at, "
    "to_char(c.created_at, 'YYYY-MM-DD HH24:MI:SS') AS at_iso, "
    "c.wait_seconds, c.talk_seconds, c.recording IS NOT NULL AS has_recording, "
    "u.full_name AS agent, t.id AS ticket_id, t.code AS ticket_code, "
    "cb.id AS callback_id, cb.state AS callback_state, "
    "cb.outcome AS callback_outcome, cu.full_name AS callback_operator, "
    "ab.full_name AS callback_by, "
    "to_char(cb.created_at, 'DD/MM/YYYY HH24:MI') AS callback_at, "
    "to_char(cb.closed_at, 'DD/MM/YYYY HH24:MI') AS callback_closed_at, "
    "(cb.state IS DISTINCT FROM 'owed' AND "
    "call_needs_callback(c.disposition, c.call_uuid)) AS can_assign, "
    "count(*) OVER () AS total "
    "FROM calls c LEFT JOIN users u ON u.id = c.agent_id "
    "LEFT JOIN LATERAL (SELECT id, code FROM tickets "
    "WHERE call_uuid = c.call_uuid ORDER BY id LIMIT 1) t ON true "
    "LEFT JOIN LATERAL (SELECT id, state, outcome, operator_id, assigned_by, "
    "created_at, closed_at FROM callbacks "
    "WHERE call_id = c.id ORDER BY id DESC LIMIT 1) cb ON true "
    "LEFT JOIN users cu ON cu.id = cb.operator_id "
    "LEFT JOIN users ab ON ab.id = cb.assigned_by "
    "WHERE c.created_at >= $1::date::timestamptz "
    "AND c.created_at < ($2::date + 1)::timestamptz "
    "AND ($3 = '' OR c.agent_id::text = $3) "
    "AND ($4 = '' OR c.disposition = $4) "
    "AND ($5 = '' OR cb.state = 'owed') "
    "ORDER BY c.created_at DESC, c.id DESC "
    "LIMIT $6::integer OFFSET $7::integer";

/* The staff who answer calls (the filter) and who may be given one. */
static const char	SQL_AGENTS[] =
    "SELECT id, full_name, role = 'operator' AS assignable FROM users "
    "WHERE role IN ('operator', 'supervisor', 'admin') AND active "
    "ORDER BY full_name, id";

/* What each operator still owes, oldest first. */
static const char	SQL_OWED_BY_OPERATOR[] =
    "SELECT u.id, u.full_name, count(*) AS owed, "
    "to_char(min(cb.created_at), 'DD/MM/YYYY HH24:MI') AS oldest "
    "FROM callbacks cb JOIN users u ON u.id = cb.operator_id "
    "WHERE cb.state = 'owed' GROUP BY u.id, u.full_name "
    "ORDER BY min(cb.created_at)";

/* $1 call, $2 operator, $3 the supervisor. */
static const char	SQL_ASSIGN[] =
    "WITH cb AS (INSERT INTO callbacks (call_id, operator_id, assigned_by) "
    "SELECT c.id, u.id, $3::integer FROM calls c, users u "
    "WHERE c.id = $1::bigint AND call_needs_callback(c.disposition, c.call_uuid) "
    "AND u.id = $2::integer AND u.role = 'operator' AND u.active "
    "ON CONFLICT DO NOTHING RETURNING id), "
    "e AS (INSERT INTO callback_events (callback_id, actor_id, kind) "
    "SELECT id, $3::integer, 'assigned' FROM cb) "
    "SELECT id FROM cb";

/* One open callback and its call, for the confirmation. */
static const char	SQL_OPEN_ONE[] =
    "SELECT cb.id, c.caller, u.full_name AS operator, "
    "to_char(c.created_at, 'DD/MM/YYYY HH24:MI') AS called_at, "
    "to_char(c.created_at, 'YYYY-MM-DD') AS day "
    "FROM callbacks cb JOIN calls c ON c.id = cb.call_id "
    "JOIN users u ON u.id = cb.operator_id "
    "WHERE cb.id = $1::bigint AND cb.state = 'owed'";

/* $1 callback, $2 the supervisor. */
static const char	SQL_CANCEL[] = SQL_REPEATABLE
    "WITH cb AS (UPDATE callbacks SET state = 'cancelled', closed_at = now(), "
    "closed_by = $2::integer WHERE id = $1::bigint AND state = 'owed' "
    "RETURNING id), "
    "e AS (INSERT INTO callback_events (callback_id, actor_id, kind) "
    "SELECT id, $2::integer, 'cancelled' FROM cb) "
    "SELECT id FROM cb";

/* What the operator $1 owes, the oldest first. */
static const char	SQL_OWED[] =
    "SELECT cb.id, c.caller, c.call_uuid, c.disposition, c.wait_seconds, "
    "to_char(c.created_at, 'DD/MM/YYYY HH24:MI') AS called_at, "
    "to_char(cb.created_at, 'DD/MM/YYYY HH24:MI') AS assigned_at, "
    "a.full_name AS assigned_by, t.code AS ticket_code, t.id AS ticket_id "
    "FROM callbacks cb JOIN calls c ON c.id = cb.call_id "
    "JOIN users a ON a.id = cb.assigned_by "
    "LEFT JOIN LATERAL (SELECT id, code FROM tickets "
    "WHERE call_uuid = c.call_uuid ORDER BY id LIMIT 1) t ON true "
    "WHERE cb.operator_id = $1::integer AND cb.state = 'owed' "
    "ORDER BY cb.created_at, cb.id";

/* $1 callback, $2 the operator it was given to, $3 outcome, $4 note. */
static const char	SQL_DONE[] = SQL_REPEATABLE
    "WITH cb AS (UPDATE callbacks SET state = 'done', outcome = $3, "
    "note = nullif($4, ''), closed_at = now(), closed_by = $2::integer "
    "WHERE id = $1::bigint AND operator_id = $2::integer AND state = 'owed' "
    "RETURNING id, call_id), "
    "e AS (INSERT INTO callback_events (callback_id, actor_id, kind, outcome, "
    "note) SELECT id, $2::integer, 'done', $3, nullif($4, '') FROM cb) "
    "SELECT cb.id, c.caller, c.call_uuid FROM cb JOIN calls c ON c.id = cb.call_id";

/* The calls: the page (calls, agents, what is owed) or the CSV. */
enum { CALLS_QUERY, CALLS_AGENTS, CALLS_OWED, CALLS_SHOW };

int
callbacks_calls_step(struct http_request *req, struct web *w)
{
	struct calls_filter	*f = w->data;
	struct tval		*list, *o;
	struct sbuf		 qs;
	const char		*err, *v;
	char			 talk[48];
	int			 i, n, total;

	switch (w->step) {
	case CALLS_QUERY:
		f = kore_calloc(1, sizeof(*f));
		w->data = f;
		w->data_free = kore_free;
		if (calls_filter_read(w, f, &err) == -1)
			return (web_error(req, w, 400, err));
		return (web_query(req, w, SQL_CALLS, 7, f->from, f->to,
		    f->agent, f->disposition, f->owed ? "owed" : "",
		    w->route->id == ROUTE_SUP_CALLS_CSV ? CALLS_CSV_MAX :
		    "50", f->offset));
	case CALLS_AGENTS:
		if (w->route->id == ROUTE_SUP_CALLS_CSV)
			return (calls_csv(req, w));
		return (web_query(req, w, SQL_AGENTS, 0));
	case CALLS_OWED:
		return (web_query(req, w, SQL_OWED_BY_OPERATOR, 0));
	default:	/* CALLS_SHOW */
		break;
	}

	n = web_rows(w, CALLS_QUERY);
	list = tval_set_list(w->view, "calls");
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, CALLS_QUERY, i);
		calls_row_view(w, CALLS_QUERY, i, o);
		calls_seconds_vi(web_val(w, CALLS_QUERY, i, "talk_seconds"),
		    talk, sizeof(talk));
		tval_set(o, "talk", talk);
		v = web_val(w, CALLS_QUERY, i, "callback_state");
		tval_set_bool(o, "callback_owed", v != NULL &&
		    strcmp(v, "owed") == 0);
		v = web_val(w, CALLS_QUERY, i, "callback_outcome");
		if (v != NULL)
			tval_set(o, "callback_outcome_text",
			    callback_word_vi(callback_outcomes, v));
	}
	total = n > 0 ? atoi(web_val(w, CALLS_QUERY, 0, "total")) : 0;
	tval_set_bool(w->view, "empty", n == 0);

	list = tval_set_list(w->view, "agents");
	for (i = 0; i < web_rows(w, CALLS_AGENTS); i++) {
		o = tval_list_add(list);
		web_view_row(w, o, CALLS_AGENTS, i);
		tval_set_bool(o, "selected", strcmp(f->agent,
		    web_val(w, CALLS_AGENTS, i, "id")) == 0);
	}
	list = tval_set_list(w->view, "owed");
	for (i = 0; i < web_rows(w, CALLS_OWED); i++) {
		o = tval_list_add(list);
		web_view_row(w, o, CALLS_OWED, i);
	}
	tval_set_bool(w->view, "none_owed", web_rows(w, CALLS_OWED) == 0);

	calls_filter_view(w, f);
	sbuf_init(&qs);
	calls_filter_query(f, &qs);
	tval_set(w->view, "qs", qs.data != NULL ? qs.data : "");
	web_pager(w, "/giam-sat/cuoc-goi", qs.data != NULL ? qs.data : "",
	    f->page, web_pager_count(w, f->page, total));
	sbuf_free(&qs);
	v = web_arg(w, "ok", NULL);
	if (v != NULL && strcmp(v, "giao") == 0)
		tval_set(w->view, "notice", "Đã giao cuộc gọi cho điện thoại "
		    "viên gọi lại.");
	else if (v != NULL && strcmp(v, "huy") == 0)
		tval_set(w->view, "notice", "Đã hủy yêu cầu gọi lại.");
	return (web_render(req, w, 200, "supervisor_calls", "Cuộc gọi"));
}

/*
 * Give a call to an operator; the form sends the call's day back, so the
 * supervisor returns to the list as it was.
 */
enum { ASSIGN_STORE, ASSIGN_DONE };

int
callbacks_assign_step(struct http_request *req, struct web *w)
{
	char	id[WEB_PATH_ID_DIGITS + 1], actor[16], op[16], url[128];
	int	operator;

	if (w->step == ASSIGN_STORE) {
		if (web_path_id(req, w, 1, id, sizeof(id)) == -1)
			return (web_error(req, w, 404, "Không tìm thấy cuộc gọi."));
		if (admin_int(w, "nguoi", 1, INT32_MAX, &operator) == -1)
			return (web_error(req, w, 400, "Vui lòng chọn điện "
			    "thoại viên sẽ gọi lại."));
		(void)snprintf(actor, sizeof(actor), "%d", w->user.id);
		(void)snprintf(op, sizeof(op), "%d", operator);
		return (web_query(req, w, SQL_ASSIGN, 3, id, op, actor));
	}
	if (web_rows(w, ASSIGN_STORE) != 1)
		return (web_error(req, w, 409, "Không giao được: cuộc gọi này "
		    "đã có người được giao gọi lại, không cần gọi lại, hoặc "
		    "người nhận không phải điện thoại viên."));
	calls_back_url(w, "giao", url, sizeof(url));
	return (web_redirect(req, url));
}

/* Cancel an open callback: a confirmation page, then the change. */
enum { CANCEL_LOAD, CANCEL_DONE };

int
callbacks_cancel_step(struct http_request *req, struct web *w)
{
	struct tval	*o;
	char		 id[WEB_PATH_ID_DIGITS + 1], actor[16], url[128];

	if (w->step == CANCEL_LOAD) {
		if (web_path_id(req, w, 1, id, sizeof(id)) == -1)
			return (web_error(req, w, 404,
			    "Không tìm thấy yêu cầu gọi lại."));
		if (!web_is_post(req))
			return (web_query(req, w, SQL_OPEN_ONE, 1, id));
		(void)snprintf(actor, sizeof(actor), "%d", w->user.id);
		return (web_query(req, w, SQL_CANCEL, 2, id, actor));
	}
	if (web_rows(w, CANCEL_LOAD) != 1)
		return (web_error(req, w, 409, "Yêu cầu gọi lại này không còn "
		    "mở (đã được gọi lại hoặc đã hủy)."));
	if (!web_is_post(req)) {
		o = tval_set_obj(w->view, "cb");
		web_view_row(w, o, CANCEL_LOAD, 0);
		return (web_render(req, w, 200, "supervisor_callback_cancel",
		    "Hủy yêu cầu gọi lại"));
	}
	calls_back_url(w, "huy", url, sizeof(url));
	return (web_redirect(req, url));
}

/* The operator's list of what they owe. */
enum { OWED_QUERY, OWED_SHOW };

int
callbacks_owed_step(struct http_request *req, struct web *w)
{
	struct tval			*list, *o, *outs, *out;
	const struct callback_word	*cw;
	char				 me[16];
	int				 i, n;

	if (w->step == OWED_QUERY) {
		(void)snprintf(me, sizeof(me), "%d", w->user.id);
		return (web_query(req, w, SQL_OWED, 1, me));
	}
	n = web_rows(w, OWED_QUERY);
	list = tval_set_list(w->view, "callbacks");
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, OWED_QUERY, i);
		calls_row_view(w, OWED_QUERY, i, o);
		outs = tval_set_list(o, "outcomes");
		for (cw = callback_outcomes; cw->key != NULL; cw++) {
			out = tval_list_add(outs);
			tval_set(out, "cb", web_val(w, OWED_QUERY, i, "id"));
			tval_set(out, "key", cw->key);
			tval_set(out, "text", cw->vi);
		}
	}
	tval_setf(w->view, "count", "%d", n);
	tval_set_bool(w->view, "empty", n == 0);
	if (web_arg(w, "ok", NULL) != NULL)
		tval_set(w->view, "notice", "Đã ghi kết quả gọi lại.");
	return (web_render(req, w, 200, "console_callbacks", "Gọi lại"));
}

/*
 * The outcome of a callback, once.  "Đã liên lạc được" with "mở phiếu"
 * ticked goes on to the phone-ticket form, filled with the number and the
 * call: the one ticket path (ticket.c).
 */
enum { DONE_STORE, DONE_NEXT };

int
callbacks_done_step(struct http_request *req, struct web *w)
{
	const struct callback_word	*outcome;
	struct sbuf			 url;
	char				 id[WEB_PATH_ID_DIGITS + 1], me[16];
	char				 note[CALLBACK_NOTE_MAX * 4 + 1], err[160];
	int				 rc;

	if (w->step == DONE_STORE) {
		if (web_path_id(req, w, 1, id, sizeof(id)) == -1)
			return (web_error(req, w, 404,
			    "Không tìm thấy yêu cầu gọi lại."));
		outcome = callback_word_find(callback_outcomes,
		    web_arg(w, "ket-qua", NULL));
		if (outcome == NULL)
			return (web_error(req, w, 400,
			    "Vui lòng chọn kết quả gọi lại."));
		if (web_text(w, "ghi-chu", CALLBACK_NOTE_MAX, 1,
		    callback_note_required(outcome->key), note, sizeof(note),
		    "ghi chú", err, sizeof(err)) == -1)
			return (web_error(req, w, 400, err));
		(void)snprintf(me, sizeof(me), "%d", w->user.id);
		return (web_query(req, w, SQL_DONE, 4, id, me, outcome->key,
		    note));
	}
	if (web_rows(w, DONE_STORE) != 1)
		return (web_error(req, w, 409, "Yêu cầu gọi lại này không còn "
		    "chờ bạn (đã ghi kết quả, đã hủy, hoặc được giao cho người "
		    "khác)."));
	if (strcmp(web_arg(w, "ket-qua", NULL), "reached") != 0 ||
	    !admin_checked(w, "mo-phieu"))
		return (web_redirect(req, "/dtv/goi-lai?ok=1"));
	sbuf_init(&url);
	sbuf_appendf(&url, "/dtv/tao-phieu?channel=phone&phone=");
	sbuf_append_url(&url, web_val(w, DONE_STORE, 0, "caller"),
	    SBUF_URL_QUERY);
	sbuf_appendf(&url, "&call_id=%s", web_val(w, DONE_STORE, 0, "call_uuid"));
	rc = web_redirect(req, url.data);
	sbuf_free(&url);
	return (rc);
}

/*
 * tu, den: days as YYYY-MM-DD or DD/MM/YYYY, today by default; nguoi: the
 * agent who took the call; ket-thuc: a disposition; con-no=1: only calls
 * still owed a call back; page.
 */
static int
calls_filter_read(struct web *w, struct calls_filter *f, const char **err)
{
	const struct callback_word	*d;
	const char			*v;
	struct tm			 tm;
	time_t				 now;
	size_t				 len;
	int				 n;

	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(f->from, sizeof(f->from), "%Y-%m-%d", &tm);
	strftime(f->to, sizeof(f->to), "%Y-%m-%d", &tm);
	f->disposition = "";
	f->page = 1;

	/* One day asked for: that day. */
	v = web_arg(w, "den", &len);
	if (v == NULL || len == 0)
		(void)date_day_iso(web_arg(w, "tu", NULL), f->to, sizeof(f->to));
	if (sup_day_range(w, f->from, f->to, err) == -1)
		return (-1);
	v = web_arg(w, "nguoi", &len);
	if (v != NULL && len > 0) {
		if (admin_int(w, "nguoi", 1, INT32_MAX, &n) == -1) {
			*err = "Điện thoại viên không hợp lệ.";
			return (-1);
		}
		(void)snprintf(f->agent, sizeof(f->agent), "%d", n);
	}
	v = web_arg(w, "ket-thuc", &len);
	if (v != NULL && len > 0) {
		if ((d = callback_word_find(callback_dispositions, v)) == NULL) {
			*err = "Kết quả cuộc gọi không hợp lệ.";
			return (-1);
		}
		f->disposition = d->key;
	}
	f->owed = admin_checked(w, "con-no");
	if (web_arg(w, "page", NULL) != NULL &&
	    admin_int(w, "page", 1, WEB_PAGE_MAX, &f->page) == -1) {
		*err = "Số trang không hợp lệ.";
		return (-1);
	}
	(void)snprintf(f->offset, sizeof(f->offset), "%d",
	    w->route->id == ROUTE_SUP_CALLS_CSV ? 0 :
	    (f->page - 1) * WEB_PAGE_SIZE);
	return (0);
}

/* The filters as a query string ending in "&", for the pager and CSV. */
static void
calls_filter_query(const struct calls_filter *f, struct sbuf *b)
{
	sbuf_appendf(b, "tu=%s&den=%s&", f->from, f->to);
	if (f->agent[0] != '\0')
		sbuf_appendf(b, "nguoi=%s&", f->agent);
	if (f->disposition[0] != '\0')
		sbuf_appendf(b, "ket-thuc=%s&", f->disposition);
	if (f->owed)
		sbuf_appendf(b, "con-no=1&");
}

/* The filter form as it was. */
static void
calls_filter_view(struct web *w, const struct calls_filter *f)
{
	const struct callback_word	*d;
	struct tval			*list, *o;

	tval_set(w->view, "from", f->from);
	tval_set(w->view, "to", f->to);
	tval_set_bool(w->view, "only_owed", f->owed);
	list = tval_set_list(w->view, "dispositions");
	for (d = callback_dispositions; d->key != NULL; d++) {
		o = tval_list_add(list);
		tval_set(o, "key", d->key);
		tval_set(o, "text", d->vi);
		tval_set_bool(o, "selected", strcmp(d->key, f->disposition) == 0);
	}
}

/* The calls of the filter, one row each; who took them out is logged. */
static int
calls_csv(struct http_request *req, struct web *w)
{
	struct calls_filter	*f = w->data;
	struct sbuf		 b;
	const char		*v;
	char			 file[64];
	int			 i, n;

	n = web_rows(w, CALLS_QUERY);
	kore_log(LOG_NOTICE, "callbacks: %s exported %d calls (%s to %s)",
	    w->user.username, n, f->from, f->to);
	sbuf_init(&b);
	csv_start(&b);
	csv_cell(&b, "Thời điểm", 1);
	csv_cell(&b, "Số gọi đến", 0);
	csv_cell(&b, "Kết quả", 0);
	csv_cell(&b, "Mã kết quả", 0);
	csv_cell(&b, "Điện thoại viên", 0);
	csv_cell(&b, "Chờ (giây)", 0);
	csv_cell(&b, "Đàm thoại (giây)", 0);
	csv_cell(&b, "Có ghi âm", 0);
	csv_cell(&b, "Mã phiếu", 0);
	csv_cell(&b, "Gọi lại", 0);
	csv_cell(&b, "Người gọi lại", 0);
	csv_cell(&b, "Mã cuộc gọi", 0);
	csv_end_row(&b);
	for (i = 0; i < n; i++) {
		csv_cell(&b, web_val(w, CALLS_QUERY, i, "at_iso"), 1);
		csv_cell(&b, web_val(w, CALLS_QUERY, i, "caller"), 0);
		v = web_val(w, CALLS_QUERY, i, "disposition");
		csv_cell(&b, callback_word_vi(callback_dispositions, v), 0);
		csv_cell(&b, v, 0);
		csv_cell(&b, web_val(w, CALLS_QUERY, i, "agent"), 0);
		csv_number(&b, web_val(w, CALLS_QUERY, i, "wait_seconds"), 0);
		csv_number(&b, web_val(w, CALLS_QUERY, i, "talk_seconds"), 0);
		csv_cell(&b, web_bool(w, CALLS_QUERY, i, "has_recording") ?
		    "Có" : "Không", 0);
		csv_cell(&b, web_val(w, CALLS_QUERY, i, "ticket_code"), 0);
		v = web_val(w, CALLS_QUERY, i, "callback_state");
		csv_cell(&b, v == NULL ? "" : strcmp(v, "owed") == 0 ?
		    "Chưa gọi lại" : strcmp(v, "cancelled") == 0 ? "Đã hủy" :
		    callback_word_vi(callback_outcomes,
		    web_val(w, CALLS_QUERY, i, "callback_outcome")), 0);
		csv_cell(&b, web_val(w, CALLS_QUERY, i, "callback_operator"), 0);
		csv_cell(&b, web_val(w, CALLS_QUERY, i, "call_uuid"), 0);
		csv_end_row(&b);
	}
	(void)snprintf(file, sizeof(file), "cuoc-goi-%s-%s.csv", f->from, f->to);
	web_send_csv(req, &b, file);
	sbuf_free(&b);
	return (WEB_DONE);
}

/* A call's disposition and waiting time, as people read them. */
static void
calls_row_view(struct web *w, int k, int i, struct tval *o)
{
	char	wait[48];

	tval_set(o, "disposition_text", callback_word_vi(callback_dispositions,
	    web_val(w, k, i, "disposition")));
	calls_seconds_vi(web_val(w, k, i, "wait_seconds"), wait, sizeof(wait));
	tval_set(o, "wait", wait);
}

/* 75 → "1 phút 15 giây"; a duration people read at a glance. */
static void
calls_seconds_vi(const char *v, char *out, size_t len)
{
	long	s;

	s = v != NULL ? strtol(v, NULL, 10) : 0;
	if (s < 60)
		(void)snprintf(out, len, "%ld giây", s);
	else if (s % 60 == 0)
		(void)snprintf(out, len, "%ld phút", s / 60);
	else
		(void)snprintf(out, len, "%ld phút %ld giây", s / 60, s % 60);
}

/* Back to the calls page, on the days the form came from. */
static void
calls_back_url(struct web *w, const char *ok, char *url, size_t len)
{
	char	from[DAY_LEN + 1], to[DAY_LEN + 1];

	if (date_day_iso(web_arg(w, "tu", NULL), from, sizeof(from)) == 0 &&
	    date_day_iso(web_arg(w, "den", NULL), to, sizeof(to)) == 0)
		(void)snprintf(url, len, "/giam-sat/cuoc-goi?tu=%s&den=%s&ok=%s",
		    from, to, ok);
	else
		(void)snprintf(url, len, "/giam-sat/cuoc-goi?ok=%s", ok);
}
