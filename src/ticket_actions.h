/*
 * ticket_actions: what staff and agency officers do to a ticket, and the
 * ticket page both of them work on.  console.c and agency.c only route
 * requests here with their scope.
 */
#ifndef TICKET_ACTIONS_H
#define TICKET_ACTIONS_H

/* Who is looking: the operator console or one agency. */
struct ta_scope {
	int		 agency;	/* 1: scoped to the officer's agency */
	const char	*prefix;	/* "/dtv/phieu/" or "/co-quan/phieu/" */
	const char	*tmpl;		/* the ticket page's template */
	const char	*home;		/* where to go once the ticket is gone */
};

extern const struct ta_scope	ta_scope_staff;
extern const struct ta_scope	ta_scope_agency;

int	ta_ticket_step(struct http_request *, struct web *,
	    const struct ta_scope *);
void	ta_view_channels(struct tval *, const char *);
void	ta_view_kinds(struct tval *, const char *);

#endif
