/*
 * csv: exports that Excel opens correctly and that cannot run formulas.
 */
#include <string.h>

#include "csv.h"

/* A byte-order mark: without it Excel reads UTF-8 as a legacy code page. */
void
csv_start(struct sbuf *b)
{
	sbuf_lit(b, "\xEF\xBB\xBF");
}

/*
 * A text cell.  One that starts like a formula (= + - @, or a tab or CR
 * that some spreadsheets skip) gets a leading apostrophe, so a citizen's
 * title such as "=HYPERLINK(…)" stays text when the export is opened.
 */
void
csv_cell(struct sbuf *b, const char *v, int first)
{
	const char	*p;
	int		 quote;

	if (!first)
		sbuf_lit(b, ",");
	if (v == NULL || v[0] == '\0')
		return;
	quote = strpbrk(v, ",\"\r\n") != NULL;
	if (quote)
		sbuf_lit(b, "\"");
	if (strchr("=+-@\t\r", v[0]) != NULL)
		sbuf_lit(b, "'");
	for (p = v; *p != '\0'; p++) {
		if (*p == '"')
			sbuf_lit(b, "\"\"");
		else
			sbuf_append(b, p, 1);
	}
	if (quote)
		sbuf_lit(b, "\"");
}

/* A number we computed ourselves: written as it is, or not at all. */
void
csv_number(struct sbuf *b, const char *v, int first)
{
	const char	*p;

	if (!first)
		sbuf_lit(b, ",");
	if (v == NULL)
		return;
	for (p = v; *p != '\0'; p++) {
		if ((*p < '0' || *p > '9') && *p != '.' && *p != '-')
			return;
	}
	sbuf_append(b, v, strlen(v));
}

void
csv_end_row(struct sbuf *b)
{
	sbuf_lit(b, "\r\n");
}
