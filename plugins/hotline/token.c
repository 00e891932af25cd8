/*
 * token.c: the shared secret and the agent tokens the Kore app signs.
 *
 * token = "<user_id>.<expires_unix>.<hex HMAC-SHA256(secret, user_id.expires)>"
 * The HMAC key is the secret file's content with surrounding whitespace
 * removed, taken as bytes (the 64 hex characters, not decoded).
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "hotline.h"

#define HL_SECRET_MAX		1024
#define HL_USER_ID_MAX		64
#define HL_TOKEN_MAX		256
#define HL_SHA256_HEX		64

static int	 constant_time_equal(const char *, const char *, size_t);

int
hl_secret_load(const char *path)
{
	gchar	*buf = NULL;
	gsize	 len = 0;
	GError	*err = NULL;

	if (!g_file_get_contents(path, &buf, &len, &err)) {
		JANUS_LOG(LOG_WARN, "hotline: secret %s: %s\n", path,
		    err->message);
		g_error_free(err);
		return (-1);
	}
	g_strstrip(buf);
	len = strlen(buf);
	if (len < 32 || len > HL_SECRET_MAX) {
		JANUS_LOG(LOG_WARN, "hotline: secret %s: %zu bytes, want "
		    "32 to %d\n", path, len, HL_SECRET_MAX);
		g_free(buf);
		return (-1);
	}
	hl.secret = (guchar *)buf;
	hl.secret_len = len;
	return (0);
}

char *
hl_hmac_hex(const char *data, size_t len)
{
	if (hl.secret == NULL)
		return (NULL);
	return (g_compute_hmac_for_data(G_CHECKSUM_SHA256, hl.secret,
	    hl.secret_len, (const guchar *)data, len));
}

/*
 * On success stores a copy of the user id in *user_id.  The reason for a
 * refusal goes to *why; the log gets it once, without the token.
 */
int
hl_token_verify(const char *token, gint64 now, char **user_id,
    const char **why)
{
	const char	*dot1, *dot2, *p;
	char		*mac;
	size_t		 tlen, ulen;
	gint64		 expires;
	int		 ok;

	*user_id = NULL;
	if (hl.secret == NULL) {
		*why = "Hotline has no secret configured";
		return (-1);
	}
	tlen = strnlen(token, HL_TOKEN_MAX + 1);
	if (tlen > HL_TOKEN_MAX) {
		*why = "Token too long";
		return (-1);
	}
	dot1 = strchr(token, '.');
	dot2 = dot1 != NULL ? strchr(dot1 + 1, '.') : NULL;
	if (dot1 == NULL || dot2 == NULL || strchr(dot2 + 1, '.') != NULL) {
		*why = "Malformed token";
		return (-1);
	}
	ulen = (size_t)(dot1 - token);
	if (ulen == 0 || ulen > HL_USER_ID_MAX) {
		*why = "Malformed token (user id)";
		return (-1);
	}
	for (p = token; p < dot1; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_') {
			*why = "Malformed token (user id)";
			return (-1);
		}
	}
	if (dot2 == dot1 + 1 || dot2 - dot1 > 12) {
		*why = "Malformed token (expiry)";
		return (-1);
	}
	expires = 0;
	for (p = dot1 + 1; p < dot2; p++) {
		if (!isdigit((unsigned char)*p)) {
			*why = "Malformed token (expiry)";
			return (-1);
		}
		expires = expires * 10 + (*p - '0');
	}
	if (strlen(dot2 + 1) != HL_SHA256_HEX) {
		*why = "Malformed token (signature)";
		return (-1);
	}
	mac = hl_hmac_hex(token, (size_t)(dot2 - token));
	ok = mac != NULL && constant_time_equal(mac, dot2 + 1,
	    HL_SHA256_HEX);
	g_free(mac);
	if (!ok) {
		*why = "Bad token signature";
		JANUS_LOG(LOG_WARN, "hotline: login refused: bad signature\n");
		return (-1);
	}
	if (expires <= now) {
		*why = "Token expired";
		JANUS_LOG(LOG_WARN, "hotline: login refused: token expired\n");
		return (-1);
	}
	*user_id = g_strndup(token, ulen);
	return (0);
}

static int
constant_time_equal(const char *a, const char *b, size_t n)
{
	unsigned char	 diff = 0;
	size_t		 i;

	/* Hex from g_compute_hmac is lowercase; accept uppercase too. */
	for (i = 0; i < n; i++)
		diff |= (unsigned char)(tolower((unsigned char)a[i]) ^
		    tolower((unsigned char)b[i]));
	return (diff == 0);
}
