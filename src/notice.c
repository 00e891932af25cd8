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

static void	notice_timer(void *, u_int64_t);
static void	notice_row(struct kore_pgsql *, int, void *);

static struct dbjob	notice_job;

static const char	SQL_REMINDERS[] = "SELECT notice_reminders()";

void
notice_init(void)
{
	if (worker == NULL || worker->id != 1)
		return;
	kore_timer_add(notice_timer, (u_int64_t)app.notice_seconds * 1000,
	    NULL, 0);
}

static void
notice_timer(void *arg, u_int64_t now)
{
	/* One still running (a slow database) is enough. */
	(void)dbjob_start(&notice_job, SQL_REMINDERS, notice_row, NULL, NULL);
}

static void
notice_row(struct kore_pgsql *sql, int i, void *arg)
{
	if (strcmp(kore_pgsql_getvalue(sql, i, 0), "0") != 0)
		kore_log(LOG_INFO, "notice: %s reminders queued",
		    kore_pgsql_getvalue(sql, i, 0));
}
