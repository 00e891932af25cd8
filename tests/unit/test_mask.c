/*
 * test_mask.c: what remains of personal data in a published question.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mask.h"
#include "valid.h"

static void	assert_masked(const char *, const char *);

static void
assert_masked(const char *in, const char *want)
{
	char	*out;

	out = mask_personal(in, strlen(in));
	assert_non_null(out);
	if (strcmp(out, want) != 0)
		fail_msg("\"%s\"\n  got  \"%s\"\n  want \"%s\"", in, out, want);
	free(out);
}

static void
test_phones(void **state)
{
	(void)state;
	assert_masked("0912345678", "*******678");
	assert_masked("Số điện thoại của tôi là 0912345678.",
	    "Số điện thoại của tôi là *******678.");
	assert_masked("SĐT: 0912 345 678", "SĐT: **** *** 678");
	assert_masked("gọi 0912.345.678 nhé", "gọi ****.***.678 nhé");
	assert_masked("0912-345-678", "****-***-678");
	assert_masked("+84 912 345 678", "+** *** *** 678");
	assert_masked("+84912345678", "+********678");
	assert_masked("84912345678", "********678");
	assert_masked("(+84) 912 345 678", "(+**) *** *** 678");
	assert_masked("(0277) 3851 234", "(****) **** 234");
	assert_masked("02773851234", "********234");
	assert_masked("máy bàn 024.3825.1234", "máy bàn ***.****.*234");
	/* Old 11-digit mobiles are still quoted. */
	assert_masked("01223456789", "********789");
	/* Foreign numbers after a '+'. */
	assert_masked("+1 202 555 0100", "+* *** *** *100");
	/* Several numbers, with and without separators between them. */
	assert_masked("0912345678, 0987654321", "*******678, *******321");
	assert_masked("0912345678 0987654321", "*******678 *******321");
	assert_masked("0912345678/0277 3851 234",
	    "*******678/**** **** 234");
	/* A year just before a phone stays. */
	assert_masked("năm 2024 0912 345 678", "năm 2024 **** *** 678");
	/* Letters right next to the digits do not protect them. */
	assert_masked("SĐT0912345678gọi", "SĐT*******678gọi");
}

static void
test_ids(void **state)
{
	(void)state;
	assert_masked("CMND số 123456789 cấp ngày",
	    "CMND số ********* cấp ngày");
	assert_masked("CCCD 079123456789", "CCCD ************");
	assert_masked("CCCD: 001 203 012 345.", "CCCD: *** *** *** ***.");
	assert_masked("CCCD 084123456789", "CCCD ************");
	assert_masked("số 012.345.678", "số ***.***.***");
	assert_masked("001-203-012-345", "***-***-***-***");
}

/* Numbers that are not personal data are left alone. */
static void
test_not_personal(void **state)
{
	(void)state;
	assert_masked("Hỗ trợ 500.000.000 đồng", "Hỗ trợ 500.000.000 đồng");
	assert_masked("1.500.000 đ", "1.500.000 đ");
	assert_masked("12.500.000.000 đồng", "12.500.000.000 đồng");
	assert_masked("ngày 12/03/2024 lúc 10:30", "ngày 12/03/2024 lúc 10:30");
	assert_masked("ngày 12-03-2024", "ngày 12-03-2024");
	assert_masked("Mã phản ánh 2611-K7M3Q9XP", "Mã phản ánh 2611-K7M3Q9XP");
	assert_masked("Quyết định số 1234/QĐ-UBND",
	    "Quyết định số 1234/QĐ-UBND");
	assert_masked("Tổng đài 1022, 113, 114, 115",
	    "Tổng đài 1022, 113, 114, 115");
	assert_masked("tổ 12345678", "tổ 12345678");
	assert_masked("3.5 km", "3.5 km");
	assert_masked("", "");
	assert_masked("Không có số nào.", "Không có số nào.");
}

static void
test_emails(void **state)
{
	(void)state;
	assert_masked("nguyenvana@gmail.com", "n***@gmail.com");
	assert_masked("Email: tran.thi.b+1022@dongthap.gov.vn.",
	    "Email: t***@dongthap.gov.vn.");
	assert_masked("a@b.vn", "a***@b.vn");
	assert_masked("(x_y@mail.163.com)", "(x***@mail.163.com)");
	assert_masked("0912345678@gmail.com", "0***@gmail.com");
	assert_masked("email a@b.vn, sđt 0912345678",
	    "email a***@b.vn, sđt *******678");
	assert_masked("hai: a@x.vn b@y.com.vn", "hai: a***@x.vn b***@y.com.vn");
	assert_masked("Liên hệ: lê.văn@x.vn", "Liên hệ: l***@x.vn");
	assert_masked("thư: ánh@x.vn", "thư: á***@x.vn");
	/* Not addresses. */
	assert_masked("user@localhost", "user@localhost");
	assert_masked("@gmail.com", "@gmail.com");
	assert_masked("a@b", "a@b");
	assert_masked("giá 5@10k", "giá 5@10k");
	assert_masked("@@", "@@");
}

/* Only ASCII bytes change: UTF-8 stays valid, letters stay whole. */
static void
test_utf8_safe(void **state)
{
	static const char	*pieces[] = {
		"Đ", "ư", "ờ", "ng", " ", "0", "9", "1", "2", ".", "-", "+",
		"84", "@", "a", "vn", "\xf0\x9f\x98\x80", "ệ", "(", ")",
		"0912345678", "x@y.vn", "079123456789"
	};
	char		 buf[512], *out;
	uint64_t	 s;
	size_t		 len, i, npieces;
	int		 k;

	(void)state;
	assert_masked("Đ0912345678đ", "Đ*******678đ");
	assert_masked("ứng 0912345678 ờ", "ứng *******678 ờ");

	npieces = sizeof(pieces) / sizeof(pieces[0]);
	s = 1022;
	for (k = 0; k < 20000; k++) {
		len = 0;
		for (i = 0; i < 40; i++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			const char *p = pieces[s % npieces];
			memcpy(buf + len, p, strlen(p));
			len += strlen(p);
		}
		buf[len] = '\0';
		assert_true(valid_utf8(buf, len));
		out = mask_personal(buf, len);
		assert_non_null(out);
		assert_true(valid_utf8(out, strlen(out)));
		free(out);
	}

	/* Invalid UTF-8 is copied, not repaired or cut. */
	assert_masked("\xff\xfe 0912345678 \xc3", "\xff\xfe *******678 \xc3");
}

static void
test_bad_input(void **state)
{
	char	*out, *big;
	size_t	 i, n;

	(void)state;
	assert_null(mask_personal(NULL, 0));

	/* A NUL does not stop masking of what follows it. */
	out = mask_personal("ab\0 0912345678", 14);
	assert_non_null(out);
	assert_memory_equal(out, "ab\0 *******678", 15);
	free(out);

	/* The length is honoured; the byte after it is not read. */
	big = malloc(10);
	assert_non_null(big);
	memcpy(big, "0912345678", 10);
	out = mask_personal(big, 10);
	assert_string_equal(out, "*******678");
	free(out);
	out = mask_personal(big, 9);
	assert_string_equal(out, "*********");
	free(out);
	free(big);

	/* A megabyte of phone numbers. */
	n = 1 << 20;
	big = malloc(n + 1);
	assert_non_null(big);
	for (i = 0; i + 11 <= n; i += 11)
		memcpy(big + i, "0912345678 ", 11);
	for (; i < n; i++)
		big[i] = ' ';
	big[n] = '\0';
	out = mask_personal(big, n);
	assert_non_null(out);
	assert_int_equal(strlen(out), n);
	assert_null(strstr(out, "0912"));
	assert_memory_equal(out, "*******678 *******678 ", 22);
	free(out);

	/* A megabyte of short e-mail addresses grows, within bounds. */
	for (i = 0; i + 7 <= n; i += 7)
		memcpy(big + i, "a@b.vn ", 7);
	out = mask_personal(big, n);
	assert_non_null(out);
	assert_memory_equal(out, "a***@b.vn a***@b.vn ", 20);
	free(out);

	/* A megabyte of digits is no phone number. */
	memset(big, '7', n);
	out = mask_personal(big, n);
	assert_non_null(out);
	assert_int_equal(strlen(out), n);
	free(out);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phones),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_not_personal),
		cmocka_unit_test(test_emails),
		cmocka_unit_test(test_utf8_safe),
		cmocka_unit_test(test_bad_input),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
