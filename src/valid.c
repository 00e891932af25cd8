/*
 * valid.c: input validation at the edge.
 *
 * Everything here works on (pointer, length) pairs and never trusts a
 * terminating NUL, because form fields and JSON strings can carry one.
 */

#include <stdint.h>
#include <stdio.h>
#include <ctype.h>
#include <string.h>

#include "valid.h"

#define VALID_PHONE_INPUT_MAX	40
#define VALID_PHONE_DIGITS_MAX	15
#define VALID_EMAIL_MAX		254
#define VALID_EMAIL_LOCAL_MAX	64
#define VALID_EMAIL_LABEL_MAX	63

static size_t	valid_decode(const unsigned char *, size_t, uint32_t *);
static size_t	valid_space_at(const unsigned char *, size_t);
static size_t	valid_space_before(const unsigned char *, size_t);
static void	valid_trim_bounds(const char *, size_t, size_t *, size_t *);
static int	valid_mobile_prefix(const char *);
static int	valid_email_local(const char *, size_t);
static int	valid_email_domain(const char *, size_t);
static int	valid_is_alnum(int);

int
valid_utf8(const char *s, size_t len)
{
	const unsigned char	*p;
	size_t			 i, n;
	uint32_t		 cp;

	if (s == NULL)
		return (len == 0);

	p = (const unsigned char *)s;
	i = 0;
	while (i < len) {
		/* Plain ASCII is by far the common case. */
		if (p[i] >= 0x01 && p[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = valid_decode(p + i, len - i, &cp)) == 0 || cp == 0)
			return (0);
		i += n;
	}

	return (1);
}

/* Counts lead bytes; meaningful for input that passed valid_utf8(). */
size_t
valid_utf8_chars(const char *s, size_t len)
{
	size_t		i, n;

	if (s == NULL)
		return (0);

	n = 0;
	for (i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	}
	return (n);
}

int
valid_text(const char *s, size_t len, size_t max_chars, int multiline)
{
	const unsigned char	*p;
	size_t			 i, n, lo, hi;
	uint32_t		 cp;

	if (s == NULL || len == 0)
		return (VALID_EEMPTY);
	if (!valid_utf8(s, len))
		return (VALID_EUTF8);

	p = (const unsigned char *)s;
	for (i = 0; i < len; i += n) {
		n = valid_decode(p + i, len - i, &cp);
		if (cp < 0x20) {
			if (multiline &&
			    (cp == '\n' || cp == '\r' || cp == '\t'))
				continue;
			return (VALID_ECONTROL);
		}
		if (cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
			return (VALID_ECONTROL);
	}

	valid_trim_bounds(s, len, &lo, &hi);
	if (lo == hi)
		return (VALID_EEMPTY);
	if (valid_utf8_chars(s + lo, hi - lo) > max_chars)
		return (VALID_ETOOLONG);

	return (VALID_OK);
}

/*
 * Accepts what people actually type: spaces, dots, dashes, parentheses,
 * a +84 or 84 prefix, even "+84 (0) 912 ...".  Writes the national form
 * ("0912345678") to out.  Only Vietnamese mobile (10 digits) and landline
 * (11 digits, 02x) numbers pass: this is a citizen's number to call back.
 */
int
valid_phone_vn(const char *in, char *out, size_t outlen)
{
	char		 digits[VALID_PHONE_DIGITS_MAX + 1];
	char		 nat[VALID_PHONE_DIGITS_MAX + 1];
	const char	*rest;
	size_t		 len, nd, natlen, i;
	int		 plus, paren;

	if (in == NULL)
		return (VALID_EPHONE);
	len = strnlen(in, VALID_PHONE_INPUT_MAX + 1);
	if (len > VALID_PHONE_INPUT_MAX)
		return (VALID_EPHONE);

	nd = 0;
	plus = 0;
	paren = 0;
	for (i = 0; i < len; i++) {
		switch (in[i]) {
		case '0': case '1': case '2': case '3': case '4':
		case '5': case '6': case '7': case '8': case '9':
			if (nd == VALID_PHONE_DIGITS_MAX)
				return (VALID_EPHONE);
			digits[nd++] = in[i];
			break;
		case '+':
			if (nd > 0 || plus)
				return (VALID_EPHONE);
			plus = 1;
			break;
		case '(':
			if (paren++ > 0)
				return (VALID_EPHONE);
			break;
		case ')':
			if (--paren < 0)
				return (VALID_EPHONE);
			break;
		case ' ':
		case '.':
		case '-':
		case '\t':
			break;
		default:
			return (VALID_EPHONE);
		}
	}
	digits[nd] = '\0';
	if (paren != 0 || nd == 0)
		return (VALID_EPHONE);

	/* "0084 ...": the international call prefix 00, then 84. */
	if (!plus && nd > 4 && digits[0] == '0' && digits[1] == '0') {
		(void)memmove(digits, digits + 2, nd - 1);
		nd -= 2;
		plus = 1;
	}
	/* No national number starts with 8, so "84..." is a country code. */
	if (plus || digits[0] == '8') {
		if (nd < 3 || digits[0] != '8' || digits[1] != '4')
			return (VALID_EPHONE);
		rest = digits + 2;
		/* "+84 (0) 912 ..." and "84 0912 ..." keep their trunk 0. */
		if (*rest == '0')
			rest++;
		nat[0] = '0';
		(void)memcpy(nat + 1, rest, strlen(rest) + 1);
	} else if (digits[0] == '0') {
		(void)memcpy(nat, digits, nd + 1);
	} else {
		return (VALID_EPHONE);
	}

	natlen = strlen(nat);
	if (natlen == 10) {
		if (!valid_mobile_prefix(nat))
			return (VALID_EPHONE);
	} else if (natlen == 11) {
		if (nat[1] != '2')
			return (VALID_EPHONE);
	} else {
		return (VALID_EPHONE);
	}

	if (out == NULL || outlen < natlen + 1)
		return (VALID_ENOSPACE);
	memcpy(out, nat, natlen + 1);

	return (VALID_OK);
}

/*
 * Pragmatic, not RFC 5322: dot-atom local part, a domain of at least two
 * LDH labels and an alphabetic (or punycode) top-level label.  No quoted
 * local parts, no IP literals, no raw UTF-8.
 */
int
valid_email(const char *s, size_t len)
{
	const char	*at;

	if (s == NULL || len == 0 || len > VALID_EMAIL_MAX)
		return (0);
	if ((at = memchr(s, '@', len)) == NULL)
		return (0);
	if (memchr(at + 1, '@', len - (size_t)(at - s) - 1) != NULL)
		return (0);

	return (valid_email_local(s, (size_t)(at - s)) &&
	    valid_email_domain(at + 1, len - (size_t)(at - s) - 1));
}

char *
valid_trim(char *s)
{
	size_t		lo, hi;

	if (s == NULL)
		return (NULL);

	valid_trim_bounds(s, strlen(s), &lo, &hi);
	memmove(s, s + lo, hi - lo);
	s[hi - lo] = '\0';
	return (s);
}

const char *
valid_error_vi(int code)
{
	switch (code) {
	case VALID_OK:
		return ("Hợp lệ.");
	case VALID_EEMPTY:
		return ("Vui lòng nhập nội dung.");
	case VALID_ETOOLONG:
		return ("Nội dung quá dài.");
	case VALID_EUTF8:
		return ("Nội dung có ký tự không hợp lệ. Vui lòng gõ lại "
		    "bằng bộ gõ tiếng Việt Unicode.");
	case VALID_ECONTROL:
		return ("Nội dung có ký tự điều khiển không được phép.");
	case VALID_EPHONE:
		return ("Số điện thoại không hợp lệ. Vui lòng nhập số di động "
		    "10 chữ số hoặc số cố định 11 chữ số, ví dụ 0912 345 678.");
	case VALID_EEMAIL:
		return ("Địa chỉ email không hợp lệ, ví dụ đúng: "
		    "ten@example.vn.");
	case VALID_ENOSPACE:
		return ("Lỗi hệ thống khi kiểm tra dữ liệu. Vui lòng thử lại.");
	default:
		return ("Dữ liệu không hợp lệ.");
	}
}

/* Like valid_error_vi(), but names the limit for VALID_ETOOLONG. */
int
valid_error_vi_fmt(int code, size_t max_chars, char *buf, size_t buflen)
{
	int	n;

	if (code == VALID_ETOOLONG) {
		n = snprintf(buf, buflen,
		    "Nội dung quá dài (tối đa %zu ký tự).", max_chars);
	} else {
		n = snprintf(buf, buflen, "%s", valid_error_vi(code));
	}

	if (n < 0 || (size_t)n >= buflen)
		return (-1);
	return (0);
}

/*
 * Decodes one strict UTF-8 sequence: no overlong forms, no surrogates,
 * nothing above U+10FFFF.  Returns its length, or 0 if it is invalid.
 */
static size_t
valid_decode(const unsigned char *p, size_t len, uint32_t *cp)
{
	unsigned char	lo, hi;
	size_t		n, i;

	*cp = 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return (1);
	}

	lo = 0x80;
	hi = 0xbf;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		*cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		*cp = p[0] & 0x0f;
		if (p[0] == 0xe0)
			lo = 0xa0;
		else if (p[0] == 0xed)
			hi = 0x9f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		*cp = p[0] & 0x07;
		if (p[0] == 0xf0)
			lo = 0x90;
		else if (p[0] == 0xf4)
			hi = 0x8f;
	} else {
		return (0);
	}

	if (len < n)
		return (0);
	if (p[1] < lo || p[1] > hi)
		return (0);
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return (0);
		*cp = (*cp << 6) | (p[i] & 0x3f);
	}

	return (n);
}

/*
 * Whitespace that people paste without seeing it: ASCII blanks, NBSP,
 * the U+2000 spaces, zero-width space, ideographic space and a BOM.
 */
static size_t
valid_space_at(const unsigned char *p, size_t len)
{
	if (len == 0)
		return (0);
	if (p[0] == ' ' || (p[0] >= '\t' && p[0] <= '\r'))
		return (1);
	if (len >= 2 && p[0] == 0xc2 && p[1] == 0xa0)
		return (2);
	if (len < 3)
		return (0);
	if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] <= 0x8b || p[2] == 0xaf))
		return (3);
	if (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f)
		return (3);
	if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)
		return (3);
	if (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		return (3);
	return (0);
}

static size_t
valid_space_before(const unsigned char *p, size_t len)
{
	if (len >= 1 && valid_space_at(p + len - 1, 1) == 1)
		return (1);
	if (len >= 2 && valid_space_at(p + len - 2, 2) == 2)
		return (2);
	if (len >= 3 && valid_space_at(p + len - 3, 3) == 3)
		return (3);
	return (0);
}

static void
valid_trim_bounds(const char *s, size_t len, size_t *lo, size_t *hi)
{
	const unsigned char	*p;
	size_t			 n;

	p = (const unsigned char *)s;
	*lo = 0;
	*hi = len;
	while (*lo < *hi && (n = valid_space_at(p + *lo, *hi - *lo)) > 0)
		*lo += n;
	while (*hi > *lo && (n = valid_space_before(p + *lo, *hi - *lo)) > 0)
		*hi -= n;
}

/* Mobile ranges in use since the 2018 renumbering. */
static int
valid_mobile_prefix(const char *n)
{
	switch (n[1]) {
	case '3':
		return (n[2] >= '2');
	case '5':
		return (n[2] >= '2');
	case '7':
		return (n[2] == '0' || n[2] >= '6');
	case '8':
		return (n[2] >= '1');
	case '9':
		return (1);
	default:
		return (0);
	}
}

static int
valid_email_local(const char *s, size_t len)
{
	size_t		i;
	int		c;

	if (len == 0 || len > VALID_EMAIL_LOCAL_MAX)
		return (0);
	if (s[0] == '.' || s[len - 1] == '.')
		return (0);

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '.' && i + 1 < len && s[i + 1] == '.')
			return (0);
		if (valid_is_alnum(c) || c == '.')
			continue;
		if (c == '\0' || strchr("!#$%&'*+/=?^_`{|}~-", c) == NULL)
			return (0);
	}

	return (1);
}

static int
valid_email_domain(const char *s, size_t len)
{
	size_t		i, start, labels;
	int		c, alpha;

	if (len == 0 || len > 253)
		return (0);

	labels = 0;
	start = 0;
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '.') {
			c = (unsigned char)s[i];
			if (!valid_is_alnum(c) && c != '-')
				return (0);
			continue;
		}
		if (i == start || i - start > VALID_EMAIL_LABEL_MAX)
			return (0);
		if (s[start] == '-' || s[i - 1] == '-')
			return (0);
		labels++;
		if (i < len)
			start = i + 1;
	}
	if (labels < 2)
		return (0);

	/* The top-level label: letters, or an IDN in punycode. */
	if (len - start < 2)
		return (0);
	if (len - start > 4 && strncmp(s + start, "xn--", 4) == 0)
		return (1);
	alpha = 1;
	for (i = start; i < len; i++) {
		c = (unsigned char)s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			alpha = 0;
	}
	return (alpha);
}

static int
valid_is_alnum(int c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'));
}

/*
 * An address we may fetch: http:// or https://, then a host, printable
 * ASCII without spaces (an IRI's other characters percent-encoded).
 */
int
valid_http_url(const char *url)
{
	const char	*p;
	size_t		 n;

	if (strncmp(url, "http://", 7) == 0)
		p = url + 7;
	else if (strncmp(url, "https://", 8) == 0)
		p = url + 8;
	else
		return (0);
	if (*p == '\0' || *p == '/' || *p == '?' || *p == '#' || *p == '@' ||
	    *p == ':')
		return (0);
	for (n = 0; url[n] != '\0'; n++) {
		if ((unsigned char)url[n] <= 0x20 ||
		    (unsigned char)url[n] >= 0x7f)
			return (0);
	}
	return (1);
}

/* 8-4-4-4-12 hexadecimal digits, as the hotline names its calls. */
int
valid_uuid(const char *s)
{
	int	i;

	if (s == NULL || strlen(s) != 36)
		return (0);
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return (0);
		} else if (!isxdigit((unsigned char)s[i])) {
			return (0);
		}
	}
	return (1);
}
