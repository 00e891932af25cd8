/*
 * hotline_contract.c: the Kore side of the contract with janus.plugin.hotline
 * (docs/hotline-api.md, "Contract"; plugins/hotline/contract.c is the
 * plugin's side, tests/unit/test_hotline_contract.c holds both to the same
 * known answers).
 *
 *   secret   the file's bytes (at most HOTLINE_SECRET_FILE_MAX) without
 *            leading and trailing space, tab, CR and LF: 32 to 256 visible
 *            ASCII bytes, used as they are (hex text is not decoded)
 *   key(P)   HMAC-SHA256(secret, "tongdai1022 " P), 32 bytes, one for each
 *            purpose P: agent-token, call-event, sip-nonce, janus-token,
 *            sessions-ended.  A key found out serves one purpose only.
 *
 * OpenSSL's HMAC, because Janus's signed tokens need HMAC-SHA1, which
 * libsodium does not have, and one library for every MAC here reads best.
 */

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdio.h>
#include <string.h>

#include "hotline_contract.h"

#define LABEL_PREFIX	"tongdai1022 "

static int	is_space(char);
static int	user_id_ok(const char *);
static int	hex_ok(const char *, size_t);

static const char *const labels[HOTLINE_KEY_COUNT] = {
	[HOTLINE_KEY_AGENT_TOKEN] =	"agent-token",
	[HOTLINE_KEY_CALL_EVENT] =	"call-event",
	[HOTLINE_KEY_SIP_NONCE] =	"sip-nonce",
	[HOTLINE_KEY_JANUS_TOKEN] =	"janus-token",
	[HOTLINE_KEY_SESSIONS_ENDED] =	"sessions-ended",
};

/*
 * The secret inside a file's bytes: *off and *len on success.  On refusal
 * returns -1 and says why (for the log; the secret is never in it).
 */
int
hotline_contract_secret_parse(const char *buf, size_t n, size_t *off,
    size_t *len, const char **why)
{
	size_t	a, b, i;

	if (n > HOTLINE_SECRET_FILE_MAX) {
		*why = "the file is larger than 1024 bytes";
		return (-1);
	}
	for (a = 0; a < n && is_space(buf[a]); a++)
		;
	for (b = n; b > a && is_space(buf[b - 1]); b--)
		;
	if (b - a < HOTLINE_SECRET_MIN || b - a > HOTLINE_SECRET_MAX) {
		*why = "the secret is not 32 to 256 bytes long";
		return (-1);
	}
	for (i = a; i < b; i++) {
		if ((unsigned char)buf[i] < 0x21 || (unsigned char)buf[i] > 0x7e) {
			*why = "the secret holds a byte that is not visible ASCII";
			return (-1);
		}
	}
	*off = a;
	*len = b - a;
	return (0);
}

const char *
hotline_contract_key_label(enum hotline_purpose p)
{
	return (p < HOTLINE_KEY_COUNT ? labels[p] : NULL);
}

/* A purpose by its label ("janus-token"), for scripts/hotline-key. */
int
hotline_contract_key_purpose(const char *label, enum hotline_purpose *p)
{
	int	i;

	for (i = 0; i < HOTLINE_KEY_COUNT; i++) {
		if (strcmp(labels[i], label) == 0) {
			*p = (enum hotline_purpose)i;
			return (0);
		}
	}
	return (-1);
}

void
hotline_contract_key_derive(const unsigned char *secret, size_t len,
    enum hotline_purpose p, unsigned char key[HOTLINE_KEY_LEN])
{
	char		msg[64];
	unsigned int	outlen = HOTLINE_KEY_LEN;
	int		n;

	n = snprintf(msg, sizeof(msg), LABEL_PREFIX "%s",
	    hotline_contract_key_label(p));
	(void)HMAC(EVP_sha256(), secret, (int)len, (const unsigned char *)msg,
	    (size_t)n, key, &outlen);
}

/* Lowercase hex of HMAC-SHA256(key, data): tokens, events, the file. */
void
hotline_contract_hmac_hex(const unsigned char key[HOTLINE_KEY_LEN],
    const void *data, size_t len, char out[HOTLINE_HEX_LEN + 1])
{
	unsigned char	mac[HOTLINE_KEY_LEN];
	unsigned int	outlen = sizeof(mac);

	(void)HMAC(EVP_sha256(), key, HOTLINE_KEY_LEN, data, len, mac, &outlen);
	hotline_contract_hex(mac, sizeof(mac), out);
}

void
hotline_contract_hex(const unsigned char *b, size_t n, char *out)
{
	static const char	digits[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

/*
 * token = [ "supervisor." ] user_id "." sid "." nonce "." expires "." mac
 * mac = hex HMAC-SHA256(key(agent-token), everything before the last ".").
 * sid names the Kore session (the plugin ends the login with it), nonce
 * makes the token single-use, expires = issue time + HOTLINE_TOKEN_TTL.
 * Returns the length written, or -1 on a bad argument or a short buffer.
 */
int
hotline_contract_agent_token(const unsigned char key[HOTLINE_KEY_LEN],
    int supervisor, const char *user_id, const char *sid, const char *nonce,
    long long expires, char *out, size_t outlen)
{
	char	mac[HOTLINE_HEX_LEN + 1];
	int	n, m;

	if (!user_id_ok(user_id) || strlen(sid) != HOTLINE_SID_LEN ||
	    !hex_ok(sid, HOTLINE_SID_LEN) || strlen(nonce) != HOTLINE_NONCE_LEN ||
	    !hex_ok(nonce, HOTLINE_NONCE_LEN) || expires <= 0)
		return (-1);
	n = snprintf(out, outlen, "%s%s.%s.%s.%lld",
	    supervisor ? "supervisor." : "", user_id, sid, nonce, expires);
	if (n < 0 || (size_t)n >= outlen)
		return (-1);
	hotline_contract_hmac_hex(key, out, (size_t)n, mac);
	m = snprintf(out + n, outlen - (size_t)n, ".%s", mac);
	if (m < 0 || (size_t)(n + m) >= outlen || n + m > HOTLINE_TOKEN_MAX)
		return (-1);
	return (n + m);
}

/*
 * Janus's own signed token (token_auth_secret in janus.jcfg), for
 * janus.plugin.hotline only:
 *   expires ",janus,janus.plugin.hotline:" base64(HMAC-SHA1(S, data))
 * where data is everything before the ":" and S, Janus's secret, is the
 * hex text of key(janus-token).
 */
int
hotline_contract_janus_token(const unsigned char key[HOTLINE_KEY_LEN],
    long long expires, char *out, size_t outlen)
{
	char		hexkey[HOTLINE_HEX_LEN + 1];
	unsigned char	mac[EVP_MAX_MD_SIZE];
	unsigned char	b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
	unsigned int	maclen = sizeof(mac);
	int		n, m;

	if (expires <= 0)
		return (-1);
	n = snprintf(out, outlen, "%lld,janus,janus.plugin.hotline", expires);
	if (n < 0 || (size_t)n >= outlen)
		return (-1);
	hotline_contract_hex(key, HOTLINE_KEY_LEN, hexkey);
	(void)HMAC(EVP_sha1(), hexkey, HOTLINE_HEX_LEN,
	    (const unsigned char *)out, (size_t)n, mac, &maclen);
	OPENSSL_cleanse(hexkey, sizeof(hexkey));
	(void)EVP_EncodeBlock(b64, mac, (int)maclen);
	m = snprintf(out + n, outlen - (size_t)n, ":%s", b64);
	if (m < 0 || (size_t)(n + m) >= outlen)
		return (-1);
	return (n + m);
}

/*
 * One line of the sessions-ended file (without its newline):
 *   "session " sid " " expires    a Kore session that has ended
 * Blank lines and "#" comments are 0; a session line 1 (sid and *expires
 * filled); anything else -1.  The file ends with "mac " + hex
 * HMAC-SHA256(key(sessions-ended), every byte before that line).
 */
int
hotline_contract_ended_line(const char *line, size_t len, char *sid,
    long long *expires)
{
	long long	v;
	size_t		i;

	if (len == 0 || line[0] == '#')
		return (0);
	if (len < 8 + HOTLINE_SID_LEN + 2 || memcmp(line, "session ", 8) != 0 ||
	    !hex_ok(line + 8, HOTLINE_SID_LEN) ||
	    line[8 + HOTLINE_SID_LEN] != ' ')
		return (-1);
	v = 0;
	for (i = 8 + HOTLINE_SID_LEN + 1; i < len; i++) {
		if (line[i] < '0' || line[i] > '9' || v > 9999999999LL)
			return (-1);
		v = v * 10 + (line[i] - '0');
	}
	memcpy(sid, line + 8, HOTLINE_SID_LEN);
	sid[HOTLINE_SID_LEN] = '\0';
	*expires = v;
	return (1);
}

static int
is_space(char c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\n');
}

/* 1 to 64 of A-Z a-z 0-9 - _ */
static int
user_id_ok(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i >= HOTLINE_USER_ID_MAX ||
		    !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return (0);
	}
	return (i > 0);
}

/* Exactly n lowercase hex digits. */
static int
hex_ok(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return (0);
	}
	return (1);
}
