/*
 * test_deadline.c: due dates across weekends, Tết and public holidays.
 *
 * Holiday schedules 2024-2026 are the ones the government announced for
 * civil servants.  The 2027 Tết schedule had not been announced when this
 * was written: Lunar New Year's day is Saturday 6 February 2027, and the
 * test assumes the usual pattern (the day before, plus the weekend days
 * made up on the following working days: Friday 5 to Thursday 11).
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "deadline.h"

#define VN_OFFSET	(7 * 3600)
#define CLOSE		17

static int	holidays[64];
static int	workdays[8];
static struct deadline_cal	cal;

static int	ymd(int, int, int);
static void	add_range(int, int, int, int, int, int);
static time_t	vn_time(int, int, int, int, int, int);
static void	assert_day(int, int, int, int);
static int	setup_cal(void **);

static int
ymd(int y, int m, int d)
{
	return (deadline_day_from_ymd(y, m, d));
}

static void
add_range(int y1, int m1, int d1, int y2, int m2, int d2)
{
	int	d;

	for (d = ymd(y1, m1, d1); d <= ymd(y2, m2, d2); d++)
		holidays[cal.nholidays++] = d;
}

/* A wall-clock time in Vietnam (UTC+07:00). */
static time_t
vn_time(int y, int m, int d, int hh, int mm, int ss)
{
	return ((time_t)ymd(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss -
	    VN_OFFSET);
}

static void
assert_day(int day, int y, int m, int d)
{
	int	yy, mm, dd;

	deadline_ymd_from_day(day, &yy, &mm, &dd);
	if (yy != y || mm != m || dd != d)
		fail_msg("got %04d-%02d-%02d, want %04d-%02d-%02d", yy, mm, dd,
		    y, m, d);
}

static int
setup_cal(void **state)
{
	(void)state;
	memset(&cal, 0, sizeof(cal));
	cal.holidays = holidays;
	cal.workdays = workdays;

	add_range(2024, 1, 1, 2024, 1, 1);
	add_range(2024, 2, 8, 2024, 2, 14);	/* Tết Giáp Thìn */
	add_range(2024, 4, 18, 2024, 4, 18);	/* Giỗ Tổ Hùng Vương */
	add_range(2024, 4, 27, 2024, 5, 1);	/* 30/4 - 1/5 */
	add_range(2024, 8, 31, 2024, 9, 3);	/* Quốc khánh */
	add_range(2025, 8, 30, 2025, 9, 2);	/* Quốc khánh */
	add_range(2026, 2, 14, 2026, 2, 22);	/* Tết Bính Ngọ */
	add_range(2027, 2, 5, 2027, 2, 11);	/* Tết Đinh Mùi (assumed) */
	workdays[cal.nworkdays++] = ymd(2024, 5, 4);	/* làm bù */
	return (0);
}

static void
test_civil_days(void **state)
{
	int	day, y, m, d;

	(void)state;
	assert_int_equal(ymd(1970, 1, 1), 0);
	assert_int_equal(ymd(1969, 12, 31), -1);
	assert_int_equal(ymd(2000, 3, 1), 11017);
	assert_int_equal(ymd(2027, 2, 6), 20855);
	assert_int_equal(ymd(1900, 3, 1) - ymd(1900, 2, 28), 1);
	assert_int_equal(ymd(2000, 3, 1) - ymd(2000, 2, 28), 2);
	assert_day(20855, 2027, 2, 6);
	assert_day(-719468, 0, 3, 1);

	for (day = -800000; day < 800000; day += 97) {
		deadline_ymd_from_day(day, &y, &m, &d);
		assert_int_equal(ymd(y, m, d), day);
	}

	assert_int_equal(deadline_weekday(0), 4);		/* Thursday */
	assert_int_equal(deadline_weekday(-1), 3);
	assert_int_equal(deadline_weekday(-4), 0);
	assert_int_equal(deadline_weekday(ymd(2027, 2, 6)), 6);
	assert_int_equal(deadline_weekday(ymd(2026, 3, 13)), 5);
}

static void
test_parse_date(void **state)
{
	int	day;

	(void)state;
	assert_int_equal(deadline_parse_date("2024-02-29", &day), 0);
	assert_int_equal(day, ymd(2024, 2, 29));
	assert_int_equal(deadline_parse_date("2027-02-06", &day), 0);
	assert_int_equal(day, 20855);
	assert_int_equal(deadline_parse_date("2027-02-29", &day), -1);
	assert_int_equal(deadline_parse_date("2100-02-29", &day), -1);
	assert_int_equal(deadline_parse_date("2000-02-29", &day), 0);
	assert_int_equal(deadline_parse_date("2024-13-01", &day), -1);
	assert_int_equal(deadline_parse_date("2024-00-10", &day), -1);
	assert_int_equal(deadline_parse_date("2024-04-31", &day), -1);
	assert_int_equal(deadline_parse_date("2024-4-30", &day), -1);
	assert_int_equal(deadline_parse_date("2024-04-30x", &day), -1);
	assert_int_equal(deadline_parse_date("2024/04/30", &day), -1);
	assert_int_equal(deadline_parse_date("2024-04-3a", &day), -1);
	assert_int_equal(deadline_parse_date("", &day), -1);
	assert_int_equal(deadline_parse_date(NULL, &day), -1);
}

static void
test_cal_check(void **state)
{
	int			 bad[] = { 5, 3 }, dup[] = { 3, 3 };
	struct deadline_cal	 c;

	(void)state;
	assert_int_equal(deadline_cal_check(&cal), 0);
	assert_int_equal(deadline_cal_check(NULL), 0);

	memset(&c, 0, sizeof(c));
	assert_int_equal(deadline_cal_check(&c), 0);
	c.holidays = bad;
	c.nholidays = 2;
	assert_int_equal(deadline_cal_check(&c), -1);
	c.holidays = dup;
	assert_int_equal(deadline_cal_check(&c), -1);
	c.holidays = NULL;
	c.nholidays = 0;
	c.workdays = bad;
	c.nworkdays = 2;
	assert_int_equal(deadline_cal_check(&c), -1);
	c.workdays = NULL;
	assert_int_equal(deadline_cal_check(&c), -1);
}

static void
test_weekends(void **state)
{
	int	fri, sat, sun, mon;

	(void)state;
	fri = ymd(2026, 3, 13);
	sat = fri + 1;
	sun = fri + 2;
	mon = fri + 3;

	assert_true(deadline_is_working_day(fri, NULL));
	assert_false(deadline_is_working_day(sat, NULL));
	assert_false(deadline_is_working_day(sun, &cal));

	assert_int_equal(deadline_add_working_days(fri, 0, &cal), fri);
	assert_int_equal(deadline_add_working_days(fri, 1, &cal), mon);
	assert_int_equal(deadline_add_working_days(sat, 1, &cal), mon);
	assert_int_equal(deadline_add_working_days(sun, 1, &cal), mon);
	assert_int_equal(deadline_add_working_days(mon, 5, &cal), mon + 7);
	assert_int_equal(deadline_add_working_days(mon, 10, NULL), mon + 14);
	assert_int_equal(deadline_add_working_days(mon, -1, &cal), fri);
	assert_int_equal(deadline_add_working_days(sun, -1, &cal), fri);
	assert_int_equal(deadline_add_working_days(fri, -5, &cal), fri - 7);

	assert_int_equal(deadline_next_working_day(fri, &cal), mon);
	assert_int_equal(deadline_next_working_day(sat, &cal), mon);
}

static void
test_holidays(void **state)
{
	(void)state;
	/* 30/4 - 1/5/2024 with Saturday 4/5 worked in exchange. */
	assert_false(deadline_is_working_day(ymd(2024, 4, 29), &cal));
	assert_false(deadline_is_working_day(ymd(2024, 4, 30), &cal));
	assert_false(deadline_is_working_day(ymd(2024, 5, 1), &cal));
	assert_true(deadline_is_working_day(ymd(2024, 5, 4), &cal));
	assert_false(deadline_is_working_day(ymd(2024, 5, 5), &cal));
	assert_day(deadline_add_working_days(ymd(2024, 4, 26), 1, &cal),
	    2024, 5, 2);
	assert_day(deadline_add_working_days(ymd(2024, 4, 26), 3, &cal),
	    2024, 5, 4);
	assert_day(deadline_add_working_days(ymd(2024, 4, 26), 4, &cal),
	    2024, 5, 6);
	assert_day(deadline_add_working_days(ymd(2024, 5, 6), -1, &cal),
	    2024, 5, 4);
	assert_day(deadline_add_working_days(ymd(2024, 4, 17), 1, &cal),
	    2024, 4, 19);

	/* 2/9: Friday before the long weekend to the Wednesday after. */
	assert_day(deadline_add_working_days(ymd(2025, 8, 29), 1, &cal),
	    2025, 9, 3);
	assert_day(deadline_add_working_days(ymd(2024, 8, 30), 1, &cal),
	    2024, 9, 4);

	/* Tết Bính Ngọ 2026: nine days off. */
	assert_day(deadline_add_working_days(ymd(2026, 2, 13), 1, &cal),
	    2026, 2, 23);
	assert_day(deadline_add_working_days(ymd(2026, 2, 10), 5, &cal),
	    2026, 2, 24);

	/* Tết Đinh Mùi 2027 (assumed schedule, see above). */
	assert_false(deadline_is_working_day(ymd(2027, 2, 5), &cal));
	assert_false(deadline_is_working_day(ymd(2027, 2, 8), &cal));
	assert_false(deadline_is_working_day(ymd(2027, 2, 11), &cal));
	assert_day(deadline_add_working_days(ymd(2027, 2, 4), 1, &cal),
	    2027, 2, 12);
	assert_day(deadline_add_working_days(ymd(2027, 2, 1), 10, &cal),
	    2027, 2, 22);
	assert_day(deadline_next_working_day(ymd(2027, 2, 6), &cal),
	    2027, 2, 12);
}

/* A day listed as holiday and as make-up day is a holiday. */
static void
test_holiday_wins(void **state)
{
	int			 h[1], w[1];
	struct deadline_cal	 c;

	(void)state;
	h[0] = w[0] = ymd(2024, 5, 4);
	c.holidays = h;
	c.nholidays = 1;
	c.workdays = w;
	c.nworkdays = 1;
	assert_false(deadline_is_working_day(h[0], &c));
	assert_int_equal(deadline_working_days_between(h[0] - 1, h[0], &c), 0);
}

static void
test_due_close_hour(void **state)
{
	time_t	due;

	(void)state;
	/* Friday 13/3/2026, 16:59 vs 17:01, Vietnam time. */
	due = deadline_due(vn_time(2026, 3, 13, 16, 59, 59), 1, &cal,
	    VN_OFFSET, CLOSE);
	assert_int_equal(due, vn_time(2026, 3, 16, 17, 0, 0));
	assert_int_equal(due, (time_t)ymd(2026, 3, 16) * 86400 + 10 * 3600);

	due = deadline_due(vn_time(2026, 3, 13, 17, 1, 0), 1, &cal,
	    VN_OFFSET, CLOSE);
	assert_int_equal(due, vn_time(2026, 3, 17, 17, 0, 0));

	/* Exactly at closing time counts as after hours. */
	due = deadline_due(vn_time(2026, 3, 13, 17, 0, 0), 1, &cal,
	    VN_OFFSET, CLOSE);
	assert_int_equal(due, vn_time(2026, 3, 17, 17, 0, 0));

	/* Early morning is still that day. */
	due = deadline_due(vn_time(2026, 3, 13, 0, 0, 0), 1, &cal,
	    VN_OFFSET, CLOSE);
	assert_int_equal(due, vn_time(2026, 3, 16, 17, 0, 0));

	/* Saturday and Sunday count from Monday. */
	due = deadline_due(vn_time(2026, 3, 14, 9, 0, 0), 1, &cal, VN_OFFSET,
	    CLOSE);
	assert_int_equal(due, vn_time(2026, 3, 17, 17, 0, 0));
	due = deadline_due(vn_time(2026, 3, 15, 23, 59, 59), 1, &cal,
	    VN_OFFSET, CLOSE);
	assert_int_equal(due, vn_time(2026, 3, 17, 17, 0, 0));

	/* Zero working days: by close of the day it counts as received. */
	due = deadline_due(vn_time(2026, 3, 13, 9, 0, 0), 0, &cal, VN_OFFSET,
	    CLOSE);
	assert_int_equal(due, vn_time(2026, 3, 13, 17, 0, 0));
	due = deadline_due(vn_time(2026, 3, 13, 18, 0, 0), 0, &cal,
	    VN_OFFSET, CLOSE);
	assert_int_equal(due, vn_time(2026, 3, 16, 17, 0, 0));
}

static void
test_due_timezone(void **state)
{
	time_t	t;

	(void)state;
	/* Friday 23:30 UTC is Saturday 06:30 in Vietnam: a day off. */
	t = (time_t)ymd(2026, 3, 13) * 86400 + 23 * 3600 + 30 * 60;
	assert_int_equal(deadline_received_day(t, &cal, VN_OFFSET, CLOSE),
	    ymd(2026, 3, 16));
	assert_int_equal(deadline_received_day(t, &cal, 0, CLOSE),
	    ymd(2026, 3, 16));

	/* Thursday 20:00 UTC is Friday 03:00 in Vietnam: a working day. */
	t = (time_t)ymd(2026, 3, 12) * 86400 + 20 * 3600;
	assert_int_equal(deadline_received_day(t, &cal, VN_OFFSET, CLOSE),
	    ymd(2026, 3, 13));
	/* In UTC it would have been Thursday after hours: also Friday. */
	assert_int_equal(deadline_received_day(t, &cal, 0, CLOSE),
	    ymd(2026, 3, 13));

	/* Friday 09:59 UTC = 16:59 +07 is in time, 10:01 UTC is not. */
	t = (time_t)ymd(2026, 3, 13) * 86400 + 9 * 3600 + 59 * 60;
	assert_int_equal(deadline_received_day(t, &cal, VN_OFFSET, CLOSE),
	    ymd(2026, 3, 13));
	t += 2 * 60;
	assert_int_equal(deadline_received_day(t, &cal, VN_OFFSET, CLOSE),
	    ymd(2026, 3, 16));

	/* Before 1970, day numbers and floors still work. */
	t = (time_t)ymd(1969, 12, 31) * 86400 + 12 * 3600 - VN_OFFSET;
	assert_int_equal(deadline_received_day(t, NULL, VN_OFFSET, CLOSE),
	    ymd(1969, 12, 31));
}

static void
test_due_holidays(void **state)
{
	time_t	due;

	(void)state;
	/* Received during Tết 2026: counted from Monday 23/2. */
	due = deadline_due(vn_time(2026, 2, 17, 10, 0, 0), 5, &cal,
	    VN_OFFSET, CLOSE);
	assert_int_equal(due, vn_time(2026, 3, 2, 17, 0, 0));

	/* Friday afternoon before Tết 2026, in time and too late. */
	due = deadline_due(vn_time(2026, 2, 13, 16, 59, 0), 1, &cal,
	    VN_OFFSET, CLOSE);
	assert_int_equal(due, vn_time(2026, 2, 23, 17, 0, 0));
	due = deadline_due(vn_time(2026, 2, 13, 17, 1, 0), 1, &cal,
	    VN_OFFSET, CLOSE);
	assert_int_equal(due, vn_time(2026, 2, 24, 17, 0, 0));

	/* Tết 2027: Thursday 4/2 after hours counts from Friday 12/2. */
	due = deadline_due(vn_time(2027, 2, 4, 17, 30, 0), 3, &cal,
	    VN_OFFSET, CLOSE);
	assert_int_equal(due, vn_time(2027, 2, 17, 17, 0, 0));

	/* The make-up Saturday is a working day for receipt too. */
	due = deadline_due(vn_time(2024, 5, 4, 10, 0, 0), 1, &cal, VN_OFFSET,
	    CLOSE);
	assert_int_equal(due, vn_time(2024, 5, 6, 17, 0, 0));
	due = deadline_due(vn_time(2024, 5, 4, 18, 0, 0), 1, &cal, VN_OFFSET,
	    CLOSE);
	assert_int_equal(due, vn_time(2024, 5, 7, 17, 0, 0));

	/* 30/4/2024 received: counted from Thursday 2/5. */
	due = deadline_due(vn_time(2024, 4, 30, 8, 0, 0), 2, &cal, VN_OFFSET,
	    CLOSE);
	assert_int_equal(due, vn_time(2024, 5, 4, 17, 0, 0));
}

static void
test_on_time(void **state)
{
	time_t	rcv, due;

	(void)state;
	rcv = vn_time(2026, 2, 12, 9, 0, 0);
	due = deadline_due(rcv, 2, &cal, VN_OFFSET, CLOSE);
	assert_int_equal(due, vn_time(2026, 2, 23, 17, 0, 0));
	assert_true(deadline_on_time(rcv, due, 2, &cal, VN_OFFSET, CLOSE));
	assert_true(deadline_on_time(rcv, rcv + 60, 2, &cal, VN_OFFSET,
	    CLOSE));
	assert_false(deadline_on_time(rcv, due + 1, 2, &cal, VN_OFFSET,
	    CLOSE));
}

/* The O(log n) count agrees with adding days and with brute force. */
static void
test_between(void **state)
{
	uint64_t	s;
	int		start, end, a, b, n, d, brute, k;

	(void)state;
	assert_int_equal(deadline_working_days_between(ymd(2026, 2, 13),
	    ymd(2026, 2, 23), &cal), 1);
	assert_int_equal(deadline_working_days_between(ymd(2026, 2, 23),
	    ymd(2026, 2, 13), &cal), -1);
	assert_int_equal(deadline_working_days_between(ymd(2024, 4, 26),
	    ymd(2024, 5, 6), &cal), 4);
	assert_int_equal(deadline_working_days_between(5, 5, &cal), 0);
	assert_int_equal(deadline_working_days_between(ymd(2026, 3, 13),
	    ymd(2026, 3, 15), &cal), 0);
	assert_int_equal(deadline_working_days_between(ymd(2026, 3, 13),
	    ymd(2026, 3, 16), NULL), 1);

	start = ymd(2023, 12, 1);
	end = ymd(2027, 3, 31);
	for (a = start; a < end; a += 3) {
		for (n = 0; n <= 25; n += 4) {
			b = deadline_add_working_days(a, n, &cal);
			assert_int_equal(deadline_working_days_between(a, b,
			    &cal), n);
			if (n > 0) {
				assert_true(deadline_is_working_day(b, &cal));
				assert_int_equal(deadline_add_working_days(b,
				    -n, &cal),
				    deadline_is_working_day(a, &cal) ? a :
				    deadline_add_working_days(a, -1, &cal));
			}
		}
	}

	s = 99;
	for (k = 0; k < 3000; k++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		a = start + (int)(s % (uint64_t)(end - start));
		b = a + (int)((s >> 20) % 400);
		brute = 0;
		for (d = a + 1; d <= b; d++)
			brute += deadline_is_working_day(d, &cal);
		assert_int_equal(deadline_working_days_between(a, b, &cal),
		    brute);
		assert_int_equal(deadline_working_days_between(b, a, &cal),
		    -brute);
	}

	/* A range far beyond the calendar does not loop day by day. */
	assert_int_equal(deadline_working_days_between(0, 7 * 100000, NULL),
	    5 * 100000);
	assert_int_equal(deadline_working_days_between(-7 * 1000, 0, NULL),
	    5 * 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil_days),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_cal_check),
		cmocka_unit_test(test_weekends),
		cmocka_unit_test(test_holidays),
		cmocka_unit_test(test_holiday_wins),
		cmocka_unit_test(test_due_close_hour),
		cmocka_unit_test(test_due_timezone),
		cmocka_unit_test(test_due_holidays),
		cmocka_unit_test(test_on_time),
		cmocka_unit_test(test_between),
	};

	return (cmocka_run_group_tests(tests, setup_cal, NULL));
}
