/*
 * hotline-key: prints one key derived from the hotline's shared secret
 * (src/hotline_contract.c), in hex, for scripts that configure the other
 * engines: scripts/janus-up gives Janus "janus-token" as token_auth_secret.
 *   hotline-key PURPOSE < secret-file
 * The secret comes on stdin, never on the command line.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "hotline_contract.h"

int
main(int argc, char **argv)
{
	char			 buf[HOTLINE_SECRET_FILE_MAX + 1];
	char			 hex[HOTLINE_HEX_LEN + 1];
	unsigned char		 key[HOTLINE_KEY_LEN];
	enum hotline_purpose	 p;
	const char		*why;
	size_t			 n, off, len;

	if (argc != 2 || hotline_contract_key_purpose(argv[1], &p) == -1) {
		fprintf(stderr, "usage: hotline-key agent-token|call-event|"
		    "sip-nonce|janus-token|sessions-ended < secret-file\n");
		return (2);
	}
	n = fread(buf, 1, sizeof(buf), stdin);
	if (ferror(stdin) ||
	    hotline_contract_secret_parse(buf, n, &off, &len, &why) == -1) {
		fprintf(stderr, "hotline-key: secret refused: %s\n",
		    ferror(stdin) ? "cannot read stdin" : why);
		return (1);
	}
	hotline_contract_key_derive((unsigned char *)buf + off, len, p, key);
	OPENSSL_cleanse(buf, sizeof(buf));
	hotline_contract_hex(key, sizeof(key), hex);
	OPENSSL_cleanse(key, sizeof(key));
	printf("%s\n", hex);
	return (0);
}
