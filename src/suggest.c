/*
 * suggest: what the console suggests while an operator types a question.
 * GET /dtv/goi-y?q=... answers, as JSON, the best-matching articles
 * (knowledge_suggest(): the earlier published answers, the procedures
 * and the live policies, notices and FAQ, migrations/0068) and the
 * fields and agencies the classifier (suggest_classify(),
 * migrations/0064_suggest.sql) reads in the text.  Both are one statement each and use indexes, so the page can
 * ask on every pause in typing.
 *
 * The articles' text goes to a citizen once inserted, so it is masked
 * here as on /hoi-dap (mask_personal()); the citizen's name is blanked in
 * the statement.
 */
#include "app.h"
#include "mask.h"
#include "valid.h"

/*
 * Kore refuses a URI of 2000 bytes or more (414); what the page sends fits
 * in it (suggest.js), and this is the most a query string that fits may
 * carry.
 */
#define SUGGEST_Q_MAX_CHARS	600
#define SUGGEST_ARTICLES	5
#define SUGGEST_CLASSES		3	/* fields, and agencies, each */

static const char	SQL_SUGGEST_ARTICLES[] =
    "SELECT kind, ref, title, snippet, url, round(score::numeric, 3) AS score "
    "FROM knowledge_suggest($1, $2::integer)";

static const char	SQL_SUGGEST_CLASSES[] =
    "SELECT kind, id, code, name, round(score::numeric, 3) AS score "
    "FROM suggest_classify($1, $2::integer)";

static const char	SQL_SUGGEST_USED[] =
    "SELECT suggest_used($1::bigint, $2::integer, $3, $4) AS event";

static json_t	*suggest_masked(struct web *, int, int, const char *);

/* Ask for the articles, then the classes, then answer both. */
enum { SUGGEST_ARTICLES_Q, SUGGEST_CLASSES_Q, SUGGEST_ANSWER };

int
suggest_step(struct http_request *req, struct web *w)
{
	json_t		*articles, *fields, *agencies, *o;
	const char	*kind;
	char		*q, err[160], lim[8];
	int		 i;

	switch (w->step) {
	case SUGGEST_ARTICLES_Q:
		q = kore_calloc(1, SUGGEST_Q_MAX_CHARS * 4 + 1);
		w->data = q;
		w->data_free = kore_free;
		if (web_text(w, "q", SUGGEST_Q_MAX_CHARS, 1, 0, q,
		    SUGGEST_Q_MAX_CHARS * 4 + 1, "Nội dung câu hỏi", err,
		    sizeof(err)) == -1)
			return (web_error(req, w, 400, err));
		if (valid_utf8_chars(q, strlen(q)) < 2) {
			/* Nothing to go on yet: an empty answer, no query. */
			return (web_json(req, 200, json_pack("{s:[],s:[],s:[]}",
			    "articles", "fields", "agencies")));
		}
		(void)snprintf(lim, sizeof(lim), "%d", SUGGEST_ARTICLES);
		return (web_query(req, w, SQL_SUGGEST_ARTICLES, 2, q, lim));
	case SUGGEST_CLASSES_Q:
		(void)snprintf(lim, sizeof(lim), "%d", SUGGEST_CLASSES);
		return (web_query(req, w, SQL_SUGGEST_CLASSES, 2,
		    (const char *)w->data, lim));
	default:	/* SUGGEST_ANSWER */
		break;
	}

	articles = json_array();
	for (i = 0; i < web_rows(w, SUGGEST_ARTICLES_Q); i++) {
		o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}",
		    "kind", web_json_val(w, SUGGEST_ARTICLES_Q, i, "kind"),
		    "ref", web_json_val(w, SUGGEST_ARTICLES_Q, i, "ref"),
		    "title", suggest_masked(w, SUGGEST_ARTICLES_Q, i, "title"),
		    "snippet", suggest_masked(w, SUGGEST_ARTICLES_Q, i,
		    "snippet"),
		    "url", web_json_val(w, SUGGEST_ARTICLES_Q, i, "url"),
		    "score", json_real(atof(web_val(w, SUGGEST_ARTICLES_Q, i,
		    "score"))));
		json_list_add(&articles, o);
	}
	fields = json_array();
	agencies = json_array();
	for (i = 0; i < web_rows(w, SUGGEST_CLASSES_Q); i++) {
		kind = web_val(w, SUGGEST_CLASSES_Q, i, "kind");
		o = json_pack("{s:I,s:o,s:o,s:o}",
		    "id", (json_int_t)atoi(web_val(w, SUGGEST_CLASSES_Q, i, "id")),
		    "code", web_json_val(w, SUGGEST_CLASSES_Q, i, "code"),
		    "name", web_json_val(w, SUGGEST_CLASSES_Q, i, "name"),
		    "score", json_real(atof(web_val(w, SUGGEST_CLASSES_Q, i,
		    "score"))));
		json_list_add(strcmp(kind, "field") == 0 ? &fields : &agencies,
		    o);
	}
	return (web_json(req, 200, json_pack("{s:o,s:o,s:o}",
	    "articles", articles, "fields", fields, "agencies", agencies)));
}

/*
 * A text column with phones, e-mails and ID numbers masked; null if none.
 * Whole: an answer is at most the answer form's 10,000 characters.
 */
static json_t *
suggest_masked(struct web *w, int step, int row, const char *col)
{
	const char	*v;
	char		*m;
	json_t		*j;

	if ((v = web_val(w, step, row, col)) == NULL)
		return (json_null());
	if ((m = mask_personal(v, strlen(v))) == NULL)
		fatal("suggest: out of memory");
	j = json_text(m);
	free(m);
	return (j);
}

/*
 * The article an operator inserted, from the form's hidden "suggestion"
 * field ("kind:ref", written by suggest.js): absent is fine (kind left
 * empty); anything else than a known kind and a plain reference is
 * refused with a message before the ticket is stored.
 */
int
suggest_use_read(struct web *w, struct suggest_use *u, char *err,
    size_t errlen)
{
	static const char *const kinds[] = {
		"answer", "procedure", "chinh-sach", "thong-bao", "hoi-dap",
		NULL
	};
	const char	*v, *colon;
	size_t		 len, klen, i;

	memset(u, 0, sizeof(*u));
	v = web_arg(w, "suggestion", &len);
	if (v == NULL || len == 0)
		return (0);
	colon = memchr(v, ':', len);
	klen = colon != NULL ? (size_t)(colon - v) : 0;
	for (i = 0; kinds[i] != NULL; i++)
		if (klen == strlen(kinds[i]) &&
		    strncmp(v, kinds[i], klen) == 0)
			break;
	if (colon == NULL || kinds[i] == NULL ||
	    len - klen - 1 == 0 || len - klen - 1 >= sizeof(u->ref) ||
	    strspn(colon + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789._-") != len - klen - 1) {
		(void)snprintf(err, errlen,
		    "Câu trả lời gợi ý đã chọn không hợp lệ.");
		return (-1);
	}
	memcpy(u->kind, v, klen);
	memcpy(u->ref, colon + 1, len - klen - 1);
	return (0);
}

/*
 * Write the ticket's history event for the article used (suggest_used():
 * nothing for an article that is not, or no longer, published).
 */
int
suggest_use_store(struct http_request *req, struct web *w,
    const char *ticket_id, const struct suggest_use *u)
{
	char	actor[16];

	(void)snprintf(actor, sizeof(actor), "%d", w->user.id);
	return (web_query(req, w, SQL_SUGGEST_USED, 4, ticket_id, actor,
	    u->kind, u->ref));
}
