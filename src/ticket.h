/*
 * ticket: the ticket domain (ticket.c).  The limits of a ticket and the
 * one way to make one, the same whatever the channel (portal, API,
 * Open311, an operator's phone ticket, voicemail; e-mail, chat, Zalo and
 * Facebook next).  Every file that takes a ticket's fields checks them
 * here.
 */
#ifndef TICKET_H
#define TICKET_H

#include "app.h"
#include "code.h"
#include "valid.h"

#define TICKET_NAME_MAX_CHARS		100
#define TICKET_TITLE_MAX_CHARS		200
#define TICKET_CONTENT_MAX_CHARS	5000
#define TICKET_EMAIL_MAX_BYTES		254

/* A citizen's attachments, and the portal form's body that carries them. */
#define UPLOAD_MAX_BYTES	(5 * 1024 * 1024)
#define UPLOAD_MAX_FILES	3
#define TICKET_UPLOAD_BODY_MAX	(UPLOAD_MAX_FILES * UPLOAD_MAX_BYTES + 64 * 1024)

/* The same submission again within this window is the same ticket. */
#define TICKET_DEDUPE_WINDOW_SEC	"600"
/* A citizen's submissions are counted per address in windows this long. */
#define TICKET_RATE_WINDOW_SEC		"600"

/* A field without its own deadline: working days to answer. */
#define TICKET_DEFAULT_DEADLINE_DAYS	5
#define TICKET_MAX_DEADLINE_DAYS	60

/*
 * A contact typed in later than it came (a call taken on paper during an
 * outage) may say when it was received: not in the future, not older
 * than this.
 */
#define TICKET_RECEIVED_MAX_AGE_DAYS	90

/* Room for the longest text of each kind, in UTF-8, and its NUL. */
#define TICKET_NAME_BYTES	(TICKET_NAME_MAX_CHARS * 4 + 1)
#define TICKET_TITLE_BYTES	(TICKET_TITLE_MAX_CHARS * 4 + 1)
#define TICKET_CONTENT_BYTES	(TICKET_CONTENT_MAX_CHARS * 4 + 1)

/* A contact on its way to become a ticket (ticket.c). */
struct ticket_new {
	const char	*channel;	/* "web", "open311", "phone", … */
	const char	*key_prefix;	/* the channel's own dedupe space */
	char		 name[TICKET_NAME_BYTES];
	char		 phone[VALID_PHONE_LEN + 1];
	char		 email[TICKET_EMAIL_MAX_BYTES + 1];
	char		 title[TICKET_TITLE_BYTES];
	char		*content;	/* TICKET_CONTENT_BYTES, ticket_new_free() */
	int		 field_id;	/* 0: none */
	char		 field_id_s[16];
	char		 kind[16];	/* workflow_kind_vi(); "": khác */
	int		 level;		/* ticket_levels; 0: not yet */
	char		 level_s[8];
	time_t		 received;	/* 0: when stored */
	char		 received_s[32];	/* UTC, for PostgreSQL; "": now */
	char		 rate_key[80];	/* "": no limit */
	int		 rate_max;
	char		 actor[16];	/* the operator who typed it, or "" */
	char		 code[CODE_LEN + 1];
	char		 due[32];
	char		 key[65];
};

/* How one channel's form asks for the fields, in its own words. */
struct ticket_form {
	const char	*channel;
	const char	*key_prefix;
	int		 name_required;
	int		 email;		/* the form has an e-mail field */
	int		 field_by_code;	/* "dat-dai" as well as 12 */
	int		 phone_optional;	/* no phone: none stored */
	int		 staff;		/* level and received_at are read */
	const char	*phone_missing;
	const char	*phone_invalid;
	const char	*title_label;
	const char	*content_label;
};

int	ticket_read(struct web *, const struct ticket_form *,
	    struct ticket_new *, char *, size_t, const char **);
void	ticket_seal(struct ticket_new *);
int	ticket_store(struct http_request *, struct web *,
	    const struct ticket_new *);
void	ticket_new_free(struct ticket_new *);
void	ticket_code_due(int, char *, char *);

#endif
