/*
 * dbjob: one query outside any request — a timer's, a reload's — as
 * asynchronous as every other: the rows go to a callback as they arrive,
 * and one last call says whether it all came back.  A connection lost on
 * the way ends the job as failed; the owner decides whether to try again.
 */
#include "app.h"

static void	dbjob_cb(struct kore_pgsql *, void *);
static void	dbjob_finish(struct dbjob *);
static void	dbjob_tick(void *, u_int64_t);

/* -1 if the job is still running its previous query. */
int
dbjob_start(struct dbjob *job, const char *query,
    void (*row)(struct kore_pgsql *, int, void *),
    void (*done)(int, void *), void *arg)
{
	return (dbjob_start_params(job, query, 0, NULL, row, done, arg));
}

/*
 * The same with parameters; params and what they point to stay the
 * caller's, untouched until done() is called.
 */
int
dbjob_start_params(struct dbjob *job, const char *query, int nparams,
    const char **params, void (*row)(struct kore_pgsql *, int, void *),
    void (*done)(int, void *), void *arg)
{
	if (job->busy)
		return (-1);
	job->busy = 1;
	job->nparams = nparams;
	job->params = params;
	job->ok = 1;
	job->query = query;
	job->row = row;
	job->done = done;
	job->arg = arg;
	kore_pgsql_init(&job->sql);
	kore_pgsql_bind_callback(&job->sql, dbjob_cb, job);
	dbjob_cb(&job->sql, job);
	return (0);
}

/*
 * A statement that keeps the database tidy or on time (prune.c,
 * notice.c): on worker 1 of each machine, every `seconds`, its rows to
 * row().  A run still going when the next is due is enough: that one is
 * skipped.
 */
void
dbjob_every(struct dbjob *job, const char *query, int seconds,
    void (*row)(struct kore_pgsql *, int, void *))
{
	if (worker == NULL || worker->id != 1)
		return;
	job->query = query;
	job->row = row;
	kore_timer_add(dbjob_tick, (u_int64_t)seconds * 1000, job, 0);
}

static void
dbjob_tick(void *arg, u_int64_t now)
{
	struct dbjob	*job = arg;

	(void)dbjob_start(job, job->query, job->row, NULL, NULL);
}

static void
dbjob_cb(struct kore_pgsql *sql, void *arg)
{
	struct dbjob	*job = arg;
	int		 i;

	switch (sql->state) {
	case KORE_PGSQL_STATE_INIT:
		if (!kore_pgsql_setup(sql, APP_DB_NAME, KORE_PGSQL_ASYNC)) {
			if (sql->state == KORE_PGSQL_STATE_INIT)
				return;		/* queued; called again */
			kore_pgsql_logerror(sql);
			job->ok = 0;
			break;
		}
		if (!(job->nparams > 0 ?
		    kore_pgsql_query_param_fields(sql, job->query, 0,
		    job->nparams, job->params, NULL, NULL) :
		    kore_pgsql_query(sql, job->query))) {
			kore_pgsql_logerror(sql);
			job->ok = 0;
			break;
		}
		return;
	case KORE_PGSQL_STATE_WAIT:
		return;
	case KORE_PGSQL_STATE_RESULT:
		for (i = 0; job->row != NULL && i < kore_pgsql_ntuples(sql); i++)
			job->row(sql, i, job->arg);
		kore_pgsql_continue(sql);
		return;
	case KORE_PGSQL_STATE_ERROR:
		kore_pgsql_logerror(sql);
		job->ok = 0;
		/* A dead connection has nothing more to say: finish now. */
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
	dbjob_finish(job);
}

static void
dbjob_finish(struct dbjob *job)
{
	web_pgsql_drop_broken(&job->sql);
	kore_pgsql_cleanup(&job->sql);
	job->busy = 0;
	if (job->done != NULL)
		job->done(job->ok, job->arg);
}
