/*
 * ticket_actions: the ticket page of the operator console and of the
 * agency pages, and every action taken on it.
 *
 * A page request is a small state machine:
 *
 *   LOAD ─▶ LOADED ─(GET, or a bad form)──────────────▶ EVENTS ─▶ FILES ─▶ RENDER
 *                  └─(POST, valid)─▶ APPLY ─▶ APPLIED ─(1 row)─▶ redirect
 *                                                     └─(0 rows)─▶ RELOAD ─▶ EVENTS …
 *
 * Each action is ONE SQL statement: it changes the ticket only while it is
 * still in the status the officer saw (and, for an agency, still assigned
 * to that agency), and inserts the history event in the same statement, so
 * a change and its record land together or not at all.  The agency's
 * scope is part of every query's WHERE clause, never only of C.
 */
#include <time.h>

#include "app.h"
#include "ticket.h"
#include "refdata.h"
#include "ticket_actions.h"
#include "valid.h"
#include "workflow.h"

#define ANSWER_MAX_CHARS	10000
#define NOTE_MAX_CHARS		2000

#define TEXT_NONE		0
#define TEXT_ANSWER		1	/* the "answer" field */
#define TEXT_NOTE		2	/* the "note" field */

#define OPT			0
#define REQ			1

#define MSG_CONFLICT	"Phiếu đã được người khác cập nhật, vui lòng tải lại " \
			"trang để xem trạng thái mới nhất."
#define MSG_NOT_FOUND	"Không tìm thấy phiếu."

enum ta_state {
	ST_LOAD, ST_LOADED, ST_APPLY, ST_APPLIED, ST_USED, ST_RELOADED,
	ST_EVENTS, ST_FILES, ST_CALLS, ST_MESSAGES, ST_RENDER
};

struct ta_action {
	const char	*url;		/* the last part of the POST path */
	const char	*name;		/* workflow action and event kind */
	int		 agency;	/* 1: agency officers, 0: staff */
	int		 text;		/* TEXT_* */
	int		 required;	/* the text is required */
	const char	*label;		/* the text, in messages */
	const char	*sql;
};

struct ta_page {
	const struct ta_scope	*scope;
	const struct ta_action	*act;
	enum ta_state		 state;
	char			 id[24];
	char			 agency[16];
	char			 actor[16];
	char			 status[24];
	const char		*next;		/* workflow_next() of status */
	int			 k_ticket, k_events, k_files, k_apply, k_calls;
	int			 k_messages;	/* its conversations' (inbox.c) */
	int			 http_status;
	char			 err[512];

	/* What the form said, checked. */
	char			*text;
	int			 field_id, level, agency_id, days;
	char			 field_id_s[16], level_s[16], agency_id_s[16];
	char			 days_s[16], due[32];
	struct suggest_use	 use;	/* the suggested answer inserted */
	char			 kind[16], reason[24];
	char			*guidance;	/* closing without an answer */
};

static int	ta_step(struct http_request *, struct web *, struct ta_page *);
static int	ta_loaded(struct http_request *, struct web *, struct ta_page *);
static int	ta_apply(struct http_request *, struct web *, struct ta_page *);
static int	ta_applied(struct http_request *, struct web *, struct ta_page *);
static int	ta_render(struct http_request *, struct web *, struct ta_page *);
static int	ta_check(struct web *, struct ta_page *);
static int	ta_read_text(struct web *, struct ta_page *);
static int	ta_read_int(struct web *, const char *, int, int, int *);
static int	ta_read_guidance(struct web *, struct ta_page *);
static int	ta_default_days(struct web *, struct ta_page *);
static const struct ta_action *ta_action_find(const char *, int);
static void	ta_view_ticket(struct web *, struct ta_page *, struct tval *);
static void	ta_view_events(struct web *, struct ta_page *, struct tval *,
		    const char **);
static void	ta_view_forms(struct web *, struct ta_page *, const char *);
static void	ta_view_choices(struct tval *, const char *,
		    int (*)(size_t, const char **, const char **), const char *);
static void	ta_page_free(void *);

/* ---- The statements, one per action. ---------------------------------- */

/*
 * Common parameters: $1 ticket id, $2 the status the officer saw, $3 the
 * status it moves to (workflow_next(): the table in workflow.c is the only
 * place that says it), $4 actor id, $5 actor label (the user's full name);
 * then each action's own.
 * None is SQL_REPEATABLE: a repeat after a lost connection would find the
 * status moved on and tell the officer someone else had changed the
 * ticket, when it may have been their own first try.
 */
#define EVENT_COLS	"INSERT INTO ticket_events " \
    "(ticket_id, actor_id, actor_label, kind, public, note, payload) "

/*
 * $9 the type; $10 the due date the level gives, counted from when the
 * contact was received, or '' to keep the deadline (the level did not
 * change, or the ticket is with an agency, whose deadline the forward set).
 */
static const char	SQL_CLASSIFY[] =
    "WITH old AS (SELECT id, field_id, level, kind FROM tickets "
    "WHERE id = $1::bigint AND status = $2 FOR UPDATE), "
    "t AS (UPDATE tickets SET status = $3, field_id = $6::integer, "
    "level = $7::smallint, kind = $9, "
    "due_at = coalesce(NULLIF($10, '')::timestamptz, due_at), "
    "updated_at = now() FROM old "
    "WHERE tickets.id = old.id AND tickets.status = $2 "
    "RETURNING tickets.id, old.field_id AS old_field, old.level AS old_level, "
    "old.kind AS old_kind) "
    EVENT_COLS
    "SELECT id, $4::integer, $5, 'classify', false, "
    "'Lĩnh vực: ' || $8::text || '; ' || $11::text || '; loại: ' || $12::text, "
    "jsonb_strip_nulls(jsonb_build_object('field_id', $6::integer, "
    "'level', $7::integer, 'kind', $9::text, 'from_field_id', old_field, "
    "'from_level', old_level, 'from_kind', old_kind, "
    "'due_at', NULLIF($10, '')::timestamptz)) FROM t "
    "RETURNING ticket_id";

static const char	SQL_ANSWER[] =
    "WITH t AS (UPDATE tickets SET status = $3, answer = $6, "
    "answered_at = now(), updated_at = now() "
    "WHERE id = $1::bigint AND status = $2 RETURNING id) "
    EVENT_COLS
    "SELECT id, $4::integer, $5, 'answer', true, 'Tổng đài 1022 đã trả lời.', "
    "jsonb_build_object('text', $6::text) FROM t RETURNING ticket_id";

static const char	SQL_FORWARD[] =
    "WITH t AS (UPDATE tickets SET status = $3, agency_id = $7::integer, "
    "due_at = $8::timestamptz, updated_at = now() "
    "WHERE id = $1::bigint AND status = $2 RETURNING id) "
    EVENT_COLS
    "SELECT id, $4::integer, $5, 'forward', true, 'Đã chuyển đến ' || $9::text, "
    "jsonb_strip_nulls(jsonb_build_object('agency_id', $7::integer, "
    "'agency', $9::text, 'due_at', $8::timestamptz, 'days', $10::integer, "
    "'text', $6::text)) FROM t RETURNING ticket_id";

/*
 * A note changes nothing but the history; the status may have moved on
 * ($2 and $3 are both the status the officer saw, unused).
 */
static const char	SQL_NOTE[] =
    EVENT_COLS
    "SELECT id, $4::integer, $5, 'note', false, $6, '{}' FROM tickets "
    "WHERE id = $1::bigint AND $2::text IS NOT NULL AND $3::text IS NOT NULL "
    "RETURNING ticket_id";

static const char	SQL_PUBLISH[] =
    "WITH t AS (UPDATE tickets SET published = true, status = $3, "
    "updated_at = now() "
    "WHERE id = $1::bigint AND status = $2 AND NOT published "
    "AND answer IS NOT NULL RETURNING id) "
    EVENT_COLS
    "SELECT id, $4::integer, $5, 'publish', false, NULL, '{}' FROM t "
    "RETURNING ticket_id";

static const char	SQL_UNPUBLISH[] =
    "WITH t AS (UPDATE tickets SET published = false, status = $3, "
    "updated_at = now() "
    "WHERE id = $1::bigint AND status = $2 AND published RETURNING id) "
    EVENT_COLS
    "SELECT id, $4::integer, $5, 'unpublish', false, NULL, '{}' FROM t "
    "RETURNING ticket_id";

/*
 * $7 the reason and $8 the guidance to the citizen, both '' when the
 * ticket has an answer; a ticket with no answer is closed only with a
 * guidance (checked here again, should the answer be gone meanwhile).
 * The guidance is the public event's note: the tracking page shows it and
 * the citizen is sent it (notice_citizen_guidance, migrations/0065).
 */
static const char	SQL_CLOSE[] =
    "WITH t AS (UPDATE tickets SET status = $3, closed_at = now(), "
    "close_reason = NULLIF($7, ''), close_guidance = NULLIF($8, ''), "
    "updated_at = now() WHERE id = $1::bigint AND status = $2 "
    "AND (answer IS NOT NULL OR $8 <> '') RETURNING id) "
    EVENT_COLS
    "SELECT id, $4::integer, $5, 'close', true, "
    "coalesce('Tổng đài 1022 hướng dẫn: ' || NULLIF($8, ''), "
    "'Phiếu đã hoàn thành xử lý.'), "
    "jsonb_strip_nulls(jsonb_build_object('text', $6::text, "
    "'reason', NULLIF($7, ''), 'guidance', NULLIF($8, ''))) FROM t "
    "RETURNING ticket_id";

/*
 * A reopened ticket gets a new deadline ($7, the field's working days from
 * now); the first one stays in ticket_deadlines (migrations/0059), which
 * the statistics' "on time" is measured against.
 */
static const char	SQL_REOPEN[] =
    "WITH t AS (UPDATE tickets SET status = $3, closed_at = NULL, "
    "close_reason = NULL, close_guidance = NULL, "
    "due_at = $7::timestamptz, updated_at = now() "
    "WHERE id = $1::bigint AND status = $2 RETURNING id) "
    EVENT_COLS
    "SELECT id, $4::integer, $5, 'reopen', true, "
    "'Phiếu được mở lại để tiếp tục xử lý.', "
    "jsonb_strip_nulls(jsonb_build_object('text', $6::text, "
    "'due_at', $7::timestamptz)) FROM t "
    "RETURNING ticket_id";

/* Agency actions: $7 is the officer's agency, checked in the UPDATE. */
static const char	SQL_AGENCY_ANSWER[] =
    "WITH t AS (UPDATE tickets SET status = $3, updated_at = now() "
    "WHERE id = $1::bigint AND status = $2 AND agency_id = $7::integer "
    "RETURNING id) "
    EVENT_COLS
    "SELECT id, $4::integer, $5, 'agency_answer', false, $6, "
    "jsonb_build_object('agency_id', $7::integer) FROM t RETURNING ticket_id";

static const char	SQL_NEED_INFO[] =
    "WITH t AS (UPDATE tickets SET status = $3, updated_at = now() "
    "WHERE id = $1::bigint AND status = $2 AND agency_id = $7::integer "
    "RETURNING id) "
    EVENT_COLS
    "SELECT id, $4::integer, $5, 'need_info', false, $6, "
    "jsonb_build_object('agency_id', $7::integer) FROM t RETURNING ticket_id";

/* A returned ticket is no longer the agency's: it leaves their pages. */
static const char	SQL_RETURN[] =
    "WITH t AS (UPDATE tickets SET status = $3, agency_id = NULL, "
    "updated_at = now() "
    "WHERE id = $1::bigint AND status = $2 AND agency_id = $7::integer "
    "RETURNING id) "
    EVENT_COLS
    "SELECT id, $4::integer, $5, 'return', false, $6, "
    "jsonb_build_object('agency_id', $7::integer) FROM t RETURNING ticket_id";

static const struct ta_action	actions[] = {
	{ "classify", "classify", 0, TEXT_NONE, OPT, NULL, SQL_CLASSIFY },
	{ "answer", "answer", 0, TEXT_ANSWER, REQ, "Câu trả lời", SQL_ANSWER },
	{ "forward", "forward", 0, TEXT_NOTE, OPT, "Ghi chú cho cơ quan",
	    SQL_FORWARD },
	{ "note", "note", 0, TEXT_NOTE, REQ, "Ghi chú nội bộ", SQL_NOTE },
	{ "publish", "publish", 0, TEXT_NONE, OPT, NULL, SQL_PUBLISH },
	{ "unpublish", "unpublish", 0, TEXT_NONE, OPT, NULL, SQL_UNPUBLISH },
	{ "close", "close", 0, TEXT_NOTE, OPT, "Lý do đóng", SQL_CLOSE },
	{ "reopen", "reopen", 0, TEXT_NOTE, OPT, "Lý do mở lại", SQL_REOPEN },
	{ "answer", "agency_answer", 1, TEXT_ANSWER, REQ,
	    "Nội dung trả lời", SQL_AGENCY_ANSWER },
	{ "need_info", "need_info", 1, TEXT_NOTE, REQ,
	    "Thông tin cần bổ sung", SQL_NEED_INFO },
	{ "return", "return", 1, TEXT_NOTE, REQ, "Lý do trả lại", SQL_RETURN },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* workflow_next() is asked with the session's role bits as they are. */
_Static_assert(ROLE_OPERATOR == WF_OPERATOR && ROLE_SUPERVISOR == WF_SUPERVISOR &&
    ROLE_AGENCY == WF_AGENCY && ROLE_ADMIN == WF_ADMIN,
    "ROLE_* and WF_* bits must agree");

/* ---- Loading the page. ------------------------------------------------- */

#define TICKET_COLS \
    "SELECT t.id, t.code, t.channel, t.status, t.name, t.phone, t.email, " \
    "t.title, t.content, t.field_id, t.level, t.kind, t.agency_id, t.answer, " \
    "t.close_reason, t.close_guidance, " \
    "extract(epoch FROM t.received_at)::bigint AS received_epoch, " \
    "to_char(t.received_at, 'DD/MM/YYYY HH24:MI') AS received, " \
    "t.received_at < t.created_at - interval '5 minutes' AS received_earlier, " \
    "t.published, f.name AS field, a.name AS agency, " \
    "coalesce(f.deadline_days, 5) AS deadline_days, " \
    "coalesce(f.default_agency_id, 0) AS default_agency_id, " \
    "to_char(t.created_at, 'DD/MM/YYYY HH24:MI') AS created, " \
    "to_char(t.due_at, 'DD/MM/YYYY HH24:MI') AS due, " \
    "(SELECT to_char(d, 'DD/MM/YYYY HH24:MI') FROM ticket_first_due(t.id) d " \
    "WHERE d <> t.due_at) AS first_due, " \
    "to_char(t.answered_at, 'DD/MM/YYYY HH24:MI') AS answered, " \
    "to_char(t.closed_at, 'DD/MM/YYYY HH24:MI') AS closed, " \
    "ticket_overdue(t) AS overdue " \
    "FROM tickets_in_scope($2::integer) t " \
    "LEFT JOIN fields f ON f.id = t.field_id " \
    "LEFT JOIN agencies a ON a.id = t.agency_id "

/*
 * $1 the ticket, $2 the scope: NULL for the center, the officer's agency
 * for an agency page (tickets_in_scope, migrations/0033).  Another
 * agency's ticket and a ticket that does not exist look the same.
 */
static const char	SQL_TICKET[] =
    TICKET_COLS "WHERE t.id = $1::bigint";

/*
 * Agencies do not read the operators' internal notes, nor internal reasons
 * (close, reopen), nor what was written to or by another agency the ticket
 * went to before: only the public answer, the forward to them, and their
 * own exchanges.
 */
static const char	SQL_EVENTS[] =
    "SELECT e.id, e.kind, e.public, e.actor_label, u.username, "
    "CASE WHEN $2::integer IS NULL THEN e.note "
    "WHEN e.kind IN ('need_info', 'return', 'agency_answer') AND "
    "(e.payload->>'agency_id')::integer IS DISTINCT FROM $2::integer "
    "THEN NULL ELSE e.note END AS note, "
    "CASE WHEN $2::integer IS NULL OR e.kind = 'answer' OR "
    "(e.kind = 'forward' AND (e.payload->>'agency_id')::integer = $2::integer) "
    "THEN e.payload->>'text' END AS detail, "
    "to_char(e.at, 'DD/MM/YYYY HH24:MI:SS') AS at "
    "FROM tickets_in_scope($2::integer) t "
    "JOIN ticket_events e ON e.ticket_id = t.id "
    "LEFT JOIN users u ON u.id = e.actor_id "
    "WHERE t.id = $1::bigint AND ($2::integer IS NULL OR e.kind <> 'note') "
    "ORDER BY e.id";

static const char	SQL_FILES[] =
    "SELECT a.id, a.original_name, a.mime, a.size "
    "FROM tickets_in_scope($2::integer) t "
    "JOIN attachments a ON a.ticket_id = t.id "
    "WHERE t.id = $1::bigint ORDER BY a.id";

/* The calls of the ticket (the hotline links them by call_uuid). */
static const char	SQL_CALLS[] =
    "SELECT c.call_uuid, c.caller, c.disposition, c.talk_seconds, "
    "c.recording IS NOT NULL AS has_recording, u.full_name AS agent, "
    "to_char(c.created_at, 'DD/MM/YYYY HH24:MI:SS') AS at "
    "FROM calls c JOIN tickets t ON t.call_uuid = c.call_uuid "
    "LEFT JOIN users u ON u.id = c.agent_id WHERE t.id = $1::bigint";

const struct ta_scope	ta_scope_staff = {
	0, "/dtv/phieu/", "console_ticket", "/dtv"
};
const struct ta_scope	ta_scope_agency = {
	1, "/co-quan/phieu/", "agency_ticket", "/co-quan"
};


int
ta_ticket_step(struct http_request *req, struct web *w,
    const struct ta_scope *scope)
{
	struct ta_page	*p = w->data;

	if (p == NULL) {
		p = kore_calloc(1, sizeof(*p));
		p->scope = scope;
		p->state = ST_LOAD;
		p->k_ticket = p->k_events = p->k_files = p->k_apply = -1;
		p->k_calls = p->k_messages = -1;
		p->http_status = 200;
		w->data = p;
		w->data_free = ta_page_free;
	}
	return (ta_step(req, w, p));
}

static int
ta_step(struct http_request *req, struct web *w, struct ta_page *p)
{
	char	action[24];

	for (;;) {
		switch (p->state) {
		case ST_LOAD:
			/* routes.def: (id)(/(action))? */
			if (web_path_id(req, w, 1, p->id, sizeof(p->id)) == -1 ||
			    web_path_arg(req, w, 3, action, sizeof(action)) == -1)
				return (web_error(req, w, 404, MSG_NOT_FOUND));
			if (web_is_post(req)) {
				p->act = ta_action_find(action, p->scope->agency);
				if (p->act == NULL)
					return (web_error(req, w, 404,
					    "Không có thao tác này."));
			} else if (action[0] != '\0') {
				return (web_error(req, w, 404, MSG_NOT_FOUND));
			}
			(void)snprintf(p->agency, sizeof(p->agency), "%d",
			    w->user.agency_id);
			(void)snprintf(p->actor, sizeof(p->actor), "%d",
			    w->user.id);
			p->state = ST_LOADED;
			p->k_ticket = w->step;
			return (web_query(req, w, SQL_TICKET, 2, p->id,
			    web_ticket_scope(w)));
		case ST_LOADED:
			if (web_rows(w, p->k_ticket) != 1)
				return (web_error(req, w, 404, MSG_NOT_FOUND));
			kore_strlcpy(p->status, web_val(w, p->k_ticket, 0,
			    "status"), sizeof(p->status));
			if (!web_is_post(req)) {
				p->state = ST_EVENTS;
				break;
			}
			if (ta_loaded(req, w, p) == -1) {
				p->state = ST_EVENTS;	/* show the form again */
				break;
			}
			p->state = ST_APPLY;
			break;
		case ST_APPLY:
			p->state = ST_APPLIED;
			p->k_apply = w->step;
			return (ta_apply(req, w, p));
		case ST_APPLIED:
			if (web_rows(w, p->k_apply) == 1 &&
			    p->use.kind[0] != '\0') {
				p->state = ST_USED;
				return (suggest_use_store(req, w, p->id,
				    &p->use));
			}
			if (web_rows(w, p->k_apply) == 1)
				return (ta_applied(req, w, p));
			/* Someone else was quicker: show them what changed. */
			p->http_status = 409;
			kore_strlcpy(p->err, MSG_CONFLICT, sizeof(p->err));
			p->state = ST_RELOADED;
			p->k_ticket = w->step;
			return (web_query(req, w, SQL_TICKET, 2, p->id,
			    web_ticket_scope(w)));
		case ST_USED:
			return (ta_applied(req, w, p));
		case ST_RELOADED:
			if (web_rows(w, p->k_ticket) != 1)
				return (web_error(req, w, 404, MSG_NOT_FOUND));
			p->state = ST_EVENTS;
			break;
		case ST_EVENTS:
			p->state = ST_FILES;
			p->k_events = w->step;
			return (web_query(req, w, SQL_EVENTS, 2, p->id,
			    web_ticket_scope(w)));
		case ST_FILES:
			/* Agencies read the ticket; the calls are the center's. */
			p->state = p->scope->agency ? ST_RENDER : ST_CALLS;
			p->k_files = w->step;
			return (web_query(req, w, SQL_FILES, 2, p->id,
			    web_ticket_scope(w)));
		case ST_CALLS:
			p->state = ST_MESSAGES;
			p->k_calls = w->step;
			return (web_query(req, w, SQL_CALLS, 1, p->id));
		case ST_MESSAGES:
			p->state = ST_RENDER;
			p->k_messages = w->step;
			return (inbox_ticket_messages(req, w, p->id));
		case ST_RENDER:
			return (ta_render(req, w, p));
		}
	}
}

/*
 * A POST on a loaded ticket: is the action allowed from this status, and
 * is what was typed acceptable?  0, or -1 with p->err set if not.
 */
static int
ta_loaded(struct http_request *req, struct web *w, struct ta_page *p)
{
	/* A note is no transition: the status stays what it is. */
	p->next = strcmp(p->act->name, "note") == 0 ? p->status :
	    workflow_next(p->status, p->act->name, w->user.role);
	if (p->next == NULL) {
		p->http_status = 409;
		(void)snprintf(p->err, sizeof(p->err),
		    "Không thể thực hiện \"%s\" khi phiếu đang ở trạng thái "
		    "\"%s\". Vui lòng tải lại trang.",
		    workflow_action_vi(p->act->name),
		    workflow_status_vi(p->status));
		return (-1);
	}
	if (ta_check(w, p) == -1) {
		if (p->http_status == 200)
			p->http_status = 400;
		return (-1);
	}
	return (0);
}

/* Everything the action's form carries, against explicit limits. */
static int
ta_check(struct web *w, struct ta_page *p)
{
	const struct ref_field	*f;
	const struct ref_agency	*a;
	const struct ref_level	*l;
	time_t			 due;
	struct tm		 tm;
	const char		*v;

	if (ta_read_text(w, p) == -1)
		return (-1);
	if (strcmp(p->act->name, "answer") == 0 && !p->act->agency &&
	    suggest_use_read(w, &p->use, p->err, sizeof(p->err)) == -1)
		return (-1);

	if (strcmp(p->act->name, "classify") == 0) {
		if (ta_read_int(w, "field", 1, INT_MAX, &p->field_id) == -1 ||
		    (f = refdata_field_by_id(p->field_id)) == NULL) {
			kore_strlcpy(p->err, "Vui lòng chọn lĩnh vực hợp lệ.",
			    sizeof(p->err));
			return (-1);
		}
		if (ta_read_int(w, "level", 1, REFDATA_MAX_LEVELS, &p->level) ==
		    -1 || (l = refdata_level_by_id(p->level)) == NULL ||
		    !l->active) {
			kore_strlcpy(p->err, "Vui lòng chọn cấp độ hợp lệ.",
			    sizeof(p->err));
			return (-1);
		}
		v = web_arg(w, "kind", NULL);
		if (v == NULL || v[0] == '\0')
			v = web_val(w, p->k_ticket, 0, "kind");
		if (v == NULL || strlen(v) >= sizeof(p->kind) ||
		    workflow_kind_vi(v) == NULL) {
			kore_strlcpy(p->err, "Vui lòng chọn loại phiếu hợp lệ.",
			    sizeof(p->err));
			return (-1);
		}
		kore_strlcpy(p->kind, v, sizeof(p->kind));
		(void)snprintf(p->field_id_s, sizeof(p->field_id_s), "%d",
		    p->field_id);
		(void)snprintf(p->level_s, sizeof(p->level_s), "%d", p->level);
		/* A new level while the center holds it: its deadline. */
		v = web_val(w, p->k_ticket, 0, "level");
		if ((v == NULL || atoi(v) != p->level) &&
		    web_val(w, p->k_ticket, 0, "agency_id") == NULL) {
			v = web_val(w, p->k_ticket, 0, "received_epoch");
			due = refdata_due(v != NULL ? (time_t)strtoll(v, NULL,
			    10) : time(NULL), l->deadline_days);
			gmtime_r(&due, &tm);
			strftime(p->due, sizeof(p->due), "%Y-%m-%dT%H:%M:%SZ",
			    &tm);
		}
	}

	/* A level that must be forwarded is answered from the agency's. */
	if (strcmp(p->act->name, "answer") == 0 &&
	    strcmp(p->status, "agency_answered") != 0 &&
	    (v = web_val(w, p->k_ticket, 0, "level")) != NULL &&
	    (l = refdata_level_by_id(atoi(v))) != NULL && l->must_forward) {
		p->http_status = 409;
		(void)snprintf(p->err, sizeof(p->err),
		    "Phiếu %s phải được chuyển cơ quan chuyên môn xử lý; "
		    "Tổng đài chỉ trả lời người dân sau khi cơ quan đã trả lời.",
		    l->name);
		return (-1);
	}

	if (strcmp(p->act->name, "close") == 0 &&
	    web_val(w, p->k_ticket, 0, "answer") == NULL &&
	    ta_read_guidance(w, p) == -1)
		return (-1);

	if (strcmp(p->act->name, "forward") == 0) {
		if (ta_read_int(w, "agency", 1, INT_MAX, &p->agency_id) == -1 ||
		    (a = refdata_agency_by_id(p->agency_id)) == NULL) {
			kore_strlcpy(p->err, "Vui lòng chọn cơ quan hợp lệ.",
			    sizeof(p->err));
			return (-1);
		}
		v = web_arg(w, "days", NULL);
		if (v == NULL || v[0] == '\0') {
			p->days = ta_default_days(w, p);
		} else if (ta_read_int(w, "days", 1, TICKET_MAX_DEADLINE_DAYS,
		    &p->days) == -1) {
			(void)snprintf(p->err, sizeof(p->err),
			    "Thời hạn xử lý phải từ 1 đến %d ngày làm việc.",
			    TICKET_MAX_DEADLINE_DAYS);
			return (-1);
		}
		due = refdata_due(time(NULL), p->days);
		gmtime_r(&due, &tm);
		strftime(p->due, sizeof(p->due), "%Y-%m-%dT%H:%M:%SZ", &tm);
		(void)snprintf(p->agency_id_s, sizeof(p->agency_id_s), "%d",
		    p->agency_id);
		(void)snprintf(p->days_s, sizeof(p->days_s), "%d", p->days);
	}

	if (strcmp(p->act->name, "reopen") == 0) {
		p->days = ta_default_days(w, p);
		due = refdata_due(time(NULL), p->days);
		gmtime_r(&due, &tm);
		strftime(p->due, sizeof(p->due), "%Y-%m-%dT%H:%M:%SZ", &tm);
	}

	/* Publishing twice is a conflict of state, not bad input. */
	if (strcmp(p->act->name, "publish") == 0 ||
	    strcmp(p->act->name, "unpublish") == 0)
		p->http_status = 409;
	if (strcmp(p->act->name, "publish") == 0 &&
	    web_val(w, p->k_ticket, 0, "answer") == NULL) {
		kore_strlcpy(p->err, "Phiếu chưa có câu trả lời để công khai.",
		    sizeof(p->err));
		return (-1);
	}
	if (strcmp(p->act->name, "publish") == 0 &&
	    web_bool(w, p->k_ticket, 0, "published")) {
		kore_strlcpy(p->err, "Câu trả lời đã được công khai.",
		    sizeof(p->err));
		return (-1);
	}
	if (strcmp(p->act->name, "unpublish") == 0 &&
	    !web_bool(w, p->k_ticket, 0, "published")) {
		kore_strlcpy(p->err, "Câu trả lời chưa được công khai.",
		    sizeof(p->err));
		return (-1);
	}
	p->http_status = 200;
	return (0);
}

/* The action's text field: valid UTF-8, no control characters, bounded. */
static int
ta_read_text(struct web *w, struct ta_page *p)
{
	const char	*v, *name;
	char		*start;
	size_t		 len;
	int		 max, rc;

	if (p->act->text == TEXT_NONE)
		return (0);
	name = p->act->text == TEXT_ANSWER ? "answer" : "note";
	max = p->act->text == TEXT_ANSWER ? ANSWER_MAX_CHARS : NOTE_MAX_CHARS;

	v = web_arg(w, name, &len);
	if (v == NULL || len == 0 || valid_text(v, len, max, 1) == VALID_EEMPTY) {
		if (!p->act->required)
			return (0);
		(void)snprintf(p->err, sizeof(p->err), "Vui lòng nhập %s.",
		    p->act->label);
		return (-1);
	}
	/* A NUL inside the value: not text. */
	if (strlen(v) != len) {
		(void)snprintf(p->err, sizeof(p->err), "%s: %s", p->act->label,
		    valid_error_vi(VALID_EUTF8));
		return (-1);
	}
	if ((rc = valid_text(v, len, max, 1)) != VALID_OK) {
		if (rc == VALID_ETOOLONG) {
			(void)snprintf(p->err, sizeof(p->err),
			    "%s quá dài (tối đa %d ký tự).", p->act->label, max);
		} else {
			(void)snprintf(p->err, sizeof(p->err), "%s: %s",
			    p->act->label, valid_error_vi(rc));
		}
		return (-1);
	}
	p->text = kore_strdup(v);
	start = valid_trim(p->text);
	if (start != p->text)
		memmove(p->text, start, strlen(start) + 1);
	return (0);
}

/*
 * Closing a ticket with no answer: why (a reason of the list) and what the
 * citizen should do instead (seed 001: the right number or procedure), at
 * least WORKFLOW_GUIDANCE_MIN_CHARS characters.
 */
static int
ta_read_guidance(struct web *w, struct ta_page *p)
{
	const char	*v;
	char		*start;
	size_t		 len;
	int		 rc;

	v = web_arg(w, "reason", &len);
	if (v == NULL || len == 0 || len >= sizeof(p->reason) ||
	    strlen(v) != len || workflow_close_reason_vi(v) == NULL) {
		kore_strlcpy(p->err, "Phiếu chưa có câu trả lời: vui lòng chọn "
		    "lý do kết thúc.", sizeof(p->err));
		return (-1);
	}
	memcpy(p->reason, v, len + 1);

	v = web_arg(w, "guidance", &len);
	if (v == NULL || strlen(v) != len ||
	    (rc = valid_text(v, len, NOTE_MAX_CHARS, 1)) == VALID_EEMPTY ||
	    (rc == VALID_OK && valid_utf8_chars(v, len) <
	    WORKFLOW_GUIDANCE_MIN_CHARS)) {
		(void)snprintf(p->err, sizeof(p->err), "Phiếu chưa có câu trả "
		    "lời: vui lòng nhập hướng dẫn cho người dân (ít nhất %d ký "
		    "tự), ví dụ số điện thoại hoặc thủ tục cần liên hệ.",
		    WORKFLOW_GUIDANCE_MIN_CHARS);
		return (-1);
	}
	if (rc != VALID_OK) {
		(void)snprintf(p->err, sizeof(p->err), "Hướng dẫn: %s",
		    valid_error_vi(rc));
		return (-1);
	}
	p->guidance = kore_strdup(v);
	start = valid_trim(p->guidance);
	if (start != p->guidance)
		memmove(p->guidance, start, strlen(start) + 1);
	return (0);
}

/* A deadline in working days: the ticket's level's, else its field's. */
static int
ta_default_days(struct web *w, struct ta_page *p)
{
	const struct ref_level	*l;
	const char		*v;

	v = web_val(w, p->k_ticket, 0, "level");
	if (v != NULL && (l = refdata_level_by_id(atoi(v))) != NULL)
		return (l->deadline_days);
	v = web_val(w, p->k_ticket, 0, "deadline_days");
	return (v != NULL ? atoi(v) : TICKET_DEFAULT_DEADLINE_DAYS);
}

/* A decimal in [min, max], nothing else (no sign, no blanks). */
static int
ta_read_int(struct web *w, const char *name, int min, int max, int *out)
{
	const char	*v;
	size_t		 len, i;
	long		 n;

	v = web_arg(w, name, &len);
	if (v == NULL || len == 0 || len > 9 || strlen(v) != len)
		return (-1);
	for (i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return (-1);
	}
	n = strtol(v, NULL, 10);
	if (n < min || n > max)
		return (-1);
	*out = (int)n;
	return (0);
}

static int
ta_apply(struct http_request *req, struct web *w, struct ta_page *p)
{
	const struct ref_field	*f;
	const struct ref_agency	*a;
	const char		*q[12];
	int			 n;

	q[0] = p->id;
	q[1] = p->status;
	q[2] = p->next;
	q[3] = p->actor;
	q[4] = w->user.full_name;
	q[5] = p->text;
	n = 6;
	if (strcmp(p->act->name, "classify") == 0) {
		f = refdata_field_by_id(p->field_id);
		q[5] = p->field_id_s;
		q[6] = p->level_s;
		q[7] = f->name;
		q[8] = p->kind;
		q[9] = p->due;
		q[10] = refdata_level_by_id(p->level)->name;
		q[11] = workflow_kind_vi(p->kind);
		n = 12;
	} else if (strcmp(p->act->name, "forward") == 0) {
		a = refdata_agency_by_id(p->agency_id);
		q[6] = p->agency_id_s;
		q[7] = p->due;
		q[8] = a->name;
		q[9] = p->days_s;
		n = 10;
	} else if (strcmp(p->act->name, "reopen") == 0) {
		q[6] = p->due;
		n = 7;
	} else if (strcmp(p->act->name, "close") == 0) {
		q[6] = p->reason;
		q[7] = p->guidance != NULL ? p->guidance : "";
		n = 8;
	} else if (p->act->agency) {
		q[6] = p->agency;
		n = 7;
	} else if (p->act->text == TEXT_NONE) {
		n = 5;
	}
	return (web_queryv(req, w, p->act->sql, n, q));
}

static int
ta_applied(struct http_request *req, struct web *w, struct ta_page *p)
{
	char	url[128];

	/* A returned ticket is gone from the agency's pages. */
	if (p->scope->agency && strcmp(p->act->name, "return") == 0) {
		(void)snprintf(url, sizeof(url), "%s?da-tra-lai=1",
		    p->scope->home);
		return (web_redirect(req, url));
	}
	(void)snprintf(url, sizeof(url), "%s%s#lich-su", p->scope->prefix,
	    p->id);
	return (web_redirect(req, url));
}

/* ---- The page. --------------------------------------------------------- */

static int
ta_render(struct http_request *req, struct web *w, struct ta_page *p)
{
	struct tval	*t;
	const char	*agency_answer, *title;

	t = tval_set_obj(w->view, "t");
	ta_view_ticket(w, p, t);
	agency_answer = NULL;
	ta_view_events(w, p, t, &agency_answer);
	ta_view_forms(w, p, agency_answer);
	if (p->err[0] != '\0')
		tval_set(w->view, "error", p->err);
	title = web_val(w, p->k_ticket, 0, "code");
	return (web_render(req, w, p->http_status, p->scope->tmpl, title));
}

static void
ta_view_ticket(struct web *w, struct ta_page *p, struct tval *t)
{
	const struct ref_level	*l;
	struct tval	*list, *o;
	const char	*v, *status;
	size_t		 i;
	int		 role;

	web_view_row(w, t, p->k_ticket, 0);
	status = web_val(w, p->k_ticket, 0, "status");
	tval_set(t, "status_text", workflow_status_vi(status));
	v = web_val(w, p->k_ticket, 0, "level");
	l = v != NULL ? refdata_level_by_id(atoi(v)) : NULL;
	tval_set(t, "level_text", l != NULL ? l->name : workflow_level_vi(0));
	if (l != NULL && l->must_forward)
		tval_set_bool(t, "must_forward", 1);
	v = web_val(w, p->k_ticket, 0, "kind");
	tval_set(t, "kind_text", v != NULL && workflow_kind_vi(v) != NULL ?
	    workflow_kind_vi(v) : "");
	v = web_val(w, p->k_ticket, 0, "close_reason");
	if (v != NULL && workflow_close_reason_vi(v) != NULL)
		tval_set(t, "close_reason_text", workflow_close_reason_vi(v));
	tval_set(t, "channel_text", workflow_channel_vi(web_val(w, p->k_ticket, 0,
	    "channel")));
	v = web_val(w, p->k_ticket, 0, "name");
	if (v == NULL || v[0] == '\0')
		tval_set(t, "name", "(không rõ tên)");

	/* Which forms to show: exactly what the workflow allows now. */
	role = w->user.role;
	for (i = 0; i < NELEM(actions); i++) {
		char key[40];

		if (actions[i].agency != p->scope->agency)
			continue;
		(void)snprintf(key, sizeof(key), "can_%s", actions[i].name);
		tval_set_bool(t, key, strcmp(actions[i].name, "note") == 0 ||
		    workflow_next(status, actions[i].name, role) != NULL);
	}
	if (web_bool(w, p->k_ticket, 0, "published"))
		tval_set_bool(t, "can_publish", 0);
	else
		tval_set_bool(t, "can_unpublish", 0);
	if (web_val(w, p->k_ticket, 0, "answer") == NULL)
		tval_set_bool(t, "can_publish", 0);

	list = tval_set_list(t, "files");
	for (i = 0; i < (size_t)web_rows(w, p->k_files); i++) {
		o = tval_list_add(list);
		web_view_row(w, o, p->k_files, i);
		v = web_val(w, p->k_files, i, "size");
		tval_setf(o, "size_kb", "%d", (atoi(v) + 1023) / 1024);
	}

	list = tval_set_list(t, "calls");
	for (i = 0; p->k_calls >= 0 && i < (size_t)web_rows(w, p->k_calls); i++) {
		o = tval_list_add(list);
		web_view_row(w, o, p->k_calls, i);
		v = web_val(w, p->k_calls, i, "disposition");
		tval_set(o, "disposition_vi", strcmp(v, "answered") == 0 ?
		    "Đã trả lời" : strcmp(v, "abandoned") == 0 ? "Cuộc gọi nhỡ" :
		    strcmp(v, "voicemail") == 0 ? "Lời nhắn thoại" : "Đã chuyển tiếp");
	}
	if (p->k_messages >= 0)
		inbox_ticket_messages_view(w, p->k_messages, t);
}

static void
ta_view_events(struct web *w, struct ta_page *p, struct tval *t,
    const char **agency_answer)
{
	struct tval	*list, *o;
	const char	*kind;
	int		 i, n;

	list = tval_set_list(t, "events");
	n = web_rows(w, p->k_events);
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, p->k_events, i);
		kind = web_val(w, p->k_events, i, "kind");
		tval_set(o, "kind_text", workflow_action_vi(kind));
		if (strcmp(kind, "agency_answer") == 0)
			*agency_answer = web_val(w, p->k_events, i, "note");
	}
}

/* The forms, with what was typed when a POST failed. */
static void
ta_view_forms(struct web *w, struct ta_page *p, const char *agency_answer)
{
	const struct ref_field	*f;
	const char		*v;
	char			 key[40];
	int			 field, agency, level, days;

	/* The operator reviews the agency's answer before sending it. */
	if (agency_answer != NULL && !p->scope->agency)
		tval_set(w->view, "in_answer", agency_answer);
	if (p->act != NULL && p->act->text != TEXT_NONE) {
		v = web_arg(w, p->act->text == TEXT_ANSWER ? "answer" : "note",
		    NULL);
		(void)snprintf(key, sizeof(key), "in_%s", p->act->name);
		if (v != NULL && valid_utf8(v, strlen(v)))
			tval_set(w->view, key, v);
	}
	if (p->act != NULL && p->err[0] != '\0') {
		/* Keeps the failed form's confirm section open. */
		(void)snprintf(key, sizeof(key), "failed_%s", p->act->name);
		tval_set_bool(w->view, key, 1);
	}
	if (p->scope->agency)
		return;

	v = web_val(w, p->k_ticket, 0, "field_id");
	field = p->field_id ? p->field_id : (v != NULL ? atoi(v) : 0);
	refdata_view_fields(w->view, field);

	v = web_val(w, p->k_ticket, 0, "level");
	level = p->level ? p->level : (v != NULL ? atoi(v) : 0);
	refdata_view_levels(w->view, level);
	ta_view_kinds(w->view, p->kind[0] != '\0' ? p->kind :
	    web_val(w, p->k_ticket, 0, "kind"));

	/* Closing: the answer, or else a reason and a guidance. */
	if (web_val(w, p->k_ticket, 0, "answer") == NULL)
		tval_set_bool(w->view, "close_needs_guidance", 1);
	ta_view_choices(w->view, "close_reasons", workflow_close_reason_at,
	    p->reason);
	v = web_arg(w, "guidance", NULL);
	if (p->act != NULL && v != NULL && valid_utf8(v, strlen(v)))
		tval_set(w->view, "in_guidance", v);

	/* Forward: the field's agency and deadline unless typed otherwise. */
	v = web_val(w, p->k_ticket, 0, "agency_id");
	agency = p->agency_id ? p->agency_id : (v != NULL ? atoi(v) : 0);
	if (agency == 0) {
		v = web_val(w, p->k_ticket, 0, "default_agency_id");
		agency = v != NULL ? atoi(v) : 0;
	}
	refdata_view_agencies(w->view, agency);
	f = field ? refdata_field_by_id(field) : NULL;
	days = p->days ? p->days :
	    (f != NULL ? f->deadline_days : TICKET_DEFAULT_DEADLINE_DAYS);
	tval_setf(w->view, "days", "%d", days);
}

static const struct ta_action *
ta_action_find(const char *url, int agency)
{
	size_t	i;

	for (i = 0; i < NELEM(actions); i++) {
		if (actions[i].agency == agency &&
		    strcmp(actions[i].url, url) == 0)
			return (&actions[i]);
	}
	return (NULL);
}

void
ta_view_channels(struct tval *view, const char *selected)
{
	ta_view_choices(view, "channels", workflow_channel_at, selected);
}

/* The ticket types, for a select ("kinds"); selected may be NULL. */
void
ta_view_kinds(struct tval *view, const char *selected)
{
	ta_view_choices(view, "kinds", workflow_kind_at, selected);
}

/* A select's options, {key, text, selected}, from one of workflow's lists. */
static void
ta_view_choices(struct tval *view, const char *name,
    int (*at)(size_t, const char **, const char **), const char *selected)
{
	struct tval	*list, *o;
	const char	*key, *vi;
	size_t		 i;

	list = tval_set_list(view, name);
	for (i = 0; at(i, &key, &vi); i++) {
		o = tval_list_add(list);
		tval_set(o, "key", key);
		tval_set(o, "text", vi);
		tval_set_bool(o, "selected", selected != NULL &&
		    strcmp(selected, key) == 0);
	}
}

static void
ta_page_free(void *arg)
{
	struct ta_page	*p = arg;

	kore_free(p->text);
	kore_free(p->guidance);
	kore_free(p);
}
