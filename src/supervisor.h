/*
 * supervisor: what the supervisor's pages share: Vietnamese number
 * formatting.  (CSV exports: csv.h.)
 */
#ifndef SUPERVISOR_H
#define SUPERVISOR_H

#include "tmpl.h"

struct http_request;

void	sup_decimal_vi(const char *, char *, size_t);

#endif
