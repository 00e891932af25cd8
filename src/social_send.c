/*
 * social_send: Zalo OA and Messenger senders, on the outbox thread
 * (outbox.c), with one bounded HTTP request each (httpc.c).
 *
 * Zalo's access token lives about a day; its refresh token is good for
 * one refresh only, and the refresh gives a new pair.  So when Zalo says
 * the access token is expired, the sender refreshes once and sends once
 * more, and the refresh is made safe across workers and machines: in one
 * transaction on the sender's connection the refresh_token row is locked
 * (FOR UPDATE); a sender that finds the access token changed since it
 * read it knows another refreshed meanwhile and takes the new one; else
 * it spends the refresh token and stores both new tokens before the
 * COMMIT that lets the next one in.  A refresh that fails keeps the old
 * pair; an invalid refresh token is shown for the admin to mend.
 *
 * What the providers answer is read in social.c (pure, unit tested).
 */
#include <ctype.h>

#include <sodium.h>

#include "app.h"
#include "outbox.h"
#include "social.h"

#define TOKEN_MAX	1024	/* bytes of a token we send */
#define BASE_MAX	256	/* bytes of an API base URL */
#define URL_MAX		(BASE_MAX + TOKEN_MAX + 64)

#define ZALO_API_BASE		"https://openapi.zalo.me"
#define ZALO_OAUTH_BASE		"https://oauth.zaloapp.com"
#define GRAPH_BASE		"https://graph.facebook.com"
#define GRAPH_VERSION		"v19.0"

static enum social_outcome	zalo_post(PGconn *, const char *,
				    const char *, struct outbox_result *);
static enum social_outcome	zalo_refresh(PGconn *, const char *, char *,
				    size_t, struct outbox_result *);
static enum social_outcome	zalo_refresh_locked(PGconn *, const char *,
				    char *, size_t, struct outbox_result *);
static char			*prepare(PGconn *, const struct outbox_msg *,
				    const char *, const char *, char *, size_t,
				    struct outbox_result *);
static enum outbox_verdict	verdict(enum social_outcome);
static int			base_url(PGconn *, const char *, const char *,
				    const char *, char *, size_t);
static int			exec_ok(PGconn *, const char *, int,
				    const char **, char *, size_t);

static const char SQL_LOCK_REFRESH[] =
    "SELECT value FROM channel_settings "
    "WHERE channel = 'zalo' AND name = 'refresh_token' FOR UPDATE";
static const char SQL_ACCESS[] =
    "SELECT value FROM channel_settings "
    "WHERE channel = 'zalo' AND name = 'access_token'";
/* Both new tokens, one statement: never one without the other. */
static const char SQL_STORE_TOKENS[] =
    "INSERT INTO channel_settings (channel, name, value, secret) "
    "VALUES ('zalo', 'access_token', $1, true), "
    "('zalo', 'refresh_token', $2, true) "
    "ON CONFLICT (channel, name) DO UPDATE SET value = EXCLUDED.value, "
    "secret = true, updated_at = now(), updated_by = NULL";

/* POST /v3.0/oa/message/cs with the OA's access token. */
enum outbox_verdict
social_zalo_send(PGconn *db, const struct outbox_msg *m,
    struct outbox_result *r)
{
	char			 token[TOKEN_MAX], fresh[TOKEN_MAX];
	char			*body;
	enum social_outcome	 out;

	if ((body = prepare(db, m, "Zalo OA", "access_token", token,
	    sizeof(token), r)) == NULL)
		return (OUTBOX_FAILED);
	out = zalo_post(db, token, body, r);
	if (out == SOCIAL_TOKEN_EXPIRED) {
		out = zalo_refresh(db, token, fresh, sizeof(fresh), r);
		if (out == SOCIAL_OK) {
			out = zalo_post(db, fresh, body, r);
			/* Expired again at once: not ours to loop on. */
			if (out == SOCIAL_TOKEN_EXPIRED)
				out = SOCIAL_RETRY;
		}
	}
	free(body);
	return (verdict(out));
}

/* POST /{version}/me/messages with the page's access token. */
enum outbox_verdict
social_facebook_send(PGconn *db, const struct outbox_msg *m,
    struct outbox_result *r)
{
	struct httpc_reply	 reply;
	static const char *const headers[] = {
		"Content-Type: application/json", NULL
	};
	char			 token[TOKEN_MAX], base[BASE_MAX], version[16];
	char			 url[URL_MAX];
	char			*body;
	enum social_outcome	 out;
	size_t			 i;

	if (base_url(db, "facebook", "graph_base", GRAPH_BASE, base,
	    sizeof(base)) == -1) {
		(void)snprintf(r->error, sizeof(r->error),
		    "Địa chỉ Graph API (graph_base) không hợp lệ.");
		return (OUTBOX_FAILED);
	}
	if (outbox_setting(db, "facebook", "graph_version", version,
	    sizeof(version)) == -1 || version[0] == '\0')
		(void)snprintf(version, sizeof(version), "%s", GRAPH_VERSION);
	for (i = 0; version[i] != '\0'; i++) {
		if (!isdigit((unsigned char)version[i]) && version[i] != '.' &&
		    !(i == 0 && version[i] == 'v')) {
			(void)snprintf(r->error, sizeof(r->error),
			    "Phiên bản Graph API (graph_version) không hợp lệ.");
			return (OUTBOX_FAILED);
		}
	}
	if ((body = prepare(db, m, "trang Facebook", "page_access_token",
	    token, sizeof(token), r)) == NULL)
		return (OUTBOX_FAILED);
	(void)snprintf(url, sizeof(url), "%s/%s/me/messages?access_token=%s",
	    base, version, token);
	if (httpc_request("POST", url, headers, body, strlen(body),
	    &reply) == -1)
		kore_log(LOG_NOTICE, "social: facebook: %s", reply.error);
	free(body);
	out = social_facebook_sent(reply.status, reply.body, r->external_id,
	    sizeof(r->external_id), r->error, sizeof(r->error));
	httpc_reply_free(&reply);
	return (verdict(out));
}

static enum social_outcome
zalo_post(PGconn *db, const char *token, const char *body,
    struct outbox_result *r)
{
	struct httpc_reply	 reply;
	const char		*headers[3];
	char			 base[BASE_MAX], url[URL_MAX], auth[TOKEN_MAX + 16];
	enum social_outcome	 out;

	if (base_url(db, "zalo", "api_base", ZALO_API_BASE, base,
	    sizeof(base)) == -1) {
		(void)snprintf(r->error, sizeof(r->error),
		    "Địa chỉ API Zalo (api_base) không hợp lệ.");
		return (SOCIAL_FAILED);
	}
	(void)snprintf(url, sizeof(url), "%s/v3.0/oa/message/cs", base);
	(void)snprintf(auth, sizeof(auth), "access_token: %s", token);
	headers[0] = "Content-Type: application/json";
	headers[1] = auth;
	headers[2] = NULL;
	if (httpc_request("POST", url, headers, body, strlen(body),
	    &reply) == -1)
		kore_log(LOG_NOTICE, "social: zalo: %s", reply.error);
	out = social_zalo_sent(reply.status, reply.body, r->external_id,
	    sizeof(r->external_id), r->error, sizeof(r->error));
	httpc_reply_free(&reply);
	return (out);
}

/*
 * A new access token into fresh, from the refresh token, once across
 * every sender: see the comment at the top.  used: the access token Zalo
 * refused.
 */
static enum social_outcome
zalo_refresh(PGconn *db, const char *used, char *fresh, size_t len,
    struct outbox_result *r)
{
	enum social_outcome	out;
	char			err[256];

	if (exec_ok(db, "BEGIN", 0, NULL, err, sizeof(err)) == -1) {
		(void)snprintf(r->error, sizeof(r->error), "Không làm mới được "
		    "mã truy cập Zalo: lỗi cơ sở dữ liệu, sẽ thử lại sau.");
		kore_log(LOG_WARNING, "social: BEGIN: %s", err);
		return (SOCIAL_RETRY);
	}
	out = zalo_refresh_locked(db, used, fresh, len, r);
	if (out == SOCIAL_OK) {
		if (exec_ok(db, "COMMIT", 0, NULL, err, sizeof(err)) == -1) {
			/* Zalo has spent the old refresh token: say so loudly. */
			kore_log(LOG_ERR, "social: the new Zalo tokens were not "
			    "stored: %s", err);
			(void)snprintf(r->error, sizeof(r->error), "Đã làm mới mã "
			    "truy cập Zalo nhưng không lưu được: quản trị viên "
			    "cần cấp quyền lại cho ứng dụng.");
			return (SOCIAL_FAILED);
		}
		return (SOCIAL_OK);
	}
	(void)exec_ok(db, "ROLLBACK", 0, NULL, err, sizeof(err));
	return (out);
}

static enum social_outcome
zalo_refresh_locked(PGconn *db, const char *used, char *fresh, size_t len,
    struct outbox_result *r)
{
	struct httpc_reply	 reply;
	PGresult		*res;
	const char		*headers[3], *params[2];
	char			 refresh[TOKEN_MAX], app_id[128], secret[TOKEN_MAX];
	char			 base[BASE_MAX], url[URL_MAX];
	char			 hdr[TOKEN_MAX + 16], form[2 * TOKEN_MAX + 128];
	char			 access[TOKEN_MAX], next[TOKEN_MAX];
	enum social_outcome	 out;

	res = PQexec(db, SQL_LOCK_REFRESH);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 ||
	    (size_t)PQgetlength(res, 0, 0) >= sizeof(refresh)) {
		PQclear(res);
		(void)snprintf(r->error, sizeof(r->error), "Chưa nhập mã làm mới "
		    "Zalo (refresh_token) trong phần quản trị.");
		return (SOCIAL_FAILED);
	}
	(void)snprintf(refresh, sizeof(refresh), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);

	/* Another sender refreshed while we waited for the lock. */
	res = PQexec(db, SQL_ACCESS);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
	    strcmp(PQgetvalue(res, 0, 0), used) != 0 &&
	    social_token_ok(PQgetvalue(res, 0, 0)) &&
	    (size_t)PQgetlength(res, 0, 0) < len) {
		(void)snprintf(fresh, len, "%s", PQgetvalue(res, 0, 0));
		PQclear(res);
		return (SOCIAL_OK);
	}
	PQclear(res);

	if (outbox_setting(db, "zalo", "app_id", app_id, sizeof(app_id)) == -1 ||
	    !social_token_ok(app_id) || outbox_setting(db, "zalo",
	    "app_secret_key", secret, sizeof(secret)) == -1 ||
	    !social_token_ok(secret) || !social_token_ok(refresh)) {
		(void)snprintf(r->error, sizeof(r->error), "Thiếu app_id, "
		    "app_secret_key hoặc refresh_token của Zalo trong phần quản "
		    "trị: không làm mới được mã truy cập.");
		return (SOCIAL_FAILED);
	}
	if (base_url(db, "zalo", "oauth_base", ZALO_OAUTH_BASE, base,
	    sizeof(base)) == -1) {
		(void)snprintf(r->error, sizeof(r->error),
		    "Địa chỉ OAuth Zalo (oauth_base) không hợp lệ.");
		return (SOCIAL_FAILED);
	}
	(void)snprintf(url, sizeof(url), "%s/v4/oa/access_token", base);
	(void)snprintf(hdr, sizeof(hdr), "secret_key: %s", secret);
	/* The tokens are of URL-safe characters (social_token_ok). */
	(void)snprintf(form, sizeof(form),
	    "refresh_token=%s&app_id=%s&grant_type=refresh_token",
	    refresh, app_id);
	headers[0] = "Content-Type: application/x-www-form-urlencoded";
	headers[1] = hdr;
	headers[2] = NULL;
	if (httpc_request("POST", url, headers, form, strlen(form),
	    &reply) == -1)
		kore_log(LOG_NOTICE, "social: zalo refresh: %s", reply.error);
	out = social_zalo_refreshed(reply.status, reply.body, access,
	    sizeof(access), next, sizeof(next), r->error, sizeof(r->error));
	httpc_reply_free(&reply);
	sodium_memzero(secret, sizeof(secret));
	if (out != SOCIAL_OK)
		return (out);
	if (strlen(access) >= len) {
		(void)snprintf(r->error, sizeof(r->error),
		    "Mã truy cập Zalo mới quá dài.");
		return (SOCIAL_FAILED);
	}

	params[0] = access;
	params[1] = next;
	if (exec_ok(db, SQL_STORE_TOKENS, 2, params, r->error,
	    sizeof(r->error)) == -1) {
		kore_log(LOG_ERR, "social: the new Zalo tokens were not "
		    "stored: %s", r->error);
		(void)snprintf(r->error, sizeof(r->error), "Đã làm mới mã truy "
		    "cập Zalo nhưng không lưu được: quản trị viên cần cấp quyền "
		    "lại cho ứng dụng.");
		return (SOCIAL_FAILED);
	}
	kore_log(LOG_NOTICE, "social: Zalo access token refreshed");
	(void)snprintf(fresh, len, "%s", access);
	return (SOCIAL_OK);
}

/*
 * What a send needs first: a recipient, a text, the channel's token (into
 * token) and the request's body, which it returns (to free()).  NULL
 * with r->error said if one is missing.
 */
static char *
prepare(PGconn *db, const struct outbox_msg *m, const char *who,
    const char *name, char *token, size_t len, struct outbox_result *r)
{
	char	*body;

	if (!social_token_ok(m->recipient) || m->body[0] == '\0') {
		(void)snprintf(r->error, sizeof(r->error),
		    "Tin nhắn thiếu người nhận hoặc nội dung.");
		return (NULL);
	}
	if (outbox_setting(db, m->channel, name, token, len) == -1 ||
	    !social_token_ok(token)) {
		(void)snprintf(r->error, sizeof(r->error), "Chưa nhập mã truy "
		    "cập %s (%s) trong phần quản trị.", who, name);
		return (NULL);
	}
	body = strcmp(m->channel, "zalo") == 0 ?
	    social_zalo_message(m->recipient, m->body) :
	    social_facebook_message(m->recipient, m->body);
	if (body == NULL)
		(void)snprintf(r->error, sizeof(r->error),
		    "Nội dung tin nhắn không phải UTF-8.");
	return (body);
}

static enum outbox_verdict
verdict(enum social_outcome out)
{
	switch (out) {
	case SOCIAL_OK:
		return (OUTBOX_SENT);
	case SOCIAL_RETRY:
	case SOCIAL_TOKEN_EXPIRED:
		return (OUTBOX_RETRY);
	default:
		return (OUTBOX_FAILED);
	}
}

/* A setting that is a base URL (http or https, no trailing slash). */
static int
base_url(PGconn *db, const char *channel, const char *name,
    const char *fallback, char *buf, size_t len)
{
	size_t	n, i;

	if (outbox_setting(db, channel, name, buf, len) == -1 ||
	    buf[0] == '\0')
		(void)snprintf(buf, len, "%s", fallback);
	if (strncmp(buf, "https://", 8) != 0 && strncmp(buf, "http://", 7) != 0)
		return (-1);
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] <= ' ' || buf[i] > '~' || buf[i] == '?' ||
		    buf[i] == '#')
			return (-1);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '/')
		buf[--n] = '\0';
	return (0);
}

/* A statement that returns no rows we need: 0, or -1 with err. */
static int
exec_ok(PGconn *db, const char *sql, int n, const char **params, char *err,
    size_t errlen)
{
	PGresult	*res;
	int		 rc = 0;

	res = PQexecParams(db, sql, n, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		(void)snprintf(err, errlen, "%s", PQerrorMessage(db));
		rc = -1;
	}
	PQclear(res);
	return (rc);
}
