/*
 * auth: staff log in and out.  Passwords are argon2id hashes (libsodium),
 * verified on a lane's thread so a login never stalls the worker's other
 * requests.  Sessions live in PostgreSQL (any worker, any node), under a
 * hash of the cookie's token.
 */
#include <sodium.h>

#include "app.h"
#include "valid.h"

#define SESSION_HOURS		"12"
#define LOGIN_WINDOW_SEC	"900"
#define PASSWORD_MAX		256

struct login {
	char	username[48];
	char	password[PASSWORD_MAX + 1];
	char	hash[crypto_pwhash_STRBYTES];
	char	token[WEB_TOKEN_LEN + 1];
	char	token_hash[65];
	char	csrf[WEB_TOKEN_LEN + 1];
	char	next[256];
	char	user_key[80];
	char	ip_key[80];
};

/* The steps of a login; a query's result is kept under its step's name. */
enum auth_login_step {
	LOGIN_RATE,		/* the two limits */
	LOGIN_USER,		/* the account */
	LOGIN_VERIFY,		/* argon2id, on a lane's thread */
	LOGIN_SESSION,		/* the new session */
	LOGIN_DONE
};

static int	login_verify(struct web *);
static int	login_form(struct http_request *, struct web *, int,
		    const char *);
static void	login_free(void *);
static int	safe_next(const char *);
static const char *role_home(const char *);

/*
 * Every attempt counts against the account and against the address, each
 * with its own limit, before any password is hashed; a successful login
 * takes its two hits back (SQL_SESSION_NEW), so only failures add up.
 */
static const char	SQL_RATE[] =
    "SELECT rate_limit_hit($1, $2::integer, " LOGIN_WINDOW_SEC ") AS user_ok, "
    "rate_limit_hit($3, $4::integer, " LOGIN_WINDOW_SEC ") AS ip_ok";
static const char	SQL_USER[] =
    "SELECT id, role, password_hash FROM users WHERE username = $1 AND active";
static const char	SQL_SESSION_NEW[] =
    "WITH old AS (DELETE FROM sessions WHERE user_id = $2::integer AND expires_at < now()), "
    "r AS (UPDATE rate_limits SET hits = hits - 1 WHERE key IN ($4, $5) "
    "AND window_start = rate_limit_window(" LOGIN_WINDOW_SEC ") AND hits > 0) "
    "INSERT INTO sessions (token_hash, user_id, csrf, expires_at) "
    "VALUES (decode($1, 'hex'), $2::integer, $3, now() + interval '" SESSION_HOURS " hours')";

/* The hotline is told which session ended (hotline_sessions.c). */
static const char	SQL_SESSION_END[] =
    "WITH s AS (DELETE FROM sessions WHERE user_id = $1::integer AND csrf = $2 "
    "RETURNING token_hash, expires_at) "
    "SELECT " HOTLINE_SQL_ENDED " AS ended FROM s";

/*
 * A hash to verify against when the user does not exist, so that a wrong
 * username takes as long as a wrong password.
 */
static char	dummy_hash[crypto_pwhash_STRBYTES];

/* At worker start, before any request. */
void
auth_init(void)
{
	if (crypto_pwhash_str_alg(dummy_hash, "no such user", 12,
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		fatal("auth: cannot compute a password hash (out of memory)");
}

int
auth_login_step(struct http_request *req, struct web *w)
{
	struct login	*l = w->data;
	const char	*u, *p, *next;
	size_t		 ulen, plen;
	char		 ip[64], n[8], nip[8];

	switch (w->step) {
	case LOGIN_RATE:
		next = web_arg(w, "next", NULL);
		if (req->method == HTTP_METHOD_GET) {
			if (w->user.id != 0)
				return (web_redirect(req, next && safe_next(next) ?
				    next : "/"));
			return (login_form(req, w, 200, NULL));
		}
		l = kore_calloc(1, sizeof(*l));
		w->data = l;
		w->data_free = login_free;
		if (next != NULL && safe_next(next))
			kore_strlcpy(l->next, next, sizeof(l->next));
		u = web_arg(w, "username", &ulen);
		p = web_arg(w, "password", &plen);
		if (u == NULL || p == NULL || ulen == 0 || plen == 0)
			return (login_form(req, w, 400,
			    "Vui lòng nhập tên đăng nhập và mật khẩu."));
		if (ulen >= sizeof(l->username) || plen > PASSWORD_MAX ||
		    strlen(u) != ulen || strlen(p) != plen ||
		    !valid_utf8(u, ulen))
			return (login_form(req, w, 401,
			    "Sai tên đăng nhập hoặc mật khẩu."));
		memcpy(l->username, u, ulen + 1);
		memcpy(l->password, p, plen + 1);
		(void)snprintf(l->user_key, sizeof(l->user_key), "login-user:%s",
		    l->username);
		(void)snprintf(l->ip_key, sizeof(l->ip_key), "login-ip:%s",
		    web_client_ip(req, ip, sizeof(ip)));
		(void)snprintf(n, sizeof(n), "%d", app.rate_login);
		(void)snprintf(nip, sizeof(nip), "%d", app.rate_login_ip);
		return (web_query(req, w, SQL_RATE, 4, l->user_key, n,
		    l->ip_key, nip));
	case LOGIN_USER:
		if (!web_bool(w, LOGIN_RATE, 0, "user_ok") ||
		    !web_bool(w, LOGIN_RATE, 0, "ip_ok")) {
			kore_log(LOG_NOTICE, "auth: login limit reached (%s, %s)",
			    web_bool(w, LOGIN_RATE, 0, "user_ok") ? "address" :
			    "account", l->ip_key + 9);
			http_response_header(req, "retry-after", LOGIN_WINDOW_SEC);
			return (login_form(req, w, 429,
			    "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."));
		}
		return (web_query(req, w, SQL_USER, 1, l->username));
	case LOGIN_VERIFY:
		if (web_rows(w, LOGIN_USER) == 1) {
			kore_strlcpy(l->hash, web_val(w, LOGIN_USER, 0,
			    "password_hash"), sizeof(l->hash));
		} else {
			l->hash[0] = '\0';
		}
		return (web_task(req, w, LANE_HASH, login_verify));
	case LOGIN_SESSION:
		sodium_memzero(l->password, sizeof(l->password));
		if (w->task_result != 1 || web_rows(w, LOGIN_USER) != 1)
			return (login_form(req, w, 401,
			    "Sai tên đăng nhập hoặc mật khẩu."));
		web_random_token(l->token);
		web_random_token(l->csrf);
		web_sha256_hex(l->token, l->token_hash);
		return (web_query(req, w, SQL_SESSION_NEW, 5, l->token_hash,
		    web_val(w, LOGIN_USER, 0, "id"), l->csrf, l->user_key,
		    l->ip_key));
	case LOGIN_DONE:
	default:
		web_set_cookie(req, WEB_COOKIE_SESSION, l->token, -1);
		kore_log(LOG_INFO, "auth: %s logged in", l->username);
		return (web_redirect(req, l->next[0] ? l->next :
		    role_home(web_val(w, LOGIN_USER, 0, "role"))));
	}
}

/* On a lane's thread: argon2id is slow by design. */
static int
login_verify(struct web *w)
{
	struct login	*l = w->data;
	const char	*hash;
	int		 ok;

	hash = l->hash[0] != '\0' ? l->hash : dummy_hash;
	ok = crypto_pwhash_str_verify(hash, l->password,
	    strlen(l->password)) == 0;
	return (ok && l->hash[0] != '\0');
}

static int
login_form(struct http_request *req, struct web *w, int status,
    const char *error)
{
	const char	*next, *u;

	next = web_arg(w, "next", NULL);
	if (next != NULL && safe_next(next))
		tval_set(w->view, "next", next);
	u = web_arg(w, "username", NULL);
	if (u != NULL && strlen(u) < 48 && valid_utf8(u, strlen(u)))
		tval_set(w->view, "username", u);
	if (error != NULL)
		tval_set(w->view, "error", error);
	return (web_render(req, w, status, "login", "Đăng nhập"));
}

/* Logging out: end the session, then its softphone and the cookie. */
enum { LOGOUT_END, LOGOUT_DONE };

int
auth_logout_step(struct http_request *req, struct web *w)
{
	char	id[16];

	if (w->step == LOGOUT_END) {
		(void)snprintf(id, sizeof(id), "%d", w->user.id);
		return (web_query(req, w, SQL_SESSION_END, 2, id, w->user.csrf));
	}
	hotline_sessions_end(web_val(w, LOGOUT_END, 0, "ended"));
	web_set_cookie(req, WEB_COOKIE_SESSION, "", 0);
	return (web_redirect(req, "/dang-nhap"));
}

static void
login_free(void *p)
{
	struct login	*l = p;

	sodium_memzero(l, sizeof(*l));
	kore_free(l);
}

/* Only our own pages: "/x", never "//host" or "/\\host". */
static int
safe_next(const char *next)
{
	size_t	i;

	if (next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return (0);
	for (i = 0; next[i] != '\0'; i++) {
		if ((unsigned char)next[i] < 0x21 || next[i] == '"' ||
		    next[i] == '<' || next[i] == '>' || i > 200)
			return (0);
	}
	return (1);
}

static const char *
role_home(const char *role)
{
	if (strcmp(role, "agency") == 0)
		return ("/co-quan");
	if (strcmp(role, "supervisor") == 0)
		return ("/giam-sat");
	return ("/dtv");
}
