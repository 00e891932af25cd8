/*
 * test_retry.c: src/retry.c, the backoff of outbound messages.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "retry.h"

static void
test_delay_doubles_up_to_an_hour(void **state)
{
	(void)state;
	assert_int_equal(retry_delay_sec(1), 30);
	assert_int_equal(retry_delay_sec(2), 60);
	assert_int_equal(retry_delay_sec(3), 120);
	assert_int_equal(retry_delay_sec(7), 1920);
	assert_int_equal(retry_delay_sec(8), 3600);
	assert_int_equal(retry_delay_sec(1000), 3600);
	/* Nonsense counts still wait, never zero or negative. */
	assert_int_equal(retry_delay_sec(0), 30);
	assert_int_equal(retry_delay_sec(-5), 30);
}

static void
test_gives_up_after_the_last_attempt(void **state)
{
	(void)state;
	assert_false(retry_gives_up(1));
	assert_false(retry_gives_up(RETRY_MAX_ATTEMPTS - 1));
	assert_true(retry_gives_up(RETRY_MAX_ATTEMPTS));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delay_doubles_up_to_an_hour),
		cmocka_unit_test(test_gives_up_after_the_last_attempt),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
