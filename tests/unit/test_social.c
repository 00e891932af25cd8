/*
 * test_social.c: src/social.c, Zalo OA and Messenger webhooks and the
 * providers' answers, with bodies in the shapes their documents give.
 * The signatures below were computed apart (Node's crypto), not by the
 * code under test.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "social.h"

#define B(s)	((const unsigned char *)(s)), (sizeof(s) - 1)

static const char FB_TEXT[] =
    "{\"object\":\"page\",\"entry\":[{\"id\":\"PAGE1\",\"time\":1700000000000,"
    "\"messaging\":[{\"sender\":{\"id\":\"PSID1\"},\"recipient\":{\"id\":"
    "\"PAGE1\"},\"timestamp\":1700000000000,\"message\":{\"mid\":\"m_1\","
    "\"text\":\"Xin ch\xc3\xa0o\"}}]}]}";
static const char FB_SIG[] = "sha256="
    "80d560d5138d6822307a45e56d1933fa81b04039348a3f363f4ae5df581463dd";

static const char ZALO_TEXT[] =
    "{\"app_id\":\"360846524940903967\",\"sender\":{\"id\":"
    "\"246845883529197922\"},\"user_id_by_app\":\"552177279717587730\","
    "\"recipient\":{\"id\":\"388613280878808645\"},\"event_name\":"
    "\"user_send_text\",\"message\":{\"text\":\"\xc4\x90\xc6\xb0\xe1\xbb\x9dng "
    "h\xe1\xbb\x8fng\",\"msg_id\":\"96d3cdf3af150460909\"},\"timestamp\":"
    "\"1543908534739\"}";
static const char ZALO_SIG[] = "mac="
    "029346df1537c7902727219fcaf8154aed59b9bd5ea20f3613bb7fac5a3f2a5c";

static const char *
sget(json_t *item, const char *key)
{
	return (json_string_value(json_object_get(item, key)));
}

static void
test_facebook_signature(void **state)
{
	char	bad[sizeof(FB_SIG)];

	(void)state;
	assert_true(social_facebook_signature_ok("appsecret", B(FB_TEXT),
	    FB_SIG));
	assert_false(social_facebook_signature_ok("other", B(FB_TEXT), FB_SIG));
	/* One byte of the body, one digit of the header, the prefix. */
	assert_false(social_facebook_signature_ok("appsecret",
	    (const unsigned char *)FB_TEXT, sizeof(FB_TEXT) - 2, FB_SIG));
	memcpy(bad, FB_SIG, sizeof(bad));
	bad[10] = bad[10] == '0' ? '1' : '0';
	assert_false(social_facebook_signature_ok("appsecret", B(FB_TEXT), bad));
	assert_false(social_facebook_signature_ok("appsecret", B(FB_TEXT),
	    FB_SIG + 7));
	assert_false(social_facebook_signature_ok("appsecret", B(FB_TEXT),
	    "sha256=zz"));
	assert_false(social_facebook_signature_ok("", B(FB_TEXT), FB_SIG));
	assert_false(social_facebook_signature_ok("appsecret", B(FB_TEXT), NULL));
}

static void
test_zalo_signature_and_text(void **state)
{
	json_t	*root, *items, *it;
	char	 ts[32], err[128];

	(void)state;
	root = social_parse(B(ZALO_TEXT), err, sizeof(err));
	assert_non_null(root);
	assert_int_equal(social_zalo_timestamp(root, ts, sizeof(ts)), 0);
	assert_string_equal(ts, "1543908534739");
	assert_true(social_zalo_signature_ok("360846524940903967", "oasecret",
	    B(ZALO_TEXT), ts, ZALO_SIG));
	assert_false(social_zalo_signature_ok("360846524940903967", "other",
	    B(ZALO_TEXT), ts, ZALO_SIG));
	assert_false(social_zalo_signature_ok("1", "oasecret", B(ZALO_TEXT),
	    ts, ZALO_SIG));
	assert_false(social_zalo_signature_ok("360846524940903967", "oasecret",
	    B(ZALO_TEXT), "1543908534740", ZALO_SIG));
	assert_false(social_zalo_signature_ok("360846524940903967", "oasecret",
	    B(ZALO_TEXT), ts, ZALO_SIG + 4));

	items = social_zalo_items(root, err, sizeof(err));
	assert_non_null(items);
	assert_int_equal(json_array_size(items), 1);
	it = json_array_get(items, 0);
	assert_string_equal(sget(it, "kind"), "message");
	assert_string_equal(sget(it, "event"), "user_send_text");
	assert_string_equal(sget(it, "user"), "246845883529197922");
	assert_string_equal(sget(it, "id"), "96d3cdf3af150460909");
	assert_string_equal(sget(it, "text"),
	    "\xc4\x90\xc6\xb0\xe1\xbb\x9dng h\xe1\xbb\x8fng");
	assert_int_equal(json_integer_value(json_object_get(it, "time")),
	    1543908534739LL);
	json_decref(items);
	json_decref(root);
}

static json_t *
zalo_items(const char *body, char *err, size_t errlen)
{
	json_t	*root, *items;

	root = social_parse((const unsigned char *)body, strlen(body),
	    err, errlen);
	if (root == NULL)
		return (NULL);
	items = social_zalo_items(root, err, errlen);
	json_decref(root);
	return (items);
}

static void
test_zalo_image_file_location_follow(void **state)
{
	json_t	*items, *it, *a;
	char	 err[128];

	(void)state;
	items = zalo_items("{\"app_id\":\"1\",\"sender\":{\"id\":\"u1\"},"
	    "\"event_name\":\"user_send_image\",\"message\":{\"msg_id\":\"i1\","
	    "\"text\":\"\",\"attachments\":[{\"type\":\"image\",\"payload\":{"
	    "\"thumbnail\":\"https://z/t.jpg\",\"url\":\"https://z/i.jpg\"}}]},"
	    "\"timestamp\":\"1\"}", err, sizeof(err));
	assert_non_null(items);
	a = json_array_get(json_object_get(json_array_get(items, 0),
	    "attachments"), 0);
	assert_string_equal(sget(a, "type"), "image");
	assert_string_equal(sget(a, "url"), "https://z/i.jpg");
	json_decref(items);

	items = zalo_items("{\"sender\":{\"id\":\"u1\"},\"event_name\":"
	    "\"user_send_file\",\"message\":{\"msg_id\":\"f1\",\"attachments\":"
	    "[{\"type\":\"file\",\"payload\":{\"size\":\"1024\",\"name\":"
	    "\"don.pdf\",\"checksum\":\"x\",\"type\":\"pdf\",\"url\":"
	    "\"https://z/don.pdf\"}}]},\"timestamp\":\"2\"}", err, sizeof(err));
	assert_non_null(items);
	a = json_array_get(json_object_get(json_array_get(items, 0),
	    "attachments"), 0);
	assert_string_equal(sget(a, "name"), "don.pdf");
	json_decref(items);

	items = zalo_items("{\"sender\":{\"id\":\"u1\"},\"event_name\":"
	    "\"user_send_location\",\"message\":{\"msg_id\":\"l1\",\"attachments\":"
	    "[{\"type\":\"location\",\"payload\":{\"coordinates\":{\"latitude\":"
	    "\"10.4538\",\"longitude\":\"105.6339\"}}}]},\"timestamp\":\"3\"}",
	    err, sizeof(err));
	assert_non_null(items);
	it = json_object_get(json_array_get(items, 0), "location");
	assert_true(json_real_value(json_object_get(it, "lat")) > 10.45);
	assert_true(json_real_value(json_object_get(it, "long")) < 105.64);
	json_decref(items);

	items = zalo_items("{\"oa_id\":\"o\",\"follower\":{\"id\":\"u9\"},"
	    "\"event_name\":\"follow\",\"app_id\":\"1\",\"timestamp\":\"77\"}",
	    err, sizeof(err));
	assert_non_null(items);
	it = json_array_get(items, 0);
	assert_string_equal(sget(it, "kind"), "event");
	assert_string_equal(sget(it, "user"), "u9");
	assert_string_equal(sget(it, "id"), "follow:u9:77");
	json_decref(items);

	/* Receipts and the OA's own sends are not kept. */
	items = zalo_items("{\"sender\":{\"id\":\"o\"},\"event_name\":"
	    "\"user_seen_message\",\"timestamp\":\"1\"}", err, sizeof(err));
	assert_non_null(items);
	assert_int_equal(json_array_size(items), 0);
	json_decref(items);
}

static void
test_zalo_malformed(void **state)
{
	char	big[SOCIAL_TEXT_MAX + 200];
	char	err[128];
	int	n;

	(void)state;
	assert_null(zalo_items("{\"event_name\":", err, sizeof(err)));
	assert_null(zalo_items("[1]", err, sizeof(err)));
	assert_null(zalo_items("{\"sender\":{\"id\":\"u\"}}", err, sizeof(err)));
	/* A message without its id, a sender without an id. */
	assert_null(zalo_items("{\"sender\":{\"id\":\"u\"},\"event_name\":"
	    "\"user_send_text\",\"message\":{\"text\":\"a\"}}", err, sizeof(err)));
	assert_null(zalo_items("{\"sender\":{},\"event_name\":"
	    "\"user_send_text\",\"message\":{\"msg_id\":\"1\"}}", err,
	    sizeof(err)));
	/* A follow without its time. */
	assert_null(zalo_items("{\"follower\":{\"id\":\"u\"},\"event_name\":"
	    "\"follow\"}", err, sizeof(err)));
	/* Attachments: not a list, a URL of another scheme, a bad place. */
	assert_null(zalo_items("{\"sender\":{\"id\":\"u\"},\"event_name\":"
	    "\"user_send_image\",\"message\":{\"msg_id\":\"1\",\"attachments\":"
	    "{}}}", err, sizeof(err)));
	assert_null(zalo_items("{\"sender\":{\"id\":\"u\"},\"event_name\":"
	    "\"user_send_image\",\"message\":{\"msg_id\":\"1\",\"attachments\":"
	    "[{\"type\":\"image\",\"payload\":{\"url\":\"javascript:x\"}}]}}",
	    err, sizeof(err)));
	assert_null(zalo_items("{\"sender\":{\"id\":\"u\"},\"event_name\":"
	    "\"user_send_location\",\"message\":{\"msg_id\":\"1\",\"attachments\":"
	    "[{\"type\":\"location\",\"payload\":{\"coordinates\":{\"latitude\":"
	    "\"91\",\"longitude\":\"1\"}}}]}}", err, sizeof(err)));
	/* A text beyond the limit. */
	n = snprintf(big, sizeof(big), "{\"sender\":{\"id\":\"u\"},\"event_name\":"
	    "\"user_send_text\",\"message\":{\"msg_id\":\"1\",\"text\":\"");
	memset(big + n, 'a', SOCIAL_TEXT_MAX + 1);
	(void)snprintf(big + n + SOCIAL_TEXT_MAX + 1, sizeof(big) - n -
	    SOCIAL_TEXT_MAX - 1, "\"}}");
	assert_null(zalo_items(big, err, sizeof(err)));
	assert_string_equal(err, "message.text is not a short text");
}

static void
test_facebook_entries(void **state)
{
	static const char body[] =
	    "{\"object\":\"page\",\"entry\":["
	    "{\"id\":\"P\",\"time\":1,\"messaging\":["
	    "{\"sender\":{\"id\":\"A\"},\"recipient\":{\"id\":\"P\"},"
	    "\"timestamp\":10,\"message\":{\"mid\":\"m_a\",\"text\":\"mot\"}},"
	    "{\"sender\":{\"id\":\"P\"},\"recipient\":{\"id\":\"A\"},"
	    "\"timestamp\":11,\"message\":{\"mid\":\"m_echo\",\"is_echo\":true,"
	    "\"text\":\"ours\"}},"
	    "{\"sender\":{\"id\":\"A\"},\"recipient\":{\"id\":\"P\"},"
	    "\"timestamp\":12,\"delivery\":{\"mids\":[\"m_x\"],\"watermark\":1}}]},"
	    "{\"id\":\"P\",\"time\":2,\"messaging\":["
	    "{\"sender\":{\"id\":\"B\"},\"recipient\":{\"id\":\"P\"},"
	    "\"timestamp\":13,\"message\":{\"mid\":\"m_b\",\"attachments\":["
	    "{\"type\":\"image\",\"payload\":{\"url\":\"https://f/b.jpg\"}}]}},"
	    "{\"sender\":{\"id\":\"B\"},\"recipient\":{\"id\":\"P\"},"
	    "\"timestamp\":14,\"postback\":{\"title\":\"B\\u1eaft \\u0111\\u1ea7u\","
	    "\"payload\":\"START\"}}]}]}";
	json_t	*items;
	char	 err[128];

	(void)state;
	items = social_facebook_items(B(body), err, sizeof(err));
	assert_non_null(items);
	assert_int_equal(json_array_size(items), 3);
	assert_string_equal(sget(json_array_get(items, 0), "id"), "m_a");
	assert_string_equal(sget(json_array_get(items, 0), "text"), "mot");
	assert_string_equal(sget(json_array_get(items, 1), "user"), "B");
	assert_string_equal(sget(json_array_get(json_object_get(
	    json_array_get(items, 1), "attachments"), 0), "url"),
	    "https://f/b.jpg");
	assert_string_equal(sget(json_array_get(items, 2), "event"), "postback");
	assert_string_equal(sget(json_array_get(items, 2), "id"),
	    "postback:B:14");
	json_decref(items);

	items = social_facebook_items(B(FB_TEXT), err, sizeof(err));
	assert_int_equal(json_array_size(items), 1);
	json_decref(items);
}

static void
test_facebook_malformed(void **state)
{
	char	err[128];

	(void)state;
	assert_null(social_facebook_items(B("{\"object\":\"page\""), err,
	    sizeof(err)));
	assert_null(social_facebook_items(B("{\"object\":\"user\",\"entry\":[]}"),
	    err, sizeof(err)));
	assert_null(social_facebook_items(B("{\"object\":\"page\",\"entry\":{}}"),
	    err, sizeof(err)));
	assert_null(social_facebook_items(B("{\"object\":\"page\",\"entry\":["
	    "{\"messaging\":[{\"message\":{\"mid\":\"m\"}}]}]}"), err,
	    sizeof(err)));
	assert_null(social_facebook_items(B("{\"object\":\"page\",\"entry\":["
	    "{\"messaging\":[{\"sender\":{\"id\":\"A\"},\"message\":{\"text\":"
	    "\"no mid\"}}]}]}"), err, sizeof(err)));
	assert_null(social_facebook_items(B("{\"object\":\"page\",\"entry\":["
	    "{\"messaging\":[{\"sender\":{\"id\":\"A\"},\"message\":{\"mid\":"
	    "\"m\",\"text\":\"a\\u0000b\"}}]}]}"), err, sizeof(err)));
	assert_null(social_facebook_items(B(""), err, sizeof(err)));
}

static void
test_zalo_answers(void **state)
{
	char	id[64], err[512], a[128], r[128];

	(void)state;
	assert_int_equal(social_zalo_sent(200, "{\"data\":{\"message_id\":"
	    "\"abc\",\"user_id\":\"u\"},\"error\":0,\"message\":\"Success\"}",
	    id, sizeof(id), err, sizeof(err)), SOCIAL_OK);
	assert_string_equal(id, "abc");
	assert_int_equal(social_zalo_sent(200, "{\"error\":-216,\"message\":"
	    "\"Access token is invalid\"}", id, sizeof(id), err, sizeof(err)),
	    SOCIAL_TOKEN_EXPIRED);
	assert_int_equal(social_zalo_sent(200, "{\"error\":-230,\"message\":"
	    "\"User has not interacted\"}", id, sizeof(id), err, sizeof(err)),
	    SOCIAL_FAILED);
	assert_non_null(strstr(err, "7 ngày"));
	assert_int_equal(social_zalo_sent(502, "", id, sizeof(id), err,
	    sizeof(err)), SOCIAL_RETRY);
	assert_int_equal(social_zalo_sent(0, "", id, sizeof(id), err,
	    sizeof(err)), SOCIAL_RETRY);
	assert_int_equal(social_zalo_sent(200, "{\"error\":-32}", id,
	    sizeof(id), err, sizeof(err)), SOCIAL_RETRY);

	assert_int_equal(social_zalo_refreshed(200, "{\"access_token\":\"A2\","
	    "\"refresh_token\":\"R2\",\"expires_in\":\"90000\"}", a, sizeof(a),
	    r, sizeof(r), err, sizeof(err)), SOCIAL_OK);
	assert_string_equal(a, "A2");
	assert_string_equal(r, "R2");
	assert_int_equal(social_zalo_refreshed(200, "{\"error\":-14014,"
	    "\"error_name\":\"Invalid refresh token\",\"error_description\":"
	    "\"Refresh token is invalid\"}", a, sizeof(a), r, sizeof(r), err,
	    sizeof(err)), SOCIAL_FAILED);
	assert_non_null(strstr(err, "quản trị viên"));
	assert_int_equal(social_zalo_refreshed(503, "", a, sizeof(a), r,
	    sizeof(r), err, sizeof(err)), SOCIAL_RETRY);
	/* A token that could break a header is not taken. */
	assert_int_equal(social_zalo_refreshed(200, "{\"access_token\":"
	    "\"A\\r\\nX: y\",\"refresh_token\":\"R\"}", a, sizeof(a), r,
	    sizeof(r), err, sizeof(err)), SOCIAL_RETRY);
}

static void
test_facebook_answers(void **state)
{
	char	id[64], err[512];

	(void)state;
	assert_int_equal(social_facebook_sent(200, "{\"recipient_id\":\"A\","
	    "\"message_id\":\"m_9\"}", id, sizeof(id), err, sizeof(err)),
	    SOCIAL_OK);
	assert_string_equal(id, "m_9");
	assert_int_equal(social_facebook_sent(400, "{\"error\":{\"message\":"
	    "\"Error validating access token\",\"type\":\"OAuthException\","
	    "\"code\":190,\"error_subcode\":463}}", id, sizeof(id), err,
	    sizeof(err)), SOCIAL_FAILED);
	assert_non_null(strstr(err, "hết hạn"));
	assert_int_equal(social_facebook_sent(400, "{\"error\":{\"code\":10,"
	    "\"error_subcode\":2018278}}", id, sizeof(id), err, sizeof(err)),
	    SOCIAL_FAILED);
	assert_non_null(strstr(err, "24 giờ"));
	assert_int_equal(social_facebook_sent(400, "{\"error\":{\"code\":551,"
	    "\"error_subcode\":1545041}}", id, sizeof(id), err, sizeof(err)),
	    SOCIAL_FAILED);
	assert_non_null(strstr(err, "chặn"));
	assert_int_equal(social_facebook_sent(400, "{\"error\":{\"code\":613}}",
	    id, sizeof(id), err, sizeof(err)), SOCIAL_RETRY);
	assert_int_equal(social_facebook_sent(500, "oops", id, sizeof(id), err,
	    sizeof(err)), SOCIAL_RETRY);
	assert_int_equal(social_facebook_sent(0, "", id, sizeof(id), err,
	    sizeof(err)), SOCIAL_RETRY);
}

static void
test_bodies_and_tokens(void **state)
{
	char	*s;

	(void)state;
	s = social_zalo_message("u1", "Đã nhận");
	assert_string_equal(s, "{\"recipient\":{\"user_id\":\"u1\"},"
	    "\"message\":{\"text\":\"Đã nhận\"}}");
	free(s);
	s = social_facebook_message("P1", "ok");
	assert_string_equal(s, "{\"recipient\":{\"id\":\"P1\"},"
	    "\"messaging_type\":\"RESPONSE\",\"message\":{\"text\":\"ok\"}}");
	free(s);
	assert_true(social_token_ok("EAAB-x_y.z~1:2"));
	assert_false(social_token_ok(""));
	assert_false(social_token_ok("a b"));
	assert_false(social_token_ok("a&b"));
	assert_true(social_secret_equal("verify-me", "verify-me"));
	assert_false(social_secret_equal("verify-me", "verify-mE"));
	assert_false(social_secret_equal("verify-me", "verify-me2"));
	assert_false(social_secret_equal("", ""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_facebook_signature),
		cmocka_unit_test(test_zalo_signature_and_text),
		cmocka_unit_test(test_zalo_image_file_location_follow),
		cmocka_unit_test(test_zalo_malformed),
		cmocka_unit_test(test_facebook_entries),
		cmocka_unit_test(test_facebook_malformed),
		cmocka_unit_test(test_zalo_answers),
		cmocka_unit_test(test_facebook_answers),
		cmocka_unit_test(test_bodies_and_tokens),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
