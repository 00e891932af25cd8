/*
 * deadline.h: due dates counted in working days.
 *
 * Dates are day numbers: days since 1970-01-01 in the proleptic Gregorian
 * calendar (negative before 1970).  A day is a working day when it is not
 * a holiday and is either Monday to Friday or a compensatory working day
 * ("ngày làm bù", usually a Saturday).  A day listed in both arrays is a
 * holiday.
 */

#ifndef DEADLINE_H
#define DEADLINE_H

#include <stddef.h>
#include <time.h>

struct deadline_cal {
	const int	*holidays;	/* sorted ascending */
	size_t		 nholidays;
	const int	*workdays;	/* sorted ascending */
	size_t		 nworkdays;
};

int	deadline_day_from_ymd(int, int, int);
void	deadline_ymd_from_day(int, int *, int *, int *);
int	deadline_weekday(int);
int	deadline_parse_date(const char *, int *);
int	deadline_cal_check(const struct deadline_cal *);
int	deadline_is_working_day(int, const struct deadline_cal *);
int	deadline_next_working_day(int, const struct deadline_cal *);
int	deadline_add_working_days(int, int, const struct deadline_cal *);
int	deadline_working_days_between(int, int, const struct deadline_cal *);
int	deadline_received_day(time_t, const struct deadline_cal *, int, int);
time_t	deadline_due(time_t, int, const struct deadline_cal *, int, int);
int	deadline_on_time(time_t, time_t, int, const struct deadline_cal *,
	    int, int);

#endif /* !DEADLINE_H */
