/*
 * fuzz_text: a citizen's text as a form or the API delivers it (any
 * bytes, NUL-free as Kore and jansson hand it over) through the
 * validators of src/valid.c and, for publication, mask_personal()
 * (src/mask.c), which rewrites it into a buffer sized in advance; and
 * as the staff form's received-at time (date_parse_local(), src/date.c).
 */
#include <string.h>

#include "date.h"
#include "fuzz.h"
#include "mask.h"
#include "valid.h"


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s, *t, *m, phone[VALID_PHONE_LEN];
	time_t		 when;
	size_t		 i, n;
	int		 rc, utf8;

	if (memchr(data, '\0', size) != NULL)
		return (0);
	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';

	utf8 = valid_utf8(s, size);
	FUZZ_CHECK(utf8 == 0 || utf8 == 1);
	if (utf8)
		FUZZ_CHECK(valid_utf8_chars(s, size) <= size);
	for (i = 0; i < 2; i++) {
		rc = valid_text(s, size, 200, (int)i);
		FUZZ_CHECK(rc == VALID_OK || (rc <= VALID_EEMPTY &&
		    rc >= VALID_ENOSPACE));
		FUZZ_CHECK(rc != VALID_OK || utf8);
		FUZZ_CHECK(valid_error_vi(rc) != NULL);
	}

	memset(phone, 'x', sizeof(phone));
	if (valid_phone_vn(s, phone, sizeof(phone)) == VALID_OK) {
		/* A number to call back: national form, digits only. */
		n = strnlen(phone, sizeof(phone));
		FUZZ_CHECK(n < sizeof(phone) && n >= 10 && phone[0] == '0');
		for (i = 0; i < n; i++)
			FUZZ_CHECK(phone[i] >= '0' && phone[i] <= '9');
	}
	if (valid_email(s, size))
		FUZZ_CHECK(memchr(s, '@', size) != NULL);
	(void)valid_uuid(s);
	if (date_parse_local(s, size, &when) == 0)
		FUZZ_CHECK(size == 16 || size == 19);

	if ((m = mask_personal(s, size)) != NULL) {
		n = strlen(m);
		FUZZ_CHECK(n <= size + size / 2 + 3);
		/* Only ASCII is rewritten: UTF-8 text stays UTF-8. */
		FUZZ_CHECK(!utf8 || valid_utf8(m, n));
		free(m);
	}

	t = valid_trim(s);
	FUZZ_CHECK(t >= s && t <= s + size);
	FUZZ_CHECK(strlen(t) <= size);
	free(s);
	return (0);
}
