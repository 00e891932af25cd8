/*
 * contract.h: what janus.plugin.hotline and the Kore app agree on
 * (docs/hotline-api.md, "Contract"): the secret file, one key per purpose,
 * the agent token and the file of ended Kore sessions.  Only glib here, no
 * Janus: tests/unit/test_hotline_contract.c builds it beside the Kore side
 * (src/hotline_contract.c) and holds both to the same known answers.
 */
#ifndef HOTLINE_CONTRACT_PLUGIN_H
#define HOTLINE_CONTRACT_PLUGIN_H

#include <glib.h>

#define HL_SECRET_MIN		32
#define HL_SECRET_MAX		256
#define HL_SECRET_FILE_MAX	1024
#define HL_KEY_LEN		32
#define HL_HEX_LEN		64
#define HL_TOKEN_TTL		300	/* seconds: expires = issued + this */
#define HL_TOKEN_MAX		256
#define HL_USER_ID_MAX		64
#define HL_SID_LEN		16
#define HL_NONCE_LEN		32
#define HL_ENDED_FILE		"hotline-sessions-ended.txt"
#define HL_ENDED_FILE_MAX	(512 * 1024)

typedef enum hl_purpose {
	HL_KEY_AGENT_TOKEN = 0,
	HL_KEY_CALL_EVENT,
	HL_KEY_SIP_NONCE,
	HL_KEY_JANUS_TOKEN,
	HL_KEY_SESSIONS_ENDED,
	HL_KEY_COUNT
} hl_purpose;

/* An agent token, taken apart once its signature is checked. */
typedef struct hl_token {
	int		supervisor;
	char		user_id[HL_USER_ID_MAX + 1];
	char		sid[HL_SID_LEN + 1];
	char		nonce[HL_NONCE_LEN + 1];
	gint64		expires;
} hl_token;

int		 hl_contract_secret_parse(const char *, gsize, gsize *, gsize *,
		    const char **);
void		 hl_contract_key_derive(const guchar *, gsize, hl_purpose,
		    guint8 [HL_KEY_LEN]);
char		*hl_contract_hmac_hex(const guint8 [HL_KEY_LEN], const void *,
		    gsize);
int		 hl_contract_token_parse(const char *, const guint8 [HL_KEY_LEN],
		    gint64, hl_token *, const char **);
int		 hl_contract_ended_parse(const char *, gsize,
		    const guint8 [HL_KEY_LEN], GHashTable *, const char **);

#endif /* HOTLINE_CONTRACT_PLUGIN_H */
