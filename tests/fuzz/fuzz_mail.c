/*
 * fuzz_mail: an e-mail's raw bytes through mail_parse() (src/mail.c),
 * which reads what any stranger may send to the center's mailbox, and
 * the same bytes as HTML through mail_html_text().
 */
#include <stdlib.h>
#include <string.h>

#include <unistr.h>

#include "fuzz.h"
#include "mail.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct mail_limits	lim = { 256 * 1024, 64 * 1024, 3 };
	struct mail	 m;
	char		*t;
	int		 i, kept;

	t = mail_html_text((const char *)data, size);
	FUZZ_CHECK(strlen(t) <= size);
	free(t);

	if (mail_parse((const char *)data, size, &lim, &m) != 0)
		return (0);
	/* What is stored is bounded, valid UTF-8 and never without a sender. */
	FUZZ_CHECK(m.from[0] != '\0' && strchr(m.from, '@') != NULL);
	FUZZ_CHECK(m.message_id[0] != '\0');
	FUZZ_CHECK(m.text != NULL && strlen(m.text) <= MAIL_TEXT_MAX);
	FUZZ_CHECK(u8_check((const uint8_t *)m.text, strlen(m.text)) == NULL);
	FUZZ_CHECK(u8_check((const uint8_t *)m.subject, strlen(m.subject)) == NULL);
	FUZZ_CHECK(u8_check((const uint8_t *)m.name, strlen(m.name)) == NULL);
	FUZZ_CHECK(strpbrk(m.subject, "\r\n") == NULL);
	FUZZ_CHECK(m.nrefs <= MAIL_REFS_MAX);
	for (i = 0, kept = 0; i < m.nfiles; i++) {
		FUZZ_CHECK((m.files[i].data == NULL) == (m.files[i].refused != NULL));
		if (m.files[i].data != NULL) {
			FUZZ_CHECK(m.files[i].mime != NULL);
			FUZZ_CHECK(m.files[i].len <= lim.file_max);
			kept++;
		}
	}
	FUZZ_CHECK(kept <= lim.files_max);
	mail_free(&m);
	return (0);
}
