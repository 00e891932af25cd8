/*
 * refdata: one background query loads fields, agencies and calendar days
 * into a fresh copy, which replaces the old one only when complete.  Each
 * worker holds its own copy: a change an administrator makes is announced
 * to every worker (a Kore message), and each reloads at once; a timer
 * reloads anyway every minute (a change made with psql, say).
 */
#include <fcntl.h>

#include "app.h"
#include "date.h"
#include "refdata.h"

#define REFRESH_MS	60000
#define MSG_RELOAD	(KORE_MSG_APP_BASE + 1)

static void	refdata_timer(void *, u_int64_t);
static void	refdata_row_cb(struct kore_pgsql *, int, void *);
static void	refdata_done(int, void *);
static void	refdata_start(void);
static void	refdata_row(struct refdata *, struct kore_pgsql *, int);
static void	refdata_msg(struct kore_msg *, const void *);
static void	calendar_file_write(const struct refdata *);
static void	transfer_file_write(const struct refdata *);
static int	transfers_changed(const struct refdata *, const struct refdata *);
static void	hotline_file_write(const char *, struct sbuf *);

struct refdata		*refdata;
static struct refdata	*loading;
static struct dbjob	 refdata_job;
static int		 refdata_again;	/* a change came during a load */

static const char	SQL_REFDATA[] =
    "SELECT 'f', id, code, name, coalesce(default_agency_id, 0), deadline_days, sort, "
    "'' FROM fields WHERE active "
    "UNION ALL SELECT 'a', id, code, name, 0, 0, 0, coalesce(phone, '') "
    "FROM agencies WHERE active "
    "UNION ALL SELECT 'l', id, handler, name, deadline_days, "
    "must_forward::integer + 2 * alert_supervisor::integer + 4 * active::integer, "
    "id, '' FROM ticket_levels "
    "UNION ALL SELECT 'c', 0, kind, to_char(day, 'YYYY-MM-DD'), 0, 0, 0, '' "
    "FROM calendar_days "
    "UNION ALL SELECT 'h', 0, '', line, 0, 0, ord, '' "
    "FROM hotline_schedule_lines "
    "UNION ALL SELECT 'p', 0, name, value, 0, 0, 0, '' "
    "FROM channel_settings WHERE channel = 'portal' ORDER BY 1, 7, 4";

void
refdata_init(void)
{
	refdata = kore_calloc(1, sizeof(*refdata));
	/* From the event loop: at configure time the worker cannot wait yet. */
	kore_timer_add(refdata_timer, 1, NULL, 1);
	kore_timer_add(refdata_timer, REFRESH_MS, NULL, 0);
	if (!kore_msg_register(MSG_RELOAD, refdata_msg))
		fatal("refdata: cannot register the reload message");
}

/* After an administrator changes fields, agencies or the calendar: every
 * worker, this one included, reloads. */
void
refdata_reload(void)
{
	refdata_start();
	kore_msg_send(KORE_MSG_WORKER_ALL, MSG_RELOAD, NULL, 0);
}

static void
refdata_msg(struct kore_msg *msg, const void *data)
{
	/* The sender has started its own load already. */
	if (worker != NULL && msg->src == worker->id)
		return;
	refdata_start();
}

static void
refdata_timer(void *arg, u_int64_t now)
{
	refdata_start();
}

static void
refdata_start(void)
{
	/* A load under way may have read the old rows: load once more. */
	if (refdata_job.busy) {
		refdata_again = 1;
		return;
	}
	refdata_again = 0;
	loading = kore_calloc(1, sizeof(*loading));
	(void)dbjob_start(&refdata_job, SQL_REFDATA, refdata_row_cb,
	    refdata_done, NULL);
}

static void
refdata_row_cb(struct kore_pgsql *sql, int i, void *arg)
{
	refdata_row(loading, sql, i);
}

/*
 * Swap in the new copy if it loaded without error.  A connection lost
 * mid-query can also end with no rows; a province always has fields, so
 * an empty load keeps the old copy.
 */
static void
refdata_done(int ok, void *arg)
{
	int	cal_changed, tr_changed;

	if (ok && loading->nfields > 0) {
		loading->cal.holidays = loading->holiday;
		loading->cal.workdays = loading->workday;
		loading->loaded = 1;
		loading->loaded_at = time(NULL);
		kore_log(LOG_INFO, "refdata: %d fields, %d agencies, %zu holidays",
		    loading->nfields, loading->nagencies, loading->cal.nholidays);
		/* The hotline's copy changes only with the calendar. */
		cal_changed = !refdata->loaded ||
		    loading->cal.nholidays != refdata->cal.nholidays ||
		    loading->cal.nworkdays != refdata->cal.nworkdays ||
		    memcmp(loading->holiday, refdata->holiday,
		    loading->cal.nholidays * sizeof(int)) != 0 ||
		    memcmp(loading->workday, refdata->workday,
		    loading->cal.nworkdays * sizeof(int)) != 0 ||
		    loading->hotline_len != refdata->hotline_len ||
		    memcmp(loading->hotline, refdata->hotline,
		    loading->hotline_len) != 0;
		tr_changed = transfers_changed(refdata, loading);
		kore_free(refdata);
		refdata = loading;
		loading = NULL;
		if (cal_changed)
			calendar_file_write(refdata);
		if (tr_changed)
			transfer_file_write(refdata);
	}
	kore_free(loading);
	loading = NULL;
	if (refdata_again)
		refdata_start();
}

static void
refdata_row(struct refdata *r, struct kore_pgsql *sql, int i)
{
	const char	*kind;
	int		 day;

	kind = kore_pgsql_getvalue(sql, i, 0);
	if (kind[0] == 'f' && r->nfields < REFDATA_MAX_FIELDS) {
		struct ref_field *f = &r->field[r->nfields++];
		f->id = atoi(kore_pgsql_getvalue(sql, i, 1));
		kore_strlcpy(f->code, kore_pgsql_getvalue(sql, i, 2), sizeof(f->code));
		kore_strlcpy(f->name, kore_pgsql_getvalue(sql, i, 3), sizeof(f->name));
		f->agency_id = atoi(kore_pgsql_getvalue(sql, i, 4));
		f->deadline_days = atoi(kore_pgsql_getvalue(sql, i, 5));
	} else if (kind[0] == 'a' && r->nagencies < REFDATA_MAX_AGENCIES) {
		struct ref_agency *a = &r->agency[r->nagencies++];
		a->id = atoi(kore_pgsql_getvalue(sql, i, 1));
		kore_strlcpy(a->code, kore_pgsql_getvalue(sql, i, 2), sizeof(a->code));
		kore_strlcpy(a->name, kore_pgsql_getvalue(sql, i, 3), sizeof(a->name));
		kore_strlcpy(a->phone, kore_pgsql_getvalue(sql, i, 7), sizeof(a->phone));
	} else if (kind[0] == 'l' && r->nlevels < REFDATA_MAX_LEVELS) {
		struct ref_level *l = &r->level[r->nlevels++];
		int flags = atoi(kore_pgsql_getvalue(sql, i, 5));
		l->id = atoi(kore_pgsql_getvalue(sql, i, 1));
		l->agency = strcmp(kore_pgsql_getvalue(sql, i, 2), "agency") == 0;
		kore_strlcpy(l->name, kore_pgsql_getvalue(sql, i, 3), sizeof(l->name));
		l->deadline_days = atoi(kore_pgsql_getvalue(sql, i, 4));
		l->must_forward = (flags & 1) != 0;
		l->alert_supervisor = (flags & 2) != 0;
		l->active = (flags & 4) != 0;
	} else if (kind[0] == 'c') {
		if (deadline_parse_date(kore_pgsql_getvalue(sql, i, 3), &day) != 0)
			return;
		/* Rows come sorted by date, as deadline_cal requires. */
		if (strcmp(kore_pgsql_getvalue(sql, i, 2), "holiday") == 0) {
			if (r->cal.nholidays < REFDATA_MAX_DAYS)
				r->holiday[r->cal.nholidays++] = day;
		} else if (r->cal.nworkdays < REFDATA_MAX_DAYS) {
			r->workday[r->cal.nworkdays++] = day;
		}
	} else if (kind[0] == 'p') {
		/* The footer's links: http(s) only, else the default. */
		const char	*name = kore_pgsql_getvalue(sql, i, 2);
		const char	*url = kore_pgsql_getvalue(sql, i, 3);

		if (strncmp(url, "https://", 8) != 0 &&
		    strncmp(url, "http://", 7) != 0)
			return;
		if (strcmp(name, "province_url") == 0)
			kore_strlcpy(r->province_url, url,
			    sizeof(r->province_url));
		else if (strcmp(name, "public_service_url") == 0)
			kore_strlcpy(r->public_service_url, url,
			    sizeof(r->public_service_url));
	} else if (kind[0] == 'h') {
		const char	*line = kore_pgsql_getvalue(sql, i, 3);
		size_t		 len = strlen(line);

		/* The view makes them; a line that does not fit is left out
		 * whole, never cut. */
		if (len + 1 < sizeof(r->hotline) - r->hotline_len) {
			memcpy(r->hotline + r->hotline_len, line, len);
			r->hotline_len += len;
			r->hotline[r->hotline_len++] = '\n';
		}
	}
}

const struct ref_field *
refdata_field_by_code(const char *code)
{
	int	i;

	for (i = 0; i < refdata->nfields; i++) {
		if (strcmp(refdata->field[i].code, code) == 0)
			return (&refdata->field[i]);
	}
	return (NULL);
}

const struct ref_field *
refdata_field_by_id(int id)
{
	int	i;

	for (i = 0; i < refdata->nfields; i++) {
		if (refdata->field[i].id == id)
			return (&refdata->field[i]);
	}
	return (NULL);
}

const struct ref_agency *
refdata_agency_by_id(int id)
{
	int	i;

	for (i = 0; i < refdata->nagencies; i++) {
		if (refdata->agency[i].id == id)
			return (&refdata->agency[i]);
	}
	return (NULL);
}

/* A level by its id, active or not (a ticket keeps a retired level). */
const struct ref_level *
refdata_level_by_id(int id)
{
	int	i;

	for (i = 0; i < refdata->nlevels; i++) {
		if (refdata->level[i].id == id)
			return (&refdata->level[i]);
	}
	return (NULL);
}

/* Due time for a contact received at t, n working days later. */
time_t
refdata_due(time_t t, int n)
{
	refdata->cal.holidays = refdata->holiday;
	refdata->cal.workdays = refdata->workday;
	return (deadline_due(t, n, &refdata->cal, (int)date_utc_offset(t),
	    REFDATA_CLOSE_HOUR));
}

void
refdata_view_fields(struct tval *view, int selected)
{
	struct tval	*list, *o;
	int		 i;

	list = tval_set_list(view, "fields");
	for (i = 0; i < refdata->nfields; i++) {
		o = tval_list_add(list);
		tval_setf(o, "id", "%d", refdata->field[i].id);
		tval_set(o, "code", refdata->field[i].code);
		tval_set(o, "name", refdata->field[i].name);
		tval_setf(o, "deadline_days", "%d", refdata->field[i].deadline_days);
		tval_set_bool(o, "selected", refdata->field[i].id == selected);
	}
}

void
refdata_view_agencies(struct tval *view, int selected)
{
	struct tval	*list, *o;
	int		 i;

	list = tval_set_list(view, "agencies");
	for (i = 0; i < refdata->nagencies; i++) {
		o = tval_list_add(list);
		tval_setf(o, "id", "%d", refdata->agency[i].id);
		tval_set(o, "code", refdata->agency[i].code);
		tval_set(o, "name", refdata->agency[i].name);
		tval_set_bool(o, "selected", refdata->agency[i].id == selected);
	}
}

/*
 * ${VAR_DIR}/calendar.txt, which janus.plugin.hotline reads again when it
 * changes (docs/hotline-api.md): the hotline's own schedule ("hours" and
 * "shift" lines, /quan-tri/gio-tong-dai), which decides when it is open,
 * and the deadline calendar's days, which no longer close it.  Written
 * when either changed (hotline_file_write).
 */
static void
calendar_file_write(const struct refdata *r)
{
	struct sbuf	 b;
	size_t		 i;
	int		 y, m, d;

	sbuf_init(&b);
	sbuf_lit(&b, "# Tổng đài 1022: ngày nghỉ (holiday) và ngày làm bù (workday) "
	    "từ bảng calendar_days.\n# Kore viết lại sau mỗi thay đổi ở "
	    "/quan-tri/lich; đừng sửa tay.\n# Giờ tổng đài (hours, shift) "
	    "từ /quan-tri/gio-tong-dai.\n");
	sbuf_append(&b, r->hotline, r->hotline_len);
	for (i = 0; i < r->cal.nholidays; i++) {
		deadline_ymd_from_day(r->holiday[i], &y, &m, &d);
		sbuf_appendf(&b, "holiday %04d-%02d-%02d\n", y, m, d);
	}
	for (i = 0; i < r->cal.nworkdays; i++) {
		deadline_ymd_from_day(r->workday[i], &y, &m, &d);
		sbuf_appendf(&b, "workday %04d-%02d-%02d\n", y, m, d);
	}
	hotline_file_write("calendar.txt", &b);
	sbuf_free(&b);
}

/*
 * The numbers the hotline may forward calls to: every active agency's
 * forwarding number, ${VAR_DIR}/transfer-numbers.txt, one
 * "agency NUMBER AGENCY_ID NAME" a line (docs/hotline-api.md).  Any other
 * number the plugin refuses to dial: no toll fraud through a transfer.
 */
static void
transfer_file_write(const struct refdata *r)
{
	struct sbuf	 b;
	char		 name[sizeof(r->agency[0].name)], *p;
	int		 i;

	sbuf_init(&b);
	sbuf_lit(&b, "# Tổng đài 1022: số máy chuyển tiếp của các cơ quan (bảng agencies).\n"
	    "# Kore viết lại sau mỗi thay đổi ở /quan-tri; đừng sửa tay.\n");
	for (i = 0; i < r->nagencies; i++) {
		if (r->agency[i].phone[0] == '\0')
			continue;
		/* One line each, whatever the name holds. */
		(void)kore_strlcpy(name, r->agency[i].name, sizeof(name));
		for (p = name; *p != '\0'; p++)
			if ((unsigned char)*p < 0x20)
				*p = ' ';
		sbuf_appendf(&b, "agency %s %d %s\n", r->agency[i].phone,
		    r->agency[i].id, name);
	}
	hotline_file_write("transfer-numbers.txt", &b);
	sbuf_free(&b);
}

/* Whether the agencies' numbers differ between two loads. */
static int
transfers_changed(const struct refdata *old, const struct refdata *new)
{
	int	i;

	if (!old->loaded || old->nagencies != new->nagencies)
		return (1);
	for (i = 0; i < new->nagencies; i++) {
		if (old->agency[i].id != new->agency[i].id ||
		    strcmp(old->agency[i].phone, new->agency[i].phone) != 0 ||
		    strcmp(old->agency[i].name, new->agency[i].name) != 0)
			return (1);
	}
	return (0);
}

/*
 * A file of ${VAR_DIR} the hotline plugin reads: written aside and
 * renamed, so either worker may write it and the plugin never reads half
 * a file.
 */
static void
hotline_file_write(const char *name, struct sbuf *b)
{
	char	 path[PATH_MAX], tmp[PATH_MAX];
	int	 fd, ok;

	(void)snprintf(path, sizeof(path), "%s/%s", app.var_dir, name);
	(void)snprintf(tmp, sizeof(tmp), "%s/%s.%d", app.var_dir, name,
	    (int)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1) {
		kore_log(LOG_ERR, "refdata: cannot write %s: %s", tmp,
		    strerror(errno));
		return;
	}
	ok = write(fd, b->data, b->len) == (ssize_t)b->len && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) == -1) {
		kore_log(LOG_ERR, "refdata: cannot write %s: %s", path,
		    strerror(errno));
		(void)unlink(tmp);
	}
}

/* The active levels, for a form's select; selected stays even if retired. */
void
refdata_view_levels(struct tval *view, int selected)
{
	struct tval	*list, *o;
	int		 i;

	list = tval_set_list(view, "levels");
	for (i = 0; i < refdata->nlevels; i++) {
		if (!refdata->level[i].active && refdata->level[i].id != selected)
			continue;
		o = tval_list_add(list);
		tval_setf(o, "n", "%d", refdata->level[i].id);
		tval_set(o, "text", refdata->level[i].name);
		tval_setf(o, "deadline_days", "%d", refdata->level[i].deadline_days);
		tval_set_bool(o, "selected", refdata->level[i].id == selected);
	}
}
