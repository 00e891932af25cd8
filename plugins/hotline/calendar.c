/*
 * calendar.c: office hours.  Outside them every call goes to voicemail.
 *
 *   open_hours = "mon-fri 07:00-11:30, mon-fri 13:30-17:00, sat 07:30-11:00"
 *   open_hours = "always" | "never"
 *   holidays   = "2026-01-01, 2026-09-02"   (closed all day)
 *   timezone   = "Asia/Ho_Chi_Minh"
 */
#include <string.h>

#include "hotline.h"

#define CAL_MAX_SPANS	32

typedef struct cal_span {
	int	day_from, day_to;	/* 1 = Monday ... 7 = Sunday */
	int	min_from, min_to;	/* minutes since midnight, [from, to) */
} cal_span;

static struct {
	int		 always, never;
	cal_span	 spans[CAL_MAX_SPANS];
	int		 nspans;
	char		**holidays;
	GTimeZone	*tz;
} cal;

static int	 cal_day(const char *, size_t);
static int	 cal_parse_span(char *, cal_span *);
static int	 cal_parse_time(const char *, int *);

static const char *days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

/* Returns -1 (and stays "always open") on a syntax error. */
int
hl_calendar_load(const char *hours, const char *holidays, const char *tz)
{
	char	**parts;
	int	 i, rc = 0;

	memset(&cal, 0, sizeof(cal));
	cal.tz = g_time_zone_new_identifier(tz != NULL ? tz : "UTC");
	if (cal.tz == NULL) {
		JANUS_LOG(LOG_WARN, "hotline: unknown timezone '%s', using "
		    "UTC\n", tz);
		cal.tz = g_time_zone_new_utc();
		rc = -1;
	}
	cal.holidays = g_strsplit_set(holidays != NULL ? holidays : "", ", ",
	    -1);
	if (hours == NULL || strcmp(hours, "always") == 0) {
		cal.always = 1;
		return (rc);
	}
	if (strcmp(hours, "never") == 0) {
		cal.never = 1;
		return (rc);
	}
	parts = g_strsplit_set(hours, ",;", -1);
	for (i = 0; parts[i] != NULL; i++) {
		g_strstrip(parts[i]);
		if (parts[i][0] == '\0')
			continue;
		if (cal.nspans == CAL_MAX_SPANS ||
		    cal_parse_span(parts[i], &cal.spans[cal.nspans]) < 0) {
			JANUS_LOG(LOG_ERR, "hotline: bad open_hours entry '%s';"
			    " calendar ignored (always open)\n", parts[i]);
			cal.always = 1;
			rc = -1;
			break;
		}
		cal.nspans++;
	}
	g_strfreev(parts);
	return (rc);
}

/* Whether operators take calls at unix time t (seconds). */
int
hl_calendar_open(gint64 t)
{
	GDateTime	*dt, *utc;
	char		*date;
	int		 i, dow, min, open = 0;

	if (cal.never)
		return (0);
	utc = g_date_time_new_from_unix_utc(t);
	dt = g_date_time_to_timezone(utc, cal.tz);
	g_date_time_unref(utc);
	date = g_date_time_format(dt, "%Y-%m-%d");
	for (i = 0; cal.holidays != NULL && cal.holidays[i] != NULL; i++) {
		if (strcmp(cal.holidays[i], date) == 0) {
			g_free(date);
			g_date_time_unref(dt);
			return (0);
		}
	}
	g_free(date);
	if (cal.always) {
		g_date_time_unref(dt);
		return (1);
	}
	dow = g_date_time_get_day_of_week(dt);
	min = g_date_time_get_hour(dt) * 60 + g_date_time_get_minute(dt);
	g_date_time_unref(dt);
	for (i = 0; i < cal.nspans && !open; i++)
		open = dow >= cal.spans[i].day_from &&
		    dow <= cal.spans[i].day_to &&
		    min >= cal.spans[i].min_from && min < cal.spans[i].min_to;
	return (open);
}

/* "mon-fri 07:00-17:00" or "sat 07:30-11:00" */
static int
cal_parse_span(char *s, cal_span *sp)
{
	char	*sp1, *dash;

	sp1 = strchr(s, ' ');
	if (sp1 == NULL)
		return (-1);
	*sp1++ = '\0';
	while (*sp1 == ' ')
		sp1++;
	dash = strchr(s, '-');
	if (dash != NULL) {
		sp->day_from = cal_day(s, (size_t)(dash - s));
		sp->day_to = cal_day(dash + 1, strlen(dash + 1));
	} else
		sp->day_from = sp->day_to = cal_day(s, strlen(s));
	if (sp->day_from < 0 || sp->day_to < sp->day_from)
		return (-1);
	dash = strchr(sp1, '-');
	if (dash == NULL)
		return (-1);
	*dash = '\0';
	if (cal_parse_time(sp1, &sp->min_from) < 0 ||
	    cal_parse_time(dash + 1, &sp->min_to) < 0 ||
	    sp->min_to <= sp->min_from)
		return (-1);
	return (0);
}

static int
cal_day(const char *s, size_t n)
{
	size_t	i;

	if (n != 3)
		return (-1);
	for (i = 0; i < G_N_ELEMENTS(days); i++)
		if (g_ascii_strncasecmp(s, days[i], 3) == 0)
			return ((int)i + 1);
	return (-1);
}

/* "HH:MM", 00:00 to 24:00 */
static int
cal_parse_time(const char *s, int *min)
{
	if (strlen(s) != 5 || !g_ascii_isdigit(s[0]) ||
	    !g_ascii_isdigit(s[1]) || s[2] != ':' ||
	    !g_ascii_isdigit(s[3]) || !g_ascii_isdigit(s[4]))
		return (-1);
	*min = ((s[0] - '0') * 10 + (s[1] - '0')) * 60 +
	    (s[3] - '0') * 10 + (s[4] - '0');
	if (*min > 24 * 60 || (s[3] - '0') > 5)
		return (-1);
	return (0);
}
