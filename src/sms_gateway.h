/*
 * sms_gateway: what the SMS sender (sms.c) says to a generic HTTP SMS
 * gateway and how it reads the reply.  Pure: no Kore, no SQL, no I/O.
 */
#ifndef SMS_GATEWAY_H
#define SMS_GATEWAY_H

#include <stddef.h>

#include "outbox.h"
#include "sbuf.h"

/*
 * At most this many SMS parts per message: a Vietnamese text with its
 * diacritics goes as UCS-2, 70 characters alone or 67 a part when
 * concatenated; plain GSM text 160 or 153.
 */
#define SMS_PARTS_MAX		3
/* The request body the gateway gets when no template is set. */
#define SMS_TEMPLATE_DEFAULT	\
    "{\"to\":\"{phone}\",\"from\":\"{sender}\",\"text\":\"{text}\"}"

int	sms_parts(const char *);
int	sms_request_body(const char *, const char *, const char *,
	    const char *, struct sbuf *, int *);
enum outbox_verdict sms_reply_read(long, const char *, const char *,
	    struct outbox_result *);

#endif
