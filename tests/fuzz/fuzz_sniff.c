/*
 * fuzz_sniff: an uploaded file's bytes through sniff_upload()
 * (src/sniff.c), which decides what we store and how we serve it.
 */
#include <string.h>

#include "fuzz.h"
#include "sniff.h"


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const pairs[][2] = {
		{ "image/jpeg", "jpg" },
		{ "image/png", "png" },
		{ "image/webp", "webp" },
		{ "application/pdf", "pdf" },
	};
	const char	*type, *ext;
	size_t		 i;
	int		 known;

	ext = "unset";
	type = sniff_upload(data, size, &ext);
	if (type == NULL) {
		FUZZ_CHECK(ext == NULL);
		return (0);
	}
	known = 0;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (strcmp(type, pairs[i][0]) == 0 &&
		    ext != NULL && strcmp(ext, pairs[i][1]) == 0)
			known = 1;
	FUZZ_CHECK(known);
	/* The same answer without asking for the extension. */
	FUZZ_CHECK(sniff_upload(data, size, NULL) == type);
	return (0);
}
