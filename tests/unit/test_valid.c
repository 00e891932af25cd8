/*
 * test_valid.c: what a form field may contain.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "valid.h"

#define U8(s)	(s), (sizeof(s) - 1)

static void	assert_phone(const char *, const char *);
static void	assert_bad_phone(const char *);

static void
test_utf8_valid(void **state)
{
	(void)state;
	assert_true(valid_utf8(U8("")));
	assert_true(valid_utf8(U8("abc")));
	assert_true(valid_utf8(U8("Tổng đài 1022 – Đồng Tháp")));
	assert_true(valid_utf8(U8("\xc2\x80")));		/* U+0080 */
	assert_true(valid_utf8(U8("\xdf\xbf")));		/* U+07FF */
	assert_true(valid_utf8(U8("\xe0\xa0\x80")));		/* U+0800 */
	assert_true(valid_utf8(U8("\xed\x9f\xbf")));		/* U+D7FF */
	assert_true(valid_utf8(U8("\xee\x80\x80")));		/* U+E000 */
	assert_true(valid_utf8(U8("\xef\xbf\xbf")));		/* U+FFFF */
	assert_true(valid_utf8(U8("\xf0\x90\x80\x80")));	/* U+10000 */
	assert_true(valid_utf8(U8("\xf0\x9f\x98\x80")));	/* emoji */
	assert_true(valid_utf8(U8("\xf4\x8f\xbf\xbf")));	/* U+10FFFF */
	assert_true(valid_utf8(NULL, 0));
	assert_false(valid_utf8(NULL, 1));
}

static void
test_utf8_invalid(void **state)
{
	(void)state;
	/* NUL is refused even though it is valid UTF-8. */
	assert_false(valid_utf8(U8("ab\0cd")));
	assert_false(valid_utf8(U8("\0")));
	/* Overlong forms. */
	assert_false(valid_utf8(U8("\xc0\xaf")));		/* '/' */
	assert_false(valid_utf8(U8("\xc0\x80")));		/* NUL */
	assert_false(valid_utf8(U8("\xc1\xbf")));
	assert_false(valid_utf8(U8("\xe0\x80\xaf")));
	assert_false(valid_utf8(U8("\xe0\x9f\xbf")));
	assert_false(valid_utf8(U8("\xf0\x80\x80\xaf")));
	assert_false(valid_utf8(U8("\xf0\x8f\xbf\xbf")));
	/* Surrogates. */
	assert_false(valid_utf8(U8("\xed\xa0\x80")));
	assert_false(valid_utf8(U8("\xed\xbf\xbf")));
	/* Above U+10FFFF, and bytes that never occur. */
	assert_false(valid_utf8(U8("\xf4\x90\x80\x80")));
	assert_false(valid_utf8(U8("\xf5\x80\x80\x80")));
	assert_false(valid_utf8(U8("\xff")));
	assert_false(valid_utf8(U8("\xfe")));
	/* Lone continuation bytes and truncated sequences. */
	assert_false(valid_utf8(U8("\x80")));
	assert_false(valid_utf8(U8("a\xbf")));
	assert_false(valid_utf8(U8("\xc3")));
	assert_false(valid_utf8(U8("\xe1\xbb")));
	assert_false(valid_utf8(U8("\xf0\x9f\x98")));
	assert_false(valid_utf8(U8("\xe1\xbb\x41")));
	/* Latin-1 (e.g. a form posted as windows-1258). */
	assert_false(valid_utf8(U8("Vi\xea\x74")));
	/* The length is honoured: a valid prefix of a longer buffer. */
	assert_true(valid_utf8("ab\xff", 2));
	assert_false(valid_utf8("\xe1\xbb\x9d", 2));
}

static void
test_utf8_chars(void **state)
{
	(void)state;
	assert_int_equal(valid_utf8_chars(U8("")), 0);
	assert_int_equal(valid_utf8_chars(U8("abc")), 3);
	assert_int_equal(valid_utf8_chars(U8("Đường")), 5);
	assert_int_equal(valid_utf8_chars(U8("\xf0\x9f\x98\x80x")), 2);
	assert_int_equal(valid_utf8_chars(NULL, 5), 0);
}

static void
test_text(void **state)
{
	char	*big;
	size_t	 i;

	(void)state;
	assert_int_equal(valid_text(U8("Xin chào"), 10, 0), VALID_OK);
	assert_int_equal(valid_text(U8("  Xin chào  "), 8, 0), VALID_OK);
	/* Counted in characters, not bytes. */
	assert_int_equal(valid_text(U8("Đường Nguyễn Huệ"), 16, 0),
	    VALID_OK);
	assert_int_equal(valid_text(U8("Đường Nguyễn Huệ"), 15, 0),
	    VALID_ETOOLONG);

	assert_int_equal(valid_text(U8(""), 10, 0), VALID_EEMPTY);
	assert_int_equal(valid_text(NULL, 0, 10, 0), VALID_EEMPTY);
	assert_int_equal(valid_text(U8("   "), 10, 0), VALID_EEMPTY);
	assert_int_equal(valid_text(U8(" \n\r\t "), 10, 1), VALID_EEMPTY);
	/* NBSP, ideographic space, zero-width space and BOM are blank too. */
	assert_int_equal(valid_text(U8("\xc2\xa0\xe3\x80\x80\xe2\x80\x8b"
	    "\xef\xbb\xbf"), 10, 0), VALID_EEMPTY);
	assert_int_equal(valid_text(U8("\xc2\xa0" "a\xc2\xa0"), 1, 0),
	    VALID_OK);

	assert_int_equal(valid_text(U8("dòng 1\ndòng 2\r\n\tthụt"), 100, 1),
	    VALID_OK);
	assert_int_equal(valid_text(U8("dòng 1\ndòng 2"), 100, 0),
	    VALID_ECONTROL);
	assert_int_equal(valid_text(U8("a\tb"), 100, 0), VALID_ECONTROL);
	assert_int_equal(valid_text(U8("a\x1b[31mb"), 100, 1),
	    VALID_ECONTROL);
	assert_int_equal(valid_text(U8("a\x7f"), 100, 1), VALID_ECONTROL);
	assert_int_equal(valid_text(U8("a\xc2\x85" "b"), 100, 1),
	    VALID_ECONTROL);	/* C1 NEL */
	assert_int_equal(valid_text(U8("a\xc2\x9f" "b"), 100, 1),
	    VALID_ECONTROL);
	assert_int_equal(valid_text(U8("a\x01"), 100, 1), VALID_ECONTROL);

	assert_int_equal(valid_text(U8("a\0b"), 100, 1), VALID_EUTF8);
	assert_int_equal(valid_text(U8("a\xc0\xaf" "b"), 100, 1), VALID_EUTF8);
	assert_int_equal(valid_text(U8("\xed\xa0\x80"), 100, 1), VALID_EUTF8);

	/* A megabyte of text against a 5000-character limit. */
	big = malloc(1 << 20);
	assert_non_null(big);
	for (i = 0; i < (1 << 20); i++)
		big[i] = 'a' + (char)(i % 26);
	assert_int_equal(valid_text(big, 1 << 20, 5000, 1), VALID_ETOOLONG);
	assert_int_equal(valid_text(big, 5000, 5000, 1), VALID_OK);
	assert_int_equal(valid_text(big, 5001, 5000, 1), VALID_ETOOLONG);
	big[(1 << 20) - 1] = '\xe1';
	assert_int_equal(valid_text(big, 1 << 20, SIZE_MAX, 1), VALID_EUTF8);
	free(big);
}

static void
test_errors_vi(void **state)
{
	char	buf[128];
	int	codes[] = { VALID_EEMPTY, VALID_ETOOLONG, VALID_EUTF8,
		    VALID_ECONTROL, VALID_EPHONE, VALID_EEMAIL,
		    VALID_ENOSPACE };
	size_t	i;
	const char	*m;

	(void)state;
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		m = valid_error_vi(codes[i]);
		assert_non_null(m);
		assert_true(strlen(m) > 10);
		assert_true(valid_utf8(m, strlen(m)));
	}
	assert_string_equal(valid_error_vi(VALID_ETOOLONG),
	    "Nội dung quá dài.");
	assert_non_null(strstr(valid_error_vi(VALID_EPHONE), "Số điện thoại"));
	assert_non_null(strstr(valid_error_vi(VALID_EEMAIL), "email"));
	assert_non_null(valid_error_vi(-99));

	assert_int_equal(valid_error_vi_fmt(VALID_ETOOLONG, 2000, buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "Nội dung quá dài (tối đa 2000 ký tự).");
	assert_int_equal(valid_error_vi_fmt(VALID_EEMPTY, 0, buf, sizeof(buf)),
	    0);
	assert_string_equal(buf, valid_error_vi(VALID_EEMPTY));
	assert_int_equal(valid_error_vi_fmt(VALID_ETOOLONG, 2000, buf, 10),
	    -1);
}

static void
assert_phone(const char *in, const char *want)
{
	char	out[VALID_PHONE_LEN];
	int	rc;

	memset(out, 'X', sizeof(out));
	rc = valid_phone_vn(in, out, sizeof(out));
	if (rc != VALID_OK)
		fail_msg("\"%s\" rejected (%d)", in, rc);
	assert_string_equal(out, want);
}

static void
assert_bad_phone(const char *in)
{
	char	out[VALID_PHONE_LEN];
	int	rc;

	rc = valid_phone_vn(in, out, sizeof(out));
	if (rc != VALID_EPHONE)
		fail_msg("\"%s\" accepted or wrong error (%d)", in, rc);
}

static void
test_phone(void **state)
{
	char	out[VALID_PHONE_LEN];

	(void)state;
	assert_phone("0912345678", "0912345678");
	assert_phone("+84 912 345 678", "0912345678");
	assert_phone("+84912345678", "0912345678");
	assert_phone("84912345678", "0912345678");
	assert_phone("84 912.345.678", "0912345678");
	assert_phone("+84 (0) 912 345 678", "0912345678");
	assert_phone("(+84) 912-345-678", "0912345678");
	assert_phone("0912.345.678", "0912345678");
	assert_phone("0912-345-678", "0912345678");
	assert_phone(" 0912 345 678 ", "0912345678");
	assert_phone("0327 123 456", "0327123456");
	assert_phone("0523123456", "0523123456");
	assert_phone("0701234567", "0701234567");
	assert_phone("0862123456", "0862123456");
	assert_phone("0277 3851 234", "02773851234");
	assert_phone("(0277) 3851 234", "02773851234");
	assert_phone("024.3825.1234", "02438251234");
	assert_phone("+84 28 3829 1234", "02838291234");
	assert_phone("84 24 3825 1234", "02438251234");
	assert_phone("0084 912 345 678", "0912345678");
	assert_phone("0084912345678", "0912345678");
	assert_phone("00 84 (0) 912 345 678", "0912345678");
	assert_phone("0084 277 3851 234", "02773851234");
	assert_phone("+84-912-345-678", "0912345678");

	/* Service numbers are not a citizen's phone. */
	assert_bad_phone("1022");
	assert_bad_phone("113");
	assert_bad_phone("19001234");
	assert_bad_phone("1800 1234");
	/* Wrong lengths and retired or unknown prefixes. */
	assert_bad_phone("091234567");
	assert_bad_phone("09123456789");
	assert_bad_phone("0277385123");
	assert_bad_phone("027738512345");
	assert_bad_phone("01234567890");		/* pre-2018 mobile */
	assert_bad_phone("0312345678");
	assert_bad_phone("0612345678");
	assert_bad_phone("0412345678");
	assert_bad_phone("0112345678");
	assert_bad_phone("912345678");
	/* Foreign and malformed. */
	assert_bad_phone("+1 202 555 0100");
	assert_bad_phone("+44 20 7946 0958");
	assert_bad_phone("0044 20 7946 0958");
	assert_bad_phone("00 1 202 555 0100");
	assert_bad_phone("0912 345 67a");
	assert_bad_phone("0912345678 ext 1");
	assert_bad_phone("++84912345678");
	assert_bad_phone("0912+345678");
	assert_bad_phone("(0912 345 678");
	assert_bad_phone("0912) 345 678(");
	assert_bad_phone("((0277)) 3851 234");
	assert_bad_phone("");
	assert_bad_phone("   ");
	assert_bad_phone("+");
	assert_bad_phone("+84");
	assert_bad_phone("0912\xef\xbc\x93" "45678");	/* fullwidth 3 */
	assert_bad_phone("0 9 1 2 3 4 5 6 7 8 0 0 0 0 0 0 0 0 0 0 0 0 0 0");
	assert_bad_phone("000000000000000000000000000000000000000000000");
	assert_int_equal(valid_phone_vn(NULL, out, sizeof(out)),
	    VALID_EPHONE);

	/* A short output buffer is refused, not overrun. */
	memset(out, 'X', sizeof(out));
	assert_int_equal(valid_phone_vn("0912345678", out, 10),
	    VALID_ENOSPACE);
	assert_int_equal(out[0], 'X');
	assert_int_equal(valid_phone_vn("0912345678", out, 11), VALID_OK);
	assert_int_equal(valid_phone_vn("02773851234", out, 11),
	    VALID_ENOSPACE);
	assert_int_equal(valid_phone_vn("0912345678", NULL, 0),
	    VALID_ENOSPACE);
}

static void
test_http_url(void **state)
{
	(void)state;
	assert_true(valid_http_url("http://127.0.0.1:22101/tthc.jsonl"));
	assert_true(valid_http_url("https://csdl.dichvucong.gov.vn/xuat?dinh-dang=csv"));
	assert_false(valid_http_url(""));
	assert_false(valid_http_url("http://"));
	assert_false(valid_http_url("https:///etc/passwd"));
	assert_false(valid_http_url("ftp://example.org/a.csv"));
	assert_false(valid_http_url("file:///etc/passwd"));
	assert_false(valid_http_url("javascript:alert(1)"));
	assert_false(valid_http_url("HTTP://example.org/"));
	assert_false(valid_http_url("http://a b/c"));
	assert_false(valid_http_url("http://example.org/\n"));
	assert_false(valid_http_url("http://bộ.vn/"));
	assert_false(valid_http_url("http://@evil/"));
}

static void
test_email(void **state)
{
	char	 buf[300];

	(void)state;
	assert_true(valid_email(U8("nguyenvana@gmail.com")));
	assert_true(valid_email(U8("a.b+tag@sub.dongthap.gov.vn")));
	assert_true(valid_email(U8("o'brien_1@x-y.vn")));
	assert_true(valid_email(U8("a@b.co")));
	assert_true(valid_email(U8("x@xn--bcher-kva.example")));
	assert_true(valid_email(U8("x@a.xn--p1ai")));

	assert_false(valid_email(U8("")));
	assert_false(valid_email(NULL, 0));
	assert_false(valid_email(U8("nguyenvana")));
	assert_false(valid_email(U8("@gmail.com")));
	assert_false(valid_email(U8("a@")));
	assert_false(valid_email(U8("a@localhost")));
	assert_false(valid_email(U8("a@b.c")));
	assert_false(valid_email(U8("a@b.c0m")));
	assert_false(valid_email(U8("a@@b.com")));
	assert_false(valid_email(U8("a@b@c.com")));
	assert_false(valid_email(U8("a b@c.com")));
	assert_false(valid_email(U8("ab@c .com")));
	assert_false(valid_email(U8(" ab@c.com")));
	assert_false(valid_email(U8("ab@c.com\n")));
	assert_false(valid_email(U8("a\r\nBcc: x@y.com@c.com")));
	assert_false(valid_email(U8("a\0b@c.com")));
	assert_false(valid_email(U8("ab@c.com\0")));
	assert_false(valid_email(U8(".a@b.com")));
	assert_false(valid_email(U8("a.@b.com")));
	assert_false(valid_email(U8("a..b@c.com")));
	assert_false(valid_email(U8("a@b..com")));
	assert_false(valid_email(U8("a@.b.com")));
	assert_false(valid_email(U8("a@b.com.")));
	assert_false(valid_email(U8("a@-b.com")));
	assert_false(valid_email(U8("a@b-.com")));
	assert_false(valid_email(U8("a@b_c.com")));
	assert_false(valid_email(U8("\"a b\"@c.com")));
	assert_false(valid_email(U8("a@[127.0.0.1]")));
	assert_false(valid_email(U8("nguyễn@gmail.com")));
	assert_false(valid_email(U8("a<script>@b.com")));

	/* Length limits: 64 for the local part, 254 overall. */
	memset(buf, 'a', 64);
	memcpy(buf + 64, "@b.vn", 5);
	assert_true(valid_email(buf, 69));
	memset(buf, 'a', 65);
	memcpy(buf + 65, "@b.vn", 5);
	assert_false(valid_email(buf, 70));

	memcpy(buf, "a@", 2);
	memset(buf + 2, 'b', 60);
	buf[62] = '.';
	memset(buf + 63, 'c', 63);
	buf[126] = '.';
	memset(buf + 127, 'd', 63);
	buf[190] = '.';
	memset(buf + 191, 'e', 60);
	buf[251] = '.';
	memcpy(buf + 252, "vn", 2);
	assert_true(valid_email(buf, 254));
	buf[252] = 'v';
	buf[253] = 'v';
	buf[254] = 'n';
	assert_false(valid_email(buf, 255));
	/* A 64-character label is one too many. */
	memcpy(buf, "a@", 2);
	memset(buf + 2, 'b', 64);
	memcpy(buf + 66, ".vn", 3);
	assert_false(valid_email(buf, 69));
}

static void
test_trim(void **state)
{
	char	a[] = "  \t xin chào \r\n";
	char	b[] = "\xc2\xa0\xe3\x80\x80Đà Nẵng\xe2\x80\x8b\xc2\xa0";
	char	c[] = " \n ";
	char	d[] = "";
	char	e[] = "không đổi";
	/* Trailing bytes that only look like the end of a space. */
	char	f[] = "x\xe1\xba\xa0";	/* Ạ ends in 0xa0 */

	(void)state;
	assert_ptr_equal(valid_trim(a), a);
	assert_string_equal(a, "xin chào");
	assert_string_equal(valid_trim(b), "Đà Nẵng");
	assert_string_equal(valid_trim(c), "");
	assert_string_equal(valid_trim(d), "");
	assert_string_equal(valid_trim(e), "không đổi");
	assert_string_equal(valid_trim(f), "x\xe1\xba\xa0");
	assert_null(valid_trim(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_utf8_chars),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_errors_vi),
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_http_url),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_trim),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
