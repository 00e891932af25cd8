/*
 * admin_outbox: the outbound messages of every channel (replies,
 * acknowledgements, notices) with their delivery state, for
 * administrators and supervisors (/quan-tri/tin-gui), and "Gửi lại" on a
 * failed one: back to pending now, tried afresh by the outbox threads
 * (outbox.c), and written in the administration log.
 */
#include "app.h"
#include "admin.h"
#include "sbuf.h"

static const struct {
	const char	*state;
	const char	*vi;
} outbox_states[] = {
	{ "pending",	"Chờ gửi" },
	{ "sending",	"Đang gửi" },
	{ "sent",	"Đã gửi" },
	{ "failed",	"Lỗi" },
};

static const char *const outbox_channels[] = {
	"email", "zalo", "facebook", "sms", "chat", NULL
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const char *outbox_state_vi(const char *);

/* $1 state or '', $2 channel or '', $3 offset. */
static const char	SQL_OUTBOX[] =
    "SELECT m.id, m.channel, m.kind, coalesce(m.recipient, '') AS recipient, "
    "coalesce(m.subject, '') AS subject, left(m.body, 300) AS body, m.state, "
    "m.attempts, to_char(m.created_at, 'DD/MM/YYYY HH24:MI:SS') AS created, "
    "to_char(m.next_attempt_at, 'DD/MM/YYYY HH24:MI:SS') AS next_at, "
    "to_char(m.sent_at, 'DD/MM/YYYY HH24:MI:SS') AS sent, "
    "m.last_error, t.code AS ticket_code, m.ticket_id, "
    "count(*) OVER () AS total "
    "FROM messages m LEFT JOIN tickets t ON t.id = m.ticket_id "
    "WHERE m.direction = 'out' AND ($1 = '' OR m.state = $1) "
    "AND ($2 = '' OR m.channel = $2) "
    "ORDER BY m.id DESC LIMIT 50 OFFSET $3::integer";

/*
 * A failed message back to pending, due now, its attempts counted
 * afresh; the outbox threads are woken.  $1 id, $2 actor, $3 label.
 */
static const char	SQL_RESEND[] =
    "WITH m AS (UPDATE messages SET state = 'pending', attempts = 0, "
    "next_attempt_at = now() WHERE id = $1::bigint AND direction = 'out' "
    "AND state = 'failed' RETURNING id, channel, recipient, last_error), "
    "e AS (" ADMIN_EVENT_COLS
    "SELECT $2::integer, $3, 'message_resend', 'message', id::text, "
    "channel || ': ' || coalesce(recipient, ''), "
    "jsonb_strip_nulls(jsonb_build_object('channel', channel, "
    "'last_error', last_error)) FROM m RETURNING target_id) "
    "SELECT e.target_id AS id, pg_notify('outbox', e.target_id) FROM e";

/* The list: check the filters, ask for a page, show it. */
enum { OUTBOX_QUERY, OUTBOX_SHOW };

int
admin_outbox_step(struct http_request *req, struct web *w)
{
	struct tval	*list, *o, *f, *opts;
	struct sbuf	 query;
	const char	*state, *channel, *v;
	char		 offset[16];
	size_t		 i;
	int		 n, r, page, total, ok;

	page = 1;
	if (web_arg(w, "page", NULL) != NULL &&
	    admin_int(w, "page", 1, WEB_PAGE_MAX, &page) == -1)
		return (web_error(req, w, 400, "Số trang không hợp lệ."));
	state = web_arg(w, "trang-thai", NULL);
	if (state == NULL)
		state = "";
	for (i = 0, ok = *state == '\0'; !ok && i < NELEM(outbox_states); i++)
		ok = strcmp(state, outbox_states[i].state) == 0;
	if (!ok)
		return (web_error(req, w, 400, "Trạng thái không hợp lệ."));
	channel = web_arg(w, "kenh", NULL);
	if (channel == NULL)
		channel = "";
	for (i = 0, ok = *channel == '\0'; !ok && outbox_channels[i]; i++)
		ok = strcmp(channel, outbox_channels[i]) == 0;
	if (!ok)
		return (web_error(req, w, 400, "Kênh không hợp lệ."));

	if (w->step == OUTBOX_QUERY) {
		(void)snprintf(offset, sizeof(offset), "%d",
		    (page - 1) * WEB_PAGE_SIZE);
		return (web_query(req, w, SQL_OUTBOX, 3, state, channel,
		    offset));
	}

	if (w->user.role == ROLE_ADMIN) {
		admin_nav(w, "outbox");
		tval_set_bool(w->view, "admin", 1);
	}
	n = web_rows(w, OUTBOX_QUERY);
	list = tval_set_list(w->view, "messages");
	for (r = 0; r < n; r++) {
		o = tval_list_add(list);
		web_view_row(w, o, OUTBOX_QUERY, r);
		v = web_val(w, OUTBOX_QUERY, r, "state");
		tval_set(o, "state_text", outbox_state_vi(v));
		tval_set_bool(o, "failed", strcmp(v, "failed") == 0);
	}
	total = n > 0 ? atoi(web_val(w, OUTBOX_QUERY, 0, "total")) : 0;
	tval_set_bool(w->view, "empty", n == 0);

	f = tval_set_obj(w->view, "f");
	opts = tval_set_list(f, "states");
	for (i = 0; i < NELEM(outbox_states); i++) {
		o = tval_list_add(opts);
		tval_set(o, "value", outbox_states[i].state);
		tval_set(o, "text", outbox_states[i].vi);
		tval_set_bool(o, "selected",
		    strcmp(state, outbox_states[i].state) == 0);
	}
	opts = tval_set_list(f, "channels");
	for (i = 0; outbox_channels[i] != NULL; i++) {
		o = tval_list_add(opts);
		tval_set(o, "value", outbox_channels[i]);
		tval_set_bool(o, "selected",
		    strcmp(channel, outbox_channels[i]) == 0);
	}
	sbuf_init(&query);
	if (*state != '\0')
		sbuf_appendf(&query, "trang-thai=%s&", state);
	if (*channel != '\0')
		sbuf_appendf(&query, "kenh=%s&", channel);
	web_pager(w, "/quan-tri/tin-gui", query.data != NULL ? query.data : "",
	    page, web_pager_count(w, page, total));
	sbuf_free(&query);
	if ((v = web_arg(w, "ok", NULL)) != NULL && strcmp(v, "gui-lai") == 0)
		tval_set(w->view, "notice", "Đã đưa tin trở lại hàng chờ gửi.");
	return (web_render(req, w, 200, "admin_outbox", "Tin gửi đi"));
}

/* "Gửi lại": back to pending, then to the list of what waits. */
enum { RESEND_UPDATE, RESEND_DONE };

int
admin_outbox_resend_step(struct http_request *req, struct web *w)
{
	char	id[WEB_PATH_ID_DIGITS + 1], actor[16];

	if (w->step == RESEND_UPDATE) {
		if (web_path_id(req, w, 1, id, sizeof(id)) == -1)
			return (web_error(req, w, 404, "Không tìm thấy tin."));
		admin_actor(w, actor, sizeof(actor));
		return (web_query(req, w, SQL_RESEND, 3, id, actor,
		    w->user.full_name));
	}
	if (web_rows(w, RESEND_UPDATE) != 1)
		return (web_error(req, w, 409, "Chỉ gửi lại được tin đang ở "
		    "trạng thái lỗi (tin này không có hoặc đã được gửi lại)."));
	return (web_redirect(req, "/quan-tri/tin-gui?ok=gui-lai"));
}

static const char *
outbox_state_vi(const char *state)
{
	size_t	i;

	for (i = 0; i < NELEM(outbox_states); i++)
		if (strcmp(outbox_states[i].state, state) == 0)
			return (outbox_states[i].vi);
	return (state);
}
