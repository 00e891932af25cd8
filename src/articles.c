/*
 * articles: policies, notices and FAQ (chính sách, thông báo, hỏi đáp
 * thường gặp) on the portal: /thong-tin lists and searches the live ones,
 * /thong-tin/{slug} shows one.  Live is written once in SQL
 * (article_is_live(), migrations/0062_catalog.sql): an article before its
 * publish_at or after its expires_at is not found here, whatever the
 * address, so nobody reads out a notice that has lapsed.
 */
#include "app.h"
#include "admin.h"

#define ARTICLES_Q_MAX_CHARS	100

struct articles_query {
	char	q[ARTICLES_Q_MAX_CHARS * 4 + 1];
	char	kind[16];
	int	page;
};

static const struct {
	const char	*code;
	const char	*label;
} article_kinds[] = {
	{ "chinh-sach", "Chính sách" },
	{ "thong-bao", "Thông báo" },
	{ "hoi-dap", "Hỏi đáp thường gặp" },
};

#define ARTICLE_NKINDS	(sizeof(article_kinds) / sizeof(article_kinds[0]))

static void		 article_view(struct web *, int, int, struct tval *);

#define ARTICLE_COLUMNS \
    "a.slug, a.kind, a.title, a.body, a.field, " \
    "left(regexp_replace(a.body, '\\s+', ' ', 'g'), 300) AS excerpt, " \
    "to_char(a.publish_at, 'DD/MM/YYYY') AS published_on, " \
    "to_char(a.expires_at, 'DD/MM/YYYY HH24:MI') AS expires_on "

/* $1 words, $2 kind, $3 offset: a page and one more row. */
static const char	SQL_ARTICLES_FIND[] =
    "SELECT " ARTICLE_COLUMNS ", count(*) OVER () AS total "
    "FROM articles_find($1, $2) f JOIN articles a ON a.id = f.id "
    "ORDER BY f.score DESC, a.publish_at DESC, a.id DESC "
    "LIMIT 51 OFFSET $3::integer";

static const char	SQL_ARTICLE_ONE[] =
    "SELECT " ARTICLE_COLUMNS "FROM articles a "
    "WHERE a.slug = $1 AND article_is_live(a)";

enum { ART_FIND, ART_SHOW };

int
articles_list_step(struct http_request *req, struct web *w)
{
	struct articles_query	*aq = w->data;
	struct tval		*list, *o;
	struct sbuf		 link;
	const char		*v;
	char			 err[160], off[16];
	size_t			 i;
	int			 n, k, rc;

	if (w->step == ART_FIND) {
		aq = kore_calloc(1, sizeof(*aq));
		w->data = aq;
		w->data_free = kore_free;
		aq->page = 1;
		rc = web_text(w, "q", ARTICLES_Q_MAX_CHARS, 0, 0, aq->q,
		    sizeof(aq->q), "Từ khóa tìm kiếm", err, sizeof(err));
		if (rc == 0 && (v = web_arg(w, "page", NULL)) != NULL &&
		    v[0] != '\0' &&
		    admin_int(w, "page", 1, WEB_PAGE_MAX, &aq->page) == -1) {
			kore_strlcpy(err, "Số trang không hợp lệ.", sizeof(err));
			rc = -1;
		}
		if (rc == 0 && (v = web_arg(w, "loai", NULL)) != NULL &&
		    v[0] != '\0') {
			if (article_kind_label(v) == NULL) {
				kore_strlcpy(err, "Loại tin không hợp lệ.",
				    sizeof(err));
				rc = -1;
			} else
				kore_strlcpy(aq->kind, v, sizeof(aq->kind));
		}
		if (rc == -1) {
			tval_set(w->view, "error", err);
			return (web_render(req, w, 400, "articles_list",
			    "Thông tin, chính sách"));
		}
		(void)snprintf(off, sizeof(off), "%d",
		    (aq->page - 1) * WEB_PAGE_SIZE);
		return (web_query(req, w, SQL_ARTICLES_FIND, 3, aq->q,
		    aq->kind, off));
	}

	n = web_rows(w, ART_FIND);
	list = tval_set_list(w->view, "items");
	for (k = 0; k < n && k < WEB_PAGE_SIZE; k++)
		article_view(w, ART_FIND, k, tval_list_add(list));
	tval_set(w->view, "total", n > 0 ? web_val(w, ART_FIND, 0, "total") :
	    "0");
	tval_set_bool(w->view, "none", n == 0);
	if (aq->q[0] != '\0')
		tval_set(w->view, "q", aq->q);
	list = tval_set_list(w->view, "kinds");
	for (i = 0; i < ARTICLE_NKINDS; i++) {
		o = tval_list_add(list);
		tval_set(o, "code", article_kinds[i].code);
		tval_set(o, "label", article_kinds[i].label);
		tval_set_bool(o, "selected",
		    strcmp(article_kinds[i].code, aq->kind) == 0);
	}

	sbuf_init(&link);
	catalog_link_arg(&link, "q", aq->q);
	catalog_link_arg(&link, "loai", aq->kind);
	tval_setf(w->view, "page", "%d", aq->page);
	web_pager(w, "/thong-tin", link.data, aq->page, n > WEB_PAGE_SIZE);
	sbuf_free(&link);
	return (web_render(req, w, 200, "articles_list",
	    "Thông tin, chính sách"));
}

/* /thong-tin/{slug}: one live article. */
int
articles_show_step(struct http_request *req, struct web *w)
{
	char	slug[81];

	if (w->step == ART_FIND) {
		if (web_path_arg(req, w, 1, slug, sizeof(slug)) == -1)
			return (web_error(req, w, 404,
			    "Không tìm thấy thông tin này."));
		return (web_query(req, w, SQL_ARTICLE_ONE, 1, slug));
	}
	if (web_rows(w, ART_FIND) != 1)
		return (web_error(req, w, 404,
		    "Không tìm thấy thông tin này hoặc thông tin đã hết hạn."));
	article_view(w, ART_FIND, 0, tval_set_obj(w->view, "item"));
	return (web_render(req, w, 200, "articles_show",
	    web_val(w, ART_FIND, 0, "title")));
}

/* The label of a kind's code; NULL for no such kind. */
const char *
article_kind_label(const char *code)
{
	size_t	i;

	for (i = 0; i < ARTICLE_NKINDS; i++) {
		if (strcmp(article_kinds[i].code, code) == 0)
			return (article_kinds[i].label);
	}
	return (NULL);
}

static void
article_view(struct web *w, int k, int row, struct tval *o)
{
	const char	*label;

	web_view_row(w, o, k, row);
	label = article_kind_label(web_val(w, k, row, "kind"));
	tval_set(o, "kind_label", label != NULL ? label : "");
}

/* The i-th kind's code, NULL past the last. */
const char *
article_kind_code(size_t i)
{
	return (i < ARTICLE_NKINDS ? article_kinds[i].code : NULL);
}
