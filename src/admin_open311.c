/*
 * admin_open311: the administrator's page for Open311 api keys.  The
 * clients with their keys (issued, last used, revoked), a new key, and
 * revoking one.
 *
 * A key is made here, shown to the administrator once and stored only as
 * its SHA-256: it is 256 random bits, so a fast hash is enough (unlike a
 * password, nobody chose it) and open311.c can check it on every request
 * without a thread of its own.  Revoking is for good; the database refuses to
 * bring a key back (migrations/0035_open311_clients.sql).
 */
#include <sodium.h>

#include "app.h"
#include "admin.h"
#include "open311.h"
#include "valid.h"

#define CLIENT_NAME_MAX		120	/* characters, as the table says */
#define CLIENT_CONTACT_MAX	200

#define MSG_NOT_FOUND		"Không tìm thấy khóa đang hoạt động này " \
				"(có thể đã được thu hồi)."

struct key_page {
	char	id[16];
	char	name[CLIENT_NAME_MAX * 4 + 1];
	char	contact[CLIENT_CONTACT_MAX * 4 + 1];
	char	key[OPEN311_KEY_LEN + 1];
	char	hash[65];
	char	shown[OPEN311_KEY_SHOWN + 1];
	char	offset[16];
	int	page;
	int	status;			/* of the list page, when not 200 */
	int	k_list;			/* which result holds the list */
	char	actor[16];
	char	err[300];
};

static int	list_query(struct http_request *, struct web *,
		    struct key_page *);
static int	list_render(struct http_request *, struct web *,
		    struct key_page *);
static int	issue(struct http_request *, struct web *, struct key_page *);
static int	key_shown(struct http_request *, struct web *,
		    struct key_page *);
static struct key_page *key_page_new(struct web *);
static void	key_page_free(void *);

static const char	SQL_CLIENTS[] =
    "SELECT c.id, c.name, c.contact, c.key_prefix, "
    "to_char(c.created_at, 'DD/MM/YYYY HH24:MI') AS created, "
    "cu.full_name AS created_by, "
    "to_char(c.last_used_at, 'DD/MM/YYYY HH24:MI') AS last_used, "
    "to_char(c.revoked_at, 'DD/MM/YYYY HH24:MI') AS revoked, "
    "ru.full_name AS revoked_by, c.revoked_at IS NULL AS active, "
    "count(*) OVER () AS total "
    "FROM open311_clients c LEFT JOIN users cu ON cu.id = c.created_by "
    "LEFT JOIN users ru ON ru.id = c.revoked_by "
    "ORDER BY c.revoked_at IS NOT NULL, c.id DESC LIMIT 50 OFFSET $1::integer";

/* The client and its admin_events row together; no secret in the event. */
static const char	SQL_ISSUE[] =
    "WITH c AS (INSERT INTO open311_clients (name, contact, key_hash, "
    "key_prefix, created_by) "
    "VALUES ($1, NULLIF($2, ''), decode($3, 'hex'), $4, $5::integer) "
    "RETURNING id, name, contact) "
    ADMIN_EVENT_COLS
    "SELECT $5::integer, $6, 'open311_key_issue', 'open311_client', "
    "id::text, name, jsonb_strip_nulls(jsonb_build_object('contact', contact)) "
    "FROM c RETURNING target_id AS id";

static const char	SQL_REVOKE[] =
    "WITH c AS (UPDATE open311_clients SET revoked_at = now(), "
    "revoked_by = $2::integer WHERE id = $1::integer AND revoked_at IS NULL "
    "RETURNING id, name) "
    ADMIN_EVENT_COLS
    "SELECT $2::integer, $3, 'open311_key_revoke', 'open311_client', "
    "id::text, name, '{}' FROM c RETURNING target_id AS id";

/*
 * GET: the list.  POST: a new key, then the page that shows it once; a
 * bad form comes back on the list with the error.  KEYS_START asks for
 * either the list or the new key; k->k_list tells the two apart.
 */
enum { KEYS_START, KEYS_SHOW };

int
admin_open311_list_step(struct http_request *req, struct web *w)
{
	struct key_page	*k = w->data;

	if (w->step == KEYS_START) {
		k = key_page_new(w);
		if (web_is_post(req))
			return (issue(req, w, k));
		if (web_arg(w, "page", NULL) != NULL &&
		    admin_int(w, "page", 1, WEB_PAGE_MAX, &k->page) == -1) {
			k->page = 1;
			k->status = 400;
			kore_strlcpy(k->err, "Số trang không hợp lệ.",
			    sizeof(k->err));
		}
		return (list_query(req, w, k));
	}
	if (w->step - 1 == k->k_list)
		return (list_render(req, w, k));
	return (key_shown(req, w, k));
}

static int
list_query(struct http_request *req, struct web *w, struct key_page *k)
{
	(void)snprintf(k->offset, sizeof(k->offset), "%d",
	    (k->page - 1) * WEB_PAGE_SIZE);
	k->k_list = w->step;
	return (web_query(req, w, SQL_CLIENTS, 1, k->offset));
}

static int
list_render(struct http_request *req, struct web *w, struct key_page *k)
{
	static const char *const keep[] = { "name", "contact", NULL };
	struct tval	*list, *o, *f;
	const char	*ok;
	int		 i, n, total;

	admin_nav(w, "open311");
	n = web_rows(w, k->k_list);
	list = tval_set_list(w->view, "clients");
	for (i = 0; i < n; i++) {
		o = tval_list_add(list);
		web_view_row(w, o, k->k_list, i);
	}
	total = n > 0 ? atoi(web_val(w, k->k_list, 0, "total")) : 0;
	tval_set_bool(w->view, "empty", n == 0);
	web_pager(w, "/quan-tri/open311", "", k->page,
	    web_pager_count(w, k->page, total));

	f = tval_set_obj(w->view, "f");
	if (web_is_post(req))
		admin_keep(w, f, keep);
	ok = web_arg(w, "ok", NULL);
	if (!web_is_post(req) && ok != NULL && strcmp(ok, "thu-hoi") == 0)
		tval_set(w->view, "notice", "Đã thu hồi khóa; ứng dụng dùng "
		    "khóa này không gửi được phản ánh nữa.");
	if (k->err[0] != '\0')
		tval_set(w->view, "error", k->err);
	return (web_render(req, w, k->status ? k->status : 200,
	    "admin_open311", "Khóa API Open311"));
}

/* The form read, a key made and its hash stored, or the list again. */
static int
issue(struct http_request *req, struct web *w, struct key_page *k)
{
	if (admin_text(w, "name", CLIENT_NAME_MAX, 1, k->name,
	    sizeof(k->name), "Tên ứng dụng, đơn vị", k->err, sizeof(k->err)) == -1 ||
	    admin_text(w, "contact", CLIENT_CONTACT_MAX, 0, k->contact,
	    sizeof(k->contact), "Người liên hệ", k->err, sizeof(k->err)) == -1) {
		k->status = 400;
		return (list_query(req, w, k));
	}
	if (valid_utf8_chars(k->name, strlen(k->name)) < 2) {
		kore_strlcpy(k->err, "Tên ứng dụng, đơn vị cần ít nhất 2 ký tự.",
		    sizeof(k->err));
		k->status = 400;
		return (list_query(req, w, k));
	}
	memcpy(k->key, OPEN311_KEY_PREFIX, OPEN311_KEY_PREFIX_LEN);
	web_random_token(k->key + OPEN311_KEY_PREFIX_LEN);
	web_sha256_hex(k->key, k->hash);
	memcpy(k->shown, k->key, OPEN311_KEY_SHOWN);
	k->shown[OPEN311_KEY_SHOWN] = '\0';
	return (web_query(req, w, SQL_ISSUE, 6, k->name, k->contact, k->hash,
	    k->shown, k->actor, w->user.full_name));
}

/* Shown once: the page is never cached and the key never stored. */
static int
key_shown(struct http_request *req, struct web *w, struct key_page *k)
{
	int	rc;

	if (web_rows(w, KEYS_START) != 1)
		return (web_error(req, w, 500,
		    "Không cấp được khóa, vui lòng thử lại."));
	kore_log(LOG_INFO, "admin: %s issued Open311 key %s… to client %s",
	    w->user.username, k->shown, web_val(w, KEYS_START, 0, "id"));
	admin_nav(w, "open311");
	tval_set(w->view, "name", k->name);
	tval_set(w->view, "key", k->key);
	rc = web_render(req, w, 201, "admin_open311_key", "Đã cấp khóa API");
	sodium_memzero(k->key, sizeof(k->key));
	return (rc);
}

/* Revoking a key: mark it revoked, then back to the list. */
enum { REVOKE_MARK, REVOKE_DONE };

int
admin_open311_revoke_step(struct http_request *req, struct web *w)
{
	struct key_page	*k = w->data;

	if (w->step == REVOKE_MARK) {
		k = key_page_new(w);
		if (web_path_id(req, w, 1, k->id, sizeof(k->id)) == -1)
			return (web_error(req, w, 404, MSG_NOT_FOUND));
		return (web_query(req, w, SQL_REVOKE, 3, k->id, k->actor,
		    w->user.full_name));
	}
	if (web_rows(w, REVOKE_MARK) != 1)
		return (web_error(req, w, 404, MSG_NOT_FOUND));
	kore_log(LOG_INFO, "admin: %s revoked the Open311 key of client %s",
	    w->user.username, k->id);
	return (web_redirect(req, "/quan-tri/open311?ok=thu-hoi"));
}

static struct key_page *
key_page_new(struct web *w)
{
	struct key_page	*k;

	k = kore_calloc(1, sizeof(*k));
	admin_actor(w, k->actor, sizeof(k->actor));
	k->page = 1;
	k->k_list = -1;
	w->data = k;
	w->data_free = key_page_free;
	return (k);
}

static void
key_page_free(void *p)
{
	sodium_memzero(p, sizeof(struct key_page));
	kore_free(p);
}
