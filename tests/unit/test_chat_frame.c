/*
 * test_chat_frame.c: what a visitor's browser may send on the chat's
 * websocket (src/chat_frame.c): each kind of frame, and each way a frame
 * is refused, with the code the browser is told.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chat_frame.h"

static struct chat_frame	f;

static int
parse(const char *s)
{
	return (chat_frame_parse(s, strlen(s), &f));
}

static void
test_hello(void **state)
{
	assert_int_equal(parse("{\"t\":\"hello\",\"visitor\":"
	    "\"abcdefghijklmnopqrstuvwxyz012345\",\"last\":42,"
	    "\"name\":\"  Nguyễn Văn A \"}"), CHAT_FRAME_OK);
	assert_int_equal(f.type, CHAT_FRAME_HELLO);
	assert_string_equal(f.visitor, "abcdefghijklmnopqrstuvwxyz012345");
	assert_int_equal(f.last, 42);
	assert_string_equal(f.name, "Nguyễn Văn A");
	/* No last, no name: a first visit. */
	assert_int_equal(parse("{\"t\":\"hello\",\"visitor\":"
	    "\"abcdefghijklmnopqrstuvwxyz012345\"}"), CHAT_FRAME_OK);
	assert_int_equal(f.last, 0);
	assert_string_equal(f.name, "");
	/* Too short an id, a bad character, a negative last. */
	assert_int_equal(parse("{\"t\":\"hello\",\"visitor\":\"abc\"}"),
	    CHAT_FRAME_ESHAPE);
	assert_int_equal(parse("{\"t\":\"hello\",\"visitor\":"
	    "\"abcdefghijklmnopqrstuvwxyz01234/\"}"), CHAT_FRAME_ESHAPE);
	assert_int_equal(parse("{\"t\":\"hello\",\"visitor\":"
	    "\"abcdefghijklmnopqrstuvwxyz012345\",\"last\":-1}"),
	    CHAT_FRAME_ESHAPE);
}

static void
test_msg(void **state)
{
	char	*big;
	size_t	 n;

	assert_int_equal(parse("{\"t\":\"msg\",\"cid\":\"3f2a-9\","
	    "\"text\":\" Xin chào\\ncán bộ \"}"), CHAT_FRAME_OK);
	assert_int_equal(f.type, CHAT_FRAME_MSG);
	assert_string_equal(f.cid, "3f2a-9");
	assert_string_equal(f.text, "Xin chào\ncán bộ");
	assert_int_equal(parse("{\"t\":\"msg\",\"cid\":\"a\",\"text\":\"   \"}"),
	    CHAT_FRAME_ETEXT);
	assert_int_equal(parse("{\"t\":\"msg\",\"cid\":\"a\",\"text\":\"\\u0007\"}"),
	    CHAT_FRAME_ETEXT);
	assert_int_equal(parse("{\"t\":\"msg\",\"cid\":\"a\",\"text\":\"a\\u0000b\"}"),
	    CHAT_FRAME_EJSON);
	assert_int_equal(parse("{\"t\":\"msg\",\"text\":\"x\"}"),
	    CHAT_FRAME_ESHAPE);
	assert_int_equal(parse("{\"t\":\"msg\",\"cid\":\"a b\",\"text\":\"x\"}"),
	    CHAT_FRAME_ESHAPE);
	/* 2,001 characters in fewer bytes than a frame: too long a text. */
	big = malloc(2001 + 64);
	strcpy(big, "{\"t\":\"msg\",\"cid\":\"a\",\"text\":\"");
	n = strlen(big);
	memset(big + n, 'a', 2001);
	strcpy(big + n + 2001, "\"}");
	assert_int_equal(parse(big), CHAT_FRAME_ETEXT);
	free(big);
}

static void
test_refused(void **state)
{
	char	buf[CHAT_FRAME_MAX + 2];

	memset(buf, ' ', sizeof(buf));
	assert_int_equal(chat_frame_parse(buf, sizeof(buf), &f),
	    CHAT_FRAME_ETOOBIG);
	assert_int_equal(chat_frame_parse("", 0, &f), CHAT_FRAME_EUTF8);
	assert_int_equal(chat_frame_parse("{\"t\":\"\xff\"}", 9, &f),
	    CHAT_FRAME_EUTF8);
	assert_int_equal(parse("{\"t\":"), CHAT_FRAME_EJSON);
	assert_int_equal(parse("{\"t\":\"msg\",\"t\":\"typing\"}"),
	    CHAT_FRAME_EJSON);
	assert_int_equal(parse("[1]"), CHAT_FRAME_ESHAPE);
	assert_int_equal(parse("{\"t\":\"bay\"}"), CHAT_FRAME_ESHAPE);
	assert_int_equal(parse("{\"t\":\"typing\"}"), CHAT_FRAME_OK);
	assert_string_equal(chat_frame_code(CHAT_FRAME_ETOOBIG), "too_big");
	assert_true(strlen(chat_frame_error_vi(CHAT_FRAME_EJSON)) > 0);
}

static void
test_email(void **state)
{
	assert_int_equal(parse("{\"t\":\"email\",\"address\":\"a@b.vn\"}"),
	    CHAT_FRAME_OK);
	assert_string_equal(f.email, "a@b.vn");
	assert_int_equal(parse("{\"t\":\"email\",\"address\":\"khong\"}"),
	    CHAT_FRAME_EEMAIL);
	assert_int_equal(parse("{\"t\":\"email\"}"), CHAT_FRAME_EEMAIL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello),
		cmocka_unit_test(test_msg),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_email),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
