/*
 * agency: the pages of an agency officer.  They see only the tickets
 * assigned to their own agency: every query reads tickets through
 * tickets_in_scope() with the officer's scope (web_ticket_scope), so a
 * mistake in C cannot show another agency's ticket.
 */
#include "app.h"
#include "ticket_actions.h"
#include "workflow.h"

static void	inbox_list(struct web *, int, const char *);
static void	inbox_pager(struct web *, int);

#define INBOX_COLS \
    "SELECT t.id, t.code, t.status, t.title, t.channel, f.name AS field, " \
    "to_char(t.created_at, 'DD/MM/YYYY HH24:MI') AS created, " \
    "to_char(t.due_at, 'DD/MM/YYYY HH24:MI') AS due, " \
    "ticket_overdue(t) AS overdue "
/* $1: the officer's scope (web_ticket_scope), their agency's tickets. */
#define INBOX_FROM \
    "FROM tickets_in_scope($1::integer) t " \
    "LEFT JOIN fields f ON f.id = t.field_id "


/* What waits for the agency, most urgent first, a page at a time. */
static const char	SQL_WAITING[] =
    INBOX_COLS ", count(*) OVER () AS total "
    INBOX_FROM
    "WHERE t.status IN ('forwarded', 'needs_info', 'agency_answered') "
    "ORDER BY t.due_at ASC NULLS LAST, t.id LIMIT 50 OFFSET $2::integer";

/* What the agency dealt with lately, for reference. */
static const char	SQL_RECENT[] =
    INBOX_COLS
    INBOX_FROM
    "WHERE t.status NOT IN ('forwarded', 'needs_info', 'agency_answered') "
    "AND t.updated_at > now() - interval '30 days' "
    "ORDER BY t.updated_at DESC, t.id DESC LIMIT 50";

int
agency_ticket_step(struct http_request *req, struct web *w)
{
	return (ta_ticket_step(req, w, &ta_scope_agency));
}

/* The inbox: the tickets waiting (a page), the recent ones, the page. */
enum { INBOX_WAITING, INBOX_RECENT, INBOX_SHOW };

int
agency_inbox_step(struct http_request *req, struct web *w)
{
	char		 offset[16];
	const char	*v;
	size_t		 len;
	int		 page;

	page = 1;
	if ((v = web_arg(w, "page", &len)) != NULL && len > 0) {
		if (len > 5 || strspn(v, "0123456789") != len ||
		    (page = atoi(v)) < 1 || page > WEB_PAGE_MAX)
			return (web_error(req, w, 400, "Số trang không hợp lệ."));
	}
	switch (w->step) {
	case INBOX_WAITING:
		(void)snprintf(offset, sizeof(offset), "%d",
		    (page - 1) * WEB_PAGE_SIZE);
		return (web_query(req, w, SQL_WAITING, 2, web_ticket_scope(w),
		    offset));
	case INBOX_RECENT:
		return (web_query(req, w, SQL_RECENT, 1, web_ticket_scope(w)));
	default:	/* INBOX_SHOW */
		inbox_list(w, INBOX_WAITING, "waiting");
		inbox_pager(w, page);
		inbox_list(w, INBOX_RECENT, "recent");
		if (web_arg(w, "da-tra-lai", NULL) != NULL)
			tval_set(w->view, "returned",
			    "Đã trả lại phiếu cho Tổng đài 1022.");
		return (web_render(req, w, 200, "agency_inbox",
		    "Phiếu của cơ quan"));
	}
}

/* "Trang 2 / 3" with links, when the waiting list is longer than a page. */
static void
inbox_pager(struct web *w, int page)
{
	int	total;

	total = web_rows(w, INBOX_WAITING) > 0 ?
	    atoi(web_val(w, INBOX_WAITING, 0, "total")) : 0;
	if (total <= WEB_PAGE_SIZE) {
		if (total > 0)
			tval_setf(w->view, "total", "%d", total);
		return;
	}
	web_pager(w, "/co-quan", "", page, web_pager_count(w, page, total));
}

static void
inbox_list(struct web *w, int k, const char *name)
{
	struct tval	*list, *o;
	int		 i, n;

	n = web_rows(w, k);
	list = tval_set_list(w->view, name);
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, k, i);
		tval_set(o, "status_text",
		    workflow_status_vi(web_val(w, k, i, "status")));
	}
}
