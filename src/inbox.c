/*
 * inbox: the operators' inbox of conversations, every channel in one list
 * (e-mail, chat, Zalo, Facebook: whatever message_receive() filed), and a
 * conversation's page with what an operator does to it.
 *
 *   /dtv/hop-thu               the list: newest activity first, filters
 *   /dtv/hop-thu/{id}          the transcript, marked read when opened
 *   /dtv/hop-thu/{id}/{action} claim, release, close, reopen, reply,
 *                              ticket (a new ticket of it), attach (to an
 *                              existing ticket by its code)
 *
 * A conversation's page is a small state machine, like a ticket's:
 *
 *   LOAD ─▶ LOADED ─(GET, or a refused action)─────────▶ MESSAGES ─▶ RENDER
 *                  └─(POST, valid)─▶ APPLY ─▶ APPLIED ─(done)─▶ redirect
 *                                                     └─(ticket made)─▶ LINK ─▶ redirect
 *
 * Each action is one statement (migrations/0051_inbox.sql), and each tells
 * the other operators' pages (NOTIFY inbox, inbox_live.c).  A reply goes
 * out by message_send() on the conversation's own channel; a ticket is
 * made through the one ticket path (ticket.c).
 */
#include "app.h"
#include "date.h"
#include "refdata.h"
#include "ticket.h"
#include "valid.h"
#include "workflow.h"

#define INBOX_REPLY_MAX_CHARS	5000
#define INBOX_CODE_MAX		32
#define INBOX_MESSAGES_MAX	"500"	/* of one transcript, shown */

/* cv_loaded() and cv_applied(): go on to p->state (else WEB_DONE). */
#define CV_NEXT		0

#define MSG_NOT_FOUND	"Không tìm thấy cuộc trò chuyện."

/* The channels a conversation is on (conversations.channel). */
static const char *const inbox_channels[] = {
	"email", "chat", "zalo", "facebook", NULL
};

struct inbox_filter {
	char	channel[16];
	char	who[8];		/* "", "free", "mine" */
	char	state[8];	/* "open", "closed" */
	char	offset[16];
	char	user[16];
	int	page;
};

enum cv_state {
	CV_LOAD, CV_LOADED, CV_APPLY, CV_APPLIED, CV_REPLIED,
	CV_LINK, CV_LINKED, CV_MESSAGES, CV_RELATED, CV_RENDER
};

#define ACT_CLAIM	0
#define ACT_RELEASE	1
#define ACT_CLOSE	2
#define ACT_REOPEN	3
#define ACT_REPLY	4
#define ACT_TICKET	5
#define ACT_ATTACH	6

struct cv_action {
	const char	*url;
	int		 id;
};

static const struct cv_action	cv_actions[] = {
	{ "claim",	ACT_CLAIM },
	{ "release",	ACT_RELEASE },
	{ "close",	ACT_CLOSE },
	{ "reopen",	ACT_REOPEN },
	{ "reply",	ACT_REPLY },
	{ "ticket",	ACT_TICKET },
	{ "attach",	ACT_ATTACH },
};

struct cv_page {
	enum cv_state		 state;
	const struct cv_action	*act;		/* NULL: the page itself */
	char			 id[24];
	char			 user[16];
	char			 ticket[24];	/* the ticket made or found */
	int			 k_conv, k_apply, k_msgs, k_related;
	int			 http_status;
	char			 err[300];
	char			*body;		/* a reply */
	char			 code[INBOX_CODE_MAX + 1];
	char			 key_prefix[40];
	struct ticket_new	 t;
};

static int	list_read(struct web *, struct inbox_filter *);
static void	list_view(struct web *, struct inbox_filter *);
static int	cv_step(struct http_request *, struct web *, struct cv_page *);
static int	cv_loaded(struct http_request *, struct web *, struct cv_page *);
static int	cv_apply(struct http_request *, struct web *, struct cv_page *);
static int	cv_applied(struct http_request *, struct web *,
		    struct cv_page *);
static int	cv_render(struct http_request *, struct web *, struct cv_page *);
static int	cv_ticket_read(struct web *, struct cv_page *);
static int	cv_ticket_form(struct http_request *, struct web *,
		    struct cv_page *);
static int	cv_redirect(struct http_request *, const char *, const char *);
static void	cv_view_messages(struct web *, struct cv_page *);
static void	cv_view_related(struct web *, struct cv_page *);
static void	msg_view(struct web *, struct tval *, int, int);
static void	msg_view_links(struct web *, struct tval *, int, int);
static const char *cv_name(struct web *, int);
static void	cv_page_free(void *);

/*
 * Who wrote, when they gave no name: the channel's own id (an address, a
 * Zalo or Facebook id), but not a chat visitor's, which is a long hash.
 */
#define INBOX_SQL_ANONYMOUS \
    "CASE WHEN c.channel = 'chat' THEN 'Khách trò chuyện #' || c.id " \
    "ELSE c.thread END"

/*
 * The list.  $1 channel or "", $2 "", "free" (nobody's) or "mine" ($3 the
 * user), $4 "open" or "closed", $5 the offset.  The excerpt is of the
 * last message a person or an operator wrote.
 */
static const char	SQL_LIST[] =
    "SELECT c.id, c.channel, c.thread, c.subject, c.unread, c.state, "
    "coalesce(nullif(c.name, ''), nullif(ct.name, ''), " INBOX_SQL_ANONYMOUS
    ") AS who, "
    "to_char(c.last_message_at, 'DD/MM/YYYY HH24:MI') AS last_at, "
    "floor(extract(epoch FROM now() - c.waiting_since))::bigint AS waiting, "
    "u.full_name AS claimed_name, c.claimed_by = $3::integer AS mine, "
    "t.code AS ticket_code, "
    "(SELECT left(m.body, 140) FROM messages m WHERE m.conversation_id = c.id "
    "  AND m.kind = 'message' ORDER BY m.id DESC LIMIT 1) AS excerpt, "
    "count(*) OVER () AS total "
    "FROM conversations c LEFT JOIN users u ON u.id = c.claimed_by "
    "LEFT JOIN contacts ct ON ct.id = c.contact_id "
    "LEFT JOIN tickets t ON t.id = c.ticket_id "
    "WHERE ($1 = '' OR c.channel = $1) "
    "AND ($2 = '' OR ($2 = 'free' AND c.claimed_by IS NULL) "
    "    OR ($2 = 'mine' AND c.claimed_by = $3::integer)) "
    "AND c.state = $4 "
    "ORDER BY c.last_message_at DESC, c.id DESC "
    "LIMIT 50 OFFSET $5::integer";

/*
 * A conversation, and (when $2) marked read, which the other operators'
 * lists hear of.  Marking twice changes nothing more: repeatable.
 */
static const char	SQL_CONV[] = SQL_REPEATABLE
    "WITH r AS (UPDATE conversations SET unread = 0 WHERE id = $1::bigint "
    "  AND $2::boolean AND unread > 0 RETURNING id), "
    "n AS (SELECT pg_notify('inbox', json_build_object('conversation', id, "
    "  'event', 'read')::text) FROM r) "
    "SELECT c.id, c.channel, c.thread, c.name, c.subject, c.state, "
    "c.claimed_by, u.full_name AS claimed_name, c.ticket_id, c.contact_id, "
    "t.code AS ticket_code, ct.name AS contact_name, ct.phone, ct.email, "
    "coalesce(nullif(c.name, ''), nullif(ct.name, ''), " INBOX_SQL_ANONYMOUS
    ") AS who, "
    "to_char(c.created_at, 'DD/MM/YYYY HH24:MI') AS created, "
    "floor(extract(epoch FROM now() - c.waiting_since))::bigint AS waiting, "
    "conversation_transcript(c.id) AS transcript, "
    "(SELECT count(*) FROM n) AS marked "
    "FROM conversations c LEFT JOIN users u ON u.id = c.claimed_by "
    "LEFT JOIN contacts ct ON ct.id = c.contact_id "
    "LEFT JOIN tickets t ON t.id = c.ticket_id "
    "WHERE c.id = $1::bigint";

/* Every message of a conversation, oldest first, with its files. */
static const char	SQL_MESSAGES[] =
    "SELECT m.id, m.direction, m.kind, m.state, m.sender, m.subject, "
    "m.body, m.last_error, coalesce(u.full_name, '') AS author, "
    "to_char(m.created_at, 'DD/MM/YYYY HH24:MI') AS at, "
    "(SELECT json_agg(json_build_object('id', a.id, 'name', a.original_name, "
    "  'size', a.size) ORDER BY a.id) FROM message_attachments a "
    "  WHERE a.message_id = m.id) AS files, "
    /* Zalo's and Facebook's files stay with the provider: links to them. */
    "(SELECT json_agg(json_build_object('url', x->>'url', 'type', x->>'type', "
    "  'name', coalesce(x->>'name', ''))) "
    "  FROM jsonb_array_elements(CASE WHEN jsonb_typeof("
    "    m.payload->'attachments') = 'array' THEN m.payload->'attachments' "
    "    ELSE '[]' END) x WHERE x->>'url' ~ '^https?://') AS links, "
    "m.payload->'location'->>'lat' AS lat, "
    "m.payload->'location'->>'long' AS lng "
    "FROM messages m LEFT JOIN users u ON u.id = m.author_id "
    "WHERE m.conversation_id = $1::bigint ORDER BY m.id "
    "LIMIT " INBOX_MESSAGES_MAX;

/*
 * The same person elsewhere (contacts link them by phone or e-mail, or
 * the channel's own id): their other conversations and their tickets.
 * $1 conversation, $2 its contact.
 */
static const char	SQL_RELATED[] =
    "SELECT * FROM ("
    "SELECT 'conversation' AS kind, o.id, o.channel, o.state AS status, "
    "  NULL AS code, o.last_message_at AS at_ts "
    "  FROM conversations o WHERE o.contact_id = $2::bigint "
    "  AND o.id <> $1::bigint "
    "UNION ALL "
    "SELECT 'ticket', t.id, t.channel, t.status, t.code, t.created_at "
    "  FROM contacts ct JOIN tickets t ON t.contact_id = ct.id "
    "  OR (ct.phone IS NOT NULL AND t.phone = ct.phone) "
    "  OR (ct.email IS NOT NULL AND lower(t.email) = lower(ct.email)) "
    "  WHERE ct.id = $2::bigint) r "
    "ORDER BY at_ts DESC LIMIT 20";

/* $1 conversation, $2 user; $3 whether a supervisor may release it. */
static const char	SQL_CLAIM[] =
    "SELECT claimed, holder FROM conversation_claim($1::bigint, $2::integer)";
static const char	SQL_RELEASE[] =
    "SELECT conversation_release($1::bigint, $2::integer, $3::boolean) AS ok";
static const char	SQL_STATE[] =
    "SELECT conversation_set_state($1::bigint, $2) AS ok";

/*
 * A reply, on the conversation's own channel to its own thread; an e-mail
 * answers under the subject it came with.  $1 conversation, $2 text, $3
 * author.  A closed conversation is not answered: 0 rows.  Committed
 * asynchronously (it NOTIFYs), then made durable by SQL_DURABLE before the
 * operator is told it is sent: chat.c says why.
 */
static const char	SQL_REPLY[] =
    "SELECT message_send(c.channel, c.thread, 'message', "
    "CASE WHEN c.channel = 'email' THEN CASE WHEN c.subject ~* '^re:' "
    "  THEN c.subject ELSE 'Re: ' || coalesce(c.subject, '') END END, "
    "$2, c.id, c.ticket_id, $3::integer) AS id, " SQL_ASYNC_COMMIT " "
    "FROM conversations c WHERE c.id = $1::bigint AND c.state = 'open'";

/*
 * The conversation joins a ticket: $1 conversation, $2 ticket id (LINK)
 * or code (ATTACH), $3 actor, $4 the actor's name.  NULL: it belongs to
 * another ticket already; no row: no such ticket.
 */
static const char	SQL_LINK[] = SQL_REPEATABLE
    "SELECT conversation_link_ticket($1::bigint, $2::bigint, $3::integer, $4) "
    "AS ticket_id";
static const char	SQL_ATTACH[] = SQL_REPEATABLE
    "SELECT conversation_link_ticket($1::bigint, t.id, $3::integer, $4) "
    "AS ticket_id FROM tickets t WHERE t.code = upper($2)";

/* ---- The list. -------------------------------------------------------- */

enum { LIST_QUERY, LIST_SHOW };

int
inbox_list_step(struct http_request *req, struct web *w)
{
	struct inbox_filter	*f = w->data;

	if (w->step == LIST_QUERY) {
		f = kore_calloc(1, sizeof(*f));
		w->data = f;
		w->data_free = kore_free;
		(void)snprintf(f->user, sizeof(f->user), "%d", w->user.id);
		if (list_read(w, f) == -1) {
			tval_set(w->view, "error",
			    "Bộ lọc không hợp lệ, đã bỏ qua.");
			list_view(w, f);
			return (web_render(req, w, 400, "inbox_list", "Hộp thư"));
		}
		return (web_query(req, w, SQL_LIST, 5, f->channel, f->who,
		    f->user, f->state, f->offset));
	}
	list_view(w, f);
	return (web_render(req, w, 200, "inbox_list", "Hộp thư"));
}

/* The filters from the query string: 0, or -1 (and none) if one is odd. */
static int
list_read(struct web *w, struct inbox_filter *f)
{
	const char	*v;
	size_t		 len;
	int		 i;

	f->page = 1;
	kore_strlcpy(f->state, "open", sizeof(f->state));
	kore_strlcpy(f->offset, "0", sizeof(f->offset));

	if ((v = web_arg(w, "channel", &len)) != NULL && len > 0) {
		for (i = 0; inbox_channels[i] != NULL; i++)
			if (strcmp(v, inbox_channels[i]) == 0)
				break;
		if (inbox_channels[i] == NULL)
			return (-1);
		kore_strlcpy(f->channel, v, sizeof(f->channel));
	}
	if ((v = web_arg(w, "who", &len)) != NULL && len > 0) {
		if (strcmp(v, "free") != 0 && strcmp(v, "mine") != 0) {
			f->channel[0] = '\0';
			return (-1);
		}
		kore_strlcpy(f->who, v, sizeof(f->who));
	}
	if ((v = web_arg(w, "state", &len)) != NULL && len > 0) {
		if (strcmp(v, "open") != 0 && strcmp(v, "closed") != 0) {
			f->channel[0] = f->who[0] = '\0';
			return (-1);
		}
		kore_strlcpy(f->state, v, sizeof(f->state));
	}
	if ((v = web_arg(w, "page", &len)) != NULL && len > 0) {
		if (len > 5 || strspn(v, "0123456789") != len ||
		    (f->page = atoi(v)) < 1 || f->page > WEB_PAGE_MAX) {
			f->page = 1;
			f->channel[0] = f->who[0] = '\0';
			kore_strlcpy(f->state, "open", sizeof(f->state));
			return (-1);
		}
	}
	(void)snprintf(f->offset, sizeof(f->offset), "%d",
	    (f->page - 1) * WEB_PAGE_SIZE);
	return (0);
}

static void
list_view(struct web *w, struct inbox_filter *f)
{
	struct tval	*list, *o;
	struct sbuf	 link;
	const char	*v;
	char		 span[32];
	int		 i, n, total;

	list = tval_set_list(w->view, "channels");
	for (i = 0; inbox_channels[i] != NULL; i++) {
		o = tval_list_add(list);
		tval_set(o, "key", inbox_channels[i]);
		tval_set(o, "text", workflow_channel_vi(inbox_channels[i]));
		tval_set_bool(o, "selected",
		    strcmp(f->channel, inbox_channels[i]) == 0);
	}
	tval_set_bool(w->view, "who_free", strcmp(f->who, "free") == 0);
	tval_set_bool(w->view, "who_mine", strcmp(f->who, "mine") == 0);
	tval_set_bool(w->view, "closed", strcmp(f->state, "closed") == 0);

	n = web_rows(w, LIST_QUERY);
	list = tval_set_list(w->view, "conversations");
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, LIST_QUERY, i);
		tval_set(o, "channel_text",
		    workflow_channel_vi(web_val(w, LIST_QUERY, i, "channel")));
		tval_set_bool(o, "has_unread",
		    atoi(web_val(w, LIST_QUERY, i, "unread")) > 0);
		tval_set_bool(o, "mine", web_bool(w, LIST_QUERY, i, "mine"));
		v = web_val(w, LIST_QUERY, i, "waiting");
		if (v != NULL && v[0] != '\0') {
			date_span_vi(strtoll(v, NULL, 10), span, sizeof(span));
			tval_set(o, "waiting_text", span);
		}
	}
	total = n > 0 ? atoi(web_val(w, LIST_QUERY, 0, "total")) : 0;
	tval_set_bool(w->view, "empty", n == 0);
	sbuf_init(&link);
	if (f->channel[0])
		sbuf_appendf(&link, "channel=%s&", f->channel);
	if (f->who[0])
		sbuf_appendf(&link, "who=%s&", f->who);
	if (strcmp(f->state, "open") != 0)
		sbuf_appendf(&link, "state=%s&", f->state);
	web_pager(w, "/dtv/hop-thu", link.data != NULL ? link.data : "",
	    f->page, web_pager_count(w, f->page, total));
	sbuf_free(&link);
}

/* ---- A conversation. -------------------------------------------------- */

int
inbox_conversation_step(struct http_request *req, struct web *w)
{
	struct cv_page	*p = w->data;
	char		 act[24];
	size_t		 i;

	if (p == NULL) {
		p = kore_calloc(1, sizeof(*p));
		w->data = p;
		w->data_free = cv_page_free;
		p->state = CV_LOAD;
		p->k_related = -1;
		p->http_status = 200;
		(void)snprintf(p->user, sizeof(p->user), "%d", w->user.id);
		if (web_path_id(req, w, 1, p->id, sizeof(p->id)) == -1)
			return (web_error(req, w, 404, MSG_NOT_FOUND));
		if (web_path_arg(req, w, 3, act, sizeof(act)) == 0 &&
		    act[0] != '\0') {
			for (i = 0; i < sizeof(cv_actions) /
			    sizeof(cv_actions[0]); i++)
				if (strcmp(cv_actions[i].url, act) == 0)
					p->act = &cv_actions[i];
			if (p->act == NULL)
				return (web_error(req, w, 404, MSG_NOT_FOUND));
			/* Only the ticket form is a page of its own. */
			if (!web_is_post(req) && p->act->id != ACT_TICKET)
				return (web_error(req, w, 405,
				    "Phương thức không được hỗ trợ."));
		} else if (web_is_post(req)) {
			return (web_error(req, w, 405,
			    "Phương thức không được hỗ trợ."));
		}
	}
	return (cv_step(req, w, p));
}

static int
cv_step(struct http_request *req, struct web *w, struct cv_page *p)
{
	const char	*v;

	for (;;) {
		switch (p->state) {
		case CV_LOAD:
			p->k_conv = w->step;
			p->state = CV_LOADED;
			/* Read when an operator opens it, not by an action. */
			return (web_query(req, w, SQL_CONV, 2, p->id,
			    p->act == NULL ? "true" : "false"));
		case CV_LOADED:
			if (web_rows(w, p->k_conv) != 1)
				return (web_error(req, w, 404, MSG_NOT_FOUND));
			if (cv_loaded(req, w, p) == WEB_DONE)
				return (WEB_DONE);
			continue;
		case CV_APPLY:
			p->k_apply = w->step;
			p->state = CV_APPLIED;
			return (cv_apply(req, w, p));
		case CV_APPLIED:
			if (p->act->id == ACT_REPLY &&
			    web_rows(w, p->k_apply) == 1) {
				p->state = CV_REPLIED;
				return (web_query(req, w, SQL_DURABLE, 0));
			}
			/* FALLTHROUGH */
		case CV_REPLIED:
			if (cv_applied(req, w, p) == WEB_DONE)
				return (WEB_DONE);
			continue;
		case CV_LINK:
			p->state = CV_LINKED;
			if (web_rows(w, p->k_apply) != 1)
				return (web_error(req, w, 500,
				    "Chưa lưu được phiếu, vui lòng thử lại."));
			kore_strlcpy(p->ticket, web_val(w, p->k_apply, 0, "id"),
			    sizeof(p->ticket));
			p->k_apply = w->step;
			return (web_query(req, w, SQL_LINK, 4, p->id, p->ticket,
			    p->user, w->user.full_name));
		case CV_LINKED:
			/* Made (or found, made twice) and linked: show it. */
			v = web_val(w, p->k_apply, 0, "ticket_id");
			if (v != NULL)
				return (cv_redirect(req, "/dtv/phieu/", v));
			/* Another operator linked it elsewhere meanwhile. */
			kore_log(LOG_NOTICE, "inbox: conversation %s: ticket %s "
			    "made, but the conversation went to another one",
			    p->id, p->ticket);
			(void)snprintf(p->err, sizeof(p->err),
			    "Cuộc trò chuyện đã thuộc một phiếu khác; phiếu vừa "
			    "tạo (số %s) không được gắn vào.", p->ticket);
			p->http_status = 409;
			p->state = CV_MESSAGES;
			continue;
		case CV_MESSAGES:
			p->k_msgs = w->step;
			p->state = CV_RELATED;
			return (web_query(req, w, SQL_MESSAGES, 1, p->id));
		case CV_RELATED:
			p->state = CV_RENDER;
			v = web_val(w, p->k_conv, 0, "contact_id");
			if (v == NULL)
				continue;	/* a chat visitor nobody knows */
			p->k_related = w->step;
			return (web_query(req, w, SQL_RELATED, 2, p->id, v));
		case CV_RENDER:
			return (cv_render(req, w, p));
		}
	}
}

/* The conversation is here: check the action's form, or show the page. */
static int
cv_loaded(struct http_request *req, struct web *w, struct cv_page *p)
{
	const char	*ticket, *v;
	size_t		 len;
	int		 rc;

	if (p->act == NULL) {
		p->state = CV_MESSAGES;
		return (CV_NEXT);
	}
	ticket = web_val(w, p->k_conv, 0, "ticket_id");
	switch (p->act->id) {
	case ACT_TICKET:
		/* Made already (a second click): that one is the ticket. */
		if (ticket != NULL && ticket[0] != '\0')
			return (cv_redirect(req, "/dtv/phieu/", ticket));
		if (!web_is_post(req))
			return (cv_ticket_form(req, w, p));
		if (cv_ticket_read(w, p) == -1)
			return (cv_ticket_form(req, w, p));
		break;
	case ACT_ATTACH:
		v = web_arg(w, "code", &len);
		if (v == NULL || len == 0 || len > INBOX_CODE_MAX ||
		    strlen(v) != len || strspn(v, "0123456789ABCDEFGHIJKLMN"
		    "OPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-") != len) {
			(void)snprintf(p->err, sizeof(p->err),
			    "Vui lòng nhập đúng mã phiếu (ví dụ 2612-ABCD1234).");
			p->http_status = 400;
			p->state = CV_MESSAGES;
			return (CV_NEXT);
		}
		memcpy(p->code, v, len + 1);
		break;
	case ACT_CLOSE:
		v = web_arg(w, "confirm", &len);
		if (v == NULL || strcmp(v, "1") != 0) {
			(void)snprintf(p->err, sizeof(p->err),
			    "Vui lòng xác nhận trước khi đóng cuộc trò chuyện.");
			p->http_status = 400;
			p->state = CV_MESSAGES;
			return (CV_NEXT);
		}
		break;
	case ACT_REPLY:
		p->body = kore_calloc(1, INBOX_REPLY_MAX_CHARS * 4 + 1);
		rc = web_text(w, "body", INBOX_REPLY_MAX_CHARS, 1, 1, p->body,
		    INBOX_REPLY_MAX_CHARS * 4 + 1, "nội dung trả lời", p->err,
		    sizeof(p->err));
		if (rc == -1) {
			p->http_status = 400;
			p->state = CV_MESSAGES;
			return (CV_NEXT);
		}
		break;
	}
	p->state = CV_APPLY;
	return (CV_NEXT);
}

static int
cv_apply(struct http_request *req, struct web *w, struct cv_page *p)
{
	switch (p->act->id) {
	case ACT_CLAIM:
		return (web_query(req, w, SQL_CLAIM, 2, p->id, p->user));
	case ACT_RELEASE:
		return (web_query(req, w, SQL_RELEASE, 3, p->id, p->user,
		    (w->user.role & (ROLE_SUPERVISOR | ROLE_ADMIN)) ?
		    "true" : "false"));
	case ACT_CLOSE:
		return (web_query(req, w, SQL_STATE, 2, p->id, "closed"));
	case ACT_REOPEN:
		return (web_query(req, w, SQL_STATE, 2, p->id, "open"));
	case ACT_REPLY:
		return (web_query(req, w, SQL_REPLY, 3, p->id, p->body, p->user));
	case ACT_TICKET:
		return (ticket_store(req, w, &p->t));
	default:	/* ACT_ATTACH */
		return (web_query(req, w, SQL_ATTACH, 4, p->id, p->code,
		    p->user, w->user.full_name));
	}
}

/* What the action's statement said: back to the page, or why not. */
static int
cv_applied(struct http_request *req, struct web *w, struct cv_page *p)
{
	const char	*v;
	int		 k = p->k_apply;

	switch (p->act->id) {
	case ACT_CLAIM:
		if (web_rows(w, k) == 1 && web_bool(w, k, 0, "claimed"))
			return (cv_redirect(req, "/dtv/hop-thu/", p->id));
		v = web_rows(w, k) == 1 ? web_val(w, k, 0, "holder") : NULL;
		(void)snprintf(p->err, sizeof(p->err), "Đã được %s nhận.",
		    v != NULL && v[0] != '\0' ? v : "người khác");
		p->http_status = 409;
		break;
	case ACT_RELEASE:
	case ACT_CLOSE:
	case ACT_REOPEN:
		if (web_rows(w, k) == 1 && web_bool(w, k, 0, "ok"))
			return (cv_redirect(req, "/dtv/hop-thu/", p->id));
		(void)snprintf(p->err, sizeof(p->err), "%s",
		    p->act->id == ACT_RELEASE ?
		    "Chỉ người đã nhận mới trả lại được cuộc trò chuyện này." :
		    p->act->id == ACT_REOPEN ? "Không mở lại được: người dân "
		    "đang có một cuộc trò chuyện khác trên kênh này." :
		    "Cuộc trò chuyện đã được đóng.");
		p->http_status = 409;
		break;
	case ACT_REPLY:
		/* Sent from the ticket's page: back there. */
		v = web_val(w, p->k_conv, 0, "ticket_id");
		if (web_rows(w, k) == 1 && v != NULL &&
		    web_arg(w, "from_ticket", NULL) != NULL)
			return (cv_redirect(req, "/dtv/phieu/", v));
		if (web_rows(w, k) == 1)
			return (cv_redirect(req, "/dtv/hop-thu/", p->id));
		(void)snprintf(p->err, sizeof(p->err), "Cuộc trò chuyện đã "
		    "đóng; hãy mở lại trước khi trả lời.");
		p->http_status = 409;
		break;
	case ACT_TICKET:
		p->state = CV_LINK;
		return (CV_NEXT);
	default:	/* ACT_ATTACH */
		v = web_rows(w, k) == 1 ? web_val(w, k, 0, "ticket_id") : NULL;
		if (v != NULL && v[0] != '\0')
			return (cv_redirect(req, "/dtv/phieu/", v));
		(void)snprintf(p->err, sizeof(p->err), "%s", web_rows(w, k) == 0 ?
		    "Không tìm thấy phiếu có mã này." :
		    "Cuộc trò chuyện đã thuộc một phiếu khác.");
		p->http_status = web_rows(w, k) == 0 ? 404 : 409;
		break;
	}
	p->state = CV_MESSAGES;
	return (CV_NEXT);
}

static int
cv_render(struct http_request *req, struct web *w, struct cv_page *p)
{
	struct tval	*c;
	const char	*v;
	char		 span[32];
	int		 k = p->k_conv;

	c = tval_set_obj(w->view, "conv");
	web_view_row(w, c, k, 0);
	tval_set(c, "channel_text", workflow_channel_vi(web_val(w, k, 0,
	    "channel")));
	tval_set_bool(c, "open", strcmp(web_val(w, k, 0, "state"), "open") == 0);
	v = web_val(w, k, 0, "claimed_by");
	tval_set_bool(c, "claimed", v != NULL && v[0] != '\0');
	tval_set_bool(c, "mine", v != NULL && strcmp(v, p->user) == 0);
	tval_set_bool(c, "can_release", v != NULL && v[0] != '\0' &&
	    (strcmp(v, p->user) == 0 ||
	    (w->user.role & (ROLE_SUPERVISOR | ROLE_ADMIN)) != 0));
	v = web_val(w, k, 0, "waiting");
	if (v != NULL && v[0] != '\0') {
		date_span_vi(strtoll(v, NULL, 10), span, sizeof(span));
		tval_set(c, "waiting_text", span);
	}
	tval_set_bool(c, "is_email",
	    strcmp(web_val(w, k, 0, "channel"), "email") == 0);
	cv_view_messages(w, p);
	cv_view_related(w, p);
	if (p->err[0] != '\0')
		tval_set(w->view, "error", p->err);
	v = web_arg(w, "body", NULL);
	if (p->act != NULL && p->act->id == ACT_REPLY && v != NULL &&
	    valid_utf8(v, strlen(v)))
		tval_set(w->view, "reply", v);
	return (web_render(req, w, p->http_status, "inbox_conversation",
	    cv_name(w, k)));
}

static void
cv_view_messages(struct web *w, struct cv_page *p)
{
	struct tval	*list, *o, *files, *fo;
	json_t		*js, *f;
	const char	*v;
	size_t		 j;
	int		 i, n;

	n = web_rows(w, p->k_msgs);
	list = tval_set_list(w->view, "messages");
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, p->k_msgs, i);
		msg_view(w, o, p->k_msgs, i);
		msg_view_links(w, o, p->k_msgs, i);
		/* Our own JSON, from json_agg(); NULL: no files. */
		v = web_val(w, p->k_msgs, i, "files");
		if (v == NULL || (js = json_loads(v, 0, NULL)) == NULL)
			continue;
		files = tval_set_list(o, "files");
		json_array_foreach(js, j, f) {
			fo = tval_list_add(files);
			tval_setf(fo, "id", "%lld", (long long)json_integer_value(
			    json_object_get(f, "id")));
			tval_set(fo, "name", json_string_value(
			    json_object_get(f, "name")) != NULL ?
			    json_string_value(json_object_get(f, "name")) : "");
			tval_setf(fo, "kb", "%lld", (long long)(json_integer_value(
			    json_object_get(f, "size")) + 1023) / 1024);
		}
		json_decref(js);
	}
}

/*
 * A provider's files (an image on Zalo's servers, a file on Facebook's)
 * as links, named by their kind, and a location as its coordinates with
 * a map link.  The URLs were checked at the webhook (http or https).
 */
static void
msg_view_links(struct web *w, struct tval *o, int k, int i)
{
	struct tval	*list, *lo;
	json_t		*js, *l;
	const char	*v, *type, *name, *lat, *lng;
	size_t		 j;

	if ((v = web_val(w, k, i, "links")) != NULL &&
	    (js = json_loads(v, 0, NULL)) != NULL) {
		list = tval_set_list(o, "links");
		json_array_foreach(js, j, l) {
			lo = tval_list_add(list);
			type = json_string_value(json_object_get(l, "type"));
			name = json_string_value(json_object_get(l, "name"));
			tval_set(lo, "url", json_string_value(
			    json_object_get(l, "url")));
			tval_set(lo, "label", name != NULL && name[0] != '\0' ?
			    name : type == NULL ? "Tệp" :
			    strcmp(type, "image") == 0 ? "Ảnh" :
			    strcmp(type, "video") == 0 ? "Video" :
			    strcmp(type, "audio") == 0 ? "Âm thanh" :
			    strcmp(type, "sticker") == 0 ? "Nhãn dán" : "Tệp");
		}
		json_decref(js);
	}
	lat = web_val(w, k, i, "lat");
	lng = web_val(w, k, i, "lng");
	if (lat != NULL && lng != NULL &&
	    strspn(lat, "-.0123456789") == strlen(lat) &&
	    strspn(lng, "-.0123456789") == strlen(lng)) {
		lo = tval_set_obj(o, "location");
		tval_set(lo, "lat", lat);
		tval_set(lo, "lng", lng);
	}
}

static void
cv_view_related(struct web *w, struct cv_page *p)
{
	struct tval	*list, *o;
	const char	*kind;
	int		 i, n;

	n = p->k_related >= 0 ? web_rows(w, p->k_related) : 0;
	list = tval_set_list(w->view, "related");
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, p->k_related, i);
		kind = web_val(w, p->k_related, i, "kind");
		tval_set_bool(o, "is_ticket", strcmp(kind, "ticket") == 0);
		tval_set(o, "channel_text", workflow_channel_vi(
		    web_val(w, p->k_related, i, "channel")));
		tval_set(o, "status_text", strcmp(kind, "ticket") == 0 ?
		    workflow_status_vi(web_val(w, p->k_related, i, "status")) :
		    strcmp(web_val(w, p->k_related, i, "status"), "open") == 0 ?
		    "Đang mở" : "Đã đóng");
	}
	tval_set_bool(w->view, "has_related", n > 0);
}

/* ---- A conversation becomes a ticket. --------------------------------- */

/*
 * The operator's form, checked by the one ticket path, on the
 * conversation's channel: the person is reached there, so neither a phone
 * nor an e-mail is required.  The same form sent twice is one ticket.
 */
static int
cv_ticket_read(struct web *w, struct cv_page *p)
{
	struct ticket_form	 form = {
		.email = 1,
		.phone_optional = 1,
		.title_label = "Tiêu đề",
		.content_label = "Nội dung",
	};
	const char		*bad;

	form.channel = web_val(w, p->k_conv, 0, "channel");
	(void)snprintf(p->key_prefix, sizeof(p->key_prefix), "conversation:%s:",
	    p->id);
	form.key_prefix = p->key_prefix;
	form.phone_invalid = valid_error_vi(VALID_EPHONE);
	if (ticket_read(w, &form, &p->t, p->err, sizeof(p->err), &bad) != 0) {
		p->http_status = 400;
		return (-1);
	}
	(void)snprintf(p->t.actor, sizeof(p->t.actor), "%d", w->user.id);
	ticket_seal(&p->t);
	return (0);
}

/* The form: what was typed, or the contact and the transcript. */
static int
cv_ticket_form(struct http_request *req, struct web *w, struct cv_page *p)
{
	static const char *const keep[] = {
		"name", "phone", "email", "title", "content", NULL
	};
	struct tval	*c;
	const char	*v;
	int		 i, k = p->k_conv, field;

	c = tval_set_obj(w->view, "conv");
	web_view_row(w, c, k, 0);
	tval_set(c, "channel_text", workflow_channel_vi(web_val(w, k, 0,
	    "channel")));
	if (web_is_post(req)) {
		for (i = 0; keep[i] != NULL; i++) {
			v = web_arg(w, keep[i], NULL);
			if (v != NULL && valid_utf8(v, strlen(v)))
				tval_set(w->view, keep[i], v);
		}
		v = web_arg(w, "field", NULL);
		field = v != NULL && strlen(v) < 10 ? atoi(v) : 0;
	} else {
		tval_set(w->view, "name", cv_name(w, k));
		tval_set(w->view, "phone", web_val(w, k, 0, "phone"));
		v = web_val(w, k, 0, "email");
		if ((v == NULL || v[0] == '\0') &&
		    strcmp(web_val(w, k, 0, "channel"), "email") == 0)
			v = web_val(w, k, 0, "thread");
		tval_set(w->view, "email", v);
		tval_set(w->view, "title", web_val(w, k, 0, "subject"));
		tval_set(w->view, "content", web_val(w, k, 0, "transcript"));
		field = 0;
	}
	refdata_view_fields(w->view, field);
	if (p->err[0] != '\0')
		tval_set(w->view, "error", p->err);
	return (web_render(req, w, p->http_status, "inbox_ticket",
	    "Tạo phiếu từ cuộc trò chuyện"));
}

/* ---- A ticket's conversations (the staff ticket page). ----------------- */

/*
 * Every message of the conversations linked to ticket $1, grouped by
 * conversation, oldest first; the page answers each on its channel.
 */
static const char	SQL_TICKET_MESSAGES[] =
    "SELECT c.id AS conversation_id, c.channel, c.state AS conv_state, "
    "coalesce(nullif(c.name, ''), " INBOX_SQL_ANONYMOUS ") AS who, "
    "m.direction, m.state, "
    "m.sender, m.subject, m.body, m.last_error, "
    "coalesce(u.full_name, '') AS author, "
    "to_char(m.created_at, 'DD/MM/YYYY HH24:MI') AS at "
    "FROM conversations c JOIN messages m ON m.conversation_id = c.id "
    "LEFT JOIN users u ON u.id = m.author_id "
    "WHERE c.ticket_id = $1::bigint AND m.kind IN ('message', 'notice') "
    "ORDER BY c.id, m.id LIMIT " INBOX_MESSAGES_MAX;

int
inbox_ticket_messages(struct http_request *req, struct web *w,
    const char *ticket_id)
{
	return (web_query(req, w, SQL_TICKET_MESSAGES, 1, ticket_id));
}

/* Into t: "conversations", each with its "messages" and a reply form. */
void
inbox_ticket_messages_view(struct web *w, int k, struct tval *t)
{
	struct tval	*convs, *c = NULL, *msgs = NULL, *o;
	const char	*id, *last = "";
	int		 i, n;

	n = web_rows(w, k);
	convs = tval_set_list(t, "conversations");
	for (i = 0; i < n; i++) {
		id = web_val(w, k, i, "conversation_id");
		if (strcmp(id, last) != 0) {
			c = tval_list_add(convs);
			tval_set(c, "id", id);
			tval_set(c, "who", web_val(w, k, i, "who"));
			tval_set(c, "channel_text", workflow_channel_vi(
			    web_val(w, k, i, "channel")));
			tval_set_bool(c, "open", strcmp(web_val(w, k, i,
			    "conv_state"), "open") == 0);
			msgs = tval_set_list(c, "messages");
			last = id;
		}
		o = tval_list_add(msgs);
		web_view_row(w, o, k, i);
		msg_view(w, o, k, i);
	}
}

/* ---- Helpers. --------------------------------------------------------- */

/*
 * What templates/inbox_message.html shows of message row i of result k
 * beside its columns: which way it went and, outbound, whether it left.
 * Keys it names are set here even when empty, so that none is taken from
 * the page around it (a ticket's "files").
 */
static void
msg_view(struct web *w, struct tval *o, int k, int i)
{
	static const char *const nullable[] = {
		"sender", "subject", "last_error", NULL
	};
	const char	*state;
	int		 n;

	state = web_val(w, k, i, "state");
	tval_set_bool(o, "in", strcmp(state, "received") == 0);
	tval_set(o, "state_text", strcmp(state, "received") == 0 ? "" :
	    strcmp(state, "sent") == 0 ? "Đã gửi" :
	    strcmp(state, "failed") == 0 ? "Lỗi" : "Chờ gửi");
	tval_set_bool(o, "failed", strcmp(state, "failed") == 0);
	tval_set_bool(o, "files", 0);
	for (n = 0; nullable[n] != NULL; n++)
		if (web_val(w, k, i, nullable[n]) == NULL)
			tval_set_bool(o, nullable[n], 0);
}

static int
cv_redirect(struct http_request *req, const char *base, const char *id)
{
	char	url[64];

	(void)snprintf(url, sizeof(url), "%s%s", base, id);
	return (web_redirect(req, url));
}

/* Who the conversation is with, as the page's title says it. */
static const char *
cv_name(struct web *w, int k)
{
	const char	*v;

	v = web_val(w, k, 0, "contact_name");
	if (v == NULL || v[0] == '\0')
		v = web_val(w, k, 0, "name");
	if (v == NULL || v[0] == '\0')
		v = web_val(w, k, 0, "thread");
	return (v);
}

static void
cv_page_free(void *arg)
{
	struct cv_page	*p = arg;

	kore_free(p->body);
	ticket_new_free(&p->t);
	kore_free(p);
}
