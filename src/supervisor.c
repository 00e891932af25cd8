/*
 * supervisor: the leader's read-only view of any ticket — a finder by code
 * or phone, the ticket with its whole history (internal notes included),
 * and that history as CSV and as a printable page, for audits and
 * complaints.  The statistics pages are in stats.c.
 */
#include <time.h>

#include "app.h"
#include "code.h"
#include "refdata.h"
#include "csv.h"
#include "date.h"
#include "supervisor.h"
#include "valid.h"
#include "workflow.h"

#define FIND_Q_MAX_BYTES	64
#define FIND_LIMIT		"50"
#define DAY_ARG_MAX		16

/* What the ticket pages render: the page, the print page or the CSV. */
#define SHOW_PAGE		0
#define SHOW_PRINT		1
#define SHOW_CSV		2

static int	ticket_show(struct web *);
static void	ticket_view(struct web *);
static int	ticket_csv(struct http_request *, struct web *);
static void	ticket_print_stamp(struct web *);

/* $1: a normalised code or '', $2: a normalised phone or ''. */
static const char	SQL_FIND[] =
    "SELECT t.id, t.code, t.status, t.channel, t.title, t.name, t.phone, "
    "f.name AS field, a.name AS agency, "
    "to_char(t.created_at, 'DD/MM/YYYY HH24:MI') AS created_at, "
    "ticket_overdue(t) AS overdue "
    "FROM tickets t LEFT JOIN fields f ON f.id = t.field_id "
    "LEFT JOIN agencies a ON a.id = t.agency_id "
    "WHERE ($1 <> '' AND t.code = $1) OR ($2 <> '' AND t.phone = $2) "
    "OR ($1 = '' AND $2 = '') "
    "ORDER BY t.id DESC LIMIT " FIND_LIMIT;

static const char	SQL_TICKET[] =
    "SELECT t.id, t.code, t.channel, t.status, t.level, t.name, t.phone, "
    "t.email, t.title, t.content, t.answer, t.published, "
    "f.name AS field, a.name AS agency, u.full_name AS created_by, "
    "to_char(t.created_at, 'DD/MM/YYYY HH24:MI') AS created_at, "
    "to_char(t.due_at, 'DD/MM/YYYY HH24:MI') AS due_at, "
    "to_char(t.answered_at, 'DD/MM/YYYY HH24:MI') AS answered_at, "
    "to_char(t.closed_at, 'DD/MM/YYYY HH24:MI') AS closed_at, "
    "ticket_overdue(t) AS overdue, "
    "(t.answered_at <= ticket_first_due(t.id)) AS on_time "
    "FROM tickets t LEFT JOIN fields f ON f.id = t.field_id "
    "LEFT JOIN agencies a ON a.id = t.agency_id "
    "LEFT JOIN users u ON u.id = t.created_by "
    "WHERE t.id = $1::bigint";

/* Every event, internal ones too: this is the audit trail. */
static const char	SQL_EVENTS[] =
    "SELECT e.id, e.kind, e.public, e.note, e.payload::text AS payload, "
    "to_char(e.at, 'DD/MM/YYYY HH24:MI:SS') AS at, "
    "to_char(e.at, 'YYYY-MM-DD HH24:MI:SS') AS at_iso, "
    "e.actor_label, u.full_name AS actor_name, u.username AS actor_username, "
    "u.role AS actor_role "
    "FROM ticket_events e LEFT JOIN users u ON u.id = e.actor_id "
    "WHERE e.ticket_id = $1::bigint ORDER BY e.id";

static const char	SQL_ATTACHMENTS[] =
    "SELECT id, original_name, mime, size, "
    "to_char(created_at, 'DD/MM/YYYY HH24:MI') AS created_at "
    "FROM attachments WHERE ticket_id = $1::bigint ORDER BY id";

/* "12.5" → "12,5": Vietnamese writes a decimal comma. */
void
sup_decimal_vi(const char *v, char *out, size_t len)
{
	size_t	i;

	if (v == NULL) {
		kore_strlcpy(out, "", len);
		return;
	}
	kore_strlcpy(out, v, len);
	for (i = 0; out[i] != '\0'; i++) {
		if (out[i] == '.')
			out[i] = ',';
	}
}

/*
 * tu, den: days as YYYY-MM-DD (what <input type=date> sends) or
 * DD/MM/YYYY (what people type), into from and to (SUP_DAY_LEN + 1
 * bytes, holding the defaults); -1 and a Vietnamese *err if one is not a
 * day or they are reversed.
 */
int
sup_day_range(struct web *w, char *from, char *to, const char **err)
{
	const char	*v;
	size_t		 len;

	v = web_arg(w, "tu", &len);
	if (v != NULL && len > 0 && (len > DAY_ARG_MAX || strlen(v) != len ||
	    date_day_iso(v, from, SUP_DAY_LEN + 1) == -1)) {
		*err = "Ngày bắt đầu không hợp lệ: nhập theo dạng ngày/tháng/năm "
		    "(ví dụ 31/01/2026) hoặc 2026-01-31.";
		return (-1);
	}
	v = web_arg(w, "den", &len);
	if (v != NULL && len > 0 && (len > DAY_ARG_MAX || strlen(v) != len ||
	    date_day_iso(v, to, SUP_DAY_LEN + 1) == -1)) {
		*err = "Ngày kết thúc không hợp lệ: nhập theo dạng ngày/tháng/năm "
		    "(ví dụ 31/01/2026) hoặc 2026-01-31.";
		return (-1);
	}
	if (strcmp(from, to) > 0) {
		*err = "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.";
		return (-1);
	}
	return (0);
}

/*
 * A choice among a table's rows by the slug an argument names (a report's
 * grouping, its period): each row's first member is its `const char *`
 * slug.  The row's index, SUP_CHOICE_NONE without the argument (the
 * caller keeps its default) or SUP_CHOICE_BAD.
 */
int
sup_arg_choice(struct web *w, const char *name, const void *table, size_t n,
    size_t size)
{
	const char	*v, *slug;
	size_t		 i, len;

	v = web_arg(w, name, &len);
	if (v == NULL || len == 0)
		return (SUP_CHOICE_NONE);
	for (i = 0; i < n; i++) {
		memcpy(&slug, (const char *)table + i * size, sizeof(slug));
		if (strlen(v) == len && strcmp(v, slug) == 0)
			return ((int)i);
	}
	return (SUP_CHOICE_BAD);
}

/*
 * /giam-sat/phieu?q=: a ticket code (forgiving, as citizens read it out)
 * or the phone it was filed with; nothing typed lists the latest tickets.
 */
enum { FIND_QUERY, FIND_SHOW };

int
supervisor_find_step(struct http_request *req, struct web *w)
{
	struct tval	*list, *o;
	const char	*q, *status;
	char		 code[CODE_LEN + 1], phone[VALID_PHONE_LEN + 1];
	size_t		 len;
	int		 i, n;

	if (w->step == FIND_QUERY) {
		q = web_arg(w, "q", &len);
		code[0] = phone[0] = '\0';
		if (q != NULL && len > 0) {
			if (len > FIND_Q_MAX_BYTES || strlen(q) != len ||
			    !valid_utf8(q, len))
				return (web_error(req, w, 400,
				    "Từ khóa quá dài hoặc không hợp lệ."));
			tval_set(w->view, "q", q);
			if (valid_phone_vn(q, phone, sizeof(phone)) != VALID_OK &&
			    code_parse(q, code) != 0) {
				tval_set(w->view, "error",
				    "Nhập mã phiếu (ví dụ 2611-K7M3Q9XP) hoặc "
				    "số điện thoại của người gửi.");
				return (web_render(req, w, 400,
				    "supervisor_find", "Tìm phiếu"));
			}
			tval_set_bool(w->view, "searched", 1);
		}
		return (web_query(req, w, SQL_FIND, 2, code, phone));
	}

	n = web_rows(w, FIND_QUERY);
	list = tval_set_list(w->view, "tickets");
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, FIND_QUERY, i);
		status = web_val(w, FIND_QUERY, i, "status");
		tval_set(o, "status_text", workflow_status_vi(status));
		tval_set(o, "channel_text",
		    workflow_channel_vi(web_val(w, FIND_QUERY, i, "channel")));
	}
	tval_set_bool(w->view, "none", n == 0);
	return (web_render(req, w, 200, "supervisor_find", "Tìm phiếu"));
}

/*
 * /giam-sat/phieu/{id}, …/in and …/lich-su.csv: the ticket, its events,
 * and (not for the CSV) its attachments.
 */
enum { TICKET_LOAD, TICKET_EVENTS, TICKET_FILES, TICKET_SHOW };

int
supervisor_ticket_step(struct http_request *req, struct web *w)
{
	char	id[WEB_PATH_ID_DIGITS + 1];

	switch (w->step) {
	case TICKET_LOAD:
		if (web_path_id(req, w, 1, id, sizeof(id)) == -1)
			return (web_error(req, w, 404, "Không tìm thấy phiếu."));
		return (web_query(req, w, SQL_TICKET, 1, id));
	case TICKET_EVENTS:
		if (web_rows(w, TICKET_LOAD) != 1)
			return (web_error(req, w, 404, "Không tìm thấy phiếu."));
		return (web_query(req, w, SQL_EVENTS, 1,
		    web_val(w, TICKET_LOAD, 0, "id")));
	case TICKET_FILES:
		/* Personal data leaves the system: say who took it. */
		if (ticket_show(w) != SHOW_PAGE) {
			kore_log(LOG_NOTICE, "supervisor: %s exported ticket %s (%s)",
			    w->user.username, web_val(w, TICKET_LOAD, 0, "code"),
			    ticket_show(w) == SHOW_CSV ? "csv" : "print");
		}
		if (ticket_show(w) == SHOW_CSV)
			return (ticket_csv(req, w));
		return (web_query(req, w, SQL_ATTACHMENTS, 1,
		    web_val(w, TICKET_LOAD, 0, "id")));
	default:	/* TICKET_SHOW */
		switch (ticket_show(w)) {
		case SHOW_PRINT:
			ticket_view(w);
			ticket_print_stamp(w);
			return (web_render(req, w, 200, "supervisor_print",
			    web_val(w, TICKET_LOAD, 0, "code")));
		default:
			ticket_view(w);
			return (web_render(req, w, 200, "supervisor_ticket",
			    web_val(w, TICKET_LOAD, 0, "code")));
		}
	}
}

static int
ticket_show(struct web *w)
{
	if (w->route->id == ROUTE_SUP_TICKET_CSV)
		return (SHOW_CSV);
	if (w->route->id == ROUTE_SUP_TICKET_PRINT)
		return (SHOW_PRINT);
	return (SHOW_PAGE);
}

static void
ticket_view(struct web *w)
{
	struct tval	*t, *list, *o;
	const char	*v, *name;
	int		 i, n;

	t = tval_set_obj(w->view, "ticket");
	web_view_row(w, t, TICKET_LOAD, 0);
	tval_set(t, "status_text",
	    workflow_status_vi(web_val(w, TICKET_LOAD, 0, "status")));
	tval_set(t, "channel_text",
	    workflow_channel_vi(web_val(w, TICKET_LOAD, 0, "channel")));
	v = web_val(w, TICKET_LOAD, 0, "level");
	tval_set(t, "level_text", v != NULL && refdata_level_by_id(atoi(v)) ?
	    refdata_level_by_id(atoi(v))->name : workflow_level_vi(0));

	n = web_rows(w, TICKET_FILES);
	tval_set_bool(t, "has_files", n > 0);
	list = tval_set_list(t, "files");
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, TICKET_FILES, i);
		tval_setf(o, "kib", "%d",
		    (atoi(web_val(w, TICKET_FILES, i, "size")) + 1023) / 1024);
	}

	n = web_rows(w, TICKET_EVENTS);
	list = tval_set_list(w->view, "events");
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, TICKET_EVENTS, i);
		tval_set(o, "kind_text",
		    workflow_action_vi(web_val(w, TICKET_EVENTS, i, "kind")));
		name = web_val(w, TICKET_EVENTS, i, "actor_name");
		tval_set(o, "actor", name != NULL ? name :
		    web_val(w, TICKET_EVENTS, i, "actor_label"));
		v = web_val(w, TICKET_EVENTS, i, "payload");
		tval_set_bool(o, "has_payload", v != NULL && strcmp(v, "{}") != 0);
	}
}

/* Who printed it and when, at the foot of the paper. */
static void
ticket_print_stamp(struct web *w)
{
	struct tm	tm;
	time_t		now;
	char		buf[32];

	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%d/%m/%Y %H:%M", &tm);
	tval_set(w->view, "printed_at", buf);
	tval_set(w->view, "printed_by", w->user.full_name);
}

/*
 * The history, one row per event, for Excel and for the archive; every row
 * names its ticket, so exports of several tickets can be combined.
 */
static int
ticket_csv(struct http_request *req, struct web *w)
{
	struct sbuf	 b;
	const char	*code, *title, *name, *user;
	char		 who[256], file[64];
	int		 i, n;

	code = web_val(w, TICKET_LOAD, 0, "code");
	title = web_val(w, TICKET_LOAD, 0, "title");
	sbuf_init(&b);
	csv_start(&b);
	csv_cell(&b, "Mã phiếu", 1);
	csv_cell(&b, "Tiêu đề phiếu", 0);
	csv_cell(&b, "Thời điểm", 0);
	csv_cell(&b, "Người thực hiện", 0);
	csv_cell(&b, "Hành động", 0);
	csv_cell(&b, "Mã hành động", 0);
	csv_cell(&b, "Công khai", 0);
	csv_cell(&b, "Nội dung", 0);
	csv_cell(&b, "Chi tiết", 0);
	csv_end_row(&b);

	n = web_rows(w, TICKET_EVENTS);
	for (i = 0; i < n; i++) {
		name = web_val(w, TICKET_EVENTS, i, "actor_name");
		user = web_val(w, TICKET_EVENTS, i, "actor_username");
		if (name != NULL && user != NULL)
			(void)snprintf(who, sizeof(who), "%s (%s)", name, user);
		else
			kore_strlcpy(who,
			    web_val(w, TICKET_EVENTS, i, "actor_label"), sizeof(who));
		csv_cell(&b, code, 1);
		csv_cell(&b, title, 0);
		csv_cell(&b, web_val(w, TICKET_EVENTS, i, "at_iso"), 0);
		csv_cell(&b, who, 0);
		csv_cell(&b,
		    workflow_action_vi(web_val(w, TICKET_EVENTS, i, "kind")), 0);
		csv_cell(&b, web_val(w, TICKET_EVENTS, i, "kind"), 0);
		csv_cell(&b,
		    web_bool(w, TICKET_EVENTS, i, "public") ? "Có" : "Không", 0);
		csv_cell(&b, web_val(w, TICKET_EVENTS, i, "note"), 0);
		csv_cell(&b, web_val(w, TICKET_EVENTS, i, "payload"), 0);
		csv_end_row(&b);
	}
	(void)snprintf(file, sizeof(file), "lich-su-%s.csv", code);
	web_send_csv(req, &b, file);
	sbuf_free(&b);
	return (WEB_DONE);
}
