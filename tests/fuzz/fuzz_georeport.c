/*
 * fuzz_georeport: what an Open311 client sends (start_date, end_date, any
 * text a request carries) through georeport.c: the date check, cutting
 * by characters, and the XML writer, whose output must stay well-formed
 * UTF-8 with no markup character left unescaped, whatever came in.
 */
#include <string.h>

#include "fuzz.h"
#include "georeport.h"
#include "valid.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sbuf	 b;
	json_t		*v;
	char		*s;
	size_t		 i, cut;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';

	/* A date: as the C string the query parser hands over. */
	(void)georeport_date_ok(s);

	/* A cut never splits a character of well-formed text. */
	for (i = 0; i < 4; i++) {
		cut = georeport_clip(s, size, i * 7);
		FUZZ_CHECK(cut <= size);
		if (valid_utf8(s, size))
			FUZZ_CHECK(valid_utf8(s, cut));
	}

	/* Escaped text: UTF-8, no markup left. */
	sbuf_init(&b);
	georeport_xml_text(&b, s, size);
	FUZZ_CHECK(valid_utf8(b.data, b.len));
	FUZZ_CHECK(memchr(b.data, '<', b.len) == NULL);
	FUZZ_CHECK(memchr(b.data, '>', b.len) == NULL);
	FUZZ_CHECK(memchr(b.data, '"', b.len) == NULL);

	/* A whole document around it, if jansson takes it as a string. */
	if ((v = json_pack("[{s:s%}]", "description", s, size)) != NULL) {
		sbuf_reset(&b);
		FUZZ_CHECK(georeport_xml(&b, "service_requests", v) == 0);
		FUZZ_CHECK(valid_utf8(b.data, b.len));
		json_decref(v);
	}
	sbuf_free(&b);
	free(s);
	return (0);
}
