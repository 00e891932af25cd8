/*
 * token.c: the shared secret and the agent tokens the Kore app signs.
 *
 * token = "[supervisor.]<user_id>.<expires_unix>.<hex HMAC-SHA256(secret,
 *          everything before the last dot)>"
 * An operator's token has no role part; a supervisor's starts with
 * "supervisor." and may watch (status) and listen, never take calls.
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
 * On success stores a copy of the user id in *user_id and the role in
 * *role.  The reason for a refusal goes to *why; the log gets it once,
 * without the token.
 */
int
hl_token_verify(const char *token, gint64 now, char **user_id,
    hl_role *role, const char **why)
{
	const char	*last, *user, *dot, *p;
	char		*mac;
	size_t		 tlen, ulen;
	gint64		 expires;
	int		 ok;

	*user_id = NULL;
	*role = HL_ROLE_AGENT;
	if (hl.secret == NULL) {
		*why = "Hotline has no secret configured";
		return (-1);
	}
	tlen = strnlen(token, HL_TOKEN_MAX + 1);
	if (tlen > HL_TOKEN_MAX) {
		*why = "Token too long";
		return (-1);
	}
	/* [role.]user_id.expires.mac: the MAC covers all before it. */
	last = strrchr(token, '.');
	if (last == NULL || strlen(last + 1) != HL_SHA256_HEX) {
		*why = last == NULL ? "Malformed token" :
		    "Malformed token (signature)";
		return (-1);
	}
	user = token;
	if (strncmp(token, HL_ROLE_SUPERVISOR_PREFIX,
	    strlen(HL_ROLE_SUPERVISOR_PREFIX)) == 0) {
		*role = HL_ROLE_SUPERVISOR;
		user = token + strlen(HL_ROLE_SUPERVISOR_PREFIX);
	}
	/* "supervisor.<mac>": the last dot is the prefix's own, before
	 * user, and there is nothing between them to search. */
	dot = last > user ? memchr(user, '.', (size_t)(last - user)) : NULL;
	if (dot == NULL || memchr(dot + 1, '.', (size_t)(last - dot - 1)) !=
	    NULL) {
		*why = "Malformed token";
		return (-1);
	}
	ulen = (size_t)(dot - user);
	if (ulen == 0 || ulen > HL_USER_ID_MAX) {
		*why = "Malformed token (user id)";
		return (-1);
	}
	for (p = user; p < dot; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_') {
			*why = "Malformed token (user id)";
			return (-1);
		}
	}
	if (last == dot + 1 || last - dot > 12) {
		*why = "Malformed token (expiry)";
		return (-1);
	}
	expires = 0;
	for (p = dot + 1; p < last; p++) {
		if (!isdigit((unsigned char)*p)) {
			*why = "Malformed token (expiry)";
			return (-1);
		}
		expires = expires * 10 + (*p - '0');
	}
	mac = hl_hmac_hex(token, (size_t)(last - token));
	ok = mac != NULL && constant_time_equal(mac, last + 1,
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
	*user_id = g_strndup(user, ulen);
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
