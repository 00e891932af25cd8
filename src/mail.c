/*
 * mail: an e-mail's raw bytes into what the inbox stores, and an answer
 * into the bytes SMTP sends.  GMime does the MIME work (headers, RFC 2047
 * encoded-words, transfer encodings, charsets through iconv, windows-1258
 * included); this file decides what is kept and within which limits.
 *
 * The one piece written here rather than taken from a library is the
 * HTML-to-text reduction (mail_html_text): GMime converts text to HTML,
 * not back, and what the inbox needs is small and strict: no tag, no
 * script or style content, entities decoded, block ends as new lines.
 * The result is plain text, escaped again wherever it is shown.
 *
 * Everything that comes out is valid UTF-8 in NFC (Vietnamese typed on
 * some systems, and windows-1258 always, arrives decomposed), without
 * control characters, and bounded: a mail is never refused for what it
 * says, only cut to size, and its attachments are judged as the portal
 * judges uploads (sniff.c, the caller's limits).
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>
#include <sodium.h>
#include <unistr.h>
#include <uninorm.h>

#include "mail.h"
#include "sniff.h"

struct walk {
	struct mail			*m;
	const struct mail_limits	*lim;
	char				*plain;
	char				*html;
	size_t				 html_len;
	int				 kept;
};

static void	 mail_init(void);
static void	 mail_init_once(void);
static char	*text_clean(const char *, size_t, size_t, int);
static void	 line_copy(char *, size_t, const char *);
static char	*part_text(GMimePart *, size_t *);
static unsigned char *part_bytes(GMimePart *, size_t *);
static void	 walk_part(GMimeObject *, GMimeObject *, gpointer);
static void	 walk_file(struct walk *, GMimePart *);
static void	 read_from(struct mail *, GMimeMessage *);
static void	 read_ids(struct mail *, GMimeMessage *, const char *, size_t);
static enum mail_origin read_origin(GMimeMessage *, const char *);
static int	 header_is(GMimeObject *, const char *, const char *const *);
static int	 id_ok(const char *);
static int	 attach_ok(const struct mail_attach *);
static GMimePart *attach_part(const struct mail_attach *);
static void	 param_utf8(GMimeParamList *, const char *);
static size_t	 utf8_cut(const char *, size_t);
static size_t	 html_entity(const char *, size_t, char *);

static pthread_once_t	mail_once = PTHREAD_ONCE_INIT;

static const char *const mail_errors[] = {
	"",
	"Không đọc được thư.",
	"Thư lớn hơn giới hạn cho phép.",
	"Thư không đúng định dạng MIME.",
	"Thư không có địa chỉ người gửi hợp lệ.",
};

static const char *const precedence_bulk[] = { "bulk", "list", "junk", NULL };

/*
 * Reads raw (len bytes) into m.  0, or MAIL_E_*: m then holds nothing to
 * free.  A part that can't be decoded is skipped, never the whole mail.
 */
int
mail_parse(const char *raw, size_t len, const struct mail_limits *lim,
    struct mail *m)
{
	GMimeStream	*stream;
	GMimeParser	*parser;
	GMimeMessage	*msg;
	struct walk	 w;
	char		*plain;

	memset(m, 0, sizeof(*m));
	if (len > lim->raw_max)
		return (MAIL_E_SIZE);
	if (len == 0 || memchr(raw, ':', len < 4096 ? len : 4096) == NULL)
		return (MAIL_E_MIME);
	mail_init();

	stream = g_mime_stream_mem_new_with_buffer(raw, len);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	g_object_unref(stream);
	if (msg == NULL)
		return (MAIL_E_MIME);

	read_from(m, msg);
	if (m->from[0] == '\0') {
		g_object_unref(msg);
		return (MAIL_E_FROM);
	}
	line_copy(m->subject, sizeof(m->subject), g_mime_message_get_subject(msg));
	read_ids(m, msg, raw, len);
	m->origin = read_origin(msg, m->from);

	memset(&w, 0, sizeof(w));
	w.m = m;
	w.lim = lim;
	g_mime_message_foreach(msg, walk_part, &w);
	if (w.plain != NULL) {
		m->text = w.plain;
		free(w.html);
	} else if (w.html != NULL) {
		plain = mail_html_text(w.html, w.html_len);
		m->text = text_clean(plain, strlen(plain), MAIL_TEXT_MAX, 0);
		m->from_html = 1;
		free(plain);
		free(w.html);
	} else {
		m->text = text_clean("", 0, 1, 0);
	}
	g_object_unref(msg);
	return (0);
}

void
mail_free(struct mail *m)
{
	int	i;

	for (i = 0; i < m->nrefs; i++)
		free(m->refs[i]);
	for (i = 0; i < m->nfiles; i++)
		free(m->files[i].data);
	free(m->text);
	memset(m, 0, sizeof(*m));
}

/* mail_parse()'s error, in Vietnamese for the message's page. */
const char *
mail_error(int rc)
{
	if (rc >= 0 || -rc >= (int)(sizeof(mail_errors) / sizeof(mail_errors[0])))
		return (mail_errors[1]);
	return (mail_errors[-rc]);
}

const char *
mail_origin_name(enum mail_origin o)
{
	switch (o) {
	case MAIL_AUTOREPLY:
		return ("auto-reply");
	case MAIL_BULK:
		return ("list");
	case MAIL_BOUNCE:
		return ("bounce");
	default:
		return ("person");
	}
}

/*
 * The first thing in a subject shaped like a ticket code ("2611-K7M3Q9XP",
 * spaces or no dash allowed, as code_parse() forgives) into out as
 * "2611-K7M3Q9XP" for code_parse() to check.  0, or -1 if none.
 */
int
mail_subject_code(const char *s, char *out, size_t len)
{
	size_t	i, j, k, n;
	char	sym[12];

	if (len < 14)
		return (-1);
	n = strlen(s);
	for (i = 0; i + 12 <= n; i++) {
		if (i > 0 && isalnum((unsigned char)s[i - 1]))
			continue;
		for (j = i, k = 0; j < n && k < 12; j++) {
			if (k == 4 && (s[j] == '-' || s[j] == ' ') && j == i + 4)
				continue;
			if (!isalnum((unsigned char)s[j]) ||
			    (k < 4 && !isdigit((unsigned char)s[j])))
				break;
			sym[k++] = (char)toupper((unsigned char)s[j]);
		}
		if (k != 12 || (j < n && isalnum((unsigned char)s[j])))
			continue;
		memcpy(out, sym, 4);
		out[4] = '-';
		memcpy(out + 5, sym + 4, 8);
		out[13] = '\0';
		return (0);
	}
	return (-1);
}

/*
 * HTML (len bytes) as plain text: tags dropped, script, style and
 * comments dropped with their content, entities decoded, block ends and
 * <br> as new lines, runs of blanks as one.  Never longer than the
 * input.  The caller frees it.
 */
char *
mail_html_text(const char *h, size_t len)
{
	static const char *const blocks[] = { "br", "p", "div", "li", "tr",
	    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul",
	    "ol", "hr", "pre", NULL };
	char		*out, name[16], ent[8];
	const char	*end, *close;
	size_t		 i, o, k, n, e;
	int		 blank = 1, skip_raw;

	if ((out = malloc(len + 1)) == NULL)
		abort();
	for (i = 0, o = 0; i < len; ) {
		if (h[i] == '<' && i + 3 < len && memcmp(h + i, "<!--", 4) == 0) {
			end = memmem(h + i + 4, len - i - 4, "-->", 3);
			i = end == NULL ? len : (size_t)(end - h) + 3;
			continue;
		}
		if (h[i] == '<') {
			k = i + 1;
			if (k < len && h[k] == '/')
				k++;
			for (n = 0; k < len && n + 1 < sizeof(name) &&
			    isalnum((unsigned char)h[k]); k++)
				name[n++] = (char)tolower((unsigned char)h[k]);
			name[n] = '\0';
			if (n == 0 && !(k < len && (h[k] == '!' || h[k] == '?'))) {
				blank = 0;	/* a lone '<' is text */
				out[o++] = h[i++];
				continue;
			}
			/* The tag's end, past quoted attribute values. */
			for (; k < len && h[k] != '>'; k++) {
				if (h[k] == '"' || h[k] == '\'') {
					end = memchr(h + k + 1, h[k], len - k - 1);
					if (end == NULL)
						break;
					k = (size_t)(end - h);
				}
			}
			skip_raw = h[i + 1] != '/' &&
			    (strcmp(name, "script") == 0 || strcmp(name, "style") == 0);
			i = k < len ? k + 1 : len;
			if (skip_raw) {
				close = strcmp(name, "script") == 0 ? "</script" : "</style";
				for (; i < len; i++)
					if (h[i] == '<' && len - i >= strlen(close) &&
					    strncasecmp(h + i, close, strlen(close)) == 0)
						break;
				end = i < len ? memchr(h + i, '>', len - i) : NULL;
				i = end == NULL ? len : (size_t)(end - h) + 1;
				continue;
			}
			for (k = 0; blocks[k] != NULL; k++)
				if (strcmp(name, blocks[k]) == 0)
					break;
			if (blocks[k] != NULL && o > 0) {
				/* At most one empty line in a row. */
				if (!(o >= 2 && out[o - 1] == '\n' && out[o - 2] == '\n')) {
					while (o > 0 && out[o - 1] == ' ')
						o--;
					out[o++] = '\n';
				}
				blank = 1;
			} else if (!blank) {
				out[o++] = ' ';
				blank = 1;
			}
			continue;
		}
		if (h[i] == '&' && (e = html_entity(h + i, len - i, ent)) > 0) {
			n = strlen(ent);
			if (n == 1 && ent[0] == ' ') {
				if (!blank)
					out[o++] = ' ';
				blank = 1;
			} else {
				memcpy(out + o, ent, n);
				o += n;
				blank = 0;
			}
			i += e;
			continue;
		}
		if (h[i] == ' ' || h[i] == '\t' || h[i] == '\r' || h[i] == '\n') {
			if (!blank)
				out[o++] = ' ';
			blank = 1;
			i++;
			continue;
		}
		out[o++] = h[i++];
		blank = 0;
	}
	while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\n'))
		o--;
	out[o] = '\0';
	return (out);
}

/*
 * An answer's bytes for SMTP, CRLF line ends, text/plain UTF-8 in
 * quoted-printable.  NULL if a header field would carry a line break.
 * The caller frees it; *len is its length.
 */
char *
mail_build(const struct mail_out *o, size_t *len)
{
	GMimeMessage		*msg;
	GMimeTextPart		*text;
	GMimeMultipart		*mixed;
	GMimePart		*part;
	GMimeFormatOptions	*fmt;
	GDateTime		*now;
	char			*s, *copy, hdr[MAIL_ID_MAX + 3];
	const char		*fields[7] = { o->from, o->from_name, o->to,
				    o->subject, o->message_id, o->in_reply_to,
				    o->references };
	size_t			 i;

	for (i = 0; i < 7; i++)
		if (fields[i] != NULL && strpbrk(fields[i], "\r\n") != NULL)
			return (NULL);
	if (o->nfiles < 0 || o->nfiles > MAIL_ATTACH_MAX ||
	    (o->nfiles > 0 && o->files == NULL))
		return (NULL);
	for (i = 0; i < (size_t)o->nfiles; i++)
		if (!attach_ok(&o->files[i]))
			return (NULL);
	if (!id_ok(o->message_id) ||
	    (o->in_reply_to != NULL && o->in_reply_to[0] != '\0' &&
	    !id_ok(o->in_reply_to)))
		return (NULL);
	mail_init();

	msg = g_mime_message_new(TRUE);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM,
	    o->from_name != NULL ? o->from_name : "", o->from);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, "", o->to);
	g_mime_message_set_subject(msg, o->subject, "utf-8");
	now = g_date_time_new_now_local();
	g_mime_message_set_date(msg, now);
	g_date_time_unref(now);
	g_mime_message_set_message_id(msg, o->message_id);
	if (o->in_reply_to != NULL && o->in_reply_to[0] != '\0') {
		(void)snprintf(hdr, sizeof(hdr), "<%s>", o->in_reply_to);
		g_mime_object_set_header(GMIME_OBJECT(msg), "In-Reply-To", hdr,
		    NULL);
	}
	if (o->references != NULL && o->references[0] != '\0')
		g_mime_object_set_header(GMIME_OBJECT(msg), "References",
		    o->references, NULL);
	if (o->auto_reply)
		g_mime_object_set_header(GMIME_OBJECT(msg), "Auto-Submitted",
		    "auto-replied", NULL);

	text = g_mime_text_part_new_with_subtype("plain");
	g_mime_text_part_set_text(text, o->body);
	g_mime_text_part_set_charset(text, "utf-8");
	g_mime_part_set_content_encoding(GMIME_PART(text),
	    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	if (o->nfiles == 0) {
		g_mime_message_set_mime_part(msg, GMIME_OBJECT(text));
		g_object_unref(text);
	} else {
		mixed = g_mime_multipart_new_with_subtype("mixed");
		g_mime_multipart_add(mixed, GMIME_OBJECT(text));
		g_object_unref(text);
		for (i = 0; i < (size_t)o->nfiles; i++) {
			part = attach_part(&o->files[i]);
			g_mime_multipart_add(mixed, GMIME_OBJECT(part));
			g_object_unref(part);
		}
		g_mime_message_set_mime_part(msg, GMIME_OBJECT(mixed));
		g_object_unref(mixed);
	}

	fmt = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fmt, GMIME_NEWLINE_FORMAT_DOS);
	g_mime_format_options_set_param_encoding_method(fmt,
	    GMIME_PARAM_ENCODING_METHOD_RFC2231);
	s = g_mime_object_to_string(GMIME_OBJECT(msg), fmt);
	g_mime_format_options_free(fmt);
	g_object_unref(msg);
	if (s == NULL)
		return (NULL);
	*len = strlen(s);
	if ((copy = malloc(*len + 1)) == NULL)
		abort();
	memcpy(copy, s, *len + 1);
	g_free(s);
	return (copy);
}

/*
 * An attachment we may send: a name of valid UTF-8 without controls,
 * path separators or quotes, within MAIL_ATTACH_NAME_MAX; a type of
 * token/token; bytes present.
 */
static int
attach_ok(const struct mail_attach *f)
{
	const char	*slash;
	size_t		 n, k;

	if (f->name == NULL || f->mime == NULL || f->data == NULL ||
	    f->len == 0)
		return (0);
	n = strlen(f->name);
	if (n == 0 || n > MAIL_ATTACH_NAME_MAX ||
	    u8_check((const uint8_t *)f->name, n) != NULL)
		return (0);
	for (k = 0; k < n; k++)
		if ((unsigned char)f->name[k] < ' ' || f->name[k] == 0x7f ||
		    f->name[k] == '/' || f->name[k] == '\\' ||
		    f->name[k] == '"')
			return (0);
	if ((slash = strchr(f->mime, '/')) == NULL || slash == f->mime ||
	    slash[1] == '\0' || strchr(slash + 1, '/') != NULL)
		return (0);
	for (k = 0; f->mime[k] != '\0'; k++)
		if (!isalnum((unsigned char)f->mime[k]) &&
		    strchr("/.+-_", f->mime[k]) == NULL)
			return (0);
	return (1);
}

/* One attachment as a base64 part; the file name GMime encodes (2231). */
static GMimePart *
attach_part(const struct mail_attach *f)
{
	GMimePart		*part;
	GMimeStream		*stream;
	GMimeDataWrapper	*wrap;
	GByteArray		*bytes;
	char			 type[128];
	char			*slash;

	(void)snprintf(type, sizeof(type), "%s", f->mime);
	slash = strchr(type, '/');
	*slash = '\0';
	part = g_mime_part_new_with_type(type, slash + 1);
	bytes = g_byte_array_sized_new(f->len);
	g_byte_array_append(bytes, f->data, f->len);
	stream = g_mime_stream_mem_new_with_byte_array(bytes);
	wrap = g_mime_data_wrapper_new_with_stream(stream,
	    GMIME_CONTENT_ENCODING_DEFAULT);
	g_object_unref(stream);
	g_mime_part_set_content(part, wrap);
	g_object_unref(wrap);
	g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
	g_mime_object_set_disposition(GMIME_OBJECT(part),
	    GMIME_DISPOSITION_ATTACHMENT);
	g_mime_part_set_filename(part, f->name);
	/* UTF-8 always: GMime would pick the smallest charset that fits. */
	param_utf8(g_mime_content_disposition_get_parameters(
	    g_mime_object_get_content_disposition(GMIME_OBJECT(part))),
	    "filename");
	param_utf8(g_mime_content_type_get_parameters(
	    g_mime_object_get_content_type(GMIME_OBJECT(part))), "name");
	return (part);
}

static void
param_utf8(GMimeParamList *list, const char *name)
{
	GMimeParam	*p;

	if (list != NULL &&
	    (p = g_mime_param_list_get_parameter(list, name)) != NULL)
		g_mime_param_set_charset(p, "UTF-8");
}

/* A new Message-ID (without <>) at domain: 128 random bits in hex. */
void
mail_random_id(const char *domain, char *buf, size_t len)
{
	unsigned char	rnd[16];
	char		hex[33];

	randombytes_buf(rnd, sizeof(rnd));
	(void)sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	(void)snprintf(buf, len, "%s@%s", hex, domain);
}

static void
mail_init(void)
{
	(void)pthread_once(&mail_once, mail_init_once);
}

static void
mail_init_once(void)
{
	g_mime_init();
}

static void
read_from(struct mail *m, GMimeMessage *msg)
{
	InternetAddressList	*list;
	InternetAddress		*ia;
	const char		*addr;
	int			 i, n;
	size_t			 k;

	if ((list = g_mime_message_get_from(msg)) == NULL)
		return;
	n = internet_address_list_length(list);
	for (i = 0; i < n; i++) {
		ia = internet_address_list_get_address(list, i);
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
			continue;
		addr = internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(ia));
		if (addr == NULL || strlen(addr) > MAIL_ADDR_MAX ||
		    strchr(addr, '@') == NULL || addr[0] == '@' ||
		    addr[strlen(addr) - 1] == '@')
			continue;
		for (k = 0; addr[k] != '\0'; k++)
			if ((unsigned char)addr[k] <= ' ' ||
			    (unsigned char)addr[k] >= 0x7f || addr[k] == '<' ||
			    addr[k] == '>' || addr[k] == '"')
				break;
		if (addr[k] != '\0')
			continue;
		for (k = 0; addr[k] != '\0'; k++)
			m->from[k] = (char)tolower((unsigned char)addr[k]);
		m->from[k] = '\0';
		line_copy(m->name, sizeof(m->name), internet_address_get_name(ia));
		return;
	}
}

/* Message-ID, In-Reply-To, References; a mail without an id gets one. */
static void
read_ids(struct mail *m, GMimeMessage *msg, const char *raw, size_t len)
{
	GMimeReferences	*refs;
	const char	*v, *id;
	char		*sum;
	int		 i, n, first;

	v = g_mime_message_get_message_id(msg);
	if (v != NULL && id_ok(v))
		(void)snprintf(m->message_id, sizeof(m->message_id), "%s", v);
	else {
		/* The same bytes delivered twice are still the same mail. */
		sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
		    (const guchar *)raw, len);
		(void)snprintf(m->message_id, sizeof(m->message_id),
		    "sha256-%s@no-message-id.invalid", sum);
		g_free(sum);
	}

	v = g_mime_object_get_header(GMIME_OBJECT(msg), "In-Reply-To");
	if (v != NULL && (refs = g_mime_references_parse(NULL, v)) != NULL) {
		if (g_mime_references_length(refs) > 0 &&
		    id_ok(id = g_mime_references_get_message_id(refs, 0)))
			(void)snprintf(m->in_reply_to, sizeof(m->in_reply_to),
			    "%s", id);
		g_mime_references_free(refs);
	}
	v = g_mime_object_get_header(GMIME_OBJECT(msg), "References");
	if (v != NULL && (refs = g_mime_references_parse(NULL, v)) != NULL) {
		n = g_mime_references_length(refs);
		first = n > MAIL_REFS_MAX ? n - MAIL_REFS_MAX : 0;
		for (i = first; i < n; i++) {
			id = g_mime_references_get_message_id(refs, i);
			if (id_ok(id) && (m->refs[m->nrefs] = strdup(id)) != NULL)
				m->nrefs++;
		}
		g_mime_references_free(refs);
	}
}

/* RFC 3834's rules for who must get no automatic answer. */
static enum mail_origin
read_origin(GMimeMessage *msg, const char *from)
{
	GMimeObject		*obj = GMIME_OBJECT(msg);
	GMimeContentType	*ct;
	const char		*v;
	size_t			 n;

	v = g_mime_object_get_header(obj, "Return-Path");
	if (v != NULL) {
		while (*v == ' ' || *v == '\t')
			v++;
		if (strncmp(v, "<>", 2) == 0)
			return (MAIL_BOUNCE);
	}
	if (strncasecmp(from, "mailer-daemon@", 14) == 0)
		return (MAIL_BOUNCE);
	ct = g_mime_object_get_content_type(g_mime_message_get_mime_part(msg) ?
	    g_mime_message_get_mime_part(msg) : obj);
	if (ct != NULL && g_mime_content_type_is_type(ct, "multipart", "report"))
		return (MAIL_BOUNCE);

	v = g_mime_object_get_header(obj, "Auto-Submitted");
	if (v != NULL) {
		while (*v == ' ' || *v == '\t')
			v++;
		n = strcspn(v, " \t;(");
		if (!(n == 2 && strncasecmp(v, "no", 2) == 0))
			return (MAIL_AUTOREPLY);
	}
	if (g_mime_object_get_header(obj, "X-Autoreply") != NULL ||
	    g_mime_object_get_header(obj, "X-Autorespond") != NULL)
		return (MAIL_AUTOREPLY);

	if (header_is(obj, "Precedence", precedence_bulk) ||
	    g_mime_object_get_header(obj, "List-Id") != NULL ||
	    g_mime_object_get_header(obj, "List-Unsubscribe") != NULL)
		return (MAIL_BULK);
	return (MAIL_PERSON);
}

/* 1 if the header's first word is one of words (case aside), else 0. */
static int
header_is(GMimeObject *obj, const char *name, const char *const *words)
{
	const char	*v;
	size_t		 n;
	int		 i;

	if ((v = g_mime_object_get_header(obj, name)) == NULL)
		return (0);
	while (*v == ' ' || *v == '\t')
		v++;
	n = strcspn(v, " \t;");
	for (i = 0; words[i] != NULL; i++)
		if (strlen(words[i]) == n && strncasecmp(v, words[i], n) == 0)
			return (1);
	return (0);
}

/* 1 if id can be a Message-ID stored and sent back: printable, bounded. */
static int
id_ok(const char *id)
{
	size_t	i;

	if (id == NULL || id[0] == '\0')
		return (0);
	for (i = 0; id[i] != '\0'; i++)
		if (i >= MAIL_ID_MAX - 2 || (unsigned char)id[i] <= ' ' ||
		    (unsigned char)id[i] >= 0x7f || id[i] == '<' || id[i] == '>')
			return (0);
	return (1);
}

/* Each leaf part: the first plain text, the first HTML, the files. */
static void
walk_part(GMimeObject *parent, GMimeObject *obj, gpointer arg)
{
	struct walk		*w = arg;
	GMimeContentType	*ct;
	GMimePart		*part;
	size_t			 n;

	if (!GMIME_IS_PART(obj))
		return;
	part = GMIME_PART(obj);
	ct = g_mime_object_get_content_type(obj);
	if (!g_mime_part_is_attachment(part) && ct != NULL &&
	    g_mime_content_type_is_type(ct, "text", "plain")) {
		if (w->plain == NULL)
			w->plain = part_text(part, &n);
		return;
	}
	if (!g_mime_part_is_attachment(part) && ct != NULL &&
	    g_mime_content_type_is_type(ct, "text", "html")) {
		if (w->html == NULL)
			w->html = part_text(part, &w->html_len);
		return;
	}
	if (ct != NULL && g_mime_content_type_is_type(ct, "text", "*") &&
	    g_mime_part_get_filename(part) == NULL)
		return;			/* a calendar, a vCard: not a file */
	walk_file(w, part);
}

/* An attachment: kept if the portal would keep it, else said why not. */
static void
walk_file(struct walk *w, GMimePart *part)
{
	struct mail_file	*f;
	const char		*name;
	size_t			 i;

	if (w->m->nfiles >= MAIL_FILES_SEEN_MAX)
		return;
	f = &w->m->files[w->m->nfiles];
	memset(f, 0, sizeof(*f));
	if ((f->data = part_bytes(part, &f->len)) == NULL)
		return;
	if (f->len == 0) {
		free(f->data);
		f->data = NULL;
		return;
	}
	w->m->nfiles++;
	name = g_mime_part_get_filename(part);
	line_copy(f->name, sizeof(f->name), name != NULL ? name : "tep-dinh-kem");
	for (i = 0; f->name[i] != '\0'; i++)
		if (f->name[i] == '/' || f->name[i] == '\\')
			f->name[i] = '_';

	if (w->kept >= w->lim->files_max)
		f->refused = "Vượt quá số tệp đính kèm cho phép.";
	else if (f->len > w->lim->file_max)
		f->refused = "Tệp lớn hơn giới hạn cho phép.";
	else if ((f->mime = sniff_upload(f->data, f->len, &f->ext)) == NULL)
		f->refused = "Chỉ nhận ảnh (JPEG, PNG, WEBP) hoặc tệp PDF.";
	if (f->refused != NULL) {
		free(f->data);
		f->data = NULL;
		f->mime = NULL;
		f->ext = NULL;
		return;
	}
	w->kept++;
}

/* A part's content with its transfer encoding undone. */
static unsigned char *
part_bytes(GMimePart *part, size_t *len)
{
	GMimeDataWrapper	*dw;
	GMimeStream		*out;
	GByteArray		*ba;
	unsigned char		*copy;

	*len = 0;
	if ((dw = g_mime_part_get_content(part)) == NULL)
		return (NULL);
	out = g_mime_stream_mem_new();
	if (g_mime_data_wrapper_write_to_stream(dw, out) == -1) {
		g_object_unref(out);
		return (NULL);
	}
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
	if ((copy = malloc(ba->len + 1)) == NULL)
		abort();
	if (ba->len > 0)
		memcpy(copy, ba->data, ba->len);
	copy[ba->len] = '\0';
	*len = ba->len;
	g_object_unref(out);
	return (copy);
}

/*
 * A text part as UTF-8 from its declared charset; one that lies about it
 * (or names none) is read as UTF-8 if it is, else as windows-1252, the
 * usual truth of such mail.
 */
static char *
part_text(GMimePart *part, size_t *len)
{
	const char	*cs;
	unsigned char	*raw;
	char		*utf, *clean;
	gsize		 n;
	size_t		 rlen;

	if ((raw = part_bytes(part, &rlen)) == NULL)
		return (NULL);
	cs = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part),
	    "charset");
	utf = NULL;
	if (cs != NULL && g_ascii_strcasecmp(cs, "utf-8") != 0 &&
	    g_ascii_strcasecmp(cs, "us-ascii") != 0)
		utf = g_convert((const char *)raw, rlen, "UTF-8",
		    g_mime_charset_iconv_name(cs), NULL, &n, NULL);
	if (utf == NULL && u8_check(raw, rlen) == NULL)
		clean = text_clean((const char *)raw, rlen, MAIL_TEXT_MAX, 0);
	else {
		if (utf == NULL)
			utf = g_convert((const char *)raw, rlen, "UTF-8",
			    "WINDOWS-1252", NULL, &n, NULL);
		if (utf == NULL)
			utf = g_convert((const char *)raw, rlen, "UTF-8",
			    "ISO-8859-1", NULL, &n, NULL);
		clean = text_clean(utf != NULL ? utf : "", utf != NULL ? n : 0,
		    MAIL_TEXT_MAX, 0);
		g_free(utf);
	}
	free(raw);
	*len = strlen(clean);
	return (clean);
}

/* A header's text on one line, NFC, cut to fit buf. */
static void
line_copy(char *buf, size_t len, const char *s)
{
	char	*c;
	size_t	 n;

	if (s == NULL)
		s = "";
	c = text_clean(s, strlen(s), len - 1, 1);
	n = strlen(c);
	memcpy(buf, c, n + 1);
	free(c);
}

/*
 * s as NFC UTF-8 without control characters (new lines kept unless
 * oneline; CR LF as LF), trimmed, at most max bytes cut at a character's
 * start.  Bytes that are not UTF-8 become U+FFFD.  The caller frees it.
 */
static char *
text_clean(const char *s, size_t len, size_t max, int oneline)
{
	uint8_t		*nfc;
	char		*out, *res;
	size_t		 i, o, n;
	ucs4_t		 uc;
	int		 k;

	if ((out = malloc(len * 3 + 1)) == NULL)
		abort();
	for (i = 0, o = 0; i < len; ) {
		k = u8_mbtouc(&uc, (const uint8_t *)s + i, len - i);
		if (uc == 0xfffd && !(k == 3 && (unsigned char)s[i] == 0xef)) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
		} else if (uc == '\r') {
			if (!(i + 1 < len && s[i + 1] == '\n'))
				out[o++] = oneline ? ' ' : '\n';
		} else if (uc == '\n' || uc == '\t') {
			out[o++] = oneline ? ' ' : (char)uc;
		} else if (uc < 0x20 || uc == 0x7f || (uc >= 0x80 && uc < 0xa0)) {
			;		/* control characters: dropped */
		} else {
			memcpy(out + o, s + i, k);
			o += k;
		}
		i += k;
	}
	n = o;
	nfc = u8_normalize(UNINORM_NFC, (const uint8_t *)out, n, NULL, &n);
	if (nfc != NULL) {
		free(out);
		out = (char *)nfc;
	}
	/* Trim, then cut. */
	for (i = 0; i < n && (out[i] == ' ' || out[i] == '\n'); i++)
		;
	while (n > i && (out[n - 1] == ' ' || out[n - 1] == '\n' ||
	    out[n - 1] == '\t'))
		n--;
	if (n - i > max)
		n = i + utf8_cut(out + i, max);
	if ((res = malloc(n - i + 1)) == NULL)
		abort();
	memcpy(res, out + i, n - i);
	res[n - i] = '\0';
	free(out);
	return (res);
}

/* The longest prefix of s no longer than max that ends on a character. */
static size_t
utf8_cut(const char *s, size_t max)
{
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return (max);
}

/*
 * An HTML entity at s into out (UTF-8, NUL-terminated): how many bytes of
 * s it took, or 0 if it isn't one (the '&' is then text).
 */
static size_t
html_entity(const char *s, size_t len, char *out)
{
	static const struct { const char *name; const char *text; } named[] = {
		{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" },
		{ "apos", "'" }, { "nbsp", " " }, { "#39", "'" }, { NULL, NULL }
	};
	const char	*semi;
	size_t		 n, i;
	unsigned long	 cp;
	char		*end;
	size_t		 olen = 8;

	if ((semi = memchr(s, ';', len < 12 ? len : 12)) == NULL)
		return (0);
	n = (size_t)(semi - s) - 1;
	for (i = 0; named[i].name != NULL; i++)
		if (strlen(named[i].name) == n &&
		    strncmp(s + 1, named[i].name, n) == 0) {
			(void)snprintf(out, olen, "%s", named[i].text);
			return (n + 2);
		}
	if (n < 2 || s[1] != '#')
		return (0);
	end = NULL;
	if (s[2] == 'x' || s[2] == 'X')
		cp = n > 2 && isxdigit((unsigned char)s[3]) ?
		    strtoul(s + 3, &end, 16) : 0;
	else
		cp = isdigit((unsigned char)s[2]) ? strtoul(s + 2, &end, 10) : 0;
	if (cp == 0 || end != semi || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff) || (cp < 0x20 && cp != '\n'))
		return (0);
	n = olen - 1;
	if (u8_uctomb((uint8_t *)out, (ucs4_t)cp, (int)n) <= 0)
		return (0);
	out[u8_uctomb((uint8_t *)out, (ucs4_t)cp, (int)n)] = '\0';
	return ((size_t)(semi - s) + 1);
}
