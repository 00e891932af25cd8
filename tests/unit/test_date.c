/*
 * test_date.c: dates as people and files write them.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"

static int
parse(const char *s, int *y, int *m, int *d)
{
	return (date_parse(s, strlen(s), y, m, d));
}

static void
test_both_forms(void **state)
{
	int	y, m, d;

	assert_int_equal(parse("2026-01-31", &y, &m, &d), 0);
	assert_int_equal(y * 10000 + m * 100 + d, 20260131);
	assert_int_equal(parse("29/02/2028", &y, &m, &d), 0);
	assert_int_equal(y * 10000 + m * 100 + d, 20280229);
}

static void
test_days_that_do_not_exist(void **state)
{
	int	y, m, d;

	assert_int_equal(parse("2026-02-29", &y, &m, &d), -1);
	assert_int_equal(parse("2100-02-29", &y, &m, &d), -1);	/* not leap */
	assert_int_equal(parse("2000-02-29", &y, &m, &d), 0);	/* leap */
	assert_int_equal(parse("2026-04-31", &y, &m, &d), -1);
	assert_int_equal(parse("2026-13-01", &y, &m, &d), -1);
	assert_int_equal(parse("2026-00-10", &y, &m, &d), -1);
	assert_int_equal(parse("00/01/2026", &y, &m, &d), -1);
}

static void
test_not_a_date(void **state)
{
	int	y, m, d;

	assert_int_equal(parse("2026-1-31", &y, &m, &d), -1);
	assert_int_equal(parse("2026/01/31", &y, &m, &d), -1);
	assert_int_equal(parse("31-01-2026", &y, &m, &d), -1);
	assert_int_equal(parse("2026-01-3a", &y, &m, &d), -1);
	assert_int_equal(parse("2026-01-311", &y, &m, &d), -1);
	assert_int_equal(date_parse(NULL, 10, &y, &m, &d), -1);
	assert_int_equal(date_days_in_month(2026, 13), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_both_forms),
		cmocka_unit_test(test_days_that_do_not_exist),
		cmocka_unit_test(test_not_a_date),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
