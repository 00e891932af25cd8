/*
 * sms: the outbox's sender for channel 'sms', through the province's
 * HTTP SMS gateway (channel_settings 'sms': url, username, password,
 * sender, template).  It POSTs the body sms_gateway.c builds from the
 * template, with HTTP basic authentication when a username is set, and
 * reads the gateway's reply there too (docs/channels.md, "SMS and
 * notices").  Runs on the outbox thread.
 */
#include <sodium.h>

#include "app.h"
#include "outbox.h"
#include "sbuf.h"
#include "sms_gateway.h"
#include "valid.h"

#define SMS_SETTING_MAX		4001	/* channel_settings.value, and NUL */

static int	sms_auth_header(const char *, const char *, char *, size_t);

enum outbox_verdict
sms_send(PGconn *db, const struct outbox_msg *msg, struct outbox_result *r)
{
	struct httpc_reply	 reply;
	struct sbuf		 body;
	const char		*headers[4];
	char			*url, *user, *pass, *sender, *tmpl;
	char			 auth[1200] = "";
	enum outbox_verdict	 verdict;
	int			 json, n, parts;

	if ((url = calloc(5, SMS_SETTING_MAX)) == NULL) {
		(void)snprintf(r->error, sizeof(r->error), "Hết bộ nhớ.");
		return (OUTBOX_RETRY);
	}
	user = url + SMS_SETTING_MAX;
	pass = user + SMS_SETTING_MAX;
	sender = pass + SMS_SETTING_MAX;
	tmpl = sender + SMS_SETTING_MAX;
	verdict = OUTBOX_FAILED;
	sbuf_init(&body);

	if (outbox_setting(db, "sms", "url", url, SMS_SETTING_MAX) == -1 ||
	    url[0] == '\0') {
		(void)snprintf(r->error, sizeof(r->error), "Chưa cấu hình cổng "
		    "SMS (địa chỉ url trong trang Quản trị › Kênh).");
		goto out;
	}
	(void)outbox_setting(db, "sms", "username", user, SMS_SETTING_MAX);
	(void)outbox_setting(db, "sms", "password", pass, SMS_SETTING_MAX);
	(void)outbox_setting(db, "sms", "sender", sender, SMS_SETTING_MAX);
	(void)outbox_setting(db, "sms", "template", tmpl, SMS_SETTING_MAX);

	if (msg->recipient[0] == '\0' ||
	    strspn(msg->recipient, "+0123456789") != strlen(msg->recipient)) {
		(void)snprintf(r->error, sizeof(r->error), "Số điện thoại nhận "
		    "SMS không hợp lệ.");
		goto out;
	}
	if ((parts = sms_parts(msg->body)) == -1 || parts > SMS_PARTS_MAX) {
		(void)snprintf(r->error, sizeof(r->error), "Nội dung SMS quá "
		    "dài (tối đa %d tin ghép).", SMS_PARTS_MAX);
		goto out;
	}
	if (sms_request_body(tmpl, msg->recipient, sender, msg->body, &body,
	    &json) == -1) {
		(void)snprintf(r->error, sizeof(r->error), "Mẫu yêu cầu SMS "
		    "(template) phải có {phone} và {text}.");
		goto out;
	}

	n = 0;
	headers[n++] = json ? "Content-Type: application/json" :
	    "Content-Type: application/x-www-form-urlencoded";
	if (user[0] != '\0') {
		if (sms_auth_header(user, pass, auth, sizeof(auth)) == -1) {
			(void)snprintf(r->error, sizeof(r->error), "Tên đăng "
			    "nhập hoặc mật khẩu cổng SMS quá dài.");
			goto out;
		}
		headers[n++] = auth;
	}
	headers[n] = NULL;

	(void)httpc_request("POST", url, headers, body.data, body.len, &reply);
	verdict = sms_reply_read(reply.status, reply.body, reply.error, r);
	httpc_reply_free(&reply);
out:
	explicit_bzero(pass, SMS_SETTING_MAX);
	explicit_bzero(auth, sizeof(auth));
	sbuf_free(&body);
	free(url);
	return (verdict);
}

/* "Authorization: Basic base64(user:pass)"; -1 if it does not fit. */
static int
sms_auth_header(const char *user, const char *pass, char *out, size_t len)
{
	char	cred[600];
	int	n, h;

	n = snprintf(cred, sizeof(cred), "%s:%s", user, pass);
	if (n < 0 || (size_t)n >= sizeof(cred))
		return (-1);
	h = snprintf(out, len, "Authorization: Basic ");
	if (sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL) >
	    len - h) {
		explicit_bzero(cred, sizeof(cred));
		return (-1);
	}
	(void)sodium_bin2base64(out + h, len - h, (unsigned char *)cred, n,
	    sodium_base64_VARIANT_ORIGINAL);
	explicit_bzero(cred, sizeof(cred));
	return (0);
}
