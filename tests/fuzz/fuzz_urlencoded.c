/*
 * fuzz_urlencoded: a request body or query string, as the client sent
 * it, through form_parse_urlencoded() (src/form.c).
 */
#include <string.h>

#include "form.h"
#include "fuzz.h"


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form	 f;
	const char	*v;
	size_t		 len;
	int		 i, rc;

	form_init(&f);
	rc = form_parse_urlencoded(&f, (const char *)data, size);
	FUZZ_CHECK(rc == FORM_OK || rc == FORM_E_TOO_MANY ||
	    rc == FORM_E_SYNTAX || rc == FORM_E_NAME);
	FUZZ_CHECK(f.nfields >= 0 && f.nfields <= FORM_MAX_FIELDS);
	FUZZ_CHECK(f.nfiles == 0);
	for (i = 0; i < f.nfields; i++) {
		/* Names are clean C strings; values are NUL-terminated. */
		len = strnlen(f.field[i].name, FORM_NAME_MAX);
		FUZZ_CHECK(len > 0 && len < FORM_NAME_MAX);
		FUZZ_CHECK(f.field[i].value != NULL);
		FUZZ_CHECK(f.field[i].value[f.field[i].len] == '\0');
		FUZZ_CHECK(f.field[i].len <= size);
		v = form_get(&f, f.field[i].name, &len);
		FUZZ_CHECK(v != NULL);
	}
	form_free(&f);
	return (0);
}
