/*
 * test_dossier.c: dossier codes, import rows (CSV and JSON lines), the
 * one-stop system's answers and the SMS line (src/dossier.c).
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dossier.h"
#include "valid.h"

#define ROW(s)	(s), strlen(s)

static void
test_code(void **state)
{
	char	out[DOSSIER_CODE_MAX + 1];

	assert_int_equal(dossier_code_read(" 000.00.21.h21-240115-0001 ", out,
	    sizeof(out)), 0);
	assert_string_equal(out, "000.00.21.H21-240115-0001");
	assert_int_equal(dossier_code_read("H21.22-261207-123456", out,
	    sizeof(out)), 0);
	/* The wrong shapes: no agency, a day that cannot be, short numbers,
	 * other characters, empty groups, too long. */
	assert_int_equal(dossier_code_read("-240115-0001", out, sizeof(out)), -1);
	assert_int_equal(dossier_code_read("H21-241315-0001", out, sizeof(out)), -1);
	assert_int_equal(dossier_code_read("H21-250229-0001", out, sizeof(out)), -1);
	assert_int_equal(dossier_code_read("H21-240229-0001", out, sizeof(out)), 0);
	assert_int_equal(dossier_code_read("H21-240115-001", out, sizeof(out)), -1);
	assert_int_equal(dossier_code_read("H21-240115-0001234", out, sizeof(out)), -1);
	assert_int_equal(dossier_code_read("H21..22-240115-0001", out, sizeof(out)), -1);
	assert_int_equal(dossier_code_read("H2'1-240115-0001", out, sizeof(out)), -1);
	assert_int_equal(dossier_code_read("H21-240115-0001\n", out, sizeof(out)), -1);
	assert_int_equal(dossier_code_read("Hồ-240115-0001", out, sizeof(out)), -1);
	assert_int_equal(dossier_code_read("000.00.21.H21.000.00.21.H21.11-240115-0001",
	    out, sizeof(out)), -1);
	assert_int_equal(dossier_code_read("ABCDEFG-240115-0001", out, sizeof(out)), -1);
	assert_int_equal(dossier_code_read(NULL, out, sizeof(out)), -1);
}

static void
test_csv_row(void **state)
{
	struct dossier	d;
	char		err[256];

	assert_int_equal(dossier_row_parse(ROW("000.00.21.H21-240115-0001,"
	    "supplement,\"Cấp giấy phép xây dựng, nhà ở riêng lẻ\","
	    "UBND huyện Cao Lãnh,15/01/2024,2024-01-30,"
	    "\"Bản vẽ \"\"mặt bằng\"\"\",Bộ phận một cửa huyện"), 0, &d, err,
	    sizeof(err)), 0);
	assert_string_equal(d.code, "000.00.21.H21-240115-0001");
	assert_string_equal(d.status, "supplement");
	assert_string_equal(d.procedure, "Cấp giấy phép xây dựng, nhà ở riêng lẻ");
	assert_string_equal(d.received_on, "2024-01-15");
	assert_string_equal(d.due_on, "2024-01-30");
	assert_string_equal(d.missing, "Bản vẽ \"mặt bằng\"");
	assert_string_equal(d.pickup, "Bộ phận một cửa huyện");

	/* Five columns are enough. */
	assert_int_equal(dossier_row_parse(ROW("H21-240115-0002,received,,"
	    "Sở Tư pháp,2024-01-15"), 0, &d, err, sizeof(err)), 0);
	assert_string_equal(d.due_on, "");

	assert_int_equal(dossier_row_parse(ROW("H21-240115-0002,received,,"
	    "Sở Tư pháp"), 0, &d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "Thiếu cột"));
	assert_int_equal(dossier_row_parse(ROW("H21-240115-0002,done,,"
	    "Sở Tư pháp,2024-01-15"), 0, &d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "status"));
	assert_int_equal(dossier_row_parse(ROW("H21-240115-0002,received,,"
	    "Sở Tư pháp,2024-01-15,2024-01-10"), 0, &d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "due_on"));
	assert_int_equal(dossier_row_parse(ROW("H21-240115-0002,received,,"
	    "Sở Tư pháp,2024-02-30"), 0, &d, err, sizeof(err)), -1);
	assert_int_equal(dossier_row_parse(ROW("H21-240115-0002,received,,"
	    "Sở,2024-01-15,,,,x"), 0, &d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "Thừa cột"));
	assert_int_equal(dossier_row_parse(ROW("H21-240115-0002,received,,"
	    "\"Sở,2024-01-15"), 0, &d, err, sizeof(err)), -1);
	assert_int_equal(dossier_row_parse(ROW("H21-240115-0002,received,,"
	    "S\xff,2024-01-15"), 0, &d, err, sizeof(err)), -1);
	assert_int_equal(dossier_row_parse(ROW("bad code,received,,Sở,"
	    "2024-01-15"), 0, &d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "Mã hồ sơ"));

	assert_int_equal(dossier_is_csv_header(ROW("\xef\xbb\xbf" "code,status")), 1);
	assert_int_equal(dossier_is_csv_header(ROW("H21-240115-0002,received")), 0);
}

/* A JSON row whose agency is n letters with pad spaces either side. */
static void
agency_row(char *buf, size_t pad, size_t n)
{
	size_t	len;

	len = (size_t)sprintf(buf, "{\"code\":\"H21-240115-0003\",\"status\":"
	    "\"ready\",\"received_on\":\"2024-01-15\",\"agency\":\"");
	memset(buf + len, ' ', pad);
	memset(buf + len + pad, 'a', n);
	memset(buf + len + pad + n, ' ', pad);
	(void)strcpy(buf + len + 2 * pad + n, "\"}");
}

static void
test_json_row(void **state)
{
	struct dossier	d;
	char		err[256], big[2100];

	assert_int_equal(dossier_row_parse(ROW("{\"code\":\"h21-240115-0003\","
	    "\"status\":\"ready\",\"agency\":\"Sở Y tế\",\"received_on\":"
	    "\"2024-01-15\",\"pickup\":\"Trung tâm Phục vụ hành chính công\"}"),
	    1, &d, err, sizeof(err)), 0);
	assert_string_equal(d.code, "H21-240115-0003");
	assert_string_equal(d.pickup, "Trung tâm Phục vụ hành chính công");
	assert_int_equal(dossier_row_parse(ROW("{\"code\":\"H21-240115-0003\"}"),
	    1, &d, err, sizeof(err)), -1);
	assert_int_equal(dossier_row_parse(ROW("[1]"), 1, &d, err, sizeof(err)),
	    -1);
	assert_int_equal(dossier_row_parse(ROW("{\"code\":"), 1, &d, err,
	    sizeof(err)), -1);
	assert_int_equal(dossier_row_parse(ROW("{\"code\":\"H21-240115-0003\","
	    "\"status\":\"ready\",\"agency\":7,\"received_on\":\"2024-01-15\"}"),
	    1, &d, err, sizeof(err)), -1);
	/* 201 characters of agency: one too many. */
	agency_row(big, 0, 201);
	assert_int_equal(dossier_row_parse(big, strlen(big), 1, &d, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "quá dài"));
	/* 200 characters and spaces around them: accepted, stored trimmed. */
	agency_row(big, 3, 200);
	assert_int_equal(dossier_row_parse(big, strlen(big), 1, &d, err,
	    sizeof(err)), 0);
	assert_int_equal(strlen(d.agency), 200);
	assert_int_equal(d.agency[0], 'a');
}

static void
test_remote(void **state)
{
	struct dossier	d;
	char		err[256];
	const char	*ok = "{\"code\":\"H21-240115-0004\",\"status\":"
	    "\"processing\",\"agency\":\"Sở Xây dựng\",\"received_on\":"
	    "\"2024-01-15\",\"due_on\":\"2024-02-01\"}";

	assert_int_equal(dossier_remote_read(200, ok, strlen(ok), &d, err,
	    sizeof(err)), DOSSIER_FOUND);
	assert_string_equal(d.agency, "Sở Xây dựng");
	assert_int_equal(dossier_remote_read(404, "", 0, &d, err, sizeof(err)),
	    DOSSIER_NOT_FOUND);
	assert_int_equal(dossier_remote_read(500, ok, strlen(ok), &d, err,
	    sizeof(err)), DOSSIER_UNAVAILABLE);
	assert_int_equal(dossier_remote_read(0, "", 0, &d, err, sizeof(err)),
	    DOSSIER_UNAVAILABLE);
	assert_int_equal(dossier_remote_read(200, "<html>", 6, &d, err,
	    sizeof(err)), DOSSIER_UNAVAILABLE);
	assert_int_equal(dossier_remote_read(200, "{}", 2, &d, err,
	    sizeof(err)), DOSSIER_UNAVAILABLE);
}

static void
test_line(void **state)
{
	struct dossier	d;
	char		err[256], line[DOSSIER_LINE_SIZE];

	assert_int_equal(dossier_row_parse(ROW("000.00.21.H21-240115-0001,"
	    "processing,,UBND huyện Cao Lãnh,2024-01-15,2024-01-30"), 0, &d,
	    err, sizeof(err)), 0);
	dossier_line(&d, "2024-01-20", line, sizeof(line));
	assert_string_equal(line, "Hồ sơ 000.00.21.H21-240115-0001: Đang giải "
	    "quyết. Hẹn trả 30/01/2024. Nơi tiếp nhận: UBND huyện Cao Lãnh.");
	dossier_line(&d, "2024-02-01", line, sizeof(line));
	assert_non_null(strstr(line, "(quá hạn)"));

	/* A long list of what is missing is cut at 160 characters. */
	assert_int_equal(dossier_row_parse(ROW("000.00.21.H21-240115-0001,"
	    "supplement,,UBND huyện Cao Lãnh,2024-01-15,2024-01-30,"
	    "Bản sao có chứng thực giấy chứng nhận quyền sử dụng đất; bản vẽ "
	    "thiết kế xây dựng; giấy tờ về quyền sở hữu nhà ở; văn bản ủy quyền"),
	    0, &d, err, sizeof(err)), 0);
	dossier_line(&d, "2024-01-20", line, sizeof(line));
	assert_int_equal(valid_utf8_chars(line, strlen(line)), DOSSIER_LINE_MAX);
	assert_true(valid_utf8(line, strlen(line)));
	assert_non_null(strstr(line, "Cần bổ sung: Bản sao"));
	assert_string_equal(line + strlen(line) - strlen("…"), "…");
}

static void
test_addresses(void **state)
{
	char	out[DOSSIER_TRUSTED_MAX + 1];

	assert_int_equal(dossier_addresses_read(" 10.0.0.5, 10.0.0.6\n"
	    "2001:DB8::1 ", out, sizeof(out)), 0);
	assert_string_equal(out, "10.0.0.5,10.0.0.6,2001:db8::1");
	assert_int_equal(dossier_addresses_read("", out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(dossier_addresses_read("10.0.0.256", out,
	    sizeof(out)), -1);
	assert_int_equal(dossier_addresses_read("kiosk.local", out,
	    sizeof(out)), -1);
	assert_int_equal(dossier_addresses_read("10.0.0.1,10.0.0.2", out,
	    12), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code),
		cmocka_unit_test(test_csv_row),
		cmocka_unit_test(test_json_row),
		cmocka_unit_test(test_remote),
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_addresses),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
