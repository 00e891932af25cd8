/*
 * schedule.c: the hotline's own opening hours, as the administrator sets
 * them on /quan-tri/gio-tong-dai (Kore writes them into calendar_file):
 *
 *   hours mon 07:00-17:00	a weekday's hours, [from, to)
 *   hours sun closed
 *   hours sat 00:00-24:00	open all day
 *   shift 2026-09-02 closed	a date the hotline closes
 *   shift 2026-09-03 08:00-12:00	... or opens with other hours
 *
 * A weekday without a line keeps the plugin's open_hours ("always" by
 * default).  The deadline calendar's holidays are not here: they move due
 * dates, they do not close the hotline.
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "schedule.h"

static int	sched_hours(const char *, hl_sched_hours *);
static int	sched_digits(const char *, size_t);

static const char *days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

void
hl_schedule_init(hl_schedule *s)
{
	memset(s, 0, sizeof(*s));
}

/*
 * One line of the file, without its newline and surrounding blanks: 1 a
 * schedule line (taken), 0 not one of ours (the caller's), -1 malformed
 * or one shift too many (nothing taken).  A date given twice keeps its
 * last line.
 */
int
hl_schedule_line(hl_schedule *s, const char *l)
{
	hl_sched_hours	 h;
	int		 d, i;

	if (strncmp(l, "hours ", 6) == 0) {
		if (strlen(l) < 10 || l[9] != ' ' ||
		    (d = hl_schedule_day(l + 6, 3)) < 1 ||
		    sched_hours(l + 10, &h) < 0)
			return (-1);
		s->week[d - 1] = h;
		return (1);
	}
	if (strncmp(l, "shift ", 6) != 0)
		return (0);
	if (strlen(l) < 6 + HL_SCHED_DATE_LEN + 1 ||
	    !hl_schedule_date_ok(l + 6, HL_SCHED_DATE_LEN) ||
	    l[6 + HL_SCHED_DATE_LEN] != ' ' ||
	    sched_hours(l + 6 + HL_SCHED_DATE_LEN + 1, &h) < 0)
		return (-1);
	for (i = 0; i < s->nshifts; i++)
		if (strncmp(s->shifts[i].date, l + 6, HL_SCHED_DATE_LEN) == 0)
			break;
	if (i == HL_SCHED_MAX_SHIFTS)
		return (-1);
	memcpy(s->shifts[i].date, l + 6, HL_SCHED_DATE_LEN);
	s->shifts[i].date[HL_SCHED_DATE_LEN] = '\0';
	s->shifts[i].hours = h;
	if (i == s->nshifts)
		s->nshifts++;
	return (1);
}

/*
 * Open at minute min (since midnight) of date ("YYYY-MM-DD"), weekday dow
 * (1 Monday ... 7 Sunday): 1 open, 0 closed, -1 as configured.  A shift
 * for the date wins over the weekday's hours.
 */
int
hl_schedule_decide(const hl_schedule *s, const char *date, int dow, int min)
{
	const hl_sched_hours	*h = NULL;
	int			 i;

	for (i = 0; i < s->nshifts && h == NULL; i++)
		if (strcmp(s->shifts[i].date, date) == 0)
			h = &s->shifts[i].hours;
	if (h == NULL && dow >= 1 && dow <= 7)
		h = &s->week[dow - 1];
	if (h == NULL || h->kind == HL_SCHED_AS_CONFIGURED)
		return (-1);
	if (h->kind == HL_SCHED_CLOSED)
		return (0);
	return (min >= h->from && min < h->to);
}

/* "mon" ... "sun" (any case), n bytes: 1 ... 7, or -1. */
int
hl_schedule_day(const char *s, size_t n)
{
	size_t	i;

	if (n != 3)
		return (-1);
	for (i = 0; i < sizeof(days) / sizeof(days[0]); i++)
		if (strncasecmp(s, days[i], 3) == 0)
			return ((int)i + 1);
	return (-1);
}

/* "HH:MM" in n bytes, 00:00 to 24:00: 0 and the minutes, or -1. */
int
hl_schedule_time(const char *s, size_t n, int *min)
{
	if (n != 5 || !sched_digits(s, 2) || s[2] != ':' ||
	    !sched_digits(s + 3, 2))
		return (-1);
	*min = ((s[0] - '0') * 10 + (s[1] - '0')) * 60 +
	    (s[3] - '0') * 10 + (s[4] - '0');
	if (*min > 24 * 60 || (s[3] - '0') > 5)
		return (-1);
	return (0);
}

/* YYYY-MM-DD in n bytes, digits where they belong (compared as text). */
int
hl_schedule_date_ok(const char *s, size_t n)
{
	if (n != HL_SCHED_DATE_LEN || s[4] != '-' || s[7] != '-')
		return (0);
	return (sched_digits(s, 4) && sched_digits(s + 5, 2) &&
	    sched_digits(s + 8, 2));
}

/* "closed" or "HH:MM-HH:MM" with from < to. */
static int
sched_hours(const char *s, hl_sched_hours *h)
{
	if (strcmp(s, "closed") == 0) {
		h->kind = HL_SCHED_CLOSED;
		h->from = h->to = 0;
		return (0);
	}
	if (strlen(s) != 11 || s[5] != '-' ||
	    hl_schedule_time(s, 5, &h->from) < 0 ||
	    hl_schedule_time(s + 6, 5, &h->to) < 0 || h->to <= h->from)
		return (-1);
	h->kind = HL_SCHED_OPEN;
	return (0);
}

static int
sched_digits(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return (0);
	return (1);
}
