/*
 * supervisor: what the supervisor's pages share: Vietnamese number
 * formatting, the range of days a report covers.  (CSV exports: csv.h.)
 */
#ifndef SUPERVISOR_H
#define SUPERVISOR_H

#include "tmpl.h"

struct http_request;
struct web;

#define SUP_DAY_LEN	10	/* YYYY-MM-DD */

void	sup_decimal_vi(const char *, char *, size_t);
int	sup_day_range(struct web *, char *, char *, const char **);

#define SUP_CHOICE_NONE	-1	/* the argument is absent or empty */
#define SUP_CHOICE_BAD	-2	/* it names no row */
int	sup_arg_choice(struct web *, const char *, const void *, size_t,
	    size_t);

#endif
