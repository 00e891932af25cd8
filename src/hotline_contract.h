/*
 * hotline_contract.h: what the Kore app and janus.plugin.hotline agree on
 * (docs/hotline-api.md, "Contract"): how the shared secret file is read,
 * one key per purpose derived from it, the agent token, the Janus token
 * and the file of ended sessions.  plugins/hotline/contract.c is the other
 * side; tests/unit/test_hotline_contract.c checks both against the same
 * known answers.
 */

#ifndef HOTLINE_CONTRACT_H
#define HOTLINE_CONTRACT_H

#include <stddef.h>

#define HOTLINE_SECRET_MIN	32	/* bytes, after trimming */
#define HOTLINE_SECRET_MAX	256
#define HOTLINE_SECRET_FILE_MAX	1024	/* a larger file is refused */
#define HOTLINE_KEY_LEN		32	/* HMAC-SHA256 output */
#define HOTLINE_HEX_LEN		64	/* a key or a MAC in hex */
#define HOTLINE_TOKEN_TTL	300	/* an agent token lives exactly this */
#define HOTLINE_TOKEN_MAX	256
#define HOTLINE_USER_ID_MAX	64
#define HOTLINE_SID_LEN		16	/* hex: the Kore session's id */
#define HOTLINE_NONCE_LEN	32	/* hex: 16 random bytes */
#define HOTLINE_JANUS_TOKEN_MAX	128
#define HOTLINE_ENDED_FILE	"hotline-sessions-ended.txt"
#define HOTLINE_ENDED_FILE_MAX	(512 * 1024)

/* The purposes; each has its own key (hotline_contract_key_derive). */
enum hotline_purpose {
	HOTLINE_KEY_AGENT_TOKEN = 0,
	HOTLINE_KEY_CALL_EVENT,
	HOTLINE_KEY_SIP_NONCE,
	HOTLINE_KEY_JANUS_TOKEN,
	HOTLINE_KEY_SESSIONS_ENDED,
	HOTLINE_KEY_COUNT
};

int		 hotline_contract_secret_parse(const char *, size_t, size_t *,
		    size_t *, const char **);
const char	*hotline_contract_key_label(enum hotline_purpose);
int		 hotline_contract_key_purpose(const char *,
		    enum hotline_purpose *);
void		 hotline_contract_key_derive(const unsigned char *, size_t,
		    enum hotline_purpose, unsigned char[HOTLINE_KEY_LEN]);
void		 hotline_contract_hmac_hex(const unsigned char[HOTLINE_KEY_LEN],
		    const void *, size_t, char[HOTLINE_HEX_LEN + 1]);
void		 hotline_contract_hex(const unsigned char *, size_t, char *);
int		 hotline_contract_agent_token(
		    const unsigned char[HOTLINE_KEY_LEN], int, const char *,
		    const char *, const char *, long long, char *, size_t);
int		 hotline_contract_janus_token(
		    const unsigned char[HOTLINE_KEY_LEN], long long, char *,
		    size_t);
int		 hotline_contract_ended_line(const char *, size_t, char *,
		    long long *);

#endif /* !HOTLINE_CONTRACT_H */
