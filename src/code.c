/*
 * code.c: public ticket codes.
 *
 * The check symbol is a weighted sum over GF(32): symbol i (the four date
 * digits count as symbols 0..9) is multiplied by alpha^(11 - i), where
 * alpha generates the field's multiplicative group of order 31, and the
 * check symbol makes the sum zero.  Distinct non-zero weights catch every
 * single substitution; since alpha^(k+1) + alpha^k = alpha^k (alpha + 1)
 * is never zero, every transposition of neighbours is caught too.  Unlike
 * Crockford's mod 37 scheme this needs no extra symbols (* ~ $ = U) that
 * are awkward to read out or put in a URL.
 */

#include <stdint.h>
#include <string.h>

#include "code.h"

#define CODE_SYMBOLS	12	/* 4 date + 7 random + 1 check */
#define CODE_INPUT_MAX	64

static const char	code_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static unsigned int	code_gf_times_alpha(unsigned int);
static unsigned int	code_weighted_sum(const unsigned char *, size_t);
static int		code_symbol_value(int);
static void		code_write(char *, const unsigned char *);

void
code_format(char out[static CODE_LEN + 1], const unsigned char rnd[8],
    int yy, int mm)
{
	unsigned char	sym[CODE_SYMBOLS];
	uint64_t	bits;
	int		i;

	/* Accept 2026 as well as 26; keep a bad month inside 01..12. */
	yy %= 100;
	if (yy < 0)
		yy += 100;
	if (mm < 1)
		mm = 1;
	else if (mm > 12)
		mm = 12;

	sym[0] = (unsigned char)(yy / 10);
	sym[1] = (unsigned char)(yy % 10);
	sym[2] = (unsigned char)(mm / 10);
	sym[3] = (unsigned char)(mm % 10);

	bits = 0;
	for (i = 0; i < 8; i++)
		bits = (bits << 8) | rnd[i];
	for (i = 0; i < 7; i++)
		sym[4 + i] = (unsigned char)((bits >> (59 - 5 * i)) & 0x1f);

	sym[11] = (unsigned char)code_weighted_sum(sym, CODE_SYMBOLS - 1);
	code_write(out, sym);
}

int
code_parse(const char *in, char out[static CODE_LEN + 1])
{
	unsigned char	sym[CODE_SYMBOLS];
	size_t		i, n, len;
	int		v, mm;

	if (in == NULL)
		return (-1);
	len = strnlen(in, CODE_INPUT_MAX + 1);
	if (len > CODE_INPUT_MAX)
		return (-1);

	n = 0;
	for (i = 0; i < len; i++) {
		if (in[i] == ' ' || in[i] == '-' || in[i] == '\t')
			continue;
		if ((v = code_symbol_value((unsigned char)in[i])) == -1)
			return (-1);
		if (n == CODE_SYMBOLS)
			return (-1);
		sym[n++] = (unsigned char)v;
	}
	if (n != CODE_SYMBOLS)
		return (-1);

	for (i = 0; i < 4; i++) {
		if (sym[i] > 9)
			return (-1);
	}
	mm = sym[2] * 10 + sym[3];
	if (mm < 1 || mm > 12)
		return (-1);

	if (code_weighted_sum(sym, CODE_SYMBOLS - 1) != sym[CODE_SYMBOLS - 1])
		return (-1);

	code_write(out, sym);
	return (0);
}

/* Horner's rule: returns sum of sym[i] * alpha^(n - i) over GF(32). */
static unsigned int
code_weighted_sum(const unsigned char *sym, size_t n)
{
	unsigned int	acc;
	size_t		i;

	acc = 0;
	for (i = 0; i < n; i++)
		acc = code_gf_times_alpha(acc ^ sym[i]);
	return (acc);
}

/* Multiplication by x modulo the primitive polynomial x^5 + x^2 + 1. */
static unsigned int
code_gf_times_alpha(unsigned int v)
{
	v <<= 1;
	if (v & 0x20)
		v ^= 0x25;
	return (v);
}

static int
code_symbol_value(int c)
{
	const char	*p;

	if (c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	if (c == 'O')
		c = '0';
	else if (c == 'I' || c == 'L')
		c = '1';
	if (c == '\0' || (p = strchr(code_alphabet, c)) == NULL)
		return (-1);
	return ((int)(p - code_alphabet));
}

static void
code_write(char *out, const unsigned char *sym)
{
	size_t	i, o;

	o = 0;
	for (i = 0; i < CODE_SYMBOLS; i++) {
		if (i == 4)
			out[o++] = '-';
		out[o++] = code_alphabet[sym[i]];
	}
	out[o] = '\0';
}
