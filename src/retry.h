/*
 * retry: when an outbound message that failed is tried again (retry.c).
 * Pure: no Kore, no SQL.
 */
#ifndef RETRY_H
#define RETRY_H

/* After this many attempts a message is failed for good, and shown so. */
#define RETRY_MAX_ATTEMPTS	8
/* The first wait, and the longest. */
#define RETRY_FIRST_SEC		30
#define RETRY_LONGEST_SEC	3600

int	retry_delay_sec(int);
int	retry_gives_up(int);

#endif
