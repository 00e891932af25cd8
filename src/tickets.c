/*
 * tickets: what citizens do with a ticket — submit one, track it — on the
 * portal (HTML form, no JavaScript needed) and through the JSON API.  The
 * two share one validation and one SQL path, so they cannot drift apart.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <sodium.h>
#include <time.h>

#include "app.h"
#include "ticket.h"
#include "code.h"
#include "refdata.h"
#include "sniff.h"
#include "valid.h"
#include "workflow.h"

#define RATE_WINDOW_SEC		"600"

#define ACK_TEXT "Tổng đài Thông tin dịch vụ công tỉnh Đồng Tháp đã nhận được " \
    "thông tin góp ý, phản ánh của Quý khách, xin cảm ơn."

struct submission {
	char	name[TICKET_NAME_MAX_CHARS * 4 + 1];
	char	phone[VALID_PHONE_LEN + 1];
	char	email[TICKET_EMAIL_MAX_BYTES + 1];
	char	title[TICKET_TITLE_MAX_CHARS * 4 + 1];
	char	*content;
	int	field_id;
	char	field_id_s[16];
	char	code[CODE_LEN + 1];
	char	due[32];
	char	key[65];
	char	rate_key[80];
	char	stored[UPLOAD_MAX_FILES][64];
	char	mime[UPLOAD_MAX_FILES][32];
	char	size[UPLOAD_MAX_FILES][16];
	int	nfiles;
};

int		tickets_submit_step(struct http_request *, struct web *);
static int	read_submission(struct web *, struct submission *, char *,
		    size_t, const char **);
static int	check_uploads(struct web *, char *, size_t);
static int	store_uploads(struct web *);
static void	unstore_uploads(struct submission *, int);
static int	bad_input(struct http_request *, struct web *, const char *,
		    const char *);
static void	submission_free(void *);
static int	rate_limited(struct http_request *, struct web *);
static void	fmt_time(const char *, char *, size_t);

/*
 * The steps of a submission; the result of the query a step starts is
 * kept under that step's name.
 */
enum submit_step {
	SUBMIT_READ,		/* validate; peek at the rate limit */
	SUBMIT_FILES,		/* write the attachments (task) */
	SUBMIT_STORE,		/* ticket_submit() */
	SUBMIT_ATTACH,		/* the attachments' rows */
	SUBMIT_REPLY
};
/* (In the switch below SUBMIT_FILES comes first, so that a submission
 * without files falls through from SUBMIT_READ to SUBMIT_STORE.) */

static const char *const submit_fields[] = {
	"name", "phone", "email", "field", "title", "content", NULL
};

static const char	SQL_SUBMIT[] =
    "SELECT id, code, created FROM ticket_submit("
    "$1, $2, $3, $4, NULLIF($5, ''), NULLIF($6, '')::integer, $7, $8, $9, "
    "$10::timestamptz, $11, $12::integer, " RATE_WINDOW_SEC ", NULL, "
    TICKET_DEDUPE_WINDOW_SEC ")";

/* Under the limit, without counting a hit: ticket_submit counts it. */
static const char	SQL_RATE_PEEK[] =
    "SELECT rate_limit_ok($1, $2::integer, " RATE_WINDOW_SEC ") AS ok";

/* $2: [{"stored": …, "name": …, "mime": …, "size": "123"}, …] */
static const char	SQL_ATTACH[] =
    "INSERT INTO attachments (ticket_id, stored_name, original_name, mime, size) "
    "SELECT $1::bigint, x.stored, x.name, x.mime, x.size::integer "
    "FROM jsonb_to_recordset($2::jsonb) AS x (stored text, name text, mime text, "
    "size text)";

/*
 * One row per public event; the ticket's columns repeat on each.  The
 * phone is part of the key: a wrong phone and an unknown code look the
 * same, so codes cannot be probed for other people's tickets.
 */
static const char	SQL_TRACK[] =
    "SELECT * FROM ticket_track($1, $2)";	/* migrations/0005_fast_paths.sql */

int
tickets_home_step(struct http_request *req, struct web *w)
{
	refdata_view_fields(w->view, 0);
	return (web_render(req, w, 200, "portal_home",
	    "Gửi câu hỏi, phản ánh, kiến nghị"));
}

/*
 * The portal form (api 0), the JSON API (WEB_API_JSON) and Open311
 * (WEB_API_OPEN311, fields already mapped by open311.c) all submit here.
 */
int
tickets_submit_step(struct http_request *req, struct web *w)
{
	struct submission	*s = w->data;
	struct sbuf		 b;
	const char		*bad, *code;
	char			 err[256], ip[64], n[8];
	int			 created, i, rc;
	struct sbuf		 files;

	switch (w->step) {
	case SUBMIT_FILES:
		if (!web_bool(w, SUBMIT_READ, 0, "ok"))
			return (rate_limited(req, w));
		/* On a lane's thread: a ticket is stored only once its
		 * attachments are on disk. */
		return (web_task(req, w, LANE_DISK, store_uploads));
	case SUBMIT_READ:
		s = kore_calloc(1, sizeof(*s));
		w->data = s;
		w->data_free = submission_free;
		bad = NULL;
		if (!read_submission(w, s, err, sizeof(err), &bad))
			return (bad_input(req, w, err, bad));
		(void)snprintf(s->rate_key, sizeof(s->rate_key), "submit:%s",
		    web_client_ip(req, ip, sizeof(ip)));
		(void)snprintf(n, sizeof(n), "%d", app.rate_submit);
		/*
		 * Files are the expensive part (up to 3 x 5 MB, fsync'd): an
		 * address over its limit is refused before they are written.
		 * ticket_submit counts the hit itself.
		 */
		if (s->nfiles > 0)
			return (web_query(req, w, SQL_RATE_PEEK, 2, s->rate_key, n));
		w->step = SUBMIT_STORE;
		/* FALLTHROUGH */
	case SUBMIT_STORE:
		if (s->nfiles > 0 && w->task_result != 1)
			return (web_error(req, w, 500,
			    "Không lưu được tệp đính kèm, vui lòng thử lại."));
		(void)snprintf(n, sizeof(n), "%d", app.rate_submit);
		w->want_errors = 1;
		return (web_query(req, w, SQL_SUBMIT, 12, s->code,
		    w->route->api == WEB_API_OPEN311 ? "open311" : "web", s->name, s->phone, s->email,
		    s->field_id_s, s->title, s->content, s->key, s->due,
		    s->rate_key, n));
	case SUBMIT_ATTACH:
		if (w->sqlstate[0] != '\0' || web_rows(w, SUBMIT_STORE) != 1)
			unstore_uploads(s, s->nfiles);
		if (strcmp(w->sqlstate, "T1022") == 0)
			return (rate_limited(req, w));
		if (w->sqlstate[0] != '\0' || web_rows(w, SUBMIT_STORE) != 1) {
			kore_log(LOG_ERR, "tickets: submit failed (sqlstate '%s')",
			    w->sqlstate);
			return (web_error(req, w, 500,
			    "Chưa lưu được phản ánh, vui lòng thử lại."));
		}
		created = web_bool(w, SUBMIT_STORE, 0, "created");
		/* A repeated submission keeps the first one's attachments. */
		if (!created)
			unstore_uploads(s, s->nfiles);
		if (created && s->nfiles > 0) {
			/* JSON, not array literals: a file name may hold
			 * anything an array literal would misread. */
			sbuf_init(&files);
			sbuf_lit(&files, "[");
			for (i = 0; i < s->nfiles; i++) {
				if (i > 0)
					sbuf_lit(&files, ",");
				sbuf_lit(&files, "{");
				json_kv(&files, "stored", s->stored[i], 1);
				json_kv(&files, "name", w->form.file[i].filename, 0);
				json_kv(&files, "mime", s->mime[i], 0);
				json_kv(&files, "size", s->size[i], 0);
				sbuf_lit(&files, "}");
			}
			sbuf_lit(&files, "]");
			w->want_errors = 0;
			rc = web_query(req, w, SQL_ATTACH, 2,
			    web_val(w, SUBMIT_STORE, 0, "id"), files.data);
			sbuf_free(&files);
			return (rc);
		}
		/* FALLTHROUGH */
	case SUBMIT_REPLY:
	default:
		code = web_val(w, SUBMIT_STORE, 0, "code");
		created = web_bool(w, SUBMIT_STORE, 0, "created");
		if (w->route->api == WEB_API_OPEN311) {
			sbuf_init(&b);
			sbuf_lit(&b, "[{");
			json_kv(&b, "service_request_id", code, 1);
			json_kv(&b, "service_notice", ACK_TEXT, 0);
			json_kv(&b, "account_id", NULL, 0);
			sbuf_lit(&b, "}]");
			web_json(req, created ? 201 : 200, &b);
			sbuf_free(&b);
			return (WEB_DONE);
		}
		if (w->route->api) {
			sbuf_init(&b);
			sbuf_lit(&b, "{");
			json_kv(&b, "code", code, 1);
			json_kv(&b, "message", ACK_TEXT, 0);
			sbuf_appendf(&b, ",\"duplicate\":%s}",
			    created ? "false" : "true");
			web_json(req, created ? 201 : 200, &b);
			sbuf_free(&b);
			return (WEB_DONE);
		}
		tval_set(w->view, "code", code);
		tval_set(w->view, "phone", s->phone);
		tval_set(w->view, "ack", ACK_TEXT);
		tval_set_bool(w->view, "duplicate", !created);
		return (web_render(req, w, created ? 201 : 200, "portal_submitted",
		    "Đã tiếp nhận phản ánh"));
	}
}

/*
 * Everything a citizen typed, checked against explicit limits.  On a bad
 * field the message names it, and bad_field says which (for the form).
 */
static int
read_submission(struct web *w, struct submission *s, char *err, size_t errlen,
    const char **bad_field)
{
	const struct ref_field	*f;
	const char		*v;
	size_t			 len;
	unsigned char		 h[crypto_generichash_BYTES];
	crypto_generichash_state st;
	int			 rc;

	if (w->route->api == WEB_API_JSON) {
		if (w->body_kind != WEB_BODY_JSON) {
			(void)snprintf(err, errlen,
			    "Content-Type phải là application/json.");
			*bad_field = "content-type";
			return (0);
		}
		if (!json_to_form(&w->form, w->body, w->body_len, submit_fields,
		    err, errlen)) {
			*bad_field = "body";
			return (0);
		}
	}

	if (!web_text(w, "name", TICKET_NAME_MAX_CHARS, 0, 1, s->name, sizeof(s->name),
	    "Họ và tên", err, errlen)) {
		*bad_field = "name";
		return (0);
	}

	v = web_arg(w, "phone", &len);
	if (v == NULL || len == 0 || len > 32 || strlen(v) != len) {
		(void)snprintf(err, errlen, "Vui lòng nhập số điện thoại để tra cứu và liên hệ.");
		*bad_field = "phone";
		return (0);
	}
	if (valid_phone_vn(v, s->phone, sizeof(s->phone)) != VALID_OK) {
		(void)snprintf(err, errlen,
		    "Số điện thoại không hợp lệ (ví dụ: 0912 345 678 hoặc 0277 3851 234).");
		*bad_field = "phone";
		return (0);
	}

	v = web_arg(w, "email", &len);
	if (v != NULL && len > 0) {
		if (len > TICKET_EMAIL_MAX_BYTES || strlen(v) != len ||
		    !valid_email(v, len)) {
			(void)snprintf(err, errlen, "Địa chỉ e-mail không hợp lệ.");
			*bad_field = "email";
			return (0);
		}
		memcpy(s->email, v, len + 1);
	}

	v = web_arg(w, "field", &len);
	if (v != NULL && len > 0 && strcmp(v, "khong-ro") != 0) {
		f = NULL;
		if (len < 48 && strlen(v) == len) {
			f = refdata_field_by_code(v);
			if (f == NULL && v[0] >= '1' && v[0] <= '9' && len < 8)
				f = refdata_field_by_id(atoi(v));
		}
		if (f == NULL) {
			(void)snprintf(err, errlen, "Lĩnh vực không hợp lệ.");
			*bad_field = "field";
			return (0);
		}
		s->field_id = f->id;
		(void)snprintf(s->field_id_s, sizeof(s->field_id_s), "%d", f->id);
	}

	if (!web_text(w, "title", TICKET_TITLE_MAX_CHARS, 0, 1, s->title,
	    sizeof(s->title), "Tiêu đề", err, errlen)) {
		*bad_field = "title";
		return (0);
	}
	s->content = kore_calloc(1, TICKET_CONTENT_MAX_CHARS * 4 + 1);
	if (!web_text(w, "content", TICKET_CONTENT_MAX_CHARS, 1, 1, s->content,
	    TICKET_CONTENT_MAX_CHARS * 4 + 1, "Nội dung", err, errlen)) {
		*bad_field = "content";
		return (0);
	}

	if ((rc = check_uploads(w, err, errlen)) < 0) {
		*bad_field = "files";
		return (0);
	}
	s->nfiles = rc;

	/* Same phone, title and content: the same submission. */
	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	crypto_generichash_update(&st, (unsigned char *)s->phone, strlen(s->phone) + 1);
	crypto_generichash_update(&st, (unsigned char *)s->title, strlen(s->title) + 1);
	crypto_generichash_update(&st, (unsigned char *)s->content, strlen(s->content));
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(s->key, sizeof(s->key), h, 32);

	f = s->field_id ? refdata_field_by_id(s->field_id) : NULL;
	tickets_new_code_due(f ? f->deadline_days : TICKET_DEFAULT_DEADLINE_DAYS,
	    s->code, s->due);
	return (1);
}

/*
 * A new ticket's public code (year and month of receipt, local time) and
 * its due time in working days from now, as UTC text for PostgreSQL.
 * code holds CODE_LEN + 1 bytes, due 32.
 */
void
tickets_new_code_due(int days, char *code, char *due)
{
	unsigned char	rnd[8];
	struct tm	tm;
	time_t		now, d;

	now = time(NULL);
	randombytes_buf(rnd, sizeof(rnd));
	now += REFDATA_UTC_OFFSET;
	gmtime_r(&now, &tm);
	now -= REFDATA_UTC_OFFSET;
	code_format(code, rnd, tm.tm_year % 100, tm.tm_mon + 1);
	d = refdata_due(now, days);
	gmtime_r(&d, &tm);
	strftime(due, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}


/* Files: at most UPLOAD_MAX_FILES, each an image or PDF by its bytes. */
static int
check_uploads(struct web *w, char *err, size_t errlen)
{
	const char	*ext;
	int		 i, n;

	n = 0;
	for (i = 0; i < w->form.nfiles; i++) {
		if (w->form.file[i].len == 0 &&
		    w->form.file[i].filename[0] == '\0')
			continue;	/* an empty file input */
		if (strcmp(w->form.file[i].name, "files") != 0)
			continue;
		if (++n > UPLOAD_MAX_FILES) {
			(void)snprintf(err, errlen,
			    "Chỉ được đính kèm tối đa %d tệp.", UPLOAD_MAX_FILES);
			return (-1);
		}
		if (w->form.file[i].len > UPLOAD_MAX_BYTES) {
			(void)snprintf(err, errlen,
			    "Tệp \"%.60s\" lớn hơn 5 MB.", w->form.file[i].filename);
			return (-1);
		}
		if (sniff_upload(w->form.file[i].data, w->form.file[i].len,
		    &ext) == NULL) {
			(void)snprintf(err, errlen,
			    "Tệp \"%.60s\" không phải ảnh (JPEG, PNG, WebP) hoặc PDF.",
			    w->form.file[i].filename);
			return (-1);
		}
		if (!valid_utf8(w->form.file[i].filename,
		    strlen(w->form.file[i].filename))) {
			(void)snprintf(err, errlen, "Tên tệp không hợp lệ.");
			return (-1);
		}
	}
	/* Keep only the real files, in order, at the front. */
	for (i = 0, n = 0; i < w->form.nfiles; i++) {
		if (strcmp(w->form.file[i].name, "files") != 0 ||
		    w->form.file[i].len == 0)
			continue;
		if (i != n) {
			struct form_file tmp = w->form.file[n];
			w->form.file[n] = w->form.file[i];
			w->form.file[i] = tmp;
		}
		n++;
	}
	return (n);
}

/*
 * Uploads go outside the web root under random names, written to a
 * temporary name and renamed once complete, so a half-written file is
 * never taken for an attachment.  Runs on a lane's thread: it touches only
 * this request's submission and files.  Returns 1, or 0 with nothing left
 * on disk.
 */
static int
store_uploads(struct web *w)
{
	struct submission	*s = w->data;
	char		 dir[PATH_MAX], tmp[PATH_MAX], path[PATH_MAX], rnd[33];
	unsigned char	 r[16];
	const char	*ext, *mime;
	ssize_t		 n;
	size_t		 off;
	int		 fd, i, ok;

	(void)snprintf(dir, sizeof(dir), "%s/uploads", app.var_dir);
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		kore_log(LOG_ERR, "uploads: mkdir %s: %s", dir, errno_s);
		return (0);
	}
	for (i = 0; i < s->nfiles; i++) {
		mime = sniff_upload(w->form.file[i].data, w->form.file[i].len, &ext);
		randombytes_buf(r, sizeof(r));
		sodium_bin2hex(rnd, sizeof(rnd), r, sizeof(r));
		(void)snprintf(s->stored[i], sizeof(s->stored[i]), "%s.%s", rnd, ext);
		kore_strlcpy(s->mime[i], mime, sizeof(s->mime[i]));
		(void)snprintf(s->size[i], sizeof(s->size[i]), "%zu",
		    w->form.file[i].len);
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    s->stored[i]) >= sizeof(path) - 8)
			break;
		(void)snprintf(tmp, sizeof(tmp), "%.4000s.part", path);
		if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
			kore_log(LOG_ERR, "uploads: open %s: %s", tmp, errno_s);
			break;
		}
		for (off = 0; off < w->form.file[i].len; off += n) {
			n = write(fd, w->form.file[i].data + off,
			    w->form.file[i].len - off);
			if (n <= 0)
				break;
		}
		ok = off == w->form.file[i].len && fsync(fd) == 0;
		ok = close(fd) == 0 && ok;
		if (!ok || rename(tmp, path) == -1) {
			kore_log(LOG_ERR, "uploads: %s: %s", path, errno_s);
			unlink(tmp);
			break;
		}
	}
	if (i < s->nfiles) {
		unstore_uploads(s, i);
		return (0);
	}
	return (1);
}

/* The first n stored files of a submission that will not be kept. */
static void
unstore_uploads(struct submission *s, int n)
{
	char	path[PATH_MAX];
	int	i;

	for (i = 0; i < n; i++) {
		if (s->stored[i][0] == '\0')
			continue;
		(void)snprintf(path, sizeof(path), "%s/uploads/%s",
		    app.var_dir, s->stored[i]);
		(void)unlink(path);
		s->stored[i][0] = '\0';
	}
}

static int
bad_input(struct http_request *req, struct web *w, const char *err,
    const char *field)
{
	struct sbuf	b;
	static const char *const keep[] = {
		"name", "phone", "email", "title", "content", NULL
	};
	const char	*v;
	int		 i, status;

	status = strcmp(field, "content-type") == 0 ? 415 : 400;
	if (w->route->api == WEB_API_OPEN311) {
		/* GeoReport v2 errors: a list of {code, description}. */
		sbuf_init(&b);
		sbuf_appendf(&b, "[{\"code\":%d,", status);
		json_kv(&b, "description", err, 1);
		sbuf_lit(&b, "}]");
		web_json(req, status, &b);
		sbuf_free(&b);
		return (WEB_DONE);
	}
	if (w->route->api) {
		sbuf_init(&b);
		sbuf_lit(&b, "{");
		json_kv(&b, "error", err, 1);
		json_kv(&b, "field", field, 0);
		sbuf_lit(&b, "}");
		web_json(req, status, &b);
		sbuf_free(&b);
		return (WEB_DONE);
	}
	/* Show the form again with what was typed, so nothing is lost. */
	for (i = 0; keep[i] != NULL; i++) {
		v = web_arg(w, keep[i], NULL);
		if (v != NULL && valid_utf8(v, strlen(v)))
			tval_set(w->view, keep[i], v);
	}
	v = web_arg(w, "field", NULL);
	refdata_view_fields(w->view,
	    v != NULL && refdata_field_by_code(v) ? refdata_field_by_code(v)->id : 0);
	tval_set(w->view, "error", err);
	tval_setf(w->view, "error_field", "%s", field);
	return (web_render(req, w, status, "portal_home",
	    "Gửi câu hỏi, phản ánh, kiến nghị"));
}

static int
rate_limited(struct http_request *req, struct web *w)
{
	http_response_header(req, "retry-after", RATE_WINDOW_SEC);
	return (web_error(req, w, 429,
	    "Bạn đã gửi quá nhiều phản ánh trong thời gian ngắn. "
	    "Vui lòng thử lại sau ít phút hoặc gọi 1022."));
}

static void
submission_free(void *p)
{
	struct submission	*s = p;

	kore_free(s->content);
	kore_free(s);
}

int
tickets_track_step(struct http_request *req, struct web *w)
{
	struct sbuf	 b;
	struct tval	*list, *o;
	const char	*v, *status;
	char		 code[CODE_LEN + 1], phone[VALID_PHONE_LEN + 1], when[32];
	char		 arg[48];
	int		 i, n;

	if (w->step == 0) {
		if (w->route->api) {
			/* /api/v1/tickets/{code}; too long: not a code */
			(void)web_path_arg(req, w, 1, arg, sizeof(arg));
			v = arg;
		} else {
			v = web_arg(w, "ma", NULL);
			if (v == NULL)
				return (web_render(req, w, 200, "portal_track",
				    "Tra cứu phản ánh"));
			tval_set(w->view, "ma", valid_utf8(v, strlen(v)) ? v : "");
		}
		if (strlen(v) > 40 || code_parse(v, code) != 0) {
			w->step = 2;
			return (tickets_track_step(req, w));
		}
		v = web_arg(w, "phone", NULL);
		if (v == NULL)
			v = web_arg(w, "dt", NULL);
		if (v == NULL || strlen(v) > 32 ||
		    valid_phone_vn(v, phone, sizeof(phone)) != VALID_OK) {
			if (w->route->api) {
				return (web_error(req, w, 400,
				    "Cần số điện thoại đã dùng khi gửi phản ánh (tham số phone)."));
			}
			w->step = 2;
			return (tickets_track_step(req, w));
		}
		tval_set(w->view, "dt", phone);
		return (web_query(req, w, SQL_TRACK, 2, code, phone));
	}

	n = web_rows(w, 0);
	if (n == 0) {
		if (w->route->api)
			return (web_error(req, w, 404,
			    "Không tìm thấy phản ánh với mã và số điện thoại này."));
		tval_set(w->view, "not_found",
		    "Không tìm thấy phản ánh với mã và số điện thoại này. "
		    "Vui lòng kiểm tra lại mã phiếu và số điện thoại đã dùng khi gửi.");
		return (web_render(req, w, 404, "portal_track", "Tra cứu phản ánh"));
	}

	status = web_val(w, 0, 0, "status");
	if (w->route->api) {
		sbuf_init(&b);
		sbuf_lit(&b, "{");
		json_kv(&b, "code", web_val(w, 0, 0, "code"), 1);
		json_kv(&b, "status", status, 0);
		json_kv(&b, "status_text", workflow_public_status_vi(status), 0);
		json_kv(&b, "title", web_val(w, 0, 0, "title"), 0);
		json_kv(&b, "field", web_val(w, 0, 0, "field"), 0);
		json_kv(&b, "agency", web_val(w, 0, 0, "agency"), 0);
		json_kv(&b, "created_at", web_val(w, 0, 0, "created_at"), 0);
		json_kv(&b, "answer", web_val(w, 0, 0, "answer"), 0);
		json_kv(&b, "answered_at", web_val(w, 0, 0, "answered_at"), 0);
		sbuf_lit(&b, ",\"timeline\":[");
		for (i = 0; i < n; i++) {
			sbuf_append(&b, i ? ",{" : "{", i ? 2 : 1);
			json_kv(&b, "at", web_val(w, 0, i, "event_at"), 1);
			json_kv(&b, "event", web_val(w, 0, i, "event_kind"), 0);
			json_kv(&b, "text", web_val(w, 0, i, "event_note"), 0);
			sbuf_lit(&b, "}");
		}
		sbuf_lit(&b, "]}");
		web_json(req, 200, &b);
		sbuf_free(&b);
		return (WEB_DONE);
	}

	o = tval_set_obj(w->view, "ticket");
	tval_set(o, "code", web_val(w, 0, 0, "code"));
	tval_set(o, "status_text", workflow_public_status_vi(status));
	tval_set(o, "title", web_val(w, 0, 0, "title"));
	tval_set(o, "content", web_val(w, 0, 0, "content"));
	tval_set(o, "field", web_val(w, 0, 0, "field"));
	tval_set(o, "agency", web_val(w, 0, 0, "agency"));
	fmt_time(web_val(w, 0, 0, "created_at"), when, sizeof(when));
	tval_set(o, "created_at", when);
	tval_set(o, "answer", web_val(w, 0, 0, "answer"));
	fmt_time(web_val(w, 0, 0, "answered_at"), when, sizeof(when));
	tval_set(o, "answered_at", when);
	list = tval_set_list(o, "timeline");
	for (i = 0; i < n; i++) {
		struct tval *e = tval_list_add(list);
		fmt_time(web_val(w, 0, i, "event_at"), when, sizeof(when));
		tval_set(e, "at", when);
		tval_set(e, "text", web_val(w, 0, i, "event_note"));
	}
	return (web_render(req, w, 200, "portal_track", "Tra cứu phản ánh"));
}

/* "2026-11-23T15:04:05+07:00" → "23/11/2026 15:04". */
static void
fmt_time(const char *iso, char *out, size_t len)
{
	if (iso == NULL || strlen(iso) < 16) {
		out[0] = '\0';
		return;
	}
	(void)snprintf(out, len, "%.2s/%.2s/%.4s %.5s", iso + 8, iso + 5, iso,
	    iso + 11);
}
