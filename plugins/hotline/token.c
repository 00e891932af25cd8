/*
 * token.c: the shared secret, the keys derived from it, and the login
 * tokens the Kore app signs.  The format and the derivation are the
 * contract's (contract.c, docs/hotline-api.md); here is what needs state:
 *   - a token is used once: its nonce is remembered until it expires;
 *   - a token issued before this plugin started is refused, so one used
 *     before a Janus restart cannot be used again after it;
 *   - a token of a Kore session that has ended is refused (sessions.c).
 */
#include <string.h>

#include "hotline.h"

#define NONCE_PURGE_US	(60 * G_USEC_PER_SEC)

static struct {
	GHashTable	*nonces;	/* nonce -> gint64 * expires (hl.lock) */
	gint64		 purged_at;	/* monotonic */
	gint64		 started;	/* unix seconds */
} tok;

static void	 nonces_purge(gint64);

int
hl_secret_load(const char *path)
{
	gchar		*buf = NULL;
	gsize		 len = 0, off, n;
	GError		*err = NULL;
	const char	*why;
	int		 i;

	tok.started = janus_get_real_time() / G_USEC_PER_SEC;
	if (tok.nonces == NULL)
		tok.nonces = g_hash_table_new_full(g_str_hash, g_str_equal,
		    g_free, g_free);
	if (!g_file_get_contents(path, &buf, &len, &err)) {
		JANUS_LOG(LOG_WARN, "hotline: secret %s: %s\n", path,
		    err->message);
		g_error_free(err);
		return (-1);
	}
	if (hl_contract_secret_parse(buf, len, &off, &n, &why) < 0) {
		JANUS_LOG(LOG_WARN, "hotline: secret %s refused: %s\n", path,
		    why);
		memset(buf, 0, len);
		g_free(buf);
		return (-1);
	}
	for (i = 0; i < HL_KEY_COUNT; i++)
		hl_contract_key_derive((const guchar *)buf + off, n,
		    (hl_purpose)i, hl.keys[i]);
	hl.have_keys = 1;
	memset(buf, 0, len);
	g_free(buf);
	return (0);
}

void
hl_secret_free(void)
{
	memset(hl.keys, 0, sizeof(hl.keys));
	hl.have_keys = 0;
	if (tok.nonces != NULL)
		g_hash_table_destroy(tok.nonces);
	tok.nonces = NULL;
}

/* Hex HMAC-SHA256 with the key of one purpose; NULL without a secret. */
char *
hl_hmac_hex(hl_purpose p, const char *data, size_t len)
{
	if (!hl.have_keys)
		return (NULL);
	return (hl_contract_hmac_hex(hl.keys[p], data, len));
}

/*
 * Called with hl.lock held.  On success stores copies of the user id and
 * of the Kore session's id, and the role.  The reason for a refusal goes
 * to *why; the log gets it once, without the token.
 */
int
hl_token_verify(const char *token, gint64 now, char **user_id, char **sid,
    hl_role *role, const char **why)
{
	hl_token	 t;
	gint64		*exp;

	*user_id = *sid = NULL;
	*role = HL_ROLE_AGENT;
	if (!hl.have_keys) {
		*why = "Hotline has no secret configured";
		return (-1);
	}
	if (hl_contract_token_parse(token, hl.keys[HL_KEY_AGENT_TOKEN], now,
	    &t, why) < 0) {
		JANUS_LOG(LOG_WARN, "hotline: login refused: %s\n", *why);
		return (-1);
	}
	nonces_purge(now);
	if (g_hash_table_contains(tok.nonces, t.nonce)) {
		*why = "Token already used";
	} else if (t.expires - HL_TOKEN_TTL < tok.started) {
		*why = "Token issued before the hotline started";
	} else if (hl_sessions_ended(t.sid)) {
		*why = "Session ended (logged out or account locked)";
	} else
		*why = NULL;
	if (*why != NULL) {
		JANUS_LOG(LOG_WARN, "hotline: login of %s refused: %s\n",
		    t.user_id, *why);
		return (-1);
	}
	exp = g_new(gint64, 1);
	*exp = t.expires;
	g_hash_table_insert(tok.nonces, g_strdup(t.nonce), exp);
	*user_id = g_strdup(t.user_id);
	*sid = g_strdup(t.sid);
	*role = t.supervisor ? HL_ROLE_SUPERVISOR : HL_ROLE_AGENT;
	return (0);
}

/* A nonce is kept until its token could no longer be used anyway. */
static void
nonces_purge(gint64 now)
{
	GHashTableIter	 it;
	gpointer	 v;
	gint64		 mono = g_get_monotonic_time();

	if (mono - tok.purged_at < NONCE_PURGE_US)
		return;
	tok.purged_at = mono;
	g_hash_table_iter_init(&it, tok.nonces);
	while (g_hash_table_iter_next(&it, NULL, &v))
		if (*(gint64 *)v <= now)
			g_hash_table_iter_remove(&it);
}
