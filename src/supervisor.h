/*
 * supervisor: what the supervisor's pages share — CSV exports that Excel
 * opens correctly and that cannot run formulas, and Vietnamese number
 * formatting.
 */
#ifndef SUPERVISOR_H
#define SUPERVISOR_H

#include "tmpl.h"

struct http_request;

void	sup_csv_start(struct sbuf *);
void	sup_csv_cell(struct sbuf *, const char *, int);
void	sup_csv_number(struct sbuf *, const char *, int);
void	sup_csv_end_row(struct sbuf *);
int	sup_csv_send(struct http_request *, struct sbuf *, const char *);
void	sup_decimal_vi(const char *, char *, size_t);

#endif
