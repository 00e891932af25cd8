/*
 * test_tmpl.c: the template engine as pages use it.
 */

#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpl.h"

static void	add_ok(const char *, const char *);
static char	*render(const char *, const struct tval *);
static void	assert_render(const char *, const struct tval *, const char *);
static void	assert_compile_error(const char *, const char *);
static int	teardown(void **);
static void	write_file(const char *, const char *, const char *);

static void
add_ok(const char *name, const char *src)
{
	char	err[256];

	if (tmpl_add(name, src, strlen(src), err, sizeof(err)) != 0)
		fail_msg("tmpl_add(%s): %s", name, err);
}

/* Returns the rendered text, owned by the caller. */
static char *
render(const char *name, const struct tval *ctx)
{
	struct sbuf	sb;

	sbuf_init(&sb);
	assert_int_equal(tmpl_render(name, ctx, &sb), 0);
	assert_int_equal(strlen(sb.data), sb.len);
	return (sb.data);
}

static void
assert_render(const char *src, const struct tval *ctx, const char *want)
{
	char	*got;

	add_ok("t", src);
	got = render("t", ctx);
	assert_string_equal(got, want);
	free(got);
}

static void
assert_compile_error(const char *src, const char *want)
{
	char	err[256];

	err[0] = '\0';
	assert_int_equal(tmpl_add("bad", src, strlen(src), err, sizeof(err)),
	    -1);
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
	assert_false(tmpl_exists("bad"));
}

static int
teardown(void **state)
{
	(void)state;
	tmpl_cleanup();
	return (0);
}

static void
test_sbuf(void **state)
{
	struct sbuf	sb;
	size_t		i;

	(void)state;
	sbuf_init(&sb);
	assert_non_null(sb.data);
	assert_string_equal(sb.data, "");

	sbuf_append(&sb, "abc", 3);
	sbuf_appendf(&sb, "-%d-%s", 42, "xyz");
	assert_string_equal(sb.data, "abc-42-xyz");
	assert_int_equal(sb.len, 10);

	for (i = 0; i < 100000; i++)
		sbuf_append(&sb, "0123456789", 10);
	assert_int_equal(sb.len, 10 + 1000000);
	assert_int_equal(strlen(sb.data), sb.len);
	sbuf_appendf(&sb, "%5000d", 7);
	assert_int_equal(sb.len, 10 + 1000000 + 5000);
	assert_int_equal(sb.data[sb.len - 1], '7');
	assert_int_equal(sb.data[sb.len], '\0');

	sbuf_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.data, "");

	sbuf_append_html(&sb, "a&b<c>d\"e'f", 11);
	assert_string_equal(sb.data, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	sbuf_reset(&sb);
	sbuf_append_html(&sb, "Hỏi đáp", strlen("Hỏi đáp"));
	assert_string_equal(sb.data, "Hỏi đáp");
	sbuf_free(&sb);
	assert_null(sb.data);
}

static void
test_variables(void **state)
{
	struct tval	*c;

	(void)state;
	c = tval_obj();
	tval_set(c, "name", "Nguyễn Văn A");
	tval_set(c, "html", "<b>đậm</b>");
	tval_setf(c, "n", "%d phản ánh", 12);
	tval_setn(c, "cut", "abcdef", 3);

	assert_render("Xin chào {{name}}!", c, "Xin chào Nguyễn Văn A!");
	assert_render("{{  name\t}}", c, "Nguyễn Văn A");
	assert_render("{{html}}", c, "&lt;b&gt;đậm&lt;/b&gt;");
	assert_render("{{{html}}}", c, "<b>đậm</b>");
	assert_render("{{{ html }}}", c, "<b>đậm</b>");
	assert_render("{{&html}}|{{& html }}", c, "<b>đậm</b>|<b>đậm</b>");
	assert_render("[{{missing}}]", c, "[]");
	assert_render("{{n}}/{{cut}}", c, "12 phản ánh/abc");
	assert_render("", c, "");
	assert_render("chỉ có chữ", c, "chỉ có chữ");
	assert_render("a { b } {c}", c, "a { b } {c}");

	tval_set(c, "name", "Trần Thị B");
	assert_render("{{name}}", c, "Trần Thị B");
	tval_set(c, "name", NULL);
	assert_render("[{{name}}]", c, "[]");

	/* A NULL context renders like an empty one. */
	assert_render("[{{name}}]{{^name}}trống{{/name}}", NULL, "[]trống");
	tval_free(c);
}

/* Values are data: never parsed as template, always escaped. */
static void
test_injection(void **state)
{
	struct tval	*c, *l;
	char		*got;

	(void)state;
	c = tval_obj();
	tval_set(c, "secret", "BÍ MẬT");
	tval_set(c, "q",
	    "{{secret}} {{{secret}}} {{> t}} {{#secret}}x{{/secret}}");
	tval_set(c, "xss", "<script>alert('x')</script>\"onmouseover=");

	assert_render("{{q}}", c,
	    "{{secret}} {{{secret}}} {{&gt; t}} {{#secret}}x{{/secret}}");
	assert_render("{{{q}}}", c,
	    "{{secret}} {{{secret}}} {{> t}} {{#secret}}x{{/secret}}");
	assert_render("<p title=\"{{xss}}\">{{xss}}</p>", c,
	    "<p title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
	    "&quot;onmouseover=\">&lt;script&gt;alert(&#39;x&#39;)"
	    "&lt;/script&gt;&quot;onmouseover=</p>");

	/* A key that looks like a tag name is not a way in either. */
	l = tval_set_list(c, "items");
	tval_set(tval_list_add(l), "t", "{{secret}}");
	add_ok("t", "{{#items}}{{t}}{{/items}}");
	got = render("t", c);
	assert_null(strstr(got, "BÍ MẬT"));
	assert_string_equal(got, "{{secret}}");
	free(got);
	tval_free(c);
}

static void
test_sections(void **state)
{
	struct tval	*c, *l, *it, *o, *tags;

	(void)state;
	c = tval_obj();
	l = tval_set_list(c, "tickets");
	it = tval_list_add(l);
	tval_set(it, "code", "2611-AAAA");
	tval_set(it, "title", "Đèn đường hỏng");
	it = tval_list_add(l);
	tval_set(it, "code", "2611-BBBB");
	tval_set(it, "title", "Rác & nước thải");

	assert_render("<ul>{{#tickets}}<li>{{code}}: {{title}}</li>"
	    "{{/tickets}}</ul>", c,
	    "<ul><li>2611-AAAA: Đèn đường hỏng</li>"
	    "<li>2611-BBBB: Rác &amp; nước thải</li></ul>");
	assert_render("{{^tickets}}Không có{{/tickets}}", c, "");

	(void)tval_set_list(c, "empty");
	assert_render("[{{#empty}}x{{/empty}}][{{^empty}}Không có{{/empty}}]",
	    c, "[][Không có]");
	assert_render("[{{#nope}}x{{/nope}}][{{^nope}}vắng{{/nope}}]", c,
	    "[][vắng]");

	o = tval_set_obj(c, "user");
	tval_set(o, "name", "Lê C");
	assert_render("{{#user}}Chào {{name}}{{/user}}{{^user}}khách{{/user}}",
	    c, "Chào Lê C");

	tval_set(c, "s1", "có");
	tval_set(c, "s0", "0");
	tval_set(c, "sf", "false");
	tval_set(c, "se", "");
	tval_set(c, "s00", "00");
	assert_render("{{#s1}}[{{.}}]{{/s1}}{{#s0}}A{{/s0}}{{#sf}}B{{/sf}}"
	    "{{#se}}C{{/se}}{{#s00}}D{{/s00}}", c, "[có]D");
	assert_render("{{^s1}}A{{/s1}}{{^s0}}B{{/s0}}{{^sf}}C{{/sf}}"
	    "{{^se}}D{{/se}}", c, "BCD");

	tval_set_bool(c, "on", 1);
	tval_set_bool(c, "off", 0);
	assert_render("{{#on}}bật{{/on}}{{^off}}tắt{{/off}}{{#off}}X{{/off}}",
	    c, "bậttắt");

	tags = tval_set_list(c, "tags");
	tval_list_add_str(tags, "điện");
	tval_list_add_str(tags, "<nước>");
	tval_list_add_str(tags, NULL);
	assert_render("{{#tags}}<{{.}}>{{/tags}}", c,
	    "<điện><&lt;nước&gt;>");

	/* Nested lists. */
	o = tval_list_add(tval_set_list(c, "groups"));
	tval_set(o, "g", "A");
	tval_list_add_str(tval_set_list(o, "xs"), "1");
	tval_list_add_str(tval_set_list(o, "xs"), "2");	/* replaces */
	o = tval_list_add(tval_set_list(c, "groups2"));
	tval_set(o, "g", "B");
	l = tval_set_list(o, "xs");
	tval_list_add_str(l, "3");
	tval_list_add_str(l, "4");
	assert_render("{{#groups}}{{g}}:{{#xs}}{{.}}{{/xs}};{{/groups}}"
	    "{{#groups2}}{{g}}:{{#xs}}{{g}}{{.}}{{/xs}};{{/groups2}}", c,
	    "A:2;B:B3B4;");
	tval_free(c);
}

static void
test_context_stack(void **state)
{
	struct tval	*c, *l, *it;

	(void)state;
	c = tval_obj();
	tval_set(c, "agency", "UBND tỉnh");
	tval_set(c, "status", "gốc");
	tval_set_bool(c, "admin", 1);
	l = tval_set_list(c, "rows");
	it = tval_list_add(l);
	tval_set(it, "status", "mới");
	it = tval_list_add(l);
	it = tval_list_add(l);
	tval_set_bool(it, "admin", 0);

	/* Missing keys walk up; present keys (even "off") shadow. */
	assert_render("{{#rows}}{{agency}}/{{status}}/"
	    "{{#admin}}A{{/admin}}{{^admin}}-{{/admin}};{{/rows}}", c,
	    "UBND tỉnh/mới/A;UBND tỉnh/gốc/A;UBND tỉnh/gốc/-;");
	tval_free(c);
}

static void
test_dotted(void **state)
{
	struct tval	*c, *a, *b;

	(void)state;
	c = tval_obj();
	a = tval_set_obj(c, "a");
	b = tval_set_obj(a, "b");
	tval_set(b, "c", "sâu");
	tval_set(a, "s", "chuỗi");
	tval_set(c, "x", "ngoài");

	assert_render("{{a.b.c}}|{{a.s}}|{{a.s.z}}|{{a.nope.c}}|{{a.x}}", c,
	    "sâu|chuỗi|||");
	assert_render("{{#a.b}}{{c}}{{x}}{{/a.b}}", c, "sâungoài");
	assert_render("{{#a}}{{b.c}}{{/a}}", c, "sâu");
	assert_render("{{^a.nope}}không{{/a.nope}}", c, "không");
	tval_free(c);
}

static void
test_comments_and_lines(void **state)
{
	struct tval	*c;

	(void)state;
	c = tval_obj();
	tval_set(c, "x", "1");
	assert_render("a{{! ghi chú {{x} }}b{{!\nnhiều\ndòng\n}}c", c, "abc");
	/* As in Mustache, the first "}}" ends a comment. */
	assert_render("a{{! x {{x}} }}b", c, "a }}b");
	tval_free(c);

	/* Lines inside comments and tags still count. */
	assert_compile_error("{{!\n\n}}\n{{#x}}", "line 4");
	assert_compile_error("{{\nx\n}}\n\n{{/y}}", "line 5");
}

static void
test_compile_errors(void **state)
{
	char	 err[64], *deep, *p;
	int	 i;

	(void)state;
	assert_compile_error("a\nb\n{{#list}}\nx", "line 3");
	assert_compile_error("a\nb\n{{#list}}\nx", "never closed");
	assert_compile_error("{{#a}}\n{{#b}}\n{{/a}}", "line 3");
	assert_compile_error("{{#a}}\n{{#b}}\n{{/a}}", "does not match");
	assert_compile_error("x\n{{/a}}", "line 2");
	assert_compile_error("x\n{{/a}}", "closes no section");
	assert_compile_error("x {{name", "unclosed");
	assert_compile_error("x {{{name}}", "unclosed");
	assert_compile_error("x {{", "unclosed");
	assert_compile_error("{{}}", "empty");
	assert_compile_error("{{#}}{{/}}", "empty");
	assert_compile_error("{{a b}}", "bad character");
	assert_compile_error("{{a<b}}", "bad character");
	assert_compile_error("{{a..b}}", "empty part");
	assert_compile_error("{{a.}}", "empty part");
	assert_compile_error("{{.a}}", "empty part");
	assert_compile_error("{{=<% %>=}}", "not supported");
	assert_compile_error("{{>}}", "partial");

	assert_int_equal(tmpl_add("nul", "a\0{{b}}", 7, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "NUL"));
	assert_false(tmpl_exists("nul"));

	/* A short error buffer is truncated, not overrun. */
	assert_int_equal(tmpl_add("e", "{{#aaaaaaaaaaaaaaaaaaaa}}", 25, err,
	    8), -1);
	assert_true(strlen(err) < 8);
	assert_int_equal(tmpl_add("e", "{{#a}}", 6, NULL, 0), -1);

	/* Nesting is bounded at compile time. */
	deep = malloc(100 * 12 + 1);
	assert_non_null(deep);
	p = deep;
	for (i = 0; i < 100; i++)
		p += sprintf(p, "{{#a%d}}", i);
	assert_compile_error(deep, "too deeply");
	free(deep);
}

static void
test_partials(void **state)
{
	struct tval	*c, *n, *kids;
	char		 err[256], *got;

	(void)state;
	add_ok("header", "<h1>{{title}}</h1>");
	add_ok("page", "{{> header}}{{#items}}{{>  row }}{{/items}}");
	add_ok("row", "<p>{{title}}:{{v}}</p>");

	c = tval_obj();
	tval_set(c, "title", "Tổng đài 1022");
	n = tval_list_add(tval_set_list(c, "items"));
	tval_set(n, "v", "1");
	got = render("page", c);
	assert_string_equal(got,
	    "<h1>Tổng đài 1022</h1><p>Tổng đài 1022:1</p>");
	free(got);
	assert_int_equal(tmpl_check_partials(err, sizeof(err)), 0);

	/* Missing partial: empty at render time, an error when checked. */
	add_ok("orphan", "a{{> nowhere}}b");
	got = render("orphan", c);
	assert_string_equal(got, "ab");
	free(got);
	assert_int_equal(tmpl_check_partials(err, sizeof(err)), -1);
	assert_non_null(strstr(err, "nowhere"));
	assert_non_null(strstr(err, "orphan.html"));
	tval_free(c);

	/* A recursive partial over a finite tree terminates. */
	add_ok("tree", "({{name}}{{#kids}}{{> tree}}{{/kids}})");
	c = tval_obj();
	tval_set(c, "name", "gốc");
	kids = tval_set_list(c, "kids");
	n = tval_list_add(kids);
	tval_set(n, "name", "a");
	(void)tval_set_list(n, "kids");
	n = tval_list_add(kids);
	tval_set(n, "name", "b");
	n = tval_list_add(tval_set_list(n, "kids"));
	tval_set(n, "name", "c");
	(void)tval_set_list(n, "kids");
	got = render("tree", c);
	assert_string_equal(got, "(gốc(a)(b(c)))");
	free(got);
	tval_free(c);

	/* Unbounded recursion fails the render instead of the stack. */
	add_ok("loop", "x{{> loop}}");
	{
		struct sbuf	sb;

		sbuf_init(&sb);
		assert_int_equal(tmpl_render("loop", NULL, &sb), -1);
		sbuf_free(&sb);
	}
}

static void
test_registry(void **state)
{
	struct sbuf	 sb;
	char		*got;

	(void)state;
	sbuf_init(&sb);
	assert_int_equal(tmpl_render("none", NULL, &sb), -1);
	sbuf_free(&sb);

	add_ok("v", "một");
	add_ok("v", "hai");
	got = render("v", NULL);
	assert_string_equal(got, "hai");
	free(got);

	/* A failed reload keeps the old template. */
	assert_int_equal(tmpl_add("v", "{{#x}}", 6, NULL, 0), -1);
	got = render("v", NULL);
	assert_string_equal(got, "hai");
	free(got);

	tmpl_cleanup();
	assert_false(tmpl_exists("v"));
}

static void
write_file(const char *dir, const char *name, const char *body)
{
	char	 path[512];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(body, f);
	fclose(f);
}

static void
test_load_dir(void **state)
{
	char	 dir[] = "/tmp/test_tmpl.XXXXXX", path[512], *got;
	struct tval	*c;

	(void)state;
	assert_non_null(mkdtemp(dir));
	write_file(dir, "layout.html", "<html>{{> nav}}{{body}}</html>\n");
	write_file(dir, "nav.html", "<nav>{{site}}</nav>");
	write_file(dir, "README.txt", "{{#not a template");
	write_file(dir, ".hidden.html", "{{#broken");

	assert_int_equal(tmpl_load_dir(dir), 0);
	c = tval_obj();
	tval_set(c, "site", "1022");
	tval_set(c, "body", "<i>nội dung</i>");
	got = render("layout", c);
	assert_string_equal(got,
	    "<html><nav>1022</nav>&lt;i&gt;nội dung&lt;/i&gt;</html>\n");
	free(got);
	assert_false(tmpl_exists("README"));
	assert_false(tmpl_exists(".hidden"));
	tval_free(c);
	tmpl_cleanup();

	/* A syntax error anywhere fails the load. */
	write_file(dir, "broken.html", "ok\n{{#a}}\n");
	assert_int_equal(tmpl_load_dir(dir), -1);
	tmpl_cleanup();
	snprintf(path, sizeof(path), "%s/broken.html", dir);
	unlink(path);

	/* So does a partial that names no template. */
	write_file(dir, "bad.html", "{{> missing}}");
	assert_int_equal(tmpl_load_dir(dir), -1);
	tmpl_cleanup();

	assert_int_equal(tmpl_load_dir("/nonexistent/tmpl/dir"), -1);

	snprintf(path, sizeof(path), "%s/bad.html", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/layout.html", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/nav.html", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/README.txt", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/.hidden.html", dir);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

static void
test_large(void **state)
{
	struct tval	*c, *l, *it;
	struct sbuf	 sb;
	char		*big;
	size_t		 i, n;

	(void)state;
	c = tval_obj();
	l = tval_set_list(c, "rows");
	n = 20000;
	for (i = 0; i < n; i++) {
		it = tval_list_add(l);
		tval_setf(it, "i", "%zu", i % 10);
		tval_set(it, "t", "<&>");
	}
	big = malloc(1 << 20);
	assert_non_null(big);
	memset(big, 'x', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	tval_set(c, "big", big);

	add_ok("big", "{{#rows}}{{i}}{{t}}\n{{/rows}}{{big}}");
	sbuf_init(&sb);
	assert_int_equal(tmpl_render("big", c, &sb), 0);
	assert_int_equal(sb.len, n * (1 + 13 + 1) + (1 << 20) - 1);
	assert_memory_equal(sb.data, "0&lt;&amp;&gt;\n1&lt;", 20);
	sbuf_free(&sb);
	free(big);
	tval_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_sbuf, teardown),
		cmocka_unit_test_teardown(test_variables, teardown),
		cmocka_unit_test_teardown(test_injection, teardown),
		cmocka_unit_test_teardown(test_sections, teardown),
		cmocka_unit_test_teardown(test_context_stack, teardown),
		cmocka_unit_test_teardown(test_dotted, teardown),
		cmocka_unit_test_teardown(test_comments_and_lines, teardown),
		cmocka_unit_test_teardown(test_compile_errors, teardown),
		cmocka_unit_test_teardown(test_partials, teardown),
		cmocka_unit_test_teardown(test_registry, teardown),
		cmocka_unit_test_teardown(test_load_dir, teardown),
		cmocka_unit_test_teardown(test_large, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
