/*
 * valid.h: validation of text that arrives from outside (forms, JSON,
 * webhooks) before anything else looks at it.  Pure C11 plus libc.
 */

#ifndef VALID_H
#define VALID_H

#include <stddef.h>

#define VALID_OK		0
#define VALID_EEMPTY		-1	/* nothing left after trimming */
#define VALID_ETOOLONG		-2	/* more than max_chars code points */
#define VALID_EUTF8		-3	/* not strict UTF-8, or a NUL byte */
#define VALID_ECONTROL		-4	/* a control character */
#define VALID_EPHONE		-5	/* not a Vietnamese phone number */
#define VALID_EEMAIL		-6	/* not an e-mail address */
#define VALID_ENOSPACE		-7	/* output buffer too small */

/* Size of a buffer that holds any normalised phone number. */
#define VALID_PHONE_LEN		12

/* 1 if valid, 0 if not. */
int		 valid_utf8(const char *, size_t);
size_t		 valid_utf8_chars(const char *, size_t);
int		 valid_text(const char *, size_t, size_t, int);
int		 valid_phone_vn(const char *, char *, size_t);
/* 1 if valid, 0 if not. */
int		 valid_email(const char *, size_t);
char		*valid_trim(char *);
int		 valid_uuid(const char *);
int		 valid_http_url(const char *);
const char	*valid_error_vi(int);
int		 valid_error_vi_fmt(int, size_t, char *, size_t);

#endif /* !VALID_H */
