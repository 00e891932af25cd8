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

static void
test_in_order(void **state)
{
	hl_seqstat	st = { 0 };
	int		seqs[] = { 10, 11, 12, 13, 14 }, lost = 0, late = 0;

	(void)state;
	feed(&st, 7, seqs, 5, &lost, &late);
	assert_int_equal(lost, 0);
	assert_int_equal(late, 0);
}

static void
test_gap_and_late(void **state)
{
	hl_seqstat	st = { 0 };
	/* 12 and 13 missing; 12 then comes late (fills its gap); 13 never. */
	int		seqs[] = { 10, 11, 14, 15, 12, 16 }, lost = 0, late = 0;

	(void)state;
	feed(&st, 7, seqs, 6, &lost, &late);
	assert_int_equal(lost, 1);
	assert_int_equal(late, 1);
}

static void
test_duplicate(void **state)
{
	hl_seqstat	st = { 0 };
	int		seqs[] = { 10, 11, 11, 12 }, lost = 0, late = 0;

	(void)state;
	feed(&st, 7, seqs, 4, &lost, &late);
	assert_int_equal(lost, 0);
	assert_int_equal(late, 0);
}

/* Sequence numbers wrap at 65535. */
static void
test_wrap(void **state)
{
	hl_seqstat	st = { 0 };
	int		seqs[] = { 65534, 65535, 0, 2 }, lost = 0, late = 0;

	(void)state;
	feed(&st, 7, seqs, 4, &lost, &late);
	assert_int_equal(lost, 1);
	assert_int_equal(late, 0);
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

/* Older than the first packet seen: late, and no gap to fill. */
static void
test_before_first(void **state)
{
	hl_seqstat	st = { 0 };
	int		seqs[] = { 10, 11, 9 }, lost = 0, late = 0;

	(void)state;
	feed(&st, 7, seqs, 3, &lost, &late);
	assert_int_equal(lost, 0);
	assert_int_equal(late, 1);
}

/* A very old packet is late but fills no gap. */
static void
test_old_late(void **state)
{
	hl_seqstat	st = { 0 };
	int		seqs[] = { 1000, 1002, 800 }, lost = 0, late = 0;

	(void)state;
	feed(&st, 7, seqs, 3, &lost, &late);
	assert_int_equal(lost, 1);
	assert_int_equal(late, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_gap_and_late),
		cmocka_unit_test(test_duplicate),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_new_ssrc),
		cmocka_unit_test(test_old_late),
		cmocka_unit_test(test_before_first),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
