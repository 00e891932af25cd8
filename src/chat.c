/*
 * chat: the live chat of the portal, over Kore's websockets at /chat/ws.
 *
 *   browser ──hello──▶ socket: its conversation, the messages since the
 *                      last id the browser has (a reload, a reconnect)
 *           ──msg────▶ message_receive('chat', thread:cid, …) ──▶ ack
 *           ◀─msg───── every message of the conversation with a higher id,
 *                      when NOTIFY inbox names the conversation
 *           ◀─joined, typing── the operators' inbox's NOTIFY events
 *
 * The database is the truth and NOTIFY the news (live.c): a reply stored
 * by any worker of any machine reaches the visitor's socket on whichever
 * worker holds it, which reads what it has not sent yet.  Each socket runs
 * one query at a time, in the order its frames came, so its acks and its
 * messages go out in order and a message is never sent twice.
 *
 * A message is stored with an asynchronous commit and acknowledged only
 * after a second, synchronous one (CHAT_OP_DURABLE) has flushed the WAL
 * past it: a transaction that NOTIFYs holds PostgreSQL's notify lock until
 * its commit is flushed, so with synchronous commits every message of the
 * whole cluster would wait for one disk flush after another (about 200 a
 * second on a 5 ms disk).  The message is visible a few milliseconds before
 * it is durable; what the visitor is told is stored, is.  docs/architecture.md,
 * "Notifications and durability".
 *
 * Every frame is checked by chat_frame.c; a frame refused, too many in a
 * minute, or a database error is answered {"t":"error","code":…,"error":
 * "<Vietnamese>"} and nothing is stored.  The server pings every socket;
 * Kore closes one that stays silent (websocket_timeout), and a socket
 * with no frame from its visitor for half an hour is closed.
 *
 * The widget's two plain HTTP requests, the offline form and an image,
 * are in chat_forms.c.
 */
#include <arpa/inet.h>

#include "app.h"
#include "chat_frame.h"

#define CHAT_SOCKETS_MAX	4000	/* per worker */
#define CHAT_PER_ADDRESS	50	/* sockets per address, per worker */
#define CHAT_OPS_MAX		32	/* frames waiting for the database */
#define CHAT_RATE_WINDOW_MS	60000
#define CHAT_RATE_MSGS		20	/* messages and e-mails a minute */
#define CHAT_RATE_FRAMES	120	/* frames of any kind a minute */
#define CHAT_TYPING_MS		3000	/* a visitor's typing, told at most */
#define CHAT_PING_MS		30000
#define CHAT_IDLE_MS		(30 * 60 * 1000)
#define CHAT_FETCH_ROWS		100	/* messages per query */
#define CHAT_SEEN		32	/* ids sent lately, below the last */
#define CHAT_NOTED		8	/* notified ids below the last */
#define CHAT_BUCKETS		1024	/* sockets by conversation */
#define CHAT_EMAILS_MAX		"3"	/* transcripts by e-mail, per conversation */
#define CHAT_MAXFRAME		(64 * 1024)	/* Kore drops bigger ones */

/* A socket's life. */
enum chat_state {
	CHAT_S_NEW,		/* waiting for hello */
	CHAT_S_READY,		/* hello answered */
	CHAT_S_GONE		/* closed; freed when its query ends */
};

/* What a socket asks the database, one at a time. */
enum chat_op_kind {
	CHAT_OP_HELLO,
	CHAT_OP_FETCH,
	CHAT_OP_STORE,
	CHAT_OP_TYPING,
	CHAT_OP_EMAIL,
	CHAT_OP_DURABLE		/* after a STORE: then its ack */
};

#define CHAT_OP_PARAMS		5

struct chat_op {
	TAILQ_ENTRY(chat_op)	 list;
	enum chat_op_kind	 kind;
	int			 nparams;
	char			*param[CHAT_OP_PARAMS];
	char			 cid[CHAT_CID_MAX + 1];
	long long		 msg;		/* STORE, DURABLE: its id */
	int			 rows;
};

struct chat_sock {
	TAILQ_ENTRY(chat_sock)	 list;
	LIST_ENTRY(chat_sock)	 bucket;
	struct connection	*c;
	enum chat_state		 state;
	struct kore_pgsql	 sql;
	struct chat_op		*busy;
	TAILQ_HEAD(chat_ops, chat_op) ops;
	int			 nops;
	int			 in_bucket;
	int			 want_fetch;
	long long		 conv;		/* 0: none yet */
	long long		 last;		/* the highest id sent */
	long long		 seen[CHAT_SEEN];
	int			 nseen;
	long long		 noted[CHAT_NOTED];
	int			 nnoted;
	char			 thread[65];	/* SHA-256 of the visitor's id */
	char			*name;
	char			 ip[INET6_ADDRSTRLEN];
	u_int64_t		 window;	/* start of the rate window */
	int			 nframes;
	int			 nmsgs;
	u_int64_t		 last_frame;
	u_int64_t		 last_typing;
};

int		chat_ws_connect(struct connection *);
int		chat_ws_message(struct connection *, u_int8_t, const void *,
		    size_t);
int		chat_ws_disconnect(struct connection *);

static void	chat_note(const char *);
static void	chat_ping(void *, u_int64_t);
static void	chat_frame_in(struct chat_sock *, const void *, size_t);
static void	chat_error(struct chat_sock *, const char *, const char *,
		    const char *);
static void	chat_send(struct chat_sock *, json_t *);
static void	chat_close(struct chat_sock *);
static struct chat_op *chat_queue(struct chat_sock *, enum chat_op_kind, int,
		    ...);
static const char *chat_op_sql(enum chat_op_kind);
static void	chat_run(struct chat_sock *);
static void	chat_sql_cb(struct kore_pgsql *, void *);
static void	chat_row(struct chat_sock *, struct chat_op *, int);
static void	chat_op_end(struct chat_sock *, int);
static void	chat_op_free(struct chat_op *);
static void	chat_sock_free(struct chat_sock *);
static void	chat_set_conv(struct chat_sock *, long long);
static void	chat_want(struct chat_sock *, long long);
static int	chat_seen(struct chat_sock *, long long);
static int	chat_origin_ok(struct http_request *);
static const char *chat_val(struct kore_pgsql *, int, int);

/* The conversation a visitor's id leads to, and whether anyone answers. */
static const char	SQL_HELLO[] =
    "SELECT c.id, u.full_name AS operator, chat_operators_online() AS online "
    "FROM (SELECT 1) x LEFT JOIN LATERAL (SELECT * FROM conversations c "
    "WHERE c.channel = 'chat' AND c.thread = $1 "
    "ORDER BY c.state = 'open' DESC, c.id DESC LIMIT 1) c ON true "
    "LEFT JOIN users u ON u.id = c.claimed_by";

/*
 * $1 conversation, $2 the last id sent, $3 ids notified below it (a
 * message whose transaction ended after a later one's), $4 the most rows.
 */
static const char	SQL_FETCH[] =
    "SELECT m.id, m.direction, m.body, m.payload->>'cid' AS cid, "
    "m.payload->>'image' AS image, CASE WHEN m.direction = 'out' "
    "THEN coalesce(u.full_name, 'Tổng đài 1022') ELSE m.sender END AS name, "
    "to_char(m.created_at, 'HH24:MI') AS at "
    "FROM messages m LEFT JOIN users u ON u.id = m.author_id "
    "WHERE m.conversation_id = $1::bigint AND m.channel = 'chat' "
    "AND m.kind = 'message' AND (m.id > $2::bigint OR m.id = ANY ($3::bigint[])) "
    "ORDER BY m.id LIMIT $4::integer";

/*
 * $1 external id, $2 thread, $3 name, $4 text, $5 the client's id.  The
 * commit is asynchronous: SQL_DURABLE follows before the ack.
 */
static const char	SQL_STORE[] =
    "SELECT conversation_id, message_id, " SQL_ASYNC_COMMIT " "
    "FROM message_receive('chat', $1, $2, "
    "NULLIF($3, ''), NULL, $4, jsonb_build_object('cid', $5::text))";

static const char	SQL_TYPING[] =
    "SELECT pg_notify('inbox', json_build_object('conversation', $1::bigint, "
    "'event', 'visitor_typing')::text)";

/* At most CHAT_EMAILS_MAX transcripts of one conversation by e-mail. */
static const char	SQL_EMAIL[] =
    "SELECT message_send('email', $2, 'notice', "
    "'Nội dung trò chuyện với Tổng đài 1022', chat_transcript($1::bigint), "
    "$1::bigint) AS id FROM (SELECT count(*) AS n FROM messages "
    "WHERE conversation_id = $1::bigint AND channel = 'email' "
    "AND direction = 'out' AND kind = 'notice') q WHERE q.n < " CHAT_EMAILS_MAX;

static TAILQ_HEAD(, chat_sock)	chat_socks = TAILQ_HEAD_INITIALIZER(chat_socks);
static LIST_HEAD(, chat_sock)	chat_buckets[CHAT_BUCKETS];
static int			chat_nsocks;
static const char		*chat_pending_ip;	/* handshake → connect */


void
chat_init(void)
{
	int	i;

	for (i = 0; i < CHAT_BUCKETS; i++)
		LIST_INIT(&chat_buckets[i]);
	/* Bigger frames than ours are refused by us, with a reason. */
	kore_websocket_maxframe = CHAT_MAXFRAME;
	live_listen("inbox", chat_note);
	(void)kore_timer_add(chat_ping, CHAT_PING_MS, NULL, 0);
}

/*
 * GET /chat/ws: the websocket's handshake, for a page of our own origin,
 * within the limits of sockets per worker and per address.
 */
int
chat_ws_step(struct http_request *req, struct web *w)
{
	struct chat_sock	*s;
	char			 ip[INET6_ADDRSTRLEN];
	int			 n;

	if (!chat_origin_ok(req))
		return (web_error(req, w, 403, "Nguồn truy cập không hợp lệ."));
	(void)web_client_ip(req, ip, sizeof(ip));
	n = 0;
	TAILQ_FOREACH(s, &chat_socks, list)
		if (strcmp(s->ip, ip) == 0)
			n++;
	if (chat_nsocks >= CHAT_SOCKETS_MAX || n >= CHAT_PER_ADDRESS) {
		http_response_header(req, "retry-after", "30");
		return (web_error(req, w, chat_nsocks >= CHAT_SOCKETS_MAX ?
		    503 : 429, "Quá nhiều kết nối, vui lòng thử lại sau."));
	}
	chat_pending_ip = ip;
	kore_websocket_handshake(req, "chat_ws_connect", "chat_ws_message",
	    "chat_ws_disconnect");
	chat_pending_ip = NULL;
	return (WEB_DONE);
}

int
chat_ws_connect(struct connection *c)
{
	struct chat_sock	*s;

	s = kore_calloc(1, sizeof(*s));
	s->c = c;
	s->state = CHAT_S_NEW;
	TAILQ_INIT(&s->ops);
	kore_strlcpy(s->ip, chat_pending_ip != NULL ? chat_pending_ip : "",
	    sizeof(s->ip));
	s->window = s->last_frame = kore_time_ms();
	c->hdlr_extra = s;
	TAILQ_INSERT_TAIL(&chat_socks, s, list);
	chat_nsocks++;
	return (KORE_RESULT_OK);
}

int
chat_ws_message(struct connection *c, u_int8_t op, const void *data,
    size_t len)
{
	struct chat_sock	*s = c->hdlr_extra;

	if (s == NULL || s->state == CHAT_S_GONE)
		return (KORE_RESULT_OK);
	if (op != WEBSOCKET_OP_TEXT) {
		chat_error(s, "shape", "Dữ liệu gửi lên không hợp lệ.", NULL);
		return (KORE_RESULT_OK);
	}
	chat_frame_in(s, data, len);
	return (KORE_RESULT_OK);
}

/* Kore frees c->hdlr_extra with the connection: the socket is ours. */
int
chat_ws_disconnect(struct connection *c)
{
	struct chat_sock	*s = c->hdlr_extra;
	struct chat_op		*op;

	if (s == NULL)
		return (KORE_RESULT_OK);
	c->hdlr_extra = NULL;
	TAILQ_REMOVE(&chat_socks, s, list);
	chat_nsocks--;
	if (s->in_bucket)
		LIST_REMOVE(s, bucket);
	s->in_bucket = 0;
	while ((op = TAILQ_FIRST(&s->ops)) != NULL) {
		TAILQ_REMOVE(&s->ops, op, list);
		chat_op_free(op);
	}
	s->state = CHAT_S_GONE;
	s->c = NULL;
	if (s->busy == NULL)
		chat_sock_free(s);
	return (KORE_RESULT_OK);
}

/* One frame of a visitor: checked, limited, then queued for the database. */
static void
chat_frame_in(struct chat_sock *s, const void *data, size_t len)
{
	struct chat_frame	*f;
	struct chat_op		*op;
	char			 ext[65 + 1 + CHAT_CID_MAX + 1], conv[24];
	u_int64_t		 now;
	int			 rc;

	now = kore_time_ms();
	if (now - s->window >= CHAT_RATE_WINDOW_MS) {
		s->window = now;
		s->nframes = s->nmsgs = 0;
	}
	if (++s->nframes > CHAT_RATE_FRAMES) {
		chat_error(s, "rate", "Quá nhiều dữ liệu, kết nối bị đóng.",
		    NULL);
		chat_close(s);
		return;
	}
	s->last_frame = now;

	f = kore_malloc(sizeof(*f));
	if ((rc = chat_frame_parse(data, len, f)) != CHAT_FRAME_OK) {
		chat_error(s, chat_frame_code(rc), chat_frame_error_vi(rc), NULL);
		goto out;
	}
	if ((f->type == CHAT_FRAME_HELLO) != (s->state == CHAT_S_NEW)) {
		chat_error(s, "shape", s->state == CHAT_S_NEW ?
		    "Vui lòng kết nối lại." : "Dữ liệu gửi lên không hợp lệ.",
		    NULL);
		goto out;
	}
	if ((f->type == CHAT_FRAME_MSG || f->type == CHAT_FRAME_EMAIL) &&
	    ++s->nmsgs > CHAT_RATE_MSGS) {
		chat_error(s, "rate", "Bạn gửi quá nhanh, vui lòng chờ một "
		    "chút rồi gửi lại.", f->type == CHAT_FRAME_MSG ? f->cid : NULL);
		goto out;
	}
	if (s->nops >= CHAT_OPS_MAX) {
		chat_error(s, "busy", "Hệ thống đang bận, vui lòng gửi lại.",
		    f->type == CHAT_FRAME_MSG ? f->cid : NULL);
		goto out;
	}

	(void)snprintf(conv, sizeof(conv), "%lld", s->conv);
	switch (f->type) {
	case CHAT_FRAME_HELLO:
		web_sha256_hex(f->visitor, s->thread);
		s->name = f->name[0] != '\0' ? kore_strdup(f->name) : NULL;
		s->last = f->last;
		s->state = CHAT_S_READY;
		(void)chat_queue(s, CHAT_OP_HELLO, 1, s->thread);
		break;
	case CHAT_FRAME_MSG:
		/* A name given later, with a message, is the visitor's now. */
		if (f->name[0] != '\0' && (s->name == NULL ||
		    strcmp(s->name, f->name) != 0)) {
			kore_free(s->name);
			s->name = kore_strdup(f->name);
		}
		(void)snprintf(ext, sizeof(ext), "%s:%s", s->thread, f->cid);
		op = chat_queue(s, CHAT_OP_STORE, 5, ext, s->thread,
		    s->name != NULL ? s->name : "", f->text, f->cid);
		kore_strlcpy(op->cid, f->cid, sizeof(op->cid));
		break;
	case CHAT_FRAME_TYPING:
		if (s->conv == 0 || now - s->last_typing < CHAT_TYPING_MS)
			break;
		s->last_typing = now;
		(void)chat_queue(s, CHAT_OP_TYPING, 1, conv);
		break;
	case CHAT_FRAME_EMAIL:
		if (s->conv == 0) {
			chat_error(s, "empty", "Cuộc trò chuyện chưa có tin nhắn "
			    "nào.", NULL);
			break;
		}
		(void)chat_queue(s, CHAT_OP_EMAIL, 2, conv, f->email);
		break;
	}
	chat_run(s);
out:
	kore_free(f);
}

/*
 * NOTIFY inbox, on every worker: {"conversation":…, "message":…} a new
 * message, {"conversation":…, "event":"claimed"|"typing", "name":…} the
 * operator's doings; NULL: some may be lost, every socket reads again.
 */
static void
chat_note(const char *payload)
{
	struct chat_sock	*s;
	json_t			*root;
	json_error_t		 jerr;
	const char		*event, *name;
	long long		 conv, msg;

	if (payload == NULL) {
		TAILQ_FOREACH(s, &chat_socks, list) {
			if (s->conv != 0) {
				chat_want(s, 0);
				chat_run(s);
			}
		}
		return;
	}
	if ((root = json_loads(payload, 0, &jerr)) == NULL)
		return;
	conv = json_integer_value(json_object_get(root, "conversation"));
	msg = json_integer_value(json_object_get(root, "message"));
	event = json_string_value(json_object_get(root, "event"));
	name = json_string_value(json_object_get(root, "name"));
	if (conv <= 0)
		goto out;
	LIST_FOREACH(s, &chat_buckets[conv % CHAT_BUCKETS], bucket) {
		if (s->conv != conv || s->state != CHAT_S_READY)
			continue;
		if (event == NULL) {
			chat_want(s, msg);
			chat_run(s);
		} else if (strcmp(event, "claimed") == 0) {
			chat_send(s, json_pack("{s:s,s:s?}", "t", "joined",
			    "name", name));
		} else if (strcmp(event, "typing") == 0) {
			chat_send(s, json_pack("{s:s}", "t", "typing"));
		}
	}
out:
	json_decref(root);
}

/* Every socket: a ping (the browser's pong keeps Kore's timer); the idle closed. */
static void
chat_ping(void *arg, u_int64_t now)
{
	struct chat_sock	*s, *next;

	for (s = TAILQ_FIRST(&chat_socks); s != NULL; s = next) {
		next = TAILQ_NEXT(s, list);
		if (now - s->last_frame >= CHAT_IDLE_MS) {
			chat_error(s, "idle", "Kết nối đã đóng vì lâu không "
			    "hoạt động.", NULL);
			chat_close(s);
			continue;
		}
		kore_websocket_send(s->c, WEBSOCKET_OP_PING, NULL, 0);
	}
}

/* Fetch again: new messages, and msg if it is below what was sent. */
static void
chat_want(struct chat_sock *s, long long msg)
{
	s->want_fetch = 1;
	if (msg > 0 && msg <= s->last && !chat_seen(s, msg) &&
	    s->nnoted < CHAT_NOTED)
		s->noted[s->nnoted++] = msg;
}

static int
chat_seen(struct chat_sock *s, long long id)
{
	int	i;

	for (i = 0; i < CHAT_SEEN; i++)
		if (s->seen[i] == id)
			return (1);
	return (0);
}

static void
chat_set_conv(struct chat_sock *s, long long conv)
{
	if (s->conv == conv)
		return;
	if (s->in_bucket)
		LIST_REMOVE(s, bucket);
	s->conv = conv;
	s->in_bucket = 0;
	if (conv > 0) {
		LIST_INSERT_HEAD(&chat_buckets[conv % CHAT_BUCKETS], s, bucket);
		s->in_bucket = 1;
	}
}

static struct chat_op *
chat_queue(struct chat_sock *s, enum chat_op_kind kind, int n, ...)
{
	struct chat_op	*op;
	va_list		 ap;
	int		 i;

	op = kore_calloc(1, sizeof(*op));
	op->kind = kind;
	op->nparams = n;
	va_start(ap, n);
	for (i = 0; i < n && i < CHAT_OP_PARAMS; i++)
		op->param[i] = kore_strdup(va_arg(ap, const char *));
	va_end(ap);
	TAILQ_INSERT_TAIL(&s->ops, op, list);
	s->nops++;
	return (op);
}

static const char *
chat_op_sql(enum chat_op_kind kind)
{
	switch (kind) {
	case CHAT_OP_HELLO:	return (SQL_HELLO);
	case CHAT_OP_FETCH:	return (SQL_FETCH);
	case CHAT_OP_STORE:	return (SQL_STORE);
	case CHAT_OP_TYPING:	return (SQL_TYPING);
	case CHAT_OP_EMAIL:	return (SQL_EMAIL);
	case CHAT_OP_DURABLE:	return (SQL_DURABLE);
	}
	return (NULL);
}

/* The socket's next query: a queued frame first, then a fetch if wanted. */
static void
chat_run(struct chat_sock *s)
{
	struct chat_op	*op;
	struct kore_buf	 ids;
	char		 conv[24], last[24], rows[8];
	int		 i;

	if (s->busy != NULL || s->state != CHAT_S_READY)
		return;
	if ((op = TAILQ_FIRST(&s->ops)) != NULL) {
		TAILQ_REMOVE(&s->ops, op, list);
		s->nops--;
	} else if (s->want_fetch && s->conv > 0) {
		s->want_fetch = 0;
		(void)snprintf(conv, sizeof(conv), "%lld", s->conv);
		(void)snprintf(last, sizeof(last), "%lld", s->last);
		kore_buf_init(&ids, 64);
		kore_buf_append(&ids, "{", 1);
		for (i = 0; i < s->nnoted; i++)
			kore_buf_appendf(&ids, "%s%lld", i ? "," : "",
			    s->noted[i]);
		kore_buf_append(&ids, "}", 2);
		s->nnoted = 0;
		op = kore_calloc(1, sizeof(*op));
		op->kind = CHAT_OP_FETCH;
		(void)snprintf(rows, sizeof(rows), "%d", CHAT_FETCH_ROWS);
		op->nparams = 4;
		op->param[0] = kore_strdup(conv);
		op->param[1] = kore_strdup(last);
		op->param[2] = kore_strdup((char *)ids.data);
		op->param[3] = kore_strdup(rows);
		kore_buf_cleanup(&ids);
	} else {
		return;
	}
	s->busy = op;
	kore_pgsql_init(&s->sql);
	kore_pgsql_bind_callback(&s->sql, chat_sql_cb, s);
	chat_sql_cb(&s->sql, s);
}

static void
chat_sql_cb(struct kore_pgsql *sql, void *arg)
{
	struct chat_sock	*s = arg;
	struct chat_op		*op = s->busy;
	int			 i, n;

	switch (sql->state) {
	case KORE_PGSQL_STATE_INIT:
		if (!kore_pgsql_setup(sql, APP_DB_NAME, KORE_PGSQL_ASYNC)) {
			if (sql->state == KORE_PGSQL_STATE_INIT)
				return;		/* waits for a connection */
			kore_pgsql_logerror(sql);
			chat_op_end(s, 0);
			return;
		}
		if (!kore_pgsql_query_param_fields(sql, chat_op_sql(op->kind),
		    0, op->nparams, (const char **)op->param, NULL, NULL)) {
			kore_pgsql_logerror(sql);
			chat_op_end(s, 0);
		}
		return;
	case KORE_PGSQL_STATE_WAIT:
		return;
	case KORE_PGSQL_STATE_RESULT:
		n = kore_pgsql_ntuples(sql);
		for (i = 0; i < n; i++)
			chat_row(s, op, i);
		op->rows += n;
		kore_pgsql_continue(sql);
		return;
	case KORE_PGSQL_STATE_ERROR:
		kore_pgsql_logerror(sql);
		op->rows = -1;
		if (sql->conn == NULL || PQstatus(sql->conn->db) == CONNECTION_BAD) {
			chat_op_end(s, 0);
			return;
		}
		kore_pgsql_continue(sql);
		return;
	case KORE_PGSQL_STATE_COMPLETE:
		chat_op_end(s, op->rows >= 0);
		return;
	default:
		kore_pgsql_continue(sql);
		return;
	}
}

/* One row of a query's result, as what goes to the browser. */
static void
chat_row(struct chat_sock *s, struct chat_op *op, int row)
{
	struct kore_pgsql	*sql = &s->sql;
	const char		*v;
	long long		 id;
	int			 err;

	if (s->state == CHAT_S_GONE)
		return;
	switch (op->kind) {
	case CHAT_OP_HELLO:
		v = kore_pgsql_getvalue(sql, row, 0);
		chat_set_conv(s, kore_strtonum64(v, 1, &err));
		/* The worker's number: which one holds the socket (tests). */
		chat_send(s, json_pack("{s:s,s:o?,s:b,s:s?,s:i}", "t", "ready",
		    "conversation", s->conv > 0 ? json_integer(s->conv) : NULL,
		    "online", strcmp(kore_pgsql_getvalue(sql, row, 2), "t") == 0,
		    "operator", kore_pgsql_getlength(sql, row, 1) > 0 ?
		    kore_pgsql_getvalue(sql, row, 1) : NULL,
		    "worker", worker != NULL ? (int)worker->id : 0));
		if (s->conv > 0)
			s->want_fetch = 1;
		break;
	case CHAT_OP_FETCH:
		id = kore_strtonum64(kore_pgsql_getvalue(sql, row, 0), 1, &err);
		if (err != KORE_RESULT_OK || chat_seen(s, id))
			break;
		s->seen[s->nseen++ % CHAT_SEEN] = id;
		if (id > s->last)
			s->last = id;
		chat_send(s, json_pack("{s:s,s:I,s:s,s:s,s:s?,s:s?,s:s?,s:s}",
		    "t", "msg", "id", (json_int_t)id,
		    "from", strcmp(kore_pgsql_getvalue(sql, row, 1), "in") == 0 ?
		    "visitor" : "operator",
		    "text", kore_pgsql_getvalue(sql, row, 2),
		    "cid", chat_val(sql, row, 3),
		    "image", chat_val(sql, row, 4),
		    "name", chat_val(sql, row, 5),
		    "at", kore_pgsql_getvalue(sql, row, 6)));
		break;
	case CHAT_OP_STORE:
		v = kore_pgsql_getvalue(sql, row, 0);
		id = kore_strtonum64(v, 1, &err);
		if (err == KORE_RESULT_OK && id != s->conv) {
			chat_set_conv(s, id);
			s->want_fetch = 1;
		}
		/* Acknowledged once durable: chat_op_end(). */
		op->msg = kore_strtonum64(kore_pgsql_getvalue(sql, row, 1), 1,
		    &err);
		break;
	case CHAT_OP_EMAIL:
		chat_send(s, json_pack("{s:s}", "t", "emailed"));
		break;
	case CHAT_OP_DURABLE:
	case CHAT_OP_TYPING:
		break;
	}
}

/* A column's text, NULL for SQL's NULL. */
static const char *
chat_val(struct kore_pgsql *sql, int row, int col)
{
	if (PQgetisnull(sql->result, row, col))
		return (NULL);
	return (kore_pgsql_getvalue(sql, row, col));
}

/* The socket's query is over: say what failed, then the next one. */
static void
chat_op_end(struct chat_sock *s, int ok)
{
	struct chat_op	*op = s->busy;
	int		 again;

	web_pgsql_drop_broken(&s->sql);
	kore_pgsql_cleanup(&s->sql);
	s->busy = NULL;
	if (s->state == CHAT_S_GONE) {
		chat_op_free(op);
		chat_sock_free(s);
		return;
	}
	if (!ok) {
		kore_log(LOG_WARNING, "chat: query %d failed", op->kind);
		if (op->kind == CHAT_OP_FETCH)
			s->want_fetch = 1;	/* the next news tries again */
		else if (op->kind != CHAT_OP_TYPING)
			chat_error(s, "db", "Chưa gửi được, vui lòng thử lại.",
			    op->kind == CHAT_OP_STORE ||
			    op->kind == CHAT_OP_DURABLE ? op->cid : NULL);
	} else if (op->kind == CHAT_OP_STORE && op->rows == 1) {
		/* Next, before anything else: the flush, then the ack. */
		op->kind = CHAT_OP_DURABLE;
		op->nparams = 0;
		op->rows = 0;
		TAILQ_INSERT_HEAD(&s->ops, op, list);
		s->nops++;
		chat_run(s);
		return;
	} else if (op->kind == CHAT_OP_DURABLE) {
		chat_send(s, json_pack("{s:s,s:s,s:I}", "t", "ack",
		    "cid", op->cid, "id", (json_int_t)op->msg));
	} else if (op->kind == CHAT_OP_EMAIL && op->rows == 0) {
		chat_error(s, "email_limit", "Đã gửi đủ số lần cho cuộc trò "
		    "chuyện này.", NULL);
	} else if (op->kind == CHAT_OP_FETCH && op->rows == CHAT_FETCH_ROWS) {
		s->want_fetch = 1;	/* more than one page */
	}
	/* A failed read waits for the next news, not in a loop. */
	again = ok || op->kind != CHAT_OP_FETCH || !TAILQ_EMPTY(&s->ops);
	chat_op_free(op);
	if (again)
		chat_run(s);
}

static void
chat_op_free(struct chat_op *op)
{
	int	i;

	for (i = 0; i < CHAT_OP_PARAMS; i++)
		kore_free(op->param[i]);
	kore_free(op);
}

static void
chat_sock_free(struct chat_sock *s)
{
	kore_free(s->name);
	kore_free(s);
}

static void
chat_error(struct chat_sock *s, const char *code, const char *msg,
    const char *cid)
{
	chat_send(s, json_pack("{s:s,s:s,s:s,s:s?}", "t", "error", "code", code,
	    "error", msg, "cid", cid));
}

static void
chat_send(struct chat_sock *s, json_t *j)
{
	char	*text;

	if (j == NULL)
		fatal("chat: a frame not built");
	if (s->state != CHAT_S_GONE && s->c != NULL &&
	    (text = json_dumps(j, JSON_WRITE_FLAGS)) != NULL) {
		kore_websocket_send(s->c, WEBSOCKET_OP_TEXT, text, strlen(text));
		free(text);
	}
	json_decref(j);
}

static void
chat_close(struct chat_sock *s)
{
	if (s->c != NULL)
		kore_connection_disconnect(s->c);
}

/*
 * A browser sends Origin with every websocket: only our own pages may
 * open one (the Host they asked, or PUBLIC_URL).  A program without
 * Origin is no browser whose cookies could be borrowed.
 */
static int
chat_origin_ok(struct http_request *req)
{
	const char	*origin, *host, *p;
	size_t		 n;

	if (!http_request_header(req, "origin", &origin))
		return (1);
	if ((p = strstr(origin, "://")) != NULL &&
	    http_request_header(req, "host", &host) && strcmp(p + 3, host) == 0)
		return (1);
	n = strlen(origin);
	return (strncmp(app.public_url, origin, n) == 0 &&
	    (app.public_url[n] == '\0' || app.public_url[n] == '/'));
}
