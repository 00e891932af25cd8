/*
 * web_session: who is asking.  The session cookie names a row of
 * sessions (under a hash of its token) and through it the user, role and
 * agency; every form carries a CSRF token (the session's for staff, a
 * cookie's twin for citizens); each route admits some roles.  Cookies are
 * written here, with SameSite and, over TLS, Secure.
 */
#include <sodium.h>

#include "app.h"

#define COOKIE_CSRF	"c1022"

static int	role_bit(const char *);

static const char	SQL_SESSION[] =
    "SELECT u.id, u.role, coalesce(u.agency_id, 0), u.username, u.full_name, s.csrf, "
    "encode(substr(s.token_hash, 1, 8), 'hex'), extract(epoch FROM s.expires_at)::bigint, "
    /* The callbacks the user owes, for the menu (migrations/0060). */
    "(SELECT count(*) FROM callbacks cb WHERE cb.operator_id = u.id "
    "AND cb.state = 'owed'), "
    /* Given a generated password: change it first (migrations/0065). */
    "u.must_change_password "
    "FROM sessions s JOIN users u ON u.id = s.user_id "
    "WHERE s.token_hash = decode($1, 'hex') AND s.expires_at > now() AND u.active";

/*
 * The anonymous CSRF token from its cookie (or a new one for a page), and
 * the session lookup when there is a session cookie: 1 if that query was
 * started, 0 if there is no session to look up.
 */
int
web_session_start(struct http_request *req, struct web *w)
{
	char	*cookie;
	char	 hash[65];

	http_populate_cookies(req);
	if (http_request_cookie(req, COOKIE_CSRF, &cookie) &&
	    strlen(cookie) == WEB_TOKEN_LEN) {
		kore_strlcpy(w->anon_csrf, cookie, sizeof(w->anon_csrf));
	} else if (!w->route->api) {
		web_random_token(w->anon_csrf);
		w->set_anon_csrf = 1;
	}

	w->phase = PHASE_HANDLER;
	/* Logged-in pages (and public ones that know the user) look up the session. */
	if (http_request_cookie(req, WEB_COOKIE_SESSION, &cookie) &&
	    strlen(cookie) == WEB_TOKEN_LEN) {
		web_sha256_hex(cookie, hash);
		w->phase = PHASE_SESSION;
		web_query(req, w, SQL_SESSION, 1, hash);
		return (1);
	}
	return (0);
}

/* The anonymous CSRF cookie, if this response is the one that sets it. */
void
web_session_cookie(struct http_request *req, struct web *w)
{
	if (w != NULL && w->set_anon_csrf) {
		web_set_cookie(req, COOKIE_CSRF, w->anon_csrf, -1);
		w->set_anon_csrf = 0;
	}
}

/* Called when the session lookup is done (or there was no cookie). */
int
web_session_done(struct http_request *req, struct web *w)
{
	char	 next[512];
	int	 i;

	if (w->phase == PHASE_SESSION && w->res[0] != NULL &&
	    PQntuples(w->res[0]) == 1) {
		w->user.id = atoi(PQgetvalue(w->res[0], 0, 0));
		w->user.role = role_bit(PQgetvalue(w->res[0], 0, 1));
		w->user.agency_id = atoi(PQgetvalue(w->res[0], 0, 2));
		(void)snprintf(w->user.scope, sizeof(w->user.scope), "%d",
		    w->user.agency_id);
		kore_strlcpy(w->user.username, PQgetvalue(w->res[0], 0, 3),
		    sizeof(w->user.username));
		kore_strlcpy(w->user.full_name, PQgetvalue(w->res[0], 0, 4),
		    sizeof(w->user.full_name));
		kore_strlcpy(w->user.csrf, PQgetvalue(w->res[0], 0, 5),
		    sizeof(w->user.csrf));
		kore_strlcpy(w->user.sid, PQgetvalue(w->res[0], 0, 6),
		    sizeof(w->user.sid));
		w->user.session_expires = strtoll(PQgetvalue(w->res[0], 0, 7),
		    NULL, 10);
		w->user.callbacks_owed = atoi(PQgetvalue(w->res[0], 0, 8));
		w->user.must_change_password =
		    strcmp(PQgetvalue(w->res[0], 0, 9), "t") == 0;
	}
	for (i = 0; i < WEB_MAX_RESULTS; i++) {
		if (w->res[i] != NULL) {
			PQclear(w->res[i]);
			w->res[i] = NULL;
		}
	}
	w->step = 0;
	w->phase = PHASE_HANDLER;

	if (w->route->roles != WEB_PUBLIC) {
		if (w->user.id == 0) {
			if (w->route->api || req->method != HTTP_METHOD_GET) {
				web_error(req, w, 401,
				    "Vui lòng đăng nhập để tiếp tục.");
			} else {
				(void)snprintf(next, sizeof(next),
				    "/dang-nhap?next=%s", req->path);
				web_redirect(req, next);
			}
			return (0);
		}
		if (!(w->user.role & w->route->roles)) {
			web_error(req, w, 403,
			    "Tài khoản của bạn không có quyền truy cập trang này.");
			return (0);
		}
		/*
		 * A generated password (demo, created or reset by an
		 * administrator) is changed before anything else.
		 */
		if (w->user.must_change_password &&
		    w->route->id != ROUTE_PASSWORD_CHANGE &&
		    w->route->id != ROUTE_LOGOUT) {
			if (w->route->api || req->method != HTTP_METHOD_GET)
				web_error(req, w, 403, "Vui lòng đổi mật khẩu "
				    "được cấp trước khi tiếp tục "
				    "(/doi-mat-khau).");
			else
				web_redirect(req, "/doi-mat-khau?lan-dau=1");
			return (0);
		}
	}
	if (!web_csrf_ok(req, w)) {
		web_error(req, w, 403,
		    "Phiên làm việc đã hết hạn. Vui lòng tải lại trang và gửi lại.");
		return (0);
	}
	if (w->user.id != 0) {
		tval_set(w->view, "csrf", w->user.csrf);
	}
	return (1);
}

/*
 * Every form POST carries a token: the session's for staff, a cookie's
 * twin (double submit) for citizens.  JSON APIs are not forms.
 */
int
web_csrf_ok(struct http_request *req, struct web *w)
{
	const char	*sent, *want;
	size_t		 len;

	want = w->user.id != 0 ? w->user.csrf : w->anon_csrf;
	tval_set(w->view, "csrf", want);

	if (req->method != HTTP_METHOD_POST || w->route->api)
		return (1);
	if (w->set_anon_csrf && w->user.id == 0)
		return (0);
	if ((sent = form_get(&w->form, "csrf", &len)) == NULL)
		return (0);
	if (len != strlen(want) || len != WEB_TOKEN_LEN)
		return (0);
	return (sodium_memcmp(sent, want, len) == 0);
}

static int
role_bit(const char *role)
{
	if (strcmp(role, "operator") == 0)
		return (ROLE_OPERATOR);
	if (strcmp(role, "supervisor") == 0)
		return (ROLE_SUPERVISOR);
	if (strcmp(role, "agency") == 0)
		return (ROLE_AGENCY);
	if (strcmp(role, "admin") == 0)
		return (ROLE_ADMIN);
	return (0);
}

void
web_random_token(char out[WEB_TOKEN_LEN + 1])
{
	unsigned char	rnd[32];

	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2base64(out, WEB_TOKEN_LEN + 1, rnd, sizeof(rnd),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void
web_sha256_hex(const char *s, char out[65])
{
	unsigned char	h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/*
 * Kore's own cookie writer has no SameSite and always says Secure; ours
 * says SameSite=Lax, HttpOnly, and Secure when the site is served over TLS.
 * maxage < 0: a browser-session cookie; 0: delete it.
 */
void
web_set_cookie(struct http_request *req, const char *name, const char *value,
    int maxage)
{
	char	buf[256];
	int	n;

	n = snprintf(buf, sizeof(buf), "%s=%s; Path=/; HttpOnly; SameSite=Lax%s",
	    name, value, app.cookie_secure ? "; Secure" : "");
	if (n < 0 || (size_t)n >= sizeof(buf))
		fatal("web_set_cookie: cookie too long");
	if (maxage >= 0) {
		(void)snprintf(buf + n, sizeof(buf) - n, "; Max-Age=%d", maxage);
	}
	http_response_header(req, "set-cookie", buf);
}

/*
 * The tickets this user may see, as the parameter of tickets_in_scope()
 * (migrations/0033): NULL for the center's staff, every ticket; the
 * agency's id for an agency officer (0 if none is set: no ticket).  The
 * one place the agency rule becomes SQL.
 */
const char *
web_ticket_scope(struct web *w)
{
	if (w->user.role != ROLE_AGENCY)
		return (NULL);
	return (w->user.scope[0] != '\0' ? w->user.scope : "0");
}
