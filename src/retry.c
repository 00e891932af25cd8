/*
 * retry: the backoff of outbound messages.  A provider that is down is
 * asked again after 30 s, 1 min, 2 min … at most an hour apart, and
 * after RETRY_MAX_ATTEMPTS tries the message is failed and shown so.
 */
#include "retry.h"

/* Seconds to wait after the attempt-th failed attempt (1 the first). */
int
retry_delay_sec(int attempt)
{
	int	delay;

	if (attempt < 1)
		attempt = 1;
	delay = RETRY_FIRST_SEC;
	while (--attempt > 0 && delay < RETRY_LONGEST_SEC)
		delay *= 2;
	return (delay < RETRY_LONGEST_SEC ? delay : RETRY_LONGEST_SEC);
}

/* 1 if a message that failed its attempt-th try is not tried again. */
int
retry_gives_up(int attempt)
{
	return (attempt >= RETRY_MAX_ATTEMPTS);
}
