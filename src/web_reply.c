/*
 * web_reply: what goes back.  A page (a template inside the layout), JSON,
 * an error in the shape the route's clients read (a page for people,
 * {"error": ...} for programs, GeoReport's list for Open311), a redirect
 * to a local path, a file from disk or a CSV download; each with the
 * security headers its kind needs.
 */
#include <sys/stat.h>

#include <fcntl.h>

#include "app.h"
#include "open311.h"
#include "refdata.h"

/* The footer's links until an administrator sets them (/quan-tri/kenh). */
#define PORTAL_PROVINCE_URL		"https://dongthap.gov.vn"
#define PORTAL_PUBLIC_SERVICE_URL	"https://dichvucong.dongthap.gov.vn"

/* Render a page: the named template inside the layout. */
int
web_render(struct http_request *req, struct web *w, int status,
    const char *tmpl, const char *title)
{
	struct sbuf	 body, page;
	struct tval	*u;

	sbuf_init(&body);
	sbuf_init(&page);
	if (tmpl_render(tmpl, w->view, &body) == -1) {
		kore_log(LOG_ERR, "web: no template %s", tmpl);
		sbuf_free(&body);
		return (web_send(req, 500, "text/plain; charset=utf-8",
		    "template missing", 16));
	}
	tval_set(w->view, "title", title);
	tval_setn(w->view, "body", body.data, body.len);
	/* The province's portals, as an administrator set them. */
	tval_set(w->view, "province_url", refdata->province_url[0] ?
	    refdata->province_url : PORTAL_PROVINCE_URL);
	tval_set(w->view, "public_service_url",
	    refdata->public_service_url[0] ? refdata->public_service_url :
	    PORTAL_PUBLIC_SERVICE_URL);
	if (w->user.id != 0) {
		u = tval_set_obj(w->view, "user");
		tval_set(u, "full_name", w->user.full_name);
		tval_set(u, "username", w->user.username);
		tval_set_bool(u, "is_operator", w->user.role == ROLE_OPERATOR);
		tval_set_bool(u, "is_staff", (w->user.role & ROLE_STAFF) != 0);
		tval_set_bool(u, "is_agency", w->user.role == ROLE_AGENCY);
		tval_set_bool(u, "is_supervisor",
		    (w->user.role & (ROLE_SUPERVISOR | ROLE_ADMIN)) != 0);
		tval_set_bool(u, "is_admin", w->user.role == ROLE_ADMIN);
		if (w->user.callbacks_owed > 0)
			tval_setf(u, "callbacks_owed", "%d",
			    w->user.callbacks_owed);
	}
	tmpl_render("layout", w->view, &page);
	web_send(req, status, "text/html; charset=utf-8", page.data, page.len);
	sbuf_free(&body);
	sbuf_free(&page);
	return (WEB_DONE);
}

int
web_send(struct http_request *req, int status, const char *type,
    const void *data, size_t len)
{
	struct web	*w = http_state_get(req);

	web_session_cookie(req, w);
	http_response_header(req, "content-type", type);
	http_response_header(req, "x-content-type-options", "nosniff");
	http_response_header(req, "referrer-policy", "same-origin");
	if (strncmp(type, "text/html", 9) == 0) {
		http_response_header(req, "x-frame-options", "DENY");
		http_response_header(req, "content-security-policy", app.csp);
		http_response_header(req, "cache-control", "no-store");
	}
	http_response(req, status, data, len);
	return (WEB_DONE);
}

/*
 * A JSON reply; it takes the value, even NULL: a value that could not be
 * built (jansson refuses text that is not UTF-8) is a 500, never a
 * reply that lacks a member.
 */
int
web_json(struct http_request *req, int status, json_t *v)
{
	static const char	 failed[] = "{\"error\":\"internal error\"}";
	char			*s;

	http_response_header(req, "cache-control", "no-store");
	if (v == NULL || (s = json_dumps(v, JSON_WRITE_FLAGS)) == NULL) {
		kore_log(LOG_ERR, "web: a JSON reply could not be written");
		json_decref(v);
		return (web_send(req, 500, "application/json; charset=utf-8",
		    failed, sizeof(failed) - 1));
	}
	json_decref(v);
	web_send(req, status, "application/json; charset=utf-8", s, strlen(s));
	free(s);
	return (WEB_DONE);
}

int
web_error(struct http_request *req, struct web *w, int status,
    const char *msg)
{
	if (w != NULL && w->route->api == WEB_API_OPEN311)
		return (open311_error(req, status, msg));
	if (w == NULL || w->route->api || w->view == NULL)
		return (web_json(req, status, json_pack("{s:o}", "error",
		    json_text(msg))));
	tval_set(w->view, "message", msg);
	tval_setf(w->view, "status", "%d", status);
	return (web_render(req, w, status, "error", "Có lỗi xảy ra"));
}

int
web_redirect(struct http_request *req, const char *location)
{
	struct web	*w = http_state_get(req);

	/* Only local paths: an open redirect would help phishing. */
	if (location[0] != '/' || location[1] == '/' || location[1] == '\\')
		location = "/";
	web_session_cookie(req, w);
	http_response_header(req, "location", location);
	http_response(req, 303, NULL, 0);
	return (WEB_DONE);
}

/*
 * A file from disk as the response, through Kore's file references: sent
 * by the kernel, never read into the worker.  The caller has checked that
 * this user may have it and set any extra headers.  -1 if there is no
 * such regular file (nothing sent).
 */
int
web_send_file(struct http_request *req, const char *path, const char *type)
{
	struct kore_fileref	*ref;
	struct kore_server	*srv;
	struct stat		 st;
	int			 fd;

	srv = req->owner->owner->server;
	if ((ref = kore_fileref_get(path, srv->tls)) == NULL) {
		if ((fd = open(path, O_RDONLY | O_NOFOLLOW)) == -1)
			return (-1);
		if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
			close(fd);
			return (-1);
		}
		/* kore_fileref_create() takes the fd. */
		if ((ref = kore_fileref_create(srv, path, fd, st.st_size,
		    &st.st_mtim)) == NULL)
			return (-1);
	}
	http_response_header(req, "content-type", type);
	http_response_header(req, "x-content-type-options", "nosniff");
	http_response_header(req, "cache-control", "private, no-store");
	http_response_fileref(req, 200, ref);
	return (0);
}

/* A CSV export as a download; file is an ASCII name the route made. */
int
web_send_csv(struct http_request *req, struct sbuf *b, const char *file)
{
	char	disp[160];

	(void)snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", file);
	http_response_header(req, "content-disposition", disp);
	http_response_header(req, "cache-control", "no-store");
	return (web_send(req, 200, "text/csv; charset=utf-8", b->data, b->len));
}

/*
 * A list's count ("55 … · trang 1/2"): total, page and pages in the view,
 * WEB_PAGE_SIZE rows a page.  1 if there is a page after this one.
 */
int
web_pager_count(struct web *w, int page, int total)
{
	tval_setf(w->view, "total", "%d", total);
	tval_setf(w->view, "page", "%d", page);
	tval_setf(w->view, "pages", "%d", total > 0 ?
	    (total + WEB_PAGE_SIZE - 1) / WEB_PAGE_SIZE : 1);
	return (total > page * WEB_PAGE_SIZE);
}

/*
 * The pager's links (templates/pager.html): base?{query}page=n for the
 * pages either side.  query is "" or a query string ending in "&", its
 * values already encoded (sbuf_append_url).
 */
void
web_pager(struct web *w, const char *base, const char *query, int page,
    int has_next)
{
	if (page > 1)
		tval_setf(w->view, "prev", "%s?%spage=%d", base, query,
		    page - 1);
	if (has_next)
		tval_setf(w->view, "next", "%s?%spage=%d", base, query,
		    page + 1);
}
