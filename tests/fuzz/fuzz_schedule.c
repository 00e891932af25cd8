/*
 * fuzz_schedule: calendar_file's lines through hl_schedule_line()
 * (plugins/hotline/schedule.c), one line per input line as calendar.c
 * feeds them, then a decision for every minute edge the lines name.  The
 * file is Kore's, but a hand edit or a torn write must never take the
 * plugin down or open it on a date nobody set.
 */
#include <string.h>

#include "schedule.h"
#include "fuzz.h"

#define LINE_MAX_LEN	256

/* No LLVMFuzzerInitialize: nothing to set up (libFuzzer's is optional). */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static hl_schedule	 s;
	char			 line[LINE_MAX_LEN + 1];
	size_t			 i, n;
	int			 d, r, before;

	hl_schedule_init(&s);
	for (i = 0; i < size; i += n + 1) {
		for (n = 0; i + n < size && data[i + n] != '\n'; n++)
			;
		if (n > LINE_MAX_LEN)
			continue;
		memcpy(line, data + i, n);
		line[n] = '\0';
		before = s.nshifts;
		r = hl_schedule_line(&s, line);
		FUZZ_CHECK(r >= -1 && r <= 1);
		FUZZ_CHECK(r == 1 || s.nshifts == before);
		FUZZ_CHECK(s.nshifts >= 0 && s.nshifts <= HL_SCHED_MAX_SHIFTS);
	}
	for (i = 0; i < (size_t)s.nshifts; i++) {
		const hl_sched_shift *sh = &s.shifts[i];

		FUZZ_CHECK(hl_schedule_date_ok(sh->date, strlen(sh->date)));
		r = hl_schedule_decide(&s, sh->date, 1, sh->hours.from);
		FUZZ_CHECK(r == (sh->hours.kind == HL_SCHED_OPEN));
	}
	for (d = 1; d <= 7; d++) {
		const hl_sched_hours *h = &s.week[d - 1];

		FUZZ_CHECK(h->kind != HL_SCHED_OPEN ||
		    (h->from >= 0 && h->from < h->to && h->to <= 24 * 60));
		r = hl_schedule_decide(&s, "0000-00-00", d, 0);
		FUZZ_CHECK(r >= -1 && r <= 1);
	}
	return (0);
}
