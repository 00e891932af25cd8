/*
 * tick.h: the media threads' sleep before their next tick (tick.c).  No
 * Janus or glib here, so tests/unit/test_hotline_tick.c can build it alone.
 */
#ifndef HOTLINE_TICK_H
#define HOTLINE_TICK_H

#include <stdint.h>

int	 hl_tick_timeout_ms(int64_t, int64_t, int);

#endif
