/*
 * procedure: the rules of one procedure of the catalog, pure (no Kore, no
 * SQL), so the pages, the importer, the unit tests and the fuzz harness
 * share them.
 */
#include <ctype.h>
#include <string.h>

#include "procedure.h"

/* Where a procedure is carried out: the code stored, the words shown. */
static const struct {
	const char	*code;
	const char	*label;
} procedure_levels[] = {
	{ "tinh", "Cấp tỉnh" },
	{ "huyen", "Cấp huyện" },
	{ "xa", "Cấp xã" },
};

#define PROCEDURE_NLEVELS \
    (sizeof(procedure_levels) / sizeof(procedure_levels[0]))

/*
 * A national code such as "1.001612" or "2.000815": a letter or digit,
 * then letters, digits, dots or dashes, at most PROCEDURE_CODE_MAX.
 */
int
procedure_code_ok(const char *s)
{
	size_t	len;

	len = strlen(s);
	if (len == 0 || len > PROCEDURE_CODE_MAX ||
	    !isalnum((unsigned char)s[0]))
		return (0);
	return (strspn(s, "0123456789abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ.-") == len);
}

/* "Cấp tỉnh" for "tinh"; NULL for a level that is not one. */
const char *
procedure_level_label(const char *code)
{
	size_t	i;

	for (i = 0; i < PROCEDURE_NLEVELS; i++) {
		if (strcmp(procedure_levels[i].code, code) == 0)
			return (procedure_levels[i].label);
	}
	return (NULL);
}

/* The i-th level's code, NULL past the last: for lists. */
const char *
procedure_level_code(size_t i)
{
	return (i < PROCEDURE_NLEVELS ? procedure_levels[i].code : NULL);
}
