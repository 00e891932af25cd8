/*
 * lane: blocking work off the event loop, on threads of its own kind.
 *
 * Kore's tasks share one small pool of threads handed out in turn, so a
 * login's password hash could wait behind a submission's fsync'd files
 * (and later a slow mail server).  Each lane here has threads of its own:
 * LANE_HASH for argon2id, LANE_DISK for uploads.  A finished job wakes
 * its request through one socket pair per worker that Kore's event loop
 * watches, the way Kore's own tasks do.
 *
 * A request whose client goes away while its job runs must not be freed
 * under the thread.  Kore frees it at once (it waits only for its own
 * tasks), so the request's owner hands what the job uses over to the job
 * (lane_job_orphan) and the lane frees it, on the event loop, once the
 * thread is done with it.
 *
 * Threads only run fn(arg) and queue the job as done; everything else —
 * waking requests, freeing orphans — happens on the worker's own thread.
 */
#include <sys/queue.h>
#include <sys/socket.h>

#include <fcntl.h>
#include <pthread.h>

#include "app.h"

#define LANE_THREADS	2	/* per lane and worker */

struct lane_job {
	TAILQ_ENTRY(lane_job)	 list;
	int			(*fn)(void *);
	void			*arg;
	int			 result;
	int			 done;		/* event loop only */
	struct http_request	*req;		/* NULL once orphaned */
	void			(*release)(void *);
};

TAILQ_HEAD(lane_queue, lane_job);

struct lane {
	const char		*name;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	struct lane_queue	 todo;
	int			 threads;
};

/* The socket pair a finished job is announced on, as a Kore event. */
struct lane_notify {
	struct kore_event	 evt;
	int			 fds[2];
};

static void	*lane_thread(void *);
static void	 lane_notified(void *, int);
static void	 lane_finish(struct lane_job *);

static struct lane	 lanes[LANE_COUNT] = {
	[LANE_HASH] = { .name = "lane-hash" },
	[LANE_DISK] = { .name = "lane-disk" },
	[LANE_LOOKUP] = { .name = "lane-lookup" },
};
static pthread_mutex_t	 done_lock = PTHREAD_MUTEX_INITIALIZER;
static struct lane_queue done = TAILQ_HEAD_INITIALIZER(done);
static struct lane_notify notify = { .fds = { -1, -1 } };

/* In each worker, before any request. */
void
lane_init(void)
{
	int	i, fl;

	for (i = 0; i < LANE_COUNT; i++) {
		pthread_mutex_init(&lanes[i].lock, NULL);
		pthread_cond_init(&lanes[i].cond, NULL);
		TAILQ_INIT(&lanes[i].todo);
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, notify.fds) == -1)
		fatal("lane: socketpair: %s", errno_s);
	for (i = 0; i < 2; i++) {
		if ((fl = fcntl(notify.fds[i], F_GETFL)) == -1 ||
		    fcntl(notify.fds[i], F_SETFL, fl | O_NONBLOCK) == -1)
			fatal("lane: fcntl: %s", errno_s);
	}
	notify.evt.type = KORE_TYPE_TASK;
	notify.evt.handle = lane_notified;
	kore_platform_schedule_read(notify.fds[0], &notify);
}

/*
 * Run fn(arg) on a thread of the lane; the request sleeps until it is
 * done.  Threads start on first use.
 */
struct lane_job *
lane_run(int lane, struct http_request *req, int (*fn)(void *), void *arg)
{
	struct lane	*l = &lanes[lane];
	struct lane_job	*job;
	pthread_t	 tid;

	if ((job = calloc(1, sizeof(*job))) == NULL)
		fatal("lane: out of memory");
	job->fn = fn;
	job->arg = arg;
	job->req = req;

	pthread_mutex_lock(&l->lock);
	while (l->threads < LANE_THREADS) {
		if (pthread_create(&tid, NULL, lane_thread, l) != 0) {
			if (l->threads == 0)
				fatal("lane %s: cannot start a thread", l->name);
			break;
		}
		(void)pthread_detach(tid);
		(void)pthread_setname_np(tid, l->name);
		l->threads++;
	}
	TAILQ_INSERT_TAIL(&l->todo, job, list);
	pthread_cond_signal(&l->cond);
	pthread_mutex_unlock(&l->lock);

	http_request_sleep(req);
	return (job);
}

int
lane_job_done(const struct lane_job *job)
{
	return (job->done);
}

int
lane_job_result(const struct lane_job *job)
{
	return (job->result);
}

/* A finished job, once its request has read the result. */
void
lane_job_free(struct lane_job *job)
{
	free(job);
}

/*
 * The request is going away while the job still runs: release(arg) frees
 * what the job works on once it has finished.
 */
void
lane_job_orphan(struct lane_job *job, void (*release)(void *))
{
	job->req = NULL;
	job->release = release;
}

static void *
lane_thread(void *arg)
{
	struct lane	*l = arg;
	struct lane_job	*job;
	char		 b = 1;

	for (;;) {
		pthread_mutex_lock(&l->lock);
		while ((job = TAILQ_FIRST(&l->todo)) == NULL)
			pthread_cond_wait(&l->cond, &l->lock);
		TAILQ_REMOVE(&l->todo, job, list);
		pthread_mutex_unlock(&l->lock);

		job->result = job->fn(job->arg);

		pthread_mutex_lock(&done_lock);
		TAILQ_INSERT_TAIL(&done, job, list);
		pthread_mutex_unlock(&done_lock);
		/* A full socket already holds a wake-up: nothing is lost. */
		(void)write(notify.fds[1], &b, 1);
	}
	return (NULL);
}

/* On the event loop: the socket pair said some jobs are done. */
static void
lane_notified(void *arg, int error)
{
	struct lane_queue	 ready;
	struct lane_job		*job;
	char			 buf[64];

	if (error)
		fatal("lane: the notification socket failed");
	/* Edge-triggered: read it empty, then take every finished job. */
	while (read(notify.fds[0], buf, sizeof(buf)) > 0)
		;
	TAILQ_INIT(&ready);
	pthread_mutex_lock(&done_lock);
	TAILQ_CONCAT(&ready, &done, list);
	pthread_mutex_unlock(&done_lock);
	while ((job = TAILQ_FIRST(&ready)) != NULL) {
		TAILQ_REMOVE(&ready, job, list);
		lane_finish(job);
	}
}

static void
lane_finish(struct lane_job *job)
{
	job->done = 1;
	if (job->req != NULL) {
		http_request_wakeup(job->req);
		return;
	}
	if (job->release != NULL)
		job->release(job->arg);
	free(job);
}
