/*
 * test_date.c: dates as people and files write them.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
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

/* The zone set once: local time in C follows it, bad names change nothing. */
static void
test_zone(void **state)
{
	(void)state;
	assert_int_equal(date_set_zone(DATE_ZONE_DEFAULT), 0);
	assert_string_equal(getenv("PGTZ"), DATE_ZONE_DEFAULT);
	assert_int_equal(date_utc_offset(1790000000), 7 * 3600);
	assert_int_equal(date_set_zone("Asia/Tokyo"), 0);
	assert_int_equal(date_utc_offset(1790000000), 9 * 3600);
	assert_int_equal(date_set_zone("../etc/passwd"), -1);
	assert_int_equal(date_set_zone("/etc/localtime"), -1);
	assert_int_equal(date_set_zone("Asia/Nowhere"), -1);
	assert_int_equal(date_set_zone("Asia"), -1);	/* a folder */
	assert_int_equal(date_set_zone("Asia/Ho Chi Minh"), -1);
	assert_int_equal(date_set_zone(""), -1);
	assert_string_equal(getenv("TZ"), "Asia/Tokyo");
	assert_int_equal(date_utc_offset(1790000000), 9 * 3600);
	/* A zone with summer time: the offset is the one at that moment. */
	assert_int_equal(date_set_zone("Europe/Paris"), 0);
	assert_int_equal(date_utc_offset(1783000000), 2 * 3600);	/* July */
	assert_int_equal(date_utc_offset(1798000000), 1 * 3600);	/* Dec. */
}

/* An operator reads how long a person has waited. */
static void
test_span(void **state)
{
	char	buf[32];

	date_span_vi(0, buf, sizeof(buf));
	assert_string_equal(buf, "dưới 1 phút");
	date_span_vi(59, buf, sizeof(buf));
	assert_string_equal(buf, "dưới 1 phút");
	date_span_vi(12 * 60 + 5, buf, sizeof(buf));
	assert_string_equal(buf, "12 phút");
	date_span_vi(3 * 3600 + 5 * 60, buf, sizeof(buf));
	assert_string_equal(buf, "3 giờ 5 phút");
	date_span_vi(2 * 86400 + 4 * 3600 + 59, buf, sizeof(buf));
	assert_string_equal(buf, "2 ngày 4 giờ");
}

/* Both forms to ISO, within the years a report may ask for. */
static void
test_day_iso(void **state)
{
	char	out[11];

	(void)state;
	assert_int_equal(date_day_iso("31/01/2026", out, sizeof(out)), 0);
	assert_string_equal(out, "2026-01-31");
	assert_int_equal(date_day_iso("2026-02-28", out, sizeof(out)), 0);
	assert_string_equal(out, "2026-02-28");
	assert_int_equal(date_day_iso("2026-02-29", out, sizeof(out)), -1);
	assert_int_equal(date_day_iso("1999-12-31", out, sizeof(out)), -1);
	assert_int_equal(date_day_iso("2101-01-01", out, sizeof(out)), -1);
	assert_int_equal(date_day_iso(NULL, out, sizeof(out)), -1);
	assert_int_equal(date_day_iso("2026-01-31", out, 10), -1);
}

/* A datetime-local field's value, read in the center's zone (UTC+7). */
static void
test_parse_local(void **state)
{
	time_t	t;

	(void)state;
	assert_int_equal(date_set_zone("Asia/Ho_Chi_Minh"), 0);
	assert_int_equal(date_parse_local("2026-12-07T08:30", 16, &t), 0);
	assert_int_equal((long long)t, 1796607000LL);
	assert_int_equal(date_parse_local("2026-12-07 08:30:15", 19, &t), 0);
	assert_int_equal((long long)t, 1796607015LL);
	assert_int_equal(date_parse_local("2026-12-07T24:00", 16, &t), -1);
	assert_int_equal(date_parse_local("2026-12-07T08:60", 16, &t), -1);
	assert_int_equal(date_parse_local("2026-02-30T08:00", 16, &t), -1);
	assert_int_equal(date_parse_local("2026-12-07X08:30", 16, &t), -1);
	assert_int_equal(date_parse_local("2026-12-07T8:30", 15, &t), -1);
	assert_int_equal(date_parse_local("2026-12-07T08-30", 16, &t), -1);
	assert_int_equal(date_parse_local("1999-12-07T08:30", 16, &t), -1);
	assert_int_equal(date_parse_local(NULL, 16, &t), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_both_forms),
		cmocka_unit_test(test_days_that_do_not_exist),
		cmocka_unit_test(test_not_a_date),
		cmocka_unit_test(test_zone),
		cmocka_unit_test(test_span),
		cmocka_unit_test(test_day_iso),
		cmocka_unit_test(test_parse_local),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
