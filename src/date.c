/*
 * date: calendar dates as people and files write them: "2026-01-31"
 * (ISO, files and forms) or "31/01/2026" (as Vietnamese write it).  Each
 * caller says which years it takes.  And the center's time zone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"

int
date_days_in_month(int y, int m)
{
	static const int	days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m < 1 || m > 12)
		return (0);
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return (29);
	return (days[m - 1]);
}

/*
 * "YYYY-MM-DD" or "DD/MM/YYYY", exactly ten characters, a day that
 * exists: 0 and *y, *m, *d; -1 otherwise.
 */
int
date_parse(const char *s, size_t len, int *y, int *m, int *d)
{
	const char	*yp, *mp, *dp;
	int		 i, iso;

	if (s == NULL || len != 10)
		return (-1);
	iso = s[4] == '-' && s[7] == '-';
	if (!iso && !(s[2] == '/' && s[5] == '/'))
		return (-1);
	for (i = 0; i < 10; i++) {
		if (iso ? (i == 4 || i == 7) : (i == 2 || i == 5))
			continue;
		if (s[i] < '0' || s[i] > '9')
			return (-1);
	}
	yp = iso ? s : s + 6;
	mp = iso ? s + 5 : s + 3;
	dp = iso ? s + 8 : s;
	*y = (yp[0] - '0') * 1000 + (yp[1] - '0') * 100 + (yp[2] - '0') * 10 +
	    (yp[3] - '0');
	*m = (mp[0] - '0') * 10 + (mp[1] - '0');
	*d = (dp[0] - '0') * 10 + (dp[1] - '0');
	if (*d < 1 || *d > date_days_in_month(*y, *m))
		return (-1);
	return (0);
}

/*
 * A local time as a browser's datetime-local field sends it,
 * "YYYY-MM-DDTHH:MM" or with ":SS" (a blank for the T too), in the zone
 * set by date_set_zone(): 0 and the instant in *t, -1 if it is not one.
 */
int
date_parse_local(const char *s, size_t len, time_t *t)
{
	struct tm	tm;
	const char	*p;
	int		 y, m, d, hh, mm, ss, i;

	if (s == NULL || (len != 16 && len != 19) || (s[10] != 'T' &&
	    s[10] != ' ') || date_parse(s, 10, &y, &m, &d) != 0 ||
	    y < DATE_YEAR_MIN || y > DATE_YEAR_MAX)
		return (-1);
	p = s + 11;
	for (i = 0; i < (int)len - 11; i++) {
		if (i % 3 == 2 ? p[i] != ':' : (p[i] < '0' || p[i] > '9'))
			return (-1);
	}
	hh = (p[0] - '0') * 10 + (p[1] - '0');
	mm = (p[3] - '0') * 10 + (p[4] - '0');
	ss = len == 19 ? (p[6] - '0') * 10 + (p[7] - '0') : 0;
	if (hh > 23 || mm > 59 || ss > 59)
		return (-1);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	tm.tm_isdst = -1;
	if ((*t = mktime(&tm)) == (time_t)-1)
		return (-1);
	return (0);
}

/*
 * "2026-01-31" or "31/01/2026" → "2026-01-31" in out, if such a day
 * exists between DATE_YEAR_MIN and DATE_YEAR_MAX: 0; -1 otherwise.
 */
int
date_day_iso(const char *s, char *out, size_t outlen)
{
	int	y, m, d;

	if (s == NULL || date_parse(s, strlen(s), &y, &m, &d) != 0 ||
	    y < DATE_YEAR_MIN || y > DATE_YEAR_MAX || outlen < 11)
		return (-1);
	(void)snprintf(out, outlen, "%04d-%02d-%02d", y, m, d);
	return (0);
}

/*
 * The center's time zone, set once at start (app.c): every local date
 * in C (localtime_r) and in SQL (libpq sends PGTZ as the session's
 * TimeZone, so to_char() and ::date need no AT TIME ZONE) follows it.
 * An IANA name with a zone file under /usr/share/zoneinfo: 0; else -1
 * and nothing changes.  Deadlines count working days with the offset of
 * their start (refdata_due): right for Việt Nam, which has no summer
 * time.
 */
int
date_set_zone(const char *tz)
{
	char		path[256], magic[4];
	size_t		len;
	FILE		*f;
	int		ok;

	len = strlen(tz);
	if (len == 0 || len > 64 || tz[0] == '/' || strstr(tz, "..") != NULL ||
	    strspn(tz, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_+-/") != len)
		return (-1);
	(void)snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
	/* A zone file (magic "TZif"), not a folder such as "Asia". */
	if ((f = fopen(path, "rb")) == NULL)
		return (-1);
	ok = fread(magic, 1, sizeof(magic), f) == sizeof(magic) &&
	    memcmp(magic, "TZif", 4) == 0;
	(void)fclose(f);
	if (!ok)
		return (-1);
	if (setenv("TZ", tz, 1) != 0 || setenv("PGTZ", tz, 1) != 0)
		return (-1);
	tzset();
	return (0);
}

/* Seconds east of UTC at t in the zone set above (+25200 in Việt Nam). */
long
date_utc_offset(time_t t)
{
	struct tm	tm;

	if (localtime_r(&t, &tm) == NULL)
		return (0);
	return (tm.tm_gmtoff);
}

/*
 * How long something has waited, as an operator reads it: "dưới 1 phút",
 * "12 phút", "3 giờ 5 phút", "2 ngày 4 giờ".  buf holds at least 32 bytes.
 */
void
date_span_vi(long long secs, char *buf, size_t len)
{
	long long	m, h, d;

	if (secs < 60) {
		(void)snprintf(buf, len, "dưới 1 phút");
		return;
	}
	m = secs / 60;
	h = m / 60;
	d = h / 24;
	if (d > 0)
		(void)snprintf(buf, len, "%lld ngày %lld giờ", d, h % 24);
	else if (h > 0)
		(void)snprintf(buf, len, "%lld giờ %lld phút", h, m % 60);
	else
		(void)snprintf(buf, len, "%lld phút", m);
}
