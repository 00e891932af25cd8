/*
 * admin_report_mail: "Gửi thử ngay" on /quan-tri/kenh (channel 'report'):
 * the report of the last complete month, half-year or year, queued to
 * the leaders entered there, whether or not it went before
 * (report_mail_queue(kind, false), migrations/0070_report_mails.sql).
 * It leaves report_mails alone, so the scheduled mail still goes.  The
 * mails go through the outbox like any other (/quan-tri/tin-gui).
 */
#include <string.h>

#include "app.h"

static const char	SQL_QUEUE[] =
    "SELECT report_mail_queue($1, false) AS n";

enum { RM_QUEUE, RM_DONE };

int
admin_report_mail_test_step(struct http_request *req, struct web *w)
{
	const char	*kind;

	if (w->step == RM_QUEUE) {
		kind = web_arg(w, "ky", NULL);
		if (kind == NULL || (strcmp(kind, "month") != 0 &&
		    strcmp(kind, "half_year") != 0 && strcmp(kind, "year") != 0))
			return (web_error(req, w, 400, "Loại báo cáo không hợp "
			    "lệ: chọn báo cáo tháng, 6 tháng hoặc năm."));
		return (web_query(req, w, SQL_QUEUE, 1, kind));
	}
	if (web_rows(w, RM_QUEUE) != 1 ||
	    strcmp(web_val(w, RM_QUEUE, 0, "n"), "0") == 0)
		return (web_error(req, w, 400, "Chưa có địa chỉ thư của lãnh "
		    "đạo: nhập địa chỉ và lưu cấu hình trước khi gửi thử; "
		    "chưa có thư nào được gửi."));
	return (web_redirect(req, "/quan-tri/kenh?ok=bao-cao#kenh-report"));
}
