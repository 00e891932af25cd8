/*
 * procedure: the rules of one procedure of the catalog, pure (no Kore, no
 * SQL), so the pages, the importer, the unit tests and the fuzz harness
 * share them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "procedure.h"
#include "valid.h"

/* What a column holds, and so how it is checked. */
enum procedure_kind {
	COL_CODE,	/* a national code */
	COL_LINE,	/* one line of text */
	COL_TEXT,	/* text, newlines allowed */
	COL_LEVEL,	/* tinh, huyen, xa (or their labels) */
	COL_FORMS,	/* [{name, url}], or "name | url" lines */
	COL_ONLINE,	/* 0 to 4 */
	COL_BOOL,	/* true/false, 1/0, có/không */
	COL_DATE	/* YYYY-MM-DD or DD/MM/YYYY */
};

/* The columns of a procedure, as the import files and the table name them. */
static const struct {
	const char		*name;
	enum procedure_kind	 kind;
	size_t			 max_chars;
	int			 required;
} procedure_columns[] = {
	{ "code", COL_CODE, PROCEDURE_CODE_MAX, 1 },
	{ "name", COL_LINE, 500, 1 },
	{ "field", COL_LINE, 200, 0 },
	{ "level", COL_LEVEL, 0, 1 },
	{ "receiving_agency", COL_LINE, 500, 0 },
	{ "deciding_agency", COL_LINE, 500, 0 },
	{ "steps", COL_TEXT, 20000, 0 },
	{ "dossier", COL_TEXT, 20000, 0 },
	{ "forms", COL_FORMS, 0, 0 },
	{ "processing_time", COL_TEXT, 1000, 0 },
	{ "fees", COL_TEXT, 2000, 0 },
	{ "legal_basis", COL_TEXT, 10000, 0 },
	{ "applicants", COL_TEXT, 2000, 0 },
	{ "online_level", COL_ONLINE, 0, 0 },
	{ "submission", COL_TEXT, 2000, 0 },
	{ "result_delivery", COL_TEXT, 2000, 0 },
	{ "postal", COL_BOOL, 0, 0 },
	{ "changed_on", COL_DATE, 0, 0 },
};

#define PROCEDURE_NCOLUMNS \
    (sizeof(procedure_columns) / sizeof(procedure_columns[0]))

#define PROCEDURE_LINE_MAX	(256 * 1024)	/* bytes of one JSON line */
#define PROCEDURE_CSV_CELLS	64		/* cells of one CSV record */
#define PROCEDURE_FORM_NAME_MAX	300
#define PROCEDURE_FORM_URL_MAX	1000

static int	 procedure_text(json_t *, size_t, int, json_t **, char *,
		    size_t, const char *);
static int	 procedure_forms(json_t *, json_t **, char *, size_t);
static int	 procedure_form_add(json_t *, const char *, size_t,
		    const char *, size_t, char *, size_t);
static int	 procedure_value(size_t, json_t *, json_t **, char *, size_t);
static void	 procedure_reject(json_t *, size_t, json_t *, const char *);
static int	 procedure_parse_jsonl(const unsigned char *, size_t, json_t *,
		    json_t *, json_t *, char *, size_t);
static int	 procedure_parse_csv(const unsigned char *, size_t, json_t *,
		    json_t *, json_t *, char *, size_t);
static int	 procedure_csv_record(const unsigned char *, size_t, size_t *,
		    size_t *, json_t *);
static void	 procedure_accept(json_t *, json_t *, json_t *, size_t,
		    json_t *);

/* Where a procedure is carried out: the code stored, the words shown. */
static const struct {
	const char	*code;
	const char	*label;
} procedure_levels[] = {
	{ "tinh", "Cấp tỉnh" },
	{ "huyen", "Cấp huyện" },
	{ "xa", "Cấp xã" },
};

#define PROCEDURE_NLEVELS \
    (sizeof(procedure_levels) / sizeof(procedure_levels[0]))

/*
 * A national code such as "1.001612" or "2.000815": a letter or digit,
 * then letters, digits, dots or dashes, at most PROCEDURE_CODE_MAX.
 */
int
procedure_code_ok(const char *s)
{
	size_t	len;

	len = strlen(s);
	if (len == 0 || len > PROCEDURE_CODE_MAX ||
	    !isalnum((unsigned char)s[0]))
		return (0);
	return (strspn(s, "0123456789abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ.-") == len);
}

/* "Cấp tỉnh" for "tinh"; NULL for a level that is not one. */
const char *
procedure_level_label(const char *code)
{
	size_t	i;

	for (i = 0; i < PROCEDURE_NLEVELS; i++) {
		if (strcmp(procedure_levels[i].code, code) == 0)
			return (procedure_levels[i].label);
	}
	return (NULL);
}

/* The i-th level's code, NULL past the last: for lists. */
const char *
procedure_level_code(size_t i)
{
	return (i < PROCEDURE_NLEVELS ? procedure_levels[i].code : NULL);
}

/*
 * Text from outside as it is stored: CRLF made LF, trimmed, strict UTF-8
 * without control characters (newlines only where allowed), at most
 * max_chars characters.  A missing or empty value is "".
 */
static int
procedure_text(json_t *v, size_t max_chars, int multiline, json_t **out,
    char *err, size_t errlen, const char *col)
{
	const char	*in;
	char		*buf, *t;
	size_t		 len, i, o;
	int		 rc;

	if (v == NULL || json_is_null(v)) {
		*out = json_string("");
		return (0);
	}
	if (!json_is_string(v)) {
		(void)snprintf(err, errlen, "“%s” phải là chuỗi.", col);
		return (-1);
	}
	in = json_string_value(v);
	len = json_string_length(v);
	if ((buf = malloc(len + 1)) == NULL)
		abort();
	for (i = 0, o = 0; i < len; i++) {
		if (in[i] == '\r' && i + 1 < len && in[i + 1] == '\n')
			continue;
		buf[o++] = in[i];
	}
	buf[o] = '\0';
	rc = valid_text(buf, o, max_chars, multiline);
	if (rc == VALID_EEMPTY) {
		free(buf);
		*out = json_string("");
		return (0);
	}
	if (rc != VALID_OK) {
		if (rc == VALID_ETOOLONG)
			(void)snprintf(err, errlen,
			    "“%s” quá dài (tối đa %zu ký tự).", col, max_chars);
		else
			(void)snprintf(err, errlen, "“%s”: %s", col,
			    valid_error_vi(rc));
		free(buf);
		return (-1);
	}
	t = valid_trim(buf);
	*out = json_string(t);
	free(buf);
	return (0);
}

/* One form: a name and an http(s) link. */
static int
procedure_form_add(json_t *list, const char *name, size_t nlen,
    const char *url, size_t ulen, char *err, size_t errlen)
{
	json_t	*n, *u, *nv, *uv;
	int	 rc;

	if (json_array_size(list) >= PROCEDURE_FORMS_MAX) {
		(void)snprintf(err, errlen, "“forms”: nhiều hơn %d biểu mẫu.",
		    PROCEDURE_FORMS_MAX);
		return (-1);
	}
	n = json_stringn_nocheck(name, nlen);
	u = json_stringn_nocheck(url, ulen);
	rc = -1;
	nv = uv = NULL;
	if (procedure_text(n, PROCEDURE_FORM_NAME_MAX, 0, &nv, err, errlen,
	    "forms") == -1 || procedure_text(u, PROCEDURE_FORM_URL_MAX, 0, &uv,
	    err, errlen, "forms") == -1)
		goto done;
	if (json_string_length(nv) == 0 ||
	    (strncmp(json_string_value(uv), "https://", 8) != 0 &&
	    strncmp(json_string_value(uv), "http://", 7) != 0) ||
	    strpbrk(json_string_value(uv), " \t\n\"<>") != NULL) {
		(void)snprintf(err, errlen, "“forms”: mỗi biểu mẫu cần tên và "
		    "đường dẫn http(s).");
		goto done;
	}
	json_array_append_new(list, json_pack("{s:O,s:O}", "name", nv,
	    "url", uv));
	rc = 0;
done:
	json_decref(n);
	json_decref(u);
	json_decref(nv);
	json_decref(uv);
	return (rc);
}

/*
 * forms: a JSON array of {name, url}, or (CSV) lines "name | url", the
 * last | of a line parting the name from the link.
 */
static int
procedure_forms(json_t *v, json_t **out, char *err, size_t errlen)
{
	json_t		*list, *e, *n, *u;
	const char	*s, *end, *nl, *bar, *p;
	size_t		 i;

	list = json_array();
	if (v == NULL || json_is_null(v)) {
		*out = list;
		return (0);
	}
	if (json_is_array(v)) {
		json_array_foreach(v, i, e) {
			n = json_object_get(e, "name");
			u = json_object_get(e, "url");
			if (!json_is_string(n) || !json_is_string(u)) {
				(void)snprintf(err, errlen, "“forms”: mỗi "
				    "biểu mẫu là {\"name\", \"url\"}.");
				goto bad;
			}
			if (procedure_form_add(list, json_string_value(n),
			    json_string_length(n), json_string_value(u),
			    json_string_length(u), err, errlen) == -1)
				goto bad;
		}
		*out = list;
		return (0);
	}
	if (!json_is_string(v)) {
		(void)snprintf(err, errlen, "“forms” phải là danh sách.");
		goto bad;
	}
	s = json_string_value(v);
	end = s + json_string_length(v);
	for (; s < end; s = nl + 1) {
		if ((nl = memchr(s, '\n', end - s)) == NULL)
			nl = end;
		bar = NULL;
		for (p = s; p < nl; p++)
			if (*p == '|')
				bar = p;
		if (bar == NULL) {
			for (p = s; p < nl && isspace((unsigned char)*p); p++)
				;
			if (p == nl)
				continue;	/* a blank line */
			(void)snprintf(err, errlen, "“forms”: mỗi dòng là "
			    "“tên | đường dẫn”.");
			goto bad;
		}
		if (procedure_form_add(list, s, bar - s, bar + 1,
		    nl - bar - 1, err, errlen) == -1)
			goto bad;
	}
	*out = list;
	return (0);
bad:
	json_decref(list);
	return (-1);
}

/* Column c of a record, checked and normalised into *out. */
static int
procedure_value(size_t c, json_t *v, json_t **out, char *err, size_t errlen)
{
	const char	*col = procedure_columns[c].name;
	const char	*s, *lv;
	char		 day[11];
	json_t		*t;
	long long	 n;
	size_t		 i;
	int		 y, m, d;

	switch (procedure_columns[c].kind) {
	case COL_LINE:
	case COL_TEXT:
		return (procedure_text(v, procedure_columns[c].max_chars,
		    procedure_columns[c].kind == COL_TEXT, out, err, errlen,
		    col));
	case COL_FORMS:
		return (procedure_forms(v, out, err, errlen));
	default:
		break;
	}

	/* The rest are short words: read them as trimmed text first. */
	if (procedure_columns[c].kind == COL_ONLINE && json_is_integer(v)) {
		n = json_integer_value(v);
		if (n < 0 || n > 4)
			goto bad;
		*out = json_integer(n);
		return (0);
	}
	if (procedure_columns[c].kind == COL_BOOL && json_is_boolean(v)) {
		*out = json_boolean(json_is_true(v));
		return (0);
	}
	if (procedure_text(v, 100, 0, &t, err, errlen, col) == -1)
		return (-1);
	s = json_string_value(t);
	if (s[0] == '\0' && procedure_columns[c].required) {
		*out = t;		/* the caller says it is missing */
		return (0);
	}
	switch (procedure_columns[c].kind) {
	case COL_CODE:
		if (!procedure_code_ok(s))
			goto bad_t;
		*out = t;
		return (0);
	case COL_LEVEL:
		for (i = 0; (lv = procedure_level_code(i)) != NULL; i++) {
			if (strcmp(s, lv) == 0 ||
			    strcmp(s, procedure_level_label(lv)) == 0 ||
			    strcmp(s, procedure_level_label(lv) +
			    strlen("Cấp ")) == 0)
				break;
		}
		if (lv == NULL)
			goto bad_t;
		*out = json_string(lv);
		json_decref(t);
		return (0);
	case COL_ONLINE:
		if (s[0] == '\0')
			*out = json_integer(0);
		else if (s[1] == '\0' && s[0] >= '0' && s[0] <= '4')
			*out = json_integer(s[0] - '0');
		else
			goto bad_t;
		json_decref(t);
		return (0);
	case COL_BOOL:
		if (s[0] == '\0' || strcmp(s, "0") == 0 ||
		    strcmp(s, "false") == 0 || strcmp(s, "không") == 0)
			*out = json_false();
		else if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0 ||
		    strcmp(s, "có") == 0)
			*out = json_true();
		else
			goto bad_t;
		json_decref(t);
		return (0);
	case COL_DATE:
		if (s[0] == '\0') {
			*out = json_null();
		} else {
			if (date_parse(s, strlen(s), &y, &m, &d) != 0 ||
			    y < 1945 || y > 2100)
				goto bad_t;
			(void)snprintf(day, sizeof(day), "%04d-%02d-%02d",
			    y, m, d);
			*out = json_string(day);
		}
		json_decref(t);
		return (0);
	default:
		break;
	}
bad_t:
	json_decref(t);
bad:
	switch (procedure_columns[c].kind) {
	case COL_CODE:
		(void)snprintf(err, errlen, "Mã thủ tục “code” không hợp lệ.");
		break;
	case COL_LEVEL:
		(void)snprintf(err, errlen,
		    "“level” phải là tinh, huyen hoặc xa.");
		break;
	case COL_ONLINE:
		(void)snprintf(err, errlen,
		    "“online_level” phải là số từ 0 đến 4.");
		break;
	case COL_BOOL:
		(void)snprintf(err, errlen, "“%s” phải là true hoặc false.",
		    col);
		break;
	default:
		(void)snprintf(err, errlen, "“%s” không phải ngày hợp lệ "
		    "(YYYY-MM-DD).", col);
		break;
	}
	return (-1);
}

json_t *
procedure_row_check(json_t *in, char *err, size_t errlen)
{
	json_t		*out, *v, *nv;
	size_t		 c;

	if (!json_is_object(in)) {
		(void)snprintf(err, errlen, "Mỗi dòng phải là một đối tượng "
		    "JSON.");
		return (NULL);
	}
	out = json_object();
	for (c = 0; c < PROCEDURE_NCOLUMNS; c++) {
		v = json_object_get(in, procedure_columns[c].name);
		if (procedure_value(c, v, &nv, err, errlen) == -1) {
			json_decref(out);
			return (NULL);
		}
		if (procedure_columns[c].required && json_is_string(nv) &&
		    json_string_length(nv) == 0) {
			json_decref(nv);
			json_decref(out);
			(void)snprintf(err, errlen, "Thiếu “%s”.",
			    procedure_columns[c].name);
			return (NULL);
		}
		json_object_set_new(out, procedure_columns[c].name, nv);
	}
	if (valid_utf8_chars(json_string_value(json_object_get(out, "name")),
	    json_string_length(json_object_get(out, "name"))) < 2) {
		json_decref(out);
		(void)snprintf(err, errlen, "“name” quá ngắn.");
		return (NULL);
	}
	return (out);
}

/* JSON lines when the name says so or the text starts with {; else CSV. */
int
procedure_import_format(const char *filename, const unsigned char *p,
    size_t len)
{
	const char	*dot;
	size_t		 i;

	if (filename != NULL && (dot = strrchr(filename, '.')) != NULL) {
		if (strcasecmp(dot, ".csv") == 0)
			return (PROCEDURE_FORMAT_CSV);
		if (strcasecmp(dot, ".jsonl") == 0 ||
		    strcasecmp(dot, ".ndjson") == 0 ||
		    strcasecmp(dot, ".json") == 0)
			return (PROCEDURE_FORMAT_JSONL);
	}
	i = len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	while (i < len && isspace(p[i]))
		i++;
	return (i < len && p[i] == '{' ? PROCEDURE_FORMAT_JSONL :
	    PROCEDURE_FORMAT_CSV);
}

int
procedure_import_parse(const unsigned char *p, size_t len, int format,
    json_t *rows, json_t *rejected, char *err, size_t errlen)
{
	json_t	*seen;
	int	 rc;

	/* A byte-order mark, as spreadsheets write, is no part of the data. */
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3;
		len -= 3;
	}
	seen = json_object();
	if (format == PROCEDURE_FORMAT_JSONL)
		rc = procedure_parse_jsonl(p, len, rows, rejected, seen, err,
		    errlen);
	else if (format == PROCEDURE_FORMAT_CSV)
		rc = procedure_parse_csv(p, len, rows, rejected, seen, err,
		    errlen);
	else {
		(void)snprintf(err, errlen, "Định dạng tệp không được hỗ trợ.");
		rc = -1;
	}
	json_decref(seen);
	return (rc);
}

static void
procedure_reject(json_t *rejected, size_t line, json_t *code,
    const char *reason)
{
	json_t	*o;

	o = json_pack("{s:I,s:s}", "line", (json_int_t)line, "reason", reason);
	if (o == NULL)
		o = json_pack("{s:I,s:s}", "line", (json_int_t)line,
		    "reason", "Dòng không hợp lệ.");
	/* Only the C string, checked: the cell may go on past a NUL. */
	if (json_is_string(code) && procedure_code_ok(json_string_value(code)))
		json_object_set_new(o, "code",
		    json_string(json_string_value(code)));
	json_array_append_new(rejected, o);
}

/* A record read: checked, and refused when its code came earlier. */
static void
procedure_accept(json_t *rows, json_t *rejected, json_t *seen, size_t line,
    json_t *in)
{
	char		 err[PROCEDURE_REASON_MAX];
	json_t		*row, *first;
	const char	*code;

	if ((row = procedure_row_check(in, err, sizeof(err))) == NULL) {
		procedure_reject(rejected, line,
		    json_is_object(in) ? json_object_get(in, "code") : NULL,
		    err);
		return;
	}
	code = json_string_value(json_object_get(row, "code"));
	if ((first = json_object_get(seen, code)) != NULL) {
		(void)snprintf(err, sizeof(err), "Mã thủ tục %s đã có ở dòng "
		    "%" JSON_INTEGER_FORMAT ".", code, json_integer_value(first));
		procedure_reject(rejected, line, NULL, err);
		json_decref(row);
		return;
	}
	json_object_set_new(seen, code, json_integer((json_int_t)line));
	json_object_set_new(row, "line", json_integer((json_int_t)line));
	json_array_append_new(rows, row);
}

static int
procedure_parse_jsonl(const unsigned char *p, size_t len, json_t *rows,
    json_t *rejected, json_t *seen, char *err, size_t errlen)
{
	const unsigned char	*nl, *end;
	json_error_t		 jerr;
	json_t			*in;
	size_t			 line, records, i, n;

	end = p + len;
	for (line = 1, records = 0; p < end; p = nl + 1, line++) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end;
		n = nl - p;
		for (i = 0; i < n && isspace(p[i]); i++)
			;
		if (i == n)
			continue;
		if (++records > PROCEDURE_IMPORT_ROWS_MAX) {
			(void)snprintf(err, errlen, "Tệp có hơn %d thủ tục.",
			    PROCEDURE_IMPORT_ROWS_MAX);
			return (-1);
		}
		if (n > PROCEDURE_LINE_MAX) {
			procedure_reject(rejected, line, NULL,
			    "Dòng quá dài.");
			continue;
		}
		in = json_loadb((const char *)p, n, JSON_REJECT_DUPLICATES, &jerr);
		if (in == NULL) {
			procedure_reject(rejected, line, NULL,
			    "Không phải JSON hợp lệ.");
			continue;
		}
		procedure_accept(rows, rejected, seen, line, in);
		json_decref(in);
	}
	return (0);
}

/*
 * One CSV record (RFC 4180: quoted cells may hold commas, quotes doubled,
 * newlines) from *pos into cells; *line counts the newlines passed.
 * 1 when a record was read, 0 at the end, -1 on a quote left open or too
 * many cells.
 */
static int
procedure_csv_record(const unsigned char *p, size_t len, size_t *pos,
    size_t *line, json_t *cells)
{
	size_t	 i, o;
	char	*buf;
	int	 quoted, rc;

	json_array_clear(cells);
	i = *pos;
	if (i >= len)
		return (0);
	if ((buf = malloc(len - i + 1)) == NULL)
		abort();
	rc = 1;
	for (;;) {
		o = 0;
		quoted = 0;
		if (i < len && p[i] == '"') {
			quoted = 1;
			for (i++; ; i++) {
				if (i >= len) {
					rc = -1;
					goto done;
				}
				if (p[i] == '"') {
					if (i + 1 < len && p[i + 1] == '"') {
						buf[o++] = '"';
						i++;
						continue;
					}
					i++;
					break;
				}
				if (p[i] == '\n')
					(*line)++;
				buf[o++] = p[i];
			}
		}
		/* After a closing quote only a comma or the record's end. */
		for (; i < len && p[i] != ',' && p[i] != '\n'; i++) {
			if (quoted && p[i] != '\r' && p[i] != ' ') {
				rc = -1;
				goto done;
			}
			if (!quoted)
				buf[o++] = p[i];
		}
		if (!quoted && o > 0 && buf[o - 1] == '\r')
			o--;
		if (json_array_size(cells) >= PROCEDURE_CSV_CELLS) {
			rc = -1;
			goto done;
		}
		json_array_append_new(cells, json_stringn_nocheck(buf, o));
		if (i < len && p[i] == ',') {
			i++;
			continue;
		}
		if (i < len)		/* the newline */
			i++;
		break;
	}
done:
	if (rc == -1) {
		/* Skip to the end of the physical line and go on. */
		while (i < len && p[i] != '\n')
			i++;
		if (i < len)
			i++;
	}
	*pos = i;
	free(buf);
	return (rc);
}

static int
procedure_parse_csv(const unsigned char *p, size_t len, json_t *rows,
    json_t *rejected, json_t *seen, char *err, size_t errlen)
{
	json_t		*header, *cells, *in, *v;
	size_t		 pos, line, next, records, c, k;
	int		 rc;

	header = json_array();
	cells = json_array();
	pos = 0;
	line = 1;
	rc = -1;

	next = line;
	if (procedure_csv_record(p, len, &pos, &next, header) != 1) {
		(void)snprintf(err, errlen, "Tệp CSV cần dòng tiêu đề "
		    "(code,name,field,level,…).");
		goto done;
	}
	line = next + 1;
	for (k = 0; k < PROCEDURE_NCOLUMNS; k++) {
		if (!procedure_columns[k].required)
			continue;
		json_array_foreach(header, c, v)
			if (strcmp(json_string_value(v),
			    procedure_columns[k].name) == 0)
				break;
		if (c == json_array_size(header)) {
			(void)snprintf(err, errlen, "Dòng tiêu đề thiếu cột "
			    "“%s”.", procedure_columns[k].name);
			goto done;
		}
	}

	for (records = 0; pos < len; line = next + 1) {
		next = line;
		switch (procedure_csv_record(p, len, &pos, &next, cells)) {
		case 0:
			rc = 0;
			goto done;
		case -1:
			procedure_reject(rejected, line, NULL,
			    "Dòng CSV không hợp lệ (dấu ngoặc kép hoặc số cột).");
			continue;
		default:
			break;
		}
		if (json_array_size(cells) == 1 &&
		    json_string_length(json_array_get(cells, 0)) == 0)
			continue;	/* a blank line */
		if (++records > PROCEDURE_IMPORT_ROWS_MAX) {
			(void)snprintf(err, errlen, "Tệp có hơn %d thủ tục.",
			    PROCEDURE_IMPORT_ROWS_MAX);
			goto done;
		}
		if (json_array_size(cells) != json_array_size(header)) {
			procedure_reject(rejected, line, NULL, "Số cột khác "
			    "dòng tiêu đề.");
			continue;
		}
		in = json_object();
		json_array_foreach(header, c, v)
			json_object_set(in, json_string_value(v),
			    json_array_get(cells, c));
		procedure_accept(rows, rejected, seen, line, in);
		json_decref(in);
	}
	rc = 0;
done:
	json_decref(header);
	json_decref(cells);
	return (rc);
}
