/*
 * timers.c: the plugin's clock.  Every deadline of a call or an agent
 * (ring, queue, transfer and voicemail timeouts, the end of wrap-up, a
 * phone's registration) is one glib timeout source on the timer
 * thread's own main context, set when the deadline is and cancelled when
 * it no longer matters, so nothing scans every call on a tick.  The
 * files Kore writes for us (calendar, agencies' numbers, ended sessions)
 * are looked at four times a second (watch.c says when one is read).
 *
 * A timer's function runs on the timer thread with hl.lock held, and not
 * at all once cancelled: both happen under hl.lock, and the timer checks
 * that it was not destroyed while it waited for the lock.
 */
#include "hotline.h"
#include "tick.h"

#define TIMER_WATCH_MS	250

typedef struct timer {
	GSource		**slot;		/* where the owner keeps it */
	hl_timer_fn	 fn;
	gpointer	 obj;
	GDestroyNotify	 release;	/* of obj, once the timer is gone */
} timer;

static GMainContext	*timer_ctx;
static GMainLoop	*timer_loop;
static GThread		*timer_thread;
static GSource		*timer_watcher;

static gpointer		 timer_run(gpointer);
static gboolean		 timer_fire(gpointer);
static void		 timer_free(gpointer);
static gboolean		 timer_watch(gpointer);

int
hl_timer_start(void)
{
	GError	*err = NULL;

	/* The context outlives the thread: a call ended while the plugin
	 * shuts down still cancels its timers there. */
	if (timer_ctx == NULL)
		timer_ctx = g_main_context_new();
	timer_loop = g_main_loop_new(timer_ctx, FALSE);
	timer_watcher = g_timeout_source_new(TIMER_WATCH_MS);
	g_source_set_callback(timer_watcher, timer_watch, NULL, NULL);
	g_source_attach(timer_watcher, timer_ctx);
	timer_thread = g_thread_try_new("hotline timer", timer_run, NULL,
	    &err);
	if (timer_thread == NULL) {
		JANUS_LOG(LOG_FATAL, "hotline: timer thread: %s\n",
		    err->message);
		g_error_free(err);
		return (-1);
	}
	return (0);
}

void
hl_timer_stop(void)
{
	if (timer_thread == NULL)
		return;
	g_main_loop_quit(timer_loop);
	g_thread_join(timer_thread);
	timer_thread = NULL;
	g_main_loop_unref(timer_loop);
	timer_loop = NULL;
	hl_timer_cancel(&timer_watcher);
}

/*
 * At monotonic time at (microseconds; now if past), fn(obj) with hl.lock
 * held.  *slot keeps the timer, one per slot: setting it again replaces
 * the one before.  release (NULL: none) lets go of obj once the timer has
 * fired or been cancelled; the caller took that reference.  hl.lock held.
 */
void
hl_timer_set(GSource **slot, gint64 at, hl_timer_fn fn, gpointer obj,
    GDestroyNotify release)
{
	GSource	*src;
	timer	*t;
	guint	 ms;

	hl_timer_cancel(slot);
	if (timer_ctx == NULL) {
		/* No clock (the fuzz harness): nothing ever fires. */
		if (release != NULL)
			release(obj);
		return;
	}
	ms = (guint)hl_tick_timeout_ms(at, janus_get_monotonic_time(), G_MAXINT);
	t = g_malloc0(sizeof(*t));
	t->slot = slot;
	t->fn = fn;
	t->obj = obj;
	t->release = release;
	src = g_timeout_source_new(ms);
	g_source_set_callback(src, timer_fire, t, timer_free);
	*slot = src;		/* our reference, until it fires */
	g_source_attach(src, timer_ctx);
}

/* The timer in *slot, if any, will not fire.  hl.lock held. */
void
hl_timer_cancel(GSource **slot)
{
	GSource	*src = *slot;

	if (src == NULL)
		return;
	*slot = NULL;
	g_source_destroy(src);
	g_source_unref(src);
}

/* Static functions. */

static gpointer
timer_run(gpointer data)
{
	g_main_context_push_thread_default(timer_ctx);
	g_main_loop_run(timer_loop);
	g_main_context_pop_thread_default(timer_ctx);
	return (data);
}

static gboolean
timer_fire(gpointer data)
{
	timer	*t = data;
	GSource	*src = g_main_current_source();

	janus_mutex_lock(&hl.lock);
	if (!g_source_is_destroyed(src)) {
		*t->slot = NULL;
		g_source_unref(src);
		t->fn(t->obj);
	}
	janus_mutex_unlock(&hl.lock);
	return (G_SOURCE_REMOVE);
}

static void
timer_free(gpointer data)
{
	timer	*t = data;

	if (t->release != NULL)
		t->release(t->obj);
	g_free(t);
}

static gboolean
timer_watch(gpointer data)
{
	janus_mutex_lock(&hl.lock);
	hl_calendar_watch(hl.cfg.calendar_file);
	hl_transfers_watch(hl.cfg.transfer_file);
	hl_sessions_watch();
	janus_mutex_unlock(&hl.lock);
	return (G_SOURCE_CONTINUE);
}
