/*
 * fuzz_dossier: what comes into the dossier lookup from outside
 * (src/dossier.c).  The first byte picks the reader: a line of an
 * administrator's import as CSV or as JSON lines (dossier_row_parse), the
 * one-stop system's reply with an HTTP status (dossier_remote_read), or a
 * code as a citizen types it (dossier_code_read).  The promises: what is
 * accepted holds the table's limits (a code of the right shape, a known
 * status, days as YYYY-MM-DD, texts that are UTF-8 and within their
 * lengths), reads back the same from its JSON, and its SMS line is UTF-8
 * of at most DOSSIER_LINE_MAX characters.
 */
#include <string.h>

#include <jansson.h>

#include "dossier.h"
#include "fuzz.h"
#include "valid.h"

static const long	statuses[] = { 200, 404, 500, 0 };

static void	check(const struct dossier *);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dossier	 d;
	char		 err[256], code[DOSSIER_CODE_MAX + 1], *s;
	int		 mode;

	if (size == 0)
		return (0);
	mode = data[0] % 6;
	if ((s = malloc(size)) == NULL)
		abort();
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';

	err[0] = '\0';
	switch (mode) {
	case 0:
	case 1:
		if (dossier_row_parse(s, size - 1, mode, &d, err,
		    sizeof(err)) == 0)
			check(&d);
		else
			FUZZ_CHECK(err[0] != '\0' && valid_utf8(err,
			    strlen(err)));
		break;
	case 2:
	case 3:
	case 4:
		if (dossier_remote_read(statuses[mode - 2 + (size & 1)], s,
		    size - 1, &d, err, sizeof(err)) == DOSSIER_FOUND)
			check(&d);
		break;
	default:
		if (dossier_code_read(s, code, sizeof(code)) == 0) {
			FUZZ_CHECK(strlen(code) >= DOSSIER_CODE_MIN &&
			    strlen(code) <= DOSSIER_CODE_MAX);
			FUZZ_CHECK(strspn(code, "0123456789ABCDEFGHIJKLMNOPQRS"
			    "TUVWXYZ.-") == strlen(code));
		}
		break;
	}
	free(s);
	return (0);
}

static void
check(const struct dossier *d)
{
	struct dossier	 again;
	json_t		*o;
	char		 line[DOSSIER_LINE_SIZE], err[256], code[DOSSIER_CODE_MAX + 1];

	FUZZ_CHECK(dossier_code_read(d->code, code, sizeof(code)) == 0 &&
	    strcmp(code, d->code) == 0);
	FUZZ_CHECK(dossier_status_vi(d->status) != NULL);
	FUZZ_CHECK(strlen(d->received_on) == 10);
	FUZZ_CHECK(d->due_on[0] == '\0' || strlen(d->due_on) == 10);
	FUZZ_CHECK(valid_utf8_chars(d->agency, strlen(d->agency)) <=
	    DOSSIER_AGENCY_MAX && d->agency[0] != '\0');
	FUZZ_CHECK(valid_utf8(d->missing, strlen(d->missing)) &&
	    valid_utf8_chars(d->missing, strlen(d->missing)) <=
	    DOSSIER_MISSING_MAX);
	FUZZ_CHECK(valid_utf8(d->pickup, strlen(d->pickup)));
	FUZZ_CHECK(valid_utf8(d->procedure, strlen(d->procedure)));

	o = dossier_to_json(d);
	FUZZ_CHECK(o != NULL);
	FUZZ_CHECK(dossier_from_json(o, &again, err, sizeof(err)) == 0);
	FUZZ_CHECK(memcmp(d, &again, sizeof(again)) == 0);
	json_decref(o);

	dossier_line(d, "2026-12-07", line, sizeof(line));
	FUZZ_CHECK(valid_utf8(line, strlen(line)));
	FUZZ_CHECK(valid_utf8_chars(line, strlen(line)) <= DOSSIER_LINE_MAX);
}
