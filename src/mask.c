/*
 * mask.c: masking of personal data before publication.
 *
 * Two passes over a per-byte action array: first e-mail addresses, then
 * runs of digits.  Digit runs joined by short separators (" .-()") form a
 * chain, and inside a chain the longest stretch of consecutive runs that
 * looks like a phone or ID number is masked, so that "năm 2024 0912 345
 * 678" masks the phone and leaves the year alone.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mask.h"
#include "valid.h"

#define MASK_COPY		0x00
#define MASK_STAR		0x01	/* replace the byte by '*' */
#define MASK_LOCAL_FIRST	0x02	/* keep the byte, then add "***" */
#define MASK_DROP		0x03	/* leave the byte out */
#define MASK_ACTION		0x0f
#define MASK_MAIL		0x10	/* inside an e-mail address */

#define MASK_DIGITS_MAX		15
#define MASK_GAP_MAX		3

struct mask_group {
	size_t		start;
	size_t		end;
	int		joined;		/* follows the previous group closely */
	int		plus;		/* preceded by '+' */
	int		dot_before;	/* the gap before it holds a '.' */
};

enum mask_kind {
	MASK_NONE,
	MASK_PHONE,
	MASK_ID
};

static void		mask_emails(const char *, size_t, unsigned char *);
static int		mask_domain_ok(const char *, size_t);
static int		mask_digits(const char *, size_t, unsigned char *);
static void		mask_chain(const char *, const struct mask_group *,
			    size_t, unsigned char *);
static enum mask_kind	mask_classify(const char *, size_t, int, int);
static void		mask_mark(const struct mask_group *, size_t, size_t,
			    enum mask_kind, unsigned char *);
static int		mask_is_local(int);
static int		mask_is_digit(int);

char *
mask_personal(const char *text, size_t len)
{
	unsigned char	*act;
	char		*out;
	size_t		 i, o;

	if (text == NULL)
		return (NULL);
	/* Each address grows by at most 3 bytes and is at least 6 long. */
	if (len > (SIZE_MAX - 1) / 2)
		return (NULL);
	if ((out = malloc(len + len / 2 + 4)) == NULL)
		return (NULL);
	if ((act = calloc(len + 1, 1)) == NULL) {
		free(out);
		return (NULL);
	}

	mask_emails(text, len, act);
	if (mask_digits(text, len, act) == -1) {
		free(act);
		free(out);
		return (NULL);
	}

	o = 0;
	for (i = 0; i < len; i++) {
		switch (act[i] & MASK_ACTION) {
		case MASK_STAR:
			out[o++] = '*';
			break;
		case MASK_LOCAL_FIRST:
			out[o++] = text[i];
			memcpy(out + o, "***", 3);
			o += 3;
			break;
		case MASK_DROP:
			break;
		default:
			out[o++] = text[i];
			break;
		}
	}
	out[o] = '\0';

	free(act);
	return (out);
}

static void
mask_emails(const char *s, size_t len, unsigned char *act)
{
	size_t		k, ls, fe, de, lim, i;

	lim = 0;
	for (k = 0; k < len; k++) {
		if (s[k] != '@')
			continue;

		ls = k;
		while (ls > lim && mask_is_local((unsigned char)s[ls - 1]))
			ls--;
		while (ls < k && s[ls] == '.')
			ls++;
		if (ls == k)
			continue;

		de = k + 1;
		while (de < len && (mask_is_digit((unsigned char)s[de]) ||
		    (s[de] >= 'a' && s[de] <= 'z') ||
		    (s[de] >= 'A' && s[de] <= 'Z') ||
		    s[de] == '.' || s[de] == '-'))
			de++;
		/* "... gửi về a@b.vn." ends the sentence, not the domain. */
		while (de > k + 1 && (s[de - 1] == '.' || s[de - 1] == '-'))
			de--;
		if (!mask_domain_ok(s + k + 1, de - k - 1))
			continue;

		/* Keep the whole first character, even a multibyte one. */
		fe = ls + 1;
		while (fe < k && ((unsigned char)s[fe] & 0xc0) == 0x80)
			fe++;
		for (i = ls; i < fe - 1; i++)
			act[i] = MASK_COPY | MASK_MAIL;
		act[fe - 1] = MASK_LOCAL_FIRST | MASK_MAIL;
		for (i = fe; i < k; i++)
			act[i] = MASK_DROP | MASK_MAIL;
		for (i = k; i < de; i++)
			act[i] = MASK_COPY | MASK_MAIL;
		lim = de;
		k = de - 1;
	}
}

/* At least two labels and a top-level label of two or more letters. */
static int
mask_domain_ok(const char *d, size_t len)
{
	const char	*dot;
	size_t		 i;

	if (len < 4 || d[0] == '.' || d[0] == '-')
		return (0);
	dot = NULL;
	for (i = 0; i < len; i++) {
		if (d[i] == '.') {
			if (i + 1 < len && d[i + 1] == '.')
				return (0);
			dot = d + i;
		}
	}
	if (dot == NULL || (size_t)(d + len - dot - 1) < 2)
		return (0);
	for (dot++; dot < d + len; dot++) {
		if (!((*dot >= 'a' && *dot <= 'z') ||
		    (*dot >= 'A' && *dot <= 'Z')))
			return (0);
	}
	return (1);
}

static int
mask_digits(const char *s, size_t len, unsigned char *act)
{
	struct mask_group	*g, *tmp;
	size_t			 ng, cap, i, j, start, prev_end, first;
	int			 dot;

	g = NULL;
	ng = 0;
	cap = 0;
	prev_end = 0;
	i = 0;
	while (i < len) {
		if (!mask_is_digit((unsigned char)s[i]) ||
		    (act[i] & MASK_MAIL)) {
			i++;
			continue;
		}
		start = i;
		while (i < len && mask_is_digit((unsigned char)s[i]) &&
		    !(act[i] & MASK_MAIL))
			i++;

		if (ng == cap) {
			cap = cap ? cap * 2 : 16;
			if ((tmp = reallocarray(g, cap, sizeof(*g))) == NULL) {
				free(g);
				return (-1);
			}
			g = tmp;
		}
		g[ng].start = start;
		g[ng].end = i;
		g[ng].plus = start > 0 && s[start - 1] == '+' &&
		    !(act[start - 1] & MASK_MAIL);
		g[ng].joined = 0;
		g[ng].dot_before = 0;
		if (ng > 0 && start - prev_end <= MASK_GAP_MAX && !g[ng].plus) {
			g[ng].joined = 1;
			dot = 0;
			for (j = prev_end; j < start; j++) {
				if (s[j] == '\0' || (act[j] & MASK_MAIL) ||
				    strchr(" .-()", s[j]) == NULL)
					g[ng].joined = 0;
				if (s[j] == '.')
					dot = 1;
			}
			g[ng].dot_before = dot;
		}
		prev_end = i;
		ng++;
	}

	for (first = 0; first < ng; first = i) {
		for (i = first + 1; i < ng && g[i].joined; i++)
			;
		mask_chain(s, g + first, i - first, act);
	}

	free(g);
	return (0);
}

/* Greedy: from each group, mask the longest stretch that matches. */
static void
mask_chain(const char *s, const struct mask_group *g, size_t ng,
    unsigned char *act)
{
	char		digits[MASK_DIGITS_MAX + 1];
	size_t		i, j, n, glen, best;
	enum mask_kind	kind, bestkind;
	int		dot;

	i = 0;
	while (i < ng) {
		n = 0;
		dot = 0;
		best = SIZE_MAX;
		bestkind = MASK_NONE;
		for (j = i; j < ng; j++) {
			glen = g[j].end - g[j].start;
			if (glen > MASK_DIGITS_MAX - n)
				break;
			memcpy(digits + n, s + g[j].start, glen);
			n += glen;
			digits[n] = '\0';
			if (j > i && g[j].dot_before)
				dot = 1;
			kind = mask_classify(digits, n, g[i].plus, dot);
			if (kind != MASK_NONE) {
				best = j;
				bestkind = kind;
			}
		}
		if (best == SIZE_MAX) {
			i++;
			continue;
		}
		mask_mark(g, i, best, bestkind, act);
		i = best + 1;
	}
}

/*
 * A 12-digit number without '+' could be a CCCD or "84" plus a landline;
 * it is masked whole either way.  Amounts of money are written with dots
 * ("500.000.000") but never start with 0, so dotted ID numbers must.
 */
static enum mask_kind
mask_classify(const char *d, size_t n, int plus, int dot)
{
	char	 buf[VALID_PHONE_LEN + 4];
	char	 norm[VALID_PHONE_LEN];

	if (plus)
		return (n >= 8 ? MASK_PHONE : MASK_NONE);
	if ((n == 9 || n == 12) && (!dot || d[0] == '0'))
		return (MASK_ID);
	/* Old 11-digit mobile numbers (01xx) are still quoted by people. */
	if (d[0] == '0' && (n == 10 || n == 11))
		return (MASK_PHONE);
	if (d[0] == '8' && d[1] == '4' && n == 11) {
		buf[0] = '+';
		memcpy(buf + 1, d, n + 1);
		if (valid_phone_vn(buf, norm, sizeof(norm)) == VALID_OK)
			return (MASK_PHONE);
	}
	return (MASK_NONE);
}

static void
mask_mark(const struct mask_group *g, size_t from, size_t to,
    enum mask_kind kind, unsigned char *act)
{
	size_t		i, k, total, keep, seen;

	total = 0;
	for (i = from; i <= to; i++)
		total += g[i].end - g[i].start;
	keep = (kind == MASK_PHONE && total > 3) ? 3 : 0;

	seen = 0;
	for (i = from; i <= to; i++) {
		for (k = g[i].start; k < g[i].end; k++) {
			if (seen++ < total - keep)
				act[k] = MASK_STAR;
		}
	}
}

/* Bytes above 0x7f too: a UTF-8 local part is still someone's name. */
static int
mask_is_local(int c)
{
	return (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '%' ||
	    c == '+' || c == '-');
}

static int
mask_is_digit(int c)
{
	return (c >= '0' && c <= '9');
}
