/*
 * test_hotline_wav.c: plugins/hotline/wav.c, linked with write() wrapped
 * (-Wl,--wrap=write) and the clock in our hands.  The packets' writer
 * (Janus's RTP thread for the operator) never writes to the disk; the
 * media thread's hl_wav_tick does, and the file ends up the call's
 * length.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

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
test_disk_writes_on_the_media_thread(void **state)
{
	char		 path[] = "/tmp/test_hotline_wav.XXXXXX";
	uint8_t		 payload[160];
	struct hl_wav	*w;
	struct stat	 st;
	int		 fd, i, in_writer = 0;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	memset(payload, 0xd5, sizeof(payload));
	w = hl_wav_open(path, clock_us);
	assert_non_null(w);
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
	/* hl_wav_write never wrote to the disk; hl_wav_tick wrote the
	 * old frames. */
	assert_int_equal(in_writer, 0);
	assert_true(writes >= 10);
	hl_wav_close(w, clock_us);
	/* A 10 s stereo file. */
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 44 + 10 * 8000 * 4);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disk_writes_on_the_media_thread),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
