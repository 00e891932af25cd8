/*
 * test_callback.c: the dispositions of a call and the outcomes of a
 * callback, with their Vietnamese names.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "callback.h"

/* Every disposition the plugin sends (docs/hotline-api.md) has a name. */
static void
test_dispositions(void **state)
{
	static const char *const sent[] = {
		"answered", "abandoned", "voicemail", "transferred", "missed",
		NULL
	};
	int	i;

	(void)state;
	for (i = 0; sent[i] != NULL; i++) {
		assert_non_null(callback_word_find(callback_dispositions, sent[i]));
		assert_string_not_equal(callback_word_vi(callback_dispositions,
		    sent[i]), sent[i]);
	}
	assert_string_equal(callback_word_vi(callback_dispositions, "abandoned"),
	    "Bỏ máy khi chờ");
	assert_string_equal(callback_word_vi(callback_dispositions, "missed"),
	    "Cuộc gọi nhỡ");
	/* A newer disposition reads as itself rather than as nothing. */
	assert_string_equal(callback_word_vi(callback_dispositions, "no_such"),
	    "no_such");
}

/* Outcomes: only the four the database allows; exact keys only. */
static void
test_outcomes(void **state)
{
	const struct callback_word	*w;
	int				 n;

	(void)state;
	for (n = 0, w = callback_outcomes; w->key != NULL; w++)
		n++;
	assert_int_equal(n, 4);
	w = callback_word_find(callback_outcomes, "reached");
	assert_non_null(w);
	assert_string_equal(w->vi, "Đã liên lạc được");
	assert_null(callback_word_find(callback_outcomes, "Reached"));
	assert_null(callback_word_find(callback_outcomes, "reached "));
	assert_null(callback_word_find(callback_outcomes, ""));
	assert_null(callback_word_find(callback_outcomes, NULL));
	assert_null(callback_word_find(callback_outcomes, "answered"));
}

static void
test_note_required(void **state)
{
	(void)state;
	assert_int_equal(callback_note_required("other"), 1);
	assert_int_equal(callback_note_required("reached"), 0);
	assert_int_equal(callback_note_required("no_answer"), 0);
	assert_int_equal(callback_note_required(NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dispositions),
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_note_required),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
