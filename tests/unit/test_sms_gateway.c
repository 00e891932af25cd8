/*
 * test_sms_gateway.c: src/sms_gateway.c, the generic SMS gateway
 * adapter's request body, SMS part counts and replies.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sms_gateway.h"

static void
test_parts_count_gsm_and_unicode(void **state)
{
	char	long_text[400];

	(void)state;
	assert_int_equal(sms_parts("Phieu da tra loi"), 1);
	memset(long_text, 'a', 161);
	long_text[161] = '\0';
	assert_int_equal(sms_parts(long_text), 2);
	memset(long_text, 'a', 307);
	long_text[307] = '\0';
	assert_int_equal(sms_parts(long_text), 3);
	/* With diacritics: UCS-2, 70 alone, 67 a part; characters, not bytes. */
	assert_int_equal(sms_parts("Phiếu đã được trả lời"), 1);
	memset(long_text, 0, sizeof(long_text));
	for (int i = 0; i < 71; i++)
		strcat(long_text, "ế");
	assert_int_equal(sms_parts(long_text), 2);
	assert_int_equal(sms_parts(""), -1);
}

static void
test_json_template_escapes_values(void **state)
{
	struct sbuf	b;
	int		json = 0;

	(void)state;
	sbuf_init(&b);
	assert_int_equal(sms_request_body(NULL, "0912345678", "TD1022",
	    "Trả lời \"A\"\n\\x", &b, &json), 0);
	assert_true(json);
	assert_string_equal(b.data, "{\"to\":\"0912345678\",\"from\":\"TD1022\","
	    "\"text\":\"Trả lời \\\"A\\\"\\n\\\\x\"}");
	sbuf_free(&b);
}

static void
test_form_template_url_encodes(void **state)
{
	struct sbuf	b;
	int		json = 1;

	(void)state;
	sbuf_init(&b);
	assert_int_equal(sms_request_body("msisdn={phone}&brand={sender}&msg={text}",
	    "+84912", "A&B", "a b=c", &b, &json), 0);
	assert_false(json);
	assert_string_equal(b.data, "msisdn=%2B84912&brand=A%26B&msg=a+b%3Dc");
	sbuf_free(&b);
	sbuf_init(&b);
	assert_int_equal(sms_request_body("to={phone}", "1", "", "x", &b,
	    &json), -1);
	sbuf_free(&b);
}

static void
test_replies(void **state)
{
	struct outbox_result	r;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(sms_reply_read(200, "{\"status\":\"ok\",\"id\":\"m-7\"}",
	    "", &r), OUTBOX_SENT);
	assert_string_equal(r.external_id, "m-7");
	memset(&r, 0, sizeof(r));
	assert_int_equal(sms_reply_read(202, "{\"message_id\":12}", "", &r),
	    OUTBOX_SENT);
	assert_string_equal(r.external_id, "12");
	memset(&r, 0, sizeof(r));
	assert_int_equal(sms_reply_read(200, "{\"status\":\"failed\","
	    "\"error\":\"no credit\"}", "", &r), OUTBOX_FAILED);
	assert_non_null(strstr(r.error, "no credit"));
	memset(&r, 0, sizeof(r));
	assert_int_equal(sms_reply_read(503, "busy", "", &r), OUTBOX_RETRY);
	assert_non_null(strstr(r.error, "HTTP 503"));
	memset(&r, 0, sizeof(r));
	assert_int_equal(sms_reply_read(429, "", "", &r), OUTBOX_RETRY);
	memset(&r, 0, sizeof(r));
	assert_int_equal(sms_reply_read(0, NULL, "Timeout was reached", &r),
	    OUTBOX_RETRY);
	assert_non_null(strstr(r.error, "Timeout"));
	memset(&r, 0, sizeof(r));
	assert_int_equal(sms_reply_read(401, "{\"error\":\"Sai mật khẩu\"}",
	    "", &r), OUTBOX_FAILED);
	assert_non_null(strstr(r.error, "HTTP 401): Sai mật khẩu"));
}

static void
test_a_long_reason_is_cut_on_a_character(void **state)
{
	struct outbox_result	r;
	char			body[2000];
	size_t			len;

	(void)state;
	strcpy(body, "{\"error\":\"");
	for (int i = 0; i < 300; i++)
		strcat(body, "ệ");
	strcat(body, "\"}");
	memset(&r, 0, sizeof(r));
	assert_int_equal(sms_reply_read(400, body, "", &r), OUTBOX_FAILED);
	len = strlen(r.error);
	assert_true(len < sizeof(r.error));
	/* Ends on a whole "ệ" (three bytes: e1 bb 87). */
	assert_int_equal((unsigned char)r.error[len - 1], 0x87);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parts_count_gsm_and_unicode),
		cmocka_unit_test(test_json_template_escapes_values),
		cmocka_unit_test(test_form_template_url_encodes),
		cmocka_unit_test(test_replies),
		cmocka_unit_test(test_a_long_reason_is_cut_on_a_character),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
