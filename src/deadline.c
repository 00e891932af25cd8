/*
 * deadline.c: due dates counted in working days.
 *
 * Rules (as for Vietnamese administrative time limits): counting starts on
 * the working day after the day of receipt; a contact received at or after
 * the closing hour, or on a day that is not a working day, is taken as
 * received on the next working day; the due time is the closing hour of
 * the last counted day, local time.
 */

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "deadline.h"

#define DEADLINE_DAY_SECS	86400

static int	deadline_in_sorted(const int *, size_t, int);
static size_t	deadline_lower_bound(const int *, size_t, int);
static long	deadline_mon_fri_before(long);
static int	deadline_is_mon_fri(int);
static int	deadline_sorted(const int *, size_t);
static int	deadline_local_day(time_t, int, long *);

/* Howard Hinnant's days_from_civil(). */
int
deadline_day_from_ymd(int y, int m, int d)
{
	long	yy, era, yoe, doy, doe;

	yy = (long)y - (m <= 2);
	era = (yy >= 0 ? yy : yy - 399) / 400;
	yoe = yy - era * 400;
	doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return ((int)(era * 146097 + doe - 719468));
}

/* Howard Hinnant's civil_from_days(). */
void
deadline_ymd_from_day(int day, int *y, int *m, int *d)
{
	long	z, era, doe, yoe, doy, mp, yy;

	z = (long)day + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

/* 0 is Sunday, 6 is Saturday; 1970-01-01 was a Thursday. */
int
deadline_weekday(int day)
{
	int	r;

	r = (day % 7 + 7) % 7;
	return ((r + 4) % 7);
}

/* Parses a strict "YYYY-MM-DD", as found in a holiday calendar file. */
int
deadline_parse_date(const char *s, int *day)
{
	int	y, m, d;

	if (s == NULL || strnlen(s, 11) != 10 || s[4] != '-' ||
	    date_parse(s, 10, &y, &m, &d) != 0)
		return (-1);
	*day = deadline_day_from_ymd(y, m, d);
	return (0);
}

/* The arrays are searched by bisection, so they must be strictly sorted. */
int
deadline_cal_check(const struct deadline_cal *cal)
{
	if (cal == NULL)
		return (0);
	if (cal->nholidays > 0 && cal->holidays == NULL)
		return (-1);
	if (cal->nworkdays > 0 && cal->workdays == NULL)
		return (-1);
	if (!deadline_sorted(cal->holidays, cal->nholidays) ||
	    !deadline_sorted(cal->workdays, cal->nworkdays))
		return (-1);
	return (0);
}

int
deadline_is_working_day(int day, const struct deadline_cal *cal)
{
	if (cal != NULL) {
		if (deadline_in_sorted(cal->holidays, cal->nholidays, day))
			return (0);
		if (deadline_in_sorted(cal->workdays, cal->nworkdays, day))
			return (1);
	}
	return (deadline_is_mon_fri(day));
}

/* The first working day strictly after day. */
int
deadline_next_working_day(int day, const struct deadline_cal *cal)
{
	do {
		if (day == INT_MAX)
			return (day);
		day++;
	} while (!deadline_is_working_day(day, cal));

	return (day);
}

/*
 * The n-th working day after start_day (start_day itself never counts);
 * with n < 0, the |n|-th working day before it; with n == 0, start_day.
 */
int
deadline_add_working_days(int start_day, int n, const struct deadline_cal *cal)
{
	int	day;

	day = start_day;
	while (n > 0 && day < INT_MAX) {
		day++;
		if (deadline_is_working_day(day, cal))
			n--;
	}
	while (n < 0 && day > INT_MIN) {
		day--;
		if (deadline_is_working_day(day, cal))
			n++;
	}

	return (day);
}

/*
 * Working days in (from_day, to_day], negated when to_day comes first, so
 * that deadline_add_working_days(a, n) == b implies this returns n for
 * (a, b).  Counted arithmetically: it runs over statistics for any range.
 */
int
deadline_working_days_between(int from_day, int to_day,
    const struct deadline_cal *cal)
{
	long	count;
	size_t	i, lo;
	int	a, b, prev, d;

	if (to_day < from_day)
		return (-deadline_working_days_between(to_day, from_day, cal));
	if (to_day == from_day)
		return (0);

	a = from_day;
	b = to_day;
	count = deadline_mon_fri_before((long)b + 1) -
	    deadline_mon_fri_before((long)a + 1);
	if (cal == NULL)
		return ((int)count);

	lo = deadline_lower_bound(cal->holidays, cal->nholidays, a + 1);
	prev = a;
	for (i = lo; i < cal->nholidays && cal->holidays[i] <= b; i++) {
		d = cal->holidays[i];
		if (d != prev && deadline_is_mon_fri(d))
			count--;
		prev = d;
	}

	lo = deadline_lower_bound(cal->workdays, cal->nworkdays, a + 1);
	prev = a;
	for (i = lo; i < cal->nworkdays && cal->workdays[i] <= b; i++) {
		d = cal->workdays[i];
		if (d != prev && !deadline_is_mon_fri(d) &&
		    !deadline_in_sorted(cal->holidays, cal->nholidays, d))
			count++;
		prev = d;
	}

	return ((int)count);
}

/*
 * The day a contact counts as received: its local date, or the next
 * working day when it came at or after close_hour or on a day off.
 */
int
deadline_received_day(time_t received, const struct deadline_cal *cal,
    int utc_offset_sec, int close_hour)
{
	long	secs;
	int	day;

	day = deadline_local_day(received, utc_offset_sec, &secs);
	if (close_hour < 0)
		close_hour = 0;
	if (!deadline_is_working_day(day, cal) || secs >= close_hour * 3600L)
		day = deadline_next_working_day(day, cal);

	return (day);
}

time_t
deadline_due(time_t received, int working_days,
    const struct deadline_cal *cal, int utc_offset_sec, int close_hour)
{
	int	day;

	day = deadline_received_day(received, cal, utc_offset_sec, close_hour);
	day = deadline_add_working_days(day, working_days, cal);

	return ((time_t)day * DEADLINE_DAY_SECS + (time_t)close_hour * 3600 -
	    utc_offset_sec);
}

/* 1 when answered no later than the due time. */
int
deadline_on_time(time_t received, time_t answered, int working_days,
    const struct deadline_cal *cal, int utc_offset_sec, int close_hour)
{
	return (answered <= deadline_due(received, working_days, cal,
	    utc_offset_sec, close_hour));
}

static int
deadline_local_day(time_t t, int utc_offset_sec, long *secs)
{
	long long	local, day;

	local = (long long)t + utc_offset_sec;
	day = local / DEADLINE_DAY_SECS;
	if (local % DEADLINE_DAY_SECS < 0)
		day--;
	*secs = (long)(local - day * DEADLINE_DAY_SECS);

	if (day > INT_MAX)
		return (INT_MAX);
	if (day < INT_MIN)
		return (INT_MIN);
	return ((int)day);
}

/* Monday to Friday days in [1969-12-29, x), negative for x before it. */
static long
deadline_mon_fri_before(long x)
{
	long	t, weeks, rem;

	t = x + 3;
	weeks = t / 7;
	rem = t % 7;
	if (rem < 0) {
		weeks--;
		rem += 7;
	}
	return (weeks * 5 + (rem < 5 ? rem : 5));
}

static int
deadline_is_mon_fri(int day)
{
	int	wd;

	wd = deadline_weekday(day);
	return (wd >= 1 && wd <= 5);
}

static size_t
deadline_lower_bound(const int *a, size_t n, int key)
{
	size_t	lo, hi, mid;

	lo = 0;
	hi = n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (a[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);
}

static int
deadline_in_sorted(const int *a, size_t n, int key)
{
	size_t	i;

	if (a == NULL || n == 0)
		return (0);
	i = deadline_lower_bound(a, n, key);
	return (i < n && a[i] == key);
}

static int
deadline_sorted(const int *a, size_t n)
{
	size_t	i;

	for (i = 1; i < n; i++) {
		if (a[i - 1] >= a[i])
			return (0);
	}
	return (1);
}

