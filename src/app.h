/*
 * Tổng đài 1022: declarations shared by the Kore-facing files.
 */
#ifndef APP_H
#define APP_H

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>

#include "form.h"
#include "hotline_contract.h"
#include "json.h"
#include "routes.h"
#include "tmpl.h"

#define APP_DB_NAME		"db"

/* Roles, as bits so a route can admit several. */
#define ROLE_OPERATOR		0x01
#define ROLE_SUPERVISOR		0x02
#define ROLE_AGENCY		0x04
#define ROLE_ADMIN		0x08
#define ROLE_STAFF		(ROLE_OPERATOR | ROLE_SUPERVISOR | ROLE_ADMIN)
#define ROLE_ANY		(ROLE_STAFF | ROLE_AGENCY)
#define WEB_PUBLIC		0

#define WEB_MAX_RESULTS		8
#define WEB_MAX_PARAMS		24
#define WEB_TOKEN_LEN		43	/* 32 random bytes, base64url */

/*
 * The first words of a statement that changes data but may run twice
 * after a lost connection without a further effect (see web.c).
 */
#define SQL_REPEATABLE		"/* repeatable */ "

/*
 * A statement that NOTIFYs on a busy path commits asynchronously (this in
 * its select list), then SQL_DURABLE, a synchronous commit on any
 * connection, flushes the WAL past it before the sender is answered:
 * docs/architecture.md, "Notifications and durability".
 */
#define SQL_ASYNC_COMMIT	"set_config('synchronous_commit', 'off', true)"
#define SQL_DURABLE		"SELECT pg_current_xact_id()"

/* What a step function returns. */
#define WEB_WAIT		1	/* a query was started: call me back */
#define WEB_DONE		2	/* a response was sent */
#define WEB_TASK		3	/* a lane's thread is working: call me back */

struct user {
	int		id;		/* 0: not logged in */
	int		role;		/* one ROLE_* bit */
	int		agency_id;	/* agency officers only */
	char		scope[16];	/* see web_ticket_scope() */
	char		username[48];
	char		full_name[128];
	char		csrf[WEB_TOKEN_LEN + 1];
	char		sid[17];	/* the session's id for the hotline */
	long long	session_expires;	/* unix seconds */
	int		callbacks_owed;	/* callbacks.c: calls to return */
	int		must_change_password;	/* a generated one: first login */
};

struct web;
typedef int (*web_step_fn)(struct http_request *, struct web *);

/* A route, from routes.def: see routes.c. */
struct web_route {
	int		 id;		/* ROUTE_* */
	const char	*path;		/* as Kore matches it */
	int		 roles;		/* WEB_PUBLIC, or ROLE_* bits */
	int		 methods;	/* HTTP_METHOD_* bits */
	int		 api;		/* WEB_API_PAGE; else JSON, no CSRF form token */
	size_t		 body_max;	/* 0: the default of 64 KiB */
	web_step_fn	 step;
};

#define WEB_PATH_GROUPS		4	/* in a route's regex, at most */

struct web {
	const struct web_route	*route;
	struct kore_pgsql	 sql;
	int			 phase;
	int			 step;		/* results of step k are in res[k] */
	PGresult		*res[WEB_MAX_RESULTS];
	char			 sqlstate[6];	/* of a failed query */
	int			 want_errors;	/* the step handles query errors */
	int			 db_retries;	/* on a broken connection */
	int			 q_answered;	/* rows or a status came back */

	/* The query under way, kept until a connection is free. */
	char			*q_sql;
	char			*q_param[WEB_MAX_PARAMS];
	int			 q_nparams;

	/* Blocking work (hashing, disk) runs on a lane's thread (lane.c). */
	struct lane_job		*job;
	int			(*task_fn)(struct web *);
	int			 task_result;
	struct kore_buf		*kept_body;	/* Kore's, taken over by a job */

	/* The groups of the route's regex in the path, matched once. */
	int			 path_groups;	/* 0: not yet, -1: no match */
	int			 path_so[WEB_PATH_GROUPS + 1];
	int			 path_eo[WEB_PATH_GROUPS + 1];

	struct user		 user;
	struct form		 form;		/* query string and body fields */
	const unsigned char	*body;		/* Kore's, or body_map */
	size_t			 body_len;
	void			*body_map;	/* a body Kore kept on disk */
	int			 body_kind;
	char			 anon_csrf[WEB_TOKEN_LEN + 1];
	int			 set_anon_csrf;

	struct tval		*view;		/* what the template shows */
	void			*data;		/* the handler's own */
	void			(*data_free)(void *);
};

#define WEB_API_PAGE		0	/* HTML pages for people */
#define WEB_API_JSON		1	/* our JSON API */
#define WEB_API_OPEN311		2	/* GeoReport v2 shapes */

#define WEB_BODY_NONE		0
#define WEB_BODY_FORM		1
#define WEB_BODY_MULTIPART	2
#define WEB_BODY_JSON		3
#define WEB_BODY_OTHER		4


/* app.c: settings read from the environment at start. */
struct app_settings {
	const char	*root;		/* templates/, assets/ below it */
	const char	*var_dir;	/* uploads, recordings below it */
	const char	*public_url;
	const char	*db;
	int		 rate_submit;	/* submissions per IP per 10 minutes */
	int		 rate_login;	/* failed logins per account per 15 minutes */
	int		 rate_login_ip;	/* failed logins per address per 15 minutes */
	int		 prune_seconds;	/* how often expired rows are deleted */
	int		 notice_seconds;	/* how often reminders are looked for */
	int		 cookie_secure;
	const char	*trusted_proxies;	/* "10.0.0.5,10.0.0.6" */
	const char	*janus_host;
	const char	*janus_public_url;	/* what browsers connect to */
	const char	*csp;			/* Content-Security-Policy */
	int		 janus_port;
};
extern struct app_settings app;

/* app.c: our threads, stopped before the worker unloads our code. */
void		 app_thread_start(const char *, void *(*)(void *), void *);
int		 app_thread_poll(int, int);

/* web.c: the request's state machine and its queries. */
#define PHASE_SESSION		1	/* looking up the session */
#define PHASE_HANDLER		2	/* the route's steps */
extern const struct web_route web_routes[ROUTE_COUNT];	/* routes.c */
int		 web_run(struct http_request *, const struct web_route *);
void		 web_pgsql_drop_broken(struct kore_pgsql *);
int		 web_query(struct http_request *, struct web *, const char *,
		    int, ...);
int		 web_queryv(struct http_request *, struct web *, const char *,
		    int, const char **);
int		 web_task(struct http_request *, struct web *, int,
		    int (*)(struct web *));
const char	*web_arg(struct web *, const char *, size_t *);
#define WEB_PATH_ID_DIGITS	18	/* an id in a path: below 2^63 */
int		 web_path_arg(struct http_request *, struct web *, int, char *,
		    size_t);
int		 web_path_id(struct http_request *, struct web *, int, char *,
		    size_t);
int		 web_text(struct web *, const char *, int, int, int, char *,
		    size_t, const char *, char *, size_t);
int		 web_rows(struct web *, int);
const char	*web_val(struct web *, int, int, const char *);
int		 web_bool(struct web *, int, int, const char *);
json_t		*web_json_val(struct web *, int, int, const char *);
const char	*web_client_ip(struct http_request *, char *, size_t);
void		 web_peer_ip(struct http_request *, char *, size_t);
int		 web_ip_in_list(const char *, const char *);
int		 web_is_post(struct http_request *);
void		 web_view_row(struct web *, struct tval *, int, int);

/* web_session.c: who is asking. */
#define WEB_COOKIE_SESSION	"s1022"
int		 web_session_start(struct http_request *, struct web *);
int		 web_session_done(struct http_request *, struct web *);
int		 web_csrf_ok(struct http_request *, struct web *);
void		 web_session_cookie(struct http_request *, struct web *);
const char	*web_ticket_scope(struct web *);
void		 web_random_token(char out[WEB_TOKEN_LEN + 1]);
void		 web_sha256_hex(const char *, char out[65]);
void		 web_set_cookie(struct http_request *, const char *,
		    const char *, int);

/* web_reply.c: what goes back. */
int		 web_render(struct http_request *, struct web *, int,
		    const char *, const char *);
int		 web_send(struct http_request *, int, const char *,
		    const void *, size_t);
int		 web_json(struct http_request *, int, json_t *);
int		 web_send_file(struct http_request *, const char *, const char *);
int		 web_send_csv(struct http_request *, struct sbuf *, const char *);
int		 web_error(struct http_request *, struct web *, int,
		    const char *);
int		 web_redirect(struct http_request *, const char *);
#define WEB_PAGE_SIZE		50	/* rows of a list page */
#define WEB_PAGE_MAX		10000	/* the last page one may ask for */
int		 web_pager_count(struct web *, int, int);
void		 web_pager(struct web *, const char *, const char *, int, int);

/* tickets.c */
/*
 * The steps of a submission; the result of the query a step starts is
 * kept under that step's name.  open311.c starts a submission at
 * SUBMIT_READ.
 */
enum submit_step {
	SUBMIT_READ,		/* validate; peek at the rate limit */
	SUBMIT_FILES,		/* write the attachments (task) */
	SUBMIT_STORE,		/* ticket_submit() */
	SUBMIT_ATTACH,		/* the attachments' rows */
	SUBMIT_REPLY
};
int		 tickets_submit_step(struct http_request *, struct web *);

/* auth.c */
void		 auth_init(void);

/* calls.c */
#define CALLS_EVENT_BODY_MAX	(16 * 1024)	/* a call event's JSON */
void		 calls_init(void);
const unsigned char *calls_key(enum hotline_purpose);

/* call_stats.c: the hotline's figures; the agent.state events it stores */
int		 call_stats_agent_event(struct http_request *, struct web *,
		    json_t *);

/* hotline_sessions.c */
void		 hotline_sessions_end(const char *);
/*
 * In a statement that deletes sessions ... RETURNING token_hash,
 * expires_at: those sessions as "sid:expires,...", which
 * hotline_sessions_end() takes (their softphones are logged out).
 */
#define HOTLINE_SQL_ENDED	"string_agg(encode(substr(token_hash, 1, 8), " \
	"'hex') || ':' || extract(epoch FROM expires_at)::bigint, ',')"

/* social_hook.c: the Zalo OA and Messenger webhooks (social.h) */
void		 social_hook_init(void);

/* health.c */
void		 health_init(void);

/* lane.c: threads of their own per kind of blocking work. */
#define LANE_HASH		0	/* password hashing */
#define LANE_DISK		1	/* writing uploads */
#define LANE_LOOKUP		2	/* a person waits on a remote system */
#define LANE_COUNT		3
struct lane_job;
void		 lane_init(void);
struct lane_job	*lane_run(int, struct http_request *, int (*)(void *), void *);
int		 lane_job_done(const struct lane_job *);
int		 lane_job_result(const struct lane_job *);
void		 lane_job_free(struct lane_job *);
void		 lane_job_orphan(struct lane_job *, void (*)(void *));

/* dbjob.c: one query outside any request (timers, reloads). */
struct dbjob {
	struct kore_pgsql	 sql;
	const char		*query;
	const char		**params;
	int			 nparams;
	void			(*row)(struct kore_pgsql *, int, void *);
	void			(*done)(int, void *);
	void			*arg;
	int			 busy;
	int			 ok;
};
int		 dbjob_start(struct dbjob *, const char *,
		    void (*)(struct kore_pgsql *, int, void *),
		    void (*)(int, void *), void *);
int		 dbjob_start_params(struct dbjob *, const char *, int,
		    const char **, void (*)(struct kore_pgsql *, int, void *),
		    void (*)(int, void *), void *);

/* inbox.c: a ticket's conversations, on the staff ticket page. */
int		 inbox_ticket_messages(struct http_request *, struct web *,
		    const char *);
void		 inbox_ticket_messages_view(struct web *, int, struct tval *);

/* inbox_live.c: the operators' inbox over a WebSocket. */
void		 inbox_live_init(void);
void		 inbox_ws_message(struct connection *, u_int8_t, const void *,
		    size_t);
void		 inbox_ws_disconnect(struct connection *);

/* upload.c: a checked file from outside, stored under VAR_DIR/uploads. */
int		 upload_store(const unsigned char *, size_t, const char *, char *,
		    size_t);
void		 upload_unstore(const char *);

/* chat.c: the portal's live chat (websockets at /chat/ws). */
void		 chat_init(void);
void		 dbjob_every(struct dbjob *, const char *, int,
		    void (*)(struct kore_pgsql *, int, void *));

/* suggest.c: the suggested article an operator used on a ticket. */
struct suggest_use {
	char	kind[16];	/* '\0': none */
	char	ref[65];
};
int		 suggest_use_read(struct web *, struct suggest_use *, char *,
		    size_t);
int		 suggest_use_store(struct http_request *, struct web *,
		    const char *, const struct suggest_use *);

/* prune.c */
void		 prune_init(void);

/* notice.c: reminders to agencies before a ticket falls due. */
void		 notice_init(void);

/*
 * live.c: NOTIFY on a channel reaches fn on every worker's event loop;
 * fn(NULL) when notifications may have been lost (reload from the
 * database).  live_listen() at start-up, then live_start() once.
 */
void		 live_listen(const char *, void (*)(const char *));
void		 live_start(void);

/*
 * mail_fetch.c: the center's mailbox over IMAP, one fetcher for all the
 * workers and machines; mail_send.c (outbox.h) sends over SMTP.
 */
#define MAIL_SETTING_MAX	4001	/* a channel_settings value and NUL */
void		 mail_fetch_init(void);

/* catalog.c: the procedures catalog (issue 10) */
void		 catalog_link_arg(struct sbuf *, const char *, const char *);

/* articles.c: the articles' kinds, for the portal and admin_articles.c */
const char	*article_kind_label(const char *);
const char	*article_kind_code(size_t);

/* catalog_sync.c: the scheduled sync of the catalog from a URL */
void		 catalog_sync_init(void);

#endif
