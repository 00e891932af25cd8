/*
 * contract.c: the plugin's side of the contract with the Kore app
 * (docs/hotline-api.md, "Contract"; src/hotline_contract.c is Kore's side).
 *
 *   secret   the file's bytes (at most 1024) without leading and trailing
 *            space, tab, CR and LF: 32 to 256 visible ASCII bytes, used as
 *            they are (hex text is not decoded)
 *   key(P)   HMAC-SHA256(secret, "tongdai1022 " P), 32 bytes, for P in
 *            agent-token, call-event, sip-nonce, janus-token, sessions-ended
 *   token    [ "supervisor." ] user_id "." sid "." nonce "." expires "." mac,
 *            mac = hex HMAC-SHA256(key(agent-token), all before the last ".")
 *   ended    "session <sid> <expires>" lines, "#" comments, then the line
 *            "mac <hex HMAC-SHA256(key(sessions-ended), all bytes before)>"
 *
 * Pure glib: no Janus, no global state, so the unit test links it.
 */
#include <string.h>

#include "contract.h"

#define LABEL_PREFIX	"tongdai1022 "
/* Kore's and Janus's clocks may differ this much (seconds). */
#define CLOCK_SKEW	60

static const char *const labels[HL_KEY_COUNT] = {
	[HL_KEY_AGENT_TOKEN] =		"agent-token",
	[HL_KEY_CALL_EVENT] =		"call-event",
	[HL_KEY_SIP_NONCE] =		"sip-nonce",
	[HL_KEY_JANUS_TOKEN] =		"janus-token",
	[HL_KEY_SESSIONS_ENDED] =	"sessions-ended",
};

static int	 is_space(char);
static int	 hex_ok(const char *, gsize);
static int	 digits(const char *, gsize, gint64 *);
static int	 equal_hex(const char *, const char *, gsize);

int
hl_contract_secret_parse(const char *buf, gsize n, gsize *off, gsize *len,
    const char **why)
{
	gsize	a, b, i;

	if (n > HL_SECRET_FILE_MAX) {
		*why = "the file is larger than 1024 bytes";
		return (-1);
	}
	for (a = 0; a < n && is_space(buf[a]); a++)
		;
	for (b = n; b > a && is_space(buf[b - 1]); b--)
		;
	if (b - a < HL_SECRET_MIN || b - a > HL_SECRET_MAX) {
		*why = "the secret is not 32 to 256 bytes long";
		return (-1);
	}
	for (i = a; i < b; i++) {
		if ((guchar)buf[i] < 0x21 || (guchar)buf[i] > 0x7e) {
			*why = "the secret holds a byte that is not visible ASCII";
			return (-1);
		}
	}
	*off = a;
	*len = b - a;
	return (0);
}

void
hl_contract_key_derive(const guchar *secret, gsize len, hl_purpose p,
    guint8 key[HL_KEY_LEN])
{
	GHmac	*h;
	gsize	 klen = HL_KEY_LEN;
	char	*msg;

	msg = g_strconcat(LABEL_PREFIX, labels[p], NULL);
	h = g_hmac_new(G_CHECKSUM_SHA256, secret, len);
	g_hmac_update(h, (const guchar *)msg, (gssize)strlen(msg));
	g_hmac_get_digest(h, key, &klen);
	g_hmac_unref(h);
	g_free(msg);
}

/* Lowercase hex; g_free it. */
char *
hl_contract_hmac_hex(const guint8 key[HL_KEY_LEN], const void *data, gsize len)
{
	return (g_compute_hmac_for_data(G_CHECKSUM_SHA256, key, HL_KEY_LEN,
	    data, len));
}

/*
 * Checks shape, signature and lifetime; single use and ended sessions are
 * the caller's (token.c): they need state.  *why says what was wrong.
 */
int
hl_contract_token_parse(const char *token, const guint8 key[HL_KEY_LEN],
    gint64 now, hl_token *t, const char **why)
{
	const char	*f[6], *last = NULL, *p;
	gsize		 flen[6], tlen;
	char		*mac;
	int		 n, i, ok;

	memset(t, 0, sizeof(*t));
	tlen = strnlen(token, HL_TOKEN_MAX + 1);
	if (tlen > HL_TOKEN_MAX) {
		*why = "Token too long";
		return (-1);
	}
	/* Split on "."; none of the fields may hold one. */
	n = 0;
	for (p = token; n < 6; n++) {
		f[n] = p;
		last = strchr(p, '.');
		flen[n] = last != NULL ? (gsize)(last - p) : strlen(p);
		if (last == NULL) {
			n++;
			break;
		}
		p = last + 1;
	}
	if (last != NULL || n < 5 || (n == 6 && (flen[0] != 10 ||
	    memcmp(f[0], "supervisor", 10) != 0))) {
		*why = "Malformed token";
		return (-1);
	}
	i = n == 6;
	t->supervisor = i;
	if (flen[i] == 0 || flen[i] > HL_USER_ID_MAX) {
		*why = "Malformed token (user id)";
		return (-1);
	}
	for (p = f[i]; p < f[i] + flen[i]; p++) {
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_') {
			*why = "Malformed token (user id)";
			return (-1);
		}
	}
	if (flen[i + 1] != HL_SID_LEN || !hex_ok(f[i + 1], HL_SID_LEN) ||
	    flen[i + 2] != HL_NONCE_LEN || !hex_ok(f[i + 2], HL_NONCE_LEN)) {
		*why = "Malformed token (session or nonce)";
		return (-1);
	}
	if (!digits(f[i + 3], flen[i + 3], &t->expires)) {
		*why = "Malformed token (expiry)";
		return (-1);
	}
	if (flen[i + 4] != HL_HEX_LEN) {
		*why = "Malformed token (signature)";
		return (-1);
	}
	mac = hl_contract_hmac_hex(key, token, (gsize)(f[i + 4] - 1 - token));
	ok = equal_hex(mac, f[i + 4], HL_HEX_LEN);
	g_free(mac);
	if (!ok) {
		*why = "Bad token signature";
		return (-1);
	}
	if (t->expires <= now) {
		*why = "Token expired";
		return (-1);
	}
	if (t->expires > now + HL_TOKEN_TTL + CLOCK_SKEW) {
		*why = "Token lives longer than the contract allows";
		return (-1);
	}
	memcpy(t->user_id, f[i], flen[i]);
	memcpy(t->sid, f[i + 1], HL_SID_LEN);
	memcpy(t->nonce, f[i + 2], HL_NONCE_LEN);
	return (0);
}

/*
 * The sessions-ended file: adds "sid" -> gint64 * expires to out (a table
 * made with g_free for keys and values).  A file whose signature or any
 * line is wrong adds nothing.  Returns the number of sessions, or -1.
 */
int
hl_contract_ended_parse(const char *text, gsize len,
    const guint8 key[HL_KEY_LEN], GHashTable *out, const char **why)
{
	const char	*m, *line, *nl, *end;
	char		*mac, *sid;
	gint64		 exp, *v;
	GPtrArray	*sids;
	GArray		*exps;
	gsize		 body, i;
	int		 ok;

	if (len > HL_ENDED_FILE_MAX) {
		*why = "too large";
		return (-1);
	}
	/* The last line is "mac <64 hex>", with or without a newline. */
	end = text + len;
	if (end > text && end[-1] == '\n')
		end--;
	for (m = end; m > text && m[-1] != '\n'; m--)
		;
	if (end - m != 4 + HL_HEX_LEN || memcmp(m, "mac ", 4) != 0) {
		*why = "no signature line";
		return (-1);
	}
	body = (gsize)(m - text);
	mac = hl_contract_hmac_hex(key, text, body);
	ok = equal_hex(mac, m + 4, HL_HEX_LEN);
	g_free(mac);
	if (!ok) {
		*why = "bad signature";
		return (-1);
	}
	sids = g_ptr_array_new_with_free_func(g_free);
	exps = g_array_new(FALSE, FALSE, sizeof(gint64));
	for (line = text; line < m; line = nl + 1) {
		nl = memchr(line, '\n', (gsize)(m - line));
		if (nl == NULL)
			nl = m - 1;
		if (nl == line || line[0] == '#')
			continue;
		if (nl - line < 8 + HL_SID_LEN + 2 ||
		    memcmp(line, "session ", 8) != 0 ||
		    !hex_ok(line + 8, HL_SID_LEN) ||
		    line[8 + HL_SID_LEN] != ' ' ||
		    !digits(line + 9 + HL_SID_LEN,
		    (gsize)(nl - line - 9 - HL_SID_LEN), &exp)) {
			*why = "a line is not \"session <sid> <expires>\"";
			g_ptr_array_free(sids, TRUE);
			g_array_free(exps, TRUE);
			return (-1);
		}
		g_ptr_array_add(sids, g_strndup(line + 8, HL_SID_LEN));
		g_array_append_val(exps, exp);
	}
	for (i = 0; i < sids->len; i++) {
		sid = g_strdup(g_ptr_array_index(sids, i));
		v = g_new(gint64, 1);
		*v = g_array_index(exps, gint64, i);
		g_hash_table_replace(out, sid, v);
	}
	g_ptr_array_free(sids, TRUE);
	g_array_free(exps, TRUE);
	return ((int)i);
}

static int
is_space(char c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\n');
}

static int
hex_ok(const char *s, gsize n)
{
	gsize	i;

	for (i = 0; i < n; i++)
		if (!g_ascii_isdigit(s[i]) && (s[i] < 'a' || s[i] > 'f'))
			return (0);
	return (1);
}

/* 1 to 11 decimal digits, exactly n of them. */
static int
digits(const char *s, gsize n, gint64 *v)
{
	gsize	i;

	if (n == 0 || n > 11)
		return (0);
	*v = 0;
	for (i = 0; i < n; i++) {
		if (!g_ascii_isdigit(s[i]))
			return (0);
		*v = *v * 10 + (s[i] - '0');
	}
	return (1);
}

/* Constant time; hex from glib is lowercase, uppercase is accepted. */
static int
equal_hex(const char *a, const char *b, gsize n)
{
	guchar	diff = 0;
	gsize	i;

	for (i = 0; i < n; i++)
		diff |= (guchar)(g_ascii_tolower(a[i]) ^ g_ascii_tolower(b[i]));
	return (diff == 0);
}
