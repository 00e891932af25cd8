/*
 * admin_channels: the administrator's page of the channels' settings
 * (/quan-tri/kenh): addresses, accounts, keys and texts of e-mail, Zalo,
 * Facebook, SMS and the notices, as channel_settings.c lists them.
 *
 * A secret never comes back to the browser: the page reads only whether
 * it is set and, when it is long enough that this gives nothing away, its
 * last two characters.  A secret left blank in the form is kept; clearing
 * one is its own form with a confirmation.  Each save is ONE statement
 * that changes the rows and appends the admin_events row naming what
 * changed, never the values of secrets.
 */
#include "app.h"
#include "refdata.h"
#include "admin.h"
#include "channel_settings.h"
#include "valid.h"

/* A secret this long or longer shows its last two characters. */
#define SECRET_TAIL_FROM	12

struct ch_page {
	const struct channel_info	*info;	/* the channel saved, POST */
	char				 actor[16];
	char				 err[400];
	int				 status;
	int				 k_list;
};

static int	ch_read(struct web *, struct ch_page *, json_t *);
static int	ch_list(struct http_request *, struct web *, struct ch_page *);
static int	ch_render(struct http_request *, struct web *,
		    struct ch_page *);
static int	ch_row(struct web *, struct ch_page *, const char *,
		    const char *);
static struct ch_page *ch_page_new(struct web *);

/* The values, except secrets: of those only whether set, and a tail. */
static const char	SQL_SETTINGS[] =
    "SELECT s.channel, s.name, s.secret, "
    "CASE WHEN s.secret THEN '' ELSE s.value END AS value, "
    "CASE WHEN s.secret AND length(s.value) >= "
    "$1::integer THEN right(s.value, 2) ELSE '' END AS tail, "
    "to_char(s.updated_at, 'DD/MM/YYYY HH24:MI') AS updated, "
    "coalesce(u.full_name, '') AS updated_by "
    "FROM channel_settings s LEFT JOIN users u ON u.id = s.updated_by";

/*
 * $1 channel, $2 [{name, value, secret}] as checked (a blank secret is
 * not in it: kept), $3 actor id, $4 actor label, $5 the channel's title.
 * A blank non-secret is removed; the event names what changed.
 */
static const char	SQL_SAVE[] =
    "WITH i AS (SELECT * FROM jsonb_to_recordset($2::jsonb) "
    "AS x(name text, value text, secret boolean)), "
    "o AS (SELECT name, value FROM channel_settings WHERE channel = $1), "
    "up AS (INSERT INTO channel_settings AS s (channel, name, value, secret, "
    "updated_at, updated_by) "
    "SELECT $1, i.name, i.value, i.secret, now(), $3::integer "
    "FROM i LEFT JOIN o USING (name) "
    "WHERE i.value <> '' AND o.value IS DISTINCT FROM i.value "
    "ON CONFLICT (channel, name) DO UPDATE SET value = EXCLUDED.value, "
    "secret = EXCLUDED.secret, updated_at = now(), "
    "updated_by = EXCLUDED.updated_by RETURNING s.name), "
    "del AS (DELETE FROM channel_settings s USING i WHERE s.channel = $1 "
    "AND s.name = i.name AND i.value = '' AND NOT i.secret RETURNING s.name), "
    "e AS (" ADMIN_EVENT_COLS
    "SELECT $3::integer, $4, 'channel_update', 'channel', $1, $5, "
    "jsonb_build_object("
    "'changed', coalesce((SELECT jsonb_agg(name ORDER BY name) FROM up), '[]'), "
    "'cleared', coalesce((SELECT jsonb_agg(name ORDER BY name) FROM del), '[]')) "
    "WHERE EXISTS (SELECT 1 FROM up) OR EXISTS (SELECT 1 FROM del) "
    "RETURNING id) "
    "SELECT (SELECT count(*) FROM e) AS logged";

/* $1 channel, $2 name, $3 actor id, $4 label, $5 the channel's title. */
static const char	SQL_CLEAR[] =
    "WITH d AS (DELETE FROM channel_settings WHERE channel = $1 "
    "AND name = $2 AND secret RETURNING channel, name) "
    ADMIN_EVENT_COLS
    "SELECT $3::integer, $4, 'channel_secret_clear', 'channel', channel, $5, "
    "jsonb_build_object('cleared', jsonb_build_array(name)) FROM d "
    "RETURNING target_id";

/*
 * The page: show the settings, or save one channel's form (CH_SAVE) and
 * go back to it.  The list is asked for at CH_SAVE (a GET, a bad form)
 * or after the save: c->k_list says which.
 */
enum { CH_SAVE, CH_SAVED };

int
admin_channels_step(struct http_request *req, struct web *w)
{
	struct ch_page	*c = w->data;
	json_t		*rows;
	char		*js, title[300], url[96];
	int		 rc;

	if (w->step == CH_SAVE) {
		c = ch_page_new(w);
		if (!web_is_post(req))
			return (ch_list(req, w, c));
		rows = json_array();
		if (ch_read(w, c, rows) == -1) {
			json_decref(rows);
			c->status = 400;
			return (ch_list(req, w, c));
		}
		if ((js = json_dumps(rows, JSON_COMPACT)) == NULL)
			fatal("admin_channels: json_dumps");
		json_decref(rows);
		(void)snprintf(title, sizeof(title), "%s", c->info->title);
		rc = web_query(req, w, SQL_SAVE, 5, c->info->channel, js,
		    c->actor, w->user.full_name, title);
		free(js);
		return (rc);
	}
	if (w->step - 1 == c->k_list)
		return (ch_render(req, w, c));
	/* The footer's links are reference data: every worker reloads. */
	if (strcmp(c->info->channel, "portal") == 0)
		refdata_reload();
	(void)snprintf(url, sizeof(url), "/quan-tri/kenh?ok=%s#kenh-%s",
	    web_val(w, CH_SAVE, 0, "logged")[0] == '0' ? "0" : "1",
	    c->info->channel);
	return (web_redirect(req, url));
}

/*
 * One channel's form into rows: every setting the form sent, checked;
 * a blank secret left out (kept).  0, or -1 with the first error.
 */
static int
ch_read(struct web *w, struct ch_page *c, json_t *rows)
{
	const struct channel_setting	*s;
	const char			*v;
	char				*val, reason[300];
	size_t				 len;

	v = web_arg(w, "channel", NULL);
	if ((c->info = channel_info_find(v)) == NULL) {
		kore_strlcpy(c->err, "Kênh không hợp lệ.", sizeof(c->err));
		return (-1);
	}
	val = kore_malloc(CHANNEL_SETTING_MAX * 4 + 1);
	for (s = channel_settings; s->channel != NULL; s++) {
		if (strcmp(s->channel, c->info->channel) != 0)
			continue;
		if ((v = web_arg(w, s->name, &len)) == NULL)
			continue;		/* not on the form: unchanged */
		if (len >= CHANNEL_SETTING_MAX * 4 || strlen(v) != len) {
			(void)snprintf(c->err, sizeof(c->err), "%s: nội dung "
			    "không hợp lệ hoặc quá dài.", s->label);
			kore_free(val);
			return (-1);
		}
		memcpy(val, v, len + 1);
		(void)valid_trim(val);
		if (val[0] == '\0' && s->secret)
			continue;		/* blank keeps a secret */
		if (val[0] != '\0' && channel_setting_check(s, val, reason,
		    sizeof(reason)) == -1) {
			(void)snprintf(c->err, sizeof(c->err), "%s: %s",
			    s->label, reason);
			kore_free(val);
			return (-1);
		}
		json_array_append_new(rows, json_pack("{s:s, s:s, s:b}",
		    "name", s->name, "value", val, "secret", s->secret));
	}
	kore_free(val);
	return (0);
}

static int
ch_list(struct http_request *req, struct web *w, struct ch_page *c)
{
	char	tail[8];

	c->k_list = w->step;
	(void)snprintf(tail, sizeof(tail), "%d", SECRET_TAIL_FROM);
	return (web_query(req, w, SQL_SETTINGS, 1, tail));
}

static int
ch_render(struct http_request *req, struct web *w, struct ch_page *c)
{
	const struct channel_info	*ci;
	const struct channel_setting	*s;
	struct tval			*chans, *ch, *list, *o, *clears, *cl;
	const char			*v, *typed;
	int				 row, posted;

	admin_nav(w, "channels");
	chans = tval_set_list(w->view, "channels");
	for (ci = channel_infos; ci->channel != NULL; ci++) {
		ch = tval_list_add(chans);
		tval_set(ch, "channel", ci->channel);
		tval_set(ch, "title", ci->title);
		tval_set_bool(ch, "report", strcmp(ci->channel, "report") == 0);
		list = tval_set_list(ch, "settings");
		clears = tval_set_list(ch, "clears");
		posted = web_is_post(req) && c->info == ci;
		for (s = channel_settings; s->channel != NULL; s++) {
			if (strcmp(s->channel, ci->channel) != 0)
				continue;
			row = ch_row(w, c, s->channel, s->name);
			o = tval_list_add(list);
			tval_set(o, "name", s->name);
			tval_set(o, "label", s->label);
			if (s->help != NULL)
				tval_set(o, "help", s->help);
			tval_set_bool(o, "secret", s->secret);
			tval_set_bool(o, "long", s->kind == CS_LONGTEXT);
			tval_set_bool(o, "number", s->kind == CS_NUMBER);
			if (s->kind != CS_NUMBER)
				tval_setf(o, "max", "%d", s->max);
			if (row >= 0) {
				tval_setf(o, "updated", "%s%s%s",
				    web_val(w, c->k_list, row, "updated"),
				    *web_val(w, c->k_list, row, "updated_by") ?
				    ", " : "",
				    web_val(w, c->k_list, row, "updated_by"));
			}
			if (s->secret) {
				tval_set_bool(o, "is_set", row >= 0);
				v = row >= 0 ? web_val(w, c->k_list, row,
				    "tail") : "";
				if (row >= 0 && *v != '\0')
					tval_setf(o, "state", "Đã đặt, kết thúc "
					    "bằng …%s", v);
				else
					tval_set(o, "state", row >= 0 ?
					    "Đã đặt" : "Chưa đặt");
				if (row >= 0) {
					cl = tval_list_add(clears);
					tval_set(cl, "name", s->name);
					tval_set(cl, "label", s->label);
				}
				continue;
			}
			typed = posted ? web_arg(w, s->name, NULL) : NULL;
			if (typed != NULL)
				tval_set(o, "value", typed);
			else if (row >= 0)
				tval_set(o, "value",
				    web_val(w, c->k_list, row, "value"));
		}
	}
	v = web_arg(w, "ok", NULL);
	if (!web_is_post(req) && v != NULL)
		tval_set(w->view, "notice", strcmp(v, "0") == 0 ?
		    "Không có gì thay đổi." : strcmp(v, "xoa") == 0 ?
		    "Đã xóa khóa bí mật." : strcmp(v, "bao-cao") == 0 ?
		    "Đã xếp báo cáo gửi thử vào hàng gửi đi: xem ở Tin gửi "
		    "đi." : "Đã lưu cấu hình kênh.");
	if (c->err[0] != '\0')
		tval_set(w->view, "error", c->err);
	return (web_render(req, w, c->status ? c->status : 200,
	    "admin_channels", "Cấu hình kênh"));
}

/* The row of (channel, name) in the list, or -1. */
static int
ch_row(struct web *w, struct ch_page *c, const char *channel,
    const char *name)
{
	int	i, n;

	n = web_rows(w, c->k_list);
	for (i = 0; i < n; i++)
		if (strcmp(web_val(w, c->k_list, i, "channel"), channel) == 0 &&
		    strcmp(web_val(w, c->k_list, i, "name"), name) == 0)
			return (i);
	return (-1);
}

/* Clearing a secret: confirmed, then gone, then back to the page. */
enum { CLEAR_DELETE, CLEAR_DONE };

int
admin_channels_clear_step(struct http_request *req, struct web *w)
{
	struct ch_page			*c = w->data;
	const struct channel_setting	*s;
	const char			*ch, *name;
	char				 title[300], url[96];

	if (w->step == CLEAR_DELETE) {
		c = ch_page_new(w);
		ch = web_arg(w, "channel", NULL);
		name = web_arg(w, "name", NULL);
		if (ch == NULL || name == NULL ||
		    (s = channel_setting_find(ch, name)) == NULL || !s->secret)
			return (web_error(req, w, 400, "Khóa bí mật không hợp "
			    "lệ."));
		if (!admin_checked(w, "confirm"))
			return (web_error(req, w, 400, "Hãy đánh dấu ô xác nhận "
			    "để xóa khóa bí mật; chưa có gì bị xóa."));
		c->info = channel_info_find(ch);
		(void)snprintf(title, sizeof(title), "%s", c->info->title);
		return (web_query(req, w, SQL_CLEAR, 5, s->channel, s->name,
		    c->actor, w->user.full_name, title));
	}
	if (web_rows(w, CLEAR_DELETE) != 1)
		return (web_error(req, w, 404, "Khóa bí mật này chưa được đặt "
		    "(hoặc đã bị xóa)."));
	(void)snprintf(url, sizeof(url), "/quan-tri/kenh?ok=xoa#kenh-%s",
	    c->info->channel);
	return (web_redirect(req, url));
}

static struct ch_page *
ch_page_new(struct web *w)
{
	struct ch_page	*c;

	c = kore_calloc(1, sizeof(*c));
	admin_actor(w, c->actor, sizeof(c->actor));
	c->k_list = -1;
	w->data = c;
	w->data_free = kore_free;
	return (c);
}
