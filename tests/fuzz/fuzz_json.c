/*
 * fuzz_json: a JSON request body of the API (POST /api/v1/tickets)
 * through json_to_form() (src/json.c), onto a form that already holds
 * the query string's fields, as in read_submission() (src/tickets.c).
 * json.c is pure: it links with the other pure modules and jansson.
 */
#include <string.h>

#include "json.h"
#include "fuzz.h"

/* The members the submission API reads (src/tickets.c). */
static const char *const names[] = {
	"name", "phone", "email", "field", "title", "content", NULL
};


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char	 query[] = "name=q&title=q&page=2";
	struct form		 f;
	const char		*v;
	char			 err[256];
	size_t			 len;
	int			 i, ok;

	form_init(&f);
	FUZZ_CHECK(form_parse_urlencoded(&f, query, sizeof(query) - 1) ==
	    FORM_OK);
	memset(err, 'x', sizeof(err));
	ok = json_to_form(&f, data, size, names, err, sizeof(err)) == 0;
	if (!ok) {
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
		FUZZ_CHECK(err[0] != '\0');
	} else {
		/* Clean text: the validators downstream use C strings. */
		for (i = 0; names[i] != NULL; i++) {
			if ((v = form_get(&f, names[i], &len)) == NULL)
				continue;
			FUZZ_CHECK(strlen(v) == len);
		}
		FUZZ_CHECK(form_get(&f, "page", NULL) != NULL);
	}
	FUZZ_CHECK(f.nfields <= FORM_MAX_FIELDS);
	form_free(&f);
	return (0);
}
