/*
 * app: start-up of each worker: settings from the environment, the
 * database, templates, the reference-data cache and the seccomp rules for
 * what our code does beyond Kore's own needs.
 */
#include <kore/kore.h>
#include <kore/hooks.h>
#include <kore/seccomp.h>

#include <ctype.h>

#include <sodium.h>

#include "app.h"
#include "date.h"
#include "outbox.h"
#include "refdata.h"

struct app_settings	app;

static const char	*env_or(const char *, const char *);
static int		 env_int(const char *, int);
static const char	*csp_build(const char *);

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
	app.cookie_secure = strncmp(app.public_url, "https:", 6) == 0;
	app.trusted_proxies = env_or("APP_TRUSTED_PROXIES", "");
	app.janus_host = env_or("JANUS_HOST", "127.0.0.1");
	app.janus_port = env_int("JANUS_WS_PORT", 8188);
	(void)snprintf(path, sizeof(path), "ws://127.0.0.1:%d", app.janus_port);
	app.janus_public_url = kore_strdup(env_or("JANUS_PUBLIC_URL", path));
	app.csp = csp_build(app.janus_public_url);

	if (!kore_pgsql_register(APP_DB_NAME, app.db))
		fatal("cannot register the database");

	(void)snprintf(path, sizeof(path), "%s/templates", app.root);
	if (tmpl_load_dir(path) == -1)
		fatal("templates in %s do not compile", path);

	lane_init();
	auth_init();
	calls_init();
	refdata_init();
	health_init();
	prune_init();
	outbox_init();
	mail_fetch_init();
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
