/*
 * test_xlsx.c: a report's tables become a workbook in the folder given,
 * nothing is left behind there, and a cell that is not what its column
 * says is refused with the sheet, row and column named.  (The cells'
 * values, read back by a second reader, are checked by
 * tests/integration/call_stats.test.mjs with openpyxl.)
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include <cmocka.h>

#include "xlsx.h"

static const struct xlsx_col cols[] = {
	{ "Ngày", XLSX_DATE, 12 },
	{ "Lĩnh vực", XLSX_TEXT, 30 },
	{ "Tiếp nhận", XLSX_NUMBER, 10 },
	{ "Sẵn sàng", XLSX_DURATION, 10 },
};

static char	dir[64];

static int
entries(void)
{
	DIR		*d;
	struct dirent	*e;
	int		 n = 0;

	assert_non_null(d = opendir(dir));
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return (n);
}

static int
setup(void **state)
{
	(void)snprintf(dir, sizeof(dir), "/tmp/test_xlsx.XXXXXX");
	return (mkdtemp(dir) == NULL ? -1 : 0);
}

static int
teardown(void **state)
{
	return (rmdir(dir));
}

static void
test_build(void **state)
{
	const char *const	 cells[] = {
		"2025-03-04", "Đất đai", "12", "24780",
		NULL, "Tổng cộng", "12.5", "0",
	};
	struct xlsx_sheet	 s = { "Cuộc gọi", "Tiêu đề", cols, 4, cells, 2, 1 };
	unsigned char		*out;
	size_t			 len;
	char			 err[256];

	assert_int_equal(xlsx_build(dir, &s, 1, &out, &len, err,
	    sizeof(err)), 0);
	assert_true(len > 1000);
	assert_memory_equal(out, "PK\x03\x04", 4);
	free(out);
	assert_int_equal(entries(), 0);
}

static void
test_refused(void **state)
{
	const char *const	 bad_number[] = { "2025-03-04", "x", "12 cuộc", "1" };
	const char *const	 bad_date[] = { "04/03/2025", "x", "1", "1" };
	struct xlsx_sheet	 s = { "Cuộc gọi", NULL, cols, 4, bad_number, 1, 0 };
	unsigned char		*out;
	size_t			 len;
	char			 err[256];

	assert_int_equal(xlsx_build(dir, &s, 1, &out, &len, err,
	    sizeof(err)), -1);
	assert_null(out);
	assert_string_equal(err, "sheet Cuộc gọi: row 0 column 2 is not a number");
	s.cells = bad_date;
	assert_int_equal(xlsx_build(dir, &s, 1, &out, &len, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "sheet Cuộc gọi: row 0 column 0 is not a date");
	assert_int_equal(xlsx_build(dir, &s, 0, &out, &len, err,
	    sizeof(err)), -1);
	s.ncols = 0;
	assert_int_equal(xlsx_build(dir, &s, 1, &out, &len, err,
	    sizeof(err)), -1);
	assert_int_equal(entries(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_refused),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
