/*
 * test_channel_settings.c: src/channel_settings.c, the table of the
 * channels' settings and how their values are checked.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "channel_settings.h"

static void
test_urls(void **state)
{
	(void)state;
	assert_true(channel_url_ok("https://openapi.zalo.me"));
	assert_true(channel_url_ok("imaps://mail.tinh.gov.vn/INBOX"));
	assert_true(channel_url_ok("smtp://127.0.0.1:2525"));
	assert_true(channel_url_ok("http://[::1]:8080/send"));
	assert_false(channel_url_ok("javascript:alert(1)"));
	assert_false(channel_url_ok("ftp://files.example/"));
	assert_false(channel_url_ok("http:// spaced.example/"));
	assert_false(channel_url_ok("http:///path"));
	assert_false(channel_url_ok("https://"));
	assert_false(channel_url_ok("https://máy.vn/"));
	assert_false(channel_url_ok("https://a.example/\"><script>"));
}

static void
test_the_table_is_sound(void **state)
{
	const struct channel_setting	*s, *t;
	size_t				 n;

	(void)state;
	for (s = channel_settings; s->channel != NULL; s++) {
		assert_non_null(channel_info_find(s->channel));
		n = strlen(s->name);
		assert_true(n >= 1 && n <= 40);
		assert_int_equal(strspn(s->name,
		    "abcdefghijklmnopqrstuvwxyz0123456789_"), n);
		assert_true(s->max > 0 && s->max <= CHANNEL_SETTING_MAX);
		/* Each name once per channel. */
		for (t = s + 1; t->channel != NULL; t++)
			assert_false(strcmp(s->channel, t->channel) == 0 &&
			    strcmp(s->name, t->name) == 0);
	}
	assert_true(channel_setting_find("zalo", "access_token")->secret);
	assert_false(channel_setting_find("sms", "url")->secret);
	assert_null(channel_setting_find("sms", "nope"));
	assert_null(channel_info_find("fax"));
}

static void
test_checks(void **state)
{
	char	err[300];

	(void)state;
	assert_int_equal(channel_setting_check(channel_setting_find("notice",
	    "reminder_hours"), "24", err, sizeof(err)), 0);
	assert_int_equal(channel_setting_check(channel_setting_find("notice",
	    "reminder_hours"), "721", err, sizeof(err)), -1);
	assert_string_equal(err, "phải là số nguyên từ 0 đến 720.");
	assert_int_equal(channel_setting_check(channel_setting_find("email",
	    "poll_seconds"), "1e3", err, sizeof(err)), -1);
	assert_int_equal(channel_setting_check(channel_setting_find("email",
	    "from_address"), "1022@tinh.gov.vn", err, sizeof(err)), 0);
	assert_int_equal(channel_setting_check(channel_setting_find("email",
	    "from_address"), "not an address", err, sizeof(err)), -1);
	/* One line: a newline only in the long texts. */
	assert_int_equal(channel_setting_check(channel_setting_find("sms",
	    "sender"), "A\nB", err, sizeof(err)), -1);
	assert_int_equal(channel_setting_check(channel_setting_find("sms",
	    "template"), "to={phone}\n&text={text}", err, sizeof(err)), 0);
	/* The leaders' addresses: a few valid e-mails, nothing else. */
	assert_int_equal(channel_setting_check(channel_setting_find("report",
	    "leaders"), "a@tinh.gov.vn, b@tinh.gov.vn;c@tinh.gov.vn",
	    err, sizeof(err)), 0);
	assert_int_equal(channel_setting_check(channel_setting_find("report",
	    "leaders"), "a@tinh.gov.vn, khong-phai-thu", err, sizeof(err)), -1);
	assert_string_equal(err, "địa chỉ e-mail không hợp lệ: khong-phai-thu.");
	assert_int_equal(channel_setting_check(channel_setting_find("report",
	    "leaders"), "a@x.vn b@x.vn c@x.vn d@x.vn e@x.vn f@x.vn g@x.vn "
	    "h@x.vn i@x.vn j@x.vn k@x.vn", err, sizeof(err)), -1);
	assert_string_equal(err, "nhiều nhất 10 địa chỉ.");
	assert_int_equal(channel_setting_check(channel_setting_find("report",
	    "leaders"), " , ", err, sizeof(err)), -1);
	assert_int_equal(channel_setting_check(channel_setting_find("report",
	    "year"), "yes", err, sizeof(err)), 0);
	assert_int_equal(channel_setting_check(channel_setting_find("report",
	    "year"), "có", err, sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_the_table_is_sound),
		cmocka_unit_test(test_checks),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
