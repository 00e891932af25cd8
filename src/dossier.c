/*
 * dossier: the rules of a one-stop dossier lookup, with no Kore, no SQL
 * and no I/O (dossier.h).  Every way a dossier comes in — an import row,
 * the one-stop system's answer, a row of the local table read back as
 * JSON — goes through dossier_from_json(), so the limits are written
 * once.  CSV rows are split here because a row of the import format is
 * one line (docs/dossiers.md): a general CSV reader would bring quoted
 * line breaks, which the format does not allow.
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "dossier.h"
#include "valid.h"

struct dossier_status {
	const char	*slug;
	const char	*vi;
	int		 finished;	/* no due date to keep any more */
};

static const struct dossier_status dossier_statuses[] = {
	{ "received",	"Đã tiếp nhận", 0 },
	{ "processing",	"Đang giải quyết", 0 },
	{ "supplement",	"Cần bổ sung hồ sơ", 0 },
	{ "ready",	"Đã có kết quả, mời nhận", 1 },
	{ "returned",	"Đã trả kết quả", 1 },
	{ "rejected",	"Không được giải quyết", 1 },
	{ "withdrawn",	"Đã rút hồ sơ", 1 },
	{ NULL, NULL, 0 }
};

/* The columns of a CSV row, in order; the JSON names are the same. */
static const char *const dossier_columns[] = {
	"code", "status", "procedure", "agency", "received_on", "due_on",
	"missing", "pickup"
};
#define DOSSIER_NCOLUMNS	(sizeof(dossier_columns) / sizeof(dossier_columns[0]))
#define DOSSIER_CSV_REQUIRED	5	/* up to received_on */

static const struct dossier_status *dossier_status_find(const char *);
static int	dossier_member(const json_t *, const char *, int,
		    const json_t **, char *, size_t);
static int	dossier_text(const json_t *, const char *, size_t, int, char *,
		    size_t, char *, size_t);
static int	dossier_day(const json_t *, const char *, int, char *, char *,
		    size_t);
static int	dossier_code_shape_ok(const char *);
static void	dossier_day_vi(const char *, char *, size_t);
static void	dossier_cut(char *, size_t, size_t);

/*
 * A code as a citizen types it ("000.00.21.h21-240115-0001", spaces
 * around it) → "000.00.21.H21-240115-0001" in out: 0; -1 when it cannot
 * be one.  The shape is the one-stop systems' own: the receiving agency's
 * identifier (dot-separated groups of letters and digits), the day of
 * receipt as yymmdd and a running number of 4 to 6 digits.
 */
int
dossier_code_read(const char *in, char *out, size_t outlen)
{
	size_t	i, n, len;

	if (in == NULL || outlen < DOSSIER_CODE_MAX + 1)
		return (-1);
	while (*in == ' ' || *in == '\t')
		in++;
	len = strlen(in);
	while (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t'))
		len--;
	if (len < DOSSIER_CODE_MIN || len > DOSSIER_CODE_MAX)
		return (-1);
	for (i = 0, n = 0; i < len; i++) {
		if (!isascii((unsigned char)in[i]))
			return (-1);
		out[n++] = (char)toupper((unsigned char)in[i]);
	}
	out[n] = '\0';
	if (!dossier_code_shape_ok(out)) {
		out[0] = '\0';
		return (-1);
	}
	return (0);
}

/* "processing" → "Đang giải quyết"; NULL for a status we do not know. */
const char *
dossier_status_vi(const char *slug)
{
	const struct dossier_status	*s;

	if ((s = dossier_status_find(slug)) == NULL)
		return (NULL);
	return (s->vi);
}

/* 1 when the dossier's result is out (or will never be): no due date. */
int
dossier_is_finished(const char *slug)
{
	const struct dossier_status	*s;

	if ((s = dossier_status_find(slug)) == NULL)
		return (0);
	return (s->finished);
}

/*
 * An object {"code", "status", "agency", "received_on", ...} into d,
 * every field checked against its limit: 0; -1 with the reason, in
 * Vietnamese, in err.
 */
int
dossier_from_json(const json_t *o, struct dossier *d, char *err, size_t errlen)
{
	const json_t	*v;

	memset(d, 0, sizeof(*d));
	if (!json_is_object(o)) {
		(void)snprintf(err, errlen, "Không phải một đối tượng JSON.");
		return (-1);
	}
	v = json_object_get(o, "code");
	if (!json_is_string(v) ||
	    dossier_code_read(json_string_value(v), d->code,
	    sizeof(d->code)) == -1) {
		(void)snprintf(err, errlen, "Mã hồ sơ (code) không hợp lệ.");
		return (-1);
	}
	v = json_object_get(o, "status");
	if (!json_is_string(v) ||
	    dossier_status_find(json_string_value(v)) == NULL) {
		(void)snprintf(err, errlen, "Trạng thái (status) không hợp lệ: "
		    "dùng received, processing, supplement, ready, returned, "
		    "rejected hoặc withdrawn.");
		return (-1);
	}
	(void)snprintf(d->status, sizeof(d->status), "%s",
	    json_string_value(v));
	if (dossier_text(o, "agency", DOSSIER_AGENCY_MAX, 1, d->agency,
	    sizeof(d->agency), err, errlen) == -1 ||
	    dossier_text(o, "procedure", DOSSIER_PROCEDURE_MAX, 0,
	    d->procedure, sizeof(d->procedure), err, errlen) == -1 ||
	    dossier_text(o, "missing", DOSSIER_MISSING_MAX, 0, d->missing,
	    sizeof(d->missing), err, errlen) == -1 ||
	    dossier_text(o, "pickup", DOSSIER_PICKUP_MAX, 0, d->pickup,
	    sizeof(d->pickup), err, errlen) == -1 ||
	    dossier_day(o, "received_on", 1, d->received_on, err,
	    errlen) == -1 ||
	    dossier_day(o, "due_on", 0, d->due_on, err, errlen) == -1)
		return (-1);
	if (d->due_on[0] != '\0' && strcmp(d->due_on, d->received_on) < 0) {
		(void)snprintf(err, errlen,
		    "Ngày hẹn trả (due_on) trước ngày tiếp nhận.");
		return (-1);
	}
	return (0);
}

/* The dossier as the JSON API, the cache and the import carry it. */
json_t *
dossier_to_json(const struct dossier *d)
{
	json_t	*o;

	o = json_object();
	(void)json_object_set_new(o, "code", json_string(d->code));
	(void)json_object_set_new(o, "status", json_string(d->status));
	(void)json_object_set_new(o, "status_text",
	    json_string(dossier_status_vi(d->status)));
	(void)json_object_set_new(o, "procedure", d->procedure[0] ?
	    json_string(d->procedure) : json_null());
	(void)json_object_set_new(o, "agency", json_string(d->agency));
	(void)json_object_set_new(o, "received_on", json_string(d->received_on));
	(void)json_object_set_new(o, "due_on", d->due_on[0] ?
	    json_string(d->due_on) : json_null());
	(void)json_object_set_new(o, "missing", d->missing[0] ?
	    json_string(d->missing) : json_null());
	(void)json_object_set_new(o, "pickup", d->pickup[0] ?
	    json_string(d->pickup) : json_null());
	return (o);
}

/*
 * One line of an import file, without its line break: a JSON object
 * (json 1) or a CSV row in dossier_columns' order (json 0).  0 and d;
 * -1 and the reason in err.
 */
int
dossier_row_parse(const char *line, size_t len, int json, struct dossier *d,
    char *err, size_t errlen)
{
	json_t		*o;
	json_error_t	 jerr;
	char		 cell[DOSSIER_MISSING_MAX * 4 + 1];
	size_t		 i, n, col;
	int		 quoted, rc;

	memset(d, 0, sizeof(*d));
	if (!valid_utf8(line, len)) {
		(void)snprintf(err, errlen, "Dòng không phải UTF-8 hợp lệ.");
		return (-1);
	}
	if (json) {
		o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
		if (o == NULL) {
			(void)snprintf(err, errlen, "JSON không hợp lệ.");
			return (-1);
		}
		rc = dossier_from_json(o, d, err, errlen);
		json_decref(o);
		return (rc);
	}

	o = json_object();
	i = 0;
	col = 0;
	for (;;) {
		n = 0;
		quoted = (i < len && line[i] == '"');
		if (quoted)
			i++;
		for (; i < len; i++) {
			if (quoted && line[i] == '"') {
				if (i + 1 < len && line[i + 1] == '"') {
					i++;
				} else {
					quoted = 0;
					continue;
				}
			} else if (!quoted && line[i] == ',') {
				break;
			}
			if (n + 1 >= sizeof(cell)) {
				json_decref(o);
				(void)snprintf(err, errlen, "Cột %s quá dài.",
				    dossier_columns[col]);
				return (-1);
			}
			cell[n++] = line[i];
		}
		if (quoted) {
			json_decref(o);
			(void)snprintf(err, errlen, "Dấu ngoặc kép không đóng.");
			return (-1);
		}
		if (n > 0)
			(void)json_object_set_new(o, dossier_columns[col],
			    json_stringn(cell, n));
		col++;
		if (i >= len)
			break;
		i++;			/* the comma */
		if (col == DOSSIER_NCOLUMNS) {
			json_decref(o);
			(void)snprintf(err, errlen, "Thừa cột: tối đa %zu cột.",
			    DOSSIER_NCOLUMNS);
			return (-1);
		}
	}
	if (col < DOSSIER_CSV_REQUIRED) {
		json_decref(o);
		(void)snprintf(err, errlen, "Thiếu cột: cần ít nhất code, "
		    "status, procedure, agency, received_on.");
		return (-1);
	}
	rc = dossier_from_json(o, d, err, errlen);
	json_decref(o);
	return (rc);
}

/* 1 when a CSV file's first line names the columns (it is skipped). */
int
dossier_is_csv_header(const char *line, size_t len)
{
	if (len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
		line += 3;
		len -= 3;
	}
	return (len >= 5 && strncasecmp(line, "code,", 5) == 0);
}

/*
 * The one-stop system's answer to GET {url}/{code} (docs/dossiers.md):
 * 200 and the dossier's object, 404 when it has no such dossier.
 * Anything else — no answer (status 0), another status, a body that is
 * not the contract's — is DOSSIER_UNAVAILABLE with the reason in err,
 * for the log.
 */
enum dossier_found
dossier_remote_read(long status, const char *body, size_t len,
    struct dossier *d, char *err, size_t errlen)
{
	json_t		*o;
	json_error_t	 jerr;
	char		 why[200];

	memset(d, 0, sizeof(*d));
	if (status == 404)
		return (DOSSIER_NOT_FOUND);
	if (status != 200) {
		(void)snprintf(err, errlen, "the one-stop system answered %ld",
		    status);
		return (DOSSIER_UNAVAILABLE);
	}
	if ((o = json_loadb(body, len, 0, &jerr)) == NULL) {
		(void)snprintf(err, errlen, "the one-stop system's reply is "
		    "not JSON");
		return (DOSSIER_UNAVAILABLE);
	}
	if (dossier_from_json(o, d, why, sizeof(why)) == -1) {
		json_decref(o);
		memset(d, 0, sizeof(*d));
		(void)snprintf(err, errlen, "the one-stop system's reply "
		    "breaks the contract");
		return (DOSSIER_UNAVAILABLE);
	}
	json_decref(o);
	return (DOSSIER_FOUND);
}

/*
 * One short line for an SMS or a kiosk: the code, the status (overdue
 * when today, YYYY-MM-DD, is past the due date of an open dossier), the
 * due date, what is missing or where to collect, and the agency; cut at
 * DOSSIER_LINE_MAX characters, never inside one.
 */
void
dossier_line(const struct dossier *d, const char *today, char *out,
    size_t outlen)
{
	char	day[16];
	int	n, late;

	late = d->due_on[0] != '\0' && today != NULL &&
	    !dossier_is_finished(d->status) && strcmp(today, d->due_on) > 0;
	n = snprintf(out, outlen, "Hồ sơ %s: %s%s.", d->code,
	    dossier_status_vi(d->status), late ? " (quá hạn)" : "");
	if (d->due_on[0] != '\0' && !dossier_is_finished(d->status) &&
	    n >= 0 && (size_t)n < outlen) {
		dossier_day_vi(d->due_on, day, sizeof(day));
		n += snprintf(out + n, outlen - n, " Hẹn trả %s.", day);
	}
	if (strcmp(d->status, "supplement") == 0 && d->missing[0] != '\0' &&
	    n >= 0 && (size_t)n < outlen)
		n += snprintf(out + n, outlen - n, " Cần bổ sung: %s.",
		    d->missing);
	if (strcmp(d->status, "ready") == 0 && d->pickup[0] != '\0' &&
	    n >= 0 && (size_t)n < outlen)
		n += snprintf(out + n, outlen - n, " Nhận tại: %s.", d->pickup);
	if (n >= 0 && (size_t)n < outlen)
		(void)snprintf(out + n, outlen - n, " Nơi tiếp nhận: %s.",
		    d->agency);
	dossier_cut(out, outlen, DOSSIER_LINE_MAX);
}

/*
 * Addresses as an administrator types them ("10.0.0.5, 10.0.0.6" or one
 * a line) → "10.0.0.5,10.0.0.6" in out, each an IPv4 or IPv6 address as
 * inet_ntop writes it: 0; -1 when one is not an address or out is full.
 */
int
dossier_addresses_read(const char *in, char *out, size_t outlen)
{
	unsigned char	 bin[sizeof(struct in6_addr)];
	char		 one[INET6_ADDRSTRLEN + 1], norm[INET6_ADDRSTRLEN];
	size_t		 n, used;
	int		 af;

	used = 0;
	out[0] = '\0';
	while (*in != '\0') {
		in += strspn(in, " ,\t\r\n");
		if ((n = strcspn(in, " ,\t\r\n")) == 0)
			break;
		if (n >= sizeof(one))
			return (-1);
		memcpy(one, in, n);
		one[n] = '\0';
		in += n;
		af = strchr(one, ':') != NULL ? AF_INET6 : AF_INET;
		if (inet_pton(af, one, bin) != 1 ||
		    inet_ntop(af, bin, norm, sizeof(norm)) == NULL)
			return (-1);
		n = strlen(norm);
		if (used + (used > 0) + n + 1 > outlen)
			return (-1);
		if (used > 0)
			out[used++] = ',';
		memcpy(out + used, norm, n + 1);
		used += n;
	}
	return (0);
}

static const struct dossier_status *
dossier_status_find(const char *slug)
{
	const struct dossier_status	*s;

	if (slug == NULL)
		return (NULL);
	for (s = dossier_statuses; s->slug != NULL; s++) {
		if (strcmp(s->slug, slug) == 0)
			return (s);
	}
	return (NULL);
}

/*
 * Member name of o: 0 and *v when it holds something; 1 when it is
 * absent, null or "" and may be; -1 with the reason when it must not.
 */
static int
dossier_member(const json_t *o, const char *name, int required,
    const json_t **v, char *err, size_t errlen)
{
	*v = json_object_get(o, name);
	if (*v != NULL && !json_is_null(*v) &&
	    (!json_is_string(*v) || json_string_length(*v) > 0))
		return (0);
	*v = NULL;
	if (!required)
		return (1);
	(void)snprintf(err, errlen, "Thiếu %s.", name);
	return (-1);
}

/* A text field, trimmed: absent or empty is "" unless required. */
static int
dossier_text(const json_t *o, const char *name, size_t max, int required,
    char *out, size_t outlen, char *err, size_t errlen)
{
	const json_t	*v;
	const char	*s;
	size_t		 len, n;
	int		 rc;

	out[0] = '\0';
	if ((rc = dossier_member(o, name, required, &v, err, errlen)) != 0)
		return (rc == 1 ? 0 : -1);
	if (!json_is_string(v)) {
		(void)snprintf(err, errlen, "%s phải là chuỗi.", name);
		return (-1);
	}
	s = json_string_value(v);
	len = json_string_length(v);
	if ((rc = valid_text(s, len, max, 0)) != VALID_OK || len >= outlen) {
		if (rc == VALID_ETOOLONG || len >= outlen)
			(void)snprintf(err, errlen, "%s quá dài (tối đa %zu "
			    "ký tự).", name, max);
		else
			(void)snprintf(err, errlen, "%s: %s", name,
			    valid_error_vi(rc));
		return (-1);
	}
	memcpy(out, s, len);
	out[len] = '\0';
	/* The limit counted the trimmed text; nothing is left past it. */
	n = strlen(valid_trim(out));
	memset(out + n, 0, len - n);
	return (0);
}

/* A day, "YYYY-MM-DD" or "DD/MM/YYYY", into out as "YYYY-MM-DD". */
static int
dossier_day(const json_t *o, const char *name, int required, char *out,
    char *err, size_t errlen)
{
	const json_t	*v;
	int		 rc;

	out[0] = '\0';
	if ((rc = dossier_member(o, name, required, &v, err, errlen)) != 0)
		return (rc == 1 ? 0 : -1);
	if (!json_is_string(v) || json_string_length(v) != 10 ||
	    date_day_iso(json_string_value(v), out, 11) == -1) {
		out[0] = '\0';
		(void)snprintf(err, errlen, "%s không phải ngày hợp lệ "
		    "(YYYY-MM-DD hoặc DD/MM/YYYY).", name);
		return (-1);
	}
	return (0);
}

/*
 * GROUP(.GROUP)*-YYMMDD-NNNN[NN]: groups of 1 to 6 letters or digits,
 * a day that can exist, a running number of 4 to 6 digits.
 */
static int
dossier_code_shape_ok(const char *s)
{
	const char	*p, *dash1, *dash2;
	size_t		 group;
	int		 m, d, i;

	if ((dash2 = strrchr(s, '-')) == NULL || dash2 - s < 8)
		return (0);
	dash1 = dash2 - 7;
	if (*dash1 != '-' || dash1 == s)
		return (0);
	group = 0;
	for (p = s; p < dash1; p++) {
		if (*p == '.') {
			if (group == 0)
				return (0);
			group = 0;
		} else if (isupper((unsigned char)*p) ||
		    isdigit((unsigned char)*p)) {
			if (++group > 6)
				return (0);
		} else
			return (0);
	}
	if (group == 0)
		return (0);
	for (i = 1; i <= 6; i++) {
		if (!isdigit((unsigned char)dash1[i]))
			return (0);
	}
	m = (dash1[3] - '0') * 10 + (dash1[4] - '0');
	d = (dash1[5] - '0') * 10 + (dash1[6] - '0');
	if (m < 1 || m > 12 || d < 1 ||
	    d > date_days_in_month(2000 + (dash1[1] - '0') * 10 +
	    (dash1[2] - '0'), m))
		return (0);
	for (p = dash2 + 1, i = 0; *p != '\0'; p++, i++) {
		if (!isdigit((unsigned char)*p))
			return (0);
	}
	return (i >= 4 && i <= 6);
}

/* "2026-12-07" → "07/12/2026". */
static void
dossier_day_vi(const char *iso, char *out, size_t outlen)
{
	(void)snprintf(out, outlen, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

/*
 * At most max characters: a longer line ends in "…" in place of its
 * last ones, cut at a character's start (the line is valid UTF-8).
 */
static void
dossier_cut(char *s, size_t size, size_t max)
{
	size_t	i, chars, keep;

	keep = 0;
	for (i = 0, chars = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if (chars == max - 1)
			keep = i;	/* where "…" goes if needed */
		chars++;
	}
	if (chars <= max)
		return;
	if (keep + sizeof("…") > size)
		keep = size - sizeof("…");
	while (keep > 0 && ((unsigned char)s[keep] & 0xc0) == 0x80)
		keep--;
	memcpy(s + keep, "…", sizeof("…"));
}
