/*
 * notice: reminders to an agency before a ticket it holds falls due.
 * The notices themselves are written once, in the database
 * (migrations/0055_notices.sql): a forward or an answer queues its own
 * as it is stored.  A reminder has no event to hang on, only time, so
 * worker 1 of each machine asks notice_reminders() every
 * APP_NOTICE_SECONDS; the function queues each reminder once however
 * many machines ask, or how often.
 */
#include "app.h"

static void	notice_row(struct kore_pgsql *, int, void *);

static struct dbjob	notice_job;

static const char	SQL_REMINDERS[] = "SELECT notice_reminders()";

void
notice_init(void)
{
	dbjob_every(&notice_job, SQL_REMINDERS, app.notice_seconds,
	    notice_row);
}

static void
notice_row(struct kore_pgsql *sql, int i, void *arg)
{
	if (strcmp(kore_pgsql_getvalue(sql, i, 0), "0") != 0)
		kore_log(LOG_INFO, "notice: %s reminders queued",
		    kore_pgsql_getvalue(sql, i, 0));
}
