/*
 * sbuf: a growable byte buffer, always NUL-terminated, with the escapes
 * that output needs: HTML text and attributes, URL components.  Pure: no
 * Kore.  Running out of memory aborts, as everywhere in the app.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

static void	sbuf_reserve(struct sbuf *, size_t);
static void	sbuf_oom(void);

void
sbuf_init(struct sbuf *sb)
{
	sb->cap = 256;
	sb->len = 0;
	if ((sb->data = malloc(sb->cap)) == NULL)
		sbuf_oom();
	sb->data[0] = '\0';
}

void
sbuf_append(struct sbuf *sb, const void *data, size_t len)
{
	if (len == 0)
		return;
	sbuf_reserve(sb, len);
	memcpy(sb->data + sb->len, data, len);
	sb->len += len;
	sb->data[sb->len] = '\0';
}

void
sbuf_appendf(struct sbuf *sb, const char *fmt, ...)
{
	va_list		ap;
	int		n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;

	sbuf_reserve(sb, (size_t)n);
	va_start(ap, fmt);
	(void)vsnprintf(sb->data + sb->len, sb->cap - sb->len, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

/*
 * Copies runs of harmless bytes in one go; only the five characters that
 * can end an HTML text node or a quoted attribute are replaced.
 */
void
sbuf_append_html(struct sbuf *sb, const char *s, size_t len)
{
	size_t		i, run;
	const char	*rep;

	run = 0;
	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		sbuf_append(sb, s + run, i - run);
		sbuf_append(sb, rep, strlen(rep));
		run = i + 1;
	}
	sbuf_append(sb, s + run, len - run);
}

void
sbuf_reset(struct sbuf *sb)
{
	sb->len = 0;
	if (sb->data != NULL)
		sb->data[0] = '\0';
}

void
sbuf_free(struct sbuf *sb)
{
	free(sb->data);
	sb->data = NULL;
	sb->len = 0;
	sb->cap = 0;
}

/*
 * A URL component: RFC 3986's unreserved characters as they are, every
 * other byte as %XX.  A space is "+" in a query value (SBUF_URL_QUERY, as
 * forms send it) and %20 anywhere else (SBUF_URL_PART: an RFC 5987 file
 * name, a path).
 */
void
sbuf_append_url(struct sbuf *sb, const char *s, int kind)
{
	static const char	hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			 e[3];

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~') {
			sbuf_append(sb, p, 1);
			continue;
		}
		if (*p == ' ' && kind == SBUF_URL_QUERY) {
			sbuf_lit(sb, "+");
			continue;
		}
		e[0] = '%';
		e[1] = hex[*p >> 4];
		e[2] = hex[*p & 0x0f];
		sbuf_append(sb, e, 3);
	}
}

static void
sbuf_reserve(struct sbuf *sb, size_t more)
{
	size_t		need, cap;
	char		*p;

	if (sb->data == NULL)
		sbuf_init(sb);
	if (more > SIZE_MAX - sb->len - 1)
		sbuf_oom();
	need = sb->len + more + 1;
	if (need <= sb->cap)
		return;

	cap = sb->cap;
	while (cap < need)
		cap = (cap > SIZE_MAX / 2) ? need : cap * 2;
	if ((p = realloc(sb->data, cap)) == NULL)
		sbuf_oom();
	sb->data = p;
	sb->cap = cap;
}

static void
sbuf_oom(void)
{
	fprintf(stderr, "sbuf: out of memory\n");
	abort();
}
