/*
 * download: attachments of tickets, for staff (any ticket) and agency
 * officers (only a ticket currently assigned to their agency); and the
 * files that came with a message (an e-mail's, a chat image), for staff.  Files live
 * outside the web root under random names; the name the citizen gave is
 * only ever sent back in Content-Disposition, encoded.
 */
#include <sys/stat.h>


#include "app.h"

static int	download_send(struct http_request *, struct web *);
static int	stored_name_ok(const char *);
static void	disposition(struct sbuf *, const char *);

/* $2: the user's scope (web_ticket_scope): an agency's files only. */
static const char	SQL_FILE[] =
    "SELECT a.stored_name, a.original_name, a.mime "
    "FROM tickets_in_scope($2::integer) t "
    "JOIN attachments a ON a.ticket_id = t.id WHERE a.id = $1::bigint";

/* A message's file (migrations/0050_channels.sql): staff only, by route. */
static const char	SQL_MESSAGE_FILE[] =
    "SELECT a.stored_name, a.original_name, a.mime "
    "FROM message_attachments a WHERE a.id = $1::bigint";

/* A file: look it up in the user's scope, then send it. */
enum { FILE_LOOKUP, FILE_SEND };

int
download_step(struct http_request *req, struct web *w)
{
	char		 id[24];

	if (w->step > FILE_LOOKUP)
		return (download_send(req, w));

	if (web_path_id(req, w, 1, id, sizeof(id)) == -1)
		return (web_error(req, w, 404, "Không tìm thấy tệp."));
	if (w->route->id == ROUTE_MESSAGE_FILE)
		return (web_query(req, w, SQL_MESSAGE_FILE, 1, id));
	return (web_query(req, w, SQL_FILE, 2, id, web_ticket_scope(w)));
}

static int
download_send(struct http_request *req, struct web *w)
{
	struct stat	 st;
	struct sbuf	 cd;
	char		 path[PATH_MAX];
	const char	*stored;

	if (web_rows(w, FILE_LOOKUP) != 1)
		return (web_error(req, w, 404, "Không tìm thấy tệp."));
	stored = web_val(w, FILE_LOOKUP, 0, "stored_name");
	if (!stored_name_ok(stored) || (size_t)snprintf(path, sizeof(path),
	    "%s/uploads/%s", app.var_dir, stored) >= sizeof(path)) {
		kore_log(LOG_ERR, "download: bad stored name in the database");
		return (web_error(req, w, 404, "Không tìm thấy tệp."));
	}
	/* Before any header: a missing file gets a plain 404 page. */
	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode)) {
		kore_log(LOG_ERR, "download: %s: missing or not a file", path);
		return (web_error(req, w, 404, "Không tìm thấy tệp."));
	}
	sbuf_init(&cd);
	disposition(&cd, web_val(w, FILE_LOOKUP, 0, "original_name"));
	http_response_header(req, "content-disposition", cd.data);
	http_response_header(req, "content-security-policy", "sandbox");
	sbuf_free(&cd);
	if (web_send_file(req, path,
	    web_val(w, FILE_LOOKUP, 0, "mime")) == -1) {
		kore_log(LOG_ERR, "download: %s: missing or not a file", path);
		return (web_error(req, w, 404, "Không tìm thấy tệp."));
	}
	return (WEB_DONE);
}

/* Names tickets.c writes: hex, a dot, a short extension. */
static int
stored_name_ok(const char *s)
{
	size_t	hex, ext;

	if (s == NULL)
		return (0);
	hex = strspn(s, "0123456789abcdef");
	if (hex == 0 || s[hex] != '.')
		return (0);
	ext = strspn(s + hex + 1, "abcdefghijklmnopqrstuvwxyz0123456789");
	return (ext > 0 && ext <= 8 && s[hex + 1 + ext] == '\0');
}

/*
 * attachment; filename="<ASCII fallback>"; filename*=UTF-8''<encoded>
 * (RFC 6266): no quote, backslash or control byte from the citizen's name
 * reaches the header unencoded.
 */
static void
disposition(struct sbuf *b, const char *name)
{
	const unsigned char	*s;

	if (name == NULL || name[0] == '\0')
		name = "tep-dinh-kem";
	sbuf_appendf(b, "attachment; filename=\"");
	for (s = (const unsigned char *)name; *s != '\0'; s++) {
		if (*s >= 0x20 && *s < 0x7f && *s != '"' && *s != '\\')
			sbuf_append(b, s, 1);
		else
			sbuf_lit(b, "_");
	}
	sbuf_appendf(b, "\"; filename*=UTF-8''");
	sbuf_append_url(b, name, SBUF_URL_PART);
}
