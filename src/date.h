/*
 * date: calendar dates as people and files write them.  Pure: no Kore.
 */
#ifndef DATE_H
#define DATE_H

#include <stddef.h>

int	date_days_in_month(int, int);
int	date_parse(const char *, size_t, int *, int *, int *);

#endif
