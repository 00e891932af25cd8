/*
 * procedure.h: the rules of one procedure of the catalog (thủ tục hành
 * chính), with no Kore and no SQL: its national code, its level, and the
 * row an import file gives for it (procedure.c).
 */

#ifndef PROCEDURE_H
#define PROCEDURE_H

#include <stddef.h>

#define PROCEDURE_CODE_MAX	40	/* bytes of a national code */

int		 procedure_code_ok(const char *);
const char	*procedure_level_label(const char *);
const char	*procedure_level_code(size_t);

#endif /* !PROCEDURE_H */
