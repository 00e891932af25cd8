/*
 * console: the operator's pages.  The inbox with its filters, the ticket
 * page and its actions (ticket_actions.c), and a ticket opened by hand for
 * a phone call.
 */
#include "app.h"
#include "ticket.h"
#include "refdata.h"
#include "ticket_actions.h"
#include "valid.h"
#include "workflow.h"

#define QUERY_MAX_CHARS		100

struct inbox {
	char	status[24];
	char	field[16];
	char	channel[16];
	char	agency[16];
	char	kind[16];
	char	level[8];
	int	alert;		/* levels that alert supervisors */
	char	q[QUERY_MAX_CHARS * 4 + 1];
	char	sort[8];
	char	offset[16];
	int	overdue;
	int	page;
};

/* A ticket an operator types for a call. */
struct phone_ticket {
	struct ticket_new t;
	char	call_id[37];		/* the hotline call it is for, if any */
	struct suggest_use use;		/* the suggested answer read out */
};

static const struct ticket_form	phone_form = {
	.channel = "phone",
	.key_prefix = "phone:",		/* apart from the portal's */
	.email = 1,
	.phone_missing = "Vui lòng nhập số điện thoại người gọi.",
	.title_label = "Tóm tắt",
	.content_label = "Nội dung cuộc gọi",
	.staff = 1,
};

/*
 * What an operator may type a ticket for, besides a call, and how the
 * citizen must be reachable: a call has a phone; an e-mail its address; a
 * Zalo or Facebook message, or anything else, a phone or an e-mail to
 * answer to; a visitor at the desk or a letter may leave neither (the
 * answer is given there, or by post to the address in the letter).
 */
#define REACH_PHONE	0
#define REACH_EMAIL	1
#define REACH_ANY	2	/* a phone or an e-mail */
#define REACH_NONE	3

static const struct staff_channel {
	const char	*key;
	const char	*key_prefix;	/* each its own dedupe space */
	int		 reach;
} staff_channels[] = {
	{ "phone",	"phone:",	REACH_PHONE },
	{ "email",	"staff-email:",	REACH_EMAIL },
	{ "zalo",	"staff-zalo:",	REACH_ANY },
	{ "facebook",	"staff-fb:",	REACH_ANY },
	{ "walkin",	"walkin:",	REACH_NONE },
	{ "letter",	"letter:",	REACH_NONE },
	{ "other",	"staff-other:",	REACH_ANY },
};

static int	inbox_read(struct web *, struct inbox *);
static void	inbox_view(struct web *, struct inbox *);
static int	create_read(struct web *, struct phone_ticket *, char *, size_t);
static const struct staff_channel *staff_channel_find(const char *);
static void	phone_ticket_free(void *);
static int	create_form(struct http_request *, struct web *, int,
		    const char *);
static void	inbox_query(struct sbuf *, struct inbox *);

/*
 * Every filter is a parameter, empty when unused; free text matches the
 * code, the phone's digits or the title with or without diacritics.
 * strpos() rather than LIKE: what the operator types is never a pattern.
 */
static const char	SQL_INBOX[] =
    "SELECT t.id, t.code, t.channel, t.status, t.title, t.name, t.phone, "
    "t.level, t.kind, l.name AS level_name, "
    "coalesce(l.alert_supervisor, false) AS alert, "
    "f.name AS field, a.name AS agency, "
    "to_char(t.created_at, 'DD/MM/YYYY HH24:MI') AS created, "
    "to_char(t.due_at, 'DD/MM/YYYY HH24:MI') AS due, "
    "ticket_overdue(t) AS overdue, "
    "count(*) OVER () AS total "
    "FROM tickets t LEFT JOIN fields f ON f.id = t.field_id "
    "LEFT JOIN agencies a ON a.id = t.agency_id "
    "LEFT JOIN ticket_levels l ON l.id = t.level "
    "WHERE (($1 = '' AND t.status NOT IN ('answered', 'closed')) "
    "    OR $1 = 'all' OR t.status = $1) "
    "AND ($2 = '' OR t.field_id = NULLIF($2, '')::integer) "
    "AND ($3 = '' OR t.channel = $3) "
    "AND ($4 = '' OR t.agency_id = NULLIF($4, '')::integer) "
    "AND (NOT $5::boolean OR ticket_overdue(t)) "
    "AND ($9 = '' OR t.kind = $9) "
    "AND ($10 = '' OR t.level = NULLIF($10, '')::smallint) "
    "AND (NOT $11::boolean OR l.alert_supervisor) "
    "AND ($6 = '' OR strpos(t.code, upper($6)) > 0 "
    "    OR (regexp_replace($6, '[^0-9]', '', 'g') <> '' "
    "        AND strpos(t.phone, regexp_replace($6, '[^0-9]', '', 'g')) > 0) "
    "    OR strpos(f_unaccent(t.title), f_unaccent($6)) > 0) "
    "ORDER BY CASE WHEN $7 = 'han' THEN t.due_at END ASC NULLS LAST, "
    "t.created_at DESC, t.id DESC "
    "LIMIT 50 OFFSET $8::integer";

/*
 * Tie the new ticket to its call.  If the plugin's report of the call came
 * first, the call goes into the ticket's history now.  Only a ticket with
 * no call yet: repeatable.
 */
static const char	SQL_LINK_CALL[] = SQL_REPEATABLE
    "WITH t AS (UPDATE tickets SET call_uuid = $2::uuid "
    "WHERE id = $1::bigint AND call_uuid IS NULL RETURNING id, call_uuid) "
    "INSERT INTO ticket_events (ticket_id, actor_label, kind, note, payload) "
    "SELECT t.id, 'Tổng đài', 'call', "
    "call_history_note(c.disposition, c.transferred_to, "
    "c.transfer_agency_id, c.transferred_at), "
    "jsonb_build_object('call_id', c.call_uuid, 'talk_seconds', c.talk_seconds, "
    "'recording', c.recording IS NOT NULL, 'transferred_to', c.transferred_to, "
    "'agency_id', c.transfer_agency_id) "
    "FROM t JOIN calls c ON c.call_uuid = t.call_uuid";

int
console_ticket_step(struct http_request *req, struct web *w)
{
	return (ta_ticket_step(req, w, &ta_scope_staff));
}

/* The inbox: read the filters and ask, then show the page. */
enum { INBOX_QUERY, INBOX_SHOW };

int
console_inbox_step(struct http_request *req, struct web *w)
{
	struct inbox	*in = w->data;

	if (w->step == INBOX_QUERY) {
		in = kore_calloc(1, sizeof(*in));
		w->data = in;
		w->data_free = kore_free;
		if (inbox_read(w, in) == -1) {
			inbox_view(w, in);
			tval_set(w->view, "error",
			    "Bộ lọc không hợp lệ, đã bỏ qua.");
			return (web_render(req, w, 400, "console_inbox",
			    "Phiếu tiếp nhận"));
		}
		return (web_query(req, w, SQL_INBOX, 11, in->status, in->field,
		    in->channel, in->agency, in->overdue ? "true" : "false",
		    in->q, in->sort, in->offset, in->kind, in->level,
		    in->alert ? "true" : "false"));
	}
	inbox_view(w, in);
	return (web_render(req, w, 200, "console_inbox", "Phiếu tiếp nhận"));
}

/* The filters from the query string: 0, or -1 if one of them is not ours. */
static int
inbox_read(struct web *w, struct inbox *in)
{
	const char	*v;
	size_t		 len;
	int		 rc;

	in->page = 1;
	kore_strlcpy(in->sort, "moi", sizeof(in->sort));
	(void)snprintf(in->offset, sizeof(in->offset), "0");

	if ((v = web_arg(w, "status", &len)) != NULL && len > 0) {
		if (strcmp(v, "all") != 0 && !workflow_known_status(v))
			return (-1);
		kore_strlcpy(in->status, v, sizeof(in->status));
	}
	if ((v = web_arg(w, "field", &len)) != NULL && len > 0) {
		if (len > 9 || strspn(v, "0123456789") != len ||
		    refdata_field_by_id(atoi(v)) == NULL)
			return (-1);
		kore_strlcpy(in->field, v, sizeof(in->field));
	}
	if ((v = web_arg(w, "agency", &len)) != NULL && len > 0) {
		if (len > 9 || strspn(v, "0123456789") != len ||
		    refdata_agency_by_id(atoi(v)) == NULL)
			return (-1);
		kore_strlcpy(in->agency, v, sizeof(in->agency));
	}
	if ((v = web_arg(w, "channel", &len)) != NULL && len > 0) {
		if (len >= sizeof(in->channel) ||
		    strcmp(workflow_channel_vi(v), v) == 0)
			return (-1);
		kore_strlcpy(in->channel, v, sizeof(in->channel));
	}
	if ((v = web_arg(w, "kind", &len)) != NULL && len > 0) {
		if (len >= sizeof(in->kind) || strlen(v) != len ||
		    workflow_kind_vi(v) == NULL)
			return (-1);
		kore_strlcpy(in->kind, v, sizeof(in->kind));
	}
	if ((v = web_arg(w, "level", &len)) != NULL && len > 0) {
		if (len > 2 || strspn(v, "0123456789") != len ||
		    refdata_level_by_id(atoi(v)) == NULL)
			return (-1);
		kore_strlcpy(in->level, v, sizeof(in->level));
	}
	if ((v = web_arg(w, "alert", &len)) != NULL && len > 0)
		in->alert = 1;
	if ((v = web_arg(w, "overdue", &len)) != NULL && len > 0)
		in->overdue = 1;
	if ((v = web_arg(w, "sort", &len)) != NULL && len > 0) {
		if (strcmp(v, "han") != 0 && strcmp(v, "moi") != 0)
			return (-1);
		kore_strlcpy(in->sort, v, sizeof(in->sort));
	}
	if ((v = web_arg(w, "q", &len)) != NULL && len > 0) {
		if (strlen(v) != len ||
		    ((rc = valid_text(v, len, QUERY_MAX_CHARS, 0)) != VALID_OK &&
		    rc != VALID_EEMPTY) || len >= sizeof(in->q))
			return (-1);
		memcpy(in->q, v, len + 1);
		valid_trim(in->q);
	}
	if ((v = web_arg(w, "page", &len)) != NULL && len > 0) {
		if (len > 5 || strspn(v, "0123456789") != len)
			return (-1);
		in->page = atoi(v);
		if (in->page < 1 || in->page > WEB_PAGE_MAX)
			return (-1);
	}
	(void)snprintf(in->offset, sizeof(in->offset), "%d",
	    (in->page - 1) * WEB_PAGE_SIZE);
	return (0);
}

static void
inbox_view(struct web *w, struct inbox *in)
{
	struct tval	*list, *o, *f;
	struct sbuf	 link;
	const char	*key, *v;
	size_t		 i;
	int		 n, total;

	f = tval_set_obj(w->view, "filter");
	tval_set(f, "q", in->q);
	tval_set_bool(f, "overdue", in->overdue);
	tval_set_bool(f, "sort_due", strcmp(in->sort, "han") == 0);
	tval_set_bool(f, "status_all", strcmp(in->status, "all") == 0);
	list = tval_set_list(w->view, "statuses");
	for (i = 0; (key = workflow_status_key(i)) != NULL; i++) {
		o = tval_list_add(list);
		tval_set(o, "key", key);
		tval_set(o, "text", workflow_status_vi(key));
		tval_set_bool(o, "selected", strcmp(key, in->status) == 0);
	}
	refdata_view_fields(w->view, in->field[0] ? atoi(in->field) : 0);
	refdata_view_agencies(w->view, in->agency[0] ? atoi(in->agency) : 0);
	ta_view_channels(w->view, in->channel);
	ta_view_kinds(w->view, in->kind);
	refdata_view_levels(w->view, in->level[0] ? atoi(in->level) : 0);
	tval_set_bool(f, "alert", in->alert);

	n = web_rows(w, INBOX_QUERY);
	list = tval_set_list(w->view, "tickets");
	for (i = 0; i < (size_t)n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, INBOX_QUERY, i);
		tval_set(o, "status_text",
		    workflow_status_vi(web_val(w, INBOX_QUERY, i, "status")));
		tval_set(o, "channel_text",
		    workflow_channel_vi(web_val(w, INBOX_QUERY, i, "channel")));
		v = workflow_kind_vi(web_val(w, INBOX_QUERY, i, "kind"));
		tval_set(o, "kind_text", v != NULL ? v : "");
		v = web_val(w, INBOX_QUERY, i, "name");
		if (v == NULL || v[0] == '\0')
			tval_set(o, "name", "(không rõ tên)");
	}
	total = n > 0 ? atoi(web_val(w, INBOX_QUERY, 0, "total")) : 0;
	tval_set_bool(w->view, "empty", n == 0);
	sbuf_init(&link);
	inbox_query(&link, in);
	web_pager(w, "/dtv", link.data, in->page,
	    web_pager_count(w, in->page, total));
	sbuf_free(&link);
}

/* "status=…&q=…&": the inbox's filters, for the links to other pages. */
static void
inbox_query(struct sbuf *b, struct inbox *in)
{
	if (in->status[0])
		sbuf_appendf(b, "status=%s&", in->status);
	if (in->field[0])
		sbuf_appendf(b, "field=%s&", in->field);
	if (in->channel[0])
		sbuf_appendf(b, "channel=%s&", in->channel);
	if (in->agency[0])
		sbuf_appendf(b, "agency=%s&", in->agency);
	if (in->kind[0])
		sbuf_appendf(b, "kind=%s&", in->kind);
	if (in->level[0])
		sbuf_appendf(b, "level=%s&", in->level);
	if (in->alert)
		sbuf_lit(b, "alert=1&");
	if (in->overdue)
		sbuf_lit(b, "overdue=1&");
	if (strcmp(in->sort, "han") == 0)
		sbuf_lit(b, "sort=han&");
	if (in->q[0]) {
		sbuf_lit(b, "q=");
		sbuf_append_url(b, in->q, SBUF_URL_QUERY);
		sbuf_lit(b, "&");
	}
}

/* ---- A ticket for a phone call. --------------------------------------- */

/*
 * Store the ticket, link it to the call if there is one, note the
 * suggested answer the operator used if any, then show it.
 */
enum { CREATE_STORE, CREATE_LINK, CREATE_SUGGESTION, CREATE_DONE };

int
console_create_step(struct http_request *req, struct web *w)
{
	struct phone_ticket	*p = w->data;
	char			 err[256], url[64];

	switch (w->step) {
	case CREATE_STORE:
		if (!web_is_post(req))
			return (create_form(req, w, 200, NULL));
		p = kore_calloc(1, sizeof(*p));
		w->data = p;
		w->data_free = phone_ticket_free;
		if (create_read(w, p, err, sizeof(err)) == -1)
			return (create_form(req, w, 400, err));
		(void)snprintf(p->t.actor, sizeof(p->t.actor), "%d", w->user.id);
		return (ticket_store(req, w, &p->t));
	case CREATE_LINK:
		if (web_rows(w, CREATE_STORE) != 1)
			return (web_error(req, w, 500,
			    "Chưa lưu được phiếu, vui lòng thử lại."));
		if (p->call_id[0] != '\0')
			return (web_query(req, w, SQL_LINK_CALL, 2,
			    web_val(w, CREATE_STORE, 0, "id"), p->call_id));
		w->step = CREATE_SUGGESTION;
		/* FALLTHROUGH */
	case CREATE_SUGGESTION:
		if (p->use.kind[0] != '\0')
			return (suggest_use_store(req, w,
			    web_val(w, CREATE_STORE, 0, "id"), &p->use));
		/* FALLTHROUGH */
	default:	/* CREATE_DONE */
		(void)snprintf(url, sizeof(url), "/dtv/phieu/%s",
		    web_val(w, CREATE_STORE, 0, "id"));
		return (web_redirect(req, url));
	}
}

static int
create_read(struct web *w, struct phone_ticket *p, char *err, size_t errlen)
{
	struct ticket_form		 form = phone_form;
	const struct staff_channel	*ch;
	const char			*v, *bad;
	size_t				 len;

	v = web_arg(w, "channel", &len);
	if ((ch = staff_channel_find(v != NULL && len > 0 ? v : "phone")) ==
	    NULL) {
		(void)snprintf(err, errlen, "Kênh tiếp nhận không hợp lệ.");
		return (-1);
	}
	form.channel = ch->key;
	form.key_prefix = ch->key_prefix;
	form.phone_optional = ch->reach != REACH_PHONE;
	form.phone_invalid = valid_error_vi(VALID_EPHONE);
	if (ticket_read(w, &form, &p->t, err, errlen, &bad) != 0)
		return (-1);
	if ((ch->reach == REACH_EMAIL && p->t.email[0] == '\0') ||
	    (ch->reach == REACH_ANY && p->t.phone[0] == '\0' &&
	    p->t.email[0] == '\0')) {
		(void)snprintf(err, errlen, ch->reach == REACH_EMAIL ?
		    "Vui lòng nhập địa chỉ e-mail của người dân." :
		    "Vui lòng nhập số điện thoại hoặc e-mail để trả lời "
		    "người dân.");
		return (-1);
	}

	v = web_arg(w, "call_id", &len);
	if (v != NULL && len > 0) {
		/* len, not strlen: a NUL inside the value must not pass. */
		if (len != sizeof(p->call_id) - 1 || strlen(v) != len ||
		    !valid_uuid(v)) {
			(void)snprintf(err, errlen, "Mã cuộc gọi không hợp lệ.");
			return (-1);
		}
		memcpy(p->call_id, v, len + 1);
	}
	if (suggest_use_read(w, &p->use, err, errlen) == -1)
		return (-1);

	/* The same call saved twice (a double click) is one ticket. */
	ticket_seal(&p->t);
	return (0);
}

/* The staff form's channel by its key; NULL if the form may not use it. */
static const struct staff_channel *
staff_channel_find(const char *key)
{
	size_t	i;

	for (i = 0; i < sizeof(staff_channels) / sizeof(staff_channels[0]); i++)
		if (strcmp(staff_channels[i].key, key) == 0)
			return (&staff_channels[i]);
	return (NULL);
}

static void
phone_ticket_free(void *arg)
{
	struct phone_ticket	*p = arg;

	ticket_new_free(&p->t);
	kore_free(p);
}

/* The form, again with what was typed after an error. */
static int
create_form(struct http_request *req, struct web *w, int status,
    const char *error)
{
	static const char *const keep[] = {
		"phone", "name", "email", "title", "content", "call_id",
		"suggestion", "received_at", NULL
	};
	struct tval	*list, *o;
	const char	*v, *chosen;
	size_t		 i;
	int		 field;

	for (i = 0; keep[i] != NULL; i++) {
		v = web_arg(w, keep[i], NULL);
		if (v != NULL && valid_utf8(v, strlen(v)))
			tval_set(w->view, keep[i], v);
	}
	chosen = web_arg(w, "channel", NULL);
	if (chosen == NULL || staff_channel_find(chosen) == NULL)
		chosen = "phone";
	list = tval_set_list(w->view, "channels");
	for (i = 0; i < sizeof(staff_channels) / sizeof(staff_channels[0]); i++) {
		o = tval_list_add(list);
		tval_set(o, "key", staff_channels[i].key);
		tval_set(o, "text", workflow_channel_vi(staff_channels[i].key));
		tval_set_bool(o, "selected",
		    strcmp(staff_channels[i].key, chosen) == 0);
	}
	v = web_arg(w, "field", NULL);
	field = v != NULL && strlen(v) < 10 ? atoi(v) : 0;
	refdata_view_fields(w->view, field);
	ta_view_kinds(w->view, web_arg(w, "kind", NULL));
	v = web_arg(w, "level", NULL);
	refdata_view_levels(w->view, v != NULL && strlen(v) < 3 ? atoi(v) : 0);
	if (error != NULL)
		tval_set(w->view, "error", error);
	return (web_render(req, w, status, "console_create",
	    "Tạo phiếu"));
}
