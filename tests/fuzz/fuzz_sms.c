/*
 * fuzz_sms: an SMS gateway's reply (src/sms_gateway.c, sms_reply_read())
 * with the status the input's first byte picks, and the input as the text
 * of a message through the request body's JSON and form templates.  The
 * promises: the error and the provider's id are whole UTF-8 strings (they
 * go into the database, which refuses anything else), a reply that came is
 * never "no connection", and a JSON body stays JSON.
 */
#include <string.h>

#include <jansson.h>

#include "fuzz.h"
#include "sms_gateway.h"
#include "valid.h"

static const long	statuses[] = { 200, 201, 202, 204, 301, 400, 401, 403,
	404, 422, 429, 500, 502, 503, 0 };


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outbox_result	 r;
	struct sbuf		 b;
	enum outbox_verdict	 v;
	json_t			*j;
	json_error_t		 jerr;
	char			*body;
	long			 status;
	int			 json;

	if (size == 0)
		return (0);
	status = statuses[data[0] % (sizeof(statuses) / sizeof(statuses[0]))];
	if ((body = malloc(size)) == NULL)
		abort();
	memcpy(body, data + 1, size - 1);
	body[size - 1] = '\0';

	memset(&r, 'x', sizeof(r));
	r.external_id[0] = '\0';
	r.error[0] = '\0';
	v = sms_reply_read(status, body, "Timeout was reached", &r);
	FUZZ_CHECK(strlen(r.error) < sizeof(r.error));
	FUZZ_CHECK(strlen(r.external_id) < sizeof(r.external_id));
	FUZZ_CHECK(valid_utf8(r.error, strlen(r.error)));
	FUZZ_CHECK(valid_utf8(r.external_id, strlen(r.external_id)));
	FUZZ_CHECK(v == OUTBOX_SENT || r.error[0] != '\0');
	if (status >= 200 && status < 300)
		FUZZ_CHECK(v != OUTBOX_RETRY);

	/* The input as a message's text, when it is text. */
	if (valid_utf8(body, strlen(body)) && body[0] != '\0') {
		(void)sms_parts(body);
		sbuf_init(&b);
		FUZZ_CHECK(sms_request_body(NULL, "0912345678", "TD1022", body,
		    &b, &json) == 0);
		FUZZ_CHECK(json);
		j = json_loadb(b.data, b.len, 0, &jerr);
		FUZZ_CHECK(j != NULL);
		FUZZ_CHECK(strcmp(json_string_value(json_object_get(j, "text")),
		    body) == 0);
		json_decref(j);
		sbuf_reset(&b);
		FUZZ_CHECK(sms_request_body("to={phone}&msg={text}", "1", "",
		    body, &b, &json) == 0);
		FUZZ_CHECK(!json && memchr(b.data, '&', b.len) != NULL);
		sbuf_free(&b);
	}
	free(body);
	return (0);
}
