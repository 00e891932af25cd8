/*
 * test_json.c: the values replies are written from (json_text,
 * json_number_text) and how a reply is written (JSON_WRITE_FLAGS): what
 * clients read must not change with the library underneath.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"

/* The value as a reply writes it; the caller frees. */
static char *
dump(json_t *v)
{
	char	*s;

	assert_non_null(v);
	s = json_dumps(v, JSON_WRITE_FLAGS | JSON_ENCODE_ANY);
	json_decref(v);
	assert_non_null(s);
	return (s);
}

static void
test_text_or_null(void **state)
{
	char	*s;

	s = dump(json_text(NULL));
	assert_string_equal(s, "null");
	free(s);
	s = dump(json_text(""));
	assert_string_equal(s, "\"\"");
	free(s);
	/* Vietnamese stays UTF-8; quotes and controls are escaped. */
	s = dump(json_text("Hỏi \"đáp\"\n\t\\"));
	assert_string_equal(s, "\"Hỏi \\\"đáp\\\"\\n\\t\\\\\"");
	free(s);
}

/* A message cut at a byte count inside a character still goes out. */
static void
test_text_not_utf8(void **state)
{
	char	*s;

	s = dump(json_text("T\xe1\xbb"));	/* "Tệ" cut after 2 of 3 bytes */
	assert_string_equal(s, "\"T\xef\xbf\xbd\"");
	free(s);
	s = dump(json_text("a\xff" "b\xc3\xa9"));
	assert_string_equal(s, "\"a\xef\xbf\xbd" "b\xc3\xa9\"");
	free(s);
}

static void
test_numbers(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} ok[] = {
		{ "0", "0" }, { "12", "12" }, { "-3", "-3" },
		{ "85.7", "85.7" }, { "100.0", "100.0" }, { "0.0", "0.0" },
		{ "-0.5", "-0.5" }, { "33.3", "33.3" },
		{ "9007199254740993", "9007199254740993" },
	};
	static const char *const bad[] = {
		"", "-", "abc", "1e5", "1.", ".5", "1.2.3", "12a", "NaN",
		" 1", "--1", "99999999999999999999",
	};
	char	*s;
	size_t	 i;

	s = dump(json_number_text(NULL));
	assert_string_equal(s, "null");
	free(s);
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		s = dump(json_number_text(ok[i].in));
		assert_string_equal(s, ok[i].out);
		free(s);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_null(json_number_text(bad[i]));
}

/* Compact, keys in the order they were set, as the hand-written JSON was. */
static void
test_write_flags(void **state)
{
	char	*s;

	s = dump(json_pack("{s:s,s:i,s:n,s:b,s:[]}", "z", "1", "a", 2,
	    "m", "b", 0, "l"));
	assert_string_equal(s, "{\"z\":\"1\",\"a\":2,\"m\":null,\"b\":false,"
	    "\"l\":[]}");
	free(s);
}

/* A member that could not be built drops the list, not just itself. */
static void
test_list_add(void **state)
{
	json_t	*list;

	(void)state;
	list = json_array();
	json_list_add(&list, json_text("a"));
	json_list_add(&list, json_text("b"));
	assert_int_equal(json_array_size(list), 2);
	json_list_add(&list, NULL);
	assert_null(list);
	json_list_add(&list, json_text("c"));	/* freed, not leaked */
	assert_null(list);
	assert_null(json_pack("{s:o}", "items", list));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_or_null),
		cmocka_unit_test(test_text_not_utf8),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_write_flags),
		cmocka_unit_test(test_list_add),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
