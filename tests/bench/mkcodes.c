/*
 * mkcodes: rows for the benchmark's seed tickets, with public codes made by
 * the application's own code_format() (src/code.c), so every code passes
 * code_parse() and its check symbol.
 *
 *   mkcodes N [seed]
 *
 * prints N lines "code<TAB>phone<TAB>created_epoch<TAB>i", created over the
 * last 330 days with the code's YYMM taken from that moment in Vietnam
 * (UTC+7), and Vietnamese mobile numbers that pass valid_phone_vn().  The
 * same seed gives the same rows.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "code.h"

static uint64_t	state;

static uint64_t
next(void)
{
	uint64_t	z;

	/* splitmix64 */
	z = (state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

int
main(int argc, char *argv[])
{
	static const char *const prefixes[] = {
		"090", "091", "093", "094", "096", "097", "098", "032", "035",
		"070", "077", "081", "085", "086", "088", "089", "056", "058"
	};
	char		 code[CODE_LEN + 1];
	unsigned char	 rnd[8];
	struct tm	 tm;
	time_t		 now, t;
	uint64_t	 r;
	long		 i, n;
	int		 k;

	if (argc < 2 || (n = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: mkcodes N [seed]\n");
		return (2);
	}
	state = argc > 2 ? strtoull(argv[2], NULL, 10) : 1022;
	now = time(NULL);

	for (i = 0; i < n; i++) {
		r = next();
		for (k = 0; k < 8; k++)
			rnd[k] = (unsigned char)(r >> (8 * k));
		t = now - (time_t)(next() % (330 * 86400ULL));
		t += 7 * 3600;
		gmtime_r(&t, &tm);
		t -= 7 * 3600;
		code_format(code, rnd, tm.tm_year % 100, tm.tm_mon + 1);
		r = next();
		printf("%s\t%s%07llu\t%lld\t%ld\n", code,
		    prefixes[r % (sizeof(prefixes) / sizeof(prefixes[0]))],
		    (unsigned long long)((r >> 8) % 10000000ULL), (long long)t, i);
	}
	return (0);
}
