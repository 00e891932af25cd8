/*
 * web: the life of one request, as one state machine.
 *
 *   INIT ──▶ (session lookup) ──▶ STEP ⇄ QUERY_START ⇄ QUERY_WAIT ──▶ done
 *
 * A handler is a step function.  Each call either starts one query
 * (web_query, returns WEB_WAIT) or sends the response (WEB_DONE).  The
 * result of the query started at step k is res[k] when the step function
 * runs again with step k + 1.  Workers never block on the database: a
 * query that waits for a connection or for PostgreSQL puts the request to
 * sleep and Kore wakes it.
 *
 * Beside it: web_session.c (who is asking: session, CSRF, roles, cookies)
 * and web_reply.c (what goes back: page, JSON, error, redirect, file).
 */
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <regex.h>
#include <stddef.h>

#include <sodium.h>
#include <stdarg.h>

#include "app.h"
#include "valid.h"

#define BODY_MAX_DEFAULT	(64 * 1024)

static int	state_init(struct http_request *);
static int	state_step(struct http_request *);
static int	state_query_start(struct http_request *);
static int	state_query_wait(struct http_request *);
static int	state_task_wait(struct http_request *);

#define S_INIT		0
#define S_STEP		1
#define S_QUERY_START	2
#define S_QUERY_WAIT	3
#define S_TASK_WAIT	4

static struct http_state states[] = {
	{ "S_INIT",		state_init },
	{ "S_STEP",		state_step },
	{ "S_QUERY_START",	state_query_start },
	{ "S_QUERY_WAIT",	state_query_wait },
	{ "S_TASK_WAIT",	state_task_wait },
};

static void	web_free(struct http_request *);
static void	query_clear(struct web *);
static int	read_body(struct http_request *, struct web *);
static int	db_unavailable(struct http_request *, struct web *);
static int	db_retry(struct http_request *, struct web *);
static int	db_retry_unknown(struct http_request *, struct web *);
static int	sql_repeatable(const char *);
static int	task_entry(void *);
static int	path_match(struct http_request *, struct web *);
static void	web_release(void *);

/*
 * A connection PostgreSQL has closed must not go back to Kore's pool:
 * releasing it there would hand it out again, and its fd is gone, which
 * Kore's release treats as fatal.  Kore's own error path closes and
 * forgets it (and clears sql->conn).
 */
void
web_pgsql_drop_broken(struct kore_pgsql *sql)
{
	if (sql->conn != NULL && sql->conn->job != NULL &&
	    (sql->conn->db == NULL || PQstatus(sql->conn->db) == CONNECTION_BAD ||
	    PQsocket(sql->conn->db) == -1))
		kore_pgsql_handle(sql->conn, 1);
}

int
web_run(struct http_request *req, const struct web_route *route)
{
	struct web	*w;

	if (!http_state_exists(req)) {
		w = http_state_create(req, sizeof(*w), web_free);
		w->route = route;
		form_init(&w->form);
		kore_pgsql_init(&w->sql);
	}
	return (http_state_run(states, sizeof(states) / sizeof(states[0]), req));
}

/*
 * The request's onfree.  A client that hangs up while a lane's thread
 * hashes its password or writes its files must not free what that thread
 * works on: the job takes the state over (and Kore's body buffer, which
 * Kore would free next) and the lane releases it when the thread is done.
 */
static void
web_free(struct http_request *req)
{
	struct web	*w;

	if ((w = http_state_get(req)) == NULL)
		return;
	web_pgsql_drop_broken(&w->sql);
	kore_pgsql_cleanup(&w->sql);
	if (w->job != NULL && !lane_job_done(w->job)) {
		if (req->http_body != NULL && w->body == req->http_body->data) {
			w->kept_body = req->http_body;
			req->http_body = NULL;
		}
		kore_log(LOG_INFO, "web: %s: client gone while a job runs; "
		    "the job keeps its state", req->path);
		lane_job_orphan(w->job, web_release);
		w->job = NULL;
		req->hdlr_extra = NULL;		/* ours now, not Kore's */
		return;
	}
	web_release(w);
	req->hdlr_extra = NULL;
}

/* Everything a request's state holds, and the state itself. */
static void
web_release(void *arg)
{
	struct web	*w = arg;
	int		 i;

	if (w->job != NULL)
		lane_job_free(w->job);
	query_clear(w);
	for (i = 0; i < WEB_MAX_RESULTS; i++) {
		if (w->res[i] != NULL)
			PQclear(w->res[i]);
	}
	form_free(&w->form);
	if (w->body_map != NULL)
		(void)munmap(w->body_map, w->body_len);
	if (w->kept_body != NULL)
		kore_buf_free(w->kept_body);
	if (w->view != NULL)
		tval_free(w->view);
	if (w->data_free != NULL && w->data != NULL)
		w->data_free(w->data);
	kore_free(w);
}

static int
state_init(struct http_request *req)
{
	struct web	*w = http_state_get(req);
	int		 rc;

	if (!(req->method & w->route->methods)) {
		http_response_header(req, "allow",
		    (w->route->methods & HTTP_METHOD_POST) ? "GET, POST" : "GET");
		web_error(req, w, 405, "Phương thức không được hỗ trợ.");
		return (HTTP_STATE_COMPLETE);
	}

	if (req->query_string != NULL) {
		rc = form_parse_urlencoded(&w->form, req->query_string,
		    strlen(req->query_string));
		if (rc != FORM_OK) {
			web_error(req, w, 400, "Địa chỉ không hợp lệ.");
			return (HTTP_STATE_COMPLETE);
		}
	}
	if (req->method == HTTP_METHOD_POST && read_body(req, w) == -1)
		return (HTTP_STATE_COMPLETE);

	w->view = tval_obj();
	if (web_session_start(req, w)) {
		req->fsm_state = S_QUERY_START;
		return (HTTP_STATE_CONTINUE);
	}

	if (w->route->roles != WEB_PUBLIC) {
		web_session_done(req, w);
		return (HTTP_STATE_COMPLETE);
	}
	if (!web_csrf_ok(req, w)) {
		web_error(req, w, 403,
		    "Phiên làm việc đã hết hạn. Vui lòng tải lại trang và gửi lại.");
		return (HTTP_STATE_COMPLETE);
	}
	req->fsm_state = S_STEP;
	return (HTTP_STATE_CONTINUE);
}

static int
state_step(struct http_request *req)
{
	struct web	*w = http_state_get(req);
	int		 r;

	if (w->phase == PHASE_SESSION) {
		if (!web_session_done(req, w))
			return (HTTP_STATE_COMPLETE);
	}

	if (w->step >= WEB_MAX_RESULTS) {
		kore_log(LOG_ERR, "web: %s: too many steps", req->path);
		web_error(req, w, 500, "Lỗi hệ thống.");
		return (HTTP_STATE_COMPLETE);
	}

	r = w->route->step(req, w);
	if (r == WEB_WAIT) {
		req->fsm_state = S_QUERY_START;
		return (HTTP_STATE_CONTINUE);
	}
	if (r == WEB_TASK) {
		req->fsm_state = S_TASK_WAIT;
		return (HTTP_STATE_RETRY);
	}
	return (HTTP_STATE_COMPLETE);
}

static int
state_task_wait(struct http_request *req)
{
	struct web	*w = http_state_get(req);

	if (!lane_job_done(w->job))
		return (HTTP_STATE_RETRY);
	w->task_result = lane_job_result(w->job);
	lane_job_free(w->job);
	w->job = NULL;
	w->step++;
	req->fsm_state = S_STEP;
	return (HTTP_STATE_CONTINUE);
}

/*
 * Run fn(w) on a thread of the lane (LANE_HASH, LANE_DISK); the request
 * sleeps until it is done and the step function runs again with step + 1
 * and w->task_result.  fn must only touch what belongs to this request.
 */
int
web_task(struct http_request *req, struct web *w, int lane,
    int (*fn)(struct web *))
{
	w->task_fn = fn;
	w->job = lane_run(lane, req, task_entry, w);
	return (WEB_TASK);
}

/* On the lane's thread. */
static int
task_entry(void *arg)
{
	struct web	*w = arg;

	return (w->task_fn(w));
}

static int
state_query_start(struct http_request *req)
{
	struct web	*w = http_state_get(req);
	int		 i, len[WEB_MAX_PARAMS], fmt[WEB_MAX_PARAMS];

	web_pgsql_drop_broken(&w->sql);
	kore_pgsql_cleanup(&w->sql);
	kore_pgsql_init(&w->sql);
	kore_pgsql_bind_request(&w->sql, req);

	if (!kore_pgsql_setup(&w->sql, APP_DB_NAME, KORE_PGSQL_ASYNC)) {
		/* Still INIT: queued for a free connection; Kore wakes us. */
		if (w->sql.state == KORE_PGSQL_STATE_INIT)
			return (HTTP_STATE_RETRY);
		kore_pgsql_logerror(&w->sql);
		return (db_retry(req, w));
	}

	for (i = 0; i < w->q_nparams; i++) {
		len[i] = w->q_param[i] ? (int)strlen(w->q_param[i]) : 0;
		fmt[i] = 0;
	}
	if (!kore_pgsql_query_param_fields(&w->sql, w->q_sql, 0, w->q_nparams,
	    (const char **)w->q_param, len, fmt)) {
		kore_pgsql_logerror(&w->sql);
		return (db_retry(req, w));
	}
	w->q_answered = 0;
	req->fsm_state = S_QUERY_WAIT;
	return (HTTP_STATE_CONTINUE);
}

static int
state_query_wait(struct http_request *req)
{
	struct web	*w = http_state_get(req);
	const char	*code;

	switch (w->sql.state) {
	case KORE_PGSQL_STATE_WAIT:
		return (HTTP_STATE_RETRY);
	case KORE_PGSQL_STATE_RESULT:
		w->q_answered = 1;
		/* Keep the result past kore_pgsql_continue(). */
		if (w->res[w->step] != NULL)
			PQclear(w->res[w->step]);
		w->res[w->step] = w->sql.result;
		w->sql.result = NULL;
		kore_pgsql_continue(&w->sql);
		return (HTTP_STATE_CONTINUE);
	case KORE_PGSQL_STATE_ERROR:
		code = NULL;
		if (w->sql.result != NULL)
			code = PQresultErrorField(w->sql.result, PG_DIAG_SQLSTATE);
		/*
		 * Operator intervention (57: shutdown, restart), a
		 * serialization failure or a deadlock (40001, 40P01): the
		 * statement did not take effect; run it again on a fresh
		 * connection.  No SQLSTATE or a connection class (08): the
		 * connection broke and the statement may have committed.
		 */
		if (code == NULL || strncmp(code, "08", 2) == 0) {
			/* The connection went: did it commit first? */
			kore_pgsql_logerror(&w->sql);
			return (db_retry_unknown(req, w));
		}
		if (strncmp(code, "57", 2) == 0 || strcmp(code, "40001") == 0 ||
		    strcmp(code, "40P01") == 0) {
			/* PostgreSQL refused it: it rolled back. */
			kore_pgsql_logerror(&w->sql);
			return (db_retry(req, w));
		}
		/* PostgreSQL answered, with an error: not a lost connection. */
		w->q_answered = 1;
		kore_strlcpy(w->sqlstate, code, sizeof(w->sqlstate));
		if (!w->want_errors) {
			kore_pgsql_logerror(&w->sql);
			web_error(req, w, 500, "Lỗi hệ thống, vui lòng thử lại sau.");
			return (HTTP_STATE_COMPLETE);
		}
		kore_pgsql_continue(&w->sql);
		return (HTTP_STATE_CONTINUE);
	case KORE_PGSQL_STATE_DONE:
		/*
		 * Kore says "done" after the rows or command status, and also
		 * when the connection died before anything came back: then the
		 * statement did not run, and it runs again elsewhere.
		 */
		if (w->sql.result != NULL)
			w->q_answered = 1;
		if (!w->q_answered) {
			kore_log(LOG_NOTICE, "web: no answer to a query (connection lost)");
			return (db_retry_unknown(req, w));
		}
		kore_pgsql_continue(&w->sql);
		return (HTTP_STATE_CONTINUE);
	case KORE_PGSQL_STATE_COMPLETE:
		query_clear(w);
		w->step++;
		req->fsm_state = S_STEP;
		return (HTTP_STATE_CONTINUE);
	default:
		kore_pgsql_continue(&w->sql);
		return (HTTP_STATE_CONTINUE);
	}
}

/*
 * The connection broke after the statement was sent (PostgreSQL
 * restarted, a fail-over): it may have committed.  A read runs again; so
 * does a write whose SQL says it is safe to repeat (sql_repeatable).
 * Any other write is not sent twice: the user hears that it may or may
 * not have been saved.
 */
static int
db_retry_unknown(struct http_request *req, struct web *w)
{
	if (sql_repeatable(w->q_sql))
		return (db_retry(req, w));
	kore_log(LOG_NOTICE, "web: %s: connection lost during a write; "
	    "not repeated", req->path);
	http_response_header(req, "retry-after", "5");
	web_error(req, w, 503,
	    "Mất kết nối tới cơ sở dữ liệu trong khi lưu: yêu cầu có thể đã "
	    "được lưu hoặc chưa. Vui lòng tải lại trang để kiểm tra trước "
	    "khi gửi lại.");
	return (HTTP_STATE_COMPLETE);
}

/*
 * A statement may run twice if it changes nothing (no INSERT, UPDATE or
 * DELETE in it), or if it starts with the comment "repeatable" because
 * running it again has no further effect: submissions deduplicated by
 * their key, actions that update only from the status the user saw,
 * call events stored once per id.  The reason is written beside the SQL.
 */
static int
sql_repeatable(const char *sql)
{
	if (sql == NULL)
		return (1);
	if (strncmp(sql, SQL_REPEATABLE, sizeof(SQL_REPEATABLE) - 1) == 0)
		return (1);
	return (strstr(sql, "INSERT ") == NULL &&
	    strstr(sql, "UPDATE ") == NULL && strstr(sql, "DELETE ") == NULL);
}

/*
 * Not connected, or the statement could not be sent, or PostgreSQL
 * refused it: nothing took effect, so it runs again on a fresh
 * connection (Kore drops the broken one).
 */
static int
db_retry(struct http_request *req, struct web *w)
{
	web_pgsql_drop_broken(&w->sql);
	/* Each try drops one dead connection; the pool may hold that many. */
	if (w->db_retries++ > pgsql_conn_max)
		return (db_unavailable(req, w));
	req->fsm_state = S_QUERY_START;
	return (HTTP_STATE_CONTINUE);
}

/*
 * The database is down or restarting: nothing was written, say so plainly
 * and let the client retry.
 */
static int
db_unavailable(struct http_request *req, struct web *w)
{
	http_response_header(req, "retry-after", "5");
	web_error(req, w, 503,
	    "Hệ thống đang bận hoặc bảo trì, chưa lưu được yêu cầu. "
	    "Vui lòng thử lại sau ít phút.");
	return (HTTP_STATE_COMPLETE);
}

static int
read_body(struct http_request *req, struct web *w)
{
	const char	*ct;
	char		 boundary[80];
	size_t		 max;
	void		*map;
	int		 rc;

	/*
	 * Kore has read the body already (it checks only its global
	 * http_body_max, the largest route's, from Content-Length); each
	 * route's own limit is checked from the length before anything is
	 * parsed.  The body is used where Kore keeps it, not copied: in
	 * memory, or past http_body_disk_offload in a file, mapped.
	 */
	max = w->route->body_max ? w->route->body_max : BODY_MAX_DEFAULT;
	if (req->http_body_length > max) {
		web_error(req, w, 413, "Dữ liệu gửi lên quá lớn.");
		return (-1);
	}
	if (req->http_body != NULL && req->http_body_length > 0) {
		/* Rewound by Kore (offset 0); the bytes are all there. */
		if (req->http_body->length < req->http_body_length) {
			web_error(req, w, 400, "Không đọc được dữ liệu gửi lên.");
			return (-1);
		}
		w->body = req->http_body->data;
		w->body_len = req->http_body_length;
	} else if (req->http_body_fd != -1 && req->http_body_length > 0) {
		map = mmap(NULL, req->http_body_length, PROT_READ, MAP_PRIVATE,
		    req->http_body_fd, 0);
		if (map == MAP_FAILED) {
			kore_log(LOG_ERR, "web: mmap of a %zu-byte body: %s",
			    req->http_body_length, errno_s);
			web_error(req, w, 500, "Lỗi hệ thống, vui lòng thử lại sau.");
			return (-1);
		}
		w->body_map = map;
		w->body = map;
		w->body_len = req->http_body_length;
	}

	if (!http_request_header(req, "content-type", &ct))
		ct = "";
	if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0) {
		w->body_kind = WEB_BODY_FORM;
		rc = form_parse_urlencoded(&w->form, (char *)w->body, w->body_len);
	} else if (strncasecmp(ct, "multipart/form-data", 19) == 0) {
		w->body_kind = WEB_BODY_MULTIPART;
		rc = form_boundary(ct, boundary, sizeof(boundary));
		if (rc == FORM_OK)
			rc = form_parse_multipart(&w->form, boundary, w->body,
			    w->body_len);
	} else if (strncasecmp(ct, "application/json", 16) == 0) {
		w->body_kind = WEB_BODY_JSON;
		rc = FORM_OK;
	} else {
		w->body_kind = WEB_BODY_OTHER;
		rc = FORM_OK;
	}
	if (rc == FORM_E_TOO_MANY) {
		web_error(req, w, 400, "Biểu mẫu có quá nhiều trường hoặc tệp.");
		return (-1);
	}
	if (rc != FORM_OK) {
		web_error(req, w, 400, "Dữ liệu biểu mẫu không hợp lệ.");
		return (-1);
	}
	return (0);
}

int
web_query(struct http_request *req, struct web *w, const char *sql, int n, ...)
{
	const char	*p[WEB_MAX_PARAMS];
	va_list		 ap;
	int		 i;

	if (n > WEB_MAX_PARAMS)
		fatal("web_query: %d parameters", n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		p[i] = va_arg(ap, const char *);
	va_end(ap);
	return (web_queryv(req, w, sql, n, p));
}

int
web_queryv(struct http_request *req, struct web *w, const char *sql, int n,
    const char **params)
{
	int	i;

	if (n > WEB_MAX_PARAMS)
		fatal("web_queryv: %d parameters", n);
	query_clear(w);
	w->q_sql = kore_strdup(sql);
	for (i = 0; i < n; i++)
		w->q_param[i] = params[i] ? kore_strdup(params[i]) : NULL;
	w->q_nparams = n;
	w->sqlstate[0] = '\0';
	return (WEB_WAIT);
}

static void
query_clear(struct web *w)
{
	int	i;

	kore_free(w->q_sql);
	w->q_sql = NULL;
	for (i = 0; i < w->q_nparams; i++) {
		kore_free(w->q_param[i]);
		w->q_param[i] = NULL;
	}
	w->q_nparams = 0;
}

const char *
web_arg(struct web *w, const char *name, size_t *len)
{
	return (form_get(&w->form, name, len));
}

/*
 * Group n (from 1) of the route's regex in the path, copied into buf: ""
 * when it is an optional group that took no part: 0.  -1 when the route
 * has no such group or it does not fit.  Kore 4.1 compiles its routes with
 * REG_NOSUB and so never fills req->cgroups: each worker compiles the
 * regexes of routes.def once more, with groups, the first time it needs one.
 */
int
web_path_arg(struct http_request *req, struct web *w, int n, char *buf,
    size_t len)
{
	size_t	glen;

	buf[0] = '\0';
	if (n < 1 || n > WEB_PATH_GROUPS)
		return (-1);
	if (w->path_groups == 0)
		w->path_groups = path_match(req, w);
	if (w->path_groups == -1 || n >= w->path_groups)
		return (-1);
	if (w->path_so[n] == -1)
		return (0);
	glen = (size_t)(w->path_eo[n] - w->path_so[n]);
	if (glen >= len)
		return (-1);
	memcpy(buf, req->path + w->path_so[n], glen);
	buf[glen] = '\0';
	return (0);
}

/*
 * Matches the path against the route's regex, compiled with groups once
 * per worker: 1 + the number of groups, or -1 (a plain route, no match).
 */
static int
path_match(struct http_request *req, struct web *w)
{
	static regex_t	 re[ROUTE_COUNT];
	static int	 compiled[ROUTE_COUNT];	/* 1: ok, -1: failed */
	regmatch_t	 m[WEB_PATH_GROUPS + 1];
	const struct web_route *r = w->route;
	int		 i;

	if (r->path[0] != '^')
		return (-1);
	if (compiled[r->id] == 0) {
		compiled[r->id] = regcomp(&re[r->id], r->path, REG_EXTENDED) ?
		    -1 : 1;
		if (compiled[r->id] == -1)
			kore_log(LOG_ERR, "web: bad route regex %s", r->path);
	}
	if (compiled[r->id] != 1 ||
	    regexec(&re[r->id], req->path, WEB_PATH_GROUPS + 1, m, 0) != 0)
		return (-1);
	for (i = 0; i <= WEB_PATH_GROUPS; i++) {
		w->path_so[i] = (int)m[i].rm_so;
		w->path_eo[i] = (int)m[i].rm_eo;
	}
	return (1 + (int)MIN(re[r->id].re_nsub, WEB_PATH_GROUPS));
}

/*
 * Group n of the path as a row's id: 1 to 18 digits, above zero (leading
 * zeros are dropped), written back as PostgreSQL reads a bigint: 0, or
 * -1 when it is none.
 */
int
web_path_id(struct http_request *req, struct web *w, int n, char *buf,
    size_t len)
{
	char		 digits[WEB_PATH_ID_DIGITS + 1];
	size_t		 i;
	long long	 v;

	if (web_path_arg(req, w, n, digits, sizeof(digits)) == -1 ||
	    digits[0] == '\0')
		return (-1);
	v = 0;
	for (i = 0; digits[i] != '\0'; i++) {
		if (digits[i] < '0' || digits[i] > '9')
			return (-1);
		v = v * 10 + (digits[i] - '0');	/* 18 digits: no overflow */
	}
	if (v == 0)
		return (-1);
	return (snprintf(buf, len, "%lld", v) < (int)len ? 0 : -1);
}

int
web_rows(struct web *w, int k)
{
	if (k < 0 || k >= WEB_MAX_RESULTS || w->res[k] == NULL)
		return (0);
	return (PQntuples(w->res[k]));
}

/* A column by name; NULL for SQL NULL or a missing row. */
const char *
web_val(struct web *w, int k, int row, const char *col)
{
	int	c;

	if (k < 0 || k >= WEB_MAX_RESULTS || w->res[k] == NULL ||
	    row >= PQntuples(w->res[k]))
		return (NULL);
	if ((c = PQfnumber(w->res[k], col)) < 0)
		fatal("web_val: no column %s", col);
	if (PQgetisnull(w->res[k], row, c))
		return (NULL);
	return (PQgetvalue(w->res[k], row, c));
}

int
web_bool(struct web *w, int k, int row, const char *col)
{
	const char	*v;

	v = web_val(w, k, row, col);
	return (v != NULL && v[0] == 't');
}

/* A column by name as a JSON string, or null (see web_val). */
json_t *
web_json_val(struct web *w, int k, int row, const char *col)
{
	return (json_text(web_val(w, k, row, col)));
}

/* Copy every column of a row into a template object, by column name. */
void
web_view_row(struct web *w, struct tval *obj, int k, int row)
{
	int	c, n;

	n = PQnfields(w->res[k]);
	for (c = 0; c < n; c++) {
		if (PQgetisnull(w->res[k], row, c))
			continue;
		if (PQftype(w->res[k], c) == 16) {	/* bool */
			tval_set_bool(obj, PQfname(w->res[k], c),
			    PQgetvalue(w->res[k], row, c)[0] == 't');
		} else {
			tval_set(obj, PQfname(w->res[k], c),
			    PQgetvalue(w->res[k], row, c));
		}
	}
}

int
web_is_post(struct http_request *req)
{
	return (req->method == HTTP_METHOD_POST);
}

/*
 * The citizen's address, for rate limits and logs.  Behind nginx or
 * HAProxy every request comes from the proxy; only then, and only from an
 * address in APP_TRUSTED_PROXIES, is X-Forwarded-For believed, and of it
 * only the last hop: the address our own proxy saw.
 */
const char *
web_client_ip(struct http_request *req, char *buf, size_t len)
{
	const char	*xff, *last;
	char		 peer[INET6_ADDRSTRLEN];
	size_t		 n;

	web_peer_ip(req, peer, sizeof(peer));
	if (app.trusted_proxies[0] == '\0' || !web_ip_in_list(peer,
	    app.trusted_proxies) || !http_request_header(req,
	    "x-forwarded-for", &xff)) {
		kore_strlcpy(buf, peer, len);
		return (buf);
	}
	last = strrchr(xff, ',');
	last = last != NULL ? last + 1 : xff;
	while (*last == ' ')
		last++;
	n = strcspn(last, " ");
	if (n == 0 || n >= len || n >= INET6_ADDRSTRLEN ||
	    strspn(last, "0123456789abcdefABCDEF.:") < n) {
		kore_strlcpy(buf, peer, len);
		return (buf);
	}
	memcpy(buf, last, n);
	buf[n] = '\0';
	return (buf);
}

/* Exact match in a comma-separated list of addresses. */
int
web_ip_in_list(const char *ip, const char *list)
{
	size_t		 n;
	const char	*p;

	n = strlen(ip);
	for (p = list; *p != '\0'; ) {
		while (*p == ',' || *p == ' ')
			p++;
		if (strncmp(p, ip, n) == 0 && (p[n] == ',' || p[n] == ' ' ||
		    p[n] == '\0'))
			return (1);
		p += strcspn(p, ",");
	}
	return (0);
}

void
web_peer_ip(struct http_request *req, char *buf, size_t len)
{
	if (req->owner->family == AF_INET) {
		inet_ntop(AF_INET, &req->owner->addr.ipv4.sin_addr, buf, len);
	} else if (req->owner->family == AF_INET6) {
		inet_ntop(AF_INET6, &req->owner->addr.ipv6.sin6_addr, buf, len);
	} else {
		kore_strlcpy(buf, "local", len);
	}
}

/*
 * A text field of a form: valid UTF-8, no control characters (newlines
 * only when multiline), at most max_chars characters, trimmed; optional
 * ones may be empty: 0.  -1 with a Vietnamese message naming the field
 * if not.
 */
int
web_text(struct web *w, const char *name, int max_chars, int multiline,
    int required, char *out, size_t outlen, const char *label, char *err,
    size_t errlen)
{
	const char	*v;
	size_t		 len;
	int		 rc;

	v = web_arg(w, name, &len);
	rc = v == NULL || len == 0 ? VALID_EEMPTY :
	    strlen(v) != len ? VALID_EUTF8 :
	    valid_text(v, len, max_chars, multiline);
	if (rc == VALID_EEMPTY && !required) {
		out[0] = '\0';
		return (0);
	}
	if (rc == VALID_EEMPTY) {
		(void)snprintf(err, errlen, "Vui lòng nhập %s.", label);
		return (-1);
	}
	if (rc == VALID_ETOOLONG || (rc == VALID_OK && len >= outlen)) {
		(void)snprintf(err, errlen, "%s quá dài (tối đa %d ký tự).",
		    label, max_chars);
		return (-1);
	}
	if (rc != VALID_OK) {
		(void)snprintf(err, errlen, "%s: %s", label, valid_error_vi(rc));
		return (-1);
	}
	memcpy(out, v, len + 1);
	(void)valid_trim(out);		/* in place */
	return (0);
}

