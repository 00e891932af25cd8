/*
 * report_mail: the periodic report mailed to the province's leaders
 * (issue 11).  Which reports are due and to whom is SQL's
 * (migrations/0070_report_mails.sql); this file runs the check on the
 * outbox thread and builds the report's workbook there, when mail_send()
 * sends a message whose payload names a report.
 */
#ifndef REPORT_MAIL_H
#define REPORT_MAIL_H

#include <stddef.h>

#include <jansson.h>

#include "call_stats.h"

typedef struct pg_conn PGconn;

/* reports.c: the tickets' query ($1, $2 days) and its columns. */
extern const char *const		report_tickets_sql;
extern const struct call_col *const	report_ticket_cols;
extern const size_t			report_ticket_ncols;
void	report_xlsx_cols(struct xlsx_col *, struct xlsx_col *,
	    struct xlsx_col *);

#define REPORT_MAIL_CHECK_SEC	15	/* how often a thread looks */

void	report_mail_due(PGconn *);
int	report_mail_xlsx(PGconn *, json_t *, unsigned char **, size_t *,
	    char *, size_t, char *, size_t);

#endif
