/*
 * mail.h: an inbound e-mail, read from its raw RFC 5322 bytes with GMime
 * (mail.c), and the outbound one built for SMTP.  Pure: no Kore, no SQL,
 * no sockets.  The fetcher (mail_fetch.c) and the sender (mail_send.c)
 * do the talking; this module only reads and writes bytes, within the
 * limits its caller gives.
 */
#ifndef MAIL_H
#define MAIL_H

#include <stddef.h>

#define MAIL_ADDR_MAX		320	/* bytes, as conversations.thread */
#define MAIL_NAME_MAX		400
#define MAIL_SUBJECT_MAX	800
#define MAIL_ID_MAX		998	/* as messages.external_id */
#define MAIL_REFS_MAX		20	/* the newest References kept */
#define MAIL_TEXT_MAX		(64 * 1024)	/* bytes of text kept */
#define MAIL_FILES_SEEN_MAX	32	/* parts looked at as attachments */

/* Who wrote it, as RFC 3834 and the bounce formats tell. */
enum mail_origin {
	MAIL_PERSON,
	MAIL_AUTOREPLY,		/* Auto-Submitted other than "no" */
	MAIL_BULK,		/* Precedence bulk, list or junk; List-Id */
	MAIL_BOUNCE		/* null return path, MAILER-DAEMON, a report */
};

/* The caller's limits: the portal's, so a file is judged the same way. */
struct mail_limits {
	size_t		raw_max;	/* the whole message */
	size_t		file_max;	/* one attachment */
	int		files_max;	/* attachments kept */
};

struct mail_file {
	char		 name[256];	/* the sender's name for it, sanitised */
	const char	*mime;		/* by its bytes (sniff.c); NULL: refused */
	const char	*ext;
	const char	*refused;	/* why it was not kept (Vietnamese) */
	unsigned char	*data;		/* NULL if refused */
	size_t		 len;
};

struct mail {
	char		 from[MAIL_ADDR_MAX + 1];	/* lower-cased */
	char		 name[MAIL_NAME_MAX + 1];
	char		 subject[MAIL_SUBJECT_MAX + 1];
	char		 message_id[MAIL_ID_MAX + 1];	/* without <> */
	char		 in_reply_to[MAIL_ID_MAX + 1];
	char		*refs[MAIL_REFS_MAX];	/* References, oldest first */
	int		 nrefs;
	enum mail_origin origin;
	char		*text;		/* UTF-8, NFC, never NULL once parsed */
	int		 from_html;	/* the text is an HTML part reduced */
	struct mail_file files[MAIL_FILES_SEEN_MAX];
	int		 nfiles;
};

/* What mail_parse() failed on. */
#define MAIL_E_SIZE	-2	/* larger than raw_max */
#define MAIL_E_MIME	-3	/* not a message at all */
#define MAIL_E_FROM	-4	/* no sender address */

int		 mail_parse(const char *, size_t, const struct mail_limits *,
		    struct mail *);
void		 mail_free(struct mail *);
const char	*mail_error(int);
const char	*mail_origin_name(enum mail_origin);
int		 mail_subject_code(const char *, char *, size_t);
char		*mail_html_text(const char *, size_t);

/* A file sent with an outbound message (a report's workbook). */
struct mail_attach {
	const char		*name;	/* UTF-8; RFC 2231-encoded if not ASCII */
	const char		*mime;	/* "type/subtype" */
	const unsigned char	*data;
	size_t			 len;
};

#define MAIL_ATTACH_MAX		4
#define MAIL_ATTACH_NAME_MAX	200	/* bytes */

/* An outbound message: what mail_build() puts in its headers. */
struct mail_out {
	const char	*from;
	const char	*from_name;	/* "" or NULL: none */
	const char	*to;
	const char	*subject;
	const char	*body;
	const char	*message_id;	/* without <> */
	const char	*in_reply_to;	/* without <>; NULL: none */
	const char	*references;	/* "<a> <b>"; NULL: none */
	int		 auto_reply;	/* Auto-Submitted: auto-replied */
	const struct mail_attach *files;	/* multipart/mixed if any */
	int		 nfiles;		/* 0..MAIL_ATTACH_MAX */
};

char		*mail_build(const struct mail_out *, size_t *);
void		 mail_random_id(const char *, char *, size_t);

#endif /* !MAIL_H */
