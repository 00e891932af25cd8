/*
 * hashpw: argon2id password hashes for scripts (demo users, admin resets).
 *   hashpw              reads a password on stdin, prints its hash
 *   hashpw --generate   prints a new random password (readable, 16 chars)
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static int	generate(void);
static int	hash_stdin(void);

int
main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "hashpw: libsodium failed to start\n");
		return (1);
	}
	if (argc == 2 && strcmp(argv[1], "--generate") == 0)
		return (generate());
	if (argc == 1)
		return (hash_stdin());
	fprintf(stderr, "usage: hashpw [--generate]\n");
	return (2);
}

static int
generate(void)
{
	/* No 0/O, 1/l/I: the password is read off a terminal by a person. */
	static const char	alphabet[] =
	    "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	char			pw[17];
	size_t			i;

	for (i = 0; i < sizeof(pw) - 1; i++)
		pw[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	pw[i] = '\0';
	printf("%s\n", pw);
	return (0);
}

static int
hash_stdin(void)
{
	char	pw[1024], out[crypto_pwhash_STRBYTES];
	size_t	len;

	len = fread(pw, 1, sizeof(pw) - 1, stdin);
	while (len > 0 && (pw[len - 1] == '\n' || pw[len - 1] == '\r'))
		len--;
	if (len == 0) {
		fprintf(stderr, "hashpw: empty password\n");
		return (1);
	}
	if (crypto_pwhash_str_alg(out, pw, len,
	    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
	    crypto_pwhash_ALG_ARGON2ID13) != 0) {
		fprintf(stderr, "hashpw: out of memory\n");
		return (1);
	}
	sodium_memzero(pw, sizeof(pw));
	printf("%s\n", out);
	return (0);
}
