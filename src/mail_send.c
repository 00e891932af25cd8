/*
 * mail_send: the outbox's sender for the e-mail channel.  The message is
 * built by mail_build() (mail.c) and handed to the province's SMTP server
 * with libcurl, on the outbox thread (never the event loop).
 *
 * The Message-ID we give it comes back as the message's external_id, so
 * a citizen's answer (In-Reply-To, References) threads back into the
 * conversation.  A server that says 5xx will never take it: failed, with
 * the reason shown.  Anything else (4xx, no connection, a timeout, no
 * settings yet) is tried again later, spaced by retry.c.
 *
 * Settings (channel_settings, channel 'email'): smtp_url (smtp:// or
 * smtps://host:port), smtp_user, smtp_password, smtp_starttls ("yes":
 * STARTTLS required on smtp://), from_address, from_name.
 */
#include <curl/curl.h>
#include <sodium.h>

#include "app.h"
#include "mail.h"
#include "outbox.h"
#include "report_mail.h"
#include "valid.h"
#include "xlsx.h"

#define MAIL_SEND_TIMEOUT_SEC	60

struct mail_src {
	const char	*data;
	size_t		 len;
	size_t		 off;
};

static size_t	mail_send_read(char *, size_t, size_t, void *);
static void	mail_last_in(PGconn *, long long, char *, size_t);

/* An answer without its own In-Reply-To answers the latest mail in. */
static const char *const SQL_LAST_IN =
    "SELECT m.external_id FROM messages m WHERE m.conversation_id = $1::bigint "
    "  AND m.channel = 'email' AND m.direction = 'in' "
    "  AND m.external_id IS NOT NULL AND m.external_id NOT LIKE '%.invalid' "
    "ORDER BY m.id DESC LIMIT 1";

enum outbox_verdict
mail_send(PGconn *db, const struct outbox_msg *msg, struct outbox_result *res)
{
	struct mail_out		 o;
	struct mail_attach	 file;
	struct mail_src		 src;
	struct curl_slist	*rcpt;
	CURL			*curl;
	CURLcode		 rc;
	json_t			*v;
	char			 url[MAIL_SETTING_MAX], user[MAIL_SETTING_MAX];
	char			 pass[MAIL_SETTING_MAX], tls[8];
	char			 from[MAIL_ADDR_MAX + 1], name[MAIL_NAME_MAX + 1];
	char			 id[sizeof(res->external_id)], env[MAIL_ADDR_MAX + 3];
	char			 to[MAIL_ADDR_MAX + 3], last[MAIL_ID_MAX + 1];
	char			 lastref[MAIL_ID_MAX + 3];
	char			*raw, fname[MAIL_ATTACH_NAME_MAX + 1];
	unsigned char		*xlsx = NULL;
	size_t			 len, xlsx_len;
	long			 code = 0;

	if (outbox_setting(db, "email", "smtp_url", url, sizeof(url)) == -1 ||
	    outbox_setting(db, "email", "from_address", from, sizeof(from)) == -1 ||
	    url[0] == '\0' || !valid_email(from, strlen(from))) {
		(void)snprintf(res->error, sizeof(res->error), "Chưa cấu hình "
		    "máy chủ gửi thư (smtp_url, from_address): sẽ thử lại.");
		return (OUTBOX_RETRY);
	}
	if (!valid_email(msg->recipient, strlen(msg->recipient))) {
		(void)snprintf(res->error, sizeof(res->error),
		    "Địa chỉ thư người nhận không hợp lệ: %.320s.", msg->recipient);
		return (OUTBOX_FAILED);
	}
	(void)outbox_setting(db, "email", "from_name", name, sizeof(name));
	(void)outbox_setting(db, "email", "smtp_user", user, sizeof(user));
	(void)outbox_setting(db, "email", "smtp_password", pass, sizeof(pass));
	(void)outbox_setting(db, "email", "smtp_starttls", tls, sizeof(tls));

	memset(&o, 0, sizeof(o));
	mail_random_id(strchr(from, '@') + 1, id, sizeof(id));
	o.from = from;
	o.from_name = name;
	o.to = msg->recipient;
	o.subject = msg->subject;
	o.body = msg->body;
	o.message_id = id;
	if ((v = json_object_get(msg->payload, "in_reply_to")) != NULL)
		o.in_reply_to = json_string_value(v);
	if ((v = json_object_get(msg->payload, "references")) != NULL)
		o.references = json_string_value(v);
	if (o.in_reply_to == NULL && msg->conversation_id != 0) {
		mail_last_in(db, msg->conversation_id, last, sizeof(last));
		if (last[0] != '\0') {
			o.in_reply_to = last;
			(void)snprintf(lastref, sizeof(lastref), "<%s>", last);
			if (o.references == NULL)
				o.references = lastref;
		}
	}
	o.auto_reply = strcmp(msg->kind, "ack") == 0;
	/* A report to the leaders: its workbook, built now (report_mail.c). */
	if ((v = json_object_get(msg->payload, "report")) != NULL) {
		if (report_mail_xlsx(db, v, &xlsx, &xlsx_len, fname,
		    sizeof(fname), res->error, sizeof(res->error)) == -1)
			return (OUTBOX_RETRY);
		file = (struct mail_attach){ fname, XLSX_TYPE, xlsx, xlsx_len };
		o.files = &file;
		o.nfiles = 1;
	}
	raw = mail_build(&o, &len);
	free(xlsx);
	if (raw == NULL) {
		(void)snprintf(res->error, sizeof(res->error), "Không tạo được "
		    "thư: tiêu đề, tệp đính kèm hoặc mã thư được trả lời "
		    "không hợp lệ.");
		return (OUTBOX_FAILED);
	}

	(void)snprintf(env, sizeof(env), "<%s>", from);
	(void)snprintf(to, sizeof(to), "<%s>", msg->recipient);
	if ((curl = curl_easy_init()) == NULL ||
	    (rcpt = curl_slist_append(NULL, to)) == NULL) {
		if (curl != NULL)
			curl_easy_cleanup(curl);
		free(raw);
		(void)snprintf(res->error, sizeof(res->error),
		    "Không khởi tạo được kết nối gửi thư: sẽ thử lại.");
		return (OUTBOX_RETRY);
	}
	src.data = raw;
	src.len = len;
	src.off = 0;
	(void)curl_easy_setopt(curl, CURLOPT_URL, url);
	(void)curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	(void)curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	(void)curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
	(void)curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)MAIL_SEND_TIMEOUT_SEC);
	(void)curl_easy_setopt(curl, CURLOPT_MAIL_FROM, env);
	(void)curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	(void)curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	(void)curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	(void)curl_easy_setopt(curl, CURLOPT_READFUNCTION, mail_send_read);
	(void)curl_easy_setopt(curl, CURLOPT_READDATA, &src);
	httpc_stoppable(curl);
	if (user[0] != '\0') {
		(void)curl_easy_setopt(curl, CURLOPT_USERNAME, user);
		(void)curl_easy_setopt(curl, CURLOPT_PASSWORD, pass);
	}
	(void)curl_easy_setopt(curl, CURLOPT_USE_SSL, strcmp(tls, "yes") == 0 ?
	    (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);

	rc = curl_easy_perform(curl);
	(void)curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(curl);
	sodium_memzero(pass, sizeof(pass));
	free(raw);

	if (rc == CURLE_OK) {
		(void)snprintf(res->external_id, sizeof(res->external_id), "%s", id);
		return (OUTBOX_SENT);
	}
	if (code >= 500 && code != 535) {
		(void)snprintf(res->error, sizeof(res->error), "Máy chủ thư từ "
		    "chối thư (mã %ld): không gửi được tới %.320s.", code,
		    msg->recipient);
		return (OUTBOX_FAILED);
	}
	if (code != 0)
		(void)snprintf(res->error, sizeof(res->error), "Chưa gửi được "
		    "thư qua máy chủ thư (%s, mã %ld): sẽ thử lại.",
		    curl_easy_strerror(rc), code);
	else
		(void)snprintf(res->error, sizeof(res->error), "Chưa gửi được "
		    "thư qua máy chủ thư (%s): sẽ thử lại.",
		    curl_easy_strerror(rc));
	return (OUTBOX_RETRY);
}

static size_t
mail_send_read(char *buf, size_t size, size_t n, void *arg)
{
	struct mail_src	*src = arg;
	size_t		 len;

	len = src->len - src->off;
	if (len > size * n)
		len = size * n;
	memcpy(buf, src->data + src->off, len);
	src->off += len;
	return (len);
}

static void
mail_last_in(PGconn *db, long long conversation, char *buf, size_t len)
{
	PGresult	*res;
	const char	*params[1];
	char		 id[24];

	buf[0] = '\0';
	(void)snprintf(id, sizeof(id), "%lld", conversation);
	params[0] = id;
	res = PQexecParams(db, SQL_LAST_IN, 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		(void)snprintf(buf, len, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
}
