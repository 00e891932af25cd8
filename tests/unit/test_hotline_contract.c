/*
 * test_hotline_contract.c: the Kore app (src/hotline_contract.c) and
 * janus.plugin.hotline (plugins/hotline/contract.c) read the secret file
 * by one rule and derive the same key for each purpose; the answers below
 * were computed apart from both (Python's hmac module), so a change on
 * either side that breaks the contract fails here, not in production.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hotline_contract.h"
#include "contract.h"

#define SECRET	"0123456789abcdef0123456789abcdef" \
		"0123456789abcdef0123456789abcdef"
#define EXPIRES	1795450000LL
#define NOW	(EXPIRES - 100)

static const struct {
	enum hotline_purpose	 kore;
	hl_purpose		 plugin;
	const char		*label;
	const char		*hex;
} known[] = {
	{ HOTLINE_KEY_AGENT_TOKEN, HL_KEY_AGENT_TOKEN, "agent-token",
	  "fcdc0118f9a267c6cfe04a5664c77f19beb869caefe5d88d3cfe1f260a7d6071" },
	{ HOTLINE_KEY_CALL_EVENT, HL_KEY_CALL_EVENT, "call-event",
	  "d82c4552c9923969d4711f6fda5e544d4a7f79e8354730f5486ebb358d043a1e" },
	{ HOTLINE_KEY_SIP_NONCE, HL_KEY_SIP_NONCE, "sip-nonce",
	  "2271217e3ad2e8f809402015e6a07b7553540ab364fd44a1639b9c48884a9a80" },
	{ HOTLINE_KEY_JANUS_TOKEN, HL_KEY_JANUS_TOKEN, "janus-token",
	  "3da0f2853a61ec2309e77a493976ab043228fc3484457a8b4911ce1d79ee9e87" },
	{ HOTLINE_KEY_SESSIONS_ENDED, HL_KEY_SESSIONS_ENDED, "sessions-ended",
	  "308847ce733bdc791593f81d120da79176ffa721fbabf8e4d736293eae606fb6" },
};

static void	kore_key(enum hotline_purpose, unsigned char *);
static void	plugin_key(hl_purpose, guint8 *);

static void
kore_key(enum hotline_purpose p, unsigned char *key)
{
	hotline_contract_key_derive((const unsigned char *)SECRET,
	    strlen(SECRET), p, key);
}

static void
plugin_key(hl_purpose p, guint8 *key)
{
	hl_contract_key_derive((const guchar *)SECRET, strlen(SECRET), p, key);
}

/* Both sides, every purpose: the known key; and no two purposes share one. */
static void
test_keys_known_answers(void **state)
{
	unsigned char	k[HOTLINE_KEY_LEN];
	guint8		pk[HL_KEY_LEN];
	char		hex[HOTLINE_HEX_LEN + 1];
	size_t		i, j;

	(void)state;
	assert_int_equal(sizeof(known) / sizeof(known[0]), HOTLINE_KEY_COUNT);
	assert_int_equal(HOTLINE_KEY_COUNT, HL_KEY_COUNT);
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		kore_key(known[i].kore, k);
		hotline_contract_hex(k, sizeof(k), hex);
		assert_string_equal(hex, known[i].hex);
		assert_string_equal(hotline_contract_key_label(known[i].kore),
		    known[i].label);
		plugin_key(known[i].plugin, pk);
		assert_memory_equal(pk, k, HL_KEY_LEN);
		for (j = 0; j < i; j++)
			assert_string_not_equal(known[j].hex, known[i].hex);
	}
}

/* One rule for the file: trimmed of whitespace, 32-256 visible bytes. */
static void
test_secret_rule(void **state)
{
	static const struct {
		const char	*text;
		int		 ok;
		size_t		 off, len;
	} cases[] = {
		{ SECRET, 1, 0, 64 },
		{ SECRET "\n", 1, 0, 64 },
		{ " \t\r\n" SECRET "\r\n\n", 1, 4, 64 },
		{ "0123456789abcdef0123456789abcde", 0, 0, 0 },	/* 31 */
		{ "0123456789abcdef0123456789abcdef", 1, 0, 32 },
		{ "0123456789abcdef 0123456789abcdef", 0, 0, 0 },	/* inner space */
		{ "0123456789abcdef\x01" "0123456789abcdef", 0, 0, 0 },
		{ "0123456789abcdef\xc3\xa9" "0123456789abcdef", 0, 0, 0 },
		{ "\n\n\n", 0, 0, 0 },
	};
	char		 big[HOTLINE_SECRET_FILE_MAX + 2];
	const char	*why;
	size_t		 i, off, len, poff, plen;
	int		 k, p;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = NULL;
		k = hotline_contract_secret_parse(cases[i].text, strlen(cases[i].text),
		    &off, &len, &why);
		p = hl_contract_secret_parse(cases[i].text,
		    strlen(cases[i].text), &poff, &plen, &why);
		assert_int_equal(k, cases[i].ok ? 0 : -1);
		assert_int_equal(p, k);
		if (cases[i].ok) {
			assert_int_equal(off, cases[i].off);
			assert_int_equal(len, cases[i].len);
			assert_int_equal(poff, off);
			assert_int_equal(plen, len);
		} else
			assert_non_null(why);
	}
	/* 257 bytes: too long; a file over 1024 bytes: refused whole. */
	memset(big, 'a', 257);
	assert_int_equal(hotline_contract_secret_parse(big, 257, &off, &len, &why), -1);
	assert_int_equal(hl_contract_secret_parse(big, 257, &off, &len, &why),
	    -1);
	memset(big, ' ', sizeof(big));
	memcpy(big, SECRET, 64);
	assert_int_equal(hotline_contract_secret_parse(big, HOTLINE_SECRET_FILE_MAX,
	    &off, &len, &why), 0);
	assert_int_equal(hotline_contract_secret_parse(big, HOTLINE_SECRET_FILE_MAX + 1,
	    &off, &len, &why), -1);
	assert_int_equal(hl_contract_secret_parse(big,
	    HOTLINE_SECRET_FILE_MAX + 1, &off, &len, &why), -1);
}

/* Kore mints the known token; the plugin takes it apart. */
static void
test_agent_token(void **state)
{
	unsigned char	k[HOTLINE_KEY_LEN];
	guint8		pk[HL_KEY_LEN];
	char		tok[HOTLINE_TOKEN_MAX + 1];
	hl_token	t;
	const char	*why;

	(void)state;
	kore_key(HOTLINE_KEY_AGENT_TOKEN, k);
	plugin_key(HL_KEY_AGENT_TOKEN, pk);
	assert_true(hotline_contract_agent_token(k, 1, "7", "0011223344556677",
	    "00112233445566778899aabbccddeeff", EXPIRES, tok, sizeof(tok)) > 0);
	assert_string_equal(tok, "supervisor.7.0011223344556677."
	    "00112233445566778899aabbccddeeff.1795450000."
	    "ff88ba26214c98411a0ac981505f3984c899e83b9a3bf3552c73e4e45e051ba7");
	assert_int_equal(hl_contract_token_parse(tok, pk, NOW, &t, &why), 0);
	assert_true(t.supervisor);
	assert_string_equal(t.user_id, "7");
	assert_string_equal(t.sid, "0011223344556677");
	assert_string_equal(t.nonce, "00112233445566778899aabbccddeeff");
	assert_int_equal(t.expires, EXPIRES);

	assert_true(hotline_contract_agent_token(k, 0, "42", "0011223344556677",
	    "ffeeddccbbaa99887766554433221100", EXPIRES, tok, sizeof(tok)) > 0);
	assert_string_equal(tok, "42.0011223344556677."
	    "ffeeddccbbaa99887766554433221100.1795450000."
	    "0e7de64d7d245c7af59b38d687550a2deeaa6ae5460d4baa50471543039cd99e");
	assert_int_equal(hl_contract_token_parse(tok, pk, NOW, &t, &why), 0);
	assert_false(t.supervisor);
	assert_string_equal(t.user_id, "42");

	/* Expired; living longer than the contract allows; another key. */
	assert_int_equal(hl_contract_token_parse(tok, pk, EXPIRES, &t, &why),
	    -1);
	assert_string_equal(why, "Token expired");
	assert_int_equal(hl_contract_token_parse(tok, pk, EXPIRES - 1000, &t,
	    &why), -1);
	plugin_key(HL_KEY_CALL_EVENT, pk);
	assert_int_equal(hl_contract_token_parse(tok, pk, NOW, &t, &why), -1);
	assert_string_equal(why, "Bad token signature");

	/* Kore refuses to mint what the plugin would not parse. */
	assert_int_equal(hotline_contract_agent_token(k, 0, "4.2", "0011223344556677",
	    "ffeeddccbbaa99887766554433221100", EXPIRES, tok, sizeof(tok)), -1);
	assert_int_equal(hotline_contract_agent_token(k, 0, "42", "001122334455667",
	    "ffeeddccbbaa99887766554433221100", EXPIRES, tok, sizeof(tok)), -1);
	assert_int_equal(hotline_contract_agent_token(k, 0, "42", "0011223344556677",
	    "FFEEDDCCBBAA99887766554433221100", EXPIRES, tok, sizeof(tok)), -1);
}

/* Tampering anywhere in a token is caught, with a clear reason. */
static void
test_agent_token_tampered(void **state)
{
	static const char	good[] = "42.0011223344556677."
	    "ffeeddccbbaa99887766554433221100.1795450000."
	    "0e7de64d7d245c7af59b38d687550a2deeaa6ae5460d4baa50471543039cd99e";
	static const char *const bad[] = {
		"supervisor.42.0011223344556677."
		"ffeeddccbbaa99887766554433221100.1795450000."
		"0e7de64d7d245c7af59b38d687550a2deeaa6ae5460d4baa50471543039cd99e",
		"43.0011223344556677."
		"ffeeddccbbaa99887766554433221100.1795450000."
		"0e7de64d7d245c7af59b38d687550a2deeaa6ae5460d4baa50471543039cd99e",
		"42.0011223344556677."
		"ffeeddccbbaa99887766554433221100.1795450001."
		"0e7de64d7d245c7af59b38d687550a2deeaa6ae5460d4baa50471543039cd99e",
		"42.0011223344556677.1795450000."
		"0e7de64d7d245c7af59b38d687550a2deeaa6ae5460d4baa50471543039cd99e",
		"admin.42.0011223344556677."
		"ffeeddccbbaa99887766554433221100.1795450000."
		"0e7de64d7d245c7af59b38d687550a2deeaa6ae5460d4baa50471543039cd99e",
		"42.0011223344556677.ffeeddccbbaa99887766554433221100.1795450000",
		"",
	};
	guint8		 pk[HL_KEY_LEN];
	hl_token	 t;
	const char	*why;
	size_t		 i;

	(void)state;
	plugin_key(HL_KEY_AGENT_TOKEN, pk);
	assert_int_equal(hl_contract_token_parse(good, pk, NOW, &t, &why), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		assert_int_equal(hl_contract_token_parse(bad[i], pk, NOW, &t,
		    &why), -1);
		assert_non_null(why);
		assert_string_equal(t.user_id, "");
	}
}

/* Janus's signed token: what janus.c's own check recomputes. */
static void
test_janus_token(void **state)
{
	unsigned char	k[HOTLINE_KEY_LEN];
	char		tok[HOTLINE_JANUS_TOKEN_MAX];

	(void)state;
	kore_key(HOTLINE_KEY_JANUS_TOKEN, k);
	assert_true(hotline_contract_janus_token(k, EXPIRES, tok, sizeof(tok)) > 0);
	assert_string_equal(tok, "1795450000,janus,janus.plugin.hotline:"
	    "0k1Vx9RO2kBrxv2uu2MmsItcmbY=");
}

/* The ended-sessions file: Kore's line rule and MAC, the plugin's reader. */
static void
test_ended_file(void **state)
{
	static const char	body[] =
	    "# c\nsession 0011223344556677 1795450000\n";
	unsigned char	 k[HOTLINE_KEY_LEN];
	guint8		 pk[HL_KEY_LEN];
	char		 mac[HOTLINE_HEX_LEN + 1], file[256], sid[17];
	GHashTable	*t;
	const char	*why;
	long long	 exp;
	gint64		*v;

	(void)state;
	kore_key(HOTLINE_KEY_SESSIONS_ENDED, k);
	hotline_contract_hmac_hex(k, body, strlen(body), mac);
	assert_string_equal(mac,
	    "d85ddcfd97d847119351eaedc13001f8658fd4fe58d8af29c01637da52304e2a");
	assert_int_equal(hotline_contract_ended_line("session 0011223344556677 1795450000",
	    35, sid, &exp), 1);
	assert_string_equal(sid, "0011223344556677");
	assert_int_equal(exp, EXPIRES);
	assert_int_equal(hotline_contract_ended_line("# c", 3, sid, &exp), 0);
	assert_int_equal(hotline_contract_ended_line("session 00112233 1", 18, sid,
	    &exp), -1);

	plugin_key(HL_KEY_SESSIONS_ENDED, pk);
	t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	(void)snprintf(file, sizeof(file), "%smac %s\n", body, mac);
	assert_int_equal(hl_contract_ended_parse(file, strlen(file), pk, t,
	    &why), 1);
	v = g_hash_table_lookup(t, "0011223344556677");
	assert_non_null(v);
	assert_int_equal(*v, EXPIRES);

	/* One byte changed, or signed with another key: nothing is taken. */
	g_hash_table_remove_all(t);
	file[20] = '1';
	assert_int_equal(hl_contract_ended_parse(file, strlen(file), pk, t,
	    &why), -1);
	assert_int_equal(g_hash_table_size(t), 0);
	(void)snprintf(file, sizeof(file), "%smac %s\n", body, mac);
	plugin_key(HL_KEY_AGENT_TOKEN, pk);
	assert_int_equal(hl_contract_ended_parse(file, strlen(file), pk, t,
	    &why), -1);
	assert_int_equal(g_hash_table_size(t), 0);
	g_hash_table_destroy(t);
}

/* A call event's signature uses the call-event key, not the secret. */
static void
test_call_event_signature(void **state)
{
	static const char	ev[] = "{\"event_id\":\"x\"}";
	unsigned char	 k[HOTLINE_KEY_LEN];
	guint8		 pk[HL_KEY_LEN];
	char		 mac[HOTLINE_HEX_LEN + 1], *pmac;

	(void)state;
	kore_key(HOTLINE_KEY_CALL_EVENT, k);
	hotline_contract_hmac_hex(k, ev, strlen(ev), mac);
	assert_string_equal(mac,
	    "d395f127751207beb4cdc86f46689fa5a6cb47c943fb2ea1a55fcd1d69db939c");
	plugin_key(HL_KEY_CALL_EVENT, pk);
	pmac = hl_contract_hmac_hex(pk, ev, strlen(ev));
	assert_string_equal(pmac, mac);
	g_free(pmac);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_known_answers),
		cmocka_unit_test(test_secret_rule),
		cmocka_unit_test(test_agent_token),
		cmocka_unit_test(test_agent_token_tampered),
		cmocka_unit_test(test_janus_token),
		cmocka_unit_test(test_ended_file),
		cmocka_unit_test(test_call_event_signature),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
