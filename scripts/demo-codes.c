/*
 * demo-codes: valid ticket codes (src/code.c) for the demo history, as
 * "YYYY-MM CODE" lines: COUNT codes for each of the MONTHS months ending
 * with this one.  scripts/demo-history loads them; a code carries its
 * month, so each demo ticket gets one of the month it was filed in.
 *   usage: demo-codes MONTHS COUNT
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "code.h"

int
main(int argc, char *argv[])
{
	unsigned char	 rnd[8];
	char		 code[CODE_LEN + 1];
	struct tm	 tm;
	time_t		 now;
	int		 months, count, i, k, y, m;

	if (argc != 3 || (months = atoi(argv[1])) < 1 || months > 120 ||
	    (count = atoi(argv[2])) < 1 || count > 100000) {
		fprintf(stderr, "usage: demo-codes MONTHS COUNT\n");
		return (2);
	}
	if (sodium_init() < 0)
		return (1);
	now = time(NULL);
	localtime_r(&now, &tm);
	y = tm.tm_year + 1900;
	m = tm.tm_mon + 1;
	for (i = 0; i < months; i++) {
		for (k = 0; k < count; k++) {
			randombytes_buf(rnd, sizeof(rnd));
			code_format(code, rnd, y % 100, m);
			printf("%04d-%02d %s\n", y, m, code);
		}
		if (--m == 0) {
			m = 12;
			y--;
		}
	}
	return (0);
}
