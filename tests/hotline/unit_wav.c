/*
 * Unit test of plugins/hotline/wav.c, built and run by e2e.mjs with
 * write() wrapped (-Wl,--wrap=write) and the clock in our hands: the
 * packets' writer (Janus's RTP thread for the operator) never writes to
 * the disk; the media thread's hl_wav_tick does, and the file ends up
 * the call's length.  Prints the first failure; exits 0 iff all hold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hotline.h"

/* What wav.c takes from Janus. */
int		 janus_log_level = 0;
gboolean	 janus_log_timestamps = FALSE;
gboolean	 janus_log_colors = FALSE;
char		*janus_log_global_prefix = NULL;
int		 lock_debug = 0;
static gint64	 clock_us = 1000000;

ssize_t		 __real_write(int, const void *, size_t);
ssize_t		 __wrap_write(int, const void *, size_t);
gint64		 janus_get_monotonic_time(void);
void		 janus_vprintf(const char *, ...);

static int	 writes;
static int	 failures;

gint64
janus_get_monotonic_time(void)
{
	return (clock_us);
}

void
janus_vprintf(const char *fmt, ...)
{
	(void)fmt;
}

ssize_t
__wrap_write(int fd, const void *buf, size_t len)
{
	writes++;
	return (__real_write(fd, buf, len));
}

static void
check(int cond, const char *what, long long a)
{
	if (!cond && failures++ == 0)
		printf("unit_wav: %s (%lld)\n", what, a);
}

int
main(void)
{
	char		 path[] = "/tmp/unit_wav.XXXXXX";
	uint8_t		 payload[160];
	struct hl_wav	*w;
	struct stat	 st;
	int		 fd, i, in_writer = 0;

	fd = mkstemp(path);
	if (fd < 0)
		return (2);
	close(fd);
	unlink(path);
	memset(payload, 0xd5, sizeof(payload));
	w = hl_wav_open(path, clock_us);
	check(w != NULL, "hl_wav_open", 0);
	if (w == NULL)
		return (1);
	writes = 0;
	/* Ten seconds of both sides, 20 ms apart; the media thread ticks
	 * after each pair, as media.c does. */
	for (i = 0; i < 500; i++) {
		int	before = writes;

		hl_wav_write(w, HL_WAV_CALLER, 8, payload, 160,
		    (uint32_t)i * 160);
		hl_wav_write(w, HL_WAV_OPERATOR, 8, payload, 160,
		    (uint32_t)i * 160);
		in_writer += writes - before;
		clock_us += 20000;
		hl_wav_tick(w);
	}
	check(in_writer == 0, "hl_wav_write wrote to the disk", in_writer);
	check(writes >= 10, "hl_wav_tick wrote the old frames", writes);
	hl_wav_close(w, clock_us);
	check(stat(path, &st) == 0 && st.st_size == 44 + 10 * 8000 * 4,
	    "a 10 s stereo file", (long long)st.st_size);
	unlink(path);
	return (failures == 0 ? 0 : 1);
}
