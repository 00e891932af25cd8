/*
 * Unit test of plugins/hotline/tick.c, built and run by e2e.mjs: a call's
 * media thread must sleep until its next 20 ms tick, never spin on
 * poll(..., 0) before it.  Prints the first failure; exits 0 iff all hold.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tick.h"

#define TICK_US	20000

static int	 failures;

static void
check(int cond, const char *what, long long a, long long b)
{
	if (!cond && failures++ == 0)
		printf("unit_tick: %s (%lld, %lld)\n", what, a, b);
}

int
main(void)
{
	long long	 left, phase, now, next, polls, ticks;
	int		 t;

	for (left = -5000; left <= 25000; left++) {
		t = hl_tick_timeout_ms(1000000 + left, 1000000, 20);
		check(t >= 0 && t <= 20, "timeout within [0, 20] ms", left, t);
		check((t == 0) == (left <= 0), "0 only when the tick is due", left, t);
		check(left <= 0 || t == 20 || (long long)t * 1000 >= left,
		    "never wakes before the tick", left, t);
	}
	/*
	 * The media loop with a clock that poll(2) advances by exactly its
	 * timeout (and not at all for 0): from any phase, a thousand ticks
	 * take at most two polls each.
	 */
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
		check(ticks == 1000 && polls <= 2 * ticks,
		    "at most two polls per tick", phase, polls);
	}
	return (failures ? 1 : 0);
}
