/*
 * calendar.c: office hours.  Outside them every call goes to voicemail.
 *
 *   open_hours = "mon-fri 07:00-11:30, mon-fri 13:30-17:00, sat 07:30-11:00"
 *   open_hours = "always" | "never"
 *   holidays   = "2026-01-01, 2026-09-02"   (closed all day)
 *   timezone   = "Asia/Ho_Chi_Minh"
 *   calendar_file = "var/calendar.txt", written by the Kore app from its
 *     calendar (one "holiday YYYY-MM-DD" or "workday YYYY-MM-DD" a line):
 *     read again within HL_WATCH_US of a change (watch.c).  A holiday there is closed
 *     like one in "holidays"; a workday (a Saturday worked to make up for a
 *     bridge holiday) keeps Monday's hours.
 */
#include <string.h>

#include "hotline.h"

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
	GHashTable	*file_holidays;	/* "YYYY-MM-DD" set */
	GHashTable	*file_workdays;
	hl_watch	 watch;
} cal;

static int	 cal_day(const char *, size_t);
static int	 cal_parse_span(char *, cal_span *);
static int	 cal_parse_time(const char *, int *);
static int	 cal_date_ok(const char *);
static int	 cal_file_read(const char *, GHashTable **, GHashTable **);

static const char *days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

/* Returns -1 (and stays "always open") on a syntax error. */
int
hl_calendar_load(const char *hours, const char *holidays, const char *tz)
{
	char	**parts;
	int	 i, rc = 0;

	memset(&cal, 0, sizeof(cal));
	cal.file_holidays = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, NULL);
	cal.file_workdays = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, NULL);
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
	if (cal.file_holidays != NULL)
		g_hash_table_destroy(cal.file_holidays);
	if (cal.file_workdays != NULL)
		g_hash_table_destroy(cal.file_workdays);
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
	GHashTable	*hol, *work;

	if (cal.file_holidays == NULL ||
	    hl_watch_changed(&cal.watch, file, CAL_FILE_MAX) != 1)
		return;
	if (cal_file_read(file, &hol, &work) < 0)
		return;
	g_hash_table_destroy(cal.file_holidays);
	g_hash_table_destroy(cal.file_workdays);
	cal.file_holidays = hol;
	cal.file_workdays = work;
	JANUS_LOG(LOG_INFO, "hotline: calendar %s: %u holidays, %u workdays\n",
	    file, g_hash_table_size(hol), g_hash_table_size(work));
}

static int
cal_file_read(const char *file, GHashTable **hol, GHashTable **work)
{
	gchar		*text = NULL, **lines;
	gsize		 len;
	GError		*err = NULL;
	int		 i, rc = 0;

	if (!g_file_get_contents(file, &text, &len, &err)) {
		JANUS_LOG(LOG_WARN, "hotline: %s: %s\n", file, err->message);
		g_error_free(err);
		return (-1);
	}
	if (len > CAL_FILE_MAX) {
		JANUS_LOG(LOG_WARN, "hotline: %s: too large\n", file);
		g_free(text);
		return (-1);
	}
	*hol = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	*work = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	lines = g_strsplit(text, "\n", -1);
	g_free(text);
	for (i = 0; lines[i] != NULL && rc == 0; i++) {
		char	*l = g_strstrip(lines[i]);

		if (l[0] == '\0' || l[0] == '#')
			continue;
		if (strncmp(l, "holiday ", 8) == 0 && cal_date_ok(l + 8))
			g_hash_table_add(*hol, g_strdup(l + 8));
		else if (strncmp(l, "workday ", 8) == 0 && cal_date_ok(l + 8))
			g_hash_table_add(*work, g_strdup(l + 8));
		else {
			JANUS_LOG(LOG_WARN, "hotline: %s line %d: '%.80s' is not "
			    "\"holiday|workday YYYY-MM-DD\"; file ignored\n",
			    file, i + 1, l);
			rc = -1;
		}
	}
	g_strfreev(lines);
	if (rc < 0) {
		g_hash_table_destroy(*hol);
		g_hash_table_destroy(*work);
	}
	return (rc);
}

/* YYYY-MM-DD, digits where they belong (the rest is compared as text). */
static int
cal_date_ok(const char *s)
{
	int	i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return (0);
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !g_ascii_isdigit(s[i]))
			return (0);
	return (1);
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
	if (cal.file_holidays != NULL &&
	    g_hash_table_contains(cal.file_holidays, date)) {
		g_free(date);
		g_date_time_unref(dt);
		return (0);
	}
	if (cal.always) {
		g_free(date);
		g_date_time_unref(dt);
		return (1);
	}
	dow = g_date_time_get_day_of_week(dt);
	if (cal.file_workdays != NULL &&
	    g_hash_table_contains(cal.file_workdays, date))
		dow = 1;
	g_free(date);
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
