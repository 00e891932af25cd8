/*
 * live: PostgreSQL notifications (LISTEN/NOTIFY) delivered on each
 * worker's event loop.
 *
 * Pages that change while they are open (the operators' inbox, the live
 * chat) learn of each change through NOTIFY, so every worker of every
 * machine hears the same news and no worker's memory is the truth.  A
 * module names at start-up the channels it wants (live_listen()); one
 * thread per worker holds a connection that LISTENs to all of them, queues
 * each notification and wakes the event loop through an eventfd, where
 * the module's callback runs with the payload.
 *
 * Why a thread and not Kore's async pgsql: Kore reads a connection only
 * while a query of its own runs on it, so an idle LISTEN connection would
 * never be read.  The thread's blocking libpq loop is the plain way.
 *
 * When the connection breaks and comes back, or the queue overflowed,
 * every callback is called with NULL: what was sent meanwhile is lost, and
 * the module reloads what it shows from the database.
 */
#include <sys/eventfd.h>

#include <pthread.h>

#include "app.h"

#define LIVE_CHANNELS_MAX	8
#define LIVE_QUEUE_MAX		10000	/* notifications not yet delivered */
#define LIVE_IDLE_CHECK_MS	30000	/* a quiet connection is checked */
#define LIVE_EVENT_TYPE		100	/* ours, beside Kore's KORE_TYPE_* */

struct live_note {
	TAILQ_ENTRY(live_note)	 list;
	int			 channel;	/* -1: resync every channel */
	char			*payload;
};

struct live_channel {
	char	 name[64];
	void	(*fn)(const char *);
};

static void	*live_thread(void *);
static PGconn	*live_connect(void);
static void	 live_push(int, const char *);
static void	 live_wake(void *, int);

static struct live_channel	 live_channels[LIVE_CHANNELS_MAX];
static int			 live_nchannels;
static int			 live_efd = -1;
static struct kore_event	 live_evt = { LIVE_EVENT_TYPE, 0, live_wake };

/* Shared by the thread and the event loop, under live_lock. */
static pthread_mutex_t		 live_lock = PTHREAD_MUTEX_INITIALIZER;
static TAILQ_HEAD(, live_note)	 live_queue = TAILQ_HEAD_INITIALIZER(live_queue);
static int			 live_queued;
static int			 live_overflow;

/*
 * At start-up, before live_start(): call fn on the event loop with each
 * payload NOTIFY sends on channel (a lower-case identifier of ours), and
 * with NULL when notifications may have been lost.
 */
void
live_listen(const char *channel, void (*fn)(const char *))
{
	if (live_nchannels == LIVE_CHANNELS_MAX)
		fatal("live: more than %d channels", LIVE_CHANNELS_MAX);
	if (strlen(channel) >= sizeof(live_channels[0].name) ||
	    strspn(channel, "abcdefghijklmnopqrstuvwxyz_") != strlen(channel))
		fatal("live: bad channel name %s", channel);
	kore_strlcpy(live_channels[live_nchannels].name, channel,
	    sizeof(live_channels[0].name));
	live_channels[live_nchannels].fn = fn;
	live_nchannels++;
}

/* In each worker, once every module has said what it listens to. */
void
live_start(void)
{
	if (live_nchannels == 0)
		return;
	if ((live_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1)
		fatal("live: eventfd: %s", errno_s);
	kore_platform_schedule_read(live_efd, &live_evt);
	app_thread_start("live", live_thread, NULL);
}

static void *
live_thread(void *arg)
{
	PGconn		*db;
	PGnotify	*n;
	PGresult	*res;
	int		 i, r, first = 1;

	for (;;) {
		if ((db = live_connect()) == NULL) {
			if (app_thread_poll(-1, 1000) == -1)
				return (NULL);
			continue;
		}
		/* Whatever was sent while we were away is not coming. */
		if (!first)
			live_push(-1, NULL);
		first = 0;

		for (;;) {
			r = app_thread_poll(PQsocket(db), LIVE_IDLE_CHECK_MS);
			if (r == -1) {
				PQfinish(db);
				return (NULL);
			}
			if (r == 0) {
				res = PQexec(db, "SELECT 1");
				r = PQresultStatus(res) == PGRES_TUPLES_OK;
				PQclear(res);
				if (!r)
					break;
			}
			if (!PQconsumeInput(db))
				break;
			while ((n = PQnotifies(db)) != NULL) {
				for (i = 0; i < live_nchannels; i++)
					if (strcmp(n->relname,
					    live_channels[i].name) == 0)
						live_push(i, n->extra);
				PQfreemem(n);
			}
		}
		kore_log(LOG_WARNING, "live: lost the database: %s",
		    PQerrorMessage(db));
		PQfinish(db);
		if (app_thread_poll(-1, 1000) == -1)
			return (NULL);
	}
	return (NULL);
}

static PGconn *
live_connect(void)
{
	PGconn		*db;
	PGresult	*res;
	char		 sql[80];
	int		 i;

	db = PQconnectdb(app.db);
	if (PQstatus(db) != CONNECTION_OK) {
		PQfinish(db);
		return (NULL);
	}
	for (i = 0; i < live_nchannels; i++) {
		/* The names were checked by live_listen(): no quoting needed. */
		(void)snprintf(sql, sizeof(sql), "LISTEN %s",
		    live_channels[i].name);
		res = PQexec(db, sql);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			kore_log(LOG_WARNING, "live: %s: %s", sql,
			    PQerrorMessage(db));
			PQclear(res);
			PQfinish(db);
			return (NULL);
		}
		PQclear(res);
	}
	return (db);
}

/* On the thread: queue a notification (libc memory) and wake the loop. */
static void
live_push(int channel, const char *payload)
{
	struct live_note	*note = NULL;
	uint64_t		 one = 1;

	pthread_mutex_lock(&live_lock);
	if (channel >= 0 && live_queued >= LIVE_QUEUE_MAX) {
		live_overflow = 1;
	} else if ((note = calloc(1, sizeof(*note))) != NULL) {
		note->channel = channel;
		if (payload != NULL && (note->payload = strdup(payload)) == NULL) {
			free(note);
			note = NULL;
			live_overflow = 1;
		} else {
			TAILQ_INSERT_TAIL(&live_queue, note, list);
			live_queued++;
		}
	} else {
		live_overflow = 1;
	}
	pthread_mutex_unlock(&live_lock);
	(void)write(live_efd, &one, sizeof(one));
}

/* On the event loop: hand every queued notification to its module. */
static void
live_wake(void *arg, int error)
{
	TAILQ_HEAD(, live_note)	 batch;
	struct live_note	*note;
	uint64_t		 count;
	int			 i, overflow;

	while (read(live_efd, &count, sizeof(count)) == sizeof(count))
		;
	TAILQ_INIT(&batch);
	pthread_mutex_lock(&live_lock);
	TAILQ_CONCAT(&batch, &live_queue, list);
	live_queued = 0;
	overflow = live_overflow;
	live_overflow = 0;
	pthread_mutex_unlock(&live_lock);

	while ((note = TAILQ_FIRST(&batch)) != NULL) {
		TAILQ_REMOVE(&batch, note, list);
		if (note->channel < 0) {
			for (i = 0; i < live_nchannels; i++)
				live_channels[i].fn(NULL);
		} else {
			live_channels[note->channel].fn(note->payload);
		}
		free(note->payload);
		free(note);
	}
	if (overflow)
		for (i = 0; i < live_nchannels; i++)
			live_channels[i].fn(NULL);
}
