/*
 * ticket: the one way a contact becomes a ticket, whatever its channel.
 *
 *   channel's form ─▶ ticket_read() ─▶ ticket_seal() ─▶ ticket_store()
 *   (field names,      the limits of     dedupe key,       ticket_submit():
 *    its own words)    ticket.h          code, due date    contact, ticket,
 *                                                          first event
 *
 * The portal form, the JSON API and Open311 (tickets.c), an operator's
 * phone ticket (console.c) read their fields here; a voicemail
 * (calls.c) is made in SQL by the same ticket_submit() with the code and
 * due date from ticket_code_due().  The channels of the next issues (mail,
 * chat, Zalo, Facebook) fill a struct ticket_new and call the same three.
 */
#include <sodium.h>
#include <time.h>

#include "app.h"
#include "code.h"
#include "date.h"
#include "refdata.h"
#include "ticket.h"
#include "valid.h"
#include "workflow.h"

/*
 * $1 code, $2 channel, $3 name, $4 phone, $5 e-mail, $6 field id, $7
 * title, $8 content, $9 dedupe key, $10 due, $11 rate-limit key and $12
 * its limit per window (no key: no limit), $13 the operator who typed it
 * (none: the citizen did), $14 the type, $15 the level, $16 when it was
 * received (none: now).  migrations/0065_levels.sql.
 */
static const char	SQL_SUBMIT[] =
    "SELECT id, code, created FROM ticket_submit("
    "$1, $2, $3, NULLIF($4, ''), NULLIF($5, ''), NULLIF($6, '')::integer, $7, $8, $9, "
    "$10::timestamptz, NULLIF($11, ''), $12::integer, " TICKET_RATE_WINDOW_SEC
    ", NULLIF($13, '')::integer, " TICKET_DEDUPE_WINDOW_SEC ", "
    "p_kind => NULLIF($14, ''), p_level => NULLIF($15, '')::smallint, "
    "p_received_at => NULLIF($16, '')::timestamptz)";

static int	ticket_read_staff(struct web *, struct ticket_new *, char *,
		    size_t, const char **);
static void	ticket_code_due_from(time_t, int, char *, char *);

/*
 * The fields of w's form, checked against ticket.h's limits, in the words
 * of the channel's form f.  0, or -1 with the message in err and the
 * field's name in *bad.
 */
int
ticket_read(struct web *w, const struct ticket_form *f, struct ticket_new *t,
    char *err, size_t errlen, const char **bad)
{
	const struct ref_field	*rf;
	const char		*v;
	size_t			 len;

	t->channel = f->channel;
	t->key_prefix = f->key_prefix;

	*bad = "name";
	if (web_text(w, "name", TICKET_NAME_MAX_CHARS, 0, f->name_required,
	    t->name, sizeof(t->name), "Họ và tên", err, errlen) == -1)
		return (-1);

	*bad = "phone";
	v = web_arg(w, "phone", &len);
	if ((v == NULL || len == 0) && !f->phone_optional) {
		(void)snprintf(err, errlen, "%s", f->phone_missing);
		return (-1);
	}
	if (v != NULL && len > 0 && (len > 32 || strlen(v) != len ||
	    valid_phone_vn(v, t->phone, sizeof(t->phone)) != VALID_OK)) {
		(void)snprintf(err, errlen, "%s", f->phone_invalid);
		return (-1);
	}

	*bad = "email";
	v = f->email ? web_arg(w, "email", &len) : NULL;
	if (v != NULL && len > 0) {
		if (len > TICKET_EMAIL_MAX_BYTES ||
		    strlen(v) != len || !valid_email(v, len)) {
			(void)snprintf(err, errlen, "Địa chỉ e-mail không hợp lệ.");
			return (-1);
		}
		memcpy(t->email, v, len + 1);
	}

	/* A field by its code or its id; "khong-ro": the citizen can't say. */
	*bad = "field";
	v = web_arg(w, "field", &len);
	if (v != NULL && len > 0 && strcmp(v, "khong-ro") != 0) {
		rf = NULL;
		if (len < 48 && strlen(v) == len) {
			if (f->field_by_code)
				rf = refdata_field_by_code(v);
			if (rf == NULL && len < 10 &&
			    strspn(v, "0123456789") == len)
				rf = refdata_field_by_id(atoi(v));
		}
		if (rf == NULL) {
			(void)snprintf(err, errlen, "Lĩnh vực không hợp lệ.");
			return (-1);
		}
		t->field_id = rf->id;
		(void)snprintf(t->field_id_s, sizeof(t->field_id_s), "%d", rf->id);
	}

	/* The type: any form may ask it (the portal lets the citizen say). */
	*bad = "kind";
	v = web_arg(w, "kind", &len);
	if (v != NULL && len > 0) {
		if (len >= sizeof(t->kind) || strlen(v) != len ||
		    workflow_kind_vi(v) == NULL) {
			(void)snprintf(err, errlen, "Loại phiếu không hợp lệ.");
			return (-1);
		}
		memcpy(t->kind, v, len + 1);
	}
	if (f->staff && ticket_read_staff(w, t, err, errlen, bad) == -1)
		return (-1);

	*bad = "title";
	if (web_text(w, "title", TICKET_TITLE_MAX_CHARS, 0, 1, t->title,
	    sizeof(t->title), f->title_label, err, errlen) == -1)
		return (-1);
	*bad = "content";
	if (t->content == NULL)
		t->content = kore_calloc(1, TICKET_CONTENT_BYTES);
	if (web_text(w, "content", TICKET_CONTENT_MAX_CHARS, 1, 1, t->content,
	    TICKET_CONTENT_BYTES, f->content_label, err, errlen) == -1)
		return (-1);
	*bad = NULL;
	return (0);
}

/*
 * What only staff may say: the level, and when the contact was received
 * if it was typed in later (the browser's datetime-local, local time).
 */
static int
ticket_read_staff(struct web *w, struct ticket_new *t, char *err,
    size_t errlen, const char **bad)
{
	const struct ref_level	*l;
	const char		*v;
	size_t			 len;
	struct tm		 tm;
	time_t			 now;

	*bad = "level";
	v = web_arg(w, "level", &len);
	if (v != NULL && len > 0) {
		l = NULL;
		if (len < 3 && strlen(v) == len && strspn(v, "0123456789") == len)
			l = refdata_level_by_id(atoi(v));
		if (l == NULL || !l->active) {
			(void)snprintf(err, errlen, "Cấp độ không hợp lệ.");
			return (-1);
		}
		t->level = l->id;
		(void)snprintf(t->level_s, sizeof(t->level_s), "%d", l->id);
	}

	*bad = "received_at";
	v = web_arg(w, "received_at", &len);
	if (v == NULL || len == 0)
		return (0);
	if (strlen(v) != len || date_parse_local(v, len, &t->received) != 0) {
		(void)snprintf(err, errlen,
		    "Thời điểm tiếp nhận không hợp lệ (ngày giờ theo dạng "
		    "năm-tháng-ngày giờ:phút).");
		return (-1);
	}
	now = time(NULL);
	/* A minute's grace: the clock of the operator's browser. */
	if (t->received > now + 60) {
		(void)snprintf(err, errlen,
		    "Thời điểm tiếp nhận không thể ở tương lai.");
		return (-1);
	}
	if (t->received < now - TICKET_RECEIVED_MAX_AGE_DAYS * 86400) {
		(void)snprintf(err, errlen,
		    "Thời điểm tiếp nhận không được trước quá %d ngày.",
		    TICKET_RECEIVED_MAX_AGE_DAYS);
		return (-1);
	}
	if (t->received > now)
		t->received = now;
	gmtime_r(&t->received, &tm);
	strftime(t->received_s, sizeof(t->received_s), "%Y-%m-%dT%H:%M:%SZ",
	    &tm);
	return (0);
}

/*
 * What makes a checked contact a ticket: the key that makes the same
 * contact sent twice (a double click, a webhook delivered again) one
 * ticket, its code and its due date: its level's deadline if it has one,
 * else its field's, in working days from when it was received.
 */
void
ticket_seal(struct ticket_new *t)
{
	const struct ref_field	*f;
	const struct ref_level	*l;
	unsigned char		 h[crypto_generichash_BYTES];
	crypto_generichash_state st;
	const char		*prefix;

	prefix = t->key_prefix != NULL ? t->key_prefix : "";
	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)prefix,
	    strlen(prefix));
	crypto_generichash_update(&st, (unsigned char *)t->phone,
	    strlen(t->phone) + 1);
	crypto_generichash_update(&st, (unsigned char *)t->title,
	    strlen(t->title) + 1);
	crypto_generichash_update(&st, (unsigned char *)t->content,
	    strlen(t->content));
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(t->key, sizeof(t->key), h, sizeof(h));

	l = t->level ? refdata_level_by_id(t->level) : NULL;
	f = t->field_id ? refdata_field_by_id(t->field_id) : NULL;
	ticket_code_due_from(t->received ? t->received : time(NULL),
	    l != NULL ? l->deadline_days : f != NULL ? f->deadline_days :
	    TICKET_DEFAULT_DEADLINE_DAYS, t->code, t->due);
}

/*
 * Stores t: ticket_submit() answers one row (id, code, created; created
 * false when the same contact came within the dedupe window, with the
 * first one's code).  A rate-limited submission fails with SQLSTATE T1022.
 */
int
ticket_store(struct http_request *req, struct web *w,
    const struct ticket_new *t)
{
	char	rate_max[16];

	(void)snprintf(rate_max, sizeof(rate_max), "%d", t->rate_max);
	return (web_query(req, w, SQL_SUBMIT, 16, t->code, t->channel,
	    t->name, t->phone, t->email, t->field_id_s, t->title, t->content,
	    t->key, t->due, t->rate_key, rate_max, t->actor, t->kind,
	    t->level_s, t->received_s));
}

void
ticket_new_free(struct ticket_new *t)
{
	kore_free(t->content);
	t->content = NULL;
}

/*
 * A new ticket's public code (year and month of receipt, local time) and
 * its due time in working days from now, as UTC text for PostgreSQL.
 * code holds CODE_LEN + 1 bytes, due 32.
 */
void
ticket_code_due(int days, char *code, char *due)
{
	ticket_code_due_from(time(NULL), days, code, due);
}

/* The same for a contact received at now. */
static void
ticket_code_due_from(time_t now, int days, char *code, char *due)
{
	unsigned char	rnd[8];
	struct tm	tm;
	time_t		d;

	randombytes_buf(rnd, sizeof(rnd));
	localtime_r(&now, &tm);
	code_format(code, rnd, tm.tm_year % 100, tm.tm_mon + 1);
	d = refdata_due(now, days);
	gmtime_r(&d, &tm);
	strftime(due, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
