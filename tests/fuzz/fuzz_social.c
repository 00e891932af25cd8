/*
 * fuzz_social: a Zalo OA or Messenger webhook body through the parsers
 * of src/social.c, as social_hook.c calls them.  The first byte chooses
 * the provider (even: Zalo, odd: Facebook); the rest is the body.  The
 * promises: an item list or NULL with a reason; every item has a kind,
 * a user and an id within their limits; at most SOCIAL_ITEMS_MAX items;
 * a signature check of any bytes answers without reading past them.
 */
#include <string.h>

#include "social.h"
#include "fuzz.h"


static void
check_items(json_t *items)
{
	json_t		*it;
	const char	*kind;
	size_t		 i;

	FUZZ_CHECK(json_is_array(items));
	FUZZ_CHECK(json_array_size(items) <= SOCIAL_ITEMS_MAX);
	json_array_foreach(items, i, it) {
		kind = json_string_value(json_object_get(it, "kind"));
		FUZZ_CHECK(kind != NULL && (strcmp(kind, "message") == 0 ||
		    strcmp(kind, "event") == 0));
		FUZZ_CHECK(json_string_length(json_object_get(it, "user")) > 0);
		FUZZ_CHECK(json_string_length(json_object_get(it, "id")) > 0 &&
		    json_string_length(json_object_get(it, "id")) <=
		    SOCIAL_ID_MAX);
		FUZZ_CHECK(json_string_length(json_object_get(it, "text")) <=
		    SOCIAL_TEXT_MAX);
		FUZZ_CHECK(json_array_size(json_object_get(it, "attachments")) <=
		    SOCIAL_ATTACH_MAX);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t	*root, *items;
	char	 err[256], ts[SOCIAL_TIMESTAMP_MAX + 1];

	if (size < 1)
		return (0);
	memset(err, 0, sizeof(err));
	if (data[0] % 2 == 0) {
		root = social_parse(data + 1, size - 1, err, sizeof(err));
		if (root == NULL) {
			FUZZ_CHECK(err[0] != '\0');
			return (0);
		}
		if (social_zalo_timestamp(root, ts, sizeof(ts)) == 0)
			FUZZ_CHECK(!social_zalo_signature_ok("1", "k", data + 1,
			    size - 1, ts, "mac=00"));
		items = social_zalo_items(root, err, sizeof(err));
		json_decref(root);
	} else {
		FUZZ_CHECK(!social_facebook_signature_ok("k", data + 1, size - 1,
		    "sha256=0000000000000000000000000000000000000000000000000000"
		    "000000000000"));
		items = social_facebook_items(data + 1, size - 1, err,
		    sizeof(err));
	}
	if (items == NULL)
		FUZZ_CHECK(err[0] != '\0');
	else
		check_items(items);
	json_decref(items);
	return (0);
}
