/*
 * catalog_sync: the scheduled sync of the national procedures database
 * from a configured URL (issue 10).  An administrator sets the URL, an
 * optional credential, the hour of the daily sync and a timeout at
 * /quan-tri/thu-tuc/dong-bo, and may ask for a sync now.
 *
 * One fetcher for all the workers and machines, as mail_fetch.c: a thread
 * per worker, the one holding a PostgreSQL advisory lock does the work,
 * never on the event loop.  A due sync streams the file with libcurl to a
 * temporary file under var/ (at most CATALOG_SYNC_FILE_MAX bytes, within
 * the timeout), then gives it to the importer's own parser and
 * procedures_import_apply() with import_runs.via = 'sync', so refused
 * rows, re-import by code and withdrawn marking are the upload's.  A
 * source that fails (an HTTP error, a timeout, a file the parser refuses)
 * is recorded as a failed run with its reason, and changes nothing.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <curl/curl.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <unistd.h>

#include "app.h"
#include "bgdb.h"
#include "admin.h"
#include "outbox.h"
#include "procedure.h"
#include "valid.h"

#define SYNC_LOCK_KEY		"1022026901"	/* pg_try_advisory_lock's */
#define SYNC_POLL_MS		2000		/* how often it looks */
#define SYNC_WAIT_MS		30000		/* without the lock */
#define CATALOG_SYNC_FILE_MAX	(64L * 1024 * 1024)
#define SYNC_URL_MAX		1000
#define SYNC_ERR_MAX		300

struct sync_job {
	char	url[SYNC_URL_MAX + 1];
	char	username[201];
	char	password[501];
	long	timeout_sec;
};

struct sync_file {
	int	fd;
	long	len;
	int	too_big;
};

static void	*catalog_sync_thread(void *);
static int	 sync_lock(PGconn *);
static int	 sync_claim(PGconn *, struct sync_job *);
static void	 sync_run(PGconn *, const struct sync_job *);
static int	 sync_fetch(const struct sync_job *, int, char *, size_t);
static size_t	 sync_write(char *, size_t, size_t, void *);
static void	 sync_import(PGconn *, const struct sync_job *, int);
static void	 sync_failed(PGconn *, const struct sync_job *, const char *);
static void	 sync_finish(PGconn *, int, const char *, const char *);

static const char *const SQL_SYNC_RESET =
    "UPDATE catalog_sync SET running = false WHERE running";

static const char *const SQL_SYNC_CLAIM =
    "UPDATE catalog_sync s SET running = true, requested_at = NULL, "
    "last_at = now() WHERE catalog_sync_due(s) "
    "RETURNING url, username, password, timeout_sec";

/* $1 ok, $2 error, $3 run. */
static const char *const SQL_SYNC_FINISH =
    "UPDATE catalog_sync SET running = false, last_ok = $1::boolean, "
    "last_error = NULLIF($2, ''), last_run = NULLIF($3, '')::integer";

static const char *const SQL_SYNC_FAILED =
    "INSERT INTO import_runs (via, filename, state, error, finished_at) "
    "VALUES ('sync', left($1, 300), 'failed', $2, now()) RETURNING id";

static const char *const SQL_SYNC_START =
    "INSERT INTO import_runs (via, filename, total, rejected) "
    "VALUES ('sync', left($1, 300), $2::integer, $3::jsonb) RETURNING id";

static const char *const SQL_SYNC_APPLY =
    "CALL procedures_import_apply($1::integer, $2::jsonb)";

void
catalog_sync_init(void)
{
	app_thread_start("catalog-sync", catalog_sync_thread, NULL);
}

static void *
catalog_sync_thread(void *arg)
{
	struct sync_job	*job;
	PGconn		*db = NULL;
	int		 locked = 0, rc;

	if ((job = calloc(1, sizeof(*job))) == NULL)
		return (NULL);
	for (;;) {
		if (db == NULL && (db = bgdb_connect("catalog sync")) == NULL) {
			if (app_thread_poll(-1, SYNC_WAIT_MS) == -1)
				break;
			continue;
		}
		if (!locked && (locked = sync_lock(db)) != 1) {
			if (locked == -1) {
				PQfinish(db);
				db = NULL;
			}
			locked = 0;
			if (app_thread_poll(-1, SYNC_WAIT_MS) == -1)
				break;
			continue;
		}
		if ((rc = sync_claim(db, job)) == -1) {
			PQfinish(db);		/* the lock goes with it */
			db = NULL;
			locked = 0;
		} else if (rc == 1)
			sync_run(db, job);
		explicit_bzero(job->password, sizeof(job->password));
		if (app_thread_poll(-1, SYNC_POLL_MS) == -1)
			break;
	}
	if (db != NULL)
		PQfinish(db);
	free(job);
	return (NULL);
}

/*
 * 1 if this connection now holds the sync's lock, 0 if another does, -1
 * on a database error.  A sync marked running by a worker that died is
 * no longer running: the lock is ours.
 */
static int
sync_lock(PGconn *db)
{
	PGresult	*res;
	int		 rc;

	if ((rc = bgdb_try_lock(db, SYNC_LOCK_KEY, "catalog sync")) == 1) {
		res = PQexec(db, SQL_SYNC_RESET);
		PQclear(res);
	}
	return (rc);
}

/* 1 with a due sync claimed in job, 0 when none is due, -1 on error. */
static int
sync_claim(PGconn *db, struct sync_job *job)
{
	PGresult	*res;
	int		 rc;

	res = PQexec(db, SQL_SYNC_CLAIM);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		kore_log(LOG_WARNING, "catalog sync: %s", PQerrorMessage(db));
		PQclear(res);
		return (-1);
	}
	rc = PQntuples(res) == 1;
	if (rc) {
		kore_strlcpy(job->url, PQgetvalue(res, 0, 0), sizeof(job->url));
		kore_strlcpy(job->username, PQgetvalue(res, 0, 1),
		    sizeof(job->username));
		kore_strlcpy(job->password, PQgetvalue(res, 0, 2),
		    sizeof(job->password));
		job->timeout_sec = atol(PQgetvalue(res, 0, 3));
	}
	PQclear(res);
	return (rc);
}

/* Fetch to a temporary file, import it, remove it. */
static void
sync_run(PGconn *db, const struct sync_job *job)
{
	char	path[PATH_MAX], err[SYNC_ERR_MAX];
	int	fd;

	kore_log(LOG_INFO, "catalog sync: fetching the source");
	(void)snprintf(path, sizeof(path), "%s/catalog-sync-XXXXXX",
	    app.var_dir);
	if ((fd = mkstemp(path)) == -1) {
		kore_log(LOG_WARNING, "catalog sync: %s: %s", path,
		    strerror(errno));
		sync_failed(db, job, "Không tạo được tệp tạm để tải về.");
		return;
	}
	(void)unlink(path);	/* gone with the descriptor */
	if (sync_fetch(job, fd, err, sizeof(err)) == -1)
		sync_failed(db, job, err);
	else
		sync_import(db, job, fd);
	(void)close(fd);
}

/* The source into fd: 0, or -1 with the reason (Vietnamese) in err. */
static int
sync_fetch(const struct sync_job *job, int fd, char *err, size_t errlen)
{
	struct sync_file	 f;
	CURL			*curl;
	CURLcode		 rc;
	long			 status = 0;

	memset(&f, 0, sizeof(f));
	f.fd = fd;
	if ((curl = curl_easy_init()) == NULL) {
		kore_strlcpy(err, "Không khởi động được libcurl.", errlen);
		return (-1);
	}
	(void)curl_easy_setopt(curl, CURLOPT_URL, job->url);
	(void)curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	(void)curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR,
	    "http,https");
	(void)curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	(void)curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
	(void)curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	(void)curl_easy_setopt(curl, CURLOPT_TIMEOUT, job->timeout_sec);
	(void)curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
	    job->timeout_sec < 10 ? job->timeout_sec : 10L);
	(void)curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)CATALOG_SYNC_FILE_MAX);
	(void)curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
	if (job->username[0] != '\0' || job->password[0] != '\0') {
		(void)curl_easy_setopt(curl, CURLOPT_USERNAME, job->username);
		(void)curl_easy_setopt(curl, CURLOPT_PASSWORD, job->password);
	}
	(void)curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, sync_write);
	(void)curl_easy_setopt(curl, CURLOPT_WRITEDATA, &f);
	httpc_stoppable(curl);
	rc = curl_easy_perform(curl);
	(void)curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(curl);

	if (f.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		(void)snprintf(err, errlen, "Tệp nguồn lớn hơn %ld MB.",
		    CATALOG_SYNC_FILE_MAX / (1024 * 1024));
		return (-1);
	}
	if (rc == CURLE_OPERATION_TIMEDOUT) {
		(void)snprintf(err, errlen, "Nguồn không trả lời trong %ld "
		    "giây.", job->timeout_sec);
		return (-1);
	}
	if (rc != CURLE_OK) {
		(void)snprintf(err, errlen, "Không tải được từ nguồn: %s.",
		    curl_easy_strerror(rc));
		return (-1);
	}
	if (status != 200) {
		(void)snprintf(err, errlen, "Nguồn trả về mã HTTP %ld.",
		    status);
		return (-1);
	}
	if (f.len == 0) {
		kore_strlcpy(err, "Nguồn trả về tệp rỗng.", errlen);
		return (-1);
	}
	return (0);
}

static size_t
sync_write(char *data, size_t size, size_t n, void *arg)
{
	struct sync_file	*f = arg;
	ssize_t			 w;
	size_t			 done;

	n *= size;
	if (f->len + (long)n > CATALOG_SYNC_FILE_MAX) {
		f->too_big = 1;
		return (0);		/* libcurl stops with an error */
	}
	for (done = 0; done < n; done += (size_t)w) {
		if ((w = write(f->fd, data + done, n - done)) == -1) {
			if (errno == EINTR) {
				w = 0;
				continue;
			}
			return (0);
		}
	}
	f->len += (long)n;
	return (n);
}

/* The fetched file through the importer, as an upload would go. */
static void
sync_import(PGconn *db, const struct sync_job *job, int fd)
{
	PGresult	*res;
	struct stat	 st;
	json_t		*rows, *rejected;
	const char	*name, *params[3];
	char		 err[SYNC_ERR_MAX], total[16], run[16];
	char		*rows_s = NULL, *rejected_s = NULL;
	void		*map;

	if (fstat(fd, &st) == -1 || st.st_size == 0) {
		sync_failed(db, job, "Không đọc được tệp đã tải về.");
		return;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		sync_failed(db, job, "Không đọc được tệp đã tải về.");
		return;
	}
	/* The format from the URL's last part, else from the content. */
	name = strrchr(job->url, '/');
	name = name != NULL ? name + 1 : job->url;
	rows = json_array();
	rejected = json_array();
	err[0] = '\0';
	if (procedure_import_parse(map, (size_t)st.st_size,
	    procedure_import_format(name, map, (size_t)st.st_size), rows,
	    rejected, err, sizeof(err)) == -1) {
		sync_failed(db, job, err);
		goto done;
	}
	if (json_array_size(rows) == 0) {
		/* Applying nothing would withdraw every procedure. */
		sync_failed(db, job, "Tệp nguồn không có thủ tục hợp lệ nào: "
		    "không nhập gì.");
		goto done;
	}
	rows_s = json_dumps(rows, JSON_COMPACT);
	rejected_s = json_dumps(rejected, JSON_COMPACT);
	if (rows_s == NULL || rejected_s == NULL) {
		sync_failed(db, job, "Không đọc được tệp đã tải về.");
		goto done;
	}
	(void)snprintf(total, sizeof(total), "%zu", json_array_size(rows));
	params[0] = job->url;
	params[1] = total;
	params[2] = rejected_s;
	res = PQexecParams(db, SQL_SYNC_START, 3, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		kore_log(LOG_WARNING, "catalog sync: %s", PQerrorMessage(db));
		PQclear(res);
		sync_finish(db, 0, "Không ghi được lần đồng bộ.", "");
		goto done;
	}
	kore_strlcpy(run, PQgetvalue(res, 0, 0), sizeof(run));
	PQclear(res);
	params[0] = run;
	params[1] = rows_s;
	res = PQexecParams(db, SQL_SYNC_APPLY, 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		kore_log(LOG_WARNING, "catalog sync: apply: %s",
		    PQerrorMessage(db));
		PQclear(res);
		sync_finish(db, 0, "Không áp dụng được dữ liệu đã tải về.",
		    run);
		goto done;
	}
	PQclear(res);
	kore_log(LOG_INFO, "catalog sync: run %s applied", run);
	sync_finish(db, 1, "", run);
done:
	free(rows_s);
	free(rejected_s);
	json_decref(rows);
	json_decref(rejected);
	(void)munmap(map, (size_t)st.st_size);
}

/* A failed run on record with its reason; nothing else changes. */
static void
sync_failed(PGconn *db, const struct sync_job *job, const char *reason)
{
	PGresult	*res;
	const char	*params[2];
	char		 run[16];

	kore_log(LOG_NOTICE, "catalog sync: failed: %s", reason);
	run[0] = '\0';
	params[0] = job->url;
	params[1] = reason;
	res = PQexecParams(db, SQL_SYNC_FAILED, 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		kore_strlcpy(run, PQgetvalue(res, 0, 0), sizeof(run));
	PQclear(res);
	sync_finish(db, 0, reason, run);
}

static void
sync_finish(PGconn *db, int ok, const char *reason, const char *run)
{
	PGresult	*res;
	const char	*params[3];

	params[0] = ok ? "true" : "false";
	params[1] = reason;
	params[2] = run;
	res = PQexecParams(db, SQL_SYNC_FINISH, 3, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		kore_log(LOG_WARNING, "catalog sync: %s", PQerrorMessage(db));
	PQclear(res);
}

/*
 * /quan-tri/thu-tuc/dong-bo: the settings and the last outcome; the form
 * saves them.  The credential is never sent back: the page says whether
 * one is set, an empty field keeps it.
 */
static const char	SQL_SYNC_LOAD[] =
    "SELECT s.url, s.username, s.password <> '' AS has_password, s.enabled, "
    "s.hour, s.timeout_sec, s.requested_at IS NOT NULL AS requested, "
    "s.running, coalesce(to_char(s.last_at, 'DD/MM/YYYY HH24:MI:SS'), '') "
    "AS last, s.last_ok IS TRUE AS last_ok, s.last_ok IS FALSE AS last_failed, "
    "coalesce(s.last_error, '') AS last_error, "
    "coalesce(s.last_run::text, '') AS last_run, "
    "coalesce(i.state, '') AS run_state, i.created, i.updated, i.unchanged, "
    "i.withdrawn, jsonb_array_length(i.rejected) AS nrejected "
    "FROM catalog_sync s LEFT JOIN import_runs i ON i.id = s.last_run";

/* $1 url, $2 username, $3 password, $4 clear it, $5 enabled, $6 hour,
 * $7 timeout, $8 who. */
static const char	SQL_SYNC_SAVE[] =
    "UPDATE catalog_sync SET url = $1, username = $2, "
    "password = CASE WHEN $4::boolean THEN '' WHEN $3 = '' THEN password "
    "ELSE $3 END, enabled = $5::boolean, hour = $6::smallint, "
    "timeout_sec = $7::smallint, updated_by = $8::integer RETURNING 1";

static const char	SQL_SYNC_NOW[] =
    "UPDATE catalog_sync SET requested_at = now() WHERE url <> '' "
    "RETURNING 1";

static int	sync_page(struct http_request *, struct web *, int,
		    const char *, const char *);

enum { SPAGE_LOAD, SPAGE_SAVE, SPAGE_DONE };

int
catalog_sync_settings_step(struct http_request *req, struct web *w)
{
	char	url[SYNC_URL_MAX * 4 + 1], user[201 * 4], pass[501 * 4];
	char	err[200], who[16], hour_s[8], timeout_s[8];
	int	hour, timeout;

	switch (w->step) {
	case SPAGE_LOAD:
		return (web_query(req, w, SQL_SYNC_LOAD, 0));
	case SPAGE_SAVE:
		if (web_rows(w, SPAGE_LOAD) != 1)
			return (web_error(req, w, 500,
			    "Thiếu cấu hình đồng bộ."));
		if (!web_is_post(req))
			return (sync_page(req, w, 200, NULL,
			    web_arg(w, "da-luu", NULL) != NULL ? "Đã lưu." :
			    web_arg(w, "da-yeu-cau", NULL) != NULL ?
			    "Đã yêu cầu đồng bộ: kết quả hiện ở đây khi xong "
			    "(tải lại trang)." : NULL));
		if (web_text(w, "url", SYNC_URL_MAX, 0, 0, url, sizeof(url),
		    "Địa chỉ nguồn", err, sizeof(err)) == -1 ||
		    web_text(w, "username", 200, 0, 0, user, sizeof(user),
		    "Tên đăng nhập", err, sizeof(err)) == -1 ||
		    web_text(w, "password", 500, 0, 0, pass, sizeof(pass),
		    "Mật khẩu", err, sizeof(err)) == -1)
			return (sync_page(req, w, 400, err, NULL));
		if (url[0] != '\0' && !valid_http_url(url))
			return (sync_page(req, w, 400, "Địa chỉ nguồn phải bắt "
			    "đầu bằng http:// hoặc https:// và không có khoảng "
			    "trắng.", NULL));
		if (admin_int(w, "hour", 0, 23, &hour) == -1)
			return (sync_page(req, w, 400, "Giờ đồng bộ phải từ 0 "
			    "đến 23.", NULL));
		if (admin_int(w, "timeout", 2, 3600, &timeout) == -1)
			return (sync_page(req, w, 400, "Thời gian chờ phải từ "
			    "2 đến 3600 giây.", NULL));
		if (admin_checked(w, "enabled") && url[0] == '\0')
			return (sync_page(req, w, 400, "Vui lòng ghi địa chỉ "
			    "nguồn trước khi bật đồng bộ hằng ngày.", NULL));
		(void)snprintf(hour_s, sizeof(hour_s), "%d", hour);
		(void)snprintf(timeout_s, sizeof(timeout_s), "%d", timeout);
		admin_actor(w, who, sizeof(who));
		return (web_queryv(req, w, SQL_SYNC_SAVE, 8, (const char *[]){
		    url, user, pass,
		    admin_checked(w, "clear_password") ? "true" : "false",
		    admin_checked(w, "enabled") ? "true" : "false",
		    hour_s, timeout_s, who }));
	case SPAGE_DONE:
	default:
		return (web_redirect(req, "/quan-tri/thu-tuc/dong-bo?da-luu=1"));
	}
}

/* /quan-tri/thu-tuc/dong-bo/ngay: the fetcher takes it within seconds. */
enum { SNOW_SAVE, SNOW_DONE };

int
catalog_sync_now_step(struct http_request *req, struct web *w)
{
	if (w->step == SNOW_SAVE)
		return (web_query(req, w, SQL_SYNC_NOW, 0));
	if (web_rows(w, SNOW_SAVE) != 1)
		return (web_error(req, w, 400,
		    "Chưa đặt địa chỉ nguồn để đồng bộ."));
	return (web_redirect(req, "/quan-tri/thu-tuc/dong-bo?da-yeu-cau=1"));
}

static int
sync_page(struct http_request *req, struct web *w, int status,
    const char *err, const char *notice)
{
	struct tval	*o;
	const char	*v;

	admin_nav(w, "catalog");
	o = tval_set_obj(w->view, "s");
	web_view_row(w, o, SPAGE_LOAD, 0);
	tval_set(o, "password", "");
	if (err != NULL) {
		tval_set(w->view, "error", err);
		if ((v = web_arg(w, "url", NULL)) != NULL)
			tval_set(o, "url", v);
		if ((v = web_arg(w, "username", NULL)) != NULL)
			tval_set(o, "username", v);
	}
	if (notice != NULL)
		tval_set(w->view, "notice", notice);
	return (web_render(req, w, status, "admin_catalog_sync",
	    "Đồng bộ thủ tục hành chính"));
}
