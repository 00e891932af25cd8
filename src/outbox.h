/*
 * outbox: outbound messages of every channel, delivered off the event
 * loop (outbox.c), and the HTTP client the senders share (httpc.c).
 *
 * A message to send is a row of messages in state 'pending', made by the
 * SQL function message_send().  Each worker runs one sender thread with a
 * database connection of its own; the threads share the work through
 * FOR UPDATE SKIP LOCKED, so one message is sent by one thread, whichever
 * machine it is on.  A sender says whether the message went, may go on a
 * later try (retry.c spaces them), or never will.
 */
#ifndef OUTBOX_H
#define OUTBOX_H

#include <jansson.h>

/* libpq's connection, as libpq-fe.h names it (C11 allows the repeat). */
typedef struct pg_conn PGconn;

/* A message on its way out, as the sender thread read it. */
struct outbox_msg {
	long long	 id;
	const char	*channel;
	const char	*kind;		/* message, ack, notice */
	const char	*recipient;	/* "" if none */
	const char	*subject;	/* "" if none */
	const char	*body;
	json_t		*payload;	/* never NULL */
	long long	 conversation_id;	/* 0: none */
	long long	 ticket_id;	/* 0: none */
	int		 attempt;	/* 1 on the first try */
};

enum outbox_verdict {
	OUTBOX_SENT,
	OUTBOX_RETRY,		/* the provider may take it later */
	OUTBOX_FAILED		/* it never will: said in error */
};

struct outbox_result {
	char	external_id[256];	/* the provider's id of it, or "" */
	char	error[512];		/* Vietnamese, shown on the message */
};

/* One channel's way out, called on the sender thread. */
struct outbox_sender {
	const char		*channel;
	enum outbox_verdict	(*send)(PGconn *, const struct outbox_msg *,
				    struct outbox_result *);
};

void	outbox_init(void);

/* The senders of outbox.c's table, one file each. */
enum outbox_verdict	sms_send(PGconn *, const struct outbox_msg *,
			    struct outbox_result *);	/* sms.c */
enum outbox_verdict	mail_send(PGconn *, const struct outbox_msg *,
			    struct outbox_result *);	/* mail_send.c */
enum outbox_verdict	social_zalo_send(PGconn *, const struct outbox_msg *,
			    struct outbox_result *);	/* social_send.c */
enum outbox_verdict	social_facebook_send(PGconn *,
			    const struct outbox_msg *, struct outbox_result *);
int	outbox_setting(PGconn *, const char *, const char *, char *, size_t);

/* A reply of an HTTP provider; body is NUL-terminated. */
struct httpc_reply {
	long	 status;	/* 0: no reply came */
	char	*body;
	size_t	 len;
	char	 error[256];	/* why no reply came */
};

/* Set when the worker stops: transfers under way end at once. */
extern volatile int	httpc_stop;

#define HTTPC_REPLY_MAX		(1024 * 1024)
#define HTTPC_TIMEOUT_SEC	20

int	httpc_request(const char *, const char *, const char *const *,
	    const char *, size_t, struct httpc_reply *);

/* What a caller may change (httpc_request_with); 0 / NULL: the default. */
struct httpc_options {
	long		 timeout_ms;	/* the whole transfer */
	const char	*username;	/* HTTP basic authentication */
	const char	*password;
};
int	httpc_request_with(const char *, const char *, const char *const *,
	    const char *, size_t, const struct httpc_options *,
	    struct httpc_reply *);
void	httpc_reply_free(struct httpc_reply *);
void	httpc_stoppable(void *);	/* a CURL * */

#endif
