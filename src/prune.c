/*
 * prune: the tables that grow with every attempt — rate-limit windows
 * and sessions — lose their expired rows on a timer.  Worker 1 runs it
 * (every worker could: the DELETEs do not mind), every APP_PRUNE_SECONDS.
 */
#include "app.h"

static void	prune_timer(void *, u_int64_t);
static void	prune_cb(struct kore_pgsql *, void *);

static struct kore_pgsql	prune_sql;
static int			prune_busy;

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
	if (prune_busy)
		return;
	prune_busy = 1;
	kore_pgsql_init(&prune_sql);
	kore_pgsql_bind_callback(&prune_sql, prune_cb, NULL);
	prune_cb(&prune_sql, NULL);
}

static void
prune_cb(struct kore_pgsql *sql, void *arg)
{
	switch (sql->state) {
	case KORE_PGSQL_STATE_INIT:
		if (!kore_pgsql_setup(sql, APP_DB_NAME, KORE_PGSQL_ASYNC)) {
			if (sql->state == KORE_PGSQL_STATE_INIT)
				return;		/* queued; called again */
			kore_pgsql_logerror(sql);
			break;
		}
		if (!kore_pgsql_query(sql, SQL_PRUNE)) {
			kore_pgsql_logerror(sql);
			break;
		}
		return;
	case KORE_PGSQL_STATE_RESULT:
		if (kore_pgsql_ntuples(sql) == 1 &&
		    (strcmp(kore_pgsql_getvalue(sql, 0, 0), "0") != 0 ||
		    strcmp(kore_pgsql_getvalue(sql, 0, 1), "0") != 0))
			kore_log(LOG_INFO, "prune: %s rate-limit rows, %s sessions",
			    kore_pgsql_getvalue(sql, 0, 0),
			    kore_pgsql_getvalue(sql, 0, 1));
		kore_pgsql_continue(sql);
		return;
	case KORE_PGSQL_STATE_ERROR:
		kore_pgsql_logerror(sql);
		if (sql->conn == NULL || PQstatus(sql->conn->db) == CONNECTION_BAD)
			break;
		kore_pgsql_continue(sql);
		return;
	case KORE_PGSQL_STATE_COMPLETE:
		break;
	default:
		kore_pgsql_continue(sql);
		return;
	}
	web_pgsql_drop_broken(sql);
	kore_pgsql_cleanup(sql);
	prune_busy = 0;
}
