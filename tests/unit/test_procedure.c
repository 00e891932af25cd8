/*
 * test_procedure.c: the rows of a procedures import file (JSON lines and
 * CSV), what is accepted, normalised and refused, and with which line.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "procedure.h"

static int	parse(const char *, int, json_t **, json_t **);

/* Parse text; rows and rejected are the caller's to free. */
static int
parse(const char *text, int format, json_t **rows, json_t **rejected)
{
	char	err[200];

	*rows = json_array();
	*rejected = json_array();
	return (procedure_import_parse((const unsigned char *)text,
	    strlen(text), format, *rows, *rejected, err, sizeof(err)));
}

static const char *
row_str(json_t *rows, size_t i, const char *key)
{
	return (json_string_value(json_object_get(json_array_get(rows, i),
	    key)));
}

static long long
rej_line(json_t *rejected, size_t i)
{
	return (json_integer_value(json_object_get(json_array_get(rejected,
	    i), "line")));
}

static const char *
rej_reason(json_t *rejected, size_t i)
{
	return (json_string_value(json_object_get(json_array_get(rejected,
	    i), "reason")));
}

static void
test_codes(void **state)
{
	(void)state;
	assert_int_equal(procedure_code_ok("1.001612"), 1);
	assert_int_equal(procedure_code_ok("2.000815-DT"), 1);
	assert_int_equal(procedure_code_ok(""), 0);
	assert_int_equal(procedure_code_ok(".123"), 0);
	assert_int_equal(procedure_code_ok("1.00 1"), 0);
	assert_int_equal(procedure_code_ok("1/2"), 0);
	assert_int_equal(procedure_code_ok(
	    "12345678901234567890123456789012345678901"), 0);
	assert_string_equal(procedure_level_label("huyen"), "Cấp huyện");
	assert_null(procedure_level_label("quan"));
}

static void
test_jsonl(void **state)
{
	json_t	*rows, *rej, *forms;

	(void)state;
	assert_int_equal(parse(
	    "{\"code\":\"1.001612\",\"name\":\"  Đăng ký khai sinh \","
	    "\"level\":\"Cấp xã\",\"postal\":true,\"online_level\":4,"
	    "\"changed_on\":\"15/03/2024\",\"steps\":\"B1\\r\\nB2\","
	    "\"forms\":[{\"name\":\"Tờ khai\",\"url\":\"https://a.vn/t.docx\"}],"
	    "\"unknown\":1}\n"
	    "\n"
	    "{\"code\":\"bad code\",\"name\":\"X y\",\"level\":\"xa\"}\n"
	    "not json\n"
	    "{\"code\":\"1.2\",\"name\":\"Tên\",\"level\":\"quan\"}\n"
	    "{\"code\":\"1.3\",\"level\":\"tinh\"}\n"
	    "{\"code\":\"1.001612\",\"name\":\"Lặp\",\"level\":\"xa\"}\n"
	    "{\"code\":\"1.4\",\"name\":\"Có\",\"level\":\"xa\","
	    "\"forms\":[{\"name\":\"x\",\"url\":\"javascript:alert(1)\"}]}\n"
	    "{\"code\":\"1.5\",\"name\":\"Có\",\"level\":\"xa\","
	    "\"online_level\":7}\n"
	    "{\"code\":\"1.6\",\"name\":\"Có\",\"level\":\"huyện\","
	    "\"changed_on\":\"2024-02-30\"}\n"
	    "[1,2]\n",
	    PROCEDURE_FORMAT_JSONL, &rows, &rej), 0);
	assert_int_equal(json_array_size(rows), 1);
	assert_string_equal(row_str(rows, 0, "name"), "Đăng ký khai sinh");
	assert_string_equal(row_str(rows, 0, "level"), "xa");
	assert_string_equal(row_str(rows, 0, "steps"), "B1\nB2");
	assert_string_equal(row_str(rows, 0, "changed_on"), "2024-03-15");
	assert_string_equal(row_str(rows, 0, "fees"), "");
	assert_null(json_object_get(json_array_get(rows, 0), "unknown"));
	assert_true(json_is_true(json_object_get(json_array_get(rows, 0),
	    "postal")));
	forms = json_object_get(json_array_get(rows, 0), "forms");
	assert_int_equal(json_array_size(forms), 1);

	assert_int_equal(json_array_size(rej), 9);
	assert_int_equal(rej_line(rej, 0), 3);
	assert_string_equal(rej_reason(rej, 0), "Mã thủ tục “code” không hợp lệ.");
	assert_int_equal(rej_line(rej, 1), 4);
	assert_string_equal(rej_reason(rej, 1), "Không phải JSON hợp lệ.");
	assert_string_equal(rej_reason(rej, 2), "“level” phải là tinh, huyen hoặc xa.");
	/* The code of a refused row is kept: it is still in the source. */
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(rej, 2), "code")), "1.2");
	assert_string_equal(rej_reason(rej, 3), "Thiếu “name”.");
	assert_string_equal(rej_reason(rej, 4), "Mã thủ tục 1.001612 đã có ở dòng 1.");
	assert_int_equal(rej_line(rej, 4), 7);
	assert_non_null(strstr(rej_reason(rej, 5), "forms"));
	assert_string_equal(rej_reason(rej, 6), "“online_level” phải là số từ 0 đến 4.");
	assert_non_null(strstr(rej_reason(rej, 7), "changed_on"));
	assert_int_equal(rej_line(rej, 8), 11);
	json_decref(rows);
	json_decref(rej);
}

static void
test_csv(void **state)
{
	json_t	*rows, *rej;

	(void)state;
	assert_int_equal(parse(
	    "\xEF\xBB\xBF" "code,name,level,steps,forms,postal\r\n"
	    "2.000815,\"Chứng thực bản sao, bản chính\",xa,\"Bước 1\r\nBước 2 \"\"một cửa\"\"\","
	    "\"Mẫu 1 | https://a.vn/1.doc\nMẫu 2|https://a.vn/2.doc\",có\r\n"
	    "\r\n"
	    "2.1,Tên,tinh\r\n"
	    "2.2,\"Tên\"x,tinh,,,\r\n"
	    "2.3,Tên đủ,huyen,,,maybe\r\n"
	    "2.4,\"Mở mà không đóng,tinh,,,\r\n",
	    PROCEDURE_FORMAT_CSV, &rows, &rej), 0);
	assert_int_equal(json_array_size(rows), 1);
	assert_string_equal(row_str(rows, 0, "name"),
	    "Chứng thực bản sao, bản chính");
	assert_string_equal(row_str(rows, 0, "steps"),
	    "Bước 1\nBước 2 \"một cửa\"");
	assert_int_equal(json_array_size(json_object_get(json_array_get(rows,
	    0), "forms")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    rows, 0), "line")), 2);
	assert_int_equal(json_array_size(rej), 4);
	/* The record on line 2 took three lines: the next starts on 6. */
	assert_int_equal(rej_line(rej, 0), 6);
	assert_string_equal(rej_reason(rej, 0), "Số cột khác dòng tiêu đề.");
	assert_int_equal(rej_line(rej, 1), 7);
	assert_int_equal(rej_line(rej, 2), 8);
	assert_string_equal(rej_reason(rej, 2), "“postal” phải là true hoặc false.");
	assert_int_equal(rej_line(rej, 3), 9);
	json_decref(rows);
	json_decref(rej);

	/* A header without a required column: the file is refused. */
	assert_int_equal(parse("code,level\n1.1,xa\n", PROCEDURE_FORMAT_CSV,
	    &rows, &rej), -1);
	json_decref(rows);
	json_decref(rej);
	assert_int_equal(parse("", PROCEDURE_FORMAT_CSV, &rows, &rej), -1);
	json_decref(rows);
	json_decref(rej);
}

static void
test_format(void **state)
{
	(void)state;
	assert_int_equal(procedure_import_format("a.CSV",
	    (const unsigned char *)"{", 1), PROCEDURE_FORMAT_CSV);
	assert_int_equal(procedure_import_format("a.jsonl",
	    (const unsigned char *)"c", 1), PROCEDURE_FORMAT_JSONL);
	assert_int_equal(procedure_import_format(NULL,
	    (const unsigned char *)" \n{\"a\":1}", 9), PROCEDURE_FORMAT_JSONL);
	assert_int_equal(procedure_import_format("x",
	    (const unsigned char *)"code,name", 9), PROCEDURE_FORMAT_CSV);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_jsonl),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_format),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
