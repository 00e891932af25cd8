/*
 * procedure.h: the rules of one procedure of the catalog (thủ tục hành
 * chính), with no Kore and no SQL: its national code, its level, and the
 * row an import file gives for it (procedure.c).
 */

#ifndef PROCEDURE_H
#define PROCEDURE_H

#include <stddef.h>
#include <jansson.h>

#define PROCEDURE_CODE_MAX	40	/* bytes of a national code */
#define PROCEDURE_IMPORT_ROWS_MAX 50000	/* records in one file */
#define PROCEDURE_FORMS_MAX	20	/* forms of one procedure */
#define PROCEDURE_REASON_MAX	200	/* bytes of a rejection's reason */

/* The formats of an import file (docs/knowledge.md). */
#define PROCEDURE_FORMAT_JSONL	1
#define PROCEDURE_FORMAT_CSV	2

int		 procedure_code_ok(const char *);
const char	*procedure_level_label(const char *);
const char	*procedure_level_code(size_t);

/*
 * One record of an import file, checked: a JSON object with every field
 * under its column's name, normalised (level as its code, forms as an
 * array of {name, url}, changed_on "YYYY-MM-DD" or null), or NULL with
 * the reason in Vietnamese.
 */
json_t		*procedure_row_check(json_t *, char *, size_t);

/*
 * A whole file: each good record is appended to rows (with "line", the
 * line it starts on), each bad one to rejected as {line, reason, code}
 * (code when it could be read).  0, or -1 with the reason when the file
 * as a whole cannot be read (unknown format, no CSV header, too many
 * records).
 */
int		 procedure_import_parse(const unsigned char *, size_t, int,
		    json_t *, json_t *, char *, size_t);
int		 procedure_import_format(const char *, const unsigned char *,
		    size_t);

#endif /* !PROCEDURE_H */
