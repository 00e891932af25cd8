/*
 * test_hotline_tick.c: plugins/hotline/tick.c.  A call's media thread
 * must sleep until its next 20 ms tick, never spin on poll(..., 0)
 * before it (the bench measured the spin as half the plugin's CPU per
 * call).
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "tick.h"

#define TICK_US	20000

/* Every phase of the last 25 ms before a tick, and 5 ms past it. */
static void
test_timeout_bounds(void **state)
{
	long long	left;
	int		t;

	(void)state;
	for (left = -5000; left <= 25000; left++) {
		t = hl_tick_timeout_ms(1000000 + left, 1000000, 20);
		/* within [0, 20] ms */
		if (t < 0 || t > 20)
			fail_msg("left %lld us: timeout %d ms", left, t);
		/* 0 only when the tick is due */
		if ((t == 0) != (left <= 0))
			fail_msg("left %lld us: timeout %d ms", left, t);
		/* never wakes before the tick */
		if (!(left <= 0 || t == 20 || (long long)t * 1000 >= left))
			fail_msg("left %lld us: wakes after %d ms", left, t);
	}
}

/*
 * The media loop with a clock that poll(2) advances by exactly its
 * timeout (and not at all for 0): from any phase, a thousand ticks take
 * at most two polls each.
 */
static void
test_two_polls_per_tick(void **state)
{
	long long	phase, now, next, polls, ticks;

	(void)state;
	for (phase = 0; phase < TICK_US; phase += 37) {
		now = phase;
		next = TICK_US;
		polls = ticks = 0;
		while (ticks < 1000 && polls < 5000) {
			if (now >= next) {
				ticks++;
				next += TICK_US;
			}
			now += 1000LL * hl_tick_timeout_ms(next, now, 20);
			polls++;
		}
		if (ticks != 1000 || polls > 2 * ticks)
			fail_msg("phase %lld us: %lld polls for %lld ticks",
			    phase, polls, ticks);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timeout_bounds),
		cmocka_unit_test(test_two_polls_per_tick),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
