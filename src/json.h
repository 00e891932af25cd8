/*
 * json: the JSON the app writes and reads, through jansson.  Pure: no
 * Kore, so it is unit tested and fuzzed on its own.
 */
#ifndef JSON_H
#define JSON_H

#include <stddef.h>

#include <jansson.h>

#include "form.h"

/*
 * How every reply is written (web_json): compact, in the order the keys
 * were set, non-ASCII as UTF-8.  The reals we write are PostgreSQL's
 * decimal text (json_number_text); 15 digits give that text back.
 */
#define JSON_WRITE_FLAGS	(JSON_COMPACT | JSON_PRESERVE_ORDER | \
				    JSON_REAL_PRECISION(15))

json_t	*json_text(const char *);
json_t	*json_number_text(const char *);
void	 json_list_add(json_t **, json_t *);
int	 json_to_form(struct form *, const unsigned char *, size_t,
	    const char *const *, char *, size_t);

#endif
