/*
 * admin_articles: administrators write the policies, notices and FAQ
 * articles (chính sách, thông báo, hỏi đáp) the portal shows
 * (src/articles.c).  /quan-tri/thong-tin lists all of them, live,
 * scheduled or expired; /quan-tri/thong-tin/moi creates one;
 * /quan-tri/thong-tin/{slug} edits one; .../lich-su shows its earlier
 * versions; .../thu-hoi withdraws it.
 *
 * An article is withdrawn (it expires now), never deleted: what the
 * center published stays on record with every earlier version, kept by
 * the database (articles_keep_previous(), article_versions is
 * append-only: migrations/0069_catalog_sync.sql).
 */
#include "app.h"
#include "admin.h"
#include "date.h"

#define ART_SLUG_MAX		80
#define ART_TITLE_MAX		300
#define ART_BODY_MAX		50000
#define ART_FIELD_MAX		200
#define ART_Q_MAX		100

/* What the form carries, checked. */
struct art_form {
	char	slug[ART_SLUG_MAX + 1];
	char	kind[16];
	char	title[ART_TITLE_MAX * 4 + 1];
	char	body[ART_BODY_MAX * 4 + 1];
	char	field[ART_FIELD_MAX * 4 + 1];
	char	publish[24];		/* UTC, ISO 8601 */
	char	expires[24];		/* UTC, ISO 8601, or "" */
};

static const char *const art_form_fields[] = {
	"slug", "kind", "title", "body", "field", "publish_at", "expires_at",
};

#define ART_FORM_NFIELDS \
    (sizeof(art_form_fields) / sizeof(art_form_fields[0]))

static int		 art_slug_ok(const char *);
static int		 art_when(struct web *, const char *, char *, size_t);
static int		 art_form_read(struct web *, struct art_form *, int,
			    char *, size_t);
static int		 art_form_render(struct http_request *, struct web *,
			    int, int, const char *, const char *);
static void		 art_kinds_view(struct web *, const char *,
			    const char *);

/* Live, scheduled or expired, written once for the list and the form. */
#define ART_STATE \
    "CASE WHEN a.publish_at > now() THEN 'scheduled' " \
    "WHEN NOT article_is_live(a) THEN 'expired' ELSE 'live' END AS state "

/* $1 words, $2 kind, $3 offset: a page and one more row. */
static const char	SQL_ART_LIST[] =
    "WITH w AS (SELECT f_unaccent(coalesce(btrim($1), '')) AS qu) "
    "SELECT a.slug, a.kind, a.title, a.field, " ART_STATE ", "
    "to_char(a.publish_at, 'DD/MM/YYYY HH24:MI') AS publish, "
    "coalesce(to_char(a.expires_at, 'DD/MM/YYYY HH24:MI'), '') AS expires, "
    "count(*) OVER () AS total "
    "FROM articles a, w "
    "WHERE ($2 = '' OR a.kind = $2) "
    "AND (w.qu = '' OR w.qu <% f_unaccent(a.title) "
    "OR w.qu <% f_unaccent(a.body)) "
    "ORDER BY CASE WHEN w.qu = '' THEN 0 ELSE "
    "catalog_score(w.qu, f_unaccent(a.title), f_unaccent(a.body)) END DESC, "
    "a.publish_at DESC, a.id DESC LIMIT 51 OFFSET $3::integer";

static const char	SQL_ART_ONE[] =
    "SELECT a.slug, a.kind, a.title, a.body, a.field, " ART_STATE ", "
    "to_char(a.publish_at, 'YYYY-MM-DD\"T\"HH24:MI') AS publish_at, "
    "coalesce(to_char(a.expires_at, 'YYYY-MM-DD\"T\"HH24:MI'), '') "
    "AS expires_at "
    "FROM articles a WHERE a.slug = $1";

/* $1 slug .. $7 expires, $8 who; no row if the slug is taken. */
static const char	SQL_ART_CREATE[] =
    "INSERT INTO articles (slug, kind, title, body, field, publish_at, "
    "expires_at, updated_by) VALUES ($1, $2, $3, $4, $5, "
    "$6::timestamptz, NULLIF($7, '')::timestamptz, $8::integer) "
    "ON CONFLICT (slug) DO NOTHING RETURNING slug";

/*
 * The form shows minutes: a publishing time not changed in the form
 * keeps its seconds, so saving an untouched form writes no version.
 */
static const char	SQL_ART_SAVE[] =
    "UPDATE articles a SET kind = $2, title = $3, body = $4, field = $5, "
    "publish_at = CASE WHEN date_trunc('minute', a.publish_at) = "
    "$6::timestamptz THEN a.publish_at ELSE $6::timestamptz END, "
    "expires_at = CASE WHEN NULLIF($7, '') IS NOT NULL AND "
    "date_trunc('minute', a.expires_at) = $7::timestamptz "
    "THEN a.expires_at ELSE NULLIF($7, '')::timestamptz END, "
    "updated_by = $8::integer WHERE a.slug = $1 RETURNING a.slug";

/* Expires now; one scheduled for later is published at the same time. */
static const char	SQL_ART_WITHDRAW[] =
    "UPDATE articles a SET expires_at = now(), "
    "publish_at = least(a.publish_at, now() - interval '1 second'), "
    "updated_by = $2::integer "
    "WHERE a.slug = $1 AND article_is_live(a) OR "
    "a.slug = $1 AND a.publish_at > now() RETURNING a.slug";

static const char	SQL_ART_HISTORY[] =
    "SELECT to_char(v.changed_at, 'DD/MM/YYYY HH24:MI:SS') AS changed, "
    "coalesce(u.full_name, '') AS who, v.previous->>'title' AS title, "
    "v.previous->>'kind' AS kind, "
    "to_char((v.previous->>'publish_at')::timestamptz, "
    "'DD/MM/YYYY HH24:MI') AS publish, "
    "coalesce(to_char((v.previous->>'expires_at')::timestamptz, "
    "'DD/MM/YYYY HH24:MI'), '') AS expires, "
    "v.previous->>'body' AS body "
    "FROM article_versions v JOIN articles a ON a.id = v.article_id "
    "LEFT JOIN users u ON u.id = v.changed_by "
    "WHERE a.slug = $1 ORDER BY v.id DESC LIMIT 200";

enum { ALIST_FIND, ALIST_SHOW };

int
admin_articles_list_step(struct http_request *req, struct web *w)
{
	struct tval	*list, *o;
	struct sbuf	 link;
	const char	*v, *label;
	char		 q[ART_Q_MAX * 4 + 1], kind[16], err[160], off[16];
	int		 page, n, i;

	page = 1;
	kind[0] = '\0';
	if ((v = web_arg(w, "page", NULL)) != NULL && v[0] != '\0' &&
	    admin_int(w, "page", 1, WEB_PAGE_MAX, &page) == -1)
		return (web_error(req, w, 400, "Số trang không hợp lệ."));
	if (web_text(w, "q", ART_Q_MAX, 0, 0, q, sizeof(q),
	    "Từ khóa tìm kiếm", err, sizeof(err)) == -1)
		return (web_error(req, w, 400, err));
	if ((v = web_arg(w, "loai", NULL)) != NULL && v[0] != '\0') {
		if (article_kind_label(v) == NULL)
			return (web_error(req, w, 400,
			    "Loại tin không hợp lệ."));
		kore_strlcpy(kind, v, sizeof(kind));
	}
	if (w->step == ALIST_FIND) {
		(void)snprintf(off, sizeof(off), "%d",
		    (page - 1) * WEB_PAGE_SIZE);
		return (web_query(req, w, SQL_ART_LIST, 3, q, kind, off));
	}

	admin_nav(w, "articles");
	n = web_rows(w, ALIST_FIND);
	list = tval_set_list(w->view, "items");
	for (i = 0; i < n && i < WEB_PAGE_SIZE; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, ALIST_FIND, i);
		label = article_kind_label(web_val(w, ALIST_FIND, i, "kind"));
		tval_set(o, "kind_label", label != NULL ? label : "");
		v = web_val(w, ALIST_FIND, i, "state");
		tval_set(o, "state_label", strcmp(v, "live") == 0 ?
		    "Đang hiển thị" : strcmp(v, "scheduled") == 0 ?
		    "Hẹn đăng" : "Đã hết hạn");
	}
	tval_set(w->view, "total", n > 0 ?
	    web_val(w, ALIST_FIND, 0, "total") : "0");
	tval_set(w->view, "q", q);
	art_kinds_view(w, kind, "kinds");
	tval_setf(w->view, "page", "%d", page);
	sbuf_init(&link);
	catalog_link_arg(&link, "q", q);
	catalog_link_arg(&link, "loai", kind);
	web_pager(w, "/quan-tri/thong-tin", link.data, page,
	    n > WEB_PAGE_SIZE);
	sbuf_free(&link);
	return (web_render(req, w, 200, "admin_articles",
	    "Thông tin, chính sách"));
}

/* /quan-tri/thong-tin/moi: the empty form, then the new article. */
enum { ANEW_SAVE, ANEW_DONE };

int
admin_articles_new_step(struct http_request *req, struct web *w)
{
	struct art_form	*f;
	char		 err[200], who[16], url[128];

	switch (w->step) {
	case ANEW_SAVE:
		if (!web_is_post(req))
			return (art_form_render(req, w, 200, 1, NULL, NULL));
		f = kore_calloc(1, sizeof(*f));
		w->data = f;
		w->data_free = kore_free;
		if (art_form_read(w, f, 1, err, sizeof(err)) == -1)
			return (art_form_render(req, w, 400, 1, err, NULL));
		admin_actor(w, who, sizeof(who));
		return (web_query(req, w, SQL_ART_CREATE, 8, f->slug, f->kind,
		    f->title, f->body, f->field, f->publish, f->expires, who));
	case ANEW_DONE:
	default:
		if (web_rows(w, ANEW_SAVE) != 1)
			return (art_form_render(req, w, 409, 1,
			    "Địa chỉ (slug) này đã được dùng cho một tin "
			    "khác, vui lòng chọn địa chỉ khác.", NULL));
		f = w->data;
		(void)snprintf(url, sizeof(url),
		    "/quan-tri/thong-tin/%s?da-luu=1", f->slug);
		return (web_redirect(req, url));
	}
}

/* /quan-tri/thong-tin/{slug}: load it, save the form. */
enum { AEDIT_LOAD, AEDIT_SAVE, AEDIT_DONE };

int
admin_articles_edit_step(struct http_request *req, struct web *w)
{
	struct art_form	*f;
	char		 slug[ART_SLUG_MAX + 1], err[200], who[16], url[128];

	if (web_path_arg(req, w, 1, slug, sizeof(slug)) == -1)
		return (web_error(req, w, 404, "Không tìm thấy tin này."));

	switch (w->step) {
	case AEDIT_LOAD:
		return (web_query(req, w, SQL_ART_ONE, 1, slug));
	case AEDIT_SAVE:
		if (web_rows(w, AEDIT_LOAD) != 1)
			return (web_error(req, w, 404,
			    "Không tìm thấy tin này."));
		if (!web_is_post(req))
			return (art_form_render(req, w, 200, 0, NULL,
			    web_arg(w, "da-luu", NULL) != NULL ? "Đã lưu." :
			    web_arg(w, "da-thu-hoi", NULL) != NULL ?
			    "Đã thu hồi: tin không còn hiển thị trên cổng." :
			    NULL));
		f = kore_calloc(1, sizeof(*f));
		w->data = f;
		w->data_free = kore_free;
		if (art_form_read(w, f, 0, err, sizeof(err)) == -1)
			return (art_form_render(req, w, 400, 0, err, NULL));
		admin_actor(w, who, sizeof(who));
		return (web_query(req, w, SQL_ART_SAVE, 8, slug, f->kind,
		    f->title, f->body, f->field, f->publish, f->expires, who));
	case AEDIT_DONE:
	default:
		if (web_rows(w, AEDIT_SAVE) != 1)
			return (web_error(req, w, 409,
			    "Tin vừa bị thay đổi, vui lòng tải lại."));
		(void)snprintf(url, sizeof(url),
		    "/quan-tri/thong-tin/%s?da-luu=1", slug);
		return (web_redirect(req, url));
	}
}

/* /quan-tri/thong-tin/{slug}/thu-hoi: it expires now, kept. */
enum { AWD_SAVE, AWD_DONE };

int
admin_articles_withdraw_step(struct http_request *req, struct web *w)
{
	char	slug[ART_SLUG_MAX + 1], who[16], url[128];

	if (web_path_arg(req, w, 1, slug, sizeof(slug)) == -1)
		return (web_error(req, w, 404, "Không tìm thấy tin này."));
	if (w->step == AWD_SAVE) {
		if (!admin_checked(w, "confirm"))
			return (web_error(req, w, 400,
			    "Vui lòng xác nhận trước khi thu hồi."));
		admin_actor(w, who, sizeof(who));
		return (web_query(req, w, SQL_ART_WITHDRAW, 2, slug, who));
	}
	if (web_rows(w, AWD_SAVE) != 1)
		return (web_error(req, w, 409,
		    "Không có tin đang hiển thị hoặc hẹn đăng nào ở địa chỉ "
		    "này."));
	(void)snprintf(url, sizeof(url), "/quan-tri/thong-tin/%s?da-thu-hoi=1",
	    slug);
	return (web_redirect(req, url));
}

/* /quan-tri/thong-tin/{slug}/lich-su: every earlier text, newest first. */
enum { AHIST_LOAD, AHIST_SHOW };

int
admin_articles_history_step(struct http_request *req, struct web *w)
{
	struct tval	*list;
	char		 slug[ART_SLUG_MAX + 1];
	int		 i;

	if (web_path_arg(req, w, 1, slug, sizeof(slug)) == -1)
		return (web_error(req, w, 404, "Không tìm thấy tin này."));
	if (w->step == AHIST_LOAD)
		return (web_query(req, w, SQL_ART_HISTORY, 1, slug));
	admin_nav(w, "articles");
	tval_set(w->view, "slug", slug);
	list = tval_set_list(w->view, "versions");
	for (i = 0; i < web_rows(w, AHIST_LOAD); i++)
		web_view_row(w, tval_list_add(list), AHIST_LOAD, i);
	tval_set_bool(w->view, "none", web_rows(w, AHIST_LOAD) == 0);
	return (web_render(req, w, 200, "admin_article_history",
	    "Lịch sử thông tin"));
}

/* The portal's address: lowercase letters, digits, dashes. */
static int
art_slug_ok(const char *s)
{
	size_t	len;

	len = strlen(s);
	if (len < 2 || len > ART_SLUG_MAX || s[0] == '-' ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") != len)
		return (0);
	/* The creation page's own address. */
	return (strcmp(s, "moi") != 0);
}

/* A local "YYYY-MM-DDTHH:MM" field as UTC ISO 8601: 1; empty 0; bad -1. */
static int
art_when(struct web *w, const char *name, char *out, size_t outlen)
{
	struct tm	 tm;
	const char	*v;
	size_t		 len;
	time_t		 t;

	out[0] = '\0';
	v = web_arg(w, name, &len);
	if (v == NULL || len == 0)
		return (0);
	if (strlen(v) != len || date_parse_local(v, len, &t) != 0)
		return (-1);
	gmtime_r(&t, &tm);
	if (strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return (-1);
	return (1);
}

static int
art_form_read(struct web *w, struct art_form *f, int is_new, char *err,
    size_t errlen)
{
	const char	*v;
	int		 p, e;

	if (is_new) {
		v = web_arg(w, "slug", NULL);
		if (v == NULL || !art_slug_ok(v)) {
			kore_strlcpy(err, "Địa chỉ (slug) chỉ gồm chữ thường "
			    "không dấu, chữ số và dấu gạch ngang, từ 2 đến 80 "
			    "ký tự.", errlen);
			return (-1);
		}
		kore_strlcpy(f->slug, v, sizeof(f->slug));
	}
	v = web_arg(w, "kind", NULL);
	if (v == NULL || article_kind_label(v) == NULL) {
		kore_strlcpy(err, "Vui lòng chọn loại tin.", errlen);
		return (-1);
	}
	kore_strlcpy(f->kind, v, sizeof(f->kind));
	if (web_text(w, "title", ART_TITLE_MAX, 0, 1, f->title,
	    sizeof(f->title), "Tiêu đề", err, errlen) == -1 ||
	    web_text(w, "body", ART_BODY_MAX, 1, 1, f->body, sizeof(f->body),
	    "Nội dung", err, errlen) == -1 ||
	    web_text(w, "field", ART_FIELD_MAX, 0, 0, f->field,
	    sizeof(f->field), "Lĩnh vực", err, errlen) == -1)
		return (-1);
	if (strlen(f->title) < 2) {
		kore_strlcpy(err, "Tiêu đề cần ít nhất 2 ký tự.", errlen);
		return (-1);
	}
	if ((p = art_when(w, "publish_at", f->publish,
	    sizeof(f->publish))) == -1) {
		kore_strlcpy(err, "Thời điểm đăng không hợp lệ (ngày giờ "
		    "theo dạng năm-tháng-ngày giờ:phút).", errlen);
		return (-1);
	}
	if ((e = art_when(w, "expires_at", f->expires,
	    sizeof(f->expires))) == -1) {
		kore_strlcpy(err, "Thời điểm hết hạn không hợp lệ (ngày giờ "
		    "theo dạng năm-tháng-ngày giờ:phút).", errlen);
		return (-1);
	}
	if (p == 0) {
		if (e == 1) {
			kore_strlcpy(err, "Khi có thời điểm hết hạn, vui lòng "
			    "ghi cả thời điểm đăng.", errlen);
			return (-1);
		}
		/* Published now: the database's clock. */
		kore_strlcpy(f->publish, "now", sizeof(f->publish));
	}
	/* Both UTC ISO 8601 of the same length: they sort as text. */
	if (e == 1 && strcmp(f->expires, f->publish) <= 0) {
		kore_strlcpy(err, "Thời điểm hết hạn phải sau thời điểm đăng.",
		    errlen);
		return (-1);
	}
	return (0);
}

/* The form: stored values, or what was typed when it failed. */
static int
art_form_render(struct http_request *req, struct web *w, int status,
    int is_new, const char *err, const char *notice)
{
	struct tval	*o;
	const char	*kind, *v, *state;
	size_t		 i;

	admin_nav(w, "articles");
	o = tval_set_obj(w->view, "a");
	if (!is_new) {
		web_view_row(w, o, AEDIT_LOAD, 0);
		state = web_val(w, AEDIT_LOAD, 0, "state");
		tval_set(o, "state_label", strcmp(state, "live") == 0 ?
		    "Đang hiển thị trên cổng" : strcmp(state, "scheduled") == 0 ?
		    "Hẹn đăng" : "Đã hết hạn hoặc đã thu hồi");
		tval_set_bool(o, "withdrawable", strcmp(state, "expired") != 0);
	}
	tval_set_bool(w->view, "is_new", is_new);
	if (err != NULL) {
		tval_set(w->view, "error", err);
		for (i = 0; i < ART_FORM_NFIELDS; i++) {
			if (!is_new && i == 0)
				continue;
			if ((v = web_arg(w, art_form_fields[i], NULL)) != NULL)
				tval_set(o, art_form_fields[i], v);
		}
	}
	if (notice != NULL)
		tval_set(w->view, "notice", notice);
	kind = err != NULL && web_arg(w, "kind", NULL) != NULL ?
	    web_arg(w, "kind", NULL) :
	    !is_new ? web_val(w, AEDIT_LOAD, 0, "kind") : "thong-bao";
	art_kinds_view(w, kind, "kinds");
	return (web_render(req, w, status, "admin_article_edit",
	    is_new ? "Thêm thông tin" : "Sửa thông tin"));
}

static void
art_kinds_view(struct web *w, const char *selected, const char *name)
{
	struct tval	*list, *o;
	const char	*code;
	size_t		 i;

	list = tval_set_list(w->view, name);
	for (i = 0; (code = article_kind_code(i)) != NULL; i++) {
		o = tval_list_add(list);
		tval_set(o, "code", code);
		tval_set(o, "label", article_kind_label(code));
		tval_set_bool(o, "selected", strcmp(code, selected) == 0);
	}
}
