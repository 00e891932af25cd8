/*
 * catalog_import: an administrator imports the national procedures
 * database (JSON lines or CSV, docs/knowledge.md) at /quan-tri/thu-tuc/nhap.
 *
 * The upload is a file Kore keeps on disk past http_body_disk_offload
 * (web.c maps it); the route's body limit is CATALOG_IMPORT_BODY_MAX.  The
 * file is read on lane-disk by the pure parser (procedure.c), never on the
 * event loop; the good rows then go to procedures_import_apply()
 * (migrations/0062_catalog.sql), which commits a batch at a time so the
 * page can show the progress (import_runs) while it runs, and records the
 * rows the database refused beside the ones the parser refused.
 */
#include "app.h"
#include "admin.h"
#include "procedure.h"
#include "valid.h"

#define IMPORT_REJECTED_SHOWN	1000	/* rows of refusals on the page */

/* What the parser made of the file, on the lane's thread. */
struct import_file {
	char	 filename[301];
	char	 err[200];
	char	*rows;		/* the good rows, JSON */
	char	*rejected;	/* [{line, reason, code}], JSON */
	int	 nrows;
	int	 nrejected;
};

static int	import_parse_task(struct web *);
static void	import_file_free(void *);
static void	import_runs_view(struct web *, int);
static int	import_form(struct http_request *, struct web *, int,
		    const char *);

static const char	SQL_IMPORT_RUNS[] =
    "SELECT i.id, i.via, i.filename, i.state, i.total, i.applied, "
    "i.created, i.updated, i.withdrawn, "
    "jsonb_array_length(i.rejected) AS nrejected, "
    "to_char(started_at, 'DD/MM/YYYY HH24:MI') AS started, "
    "coalesce(u.full_name, '') AS who "
    "FROM import_runs i LEFT JOIN users u ON u.id = i.started_by "
    "ORDER BY i.id DESC LIMIT 20";

/* $1 filename, $2 good rows, $3 refused rows, $4 who. */
static const char	SQL_IMPORT_START[] =
    "INSERT INTO import_runs (via, filename, total, rejected, started_by) "
    "VALUES ('import', $1, $2::integer, $3::jsonb, $4::integer) "
    "RETURNING id";

static const char	SQL_IMPORT_APPLY[] =
    "CALL procedures_import_apply($1::integer, $2::jsonb)";

static const char	SQL_IMPORT_RUN[] =
    "SELECT i.id, i.via, i.filename, i.state, i.total, i.applied, "
    "i.created, i.updated, i.unchanged, i.withdrawn, i.error, "
    "jsonb_array_length(i.rejected) AS nrejected, "
    "to_char(i.started_at, 'DD/MM/YYYY HH24:MI:SS') AS started, "
    "to_char(i.finished_at, 'DD/MM/YYYY HH24:MI:SS') AS finished, "
    "coalesce(u.full_name, '') AS who "
    "FROM import_runs i LEFT JOIN users u ON u.id = i.started_by "
    "WHERE ($1::integer = 0 OR i.id = $1::integer) "
    "ORDER BY i.id DESC LIMIT 1";

static const char	SQL_IMPORT_REJECTED[] =
    "SELECT (e->>'line')::bigint AS line, coalesce(e->>'code', '') AS code, "
    "e->>'reason' AS reason "
    "FROM import_runs i, jsonb_array_elements(i.rejected) e "
    "WHERE i.id = $1::integer "
    "ORDER BY (e->>'line')::bigint LIMIT 1000";

/* The form and the runs (IMP_RUNS); a file read (IMP_PARSE) and applied. */
enum { IMP_RUNS, IMP_PARSE, IMP_START, IMP_APPLY, IMP_DONE };

int
catalog_import_step(struct http_request *req, struct web *w)
{
	struct import_file	*f = w->data;
	char			 who[16], total[16], id[16], url[64];

	switch (w->step) {
	case IMP_RUNS:
		return (web_query(req, w, SQL_IMPORT_RUNS, 0));
	case IMP_PARSE:
		if (!web_is_post(req))
			return (import_form(req, w, 200, NULL));
		if (w->form.nfiles != 1 || strcmp(w->form.file[0].name,
		    "tep") != 0 || w->form.file[0].len == 0)
			return (import_form(req, w, 400,
			    "Vui lòng chọn một tệp CSV hoặc JSON lines."));
		f = kore_calloc(1, sizeof(*f));
		w->data = f;
		w->data_free = import_file_free;
		return (web_task(req, w, LANE_DISK, import_parse_task));
	case IMP_START:
		if (w->task_result != 1)
			return (import_form(req, w, 400, f->err));
		admin_actor(w, who, sizeof(who));
		(void)snprintf(total, sizeof(total), "%d", f->nrows);
		return (web_query(req, w, SQL_IMPORT_START, 4, f->filename,
		    total, f->rejected, who));
	case IMP_APPLY:
		if (web_rows(w, IMP_START) != 1)
			return (web_error(req, w, 500,
			    "Chưa bắt đầu nhập được, vui lòng thử lại."));
		kore_strlcpy(id, web_val(w, IMP_START, 0, "id"), sizeof(id));
		return (web_query(req, w, SQL_IMPORT_APPLY, 2, id, f->rows));
	case IMP_DONE:
	default:
		(void)snprintf(url, sizeof(url), "/quan-tri/thu-tuc/nhap/%s",
		    web_val(w, IMP_START, 0, "id"));
		return (web_redirect(req, url));
	}
}

/* The page with the form, the runs, and an error when there is one. */
static int
import_form(struct http_request *req, struct web *w, int status,
    const char *err)
{
	admin_nav(w, "catalog");
	if (err != NULL)
		tval_set(w->view, "error", err);
	import_runs_view(w, IMP_RUNS);
	return (web_render(req, w, status, "admin_catalog_import",
	    "Nhập thủ tục hành chính"));
}

static void
import_runs_view(struct web *w, int k)
{
	struct tval	*list;
	int		 i;

	list = tval_set_list(w->view, "runs");
	for (i = 0; i < web_rows(w, k); i++)
		web_view_row(w, tval_list_add(list), k, i);
	tval_set_bool(w->view, "has_runs", web_rows(w, k) > 0);
}

/*
 * On lane-disk: the file through the parser.  1 with the rows as JSON;
 * 0 with the reason in f->err.
 */
static int
import_parse_task(struct web *w)
{
	struct import_file	*f = w->data;
	struct form_file	*ff = &w->form.file[0];
	json_t			*rows, *rejected;
	int			 format, rc;

	if (ff->filename != NULL && valid_utf8(ff->filename,
	    strlen(ff->filename)))
		kore_strlcpy(f->filename, ff->filename, sizeof(f->filename));
	format = procedure_import_format(f->filename, ff->data, ff->len);
	rows = json_array();
	rejected = json_array();
	rc = 0;
	if (procedure_import_parse(ff->data, ff->len, format, rows, rejected,
	    f->err, sizeof(f->err)) == -1)
		goto done;
	if (json_array_size(rows) == 0) {
		/* Applying nothing would withdraw every procedure. */
		kore_strlcpy(f->err, "Tệp không có thủ tục hợp lệ nào: không "
		    "nhập gì.", sizeof(f->err));
		goto done;
	}
	f->nrows = (int)json_array_size(rows);
	f->nrejected = (int)json_array_size(rejected);
	f->rows = json_dumps(rows, JSON_COMPACT);
	f->rejected = json_dumps(rejected, JSON_COMPACT);
	if (f->rows == NULL || f->rejected == NULL) {
		kore_strlcpy(f->err, "Không đọc được tệp.", sizeof(f->err));
		goto done;
	}
	rc = 1;
done:
	json_decref(rows);
	json_decref(rejected);
	return (rc);
}

static void
import_file_free(void *p)
{
	struct import_file	*f = p;

	free(f->rows);
	free(f->rejected);
	kore_free(f);
}

/*
 * /quan-tri/thu-tuc/nhap/{id}: a run, its figures and its refused rows;
 * .../tien-do (JSON): the latest run's figures, for the progress bar.
 */
enum { RUN_LOAD, RUN_REJECTED, RUN_SHOW };

int
catalog_import_run_step(struct http_request *req, struct web *w)
{
	struct tval	*o, *list;
	char		 id[WEB_PATH_ID_DIGITS + 1];
	int		 i;

	switch (w->step) {
	case RUN_LOAD:
		if (w->route->id == ROUTE_ADMIN_CATALOG_IMPORT_PROGRESS)
			kore_strlcpy(id, "0", sizeof(id));
		else if (web_path_id(req, w, 1, id, sizeof(id)) == -1)
			return (web_error(req, w, 404,
			    "Không có lần nhập này."));
		return (web_query(req, w, SQL_IMPORT_RUN, 1, id));
	case RUN_REJECTED:
		if (web_rows(w, RUN_LOAD) != 1)
			return (web_error(req, w, 404,
			    "Không có lần nhập này."));
		if (w->route->api) {
			return (web_json(req, 200, json_pack(
			    "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
			    "id", json_number_text(web_val(w, RUN_LOAD, 0,
				"id")),
			    "state", web_json_val(w, RUN_LOAD, 0, "state"),
			    "filename", web_json_val(w, RUN_LOAD, 0,
				"filename"),
			    "total", json_number_text(web_val(w, RUN_LOAD, 0,
				"total")),
			    "applied", json_number_text(web_val(w, RUN_LOAD,
				0, "applied")),
			    "created", json_number_text(web_val(w, RUN_LOAD,
				0, "created")),
			    "updated", json_number_text(web_val(w, RUN_LOAD,
				0, "updated")),
			    "withdrawn", json_number_text(web_val(w, RUN_LOAD,
				0, "withdrawn")),
			    "rejected", json_number_text(web_val(w, RUN_LOAD,
				0, "nrejected")))));
		}
		return (web_query(req, w, SQL_IMPORT_REJECTED, 1,
		    web_val(w, RUN_LOAD, 0, "id")));
	case RUN_SHOW:
	default:
		admin_nav(w, "catalog");
		o = tval_set_obj(w->view, "run");
		web_view_row(w, o, RUN_LOAD, 0);
		tval_set_bool(o, "applying", strcmp(web_val(w, RUN_LOAD, 0,
		    "state"), "applying") == 0);
		list = tval_set_list(w->view, "rejected");
		for (i = 0; i < web_rows(w, RUN_REJECTED); i++)
			web_view_row(w, tval_list_add(list), RUN_REJECTED, i);
		tval_set_bool(w->view, "more_rejected",
		    atoi(web_val(w, RUN_LOAD, 0, "nrejected")) >
		    IMPORT_REJECTED_SHOWN);
		return (web_render(req, w, 200, "admin_catalog_import_run",
		    "Kết quả nhập thủ tục"));
	}
}
