/*
 * csv: exports that Excel opens correctly (UTF-8 with a byte-order mark,
 * CRLF rows) and that cannot run formulas.  Pure: no Kore.
 */
#ifndef CSV_H
#define CSV_H

#include "tmpl.h"

void	csv_start(struct sbuf *);
void	csv_cell(struct sbuf *, const char *, int);
void	csv_number(struct sbuf *, const char *, int);
void	csv_end_row(struct sbuf *);

#endif
