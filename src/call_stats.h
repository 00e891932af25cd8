/*
 * call_stats: what the hotline's figures share with the periodic report
 * (reports.c): the query of the calls and its columns.
 */
#ifndef CALL_STATS_H
#define CALL_STATS_H

#include <stddef.h>

#include "xlsx.h"

struct call_col {
	const char	*name;		/* in the query */
	const char	*header;
	enum xlsx_kind	 kind;
	int		 seconds;	/* shown as seconds on the page */
};

/* $1, $2: days; $3: 'day', 'hour', 'operator' or 'month'; $4: seconds. */
extern const char		call_stats_sql[];
#define CALL_STATS_NCOLS	10
extern const struct call_col	call_stats_cols[CALL_STATS_NCOLS];
#define CALL_STATS_THRESHOLD	"20"	/* the service level's default */

struct http_request;
struct web;

int	call_stats_xlsx(const struct xlsx_sheet *, int, unsigned char **,
	    size_t *);
int	call_stats_xlsx_send(struct http_request *, struct web *,
	    const unsigned char *, size_t, const char *);
void	call_stats_cell_text(const struct call_col *, const char *, char *,
	    size_t);

#endif
