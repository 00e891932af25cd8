/*
 * prune: the tables that grow with every attempt — rate-limit windows
 * and sessions — lose their expired rows on a timer.  Worker 1 runs it
 * (every worker could: the DELETEs do not mind), every APP_PRUNE_SECONDS.
 */
#include "app.h"

static void	prune_timer(void *, u_int64_t);
static void	prune_row(struct kore_pgsql *, int, void *);

static struct dbjob	prune_job;

static const char	SQL_PRUNE[] = "SELECT * FROM prune_expired()";

void
prune_init(void)
{
	if (worker == NULL || worker->id != 1)
		return;
	kore_timer_add(prune_timer, (u_int64_t)app.prune_seconds * 1000,
	    NULL, 0);
}

static void
prune_timer(void *arg, u_int64_t now)
{
	/* One still running (a slow database) is enough. */
	(void)dbjob_start(&prune_job, SQL_PRUNE, prune_row, NULL, NULL);
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
