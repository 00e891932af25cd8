/*
 * social: Zalo OA and Facebook Messenger, the pure part (social.c).
 * Signatures over a webhook's raw body, a webhook body made into a
 * list of normalised inbound items, and the providers' replies to a
 * send or a token refresh read into a verdict.  No Kore, no SQL: the
 * webhooks (social_hook.c) and the senders (social_send.c) call it.
 *
 * An item, as social_*_items() give it (a JSON object, which the SQL
 * function social_receive() of migrations/0054 takes as it is):
 *   kind         "message" or "event" (follow, unfollow)
 *   event        the provider's name of it (user_send_text, follow,
 *                message, postback)
 *   user         the person's id on the channel (Zalo user id, PSID)
 *   id           the provider's id of the message, or one made of the
 *                event, the user and the time (a follow has none)
 *   text         what they wrote, "" if nothing
 *   attachments  [{type, url, name}] (url, name: when given)
 *   location     {lat, long} when sent
 *   time         milliseconds since 1970, the provider's
 */
#ifndef SOCIAL_H
#define SOCIAL_H

#include <stddef.h>

#include <jansson.h>

#define SOCIAL_ITEMS_MAX	50	/* items of one webhook body */
#define SOCIAL_ATTACH_MAX	10	/* attachments of one message */
#define SOCIAL_ID_MAX		200	/* bytes of an id */
#define SOCIAL_TEXT_MAX		8000	/* bytes of a message's text */
#define SOCIAL_URL_MAX		2000	/* bytes of an attachment's URL */
#define SOCIAL_NAME_MAX		255	/* bytes of an attachment's name */
#define SOCIAL_TIMESTAMP_MAX	20	/* digits of a Zalo timestamp */
#define SOCIAL_BODY_MAX		(256 * 1024)	/* a webhook body */

/* What a provider's answer to a send or a refresh comes to. */
enum social_outcome {
	SOCIAL_OK,
	SOCIAL_RETRY,		/* network, 5xx, rate limits: later */
	SOCIAL_FAILED,		/* never: error says why, in Vietnamese */
	SOCIAL_TOKEN_EXPIRED	/* Zalo: refresh the access token, once */
};

/* Webhook signatures, in constant time: 1 if good, 0 if not. */
int	social_facebook_signature_ok(const char *, const unsigned char *,
	    size_t, const char *);
int	social_zalo_signature_ok(const char *, const char *,
	    const unsigned char *, size_t, const char *, const char *);

/* A body as a JSON object; Zalo's timestamp in it (it is signed). */
json_t	*social_parse(const unsigned char *, size_t, char *, size_t);
int	 social_zalo_timestamp(json_t *, char *, size_t);

/* A webhook's items (a JSON list, maybe empty) or NULL with err set. */
json_t	*social_zalo_items(json_t *, char *, size_t);
json_t	*social_facebook_items(const unsigned char *, size_t, char *, size_t);

/* The providers' answers to a send and to a token refresh. */
enum social_outcome	social_zalo_sent(long, const char *, char *, size_t,
			    char *, size_t);
enum social_outcome	social_facebook_sent(long, const char *, char *,
			    size_t, char *, size_t);
enum social_outcome	social_zalo_refreshed(long, const char *, char *,
			    size_t, char *, size_t, char *, size_t);

/* The bodies of a send: a JSON text to free(). */
char	*social_zalo_message(const char *, const char *);
char	*social_facebook_message(const char *, const char *);

/* A token or an id that may go into a URL or a header as it is. */
int	social_token_ok(const char *);
/* Two secrets alike, in time that tells nothing of either (want != ""). */
int	social_secret_equal(const char *, const char *);

#endif
