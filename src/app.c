/*
 * app: start-up of each worker: settings from the environment, the
 * database, templates, the reference-data cache and the seccomp rules for
 * what our code does beyond Kore's own needs.
 */
#include <kore/kore.h>
#include <kore/hooks.h>
#include <kore/seccomp.h>

#include <sys/eventfd.h>

#include <ctype.h>
#include <poll.h>
#include <pthread.h>

#include <sodium.h>

#include "app.h"
#include "open311.h"
#include "date.h"
#include "outbox.h"
#include "refdata.h"

struct app_settings	app;

static const char	*env_or(const char *, const char *);
static int		 env_int(const char *, int);
static const char	*csp_build(const char *);
static const char	*db_conninfo(const char *, const char *);

/*
 * Beyond Kore's own list: uploads and recordings (files written, renamed,
 * made durable), the lock on the hotline's file of ended sessions, the
 * lanes' threads (lane.c) that hash passwords and write uploads, and the
 * threads that send (outbox.c) and listen (live.c) with an eventfd.
 */
static struct sock_filter filter_app[] = {
	KORE_SYSCALL_ALLOW(clone),
	KORE_SYSCALL_ALLOW(clone3),
	KORE_SYSCALL_ALLOW(rseq),
	KORE_SYSCALL_ALLOW(set_robust_list),
	KORE_SYSCALL_ALLOW(sched_yield),
	KORE_SYSCALL_ALLOW(sched_getaffinity),
	KORE_SYSCALL_ALLOW(gettid),
	KORE_SYSCALL_ALLOW(prlimit64),
	KORE_SYSCALL_ALLOW(mkdir),
	KORE_SYSCALL_ALLOW(mkdirat),
	KORE_SYSCALL_ALLOW(rename),
	KORE_SYSCALL_ALLOW(renameat),
	KORE_SYSCALL_ALLOW(renameat2),
	KORE_SYSCALL_ALLOW(fsync),
	KORE_SYSCALL_ALLOW(fdatasync),
	KORE_SYSCALL_ALLOW(newfstatat),
	KORE_SYSCALL_ALLOW(statx),
	KORE_SYSCALL_ALLOW(getdents64),
	KORE_SYSCALL_ALLOW(uname),
	KORE_SYSCALL_ALLOW(pread64),
	KORE_SYSCALL_ALLOW(ioctl),
	KORE_SYSCALL_ALLOW(getpeername),
	KORE_SYSCALL_ALLOW(fchmod),
	KORE_SYSCALL_ALLOW(flock),
	KORE_SYSCALL_ALLOW(sysinfo),
	KORE_SYSCALL_ALLOW(eventfd2),
	/* glibc's resolver asks A and AAAA at once (libcurl's resolver thread). */
	KORE_SYSCALL_ALLOW(sendmmsg),
};

void
kore_seccomp_hook(void)
{
	kore_seccomp_filter("app", filter_app, KORE_FILTER_LEN(filter_app));
}

/*
 * Kore logs to stdout in the foreground; scripts/up sends that to a file,
 * where full buffering would hold back (or, at a crash, lose) the lines
 * that say why a worker died.
 */
void
kore_parent_configure(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/*
 * Our threads in this worker (the outbox's sender, live's listener):
 * Kore unloads our code when the worker exits, so they are stopped first,
 * or one waking up then would run code that is gone.  They wait through
 * app_thread_poll(), which the stop wakes, and libcurl transfers end
 * through httpc_stop; a thread that still has not ended after
 * APP_THREAD_STOP_MS takes the worker down with it at once.
 */
#define APP_THREADS_MAX		8
#define APP_THREAD_STOP_MS	5000
static pthread_t	app_threads[APP_THREADS_MAX];
static const char	*app_thread_names[APP_THREADS_MAX];
static int		app_nthreads;
static int		app_stop_fd = -1;

void
app_thread_start(const char *name, void *(*fn)(void *), void *arg)
{
	if (app_stop_fd == -1 &&
	    (app_stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1)
		fatal("eventfd: %s", errno_s);
	if (app_nthreads == APP_THREADS_MAX)
		fatal("more than %d threads of ours", APP_THREADS_MAX);
	if (pthread_create(&app_threads[app_nthreads], NULL, fn, arg) != 0)
		fatal("cannot start the thread %s", name);
	(void)pthread_setname_np(app_threads[app_nthreads], name);
	app_thread_names[app_nthreads] = name;
	app_nthreads++;
}

/*
 * On one of our threads: wait up to ms (-1: for ever) until fd (-1: none)
 * is readable.  1 readable, 0 timed out, -1 the worker is stopping (the
 * thread returns).
 */
int
app_thread_poll(int fd, int ms)
{
	struct pollfd	pfd[2];
	int		r;

	pfd[0].fd = app_stop_fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = fd;
	pfd[1].events = POLLIN;
	r = poll(pfd, fd >= 0 ? 2 : 1, ms);
	if (r < 0 && errno != EINTR)
		return (-1);
	if (httpc_stop || (r > 0 && pfd[0].revents != 0))
		return (-1);
	return (r > 0 && pfd[1].revents != 0);
}

void
kore_worker_teardown(void)
{
	struct timespec	 ts;
	uint64_t	 one = 1;
	int		 i;

	if (app_nthreads == 0)
		return;
	httpc_stop = 1;
	(void)write(app_stop_fd, &one, sizeof(one));
	(void)clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += APP_THREAD_STOP_MS / 1000;
	for (i = 0; i < app_nthreads; i++) {
		if (pthread_timedjoin_np(app_threads[i], NULL, &ts) != 0) {
			kore_log(LOG_WARNING, "thread %s did not stop: the "
			    "worker exits now", app_thread_names[i]);
			_exit(0);
		}
	}
	app_nthreads = 0;
}

void
kore_worker_configure(void)
{
	const char	*tz;
	char		 path[PATH_MAX];

	setvbuf(stdout, NULL, _IOLBF, 0);

	if (sodium_init() < 0)
		fatal("libsodium failed to start");

	app.root = env_or("APP_ROOT", ".");
	app.var_dir = env_or("VAR_DIR", "var");
	app.public_url = env_or("PUBLIC_URL", "http://127.0.0.1:8888");
	app.db = env_or("APP_DB", "host=127.0.0.1 port=15432 dbname=tongdai user=app");
	/* Before the first connection: libpq sends it as the session's. */
	tz = env_or("APP_TIME_ZONE", DATE_ZONE_DEFAULT);
	if (date_set_zone(tz) != 0)
		fatal("APP_TIME_ZONE: '%s' is no time zone of /usr/share/zoneinfo",
		    tz);
	app.rate_submit = env_int("APP_RATE_SUBMIT", 10);
	app.rate_login = env_int("APP_RATE_LOGIN", 10);
	app.rate_login_ip = env_int("APP_RATE_LOGIN_IP", 50);
	app.prune_seconds = env_int("APP_PRUNE_SECONDS", 600);
	if (app.prune_seconds < 1)
		fatal("APP_PRUNE_SECONDS: at least 1");
	app.notice_seconds = env_int("APP_NOTICE_SECONDS", 300);
	if (app.notice_seconds < 1)
		fatal("APP_NOTICE_SECONDS: at least 1");
	app.cookie_secure = strncmp(app.public_url, "https:", 6) == 0;
	app.trusted_proxies = env_or("APP_TRUSTED_PROXIES", "");
	app.janus_host = env_or("JANUS_HOST", "127.0.0.1");
	app.janus_port = env_int("JANUS_WS_PORT", 8188);
	(void)snprintf(path, sizeof(path), "ws://127.0.0.1:%d", app.janus_port);
	app.janus_public_url = kore_strdup(env_or("JANUS_PUBLIC_URL", path));
	app.csp = csp_build(app.janus_public_url);

	app.db = db_conninfo(app.db, app.public_url);
	if (!kore_pgsql_register(APP_DB_NAME, app.db))
		fatal("cannot register the database");

	(void)snprintf(path, sizeof(path), "%s/templates", app.root);
	if (tmpl_load_dir(path) == -1)
		fatal("templates in %s do not compile", path);

	lane_init();
	auth_init();
	calls_init();
	refdata_init();
	open311_init();
	health_init();
	prune_init();
	notice_init();
	outbox_init();
	inbox_live_init();
	social_hook_init();
	chat_init();
	mail_fetch_init();
	catalog_sync_init();
	/* Last: the modules above have said what they listen to. */
	live_start();
}

/*
 * Pages may load only our own files; the one other place scripts talk to
 * is Janus's WebSocket (the softphone, the live page).  Its origin comes
 * from JANUS_PUBLIC_URL; anything odd in it is left out, not pasted into a
 * header.
 */
static const char *
csp_build(const char *janus)
{
	char		 origin[256], csp[512];
	const char	*p, *host;
	size_t		 len;

	origin[0] = '\0';
	if (strncmp(janus, "ws://", 5) == 0 || strncmp(janus, "wss://", 6) == 0 ||
	    strncmp(janus, "http://", 7) == 0 ||
	    strncmp(janus, "https://", 8) == 0) {
		host = strstr(janus, "://") + 3;
		len = strcspn(host, "/?#");
		for (p = host; p < host + len; p++)
			if (!isalnum((unsigned char)*p) && strchr(".-:[]", *p) == NULL)
				break;
		if (p == host + len && len > 0 &&
		    (size_t)(host - janus) + len < sizeof(origin))
			(void)snprintf(origin, sizeof(origin), " %.*s",
			    (int)((host - janus) + len), janus);
		else
			kore_log(LOG_WARNING, "JANUS_PUBLIC_URL %s: not a plain "
			    "origin; the softphone may be blocked", janus);
	}
	(void)snprintf(csp, sizeof(csp), "default-src 'self'; img-src 'self' "
	    "data:; style-src 'self'; script-src 'self'; connect-src 'self'%s; "
	    "media-src 'self' blob:; frame-ancestors 'none'", origin);
	return (kore_strdup(csp));
}

static const char *
env_or(const char *name, const char *def)
{
	const char	*v;

	v = getenv(name);
	return (v != NULL && v[0] != '\0' ? v : def);
}

static int
env_int(const char *name, int def)
{
	const char	*v;
	int		 err, n;

	if ((v = getenv(name)) == NULL || v[0] == '\0')
		return (def);
	n = kore_strtonum(v, 10, 0, INT_MAX, &err);
	if (err != KORE_RESULT_OK)
		fatal("%s: not a number: %s", name, v);
	return (n);
}

/*
 * The notices the database writes (migrations/0055_notices.sql) link to
 * the public address: every connection carries it as the session setting
 * tongdai.public_url.  Only plain URL characters go into the connection
 * string, so nothing in it needs quoting.
 */
static const char *
db_conninfo(const char *db, const char *public_url)
{
	char	*out;
	size_t	 len;

	len = strlen(public_url);
	if (len == 0 || len > 200 || strspn(public_url, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789:/.-_~%[]") != len)
		fatal("PUBLIC_URL: '%s' is not a plain URL", public_url);
	len = strlen(db) + strlen(public_url) + 64;
	out = kore_malloc(len);
	(void)snprintf(out, len, "%s options='-c tongdai.public_url=%s'", db,
	    public_url);
	return (out);
}
