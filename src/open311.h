/*
 * open311: what the API (open311.c) and the administrator's key page
 * (admin_open311.c) agree on about api keys.
 */
#ifndef OPEN311_H
#define OPEN311_H

/* "o311_" and a web_random_token(): 32 random bytes, base64url. */
#define OPEN311_KEY_PREFIX	"o311_"
#define OPEN311_KEY_PREFIX_LEN	(sizeof(OPEN311_KEY_PREFIX) - 1)
#define OPEN311_KEY_LEN		(OPEN311_KEY_PREFIX_LEN + WEB_TOKEN_LEN)
/* What the admin page shows of a key to tell it apart: prefix and 6. */
#define OPEN311_KEY_SHOWN	(OPEN311_KEY_PREFIX_LEN + 6)

/* The day this API last changed (discovery). */
#define OPEN311_CHANGESET	"2026-12-07T00:00:00+07:00"

/* open311.c, for web_reply.c and tickets.c: replies in the format asked. */
void	open311_init(void);
int	open311_xml(struct http_request *);
int	open311_error(struct http_request *, int, const char *);
int	open311_created(struct http_request *, const char *, int,
	    const char *);
void	open311_rate(struct web *, char *, size_t, int *);

#endif
