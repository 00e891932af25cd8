/*
 * date: calendar dates as people and files write them, and the time zone.
 * No Kore.
 */
#ifndef DATE_H
#define DATE_H

#include <stddef.h>
#include <time.h>

#define DATE_ZONE_DEFAULT	"Asia/Ho_Chi_Minh"

int	date_days_in_month(int, int);
int	date_parse(const char *, size_t, int *, int *, int *);
#define DATE_YEAR_MIN	2000	/* the days a report may ask for */
#define DATE_YEAR_MAX	2100
int	date_day_iso(const char *, char *, size_t);
int	date_parse_local(const char *, size_t, time_t *);
int	date_set_zone(const char *);
long	date_utc_offset(time_t);
void	date_span_vi(long long, char *, size_t);

#endif
