/*
 * health: is Janus up?  Probed by a timer with a non-blocking connect so
 * GET /healthz answers at once and never waits on Janus.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <fcntl.h>

#include "app.h"
#include "refdata.h"

static void	health_probe(void *, u_int64_t);

static int	probe_fd = -1;
static int	janus_up;

void
health_init(void)
{
	kore_timer_add(health_probe, 2000, NULL, 0);
	kore_timer_add(health_probe, 1, NULL, 1);
}

/*
 * Each tick reads the outcome of the previous tick's connect and starts a
 * new one: the answer is at most one period old.
 */
static void
health_probe(void *arg, u_int64_t now)
{
	struct sockaddr_in	sin;
	socklen_t		len;
	int			err;

	if (probe_fd != -1) {
		err = -1;
		len = sizeof(err);
		if (getsockopt(probe_fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
			err = -1;
		/* Connected if no error and the peer is really there. */
		len = sizeof(sin);
		janus_up = (err == 0 &&
		    getpeername(probe_fd, (struct sockaddr *)&sin, &len) == 0);
		close(probe_fd);
		probe_fd = -1;
	}

	if ((probe_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1)
		return;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(app.janus_port);
	if (inet_pton(AF_INET, app.janus_host, &sin.sin_addr) != 1 ||
	    (connect(probe_fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 &&
	    errno != EINPROGRESS)) {
		close(probe_fd);
		probe_fd = -1;
		janus_up = 0;
	}
}

/* Health: ask the database for one row, then say what is up. */
enum { HEALTH_QUERY, HEALTH_SHOW };

int
health_step(struct http_request *req, struct web *w)
{
	int	status;

	if (w->step == HEALTH_QUERY)
		return (web_query(req, w, "SELECT 1", 0));

	status = web_rows(w, HEALTH_QUERY) == 1 ? 200 : 503;
	/* Which worker answered and how old its reference data is: a
	 * cache that stopped reloading shows here. */
	return (web_json(req, status, json_pack("{s:s,s:s,s:i,s:I}",
	    "db", status == 200 ? "ok" : "down",
	    "janus", janus_up ? "ok" : "down",
	    "worker", worker != NULL ? (int)worker->id : 0,
	    "refdata_age_seconds", refdata->loaded_at != 0 ?
	    (json_int_t)(time(NULL) - refdata->loaded_at) : (json_int_t)-1)));
}
