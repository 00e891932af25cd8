/*
 * chat_frame.h: what a visitor's browser may send on the live chat's
 * websocket (chat.c), checked before anything else looks at it.  Pure
 * C11 plus jansson: no Kore, no SQL.
 *
 *   {"t":"hello","visitor":"<32-64 of A-Za-z0-9_->","last":123,"name":"…"}
 *   {"t":"msg","cid":"<1-64 of A-Za-z0-9_->","text":"…","name":"…"}
 *   {"t":"typing"}
 *   {"t":"email","address":"a@b.vn"}
 */
#ifndef CHAT_FRAME_H
#define CHAT_FRAME_H

#include <stddef.h>

#define CHAT_FRAME_MAX		8192	/* bytes: 2,000 Vietnamese characters */
#define CHAT_TEXT_MAX_CHARS	2000	/* of one message, below a ticket's */
#define CHAT_NAME_MAX_CHARS	100	/* as a ticket's name */
#define CHAT_VISITOR_MIN	32
#define CHAT_VISITOR_MAX	64
#define CHAT_CID_MAX		64
#define CHAT_EMAIL_MAX		254
/* What a visitor's id and a client message id are made of. */
#define CHAT_TOKEN_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
				"0123456789_-"

enum chat_frame_type {
	CHAT_FRAME_HELLO,
	CHAT_FRAME_MSG,
	CHAT_FRAME_TYPING,
	CHAT_FRAME_EMAIL
};

/* What chat_frame_parse() refuses, each with its code and message. */
#define CHAT_FRAME_OK		0
#define CHAT_FRAME_ETOOBIG	-1
#define CHAT_FRAME_EUTF8	-2
#define CHAT_FRAME_EJSON	-3
#define CHAT_FRAME_ESHAPE	-4
#define CHAT_FRAME_ETEXT	-5
#define CHAT_FRAME_EEMAIL	-6

struct chat_frame {
	enum chat_frame_type	 type;
	long long		 last;		/* hello: the last id seen */
	char			 visitor[CHAT_VISITOR_MAX + 1];
	char			 name[CHAT_NAME_MAX_CHARS * 4 + 1];
	char			 cid[CHAT_CID_MAX + 1];
	char			 text[CHAT_FRAME_MAX + 1];
	char			 email[CHAT_EMAIL_MAX + 1];
};

int		 chat_frame_parse(const void *, size_t, struct chat_frame *);
const char	*chat_frame_code(int);
const char	*chat_frame_error_vi(int);

#endif /* !CHAT_FRAME_H */
