/*
 * test_georeport.c: Open311's XML writer, its dates and cutting text by
 * characters.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "georeport.h"

static void
test_escape(void **state)
{
	struct sbuf	b;
	const char	in[] = "a<b>&\"c'\x01\x7f\tĐồng Tháp\xc3";

	sbuf_init(&b);
	georeport_xml_text(&b, in, sizeof(in) - 1);
	assert_string_equal(b.data, "a&lt;b&gt;&amp;&quot;c&apos;"
	    "\xef\xbf\xbd\xef\xbf\xbd\tĐồng Tháp\xef\xbf\xbd");
	sbuf_reset(&b);
	/* Overlong, a surrogate, U+FFFF: none are XML characters. */
	georeport_xml_text(&b, "\xc0\xaf|\xed\xa0\x80|\xef\xbf\xbf", 10);
	assert_string_equal(b.data, "\xef\xbf\xbd\xef\xbf\xbd|"
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|"
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	sbuf_free(&b);
}

static void
test_document(void **state)
{
	struct sbuf	 b;
	json_t		*v;

	v = json_pack("[{s:s,s:n,s:b,s:i,s:[{s:s}]}]",
	    "service_code", "dat-dai", "group", "metadata", 0,
	    "n", 3, "values", "key", "<1>");
	sbuf_init(&b);
	assert_int_equal(georeport_xml(&b, "services", v), 0);
	assert_string_equal(b.data, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<services><service><service_code>dat-dai</service_code><group/>"
	    "<metadata>false</metadata><n>3</n><values><value><key>&lt;1&gt;"
	    "</key></value></values></service></services>\n");
	json_decref(v);

	/* A key that cannot be an element name is refused, not written. */
	sbuf_reset(&b);
	v = json_pack("{s:s}", "a b", "x");
	assert_int_equal(georeport_xml(&b, "errors", v), -1);
	json_decref(v);
	sbuf_free(&b);
}

static void
test_dates(void **state)
{
	static const char *const good[] = {
		"2026-12-03", "2026-12-03T10:00", "2026-12-03T10:00:00Z",
		"2026-12-03T10:00:00.000Z", "2026-12-03T10:00:00.123456+07:00",
		"2026-12-03T10:00:00-0500", "2026-12-03 10:00:00",
		"2026-02-30", NULL
	};
	static const char *const bad[] = {
		"", "yesterday", "2026-12", "2026-12-03T", "2026-12-03T10",
		"2026-12-03T10:00:00.", "2026-12-03T10:00:00.0000000000Z",
		"2026-12-03T10:00:00+7", "2026-12-03T10:00:00Zx",
		"2026-12-03T10:00:00+07:00:00", "2026-12-03'; --", NULL
	};
	int	i;

	for (i = 0; good[i] != NULL; i++)
		assert_true(georeport_date_ok(good[i]));
	for (i = 0; bad[i] != NULL; i++)
		assert_false(georeport_date_ok(bad[i]));
}

static void
test_clip(void **state)
{
	const char	s[] = "Nguyễn Văn Đức";

	/* "Nguyễn" is 6 characters and 8 bytes. */
	assert_int_equal(georeport_clip(s, strlen(s), 6), 8);
	assert_int_equal(georeport_clip(s, strlen(s), 5), 7);
	assert_int_equal(georeport_clip(s, strlen(s), 100), strlen(s));
	assert_int_equal(georeport_clip(s, strlen(s), 0), 0);
	assert_int_equal(georeport_clip("ễễ", 6, 1), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_clip),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
