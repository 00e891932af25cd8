/*
 * schedule.h: the hotline's own hours (schedule.c), apart from the
 * deadline calendar's holidays.  No Janus or glib here, so
 * tests/unit/test_hotline_schedule.c can build it alone.
 */
#ifndef HOTLINE_SCHEDULE_H
#define HOTLINE_SCHEDULE_H

#define HL_SCHED_MAX_SHIFTS	512
#define HL_SCHED_DATE_LEN	10	/* "YYYY-MM-DD" */

/* What a weekday or a date says; AS_CONFIGURED: open_hours decides. */
typedef enum {
	HL_SCHED_AS_CONFIGURED = 0,
	HL_SCHED_CLOSED,
	HL_SCHED_OPEN,			/* [from, to) */
} hl_sched_kind;

typedef struct hl_sched_hours {
	hl_sched_kind	 kind;
	int		 from, to;	/* minutes since midnight */
} hl_sched_hours;

typedef struct hl_sched_shift {
	char		 date[HL_SCHED_DATE_LEN + 1];
	hl_sched_hours	 hours;
} hl_sched_shift;

typedef struct hl_schedule {
	hl_sched_hours	 week[7];	/* [0] Monday ... [6] Sunday */
	hl_sched_shift	 shifts[HL_SCHED_MAX_SHIFTS];
	int		 nshifts;
} hl_schedule;

void	 hl_schedule_init(hl_schedule *);
int	 hl_schedule_line(hl_schedule *, const char *);
int	 hl_schedule_decide(const hl_schedule *, const char *, int, int);
int	 hl_schedule_day(const char *, size_t);
int	 hl_schedule_time(const char *, size_t, int *);
int	 hl_schedule_date_ok(const char *, size_t);

#endif
