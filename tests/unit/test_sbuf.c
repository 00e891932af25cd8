/*
 * test_sbuf.c: the buffer and its escapes.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sbuf.h"

static void
test_grows_and_terminates(void **state)
{
	struct sbuf	b;
	int		i;

	sbuf_init(&b);
	for (i = 0; i < 1000; i++)
		sbuf_appendf(&b, "%d,", i % 10);
	assert_int_equal(b.len, 2000);
	assert_int_equal(b.data[b.len], '\0');
	sbuf_reset(&b);
	assert_string_equal(b.data, "");
	sbuf_free(&b);
}

/* One encoder for every URL we build; only the space differs by place. */
static void
test_url(void **state)
{
	struct sbuf	b;

	sbuf_init(&b);
	sbuf_append_url(&b, "chứng thực bản sao & 100%/~a", SBUF_URL_QUERY);
	assert_string_equal(b.data, "ch%E1%BB%A9ng+th%E1%BB%B1c+b%E1%BA%A3n+sao+"
	    "%26+100%25%2F~a");
	sbuf_reset(&b);
	sbuf_append_url(&b, "Đơn xin.pdf", SBUF_URL_PART);
	assert_string_equal(b.data, "%C4%90%C6%A1n%20xin.pdf");
	sbuf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grows_and_terminates),
		cmocka_unit_test(test_url),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
