/*
 * test_code.c: ticket codes that survive being read out over the phone.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "code.h"

static const char	alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void		random_bytes(unsigned char *, size_t, uint64_t *);
static unsigned int	gf_mul(unsigned int, unsigned int);
static unsigned int	sym_value(char);
static int		symbol_position(int);

/* A fixed xorshift, so failures reproduce. */
static void
random_bytes(unsigned char *b, size_t n, uint64_t *s)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		*s ^= *s << 13;
		*s ^= *s >> 7;
		*s ^= *s << 17;
		b[i] = (unsigned char)(*s >> 24);
	}
}

/* Plain GF(32) multiplication, independent of code.c's Horner loop. */
static unsigned int
gf_mul(unsigned int a, unsigned int b)
{
	unsigned int	r;

	r = 0;
	while (b) {
		if (b & 1)
			r ^= a;
		b >>= 1;
		a <<= 1;
		if (a & 0x20)
			a ^= 0x25;
	}
	return (r);
}

static unsigned int
sym_value(char c)
{
	const char	*p;

	p = strchr(alphabet, c);
	assert_non_null(p);
	return ((unsigned int)(p - alphabet));
}

/* Index in the code string of symbol i (skipping the dash). */
static int
symbol_position(int i)
{
	return (i < 4 ? i : i + 1);
}

static void
test_format_shape(void **state)
{
	unsigned char	rnd[8];
	char		code[CODE_LEN + 1];
	uint64_t	seed;
	unsigned int	sum, w;
	int		i, k;

	(void)state;
	seed = 0x1022;
	for (k = 0; k < 2000; k++) {
		random_bytes(rnd, sizeof(rnd), &seed);
		code_format(code, rnd, 26, 11);
		assert_int_equal(strlen(code), CODE_LEN);
		assert_memory_equal(code, "2611-", 5);
		for (i = 5; i < CODE_LEN; i++) {
			assert_non_null(strchr(alphabet, code[i]));
			assert_null(strchr("ILOU", code[i]));
		}

		/* Sum of symbol * alpha^(11 - i) over GF(32) is zero. */
		sum = 0;
		for (i = 11; i >= 0; i--) {
			w = 1;
			for (int e = 0; e < 11 - i; e++)
				w = gf_mul(w, 2);
			sum ^= gf_mul(sym_value(code[symbol_position(i)]), w);
		}
		assert_int_equal(sum, 0);
	}
}

/* Codes already printed on receipts must stay valid forever. */
static void
test_format_golden(void **state)
{
	unsigned char	zero[8] = { 0 };
	unsigned char	ones[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			    0xff };
	unsigned char	r[8] = { 0x9a, 0x3c, 0x55, 0x01, 0xe7, 0x00, 0x00,
			    0x00 };
	char		code[CODE_LEN + 1];

	(void)state;
	code_format(code, zero, 26, 1);
	assert_string_equal(code, "2601-0000000A");
	code_format(code, ones, 26, 12);
	assert_string_equal(code, "2612-ZZZZZZZB");
	code_format(code, r, 2027, 2);
	assert_string_equal(code, "2702-K8Y5A0FZ");
	/* Out-of-range input still gives a parseable code. */
	code_format(code, zero, -1, 13);
	assert_memory_equal(code, "9912-", 5);
	assert_int_equal(code_parse(code, code), 0);
	code_format(code, zero, 5, 0);
	assert_memory_equal(code, "0501-", 5);
}

static void
test_random_bits_used(void **state)
{
	unsigned char	rnd[8], flip[8];
	char		a[CODE_LEN + 1], b[CODE_LEN + 1];
	int		bit;

	(void)state;
	memset(rnd, 0x5a, sizeof(rnd));
	code_format(a, rnd, 26, 5);
	for (bit = 0; bit < 35; bit++) {
		memcpy(flip, rnd, sizeof(rnd));
		flip[bit / 8] ^= (unsigned char)(0x80 >> (bit % 8));
		code_format(b, flip, 26, 5);
		assert_string_not_equal(a, b);
	}
}

static void
test_parse_forgiving(void **state)
{
	unsigned char	rnd[8];
	char		code[CODE_LEN + 1], out[CODE_LEN + 1];
	char		in[64];
	uint64_t	seed;
	int		k;
	size_t		i, o;

	(void)state;
	seed = 42;
	for (k = 0; k < 2000; k++) {
		random_bytes(rnd, sizeof(rnd), &seed);
		code_format(code, rnd, 27, (k % 12) + 1);

		assert_int_equal(code_parse(code, out), 0);
		assert_string_equal(out, code);

		/* Lower case, spaces instead of the dash, look-alikes. */
		o = 0;
		in[o++] = ' ';
		for (i = 0; i < CODE_LEN; i++) {
			char	c = code[i];

			if (c == '-')
				c = ' ';
			else if (c == '0')
				c = (k & 1) ? 'o' : 'O';
			else if (c == '1')
				c = (k & 2) ? 'l' : 'I';
			else if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			in[o++] = c;
			if (i == 8)
				in[o++] = ' ';
		}
		in[o++] = '\t';
		in[o] = '\0';
		memset(out, 0, sizeof(out));
		assert_int_equal(code_parse(in, out), 0);
		assert_string_equal(out, code);
	}

	/* No dash at all, several dashes. */
	assert_int_equal(code_parse("2601-0000000A", out), 0);
	assert_int_equal(code_parse("26010000000A", out), 0);
	assert_string_equal(out, "2601-0000000A");
	assert_int_equal(code_parse("26-01-0000-000A", out), 0);
	assert_int_equal(code_parse("26o1-oooooooA", out), 0);
	assert_string_equal(out, "2601-0000000A");
}

static void
test_parse_rejects(void **state)
{
	char	out[CODE_LEN + 1], *big;

	(void)state;
	assert_int_equal(code_parse(NULL, out), -1);
	assert_int_equal(code_parse("", out), -1);
	assert_int_equal(code_parse("2601-0000000", out), -1);
	assert_int_equal(code_parse("2601-0000000A0", out), -1);
	assert_int_equal(code_parse("2601-0000000U", out), -1);
	assert_int_equal(code_parse("2601-000000UA", out), -1);
	assert_int_equal(code_parse("2601_0000000A", out), -1);
	assert_int_equal(code_parse("2601.0000000A", out), -1);
	assert_int_equal(code_parse("2601-0000000A;", out), -1);
	assert_int_equal(code_parse("2601-00000\xc3\xb3" "0A", out), -1);
	/* The date part is digits with a real month. */
	assert_int_equal(code_parse("26A1-0000000A", out), -1);
	assert_int_equal(code_parse("2600-0000000A", out), -1);
	assert_int_equal(code_parse("2613-0000000A", out), -1);
	/* A NUL ends the input. */
	assert_int_equal(code_parse("2601-000\0" "0000A", out), -1);

	big = malloc(1 << 20);
	assert_non_null(big);
	memset(big, ' ', (1 << 20) - 1);
	memcpy(big, "2601-0000000A", 13);
	big[(1 << 20) - 1] = '\0';
	assert_int_equal(code_parse(big, out), -1);
	free(big);
}

/* Every single wrong symbol and every swap of neighbours is caught. */
static void
test_check_catches_typos(void **state)
{
	unsigned char	rnd[8];
	char		code[CODE_LEN + 1], bad[CODE_LEN + 1];
	char		out[CODE_LEN + 1];
	uint64_t	seed;
	int		k, i, p, q;
	size_t		a;
	char		t;

	(void)state;
	seed = 7;
	for (k = 0; k < 300; k++) {
		random_bytes(rnd, sizeof(rnd), &seed);
		code_format(code, rnd, k % 100, (k % 12) + 1);

		for (i = 0; i < 12; i++) {
			p = symbol_position(i);
			for (a = 0; a < 32; a++) {
				if (alphabet[a] == code[p])
					continue;
				memcpy(bad, code, sizeof(bad));
				bad[p] = alphabet[a];
				assert_int_equal(code_parse(bad, out), -1);
			}
		}

		for (i = 0; i < 11; i++) {
			p = symbol_position(i);
			q = symbol_position(i + 1);
			if (code[p] == code[q])
				continue;
			memcpy(bad, code, sizeof(bad));
			t = bad[p];
			bad[p] = bad[q];
			bad[q] = t;
			assert_int_equal(code_parse(bad, out), -1);
		}
	}

	/* The date is covered: November's code typed as December's. */
	memset(rnd, 0, sizeof(rnd));
	code_format(code, rnd, 26, 11);
	code[3] = '2';
	assert_int_equal(code_parse(code, out), -1);
	code[3] = '1';
	/* A moved dash is not a typo: "2611X-XXXXXXX" is the same code. */
	memcpy(bad, code, sizeof(bad));
	bad[4] = code[5];
	bad[5] = '-';
	assert_int_equal(code_parse(bad, out), 0);
	assert_string_equal(out, code);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_shape),
		cmocka_unit_test(test_format_golden),
		cmocka_unit_test(test_random_bits_used),
		cmocka_unit_test(test_parse_forgiving),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_check_catches_typos),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
