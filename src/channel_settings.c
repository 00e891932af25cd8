/*
 * channel_settings: every setting of every channel, in one table.  A
 * channel's sender (mail.c, zalo.c, facebook.c, sms.c) reads its own by
 * name; the admin page shows, checks and stores exactly these.  A new
 * setting is a line here, nothing else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "channel_settings.h"
#include "valid.h"

#define URL_MAX		500
#define LINE_MAX_CHARS	200
#define SECRET_MAX	2000

static int	emails_check(const char *, int, char *, size_t);

const struct channel_info	channel_infos[] = {
	{ "email",	"E-mail (IMAP nhận, SMTP gửi)" },
	{ "zalo",	"Zalo Official Account" },
	{ "facebook",	"Facebook Messenger" },
	{ "sms",	"Cổng SMS" },
	{ "notice",	"Thông báo tự động" },
	{ "portal",	"Liên kết với các cổng của tỉnh" },
	{ "report",	"Báo cáo gửi lãnh đạo qua thư" },
	{ NULL, NULL }
};

const struct channel_setting	channel_settings[] = {
	/* E-mail */
	{ "email", "imap_url", "Máy chủ IMAP", "Ví dụ imaps://mail.tinh.gov.vn/INBOX",
	    0, CS_URL, 0, URL_MAX },
	{ "email", "imap_user", "Tài khoản IMAP", NULL, 0, CS_TEXT, 0, LINE_MAX_CHARS },
	{ "email", "imap_password", "Mật khẩu IMAP", NULL, 1, CS_TEXT, 0, SECRET_MAX },
	{ "email", "imap_starttls", "IMAP bắt buộc STARTTLS",
	    "Ghi yes với địa chỉ imap://; để trống với imaps://", 0, CS_TEXT, 0, 3 },
	{ "email", "smtp_url", "Máy chủ SMTP", "Ví dụ smtps://mail.tinh.gov.vn:465",
	    0, CS_URL, 0, URL_MAX },
	{ "email", "smtp_starttls", "SMTP bắt buộc STARTTLS",
	    "Ghi yes với địa chỉ smtp://; để trống với smtps://", 0, CS_TEXT, 0, 3 },
	{ "email", "smtp_user", "Tài khoản SMTP", NULL, 0, CS_TEXT, 0, LINE_MAX_CHARS },
	{ "email", "smtp_password", "Mật khẩu SMTP", NULL, 1, CS_TEXT, 0, SECRET_MAX },
	{ "email", "from_address", "Địa chỉ gửi đi", "Ví dụ 1022@tinh.gov.vn",
	    0, CS_EMAIL, 0, 254 },
	{ "email", "from_name", "Tên người gửi", "Ví dụ Tổng đài 1022",
	    0, CS_TEXT, 0, LINE_MAX_CHARS },
	{ "email", "poll_seconds", "Chu kỳ đọc thư (giây)", "Từ 10 đến 3600 giây",
	    0, CS_NUMBER, 10, 3600 },
	{ "email", "ack_text", "Thư báo đã nhận", "Gửi tự động khi nhận thư mới",
	    0, CS_LONGTEXT, 0, 2000 },

	/* Zalo */
	{ "zalo", "app_id", "App ID", NULL, 0, CS_TEXT, 0, 100 },
	{ "zalo", "oa_secret_key", "OA secret key", "Khóa kiểm tra chữ ký webhook",
	    1, CS_TEXT, 0, SECRET_MAX },
	{ "zalo", "app_secret_key", "App secret key", NULL, 1, CS_TEXT, 0, SECRET_MAX },
	{ "zalo", "access_token", "Access token", NULL, 1, CS_TEXT, 0, SECRET_MAX },
	{ "zalo", "refresh_token", "Refresh token", NULL, 1, CS_TEXT, 0, SECRET_MAX },
	{ "zalo", "api_base", "Địa chỉ API", "Mặc định https://openapi.zalo.me",
	    0, CS_URL, 0, URL_MAX },
	{ "zalo", "oauth_base", "Địa chỉ OAuth", "Mặc định https://oauth.zaloapp.com",
	    0, CS_URL, 0, URL_MAX },
	{ "zalo", "ack_text", "Tin báo đã nhận", NULL, 0, CS_LONGTEXT, 0, 2000 },

	/* Facebook */
	{ "facebook", "app_secret", "App secret", "Khóa kiểm tra chữ ký webhook",
	    1, CS_TEXT, 0, SECRET_MAX },
	{ "facebook", "verify_token", "Verify token", NULL, 1, CS_TEXT, 0, SECRET_MAX },
	{ "facebook", "page_access_token", "Page access token", NULL,
	    1, CS_TEXT, 0, SECRET_MAX },
	{ "facebook", "graph_base", "Địa chỉ Graph API",
	    "Mặc định https://graph.facebook.com", 0, CS_URL, 0, URL_MAX },
	{ "facebook", "graph_version", "Phiên bản Graph API", "Ví dụ v19.0",
	    0, CS_TEXT, 0, 20 },
	{ "facebook", "ack_text", "Tin báo đã nhận", NULL, 0, CS_LONGTEXT, 0, 2000 },

	/* SMS (sms.c, sms_gateway.c) */
	{ "sms", "url", "Địa chỉ cổng SMS", "Địa chỉ nhận yêu cầu POST gửi tin",
	    0, CS_URL, 0, URL_MAX },
	{ "sms", "username", "Tài khoản", "Xác thực HTTP Basic; để trống nếu không dùng",
	    0, CS_TEXT, 0, LINE_MAX_CHARS },
	{ "sms", "password", "Mật khẩu", NULL, 1, CS_TEXT, 0, 500 },
	{ "sms", "sender", "Tên thương hiệu (brandname)", "Ví dụ TONGDAI1022",
	    0, CS_TEXT, 0, 20 },
	{ "sms", "template", "Mẫu yêu cầu",
	    "Dùng {phone}, {sender}, {text}; bắt đầu bằng { là JSON, còn lại là "
	    "dạng form. Để trống: {\"to\":\"{phone}\",\"from\":\"{sender}\","
	    "\"text\":\"{text}\"}", 0, CS_LONGTEXT, 0, 2000 },

	/* Notices (migrations/0055_notices.sql), acknowledgements (0057) */
	{ "notice", "province", "Tên tỉnh", "Trong tin báo đã nhận của mọi kênh: "
	    "\"Tổng đài Thông tin dịch vụ công tỉnh … đã nhận được …\"; mặc định "
	    "Đồng Tháp", 0, CS_TEXT, 0, LINE_MAX_CHARS },
	{ "notice", "province_name", "Tên đơn vị trong thư", "Ví dụ Tổng đài 1022 Đồng Tháp",
	    0, CS_TEXT, 0, LINE_MAX_CHARS },
	{ "notice", "reminder_hours", "Nhắc hạn trước (giờ)",
	    "Nhắc cơ quan trước hạn xử lý bao nhiêu giờ (rơi vào ngày nghỉ thì "
	    "nhắc sớm hơn, vào ngày làm việc trước đó); 0 là không nhắc; mặc định 24",
	    0, CS_NUMBER, 0, 720 },
	{ "notice", "citizen_template", "Thông báo cho người dân",
	    "Dùng {code}, {title}, {link}, {province}; mặc định: Phiếu {code} của "
	    "bạn đã được trả lời. Xem câu trả lời tại {link}", 0, CS_LONGTEXT, 0, 600 },

	/* Links in the portal's footer (refdata.c loads them, web_render shows). */
	{ "portal", "province_url", "Cổng thông tin điện tử tỉnh",
	    "Liên kết ở chân mọi trang; ví dụ https://dongthap.gov.vn",
	    0, CS_URL, 0, URL_MAX },
	{ "portal", "public_service_url", "Cổng dịch vụ công",
	    "Liên kết ở chân mọi trang; ví dụ https://dichvucong.dongthap.gov.vn",
	    0, CS_URL, 0, URL_MAX },

	/* Reports mailed to leaders (report_mail.c, 0070_report_mails.sql). */
	{ "report", "leaders", "Địa chỉ thư của lãnh đạo",
	    "Tối đa 10 địa chỉ, cách nhau bởi dấu phẩy; báo cáo gửi tới từng "
	    "địa chỉ, kèm tệp Excel", 0, CS_EMAILS, 10, 2000 },
	{ "report", "month", "Gửi báo cáo tháng",
	    "Ghi yes: số liệu phiếu và thống kê cuộc gọi của tháng trước gửi "
	    "đầu mỗi tháng; để trống: không gửi", 0, CS_YES, 0, 3 },
	{ "report", "half_year", "Gửi báo cáo 6 tháng",
	    "Ghi yes: báo cáo 6 tháng đầu năm gửi đầu tháng 7, 6 tháng cuối năm "
	    "gửi đầu tháng 1; để trống: không gửi", 0, CS_YES, 0, 3 },
	{ "report", "year", "Gửi báo cáo năm",
	    "Ghi yes: báo cáo cả năm gửi đầu tháng 1 năm sau; để trống: không gửi",
	    0, CS_YES, 0, 3 },
	{ NULL, NULL, NULL, NULL, 0, CS_TEXT, 0, 0 }
};

const struct channel_info *
channel_info_find(const char *channel)
{
	const struct channel_info	*c;

	for (c = channel_infos; channel != NULL && c->channel != NULL; c++)
		if (strcmp(c->channel, channel) == 0)
			return (c);
	return (NULL);
}

const struct channel_setting *
channel_setting_find(const char *channel, const char *name)
{
	const struct channel_setting	*s;

	for (s = channel_settings; s->channel != NULL; s++)
		if (strcmp(s->channel, channel) == 0 && strcmp(s->name, name) == 0)
			return (s);
	return (NULL);
}

/*
 * A value (trimmed, not empty) the setting may take: 0, or -1 with the
 * reason in Vietnamese in err.
 */
int
channel_setting_check(const struct channel_setting *s, const char *v,
    char *err, size_t errlen)
{
	size_t	len;
	long	n;
	int	rc;

	len = strlen(v);
	rc = valid_text(v, len, s->kind == CS_NUMBER ? 9 : (size_t)s->max,
	    s->kind == CS_LONGTEXT);
	if (rc != VALID_OK) {
		(void)valid_error_vi_fmt(rc, s->kind == CS_NUMBER ? 9 : s->max,
		    err, errlen);
		return (-1);
	}
	switch (s->kind) {
	case CS_URL:
		if (!channel_url_ok(v)) {
			(void)snprintf(err, errlen, "địa chỉ không hợp lệ: phải "
			    "bắt đầu bằng http://, https://, imap://, imaps://, "
			    "smtp:// hoặc smtps://, có tên máy chủ và không có "
			    "khoảng trắng.");
			return (-1);
		}
		break;
	case CS_EMAIL:
		if (!valid_email(v, len)) {
			(void)snprintf(err, errlen, "địa chỉ e-mail không hợp lệ.");
			return (-1);
		}
		break;
	case CS_NUMBER:
		if (strspn(v, "0123456789") != len ||
		    (n = strtol(v, NULL, 10)) < s->min || n > s->max) {
			(void)snprintf(err, errlen, "phải là số nguyên từ %d "
			    "đến %d.", s->min, s->max);
			return (-1);
		}
		break;
	case CS_EMAILS:
		return (emails_check(v, s->min, err, errlen));
	case CS_YES:
		if (strcmp(v, "yes") != 0) {
			(void)snprintf(err, errlen, "ghi yes để bật, để trống "
			    "để tắt.");
			return (-1);
		}
		break;
	case CS_TEXT:
	case CS_LONGTEXT:
		break;
	}
	return (0);
}

/* At most max e-mails separated by commas, semicolons or white space. */
static int
emails_check(const char *v, int max, char *err, size_t errlen)
{
	static const char	 sep[] = ",; \t";
	size_t			 n;
	int			 count = 0;

	for (v += strspn(v, sep); *v != '\0'; v += strspn(v, sep)) {
		n = strcspn(v, sep);
		if (!valid_email(v, n)) {
			(void)snprintf(err, errlen, "địa chỉ e-mail không hợp "
			    "lệ: %.*s.", (int)(n > 254 ? 254 : n), v);
			return (-1);
		}
		if (++count > max) {
			(void)snprintf(err, errlen, "nhiều nhất %d địa chỉ.",
			    max);
			return (-1);
		}
		v += n;
	}
	if (count == 0) {
		(void)snprintf(err, errlen, "chưa có địa chỉ e-mail nào.");
		return (-1);
	}
	return (0);
}

/* 1 if u is scheme://host[...] of a scheme a channel speaks, ASCII only. */
int
channel_url_ok(const char *u)
{
	static const char *const schemes[] = { "http://", "https://",
	    "imap://", "imaps://", "smtp://", "smtps://", NULL };
	const char	*host;
	size_t		 i, len;

	len = strlen(u);
	if (len > URL_MAX)
		return (0);
	for (i = 0; i < len; i++)
		if ((unsigned char)u[i] <= 0x20 || (unsigned char)u[i] >= 0x7f ||
		    u[i] == '"' || u[i] == '<' || u[i] == '>' || u[i] == '\\')
			return (0);
	for (i = 0; schemes[i] != NULL; i++)
		if (strncasecmp(u, schemes[i], strlen(schemes[i])) == 0)
			break;
	if (schemes[i] == NULL)
		return (0);
	host = u + strlen(schemes[i]);
	/* A host: a letter, digit or '[' (IPv6) first, not a path. */
	return (*host != '\0' && strchr("/?#:@.", *host) == NULL);
}
