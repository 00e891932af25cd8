/*
 * social: Zalo OA and Facebook Messenger, the pure part (see social.h).
 *
 * Everything here reads bytes that came from outside: a webhook's body
 * and headers, a provider's answer.  Each field is checked for its type
 * and length before it is kept; anything else is refused with a reason,
 * and a body is taken whole or not at all.  Signatures are compared in
 * constant time (libsodium's crypto_verify_32).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "social.h"
#include "valid.h"

#define HEX_DIGEST_LEN		64	/* a SHA-256 as hex */

static int	 hex_digest(const char *, const char *,
		    unsigned char [crypto_hash_sha256_BYTES]);
static int	 id_ok(const json_t *);
static int	 text_ok(const json_t *, size_t);
static int	 coordinate(const json_t *, double, double *);
static json_t	*attachments(const json_t *, json_t *, char *, size_t);
static json_t	*item_new(const char *, const char *, const char *,
		    const char *, json_int_t);
static json_int_t time_of(const json_t *);
static const char *zalo_user(json_t *, const char *);
static json_t	*facebook_item(const json_t *, char *, size_t);
static char	*dump(json_t *);
static void	 seterr(char *, size_t, const char *);

/*
 * Facebook: X-Hub-Signature-256 is "sha256=" and the hex HMAC-SHA256 of
 * the raw body keyed with the app secret.
 */
int
social_facebook_signature_ok(const char *secret, const unsigned char *body,
    size_t len, const char *header)
{
	crypto_auth_hmacsha256_state	st;
	unsigned char			want[crypto_auth_hmacsha256_BYTES];
	unsigned char			got[crypto_auth_hmacsha256_BYTES];
	int				ok;

	if (secret == NULL || secret[0] == '\0' || header == NULL ||
	    hex_digest(header, "sha256=", got) == -1)
		return (0);
	if (crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret,
	    strlen(secret)) != 0 ||
	    crypto_auth_hmacsha256_update(&st, body, len) != 0 ||
	    crypto_auth_hmacsha256_final(&st, want) != 0)
		return (0);
	ok = crypto_verify_32(want, got) == 0;
	sodium_memzero(&st, sizeof(st));
	return (ok);
}

/*
 * Zalo: X-ZEvent-Signature is "mac=" and the hex SHA-256 of the app id,
 * the raw body, the body's timestamp and the OA secret key, end to end.
 */
int
social_zalo_signature_ok(const char *app_id, const char *secret,
    const unsigned char *body, size_t len, const char *timestamp,
    const char *header)
{
	crypto_hash_sha256_state	st;
	unsigned char			want[crypto_hash_sha256_BYTES];
	unsigned char			got[crypto_hash_sha256_BYTES];
	int				ok;

	if (app_id == NULL || app_id[0] == '\0' || secret == NULL ||
	    secret[0] == '\0' || timestamp == NULL || header == NULL ||
	    hex_digest(header, "mac=", got) == -1)
		return (0);
	if (crypto_hash_sha256_init(&st) != 0 ||
	    crypto_hash_sha256_update(&st, (const unsigned char *)app_id,
	    strlen(app_id)) != 0 ||
	    crypto_hash_sha256_update(&st, body, len) != 0 ||
	    crypto_hash_sha256_update(&st, (const unsigned char *)timestamp,
	    strlen(timestamp)) != 0 ||
	    crypto_hash_sha256_update(&st, (const unsigned char *)secret,
	    strlen(secret)) != 0 ||
	    crypto_hash_sha256_final(&st, want) != 0)
		return (0);
	ok = crypto_verify_32(want, got) == 0;
	sodium_memzero(&st, sizeof(st));
	return (ok);
}

/* A webhook body as a JSON object, or NULL with err set. */
json_t *
social_parse(const unsigned char *body, size_t len, char *err,
    size_t errlen)
{
	json_t		*root;
	json_error_t	 jerr;

	if (len == 0 || len > SOCIAL_BODY_MAX) {
		seterr(err, errlen, "body is empty or too large");
		return (NULL);
	}
	root = json_loadb((const char *)body, len, JSON_REJECT_DUPLICATES,
	    &jerr);
	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		seterr(err, errlen, "body is not a JSON object");
		return (NULL);
	}
	return (root);
}

/*
 * The body's timestamp as it is written: Zalo sends a string of digits
 * (milliseconds); a number is taken too.  0, or -1 if there is none.
 */
int
social_zalo_timestamp(json_t *root, char *buf, size_t len)
{
	json_t		*t;
	const char	*s;
	size_t		 i, n;

	buf[0] = '\0';
	t = json_object_get(root, "timestamp");
	if (json_is_integer(t) && json_integer_value(t) >= 0) {
		if ((size_t)snprintf(buf, len, "%lld",
		    (long long)json_integer_value(t)) >= len)
			return (-1);
		return (0);
	}
	if (!json_is_string(t))
		return (-1);
	s = json_string_value(t);
	n = json_string_length(t);
	if (n == 0 || n > SOCIAL_TIMESTAMP_MAX || n >= len)
		return (-1);
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return (-1);
	memcpy(buf, s, n + 1);
	return (0);
}

/*
 * A Zalo event as items: one for a message (user_send_*,
 * anonymous_send_*) or a follow/unfollow, none for what we do not keep
 * (the OA's own sends, seen and received receipts, …).
 */
json_t *
social_zalo_items(json_t *root, char *err, size_t errlen)
{
	json_t		*list, *msg, *item, *a;
	const char	*event, *user, *text;
	char		 id[SOCIAL_ID_MAX + 1], ts[SOCIAL_TIMESTAMP_MAX + 1];
	json_int_t	 t;

	if (!json_is_object(root) ||
	    !json_is_string(json_object_get(root, "event_name"))) {
		seterr(err, errlen, "event_name is missing");
		return (NULL);
	}
	event = json_string_value(json_object_get(root, "event_name"));
	t = time_of(json_object_get(root, "timestamp"));
	if ((list = json_array()) == NULL)
		abort();

	if (strcmp(event, "follow") == 0 || strcmp(event, "unfollow") == 0) {
		if ((user = zalo_user(root, "follower")) == NULL ||
		    social_zalo_timestamp(root, ts, sizeof(ts)) == -1) {
			json_decref(list);
			seterr(err, errlen, "follower.id or timestamp is missing");
			return (NULL);
		}
		/* No message id: the event, the person and the time are one. */
		(void)snprintf(id, sizeof(id), "%s:%s:%s", event, user, ts);
		item = item_new("event", event, user, id, t);
		(void)json_array_append_new(list, item);
		return (list);
	}
	if (strncmp(event, "user_send_", 10) != 0 &&
	    strncmp(event, "anonymous_send_", 15) != 0)
		return (list);

	msg = json_object_get(root, "message");
	if ((user = zalo_user(root, "sender")) == NULL || !json_is_object(msg) ||
	    !id_ok(json_object_get(msg, "msg_id"))) {
		json_decref(list);
		seterr(err, errlen, "sender.id or message.msg_id is missing");
		return (NULL);
	}
	item = item_new("message", event, user,
	    json_string_value(json_object_get(msg, "msg_id")), t);
	text = "";
	if (json_object_get(msg, "text") != NULL) {
		if (!text_ok(json_object_get(msg, "text"), SOCIAL_TEXT_MAX)) {
			json_decref(item);
			json_decref(list);
			seterr(err, errlen, "message.text is not a short text");
			return (NULL);
		}
		text = json_string_value(json_object_get(msg, "text"));
	}
	(void)json_object_set_new(item, "text", json_string(text));
	if ((a = attachments(json_object_get(msg, "attachments"), item, err,
	    errlen)) == NULL) {
		json_decref(item);
		json_decref(list);
		return (NULL);
	}
	(void)json_object_set_new(item, "attachments", a);
	(void)json_array_append_new(list, item);
	return (list);
}

/*
 * A Messenger webhook: object "page", every entry and every messaging
 * item of it.  Messages and postbacks are kept; echoes of the page's own
 * sends, deliveries, reads and reactions are not.
 */
json_t *
social_facebook_items(const unsigned char *body, size_t len, char *err,
    size_t errlen)
{
	json_t		*root, *entries, *entry, *messaging, *m, *list, *item;
	size_t		 i, j, seen = 0;

	if ((root = social_parse(body, len, err, errlen)) == NULL)
		return (NULL);
	entries = json_object_get(root, "entry");
	if (!json_is_string(json_object_get(root, "object")) ||
	    strcmp(json_string_value(json_object_get(root, "object")),
	    "page") != 0 || !json_is_array(entries)) {
		json_decref(root);
		seterr(err, errlen, "not a page webhook with an entry list");
		return (NULL);
	}
	if ((list = json_array()) == NULL)
		abort();
	json_array_foreach(entries, i, entry) {
		messaging = json_object_get(entry, "messaging");
		if (!json_is_object(entry) ||
		    (messaging != NULL && !json_is_array(messaging))) {
			seterr(err, errlen, "an entry is not an object with "
			    "a messaging list");
			goto fail;
		}
		json_array_foreach(messaging, j, m) {
			if (++seen > SOCIAL_ITEMS_MAX) {
				seterr(err, errlen, "too many messaging items");
				goto fail;
			}
			/* An object to keep, null to pass over, NULL: bad. */
			if ((item = facebook_item(m, err, errlen)) == NULL)
				goto fail;
			if (json_is_object(item))
				(void)json_array_append(list, item);
			json_decref(item);
		}
	}
	json_decref(root);
	return (list);
fail:
	json_decref(list);
	json_decref(root);
	return (NULL);
}

/*
 * Zalo's answer to POST /v3.0/oa/message/cs: {"error": 0, "data":
 * {"message_id": …}} when sent; a negative error code otherwise.
 */
enum social_outcome
social_zalo_sent(long status, const char *body, char *msgid, size_t idlen,
    char *err, size_t errlen)
{
	json_t		*root, *data;
	json_error_t	 jerr;
	json_int_t	 code;
	const char	*why;
	enum social_outcome	 out;

	msgid[0] = '\0';
	if (status == 0) {
		(void)snprintf(err, errlen, "Không kết nối được Zalo, sẽ gửi "
		    "lại sau.");
		return (SOCIAL_RETRY);
	}
	if (status >= 500 || status == 429) {
		(void)snprintf(err, errlen, "Zalo chưa trả lời được (HTTP %ld), "
		    "sẽ gửi lại sau.", status);
		return (SOCIAL_RETRY);
	}
	root = json_loads(body, 0, &jerr);
	if (!json_is_object(root) ||
	    !json_is_integer(json_object_get(root, "error"))) {
		json_decref(root);
		(void)snprintf(err, errlen, "Zalo trả lời không đúng dạng "
		    "(HTTP %ld), sẽ gửi lại sau.", status);
		return (SOCIAL_RETRY);
	}
	code = json_integer_value(json_object_get(root, "error"));
	why = json_string_value(json_object_get(root, "message"));
	if (why == NULL || !valid_utf8(why, strlen(why)))
		why = "";
	switch (code) {
	case 0:
		data = json_object_get(root, "data");
		if (json_is_string(json_object_get(data, "message_id")))
			(void)snprintf(msgid, idlen, "%s", json_string_value(
			    json_object_get(data, "message_id")));
		err[0] = '\0';
		out = SOCIAL_OK;
		break;
	case -216:		/* access token invalid or expired */
	case -124:
		(void)snprintf(err, errlen, "Mã truy cập Zalo OA đã hết hạn "
		    "hoặc không hợp lệ (%lld).", (long long)code);
		out = SOCIAL_TOKEN_EXPIRED;
		break;
	case -213:		/* the user does not follow the OA */
	case -230:		/* no interaction in the last 7 days */
		(void)snprintf(err, errlen, "Zalo không cho gửi: người dân chưa "
		    "quan tâm OA hoặc đã quá 7 ngày kể từ lần nhắn cuối "
		    "(%lld: %.200s).", (long long)code, why);
		out = SOCIAL_FAILED;
		break;
	case -32:		/* request limit of the app */
	case -211:		/* quota of the OA */
		(void)snprintf(err, errlen, "Zalo báo vượt giới hạn gửi "
		    "(%lld), sẽ gửi lại sau.", (long long)code);
		out = SOCIAL_RETRY;
		break;
	default:
		(void)snprintf(err, errlen, "Zalo từ chối tin nhắn (%lld: "
		    "%.200s).", (long long)code, why);
		out = SOCIAL_FAILED;
		break;
	}
	json_decref(root);
	return (out);
}

/*
 * The Send API's answer: {"recipient_id", "message_id"} when sent, else
 * {"error": {"code", "error_subcode", "message"}}.
 */
enum social_outcome
social_facebook_sent(long status, const char *body, char *msgid,
    size_t idlen, char *err, size_t errlen)
{
	json_t		*root, *e;
	json_error_t	 jerr;
	json_int_t	 code, sub;
	const char	*why;
	enum social_outcome	 out;

	msgid[0] = '\0';
	err[0] = '\0';
	root = json_loads(body, 0, &jerr);
	if (status == 200 && json_is_object(root) &&
	    json_is_string(json_object_get(root, "message_id"))) {
		(void)snprintf(msgid, idlen, "%s",
		    json_string_value(json_object_get(root, "message_id")));
		json_decref(root);
		return (SOCIAL_OK);
	}
	e = json_object_get(root, "error");
	if (status == 0) {
		json_decref(root);
		(void)snprintf(err, errlen, "Không kết nối được Facebook, sẽ "
		    "gửi lại sau.");
		return (SOCIAL_RETRY);
	}
	if (!json_is_object(e) ||
	    !json_is_integer(json_object_get(e, "code"))) {
		json_decref(root);
		(void)snprintf(err, errlen, "Facebook chưa trả lời đúng "
		    "(HTTP %ld), sẽ gửi lại sau.", status);
		return (SOCIAL_RETRY);
	}
	code = json_integer_value(json_object_get(e, "code"));
	sub = json_integer_value(json_object_get(e, "error_subcode"));
	why = json_string_value(json_object_get(e, "message"));
	if (why == NULL || !valid_utf8(why, strlen(why)))
		why = "";
	if (code == 190) {
		(void)snprintf(err, errlen, "Mã truy cập trang Facebook đã hết "
		    "hạn hoặc bị thu hồi: quản trị viên cần nhập mã mới "
		    "(190: %.200s).", why);
		out = SOCIAL_FAILED;
	} else if (code == 10 && sub == 2018278) {
		(void)snprintf(err, errlen, "Đã quá 24 giờ kể từ tin nhắn cuối "
		    "của người dân: Facebook không cho gửi tin trả lời.");
		out = SOCIAL_FAILED;
	} else if (code == 551 || (code == 10 && sub == 2018108)) {
		(void)snprintf(err, errlen, "Người dân đã chặn trang hoặc không "
		    "nhận được tin nhắn lúc này (%lld).", (long long)code);
		out = SOCIAL_FAILED;
	} else if (code == 4 || code == 613 || code == 32 || code == 17 ||
	    code == 2 || code == 1200 || status >= 500) {
		(void)snprintf(err, errlen, "Facebook báo bận hoặc vượt giới hạn "
		    "gửi (%lld), sẽ gửi lại sau.", (long long)code);
		out = SOCIAL_RETRY;
	} else {
		(void)snprintf(err, errlen, "Facebook từ chối tin nhắn (%lld: "
		    "%.200s).", (long long)code, why);
		out = SOCIAL_FAILED;
	}
	json_decref(root);
	return (out);
}

/*
 * The OAuth answer to a refresh: {"access_token", "refresh_token",
 * "expires_in"}, or {"error": <negative>, "error_name",
 * "error_description"}.  An invalid refresh token is for the admin to
 * mend (a new authorisation); anything else may pass.
 */
enum social_outcome
social_zalo_refreshed(long status, const char *body, char *access,
    size_t alen, char *refresh, size_t rlen, char *err, size_t errlen)
{
	json_t		*root;
	json_error_t	 jerr;
	const char	*a, *r, *why;
	enum social_outcome	 out;

	access[0] = refresh[0] = '\0';
	root = json_loads(body, 0, &jerr);
	a = json_string_value(json_object_get(root, "access_token"));
	r = json_string_value(json_object_get(root, "refresh_token"));
	if (status == 200 && a != NULL && r != NULL && social_token_ok(a) &&
	    social_token_ok(r) && strlen(a) < alen && strlen(r) < rlen) {
		memcpy(access, a, strlen(a) + 1);
		memcpy(refresh, r, strlen(r) + 1);
		json_decref(root);
		err[0] = '\0';
		return (SOCIAL_OK);
	}
	if (status == 0 || status >= 500 || !json_is_object(root) ||
	    !json_is_integer(json_object_get(root, "error"))) {
		(void)snprintf(err, errlen, "Không làm mới được mã truy cập "
		    "Zalo (HTTP %ld), sẽ thử lại sau.", status);
		out = SOCIAL_RETRY;
	} else {
		why = json_string_value(json_object_get(root,
		    "error_description"));
		if (why == NULL)
			why = json_string_value(json_object_get(root,
			    "error_name"));
		if (why == NULL || !valid_utf8(why, strlen(why)))
			why = "";
		(void)snprintf(err, errlen, "Mã làm mới (refresh token) Zalo "
		    "không còn hiệu lực: quản trị viên cần cấp quyền lại cho "
		    "ứng dụng trên Zalo OA (%lld: %.200s).", (long long)
		    json_integer_value(json_object_get(root, "error")), why);
		out = SOCIAL_FAILED;
	}
	json_decref(root);
	return (out);
}

/* {"recipient": {"user_id"}, "message": {"text"}} */
char *
social_zalo_message(const char *user, const char *text)
{
	return (dump(json_pack("{s:{s:s},s:{s:s}}", "recipient", "user_id",
	    user, "message", "text", text)));
}

/* {"recipient": {"id"}, "messaging_type": "RESPONSE", "message": {"text"}} */
char *
social_facebook_message(const char *psid, const char *text)
{
	return (dump(json_pack("{s:{s:s},s:s,s:{s:s}}", "recipient", "id", psid,
	    "messaging_type", "RESPONSE", "message", "text", text)));
}

/* Printable ASCII with no space, quote or separator, 1..SOCIAL_ID_MAX*4. */
int
social_token_ok(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i >= 4 * SOCIAL_ID_MAX || (!isalnum((unsigned char)s[i]) &&
		    strchr("-_.~:", s[i]) == NULL))
			return (0);
	}
	return (i > 0);
}

/*
 * Hashed first, so neither the lengths nor the first difference show in
 * the time taken.
 */
int
social_secret_equal(const char *want, const char *got)
{
	unsigned char	a[crypto_generichash_BYTES], b[crypto_generichash_BYTES];

	if (want == NULL || got == NULL || want[0] == '\0')
		return (0);
	if (crypto_generichash(a, sizeof(a), (const unsigned char *)want,
	    strlen(want), NULL, 0) != 0 ||
	    crypto_generichash(b, sizeof(b), (const unsigned char *)got,
	    strlen(got), NULL, 0) != 0)
		return (0);
	return (crypto_verify_32(a, b) == 0);
}

/* "<prefix><64 hex>" into 32 bytes: 0, or -1. */
static int
hex_digest(const char *header, const char *prefix,
    unsigned char out[crypto_hash_sha256_BYTES])
{
	size_t	plen = strlen(prefix), bin;

	if (strncmp(header, prefix, plen) != 0 ||
	    strlen(header + plen) != HEX_DIGEST_LEN)
		return (-1);
	if (sodium_hex2bin(out, crypto_hash_sha256_BYTES, header + plen,
	    HEX_DIGEST_LEN, NULL, &bin, NULL) != 0 ||
	    bin != crypto_hash_sha256_BYTES)
		return (-1);
	return (0);
}

/* An id: a non-empty string of printable ASCII, at most SOCIAL_ID_MAX. */
static int
id_ok(const json_t *j)
{
	const char	*s;
	size_t		 i, n;

	if (!json_is_string(j))
		return (0);
	s = json_string_value(j);
	n = json_string_length(j);
	if (n == 0 || n > SOCIAL_ID_MAX)
		return (0);
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return (0);
	return (1);
}

/* A string of valid UTF-8 with no NUL, at most max bytes. */
static int
text_ok(const json_t *j, size_t max)
{
	if (!json_is_string(j) || json_string_length(j) > max)
		return (0);
	return (strlen(json_string_value(j)) == json_string_length(j) &&
	    valid_utf8(json_string_value(j), json_string_length(j)));
}

/* A latitude or longitude, a number or a numeric string within ±limit. */
static int
coordinate(const json_t *j, double limit, double *out)
{
	const char	*s;
	char		*end;

	if (json_is_number(j))
		*out = json_number_value(j);
	else if (json_is_string(j) && json_string_length(j) > 0 &&
	    json_string_length(j) < 32) {
		s = json_string_value(j);
		*out = strtod(s, &end);
		if (*end != '\0')
			return (0);
	} else
		return (0);
	return (*out >= -limit && *out <= limit);
}

/*
 * A message's attachments (Zalo's and Facebook's share a shape: {type,
 * payload: {url, name, coordinates}}) as [{type, url, name}]; a location
 * goes to the item's "location" as {lat, long}.
 */
static json_t *
attachments(const json_t *list, json_t *item, char *err, size_t errlen)
{
	json_t		*out, *a, *p, *c, *o;
	const char	*type;
	double		 lat, lng;
	size_t		 i;

	if ((out = json_array()) == NULL)
		abort();
	if (list == NULL || json_is_null(list))
		return (out);
	if (!json_is_array(list) || json_array_size(list) > SOCIAL_ATTACH_MAX) {
		json_decref(out);
		seterr(err, errlen, "attachments is not a short list");
		return (NULL);
	}
	json_array_foreach(list, i, a) {
		p = json_object_get(a, "payload");
		if (!json_is_object(a) || !id_ok(json_object_get(a, "type")) ||
		    json_string_length(json_object_get(a, "type")) > 32 ||
		    (p != NULL && !json_is_object(p) && !json_is_null(p)))
			goto bad;
		type = json_string_value(json_object_get(a, "type"));
		if (strcmp(type, "location") == 0) {
			c = json_object_get(p, "coordinates");
			/* Zalo: latitude, longitude; Facebook: lat, long. */
			if (!coordinate(json_object_get(c, "latitude") != NULL ?
			    json_object_get(c, "latitude") :
			    json_object_get(c, "lat"), 90, &lat) ||
			    !coordinate(json_object_get(c, "longitude") != NULL ?
			    json_object_get(c, "longitude") :
			    json_object_get(c, "long"), 180, &lng))
				goto bad;
			(void)json_object_set_new(item, "location",
			    json_pack("{s:f,s:f}", "lat", lat, "long", lng));
			continue;
		}
		if ((o = json_pack("{s:s}", "type", type)) == NULL)
			abort();
		c = json_object_get(p, "url");
		if (c != NULL && !json_is_null(c)) {
			if (!text_ok(c, SOCIAL_URL_MAX) ||
			    (strncmp(json_string_value(c), "https://", 8) != 0 &&
			    strncmp(json_string_value(c), "http://", 7) != 0))
				goto bad_o;
			(void)json_object_set(o, "url", c);
		}
		c = json_object_get(p, "name");
		if (c != NULL && !json_is_null(c)) {
			if (!text_ok(c, SOCIAL_NAME_MAX))
				goto bad_o;
			(void)json_object_set(o, "name", c);
		}
		(void)json_array_append_new(out, o);
		continue;
bad_o:
		json_decref(o);
		goto bad;
	}
	return (out);
bad:
	json_decref(out);
	seterr(err, errlen, "an attachment is malformed");
	return (NULL);
}

static json_t *
item_new(const char *kind, const char *event, const char *user,
    const char *id, json_int_t t)
{
	json_t	*j;

	j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:[],s:I}", "kind", kind,
	    "event", event, "user", user, "id", id, "text", "",
	    "attachments", "time", t);
	if (j == NULL)
		abort();
	return (j);
}

/* A provider's time in milliseconds (a number or digits), 0 if none. */
static json_int_t
time_of(const json_t *j)
{
	const char	*s;
	json_int_t	 t = 0;

	if (json_is_integer(j))
		t = json_integer_value(j);
	else if (json_is_string(j) && json_string_length(j) <=
	    SOCIAL_TIMESTAMP_MAX - 2) {
		for (s = json_string_value(j); *s != '\0'; s++) {
			if (!isdigit((unsigned char)*s))
				return (0);
			t = t * 10 + (*s - '0');
		}
	}
	return (t < 0 ? 0 : t);
}

/* root[who].id, a short id, or NULL. */
static const char *
zalo_user(json_t *root, const char *who)
{
	json_t	*id = json_object_get(json_object_get(root, who), "id");

	if (!id_ok(id) || json_string_length(id) > 64)
		return (NULL);
	return (json_string_value(id));
}

/* One messaging item: an item, json_null() to pass over, NULL if bad. */
static json_t *
facebook_item(const json_t *m, char *err, size_t errlen)
{
	json_t		*msg, *pb, *item, *a, *psid;
	const char	*text;
	char		 id[SOCIAL_ID_MAX + 1];
	json_int_t	 t;

	psid = json_object_get(json_object_get(m, "sender"), "id");
	if (!json_is_object(m) || !id_ok(psid) || json_string_length(psid) > 64) {
		seterr(err, errlen, "a messaging item has no sender.id");
		return (NULL);
	}
	t = time_of(json_object_get(m, "timestamp"));
	msg = json_object_get(m, "message");
	pb = json_object_get(m, "postback");
	if (json_is_object(msg)) {
		if (json_is_true(json_object_get(msg, "is_echo")))
			return (json_null());	/* the page's own send */
		if (!id_ok(json_object_get(msg, "mid")) ||
		    (json_object_get(msg, "text") != NULL &&
		    !text_ok(json_object_get(msg, "text"), SOCIAL_TEXT_MAX))) {
			seterr(err, errlen, "a message has no mid or a bad text");
			return (NULL);
		}
		item = item_new("message", "message", json_string_value(psid),
		    json_string_value(json_object_get(msg, "mid")), t);
		text = json_string_value(json_object_get(msg, "text"));
		(void)json_object_set_new(item, "text",
		    json_string(text != NULL ? text : ""));
		if ((a = attachments(json_object_get(msg, "attachments"), item,
		    err, errlen)) == NULL) {
			json_decref(item);
			return (NULL);
		}
		(void)json_object_set_new(item, "attachments", a);
		return (item);
	}
	if (json_is_object(pb)) {
		/* A button tapped: its title is what the person "said". */
		if (!text_ok(json_object_get(pb, "title"), SOCIAL_TEXT_MAX)) {
			seterr(err, errlen, "a postback has no title");
			return (NULL);
		}
		if (id_ok(json_object_get(pb, "mid")))
			(void)snprintf(id, sizeof(id), "%s", json_string_value(
			    json_object_get(pb, "mid")));
		else
			(void)snprintf(id, sizeof(id), "postback:%s:%lld",
			    json_string_value(psid), (long long)t);
		item = item_new("message", "postback", json_string_value(psid),
		    id, t);
		(void)json_object_set(item, "text", json_object_get(pb, "title"));
		return (item);
	}
	return (json_null());		/* delivery, read, reaction, … */
}

/* A request body to free(), or NULL (a text that is not UTF-8). */
static char *
dump(json_t *j)
{
	char	*s;

	if (j == NULL)
		return (NULL);
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return (s);
}

static void
seterr(char *err, size_t errlen, const char *msg)
{
	if (errlen > 0)
		(void)snprintf(err, errlen, "%s", msg);
}
