/*
 * fuzz_multipart: a multipart/form-data upload through form_boundary()
 * and form_parse_multipart() (src/form.c).  The input's first line is the
 * Content-Type header's value, the rest the body.
 */
#include <string.h>

#include "form.h"
#include "fuzz.h"


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form		 f;
	const uint8_t		*nl, *body;
	char			*ct, boundary[80];
	size_t			 ctlen, blen, len;
	int			 i, rc;

	if ((nl = memchr(data, '\n', size)) == NULL)
		return (0);
	ctlen = (size_t)(nl - data);
	/* Kore hands the header over as a C string: no NUL inside. */
	if (memchr(data, '\0', ctlen) != NULL)
		return (0);
	if ((ct = malloc(ctlen + 1)) == NULL)
		abort();
	memcpy(ct, data, ctlen);
	ct[ctlen] = '\0';
	body = nl + 1;
	blen = size - ctlen - 1;

	rc = form_boundary(ct, boundary, sizeof(boundary));
	free(ct);
	if (rc != FORM_OK) {
		FUZZ_CHECK(rc == FORM_E_SYNTAX);
		return (0);
	}
	len = strnlen(boundary, sizeof(boundary));
	FUZZ_CHECK(len > 0 && len <= 70);

	form_init(&f);
	rc = form_parse_multipart(&f, boundary, body, blen);
	FUZZ_CHECK(rc == FORM_OK || rc == FORM_E_TOO_MANY ||
	    rc == FORM_E_SYNTAX || rc == FORM_E_NAME);
	FUZZ_CHECK(f.nfields >= 0 && f.nfields <= FORM_MAX_FIELDS);
	FUZZ_CHECK(f.nfiles >= 0 && f.nfiles <= FORM_MAX_FILES);
	for (i = 0; i < f.nfields; i++) {
		len = strnlen(f.field[i].name, FORM_NAME_MAX);
		FUZZ_CHECK(len > 0 && len < FORM_NAME_MAX);
		FUZZ_CHECK(f.field[i].value[f.field[i].len] == '\0');
		FUZZ_CHECK(f.field[i].len <= blen);
	}
	for (i = 0; i < f.nfiles; i++) {
		/* A file is a window into the body, never past it. */
		len = strnlen(f.file[i].name, FORM_NAME_MAX);
		FUZZ_CHECK(len > 0 && len < FORM_NAME_MAX);
		FUZZ_CHECK(f.file[i].filename != NULL);
		FUZZ_CHECK(f.file[i].data >= body);
		FUZZ_CHECK(f.file[i].len <= blen);
		FUZZ_CHECK((size_t)(f.file[i].data - body) <=
		    blen - f.file[i].len);
	}
	form_free(&f);
	return (0);
}
