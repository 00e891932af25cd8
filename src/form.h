/*
 * form: request bodies and query strings into name/value pairs, bounded.
 * application/x-www-form-urlencoded and multipart/form-data (with files).
 * Pure: no Kore, so it is unit tested on its own.
 */
#ifndef FORM_H
#define FORM_H

#include <stddef.h>

#define FORM_MAX_FIELDS		64
#define FORM_MAX_FILES		8
#define FORM_NAME_MAX		64

#define FORM_OK			0
#define FORM_E_TOO_MANY		-1	/* more fields or files than allowed */
#define FORM_E_SYNTAX		-2	/* bad percent-encoding or multipart framing */
#define FORM_E_NAME		-3	/* a field name that is empty or too long */

struct form_file {
	char		 name[FORM_NAME_MAX];	/* the form field */
	char		*filename;		/* as the client said; not trusted */
	const unsigned char *data;		/* points into the body */
	size_t		 len;
};

struct form {
	struct {
		char	 name[FORM_NAME_MAX];
		char	*value;			/* decoded, NUL-terminated */
		size_t	 len;			/* may hold a NUL: check len */
	} field[FORM_MAX_FIELDS];
	int		 nfields;
	struct form_file file[FORM_MAX_FILES];
	int		 nfiles;
};

void		 form_init(struct form *);
void		 form_free(struct form *);
int		 form_parse_urlencoded(struct form *, const char *, size_t);
int		 form_parse_multipart(struct form *, const char *boundary,
		    const unsigned char *, size_t);
int		 form_boundary(const char *content_type, char *out, size_t outlen);
const char	*form_get(const struct form *, const char *name, size_t *len);
int		 form_replace(struct form *, const char *name, const char *value,
		    size_t len);
int		 form_set(struct form *, const char *name, const char *value,
		    size_t len);

#endif
