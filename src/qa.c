/*
 * qa: the published questions and answers (hỏi đáp) on the portal and as
 * JSON.  Only tickets an operator marked public and that are answered or
 * closed; the citizen's name, phone and e-mail are never selected, and
 * the text itself goes through mask_personal() (phones, e-mails, ID
 * numbers) and has the citizen's own name blanked before it is shown.
 *
 * Search works with or without Vietnamese diacritics: both sides go
 * through f_unaccent(), and the expression is the one the trigram index
 * tickets_published_trgm (0001_core.sql) is built on, so it is used.
 */
#include "app.h"
#include "code.h"
#include "mask.h"
#include "refdata.h"
#include "valid.h"

#define QA_PER_PAGE		20
#define QA_Q_MAX_CHARS		100
#define QA_PAGE_MAX		1000
#define QA_EXCERPT_CHARS	400

/* What was asked for, kept from the first step to the answer. */
struct qa_query {
	char	words[QA_Q_MAX_CHARS * 4 + 1];
	int	page;
	char	field[48];	/* the API's filters: a field's code, */
	char	agency[40];	/* an agency's code; "": any */
};

static int	qa_read_query(struct web *, char *, size_t, int *,
		    const char **);
static int	qa_read_filters(struct web *, struct qa_query *,
		    const char **);
static void	qa_like_escape(const char *, char *, size_t);
static char	*qa_masked(struct web *, int, const char *);
static void	qa_item_view(struct web *, int, struct tval *, int);
static json_t	*qa_item_json(struct web *, int);
static void	qa_excerpt(char *, size_t);

/*
 * The citizen's name, when it is long enough not to be a common word, is
 * blanked in the text inside the database: it never leaves it.
 */
#define QA_HIDE_NAME(col) \
    "CASE WHEN length(t.name) >= 4 THEN replace(" col ", t.name, '***') " \
    "ELSE " col " END"

#define QA_COLUMNS \
    "t.code, " QA_HIDE_NAME("t.title") " AS title, " \
    QA_HIDE_NAME("t.content") " AS content, " \
    QA_HIDE_NAME("t.answer") " AS answer, " \
    "f.name AS field, a.name AS agency, " \
    "to_char(coalesce(t.answered_at, t.created_at), " \
    "'DD/MM/YYYY') AS answered_on, " \
    "to_char(t.answered_at, " \
    "'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM') AS answered_at, " \
    "count(*) OVER () AS total "

#define QA_FROM \
    "FROM tickets t LEFT JOIN fields f ON f.id = t.field_id " \
    "LEFT JOIN agencies a ON a.id = t.agency_id " \
    "WHERE t.published AND t.status IN ('answered', 'closed') "

/* The API's filters: $N a field's code, $N+1 an agency's; "" for any. */
#define QA_FILTERS(f, a) \
    "AND (" f " = '' OR f.code = " f ") AND (" a " = '' OR a.code = " a ") "

#define QA_ORDER \
    "ORDER BY t.answered_at DESC NULLS LAST, t.id DESC "

/*
 * $1: offset; $2, $3: field and agency (QA_FILTERS).  One row more than a
 * page says whether there is a next.
 */
static const char	SQL_QA_LIST[] =
    "SELECT " QA_COLUMNS QA_FROM QA_FILTERS("$2", "$3") QA_ORDER
    "LIMIT 21 OFFSET $1::integer";

/* $1: the words, LIKE wildcards escaped; $2: offset; $3, $4: filters. */
static const char	SQL_QA_SEARCH[] =
    "SELECT " QA_COLUMNS QA_FROM
    "AND f_unaccent(t.title || ' ' || t.content || ' ' || coalesce(t.answer, '')) "
    "LIKE '%' || f_unaccent($1) || '%' " QA_FILTERS("$3", "$4")
    QA_ORDER "LIMIT 21 OFFSET $2::integer";

static const char	SQL_QA_ONE[] =
    "SELECT " QA_COLUMNS QA_FROM "AND t.code = $1";

/* A list or one question: ask (QA_ASK), then answer with its rows. */
enum { QA_ASK, QA_ANSWER };

int
qa_list_step(struct http_request *req, struct web *w)
{
	struct qa_query	*qq = w->data;
	struct sbuf	 link;
	struct tval	*list;
	json_t		*items;
	const char	*err, *q, *total;
	char		 like[sizeof(qq->words) * 2], off[16];
	int		 i, n, page;

	/*
	 * The API is read by the agencies' own sites from their pages'
	 * scripts: anyone may read it cross-origin (no cookie is ever
	 * involved: it shows only what is public).  Set once: the headers
	 * stay on the request from step to step.
	 */
	if (w->step == QA_ASK) {
		if (w->route->api)
			http_response_header(req,
			    "access-control-allow-origin", "*");
		qq = kore_calloc(1, sizeof(*qq));
		w->data = qq;
		w->data_free = kore_free;
		if (qa_read_query(w, qq->words, sizeof(qq->words), &qq->page,
		    &err) == -1 || (w->route->api &&
		    qa_read_filters(w, qq, &err) == -1)) {
			if (w->route->api)
				return (web_error(req, w, 400, err));
			tval_set(w->view, "error", err);
			return (web_render(req, w, 400, "qa_list",
			    "Hỏi đáp"));
		}
		(void)snprintf(off, sizeof(off), "%d",
		    (qq->page - 1) * QA_PER_PAGE);
		if (qq->words[0] == '\0')
			return (web_query(req, w, SQL_QA_LIST, 3, off,
			    qq->field, qq->agency));
		qa_like_escape(qq->words, like, sizeof(like));
		return (web_query(req, w, SQL_QA_SEARCH, 4, like, off,
		    qq->field, qq->agency));
	}

	q = qq->words;
	page = qq->page;
	n = web_rows(w, QA_ASK);
	/* Past the last page the window function saw no row to count. */
	total = n > 0 ? web_val(w, QA_ASK, 0, "total") : page == 1 ? "0" : NULL;

	if (w->route->api) {
		items = json_array();
		for (i = 0; i < n && i < QA_PER_PAGE; i++)
			json_list_add(&items, qa_item_json(w, i));
		return (web_json(req, 200, json_pack(
		    "{s:o,s:o,s:o,s:i,s:i,s:o,s:b,s:o}", "q", json_text(q),
		    "field", json_text(qq->field), "agency",
		    json_text(qq->agency), "page", page, "per_page", QA_PER_PAGE,
		    "total", json_number_text(total), "has_next", n > QA_PER_PAGE,
		    "items", items)));
	}

	list = tval_set_list(w->view, "items");
	for (i = 0; i < n && i < QA_PER_PAGE; i++)
		qa_item_view(w, i, tval_list_add(list), 1);
	tval_set(w->view, "total", total != NULL ? total : "0");
	tval_setf(w->view, "page", "%d", page);
	tval_set_bool(w->view, "none", n == 0);
	if (q[0] != '\0')
		tval_set(w->view, "q", q);

	/* Pages keep the words searched for. */
	sbuf_init(&link);
	if (q[0] != '\0') {
		sbuf_lit(&link, "q=");
		sbuf_append_url(&link, q, SBUF_URL_QUERY);
		sbuf_lit(&link, "&");
	}
	web_pager(w, "/hoi-dap", link.data, page, n > QA_PER_PAGE);
	sbuf_free(&link);
	return (web_render(req, w, 200, "qa_list", "Hỏi đáp"));
}

/*
 * The API's filters: field, a field's code; agency, an agency's code;
 * each known to refdata.  0, or -1 with the message in *err.
 */
static int
qa_read_filters(struct web *w, struct qa_query *qq, const char **err)
{
	const char	*v;
	size_t		 len;
	int		 i;

	v = web_arg(w, "field", &len);
	if (v != NULL && len > 0) {
		if (len >= sizeof(qq->field) || strlen(v) != len ||
		    refdata_field_by_code(v) == NULL) {
			*err = "Lĩnh vực (field) không tồn tại.";
			return (-1);
		}
		memcpy(qq->field, v, len + 1);
	}
	v = web_arg(w, "agency", &len);
	if (v != NULL && len > 0) {
		for (i = 0; i < refdata->nagencies; i++)
			if (strcmp(refdata->agency[i].code, v) == 0)
				break;
		if (len >= sizeof(qq->agency) || strlen(v) != len ||
		    i == refdata->nagencies) {
			*err = "Cơ quan (agency) không tồn tại.";
			return (-1);
		}
		memcpy(qq->agency, v, len + 1);
	}
	return (0);
}

/*
 * q: at most QA_Q_MAX_CHARS characters of one-line text, trimmed and with
 * runs of blanks made one; page: 1 to QA_PAGE_MAX.
 */
static int
qa_read_query(struct web *w, char *words, size_t wlen, int *page,
    const char **err)
{
	const char	*v;
	char		*s, *d, *p;
	size_t		 len;
	int		 rc, i;

	words[0] = '\0';
	*page = 1;

	v = web_arg(w, "page", &len);
	if (v != NULL && len > 0) {
		if (len > 4 || strlen(v) != len) {
			*err = "Số trang không hợp lệ.";
			return (-1);
		}
		for (i = 0; v[i] != '\0'; i++) {
			if (v[i] < '0' || v[i] > '9') {
				*err = "Số trang không hợp lệ.";
				return (-1);
			}
		}
		*page = atoi(v);
		if (*page < 1 || *page > QA_PAGE_MAX) {
			*err = "Số trang không hợp lệ.";
			return (-1);
		}
	}

	v = web_arg(w, "q", &len);
	if (v == NULL || len == 0)
		return (0);
	if (strlen(v) != len) {
		*err = "Từ khóa tìm kiếm không hợp lệ.";
		return (-1);
	}
	if (len >= wlen) {
		*err = "Từ khóa tìm kiếm quá dài (tối đa 100 ký tự).";
		return (-1);
	}
	rc = valid_text(v, len, QA_Q_MAX_CHARS, 0);
	if (rc == VALID_EEMPTY)
		return (0);
	if (rc == VALID_ETOOLONG) {
		*err = "Từ khóa tìm kiếm quá dài (tối đa 100 ký tự).";
		return (-1);
	}
	if (rc != VALID_OK) {
		*err = "Từ khóa tìm kiếm không hợp lệ.";
		return (-1);
	}
	memcpy(words, v, len + 1);
	s = valid_trim(words);
	for (p = s, d = words; *p != '\0'; p++) {
		if (*p == ' ' && d > words && d[-1] == ' ')
			continue;
		*d++ = *p;
	}
	*d = '\0';
	return (0);
}

/* The words match as they are: % _ and \ lose their LIKE meaning. */
static void
qa_like_escape(const char *in, char *out, size_t outlen)
{
	size_t	o;

	for (o = 0; *in != '\0' && o + 2 < outlen; in++) {
		if (*in == '%' || *in == '_' || *in == '\\')
			out[o++] = '\\';
		out[o++] = *in;
	}
	out[o] = '\0';
}

/* /hoi-dap/{code}: one published question in full. */
int
qa_show_step(struct http_request *req, struct web *w)
{
	char		 arg[41], code[CODE_LEN + 1];

	if (w->step == QA_ASK) {
		if (web_path_arg(req, w, 1, arg, sizeof(arg)) == -1 ||
		    code_parse(arg, code) != 0)
			return (web_error(req, w, 404,
			    "Không tìm thấy câu hỏi này."));
		return (web_query(req, w, SQL_QA_ONE, 1, code));
	}
	if (web_rows(w, QA_ASK) != 1)
		return (web_error(req, w, 404, "Không tìm thấy câu hỏi này."));
	qa_item_view(w, 0, tval_set_obj(w->view, "item"), 0);
	return (web_render(req, w, 200, "qa_show", "Hỏi đáp"));
}

/* A column of row i as it may be published; the caller frees it. */
static char *
qa_masked(struct web *w, int i, const char *col)
{
	const char	*v;
	char		*m;

	if ((v = web_val(w, QA_ASK, i, col)) == NULL)
		return (NULL);
	if ((m = mask_personal(v, strlen(v))) == NULL)
		fatal("qa: out of memory");
	return (m);
}

static void
qa_item_view(struct web *w, int i, struct tval *o, int excerpt)
{
	static const char *const cols[] = { "title", "content", "answer" };
	char	*m;
	size_t	 k;

	tval_set(o, "code", web_val(w, QA_ASK, i, "code"));
	tval_set(o, "field", web_val(w, QA_ASK, i, "field"));
	tval_set(o, "agency", web_val(w, QA_ASK, i, "agency"));
	tval_set(o, "answered_on", web_val(w, QA_ASK, i, "answered_on"));
	for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
		if ((m = qa_masked(w, i, cols[k])) == NULL)
			continue;
		/* Masked first, cut after: a cut never leaves digits bare. */
		if (excerpt && k > 0)
			qa_excerpt(m, QA_EXCERPT_CHARS);
		tval_set(o, cols[k], m);
		free(m);
	}
}

static json_t *
qa_item_json(struct web *w, int i)
{
	char	*title, *content, *answer;
	json_t	*o;

	title = qa_masked(w, i, "title");
	content = qa_masked(w, i, "content");
	answer = qa_masked(w, i, "answer");
	o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
	    "code", web_json_val(w, QA_ASK, i, "code"),
	    "title", json_text(title),
	    "question", json_text(content),
	    "answer", json_text(answer),
	    "field", web_json_val(w, QA_ASK, i, "field"),
	    "agency", web_json_val(w, QA_ASK, i, "agency"),
	    "answered_at", web_json_val(w, QA_ASK, i, "answered_at"));
	free(title);
	free(content);
	free(answer);
	return (o);
}

/* Cut s to max characters at a UTF-8 boundary, with an ellipsis. */
static void
qa_excerpt(char *s, size_t max)
{
	size_t	i, chars;

	for (i = 0, chars = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (chars++ < max)
			continue;
		/* The ellipsis takes 3 bytes: cut only where they fit. */
		if (strlen(s + i) >= 3) {
			memcpy(s + i, "\xE2\x80\xA6", 3);
			s[i + 3] = '\0';
		}
		return;
	}
}
