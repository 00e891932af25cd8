/*
 * social_hook: the Zalo OA and Facebook Messenger webhooks.
 *
 *   POST /webhooks/zalo       X-ZEvent-Signature: mac=<sha256 hex>
 *   GET  /webhooks/facebook   the subscription check (hub.*)
 *   POST /webhooks/facebook   X-Hub-Signature-256: sha256=<hmac hex>
 *
 * A delivery is checked before anything is stored, cheapest first: the
 * size (Kore and the route's limit), the signature header's presence,
 * the signature over the raw body with keys this worker keeps in memory
 * (no query for a forged request), and then the body's shape
 * (social.c).  What passes goes to the database in one statement,
 * social_receive() (migrations/0054), which stores each message once
 * and queues the acknowledgement; the provider gets its 200 as soon as
 * that commits.
 *
 * The keys are channel_settings rows; every worker loads them at start
 * and again whenever a Zalo or Facebook setting changes (a trigger
 * NOTIFYs social_settings, live.c brings it here), or notifications may
 * have been lost.
 */
#include <sodium.h>

#include "app.h"
#include "social.h"

#define KEY_MAX			512	/* bytes of a key we keep */
#define CHALLENGE_MAX		128	/* bytes of hub.challenge */
#define RELOAD_RETRY_MS		1000

struct social_keys {
	char	zalo_app_id[KEY_MAX];
	char	zalo_oa_secret[KEY_MAX];
	char	fb_app_secret[KEY_MAX];
	char	fb_verify_token[KEY_MAX];
	int	loaded;
};

static void	keys_reload(void);
static void	keys_changed(const char *);
static void	keys_timer(void *, u_int64_t);
static void	keys_row(struct kore_pgsql *, int, void *);
static void	keys_done(int, void *);
static int	store(struct http_request *, struct web *, const char *,
		    json_t *);
static int	answer(struct http_request *, struct web *);
static int	facebook_verify(struct http_request *, struct web *);

static struct social_keys	 keys;		/* in use */
static struct social_keys	 loading;	/* being read */
static struct dbjob		 keys_job;
static int			 keys_again;	/* a change came meanwhile */

static const char SQL_KEYS[] =
    "SELECT channel, name, value FROM channel_settings "
    "WHERE (channel, name) IN (('zalo', 'app_id'), ('zalo', 'oa_secret_key'), "
    "('facebook', 'app_secret'), ('facebook', 'verify_token'))";

/* A redelivery stores nothing new: safe to run again. */
static const char SQL_RECEIVE[] = SQL_REPEATABLE
    "SELECT stored, acks FROM social_receive($1, $2::jsonb)";

/* The steps of a delivery: check and store it, then answer. */
enum { HOOK_RECEIVE, HOOK_ANSWER };

void
social_hook_init(void)
{
	live_listen("social_settings", keys_changed);
	kore_timer_add(keys_timer, 1, NULL, 1);
}

int
social_zalo_step(struct http_request *req, struct web *w)
{
	const char	*sig;
	json_t		*root, *items;
	char		 ts[SOCIAL_TIMESTAMP_MAX + 1], err[128];

	if (w->step == HOOK_ANSWER)
		return (answer(req, w));

	if (!http_request_header(req, "x-zevent-signature", &sig))
		return (web_error(req, w, 401, "missing X-ZEvent-Signature"));
	if (!keys.loaded)
		return (web_error(req, w, 503, "settings not loaded yet"));
	if (keys.zalo_app_id[0] == '\0' || keys.zalo_oa_secret[0] == '\0')
		return (web_error(req, w, 403, "Zalo OA is not set up"));
	/* The signed timestamp is inside the body: parse, touch nothing. */
	if ((root = social_parse(w->body, w->body_len, err,
	    sizeof(err))) == NULL)
		return (web_error(req, w, 400, err));
	if (social_zalo_timestamp(root, ts, sizeof(ts)) == -1) {
		json_decref(root);
		return (web_error(req, w, 400, "timestamp is missing"));
	}
	if (!social_zalo_signature_ok(keys.zalo_app_id, keys.zalo_oa_secret,
	    w->body, w->body_len, ts, sig)) {
		json_decref(root);
		return (web_error(req, w, 401, "bad signature"));
	}
	items = social_zalo_items(root, err, sizeof(err));
	json_decref(root);
	if (items == NULL)
		return (web_error(req, w, 400, err));
	return (store(req, w, "zalo", items));
}

int
social_facebook_step(struct http_request *req, struct web *w)
{
	const char	*sig;
	json_t		*items;
	char		 err[128];

	if (w->step == HOOK_ANSWER)
		return (answer(req, w));
	if (req->method == HTTP_METHOD_GET)
		return (facebook_verify(req, w));

	if (!http_request_header(req, "x-hub-signature-256", &sig))
		return (web_error(req, w, 401, "missing X-Hub-Signature-256"));
	if (!keys.loaded)
		return (web_error(req, w, 503, "settings not loaded yet"));
	if (keys.fb_app_secret[0] == '\0')
		return (web_error(req, w, 403, "Facebook is not set up"));
	if (!social_facebook_signature_ok(keys.fb_app_secret, w->body,
	    w->body_len, sig))
		return (web_error(req, w, 401, "bad signature"));
	if ((items = social_facebook_items(w->body, w->body_len, err,
	    sizeof(err))) == NULL)
		return (web_error(req, w, 400, err));
	return (store(req, w, "facebook", items));
}

/* The items in one statement; none (receipts only): answered at once. */
static int
store(struct http_request *req, struct web *w, const char *channel,
    json_t *items)
{
	char	*text;
	int	 rc;

	if (json_array_size(items) == 0) {
		json_decref(items);
		return (web_json(req, 200, json_pack("{s:i}", "stored", 0)));
	}
	text = json_dumps(items, JSON_COMPACT);
	json_decref(items);
	if (text == NULL)
		return (web_error(req, w, 400, "items are not UTF-8"));
	rc = web_query(req, w, SQL_RECEIVE, 2, channel, text);
	free(text);
	return (rc);
}

static int
answer(struct http_request *req, struct web *w)
{
	if (web_rows(w, HOOK_RECEIVE) != 1)
		return (web_error(req, w, 500, "not stored"));
	return (web_json(req, 200, json_pack("{s:i,s:i}",
	    "stored", atoi(web_val(w, HOOK_RECEIVE, 0, "stored")),
	    "acks", atoi(web_val(w, HOOK_RECEIVE, 0, "acks")))));
}

/*
 * Facebook's subscription check: hub.mode "subscribe" and our verify
 * token; the challenge goes back as it came.
 */
static int
facebook_verify(struct http_request *req, struct web *w)
{
	const char	*mode, *token, *challenge;
	size_t		 mlen, tlen, clen, i;

	mode = web_arg(w, "hub.mode", &mlen);
	token = web_arg(w, "hub.verify_token", &tlen);
	challenge = web_arg(w, "hub.challenge", &clen);
	if (mode == NULL || token == NULL || challenge == NULL ||
	    strcmp(mode, "subscribe") != 0 || clen == 0 ||
	    clen > CHALLENGE_MAX || strlen(token) != tlen)
		return (web_error(req, w, 400, "hub.mode, hub.verify_token "
		    "and hub.challenge are required"));
	for (i = 0; i < clen; i++)
		if (challenge[i] <= ' ' || challenge[i] > '~')
			return (web_error(req, w, 400, "bad hub.challenge"));
	if (!keys.loaded)
		return (web_error(req, w, 503, "settings not loaded yet"));
	if (!social_secret_equal(keys.fb_verify_token, token))
		return (web_error(req, w, 403, "wrong verify token"));
	return (web_send(req, 200, "text/plain", challenge, clen));
}

static void
keys_timer(void *arg, u_int64_t now)
{
	keys_reload();
}

static void
keys_changed(const char *payload)
{
	keys_reload();
}

static void
keys_reload(void)
{
	if (keys_job.busy) {
		keys_again = 1;		/* again after the load under way */
		return;
	}
	memset(&loading, 0, sizeof(loading));
	(void)dbjob_start(&keys_job, SQL_KEYS, keys_row, keys_done, NULL);
}

static void
keys_row(struct kore_pgsql *sql, int i, void *arg)
{
	const char	*channel, *name, *value;
	char		*dst = NULL;

	channel = kore_pgsql_getvalue(sql, i, 0);
	name = kore_pgsql_getvalue(sql, i, 1);
	value = kore_pgsql_getvalue(sql, i, 2);
	if (strcmp(channel, "zalo") == 0 && strcmp(name, "app_id") == 0)
		dst = loading.zalo_app_id;
	else if (strcmp(channel, "zalo") == 0)
		dst = loading.zalo_oa_secret;
	else if (strcmp(name, "app_secret") == 0)
		dst = loading.fb_app_secret;
	else
		dst = loading.fb_verify_token;
	if (strlen(value) >= KEY_MAX) {
		kore_log(LOG_WARNING, "social: %s.%s is longer than %d bytes, "
		    "left unset", channel, name, KEY_MAX - 1);
		return;
	}
	(void)snprintf(dst, KEY_MAX, "%s", value);
}

static void
keys_done(int ok, void *arg)
{
	if (!ok) {
		kore_log(LOG_WARNING, "social: webhook keys not loaded, "
		    "trying again");
		kore_timer_add(keys_timer, RELOAD_RETRY_MS, NULL, 1);
		return;
	}
	loading.loaded = 1;
	keys = loading;
	sodium_memzero(&loading, sizeof(loading));
	if (keys_again) {
		keys_again = 0;
		keys_reload();
	}
}
