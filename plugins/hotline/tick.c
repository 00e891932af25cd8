/*
 * tick.c: how long a call's media thread may sleep in poll(2) before its
 * next 20 ms tick (hold audio) is due.
 */
#include "tick.h"

/*
 * Milliseconds from now_us to next_us (monotonic microseconds), rounded
 * up and at most max_ms; 0 only when the tick is due.  Rounded down, the
 * last millisecond before every tick was poll(..., 0) in a loop: a busy
 * wait of up to 1 ms in every 20 on each call's thread, which the bench
 * measured as twice the plugin's CPU per call.
 */
int
hl_tick_timeout_ms(int64_t next_us, int64_t now_us, int max_ms)
{
	int64_t	 ms;

	if (next_us <= now_us)
		return (0);
	ms = (next_us - now_us + 999) / 1000;
	return (ms > max_ms ? max_ms : (int)ms);
}
