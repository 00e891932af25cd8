/*
 * report_mail: the periodic report mailed to the province's leaders.
 *
 * Every outbox thread (one per worker, on every machine) asks the
 * database every REPORT_MAIL_CHECK_SEC whether a report is due
 * (report_mails_due(), migrations/0070_report_mails.sql): the row of
 * report_mails, inserted with ON CONFLICT DO NOTHING, lets one of them
 * queue it, however many look, so it goes once per period.  The mail is
 * an outbound e-mail like any other; when mail_send() sends one whose
 * payload names a report, report_mail_xlsx() runs the report's queries
 * on the outbox thread's own connection and builds its workbook, the
 * same sheets as /giam-sat/bao-cao.xlsx (reports.c), to attach.
 */
#include <time.h>

#include "app.h"
#include "call_stats.h"
#include "outbox.h"
#include "report_mail.h"
#include "workflow.h"
#include "xlsx.h"

#define REPORT_LABEL_MAX	100	/* bytes of "6 tháng đầu năm 2026" */
#define REPORT_PROVINCE_DEFAULT	"Đồng Tháp"

static int	report_day_ok(const char *);
static const char **report_ticket_cells(PGresult *, const char *, int *);
static const char **report_call_cells(PGresult *, int *);

/* On the outbox thread: queue the reports that fell due, if any. */
void
report_mail_due(PGconn *db)
{
	static time_t	 last;
	PGresult	*res;
	time_t		 now;

	now = time(NULL);
	if (last != 0 && now >= last && now - last < REPORT_MAIL_CHECK_SEC)
		return;
	last = now;
	res = PQexec(db, "SELECT report_mails_due()");
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		kore_log(LOG_WARNING, "report_mail: due: %s",
		    PQerrorMessage(db));
	else if (PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "0") != 0)
		kore_log(LOG_NOTICE, "report_mail: %s report mails queued",
		    PQgetvalue(res, 0, 0));
	PQclear(res);
}

/*
 * The workbook of the report a payload names ({from, to, label}): its
 * bytes in *out (the caller frees them) and its file name in name; 0, or
 * -1 with the reason in Vietnamese in err (the outbox tries again).
 */
int
report_mail_xlsx(PGconn *db, json_t *report, unsigned char **out,
    size_t *outlen, char *name, size_t namelen, char *err, size_t errlen)
{
	struct xlsx_col		 fcols[16], kcols[16], ccols[CALL_STATS_NCOLS + 1];
	struct xlsx_sheet	 sheets[3];
	PGresult		*tickets, *calls;
	const char		*from, *to, *label, **cells[3];
	const char		*params[4];
	char			 province[256], unit[400], titles[3][700], *p;
	int			 nrows[3], s, rc;

	*out = NULL;
	from = json_string_value(json_object_get(report, "from"));
	to = json_string_value(json_object_get(report, "to"));
	label = json_string_value(json_object_get(report, "label"));
	if (from == NULL || to == NULL || label == NULL ||
	    !report_day_ok(from) || !report_day_ok(to) ||
	    strlen(label) == 0 || strlen(label) > REPORT_LABEL_MAX ||
	    report_ticket_ncols + 1 > sizeof(fcols) / sizeof(fcols[0])) {
		(void)snprintf(err, errlen, "Thư báo cáo không ghi rõ kỳ báo "
		    "cáo: sẽ thử lại.");
		return (-1);
	}
	if (outbox_setting(db, "notice", "province", province,
	    sizeof(province)) == -1 || province[0] == '\0')
		(void)snprintf(province, sizeof(province), "%s",
		    REPORT_PROVINCE_DEFAULT);
	(void)snprintf(unit, sizeof(unit), "Tổng đài Thông tin dịch vụ công "
	    "tỉnh %s", province);

	params[0] = from;
	params[1] = to;
	params[2] = "month";
	params[3] = CALL_STATS_THRESHOLD;
	tickets = PQexecParams(db, report_tickets_sql, 2, NULL, params, NULL,
	    NULL, 0);
	calls = PQexecParams(db, call_stats_sql, 4, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(tickets) != PGRES_TUPLES_OK ||
	    PQresultStatus(calls) != PGRES_TUPLES_OK) {
		kore_log(LOG_WARNING, "report_mail: queries: %s",
		    PQerrorMessage(db));
		PQclear(tickets);
		PQclear(calls);
		(void)snprintf(err, errlen, "Chưa lấy được số liệu báo cáo: "
		    "sẽ thử lại.");
		return (-1);
	}

	report_xlsx_cols(fcols, kcols, ccols);
	cells[0] = report_ticket_cells(tickets, "field", &nrows[0]);
	cells[1] = report_ticket_cells(tickets, "channel", &nrows[1]);
	cells[2] = report_call_cells(calls, &nrows[2]);

	(void)snprintf(titles[0], sizeof(titles[0]), "%s — Kết quả tiếp nhận, "
	    "xử lý thông tin %s: theo lĩnh vực (%.2s/%.2s/%.4s – "
	    "%.2s/%.2s/%.4s)", unit, label, from + 8, from + 5, from, to + 8,
	    to + 5, to);
	(void)snprintf(titles[1], sizeof(titles[1]), "%s — Kết quả tiếp nhận, "
	    "xử lý thông tin %s: theo kênh tiếp nhận", unit, label);
	(void)snprintf(titles[2], sizeof(titles[2]), "%s — Kết quả tiếp nhận, "
	    "xử lý thông tin %s: cuộc gọi đến Tổng đài theo tháng (mức phục "
	    "vụ: trả lời trong %s giây)", unit, label, CALL_STATS_THRESHOLD);
	sheets[0] = (struct xlsx_sheet){ "Theo lĩnh vực", titles[0], fcols,
	    (int)report_ticket_ncols + 1, cells[0], nrows[0], 1 };
	sheets[1] = (struct xlsx_sheet){ "Theo kênh", titles[1], kcols,
	    (int)report_ticket_ncols + 1, cells[1], nrows[1], 1 };
	sheets[2] = (struct xlsx_sheet){ "Cuộc gọi", titles[2], ccols,
	    CALL_STATS_NCOLS + 1, cells[2], nrows[2], 1 };
	rc = -1;
	if (cells[0] != NULL && cells[1] != NULL && cells[2] != NULL)
		rc = call_stats_xlsx(sheets, 3, out, outlen);
	for (s = 0; s < 3; s++)
		free(cells[s]);
	PQclear(tickets);
	PQclear(calls);
	if (rc == -1) {
		(void)snprintf(err, errlen, "Chưa tạo được tệp Excel của báo "
		    "cáo: sẽ thử lại.");
		return (-1);
	}
	/* "tháng 11/2026": no slash in a file's name. */
	(void)snprintf(name, namelen, "Báo cáo %s.xlsx", label);
	for (p = name; (p = strchr(p, '/')) != NULL; p++)
		*p = '-';
	return (0);
}

/* YYYY-MM-DD, digits where they go. */
static int
report_day_ok(const char *d)
{
	static const char	shape[] = "0000-00-00";
	size_t			i;

	if (strlen(d) != sizeof(shape) - 1)
		return (0);
	for (i = 0; shape[i] != '\0'; i++)
		if (shape[i] == '-' ? d[i] != '-' : (d[i] < '0' || d[i] > '9'))
			return (0);
	return (1);
}

/* The tickets' rows of one dimension and the total, as the sheet's cells. */
static const char **
report_ticket_cells(PGresult *res, const char *dim, int *nrows)
{
	const char	**cells, *d, *label;
	size_t		  k, ncols = report_ticket_ncols + 1;
	int		  i, n, col;

	n = PQntuples(res);
	*nrows = 0;
	if ((cells = calloc((size_t)n * ncols + 1, sizeof(*cells))) == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		d = PQgetvalue(res, i, PQfnumber(res, "dim"));
		if (strcmp(d, dim) != 0 && strcmp(d, "total") != 0)
			continue;
		label = PQgetvalue(res, i, PQfnumber(res, "label"));
		if (strcmp(d, "total") == 0)
			label = "Tổng cộng";
		else if (strcmp(d, "channel") == 0)
			label = workflow_channel_vi(label);
		cells[*nrows * ncols] = label;
		for (k = 0; k < report_ticket_ncols; k++) {
			col = PQfnumber(res, report_ticket_cols[k].name);
			cells[*nrows * ncols + k + 1] = col < 0 ? "" :
			    PQgetvalue(res, i, col);
		}
		(*nrows)++;
	}
	return (cells);
}

/* The calls by month and their total, as the sheet's cells. */
static const char **
report_call_cells(PGresult *res, int *nrows)
{
	const char	**cells;
	size_t		  k, ncols = CALL_STATS_NCOLS + 1;
	int		  i, n, col;

	n = PQntuples(res);
	*nrows = n;
	if ((cells = calloc((size_t)n * ncols + 1, sizeof(*cells))) == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		cells[i * ncols] = strcmp(PQgetvalue(res, i,
		    PQfnumber(res, "is_total")), "t") == 0 ? "Tổng cộng" :
		    PQgetvalue(res, i, PQfnumber(res, "label"));
		for (k = 0; k < CALL_STATS_NCOLS; k++) {
			col = PQfnumber(res, call_stats_cols[k].name);
			cells[i * ncols + k + 1] = col < 0 ? "" :
			    PQgetvalue(res, i, col);
		}
	}
	return (cells);
}
