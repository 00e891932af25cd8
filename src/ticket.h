/*
 * ticket: the limits of a ticket, the same whatever the channel that
 * makes it (portal, API, Open311, an operator's phone ticket, voicemail;
 * e-mail, chat, Zalo and Facebook next).  Every file that takes a
 * ticket's fields checks them against these.
 */
#ifndef TICKET_H
#define TICKET_H

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

/* A field without its own deadline: working days to answer. */
#define TICKET_DEFAULT_DEADLINE_DAYS	5
#define TICKET_MAX_DEADLINE_DAYS	60

#endif
