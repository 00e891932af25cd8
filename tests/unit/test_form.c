/*
 * test_form.c: request bodies from outside, parsed without trusting them.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "form.h"

static void
test_urlencoded_basic(void **state)
{
	struct form	 f;
	const char	*v;
	size_t		 len;
	const char	 body[] = "name=Nguy%E1%BB%85n+V%C4%83n+A&phone=0912%20345%20678&empty=&flag";

	form_init(&f);
	assert_int_equal(form_parse_urlencoded(&f, body, strlen(body)), FORM_OK);
	v = form_get(&f, "name", &len);
	assert_non_null(v);
	assert_string_equal(v, "Nguyễn Văn A");
	assert_int_equal(len, strlen("Nguyễn Văn A"));
	assert_string_equal(form_get(&f, "phone", NULL), "0912 345 678");
	assert_string_equal(form_get(&f, "empty", &len), "");
	assert_int_equal(len, 0);
	assert_string_equal(form_get(&f, "flag", NULL), "");
	assert_null(form_get(&f, "missing", NULL));
	form_free(&f);
}

/* The first value of a repeated name is the one a handler sees. */
static void
test_urlencoded_repeated_and_empty_pairs(void **state)
{
	struct form	f;
	const char	body[] = "&&a=1&&a=2&b=%3D%26";

	form_init(&f);
	assert_int_equal(form_parse_urlencoded(&f, body, strlen(body)), FORM_OK);
	assert_string_equal(form_get(&f, "a", NULL), "1");
	assert_string_equal(form_get(&f, "b", NULL), "=&");
	assert_int_equal(f.nfields, 3);
	form_free(&f);
}

/* form_replace: the server's value, whatever the client sent before. */
static void
test_replace_drops_client_values(void **state)
{
	struct form	f;
	const char	body[] = "title=client&a=1&title=again";

	form_init(&f);
	assert_int_equal(form_parse_urlencoded(&f, body, strlen(body)), FORM_OK);
	assert_int_equal(form_replace(&f, "title", "ours", 4), FORM_OK);
	assert_string_equal(form_get(&f, "title", NULL), "ours");
	assert_string_equal(form_get(&f, "a", NULL), "1");
	assert_int_equal(f.nfields, 2);
	assert_int_equal(form_replace(&f, "new", "x", 1), FORM_OK);
	assert_string_equal(form_get(&f, "new", NULL), "x");
	form_free(&f);
}

static void
test_urlencoded_bad_percent(void **state)
{
	struct form	f;
	const char	*bad[] = { "a=%", "a=%4", "a=%zz", "a=%4g", "%=1", NULL };
	int		i;

	for (i = 0; bad[i] != NULL; i++) {
		form_init(&f);
		assert_int_equal(form_parse_urlencoded(&f, bad[i],
		    strlen(bad[i])), FORM_E_SYNTAX);
		form_free(&f);
	}
}

/* A NUL smuggled into a value is kept in len; in a name it is refused. */
static void
test_urlencoded_nul(void **state)
{
	struct form	 f;
	size_t		 len;
	const char	*v;
	const char	 body[] = "a=x%00y";
	const char	 name[] = "a%00b=1";

	form_init(&f);
	assert_int_equal(form_parse_urlencoded(&f, body, strlen(body)), FORM_OK);
	v = form_get(&f, "a", &len);
	assert_int_equal(len, 3);
	assert_int_not_equal(strlen(v), len);
	form_free(&f);

	form_init(&f);
	assert_int_equal(form_parse_urlencoded(&f, name, strlen(name)),
	    FORM_E_NAME);
	form_free(&f);
}

static void
test_urlencoded_limits(void **state)
{
	struct form	 f;
	char		*body, *p;
	char		 longname[FORM_NAME_MAX + 8];
	int		 i;

	/* One field too many. */
	body = malloc((FORM_MAX_FIELDS + 1) * 8 + 1);
	p = body;
	for (i = 0; i < FORM_MAX_FIELDS + 1; i++)
		p += sprintf(p, "f%d=1&", i);
	form_init(&f);
	assert_int_equal(form_parse_urlencoded(&f, body, strlen(body)),
	    FORM_E_TOO_MANY);
	form_free(&f);
	free(body);

	memset(longname, 'n', sizeof(longname) - 3);
	longname[sizeof(longname) - 3] = '=';
	longname[sizeof(longname) - 2] = '1';
	longname[sizeof(longname) - 1] = '\0';
	form_init(&f);
	assert_int_equal(form_parse_urlencoded(&f, longname, strlen(longname)),
	    FORM_E_NAME);
	form_free(&f);
}

static void
test_boundary(void **state)
{
	char	b[80];

	assert_int_equal(form_boundary(
	    "multipart/form-data; boundary=----WebKitFormBoundaryX1", b,
	    sizeof(b)), FORM_OK);
	assert_string_equal(b, "----WebKitFormBoundaryX1");
	assert_int_equal(form_boundary(
	    "multipart/form-data; charset=utf-8; boundary=\"a b\"", b,
	    sizeof(b)), FORM_OK);
	assert_string_equal(b, "a b");
	assert_int_equal(form_boundary("multipart/form-data", b, sizeof(b)),
	    FORM_E_SYNTAX);
	assert_int_equal(form_boundary("text/plain; boundary=x", b, sizeof(b)),
	    FORM_E_SYNTAX);
	assert_int_equal(form_boundary("multipart/form-data; boundary="
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	    b, sizeof(b)), FORM_E_SYNTAX);
}

static const char	mp_ok[] =
    "preamble\r\n"
    "--XYZ\r\n"
    "Content-Disposition: form-data; name=\"title\"\r\n"
    "\r\n"
    "Đường hư hỏng\r\n"
    "--XYZ\r\n"
    "Content-Disposition: form-data; name=\"empty\"\r\n"
    "\r\n"
    "\r\n"
    "--XYZ\r\n"
    "Content-Disposition: form-data; name=\"files\"; filename=\"ảnh.png\"\r\n"
    "Content-Type: image/png\r\n"
    "\r\n"
    "\x89PNG\r\n--XY not a boundary\r\n"
    "--XYZ\r\n"
    "Content-Disposition: form-data; name=\"files\"; filename=\"\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    "\r\n"
    "--XYZ--\r\n";

static void
test_multipart_fields_and_files(void **state)
{
	struct form	f;
	size_t		len;

	form_init(&f);
	assert_int_equal(form_parse_multipart(&f, "XYZ",
	    (const unsigned char *)mp_ok, sizeof(mp_ok) - 1), FORM_OK);
	assert_string_equal(form_get(&f, "title", &len), "Đường hư hỏng");
	assert_string_equal(form_get(&f, "empty", &len), "");
	assert_int_equal(len, 0);
	assert_int_equal(f.nfiles, 2);
	assert_string_equal(f.file[0].name, "files");
	assert_string_equal(f.file[0].filename, "ảnh.png");
	/* The bytes of the file, CRLF and a look-alike boundary included. */
	assert_int_equal(f.file[0].len, strlen("\x89PNG\r\n--XY not a boundary"));
	assert_memory_equal(f.file[0].data, "\x89PNG\r\n--XY not a boundary",
	    f.file[0].len);
	/* An empty file input: a file with no name and no bytes. */
	assert_string_equal(f.file[1].filename, "");
	assert_int_equal(f.file[1].len, 0);
	form_free(&f);
}

static void
test_multipart_malformed(void **state)
{
	struct form	 f;
	const char	*bad[] = {
		/* no boundary at all */
		"just text",
		/* no closing delimiter */
		"--XYZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue",
		/* headers never end */
		"--XYZ\r\nContent-Disposition: form-data; name=\"a\"\r\n",
		/* no Content-Disposition */
		"--XYZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XYZ--\r\n",
		/* no name */
		"--XYZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XYZ--\r\n",
		/* unterminated quoted name */
		"--XYZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--XYZ--\r\n",
		/* garbage after a delimiter */
		"--XYZjunk\r\n",
		NULL
	};
	int		 i, rc;

	for (i = 0; bad[i] != NULL; i++) {
		form_init(&f);
		rc = form_parse_multipart(&f, "XYZ",
		    (const unsigned char *)bad[i], strlen(bad[i]));
		assert_true(rc == FORM_E_SYNTAX || rc == FORM_E_NAME);
		form_free(&f);
	}
}

static void
test_multipart_too_many_files(void **state)
{
	struct form	 f;
	char		*body, *p;
	int		 i;

	body = malloc((FORM_MAX_FILES + 1) * 128 + 16);
	p = body;
	for (i = 0; i < FORM_MAX_FILES + 1; i++) {
		p += sprintf(p, "--B\r\nContent-Disposition: form-data; "
		    "name=\"files\"; filename=\"f%d\"\r\n\r\nx\r\n", i);
	}
	p += sprintf(p, "--B--\r\n");
	form_init(&f);
	assert_int_equal(form_parse_multipart(&f, "B",
	    (const unsigned char *)body, strlen(body)), FORM_E_TOO_MANY);
	form_free(&f);
	free(body);
}

/* Every prefix of a valid body: refused or parsed, never a crash. */
static void
test_multipart_truncated(void **state)
{
	struct form	 f;
	size_t		 n;
	unsigned char	*copy;

	for (n = 0; n < sizeof(mp_ok) - 1; n++) {
		/* A fresh allocation of exactly n bytes, so ASan sees overreads. */
		copy = malloc(n ? n : 1);
		memcpy(copy, mp_ok, n);
		form_init(&f);
		(void)form_parse_multipart(&f, "XYZ", copy, n);
		form_free(&f);
		free(copy);
	}
}

/*
 * Decomposed Vietnamese (NFD, as some phones send it) is composed at the
 * edge; invalid UTF-8 is kept as sent, for the validation to refuse.
 */
static void
test_values_are_nfc(void **state)
{
	struct form	 f;
	size_t		 len;
	/* "Nguyễn Thị Bé": e + U+0302 + U+0303, i + U+0323, e + U+0301. */
	const char	 nfd[] = "name=Nguye%CC%82%CC%83n+Thi%CC%A3+Be%CC%81"
	    "&ascii=abc&bad=%C3%28";
	const char	 mp[] = "--B\r\nContent-Disposition: form-data; "
	    "name=\"f\"; filename=\"a\xcc\x80.png\"\r\n\r\nx\r\n--B--\r\n";

	form_init(&f);
	assert_int_equal(form_parse_urlencoded(&f, nfd, strlen(nfd)), FORM_OK);
	assert_string_equal(form_get(&f, "name", &len), "Nguyễn Thị Bé");
	assert_int_equal(len, strlen("Nguyễn Thị Bé"));
	assert_string_equal(form_get(&f, "ascii", NULL), "abc");
	assert_string_equal(form_get(&f, "bad", &len), "\xc3(");
	assert_int_equal(len, 2);
	form_free(&f);

	form_init(&f);
	assert_int_equal(form_parse_multipart(&f, "B",
	    (const unsigned char *)mp, sizeof(mp) - 1), FORM_OK);
	assert_int_equal(f.nfiles, 1);
	assert_string_equal(f.file[0].filename, "\xc3\xa0.png");	/* "à.png" */
	form_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urlencoded_basic),
		cmocka_unit_test(test_urlencoded_repeated_and_empty_pairs),
		cmocka_unit_test(test_replace_drops_client_values),
		cmocka_unit_test(test_urlencoded_bad_percent),
		cmocka_unit_test(test_urlencoded_nul),
		cmocka_unit_test(test_urlencoded_limits),
		cmocka_unit_test(test_boundary),
		cmocka_unit_test(test_multipart_fields_and_files),
		cmocka_unit_test(test_multipart_malformed),
		cmocka_unit_test(test_multipart_too_many_files),
		cmocka_unit_test(test_multipart_truncated),
		cmocka_unit_test(test_values_are_nfc),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
