/*
 * mail_fetch: the center's mailbox, read over IMAP with libcurl and filed
 * into the inbox.  One fetcher for the whole center: every worker starts
 * a thread, and the one whose database connection holds the advisory
 * lock MAIL_LOCK_KEY fetches; the others wait to take over if it dies
 * (its connection closes, the lock goes with it).
 *
 * Each round (every poll_seconds) reads the settings again, so a changed
 * address or password takes effect without a restart, then asks for the
 * unseen messages (UID SEARCH UNSEEN, with those a fetcher left half-way)
 * and takes them one by one:
 *
 *	fetch	the raw message, at most MAIL_RAW_MAX bytes
 *	parse	mail_parse() (mail.c), the portal's limits for files
 *	store	the kept files under var/uploads, then one transaction:
 *		mail_receive() (migrations/0053_mail.sql: the message, its
 *		conversation, the ticket named in the subject, the
 *		acknowledgement) and the files' rows
 *	mark	UID STORE +FLAGS (\Seen), and the keyword below taken off
 *
 * libcurl's FETCH is BODY[], which the server marks \Seen by itself, so
 * a message is first given the keyword MAIL_KEYWORD ("being fetched"),
 * which only a stored message loses: one whose storing failed is marked
 * unseen again and tried on the next round, and one whose fetcher died
 * half-way still has the keyword, which the search asks for too.  A message that can't be read at all (no sender, not
 * MIME, too large) is stored as what it is: its raw bytes as an
 * attachment and the reason as its text, so it is never lost and never
 * fetched again.  The same Message-ID twice is stored once.
 *
 * Settings (channel_settings, channel 'email'): imap_url (imap:// or
 * imaps://host:port/MAILBOX), imap_user, imap_password, imap_starttls
 * ("yes": required on imap://), poll_seconds (1 to 3600, default 60).
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "app.h"
#include "bgdb.h"
#include "code.h"
#include "mail.h"
#include "outbox.h"
#include "ticket.h"

#define MAIL_LOCK_KEY		"1022025301"	/* pg_try_advisory_lock's */
#define MAIL_RAW_MAX		(25 * 1024 * 1024)
#define MAIL_SEARCH_MAX		(256 * 1024)	/* the SEARCH answer */
#define MAIL_BATCH		50		/* messages a round */
#define MAIL_POLL_DEFAULT	60
#define MAIL_POLL_MAX		3600
#define MAIL_WAIT_SEC		5	/* no settings, no lock: look again */
#define MAIL_TIMEOUT_SEC	120
#define MAIL_KEYWORD		"Tongdai1022Fetching"	/* an IMAP atom */

struct mail_conf {
	char	url[MAIL_SETTING_MAX];
	char	user[MAIL_SETTING_MAX];
	char	pass[MAIL_SETTING_MAX];
	char	tls[8];
	int	poll;
};

struct mail_buf {
	char	*data;
	size_t	 len;
	size_t	 max;
	int	 truncated;
};

/* A message's kept files, written before its rows. */
struct mail_stored {
	char	name[MAIL_FILES_SEEN_MAX][64];
	int	n;
};

static void	*mail_fetch_thread(void *);
static int	 mail_fetch_conf(PGconn *, struct mail_conf *);
static int	 mail_fetch_round(PGconn *, const struct mail_conf *);
static int	 mail_fetch_one(PGconn *, CURL *, const struct mail_conf *,
		    unsigned long);
static int	 imap_search(CURL *, const struct mail_conf *, unsigned long *,
		    int);
static int	 imap_fetch(CURL *, const struct mail_conf *, unsigned long,
		    struct mail_buf *);
static int	 imap_command(CURL *, const struct mail_conf *, const char *);
static int	 imap_store(CURL *, const struct mail_conf *, unsigned long,
		    const char *);
static void	 imap_setup(CURL *, const struct mail_conf *, const char *,
		    struct mail_buf *);
static size_t	 imap_collect(char *, size_t, size_t, void *);
static int	 mail_store(PGconn *, const struct mail *);
static int	 mail_store_raw(PGconn *, const char *, size_t, const char *);
static int	 mail_receive(PGconn *, const char *const *,
		    const struct mail *, const struct mail_stored *);
static void	 files_remove(const struct mail_stored *);

static const char *const SQL_RECEIVE =
    "SELECT r.message_id, r.created, coalesce(r.ack_id, 0) "
    "FROM mail_receive($1, $2, NULLIF($3, ''), NULLIF($4, ''), $5, $6::jsonb, "
    "  ARRAY(SELECT jsonb_array_elements_text($7::jsonb)), NULLIF($8, ''), "
    "  $9::boolean) r";

static const char *const SQL_ATTACH =
    "INSERT INTO message_attachments (message_id, stored_name, original_name, "
    "  mime, size) VALUES ($1::bigint, $2, $3, $4, $5::int)";

static const char *const SQL_SETTINGS =
    "SELECT name, value FROM channel_settings WHERE channel = 'email' "
    "  AND name IN ('imap_url', 'imap_user', 'imap_password', "
    "  'imap_starttls', 'poll_seconds')";

/* In each worker: a fetcher thread, which fetches if it gets the lock. */
void
mail_fetch_init(void)
{
	app_thread_start("mail-fetch", mail_fetch_thread, NULL);
}

static void *
mail_fetch_thread(void *arg)
{
	struct mail_conf	*conf;
	PGconn			*db = NULL;
	int			 locked = 0, said = 0;

	if ((conf = calloc(1, sizeof(*conf))) == NULL)
		return (NULL);
	for (;;) {
		if (db == NULL && (db = bgdb_connect("mail")) == NULL) {
			if (app_thread_poll(-1, MAIL_WAIT_SEC * 1000) == -1)
				break;
			continue;
		}
		if (!locked && (locked = bgdb_try_lock(db,
		    MAIL_LOCK_KEY, "mail")) != 1) {
			if (locked == -1) {
				PQfinish(db);
				db = NULL;
			}
			locked = 0;
			if (app_thread_poll(-1, MAIL_WAIT_SEC * 1000) == -1)
				break;
			continue;
		}
		if (mail_fetch_conf(db, conf) == -1 ||
		    (conf->url[0] != '\0' && mail_fetch_round(db, conf) == -1)) {
			PQfinish(db);		/* the lock goes with it */
			db = NULL;
			locked = 0;
			if (app_thread_poll(-1, 1000) == -1)
				break;
			continue;
		}
		if (conf->url[0] == '\0') {
			if (!said)
				kore_log(LOG_NOTICE, "mail: no imap_url set for "
				    "the e-mail channel: not fetching mail");
			said = 1;
			if (app_thread_poll(-1, MAIL_WAIT_SEC * 1000) == -1)
				break;
			continue;
		}
		said = 0;
		if (app_thread_poll(-1, conf->poll * 1000) == -1)
			break;
	}
	/* The worker stops. */
	if (db != NULL)
		PQfinish(db);
	free(conf);
	return (NULL);
}

static int
mail_fetch_conf(PGconn *db, struct mail_conf *conf)
{
	PGresult	*res;
	const char	*name, *value;
	char		*dst;
	size_t		 len;
	int		 i;

	res = PQexec(db, SQL_SETTINGS);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		kore_log(LOG_WARNING, "mail: settings: %s", PQerrorMessage(db));
		PQclear(res);
		return (-1);
	}
	memset(conf, 0, sizeof(*conf));
	conf->poll = MAIL_POLL_DEFAULT;
	for (i = 0; i < PQntuples(res); i++) {
		name = PQgetvalue(res, i, 0);
		value = PQgetvalue(res, i, 1);
		if (strcmp(name, "poll_seconds") == 0) {
			conf->poll = atoi(value);
			if (conf->poll < 1 || conf->poll > MAIL_POLL_MAX)
				conf->poll = MAIL_POLL_DEFAULT;
			continue;
		}
		dst = strcmp(name, "imap_url") == 0 ? conf->url :
		    strcmp(name, "imap_user") == 0 ? conf->user :
		    strcmp(name, "imap_password") == 0 ? conf->pass : conf->tls;
		len = dst == conf->tls ? sizeof(conf->tls) : MAIL_SETTING_MAX;
		(void)snprintf(dst, len, "%s", value);
	}
	PQclear(res);
	/* A trailing slash would name no mailbox: INBOX/;UID=n needs one. */
	len = strlen(conf->url);
	while (len > 0 && conf->url[len - 1] == '/')
		conf->url[--len] = '\0';
	return (0);
}

/* The unseen messages: -1 if the database failed, else 0. */
static int
mail_fetch_round(PGconn *db, const struct mail_conf *conf)
{
	unsigned long	 uids[MAIL_BATCH];
	CURL		*curl;
	int		 i, n, rc = 0;

	if ((curl = curl_easy_init()) == NULL)
		return (0);
	/* One that fails to store waits; the others go on, unless the
	 * database is gone. */
	n = imap_search(curl, conf, uids, MAIL_BATCH);
	for (i = 0; i < n && !httpc_stop; i++) {
		if (mail_fetch_one(db, curl, conf, uids[i]) == -1 &&
		    PQstatus(db) != CONNECTION_OK) {
			rc = -1;
			break;
		}
	}
	curl_easy_cleanup(curl);
	return (rc);
}

/* One message: 0 stored (or left for the next round), -1 store failed. */
static int
mail_fetch_one(PGconn *db, CURL *curl, const struct mail_conf *conf,
    unsigned long uid)
{
	static const struct mail_limits	lim = { MAIL_RAW_MAX, UPLOAD_MAX_BYTES,
					    UPLOAD_MAX_FILES };
	struct mail_buf		 raw;
	struct mail		*m;
	int			 rc;

	memset(&raw, 0, sizeof(raw));
	raw.max = MAIL_RAW_MAX;
	(void)imap_store(curl, conf, uid, "+FLAGS.SILENT (" MAIL_KEYWORD ")");
	if (imap_fetch(curl, conf, uid, &raw) == -1) {
		free(raw.data);
		return (0);		/* the server's trouble: next round */
	}
	if ((m = calloc(1, sizeof(*m))) == NULL)
		abort();
	rc = raw.truncated ? MAIL_E_SIZE : mail_parse(raw.data, raw.len, &lim, m);
	if (rc == 0) {
		rc = mail_store(db, m);
		mail_free(m);
	} else {
		kore_log(LOG_NOTICE, "mail: uid %lu can't be read (%s): stored "
		    "raw", uid, mail_error(rc));
		rc = mail_store_raw(db, raw.data, raw.len, mail_error(rc));
	}
	free(m);
	free(raw.data);

	if (rc == 0) {
		if (imap_store(curl, conf, uid, "+FLAGS.SILENT (\\Seen)") == -1 ||
		    imap_store(curl, conf, uid,
		    "-FLAGS.SILENT (" MAIL_KEYWORD ")") == -1)
			kore_log(LOG_WARNING, "mail: uid %lu stored but not "
			    "marked: it will be read again (and ignored)", uid);
		return (0);
	}
	/* Unseen again, for the next round. */
	(void)imap_store(curl, conf, uid,
	    "-FLAGS.SILENT (\\Seen " MAIL_KEYWORD ")");
	return (-1);
}

/* The unseen and the half-fetched into uids (at most max): how many, or -1. */
static int
imap_search(CURL *curl, const struct mail_conf *conf, unsigned long *uids,
    int max)
{
	struct mail_buf	 out;
	CURLcode	 rc;
	char		*p, *end;
	unsigned long	 uid;
	int		 n = 0;

	memset(&out, 0, sizeof(out));
	out.max = MAIL_SEARCH_MAX;
	imap_setup(curl, conf, conf->url, &out);
	(void)curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST,
	    "UID SEARCH OR UNSEEN KEYWORD " MAIL_KEYWORD);
	if ((rc = curl_easy_perform(curl)) != CURLE_OK) {
		kore_log(LOG_WARNING, "mail: %s: UID SEARCH: %s", conf->url,
		    curl_easy_strerror(rc));
		free(out.data);
		return (-1);
	}
	if (out.data != NULL && (p = strstr(out.data, "* SEARCH")) != NULL) {
		p += strlen("* SEARCH");
		while (n < max) {
			while (*p == ' ')
				p++;
			if (*p < '1' || *p > '9')
				break;
			uid = strtoul(p, &end, 10);
			if (end == p || uid == 0 || uid > 4294967295UL)
				break;
			uids[n++] = uid;
			p = end;
		}
	}
	free(out.data);
	return (n);
}

static int
imap_fetch(CURL *curl, const struct mail_conf *conf, unsigned long uid,
    struct mail_buf *raw)
{
	CURLcode	rc;
	char		url[MAIL_SETTING_MAX + 32];

	(void)snprintf(url, sizeof(url), "%s/;UID=%lu", conf->url, uid);
	imap_setup(curl, conf, url, raw);
	rc = curl_easy_perform(curl);
	if (rc == CURLE_WRITE_ERROR && raw->truncated)
		return (0);
	if (rc != CURLE_OK) {
		kore_log(LOG_WARNING, "mail: uid %lu: FETCH: %s", uid,
		    curl_easy_strerror(rc));
		return (-1);
	}
	return (0);
}

static int
imap_command(CURL *curl, const struct mail_conf *conf, const char *cmd)
{
	struct mail_buf	 out;
	CURLcode	 rc;

	memset(&out, 0, sizeof(out));
	out.max = 64 * 1024;
	imap_setup(curl, conf, conf->url, &out);
	(void)curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, cmd);
	rc = curl_easy_perform(curl);
	free(out.data);
	if (rc != CURLE_OK) {
		kore_log(LOG_WARNING, "mail: %s: %s", cmd, curl_easy_strerror(rc));
		return (-1);
	}
	return (0);
}

/* UID STORE of flags (what: "+FLAGS.SILENT (...)"): 0, or -1. */
static int
imap_store(CURL *curl, const struct mail_conf *conf, unsigned long uid,
    const char *what)
{
	char	cmd[128];

	(void)snprintf(cmd, sizeof(cmd), "UID STORE %lu %s", uid, what);
	return (imap_command(curl, conf, cmd));
}

/* The options of every IMAP request; the connection is kept between. */
static void
imap_setup(CURL *curl, const struct mail_conf *conf, const char *url,
    struct mail_buf *out)
{
	curl_easy_reset(curl);
	(void)curl_easy_setopt(curl, CURLOPT_URL, url);
	(void)curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	(void)curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	(void)curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
	(void)curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)MAIL_TIMEOUT_SEC);
	(void)curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, imap_collect);
	(void)curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
	httpc_stoppable(curl);
	if (conf->user[0] != '\0') {
		(void)curl_easy_setopt(curl, CURLOPT_USERNAME, conf->user);
		(void)curl_easy_setopt(curl, CURLOPT_PASSWORD, conf->pass);
	}
	(void)curl_easy_setopt(curl, CURLOPT_USE_SSL,
	    strcmp(conf->tls, "yes") == 0 ? (long)CURLUSESSL_ALL :
	    (long)CURLUSESSL_NONE);
}

/* Up to out->max bytes; more stops the transfer, marked truncated. */
static size_t
imap_collect(char *data, size_t size, size_t n, void *arg)
{
	struct mail_buf	*out = arg;
	size_t		 len = size * n, room;

	if (out->data == NULL) {
		if ((out->data = malloc(out->max + 1)) == NULL)
			return (0);
		out->len = 0;
	}
	room = out->max - out->len;
	if (len > room) {
		memcpy(out->data + out->len, data, room);
		out->len += room;
		out->data[out->len] = '\0';
		out->truncated = 1;
		return (0);
	}
	memcpy(out->data + out->len, data, len);
	out->len += len;
	out->data[out->len] = '\0';
	return (len);
}

/* A parsed mail: its kept files, then its rows.  0, or -1. */
static int
mail_store(PGconn *db, const struct mail *m)
{
	struct mail_stored	 st;
	json_t			*payload, *refused, *refs;
	const char		*params[9];
	char			*pj, *rj, cand[CODE_LEN + 1], code[CODE_LEN + 1];
	int			 i, rc;

	memset(&st, 0, sizeof(st));
	refused = json_array();
	for (i = 0; i < m->nfiles; i++) {
		if (m->files[i].data == NULL) {
			(void)json_array_append_new(refused, json_pack("{s:s, s:s}",
			    "name", m->files[i].name, "reason", m->files[i].refused));
			continue;
		}
		if (upload_store(m->files[i].data, m->files[i].len,
		    m->files[i].ext, st.name[i], sizeof(st.name[i])) == -1) {
			files_remove(&st);
			json_decref(refused);
			return (-1);
		}
		st.n = i + 1;
	}
	st.n = m->nfiles;

	refs = json_array();
	for (i = 0; i < m->nrefs; i++)
		(void)json_array_append_new(refs, json_string(m->refs[i]));
	if (m->in_reply_to[0] != '\0')
		(void)json_array_append_new(refs, json_string(m->in_reply_to));
	payload = json_pack("{s:s, s:s, s:s, s:b, s:o}", "message_id",
	    m->message_id, "in_reply_to", m->in_reply_to, "origin",
	    mail_origin_name(m->origin), "html", m->from_html,
	    "attachments_refused", refused);
	pj = json_dumps(payload, JSON_COMPACT);
	rj = json_dumps(refs, JSON_COMPACT);
	json_decref(payload);
	json_decref(refs);

	code[0] = '\0';
	if (mail_subject_code(m->subject, cand, sizeof(cand)) == 0 &&
	    code_parse(cand, code) != 0)
		code[0] = '\0';

	params[0] = m->message_id;
	params[1] = m->from;
	params[2] = m->name;
	params[3] = m->subject;
	params[4] = m->text;
	params[5] = pj;
	params[6] = rj;
	params[7] = code;
	params[8] = m->origin == MAIL_PERSON ? "true" : "false";
	rc = mail_receive(db, params, m, &st);
	free(pj);
	free(rj);
	return (rc);
}

/*
 * A mail that can't be read: its bytes as an attachment, the reason as
 * its text, no acknowledgement.  Its id is the hash of its bytes, so the
 * same broken mail fetched again is stored once.
 */
static int
mail_store_raw(PGconn *db, const char *raw, size_t len, const char *why)
{
	struct mail_stored	 st;
	struct mail		*m;
	unsigned char		 sum[crypto_hash_sha256_BYTES];
	char			 hex[crypto_hash_sha256_BYTES * 2 + 1];
	char			 body[512], *pj;
	const char		*params[9];
	json_t			*payload;
	int			 rc;

	memset(&st, 0, sizeof(st));
	if ((m = calloc(1, sizeof(*m))) == NULL)
		abort();
	(void)crypto_hash_sha256(sum, (const unsigned char *)raw, len);
	(void)sodium_bin2hex(hex, sizeof(hex), sum, sizeof(sum));
	(void)snprintf(m->message_id, sizeof(m->message_id),
	    "sha256-%s@unreadable.invalid", hex);
	(void)snprintf(m->files[0].name, sizeof(m->files[0].name), "thu-goc.eml");
	m->files[0].mime = "message/rfc822";
	m->files[0].len = len;
	m->nfiles = len > 0 ? 1 : 0;
	if (m->nfiles == 1 && upload_store((const unsigned char *)raw, len, "eml", st.name[0],
	    sizeof(st.name[0])) == -1) {
		free(m);
		return (-1);
	}
	st.n = m->nfiles;
	(void)snprintf(body, sizeof(body), "%s Thư gốc được giữ nguyên trong "
	    "tệp đính kèm.", why);
	payload = json_pack("{s:b, s:s}", "unreadable", 1, "error", why);
	pj = json_dumps(payload, JSON_COMPACT);
	json_decref(payload);
	params[0] = m->message_id;
	params[1] = "unreadable@mail.invalid";
	params[2] = "Thư không đọc được";
	params[3] = why;
	params[4] = body;
	params[5] = pj;
	params[6] = "[]";
	params[7] = "";
	params[8] = "false";
	rc = mail_receive(db, params, m, &st);
	free(pj);
	free(m);
	return (rc);
}

/* One transaction: mail_receive() and, if it is new, its files' rows. */
static int
mail_receive(PGconn *db, const char *const *params, const struct mail *m,
    const struct mail_stored *st)
{
	PGresult	*res;
	const char	*ap[5];
	char		 id[24], size[24];
	int		 i, created, ok = 0;

	res = PQexec(db, "BEGIN");
	PQclear(res);
	res = PQexecParams(db, SQL_RECEIVE, 9, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		kore_log(LOG_WARNING, "mail: %s: %s", m->message_id,
		    PQerrorMessage(db));
		PQclear(res);
		goto out;
	}
	(void)snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
	created = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	PQclear(res);
	for (i = 0; created && i < st->n; i++) {
		if (st->name[i][0] == '\0')
			continue;
		(void)snprintf(size, sizeof(size), "%zu", m->files[i].len);
		ap[0] = id;
		ap[1] = st->name[i];
		ap[2] = m->files[i].name;
		ap[3] = m->files[i].mime;
		ap[4] = size;
		res = PQexecParams(db, SQL_ATTACH, 5, NULL, ap, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			kore_log(LOG_WARNING, "mail: %s: attachment: %s",
			    m->message_id, PQerrorMessage(db));
			PQclear(res);
			goto out;
		}
		PQclear(res);
	}
	res = PQexec(db, "COMMIT");
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (ok && !created)
		files_remove(st);	/* a duplicate: its files aren't needed */
	if (ok)
		return (0);
out:
	res = PQexec(db, "ROLLBACK");
	PQclear(res);
	files_remove(st);
	return (-1);
}

/*
 * A file under var/uploads with a random name, written aside and renamed
 * once complete and synced, as the portal's uploads are.
 */
static void
files_remove(const struct mail_stored *st)
{
	int	i;

	for (i = 0; i < st->n; i++)
		upload_unstore(st->name[i]);
}
