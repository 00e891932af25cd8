/*
 * sbuf: a growable byte buffer with the escapes output needs.
 */
#ifndef SBUF_H
#define SBUF_H

#include <stddef.h>

/* Growable byte buffer; data is always NUL-terminated after sbuf_init. */
struct sbuf {
	char		*data;
	size_t		len;
	size_t		cap;
};

void	sbuf_init(struct sbuf *);
void	sbuf_append(struct sbuf *, const void *, size_t);
void	sbuf_appendf(struct sbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	sbuf_append_html(struct sbuf *, const char *, size_t);
void	sbuf_append_url(struct sbuf *, const char *, int);
#define SBUF_URL_QUERY	1	/* a query value: space as "+" */
#define SBUF_URL_PART	2	/* anything else: space as %20 */
void	sbuf_reset(struct sbuf *);
void	sbuf_free(struct sbuf *);

/* Append a string literal; its length is counted by the compiler. */
#define sbuf_lit(b, s)		sbuf_append((b), (s), sizeof(s) - 1)

#endif
