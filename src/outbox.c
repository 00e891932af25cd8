/*
 * outbox: the sender thread of each worker.  It takes due outbound
 * messages (state 'pending', or 'sending' whose sender died mid-send),
 * hands each to its channel's sender and writes down what came of it:
 * sent with the provider's id, tried again later with the error shown, or
 * failed for good.
 *
 * Why a thread with a blocking libpq connection and not Kore's async
 * pgsql: a send is a sequence (read the channel's settings, maybe refresh
 * a token under a lease, call the provider, record the outcome) around a
 * blocking libcurl call that must not run on the event loop anyway.  On
 * its own thread the sequence reads as one, and the event loop never
 * waits for it.  The thread sleeps on LISTEN outbox, so a queued message
 * goes at once, and wakes every OUTBOX_POLL_SEC for retries that fell due.
 *
 * Several threads (workers, machines) share the work through FOR UPDATE
 * SKIP LOCKED: a message is claimed by one.  A claim is a lease: a thread
 * that dies mid-send leaves the message 'sending' with next_attempt_at
 * OUTBOX_LEASE_SEC ahead, and another takes it then.  So a message goes
 * at least once; providers that take an id of ours dedupe the rare second.
 */
#include <curl/curl.h>

#include "app.h"
#include "outbox.h"
#include "report_mail.h"
#include "retry.h"

#define OUTBOX_BATCH		20
#define OUTBOX_BATCH_SQL	"20"	/* the same, in SQL */
#define OUTBOX_POLL_SEC		5
#define OUTBOX_LEASE_SEC	"300"

static void	*outbox_thread(void *);
static PGconn	*outbox_connect(void);
static int	 outbox_round(PGconn *);
static void	 outbox_deliver(PGconn *, PGresult *, int);
static void	 outbox_record(PGconn *, const struct outbox_msg *,
		    enum outbox_verdict, const struct outbox_result *);
static int	 outbox_wait(PGconn *);

/* Each channel's way out: a line per sender file. */
static const struct outbox_sender outbox_senders[] = {
	{ "zalo",	social_zalo_send },
	{ "facebook",	social_facebook_send },
	{ "sms",	sms_send },
	{ "email",	mail_send },
	{ NULL, NULL }
};

static const char *const SQL_CLAIM =
    "UPDATE messages m SET state = 'sending', attempts = m.attempts + 1, "
    "  next_attempt_at = now() + interval '" OUTBOX_LEASE_SEC " seconds' "
    "WHERE m.id IN (SELECT d.id FROM messages d "
    "  WHERE d.state IN ('pending', 'sending') AND d.next_attempt_at <= now() "
    "  ORDER BY d.next_attempt_at, d.id LIMIT " OUTBOX_BATCH_SQL " "
    "  FOR UPDATE SKIP LOCKED) "
    "RETURNING m.id, m.channel, m.kind, coalesce(m.recipient, ''), "
    "  coalesce(m.subject, ''), m.body, m.payload::text, "
    "  coalesce(m.conversation_id, 0), coalesce(m.ticket_id, 0), m.attempts";

/* $2 verdict: sent, retry, failed; $3 external id; $4 error; $5 delay. */
static const char *const SQL_RECORD =
    "WITH u AS (UPDATE messages m SET "
    "  state = CASE $2 WHEN 'sent' THEN 'sent' WHEN 'retry' THEN 'pending' "
    "    ELSE 'failed' END, "
    "  sent_at = CASE $2 WHEN 'sent' THEN now() END, "
    "  external_id = coalesce(NULLIF($3, ''), m.external_id), "
    "  last_error = NULLIF($4, ''), "
    "  next_attempt_at = CASE $2 WHEN 'retry' "
    "    THEN now() + make_interval(secs => $5::int) END "
    "  WHERE m.id = $1::bigint AND m.state = 'sending' "
    "  RETURNING m.id, m.conversation_id, m.channel) "
    "SELECT pg_notify('inbox', json_build_object('conversation', "
    "  u.conversation_id, 'message', u.id, 'channel', u.channel)::text) "
    "FROM u WHERE u.conversation_id IS NOT NULL";

static const char *const SQL_SETTING =
    "SELECT value FROM channel_settings WHERE channel = $1 AND name = $2";

/* In each worker: start its sender thread. */
void
outbox_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatal("outbox: libcurl failed to start");
	app_thread_start("outbox", outbox_thread, NULL);
}

/*
 * A channel's setting (channel_settings) into buf, for a sender on its
 * thread.  0 if it is set, -1 if not (buf is then "").
 */
int
outbox_setting(PGconn *db, const char *channel, const char *name, char *buf,
    size_t len)
{
	PGresult	*res;
	const char	*params[2] = { channel, name };
	int		 rc = -1;

	buf[0] = '\0';
	res = PQexecParams(db, SQL_SETTING, 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
	    (size_t)PQgetlength(res, 0, 0) < len) {
		memcpy(buf, PQgetvalue(res, 0, 0), PQgetlength(res, 0, 0) + 1);
		rc = 0;
	}
	PQclear(res);
	return (rc);
}

static void *
outbox_thread(void *arg)
{
	PGconn	*db = NULL;
	int	 n;

	for (;;) {
		if (db == NULL && (db = outbox_connect()) == NULL) {
			if (app_thread_poll(-1, OUTBOX_POLL_SEC * 1000) == -1)
				return (NULL);
			continue;
		}
		report_mail_due(db);	/* report_mail.c: leaders' reports */
		/* A full batch may have more behind it: no wait then. */
		if ((n = outbox_round(db)) == OUTBOX_BATCH)
			continue;
		if (n >= 0 && outbox_wait(db) == -1) {
			PQfinish(db);
			return (NULL);
		}
		if (n == -1 || PQstatus(db) != CONNECTION_OK) {
			PQfinish(db);
			db = NULL;
			if (app_thread_poll(-1, 1000) == -1)
				return (NULL);
		}
	}
	return (NULL);
}

static PGconn *
outbox_connect(void)
{
	PGconn		*db;
	PGresult	*res;

	db = PQconnectdb(app.db);
	if (PQstatus(db) != CONNECTION_OK) {
		kore_log(LOG_WARNING, "outbox: cannot reach the database: %s",
		    PQerrorMessage(db));
		PQfinish(db);
		return (NULL);
	}
	res = PQexec(db, "LISTEN outbox");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		kore_log(LOG_WARNING, "outbox: LISTEN: %s", PQerrorMessage(db));
		PQclear(res);
		PQfinish(db);
		return (NULL);
	}
	PQclear(res);
	return (db);
}

/* Claim due messages and send them: how many, or -1 if the DB failed. */
static int
outbox_round(PGconn *db)
{
	PGresult	*res;
	int		 i, n;

	res = PQexec(db, SQL_CLAIM);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		kore_log(LOG_WARNING, "outbox: claim: %s", PQerrorMessage(db));
		PQclear(res);
		return (-1);
	}
	n = PQntuples(res);
	/* Stopping: the rest stay claimed until their lease runs out. */
	for (i = 0; i < n && !httpc_stop; i++)
		outbox_deliver(db, res, i);
	PQclear(res);
	return (n);
}

static void
outbox_deliver(PGconn *db, PGresult *res, int row)
{
	struct outbox_msg		 msg;
	struct outbox_result		 result;
	const struct outbox_sender	*s;
	enum outbox_verdict		 verdict;
	json_error_t			 jerr;

	memset(&msg, 0, sizeof(msg));
	memset(&result, 0, sizeof(result));
	msg.id = strtoll(PQgetvalue(res, row, 0), NULL, 10);
	msg.channel = PQgetvalue(res, row, 1);
	msg.kind = PQgetvalue(res, row, 2);
	msg.recipient = PQgetvalue(res, row, 3);
	msg.subject = PQgetvalue(res, row, 4);
	msg.body = PQgetvalue(res, row, 5);
	if ((msg.payload = json_loads(PQgetvalue(res, row, 6), 0, &jerr)) == NULL)
		msg.payload = json_object();
	msg.conversation_id = strtoll(PQgetvalue(res, row, 7), NULL, 10);
	msg.ticket_id = strtoll(PQgetvalue(res, row, 8), NULL, 10);
	msg.attempt = atoi(PQgetvalue(res, row, 9));

	for (s = outbox_senders; s->channel != NULL; s++)
		if (strcmp(s->channel, msg.channel) == 0)
			break;
	if (s->channel == NULL) {
		(void)snprintf(result.error, sizeof(result.error),
		    "Kênh %s chưa được kết nối để gửi tin.", msg.channel);
		verdict = OUTBOX_FAILED;
	} else {
		verdict = s->send(db, &msg, &result);
	}
	if (verdict == OUTBOX_RETRY && retry_gives_up(msg.attempt))
		verdict = OUTBOX_FAILED;
	outbox_record(db, &msg, verdict, &result);
	json_decref(msg.payload);
}

static void
outbox_record(PGconn *db, const struct outbox_msg *msg,
    enum outbox_verdict verdict, const struct outbox_result *result)
{
	PGresult	*res;
	const char	*params[5];
	char		 id[24], delay[16];

	(void)snprintf(id, sizeof(id), "%lld", msg->id);
	(void)snprintf(delay, sizeof(delay), "%d", retry_delay_sec(msg->attempt));
	params[0] = id;
	params[1] = verdict == OUTBOX_SENT ? "sent" :
	    verdict == OUTBOX_RETRY ? "retry" : "failed";
	params[2] = result->external_id;
	params[3] = result->error;
	params[4] = delay;
	res = PQexecParams(db, SQL_RECORD, 5, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		kore_log(LOG_WARNING, "outbox: message %lld: %s", msg->id,
		    PQerrorMessage(db));
	else if (verdict != OUTBOX_SENT)
		kore_log(LOG_NOTICE, "outbox: message %lld (%s) %s: %s",
		    msg->id, msg->channel, params[1], result->error);
	PQclear(res);
}

/*
 * Until a NOTIFY outbox, or OUTBOX_POLL_SEC for retries falling due: 0,
 * or -1 when the worker stops.
 */
static int
outbox_wait(PGconn *db)
{
	PGnotify	*n;
	int		 r;

	if ((r = app_thread_poll(PQsocket(db), OUTBOX_POLL_SEC * 1000)) == -1)
		return (-1);
	if (r == 1 && !PQconsumeInput(db))
		return (0);			/* PQstatus says it broke */
	while ((n = PQnotifies(db)) != NULL)
		PQfreemem(n);
	return (0);
}
