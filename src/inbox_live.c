/*
 * inbox_live: the operators' inbox pages kept current over a WebSocket.
 *
 *   NOTIFY inbox (any worker, any machine) ─▶ live.c ─▶ inbox_live_note()
 *       ─▶ every operator socket of this worker gets the payload as it is
 *          ({"conversation":…, "message":…} or {…, "event":"claimed"});
 *          NULL (notifications lost) ─▶ {"resync":true}: pages refetch
 *   browser ─{"typing":id}─▶ inbox_ws_message() ─▶ pg_notify('inbox',
 *       {"conversation":id,"event":"typing"}) for the chat widget
 *
 * The handshake happens only after the staff session and role are checked
 * (routes.def) and the Origin is our PUBLIC_URL.  Bounded: at most
 * INBOX_WS_MAX sockets per worker; what a browser sends is at most
 * INBOX_WS_MSG_MAX bytes and INBOX_WS_RATE_MAX messages a window, or the
 * socket is closed; a typing notice at most one per INBOX_TYPING_MS.
 */
#include <kore/kore.h>
#include <kore/http.h>

#include "app.h"

#define INBOX_WS_MAX		64
#define INBOX_WS_MSG_MAX	128
#define INBOX_WS_RATE_MS	10000
#define INBOX_WS_RATE_MAX	20
#define INBOX_TYPING_MS		3000

struct inbox_sock {
	struct connection	*c;
	int			 user_id;
	u_int64_t		 window_start;
	int			 window_count;
	u_int64_t		 typing_at;
};

static void	inbox_live_note(const char *);
static void	inbox_typing_done(int, void *);
static int	inbox_origin_ok(struct http_request *);

static struct inbox_sock	*socks[INBOX_WS_MAX];
static int			 nsocks;

/* One typing notice at a time per worker; one arriving meanwhile is dropped. */
static struct dbjob		 typing_job;
static char			 typing_id[24];
static const char		*typing_params[1] = { typing_id };

static const char	SQL_TYPING[] =
    "SELECT pg_notify('inbox', json_build_object('conversation', $1::bigint, "
    "'event', 'typing')::text)";

void
inbox_live_init(void)
{
	live_listen("inbox", inbox_live_note);
}

/* The route's step: the session and role are checked already. */
int
inbox_ws_step(struct http_request *req, struct web *w)
{
	struct inbox_sock	*s;

	if (!inbox_origin_ok(req))
		return (web_error(req, w, 403, "Không được phép."));
	if (nsocks == INBOX_WS_MAX)
		return (web_error(req, w, 503,
		    "Máy chủ đang bận, vui lòng thử lại sau."));
	kore_websocket_handshake(req, NULL, "inbox_ws_message",
	    "inbox_ws_disconnect");
	if (req->owner->proto != CONN_PROTO_WEBSOCKET)
		return (WEB_DONE);		/* Kore answered 400 */

	/* Kore frees hdlr_extra with the connection. */
	s = kore_calloc(1, sizeof(*s));
	s->c = req->owner;
	s->user_id = w->user.id;
	s->window_start = kore_time_ms();
	req->owner->hdlr_extra = s;
	socks[nsocks++] = s;
	return (WEB_DONE);
}

/*
 * A browser's message: {"typing": id} while the operator types a reply,
 * {"ping": 1} to keep the socket open.  Anything bigger, faster or else is
 * a client we don't know: closed.
 */
void
inbox_ws_message(struct connection *c, u_int8_t op, const void *data,
    size_t len)
{
	struct inbox_sock	*s = c->hdlr_extra;
	json_t			*js, *v;
	u_int64_t		 now;

	if (s == NULL)
		return;
	now = kore_time_ms();
	if (now - s->window_start > INBOX_WS_RATE_MS) {
		s->window_start = now;
		s->window_count = 0;
	}
	if (op != WEBSOCKET_OP_TEXT || len > INBOX_WS_MSG_MAX ||
	    ++s->window_count > INBOX_WS_RATE_MAX) {
		kore_log(LOG_NOTICE, "inbox: user %d: websocket message refused "
		    "(%zu bytes, %d in the window): closed", s->user_id, len,
		    s->window_count);
		kore_connection_disconnect(c);
		return;
	}
	if ((js = json_loadb(data, len, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return;
	v = json_object_get(js, "typing");
	if (json_is_integer(v) && json_integer_value(v) > 0 &&
	    now - s->typing_at >= INBOX_TYPING_MS && !typing_job.busy) {
		s->typing_at = now;
		(void)snprintf(typing_id, sizeof(typing_id), "%lld",
		    (long long)json_integer_value(v));
		(void)dbjob_start_params(&typing_job, SQL_TYPING, 1,
		    typing_params, NULL, inbox_typing_done, NULL);
	}
	json_decref(js);
}

void
inbox_ws_disconnect(struct connection *c)
{
	int	i;

	for (i = 0; i < nsocks; i++) {
		if (socks[i]->c == c) {
			socks[i] = socks[--nsocks];
			break;
		}
	}
}

/* NOTIFY inbox: to every page open on this worker, as it came. */
static void
inbox_live_note(const char *payload)
{
	static const char	 resync[] = "{\"resync\":true}";
	const char		*p;
	int			 i;

	p = payload != NULL ? payload : resync;
	/* Downwards: a socket that drops out meanwhile swaps in one done. */
	for (i = nsocks - 1; i >= 0; i--)
		kore_websocket_send(socks[i]->c, WEBSOCKET_OP_TEXT, p,
		    strlen(p));
}

static void
inbox_typing_done(int ok, void *arg)
{
	if (!ok)
		kore_log(LOG_NOTICE, "inbox: a typing notice was not sent");
}

/* The page that opens the socket must be ours: Origin is PUBLIC_URL. */
static int
inbox_origin_ok(struct http_request *req)
{
	const char	*origin;
	size_t		 len;

	if (!http_request_header(req, "origin", &origin))
		return (0);
	len = strlen(app.public_url);
	while (len > 0 && app.public_url[len - 1] == '/')
		len--;
	return (strlen(origin) == len &&
	    strncmp(origin, app.public_url, len) == 0);
}
