/*
 * tickets: what citizens do with a ticket — submit one, track it — on the
 * portal (HTML form, no JavaScript needed) and through the JSON API.  The
 * two share one validation and one SQL path, so they cannot drift apart.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <sodium.h>

#include "app.h"
#include "ticket.h"
#include "code.h"
#include "open311.h"
#include "refdata.h"
#include "sniff.h"
#include "ticket_actions.h"
#include "valid.h"
#include "workflow.h"


#define ACK_TEXT "Tổng đài Thông tin dịch vụ công tỉnh Đồng Tháp đã nhận được " \
    "thông tin góp ý, phản ánh của Quý khách, xin cảm ơn."

/* A citizen's submission: the ticket to be, and its files. */
struct submission {
	struct ticket_new t;
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

/* The steps are enum submit_step (app.h: open311.c starts one too).
 * (In the switch below SUBMIT_FILES comes first, so that a submission
 * without files falls through from SUBMIT_READ to SUBMIT_STORE.) */

static const char *const submit_fields[] = {
	"name", "phone", "email", "field", "kind", "title", "content", NULL
};

/* The portal's form, the JSON API's and Open311's (mapped by open311.c). */
static const struct ticket_form	submit_form = {
	.channel = "web",
	.name_required = 1,
	.email = 1,
	.field_by_code = 1,
	.phone_missing = "Vui lòng nhập số điện thoại để tra cứu và liên hệ.",
	.phone_invalid = "Số điện thoại không hợp lệ "
	    "(ví dụ: 0912 345 678 hoặc 0277 3851 234).",
	.title_label = "Tiêu đề",
	.content_label = "Nội dung",
};

/*
 * Open311's, as the spec has it: a phone or an e-mail or neither (the
 * request is then followed by its id); a phone given must be one.
 */
static const struct ticket_form	open311_form = {
	.channel = "open311",
	.name_required = 1,
	.email = 1,
	.field_by_code = 1,
	.phone_optional = 1,
	.phone_invalid = "phone không phải số điện thoại Việt Nam hợp lệ "
	    "(ví dụ: 0912 345 678 hoặc 0277 3851 234).",
	.title_label = "Tiêu đề",
	.content_label = "description",
};

/* Under the limit, without counting a hit: ticket_submit counts it. */
static const char	SQL_RATE_PEEK[] =
    "SELECT rate_limit_ok($1, $2::integer, " TICKET_RATE_WINDOW_SEC ") AS ok";

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
    "SELECT * FROM ticket_track($1, $2)";	/* migrations/0065_levels.sql */

/* A ticket closed with a guidance instead of an answer. */
#define TRACK_GUIDED	"Đã kết thúc, Tổng đài đã hướng dẫn cách giải quyết"

int
tickets_home_step(struct http_request *req, struct web *w)
{
	refdata_view_fields(w->view, 0);
	ta_view_kinds(w->view, NULL);
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
	const char		*bad, *code;
	char			 err[256], ip[64], n[8], *text;
	int			 created, i, rc;
	json_t			*files;

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
		if (read_submission(w, s, err, sizeof(err), &bad) == -1)
			return (bad_input(req, w, err, bad));
		(void)snprintf(s->t.rate_key, sizeof(s->t.rate_key), "submit:%s",
		    web_client_ip(req, ip, sizeof(ip)));
		s->t.rate_max = app.rate_submit;
		/* An Open311 client's key has its own limit. */
		if (w->route->api == WEB_API_OPEN311)
			open311_rate(w, s->t.rate_key, sizeof(s->t.rate_key),
			    &s->t.rate_max);
		(void)snprintf(n, sizeof(n), "%d", s->t.rate_max);
		/*
		 * Files are the expensive part (up to 3 x 5 MB, fsync'd): an
		 * address over its limit is refused before they are written.
		 * ticket_submit counts the hit itself.
		 */
		if (s->nfiles > 0)
			return (web_query(req, w, SQL_RATE_PEEK, 2, s->t.rate_key,
			    n));
		w->step = SUBMIT_STORE;
		/* FALLTHROUGH */
	case SUBMIT_STORE:
		if (s->nfiles > 0 && w->task_result != 1)
			return (web_error(req, w, 500,
			    "Không lưu được tệp đính kèm, vui lòng thử lại."));
		w->want_errors = 1;
		return (ticket_store(req, w, &s->t));
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
			files = json_array();
			for (i = 0; i < s->nfiles; i++) {
				json_list_add(&files, json_pack(
				    "{s:o,s:o,s:o,s:o}",
				    "stored", json_text(s->stored[i]),
				    "name", json_text(w->form.file[i].filename),
				    "mime", json_text(s->mime[i]),
				    "size", json_text(s->size[i])));
			}
			text = json_dumps(files, JSON_WRITE_FLAGS);
			json_decref(files);
			if (text == NULL)
				fatal("tickets: attachments not written");
			w->want_errors = 0;
			rc = web_query(req, w, SQL_ATTACH, 2,
			    web_val(w, SUBMIT_STORE, 0, "id"), text);
			free(text);
			return (rc);
		}
		/* FALLTHROUGH */
	case SUBMIT_REPLY:
	default:
		code = web_val(w, SUBMIT_STORE, 0, "code");
		created = web_bool(w, SUBMIT_STORE, 0, "created");
		if (w->route->api == WEB_API_OPEN311)
			return (open311_created(req, code, created, ACK_TEXT));
		if (w->route->api) {
			return (web_json(req, created ? 201 : 200,
			    json_pack("{s:o,s:s,s:b}", "code", json_text(code),
			    "message", ACK_TEXT, "duplicate", !created)));
		}
		tval_set(w->view, "code", code);
		tval_set(w->view, "phone", s->t.phone);
		tval_set(w->view, "ack", ACK_TEXT);
		tval_set_bool(w->view, "duplicate", !created);
		return (web_render(req, w, created ? 201 : 200, "portal_submitted",
		    "Đã tiếp nhận phản ánh"));
	}
}

/*
 * Everything a citizen typed, checked against explicit limits.  On a bad
 * field the message names it, and bad_field says which (for the form):
 * -1; else 0.
 */
static int
read_submission(struct web *w, struct submission *s, char *err, size_t errlen,
    const char **bad_field)
{
	int	rc;

	if (w->route->api == WEB_API_JSON) {
		if (w->body_kind != WEB_BODY_JSON) {
			(void)snprintf(err, errlen,
			    "Content-Type phải là application/json.");
			*bad_field = "content-type";
			return (-1);
		}
		if (json_to_form(&w->form, w->body, w->body_len, submit_fields,
		    err, errlen) == -1) {
			*bad_field = "body";
			return (-1);
		}
	}

	if (ticket_read(w, w->route->api == WEB_API_OPEN311 ? &open311_form :
	    &submit_form, &s->t, err, errlen, bad_field) != 0)
		return (-1);

	if ((rc = check_uploads(w, err, errlen)) < 0) {
		*bad_field = "files";
		return (-1);
	}
	s->nfiles = rc;

	/* Same phone, title and content: the same submission. */
	ticket_seal(&s->t);
	return (0);
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
	const char		*ext, *mime;
	int			 i;

	for (i = 0; i < s->nfiles; i++) {
		mime = sniff_upload(w->form.file[i].data, w->form.file[i].len, &ext);
		kore_strlcpy(s->mime[i], mime, sizeof(s->mime[i]));
		(void)snprintf(s->size[i], sizeof(s->size[i]), "%zu",
		    w->form.file[i].len);
		if (upload_store(w->form.file[i].data, w->form.file[i].len, ext,
		    s->stored[i], sizeof(s->stored[i])) == -1)
			break;
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
	int	i;

	for (i = 0; i < n; i++) {
		upload_unstore(s->stored[i]);
		s->stored[i][0] = '\0';
	}
}

static int
bad_input(struct http_request *req, struct web *w, const char *err,
    const char *field)
{
	static const char *const keep[] = {
		"name", "phone", "email", "title", "content", NULL
	};
	const char	*v;
	int		 i, status;

	status = strcmp(field, "content-type") == 0 ? 415 : 400;
	if (w->route->api == WEB_API_OPEN311)
		return (open311_error(req, status, err));
	if (w->route->api) {
		return (web_json(req, status, json_pack("{s:o,s:o}",
		    "error", json_text(err), "field", json_text(field))));
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
	ta_view_kinds(w->view, web_arg(w, "kind", NULL));
	tval_set(w->view, "error", err);
	tval_setf(w->view, "error_field", "%s", field);
	return (web_render(req, w, status, "portal_home",
	    "Gửi câu hỏi, phản ánh, kiến nghị"));
}

static int
rate_limited(struct http_request *req, struct web *w)
{
	http_response_header(req, "retry-after", TICKET_RATE_WINDOW_SEC);
	return (web_error(req, w, 429,
	    "Bạn đã gửi quá nhiều phản ánh trong thời gian ngắn. "
	    "Vui lòng thử lại sau ít phút hoặc gọi 1022."));
}

static void
submission_free(void *p)
{
	struct submission	*s = p;

	ticket_new_free(&s->t);
	kore_free(s);
}

/*
 * Tracking: ask for the ticket and its public events, then show them.  A
 * code or phone that cannot be one skips the query (TRACK_UNKNOWN): no
 * rows, so "not found", the same answer as a wrong pair.
 */
enum { TRACK_QUERY, TRACK_SHOW, TRACK_UNKNOWN };

int
tickets_track_step(struct http_request *req, struct web *w)
{
	struct tval	*list, *o;
	json_t		*timeline;
	const char	*v, *status, *status_vi, *guidance;
	char		 code[CODE_LEN + 1], phone[VALID_PHONE_LEN + 1], when[32];
	char		 arg[48];
	int		 i, n;

	if (w->step == TRACK_QUERY) {
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
			w->step = TRACK_UNKNOWN;
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
			w->step = TRACK_UNKNOWN;
			return (tickets_track_step(req, w));
		}
		tval_set(w->view, "dt", phone);
		return (web_query(req, w, SQL_TRACK, 2, code, phone));
	}

	n = web_rows(w, TRACK_QUERY);
	if (n == 0) {
		if (w->route->api)
			return (web_error(req, w, 404,
			    "Không tìm thấy phản ánh với mã và số điện thoại này."));
		tval_set(w->view, "not_found",
		    "Không tìm thấy phản ánh với mã và số điện thoại này. "
		    "Vui lòng kiểm tra lại mã phiếu và số điện thoại đã dùng khi gửi.");
		return (web_render(req, w, 404, "portal_track", "Tra cứu phản ánh"));
	}

	status = web_val(w, TRACK_QUERY, 0, "status");
	/* Closed with no answer: not "done", but what to do instead. */
	guidance = web_val(w, TRACK_QUERY, 0, "guidance");
	status_vi = guidance != NULL ? TRACK_GUIDED :
	    workflow_public_status_vi(status);
	if (w->route->api) {
		timeline = json_array();
		for (i = 0; i < n; i++) {
			json_list_add(&timeline, json_pack("{s:o,s:o,s:o}",
			    "at", web_json_val(w, TRACK_QUERY, i, "event_at"),
			    "event",
			    web_json_val(w, TRACK_QUERY, i, "event_kind"),
			    "text",
			    web_json_val(w, TRACK_QUERY, i, "event_note")));
		}
		return (web_json(req, 200, json_pack(
		    "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
		    "code", web_json_val(w, TRACK_QUERY, 0, "code"),
		    "status", json_text(status),
		    "status_text", json_text(status_vi),
		    "guidance", web_json_val(w, TRACK_QUERY, 0, "guidance"),
		    "title", web_json_val(w, TRACK_QUERY, 0, "title"),
		    "field", web_json_val(w, TRACK_QUERY, 0, "field"),
		    "agency", web_json_val(w, TRACK_QUERY, 0, "agency"),
		    "created_at", web_json_val(w, TRACK_QUERY, 0, "created_at"),
		    "answer", web_json_val(w, TRACK_QUERY, 0, "answer"),
		    "answered_at",
		    web_json_val(w, TRACK_QUERY, 0, "answered_at"),
		    "timeline", timeline)));
	}

	o = tval_set_obj(w->view, "ticket");
	tval_set(o, "code", web_val(w, TRACK_QUERY, 0, "code"));
	tval_set(o, "status_text", status_vi);
	tval_set(o, "guidance", guidance);
	tval_set(o, "title", web_val(w, TRACK_QUERY, 0, "title"));
	tval_set(o, "content", web_val(w, TRACK_QUERY, 0, "content"));
	tval_set(o, "field", web_val(w, TRACK_QUERY, 0, "field"));
	tval_set(o, "agency", web_val(w, TRACK_QUERY, 0, "agency"));
	fmt_time(web_val(w, TRACK_QUERY, 0, "created_at"), when, sizeof(when));
	tval_set(o, "created_at", when);
	tval_set(o, "answer", web_val(w, TRACK_QUERY, 0, "answer"));
	fmt_time(web_val(w, TRACK_QUERY, 0, "answered_at"), when, sizeof(when));
	tval_set(o, "answered_at", when);
	list = tval_set_list(o, "timeline");
	for (i = 0; i < n; i++) {
		struct tval *e = tval_list_add(list);
		fmt_time(web_val(w, TRACK_QUERY, i, "event_at"), when,
		    sizeof(when));
		tval_set(e, "at", when);
		tval_set(e, "text", web_val(w, TRACK_QUERY, i, "event_note"));
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
