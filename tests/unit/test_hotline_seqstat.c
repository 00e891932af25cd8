/*
 * test_hotline_seqstat.c: plugins/hotline/seqstat.c, the desk phone
 * leg's lost and late packets (status rtp.phone).
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "seqstat.h"

/* Feeds seqs of one SSRC; returns the totals in *lost, *late. */
static void
feed(hl_seqstat *st, uint32_t ssrc, const int *seqs, int n, int *lost,
    int *late)
{
	int	i, dl, dt;

	for (i = 0; i < n; i++) {
		hl_seqstat_add(st, ssrc, (uint16_t)seqs[i], &dl, &dt);
		*lost += dl;
		*late += dt;
	}
}

/* One SSRC's sequence numbers and the totals they must give. */
static const struct seq_case {
	const char	*what;
	int		 seqs[8];
	int		 n, lost, late;
} cases[] = {
	{ "in order", { 10, 11, 12, 13, 14 }, 5, 0, 0 },
	/* 12 and 13 missing; 12 then comes late (fills its gap); 13 never. */
	{ "gap and late", { 10, 11, 14, 15, 12, 16 }, 6, 1, 1 },
	{ "duplicate", { 10, 11, 11, 12 }, 4, 0, 0 },
	/* Sequence numbers wrap at 65535. */
	{ "wrap", { 65534, 65535, 0, 2 }, 4, 1, 0 },
	/* A very old packet is late but fills no gap. */
	{ "old late", { 1000, 1002, 800 }, 3, 1, 1 },
	/* Older than the first packet seen: late, and no gap to fill. */
	{ "before the first", { 10, 11, 9 }, 3, 0, 1 },
};

static void
test_cases(void **state)
{
	size_t	i;
	int	lost, late;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hl_seqstat	st = { 0 };

		lost = late = 0;
		feed(&st, 7, cases[i].seqs, cases[i].n, &lost, &late);
		if (lost != cases[i].lost || late != cases[i].late)
			fail_msg("%s: lost %d late %d, want %d %d",
			    cases[i].what, lost, late, cases[i].lost,
			    cases[i].late);
	}
}

/* A new SSRC starts afresh: no jump counted as loss. */
static void
test_new_ssrc(void **state)
{
	hl_seqstat	st = { 0 };
	int		a[] = { 100, 101 }, b[] = { 30000, 30001 };
	int		lost = 0, late = 0;

	(void)state;
	feed(&st, 7, a, 2, &lost, &late);
	feed(&st, 8, b, 2, &lost, &late);
	assert_int_equal(lost, 0);
	assert_int_equal(late, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_new_ssrc),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
