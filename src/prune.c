/*
 * prune: the tables that grow with every attempt — rate-limit windows
 * and sessions — lose their expired rows on a timer.  Worker 1 runs it
 * (every worker could: the DELETEs do not mind), every APP_PRUNE_SECONDS.
 */
#include "app.h"

static void	prune_row(struct kore_pgsql *, int, void *);

static struct dbjob	prune_job;

static const char	SQL_PRUNE[] = "SELECT * FROM prune_expired()";

void
prune_init(void)
{
	dbjob_every(&prune_job, SQL_PRUNE, app.prune_seconds, prune_row);
}

static void
prune_row(struct kore_pgsql *sql, int i, void *arg)
{
	if (strcmp(kore_pgsql_getvalue(sql, i, 0), "0") != 0 ||
	    strcmp(kore_pgsql_getvalue(sql, i, 1), "0") != 0)
		kore_log(LOG_INFO, "prune: %s rate-limit rows, %s sessions",
		    kore_pgsql_getvalue(sql, i, 0),
		    kore_pgsql_getvalue(sql, i, 1));
}
