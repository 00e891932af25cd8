/*
 * refdata: fields, agencies and the holiday calendar, cached in each
 * worker and refreshed in the background, so forms render and deadlines
 * are computed without a query per request.
 */
#ifndef REFDATA_H
#define REFDATA_H

#include <time.h>

#include "deadline.h"

#define REFDATA_MAX_FIELDS	256
#define REFDATA_MAX_AGENCIES	512
#define REFDATA_MAX_DAYS	2048
#define REFDATA_MAX_LEVELS	99
/* The hotline's schedule lines (hotline_schedule_lines): 7 + 500 lines. */
#define REFDATA_URL_MAX		512
#define REFDATA_HOTLINE_MAX	(508 * 32)

struct ref_field {
	int	id;
	char	code[48];
	char	name[256];
	int	agency_id;
	int	deadline_days;
};

struct ref_agency {
	int	id;
	char	code[40];
	char	name[256];
	char	phone[40];	/* forwarding number, "" if none */
};

/* A ticket level (ticket_levels, migrations/0065): what it implies. */
struct ref_level {
	int	id;
	char	name[256];
	int	agency;			/* handled by an agency, not the center */
	int	deadline_days;
	int	must_forward;		/* the center may not answer it itself */
	int	alert_supervisor;
	int	active;			/* offered in forms */
};

struct refdata {
	struct ref_field	field[REFDATA_MAX_FIELDS];
	int			nfields;
	struct ref_agency	agency[REFDATA_MAX_AGENCIES];
	int			nagencies;
	struct ref_level	level[REFDATA_MAX_LEVELS];
	int			nlevels;
	int			holiday[REFDATA_MAX_DAYS];
	int			workday[REFDATA_MAX_DAYS];
	struct deadline_cal	cal;
	char			hotline[REFDATA_HOTLINE_MAX];	/* lines */
	size_t			hotline_len;
	/* The portal's footer links (channel_settings "portal"), or "". */
	char			province_url[REFDATA_URL_MAX];
	char			public_service_url[REFDATA_URL_MAX];
	int			loaded;
	time_t			loaded_at;
};

extern struct refdata	*refdata;

void			 refdata_init(void);
void			 refdata_reload(void);
const struct ref_field	*refdata_field_by_code(const char *);
const struct ref_field	*refdata_field_by_id(int);
const struct ref_agency	*refdata_agency_by_id(int);
const struct ref_level	*refdata_level_by_id(int);
time_t			 refdata_due(time_t, int);
struct tval;
void			 refdata_view_fields(struct tval *, int);
void			 refdata_view_agencies(struct tval *, int);
void			 refdata_view_levels(struct tval *, int);

#define REFDATA_CLOSE_HOUR	17		/* end of office hours */

#endif
