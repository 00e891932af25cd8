/*
 * calendar.c: the hotline's hours.  Outside them every call goes to
 * voicemail.
 *
 *   open_hours = "mon-fri 07:00-11:30, mon-fri 13:30-17:00, sat 07:30-11:00"
 *   open_hours = "always" | "never"
 *   holidays   = "2026-01-01, 2026-09-02"   (closed all day)
 *   timezone   = "Asia/Ho_Chi_Minh"
 *   calendar_file = "var/calendar.txt", written by the Kore app: the
 *     hotline's own weekday hours and shifts ("hours ..." and "shift ..."
 *     lines, schedule.c), which win over open_hours and holidays, and the
 *     deadline calendar's days ("holiday YYYY-MM-DD", "workday
 *     YYYY-MM-DD"), read for compatibility and counted but no longer
 *     closing the hotline: they move due dates, the hotline stays open
 *     unless its own schedule closes it.  Read again within HL_WATCH_US of
 *     a change (watch.c).
 */
#include <string.h>

#include "hotline.h"
#include "schedule.h"

#define CAL_MAX_SPANS	32
#define CAL_FILE_MAX	(256 * 1024)

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
	/* From calendar_file (hl.lock): */
	hl_schedule	*sched;
	hl_watch	 watch;
} cal;

static int	 cal_parse_span(char *, cal_span *);
static hl_schedule *cal_file_read(const char *, int *, int *);

/* Returns -1 (and stays "always open") on a syntax error. */
int
hl_calendar_load(const char *hours, const char *holidays, const char *tz)
{
	char	**parts;
	int	 i, rc = 0;

	memset(&cal, 0, sizeof(cal));
	cal.sched = g_new(hl_schedule, 1);
	hl_schedule_init(cal.sched);
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

void
hl_calendar_free(void)
{
	g_strfreev(cal.holidays);
	if (cal.tz != NULL)
		g_time_zone_unref(cal.tz);
	g_free(cal.sched);
	memset(&cal, 0, sizeof(cal));
}

/*
 * Called often (the timer thread, hl.lock held): looks at the file every
 * CAL_WATCH_US and reads it again when its time or size changed.  A file
 * that does not parse leaves the days in force as they were.
 */
void
hl_calendar_watch(const char *file)
{
	hl_schedule	*sched;
	int		 hol, work;

	if (cal.sched == NULL ||
	    hl_watch_changed(&cal.watch, file, CAL_FILE_MAX) != 1)
		return;
	if ((sched = cal_file_read(file, &hol, &work)) == NULL)
		return;
	g_free(cal.sched);
	cal.sched = sched;
	JANUS_LOG(LOG_INFO, "hotline: calendar %s: %d holidays, %d workdays "
	    "(deadlines only), %d shifts\n", file, hol, work, sched->nshifts);
}

/* The file's schedule, or NULL (logged) if it does not parse. */
static hl_schedule *
cal_file_read(const char *file, int *hol, int *work)
{
	hl_schedule	*sched;
	gchar		*text = NULL, **lines;
	gsize		 len;
	GError		*err = NULL;
	int		 i, rc = 0;

	if (!g_file_get_contents(file, &text, &len, &err)) {
		JANUS_LOG(LOG_WARN, "hotline: %s: %s\n", file, err->message);
		g_error_free(err);
		return (NULL);
	}
	if (len > CAL_FILE_MAX) {
		JANUS_LOG(LOG_WARN, "hotline: %s: too large\n", file);
		g_free(text);
		return (NULL);
	}
	sched = g_new(hl_schedule, 1);
	hl_schedule_init(sched);
	*hol = *work = 0;
	lines = g_strsplit(text, "\n", -1);
	g_free(text);
	for (i = 0; lines[i] != NULL && rc == 0; i++) {
		char	*l = g_strstrip(lines[i]);
		int	 taken;

		if (l[0] == '\0' || l[0] == '#')
			continue;
		if ((taken = hl_schedule_line(sched, l)) == 1)
			continue;
		len = strlen(l);
		if (taken == 0 && len > 8 && strncmp(l, "holiday ", 8) == 0 &&
		    hl_schedule_date_ok(l + 8, len - 8))
			(*hol)++;
		else if (taken == 0 && len > 8 &&
		    strncmp(l, "workday ", 8) == 0 &&
		    hl_schedule_date_ok(l + 8, len - 8))
			(*work)++;
		else {
			JANUS_LOG(LOG_WARN, "hotline: %s line %d: '%.80s' is not "
			    "\"hours|shift|holiday|workday ...\"; file ignored\n",
			    file, i + 1, l);
			rc = -1;
		}
	}
	g_strfreev(lines);
	if (rc < 0) {
		g_free(sched);
		return (NULL);
	}
	return (sched);
}

/*
 * Whether operators take calls at unix time t (seconds): the hotline's
 * own schedule (calendar_file) first, then the settings.
 */
int
hl_calendar_open(gint64 t)
{
	GDateTime	*dt, *utc;
	char		*date;
	int		 i, dow, min, open;

	utc = g_date_time_new_from_unix_utc(t);
	dt = g_date_time_to_timezone(utc, cal.tz);
	g_date_time_unref(utc);
	date = g_date_time_format(dt, "%Y-%m-%d");
	dow = g_date_time_get_day_of_week(dt);
	min = g_date_time_get_hour(dt) * 60 + g_date_time_get_minute(dt);
	g_date_time_unref(dt);
	open = cal.sched != NULL ?
	    hl_schedule_decide(cal.sched, date, dow, min) : -1;
	for (i = 0; open < 0 && cal.holidays != NULL &&
	    cal.holidays[i] != NULL; i++)
		if (strcmp(cal.holidays[i], date) == 0)
			open = 0;
	g_free(date);
	if (open >= 0)
		return (open);
	if (cal.never)
		return (0);
	if (cal.always)
		return (1);
	for (i = 0, open = 0; i < cal.nspans && !open; i++)
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
		sp->day_from = hl_schedule_day(s, (size_t)(dash - s));
		sp->day_to = hl_schedule_day(dash + 1, strlen(dash + 1));
	} else
		sp->day_from = sp->day_to = hl_schedule_day(s, strlen(s));
	if (sp->day_from < 0 || sp->day_to < sp->day_from)
		return (-1);
	dash = strchr(sp1, '-');
	if (dash == NULL)
		return (-1);
	*dash = '\0';
	if (hl_schedule_time(sp1, strlen(sp1), &sp->min_from) < 0 ||
	    hl_schedule_time(dash + 1, strlen(dash + 1), &sp->min_to) < 0 ||
	    sp->min_to <= sp->min_from)
		return (-1);
	return (0);
}
