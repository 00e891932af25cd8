/*
 * test_hotline_schedule.c: plugins/hotline/schedule.c, the hotline's own
 * hours.  A deadline holiday is not the hotline's business; a closed
 * shift is; a weekday's hours open at their first minute and close at
 * their last.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "schedule.h"

#define MIN(h, m)	((h) * 60 + (m))

/* 2026-09-02 (National Day, a deadline holiday) is a Wednesday. */
#define HOLIDAY		"2026-09-02"
#define WED		3

static void
test_empty_is_as_configured(void **state)
{
	hl_schedule	s;

	(void)state;
	hl_schedule_init(&s);
	assert_int_equal(hl_schedule_decide(&s, HOLIDAY, WED, MIN(10, 0)), -1);
}

/* The deadline calendar's lines are not the schedule's: 24/7 stays open. */
static void
test_deadline_holiday_open_24_7(void **state)
{
	hl_schedule	s;
	int		d;

	(void)state;
	hl_schedule_init(&s);
	assert_int_equal(hl_schedule_line(&s, "holiday " HOLIDAY), 0);
	assert_int_equal(hl_schedule_line(&s, "workday 2026-09-05"), 0);
	for (d = 1; d <= 7; d++) {
		char	l[32] = "hours ";
		static const char *n[] = { "mon", "tue", "wed", "thu",
		    "fri", "sat", "sun" };

		strcat(l, n[d - 1]);
		strcat(l, " 00:00-24:00");
		assert_int_equal(hl_schedule_line(&s, l), 1);
	}
	assert_int_equal(hl_schedule_decide(&s, HOLIDAY, WED, MIN(0, 0)), 1);
	assert_int_equal(hl_schedule_decide(&s, HOLIDAY, WED, MIN(23, 59)), 1);
}

static void
test_closed_shift(void **state)
{
	hl_schedule	s;

	(void)state;
	hl_schedule_init(&s);
	assert_int_equal(hl_schedule_line(&s, "hours wed 00:00-24:00"), 1);
	assert_int_equal(hl_schedule_line(&s, "shift " HOLIDAY " closed"), 1);
	assert_int_equal(hl_schedule_decide(&s, HOLIDAY, WED, MIN(10, 0)), 0);
	/* The next Wednesday keeps its hours. */
	assert_int_equal(hl_schedule_decide(&s, "2026-09-09", WED,
	    MIN(10, 0)), 1);
	/* A date given again keeps its last line. */
	assert_int_equal(hl_schedule_line(&s, "shift " HOLIDAY
	    " 08:00-12:00"), 1);
	assert_int_equal(s.nshifts, 1);
	assert_int_equal(hl_schedule_decide(&s, HOLIDAY, WED, MIN(7, 59)), 0);
	assert_int_equal(hl_schedule_decide(&s, HOLIDAY, WED, MIN(8, 0)), 1);
	assert_int_equal(hl_schedule_decide(&s, HOLIDAY, WED, MIN(12, 0)), 0);
}

/* [from, to): open at the first minute, closed at the last. */
static void
test_weekday_edges(void **state)
{
	hl_schedule	s;

	(void)state;
	hl_schedule_init(&s);
	assert_int_equal(hl_schedule_line(&s, "hours MON 07:30-17:00"), 1);
	assert_int_equal(hl_schedule_line(&s, "hours sun closed"), 1);
	assert_int_equal(hl_schedule_decide(&s, "2026-12-07", 1, MIN(7, 29)),
	    0);
	assert_int_equal(hl_schedule_decide(&s, "2026-12-07", 1, MIN(7, 30)),
	    1);
	assert_int_equal(hl_schedule_decide(&s, "2026-12-07", 1, MIN(16, 59)),
	    1);
	assert_int_equal(hl_schedule_decide(&s, "2026-12-07", 1, MIN(17, 0)),
	    0);
	assert_int_equal(hl_schedule_decide(&s, "2026-12-13", 7, MIN(12, 0)),
	    0);
	/* Tuesday has no line: open_hours decides. */
	assert_int_equal(hl_schedule_decide(&s, "2026-12-08", 2, MIN(12, 0)),
	    -1);
}

static void
test_bad_lines(void **state)
{
	static const char *bad[] = {
		"hours xyz 07:00-17:00", "hours mon 17:00-07:00",
		"hours mon 07:00-07:00", "hours mon 07:00-24:01",
		"hours mon 07:60-08:00", "hours mon 7:00-17:00",
		"hours mon", "hours mon open", "hours monday 07:00-17:00",
		"shift 2026-9-02 closed", "shift 2026-09-02", "shift "
		"2026-09-02  closed", "shift 2026-09-0x closed",
		"shift 2026-09-02 08:00-12:00 extra",
	};
	hl_schedule	s;
	size_t		i;

	(void)state;
	hl_schedule_init(&s);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (hl_schedule_line(&s, bad[i]) != -1)
			fail_msg("accepted '%s'", bad[i]);
	assert_int_equal(s.nshifts, 0);
	assert_int_equal(hl_schedule_decide(&s, HOLIDAY, WED, MIN(10, 0)), -1);
}

static void
test_shift_limit(void **state)
{
	hl_schedule	s;
	char		l[40];
	int		i;

	(void)state;
	hl_schedule_init(&s);
	for (i = 0; i < HL_SCHED_MAX_SHIFTS; i++) {
		snprintf(l, sizeof(l), "shift %04d-01-01 closed", 1000 + i);
		assert_int_equal(hl_schedule_line(&s, l), 1);
	}
	assert_int_equal(hl_schedule_line(&s, "shift 2999-01-01 closed"), -1);
	/* An existing date may still change. */
	assert_int_equal(hl_schedule_line(&s, "shift 1000-01-01 closed"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_is_as_configured),
		cmocka_unit_test(test_deadline_holiday_open_24_7),
		cmocka_unit_test(test_closed_shift),
		cmocka_unit_test(test_weekday_edges),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_shift_limit),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
