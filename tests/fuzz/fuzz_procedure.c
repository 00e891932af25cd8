/*
 * fuzz_procedure: a procedures import file (src/procedure.c,
 * procedure_import_parse()), read as JSON lines when the first byte is
 * even and as CSV when odd.  The promises: every accepted row holds each
 * column, is whole UTF-8 (json_dumps succeeds: it goes to PostgreSQL as
 * JSON) and checks again to itself; rejected rows come in line order with
 * a reason; nothing is both.
 */
#include <string.h>

#include <jansson.h>

#include "fuzz.h"
#include "procedure.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t		*rows, *rejected, *row, *again, *r, *copy;
	char		 err[PROCEDURE_REASON_MAX], *dump;
	size_t		 i;
	json_int_t	 last;
	int		 format;

	if (size == 0)
		return (0);
	format = data[0] % 2 == 0 ? PROCEDURE_FORMAT_JSONL :
	    PROCEDURE_FORMAT_CSV;
	rows = json_array();
	rejected = json_array();
	if (procedure_import_parse(data + 1, size - 1, format, rows, rejected,
	    err, sizeof(err)) == -1)
		FUZZ_CHECK(err[0] != '\0');

	json_array_foreach(rows, i, row) {
		FUZZ_CHECK(json_is_string(json_object_get(row, "code")));
		FUZZ_CHECK(procedure_code_ok(json_string_value(
		    json_object_get(row, "code"))));
		FUZZ_CHECK(procedure_level_label(json_string_value(
		    json_object_get(row, "level"))) != NULL);
		FUZZ_CHECK((dump = json_dumps(row, 0)) != NULL);
		free(dump);
		copy = json_deep_copy(row);
		json_object_del(copy, "line");
		again = procedure_row_check(copy, err, sizeof(err));
		FUZZ_CHECK(again != NULL);
		FUZZ_CHECK(json_equal(again, copy));
		json_decref(again);
		json_decref(copy);
	}
	last = 0;
	json_array_foreach(rejected, i, r) {
		FUZZ_CHECK(json_integer_value(json_object_get(r, "line")) >=
		    last);
		last = json_integer_value(json_object_get(r, "line"));
		FUZZ_CHECK(json_string_length(json_object_get(r, "reason")) > 0);
		FUZZ_CHECK((dump = json_dumps(r, 0)) != NULL);
		free(dump);
	}
	json_decref(rows);
	json_decref(rejected);
	return (0);
}
