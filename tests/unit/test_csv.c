/*
 * test_csv.c: exports a spreadsheet opens as data, never as formulas.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"

static void
test_rows(void **state)
{
	struct sbuf	b;

	sbuf_init(&b);
	csv_start(&b);
	csv_cell(&b, "Lĩnh vực", 1);
	csv_number(&b, "12.5", 0);
	csv_cell(&b, NULL, 0);
	csv_end_row(&b);
	assert_string_equal(b.data, "\xEF\xBB\xBFLĩnh vực,12.5,\r\n");
	sbuf_free(&b);
}

static void
test_quoting_and_formulas(void **state)
{
	struct sbuf	b;

	sbuf_init(&b);
	csv_cell(&b, "a, \"b\"\nc", 1);
	csv_cell(&b, "=HYPERLINK(\"x\")", 0);
	csv_cell(&b, "+84 912", 0);
	csv_cell(&b, "@SUM(A1)", 0);
	csv_cell(&b, "-1", 0);
	assert_string_equal(b.data, "\"a, \"\"b\"\"\nc\","
	    "\"'=HYPERLINK(\"\"x\"\")\",'+84 912,'@SUM(A1),'-1");
	sbuf_free(&b);
}

/* A "number" that is not one is left out rather than written as text. */
static void
test_numbers_only_digits(void **state)
{
	struct sbuf	b;

	sbuf_init(&b);
	csv_number(&b, "3", 1);
	csv_number(&b, "=1+1", 0);
	csv_number(&b, "-2.25", 0);
	assert_string_equal(b.data, "3,,-2.25");
	sbuf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_quoting_and_formulas),
		cmocka_unit_test(test_numbers_only_digits),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
