/*
 * fuzz.h: what every harness in tests/fuzz shares.  A harness feeds one
 * libFuzzer input to the real parser and then checks the promises the
 * rest of the program relies on; a broken promise aborts, so libFuzzer
 * keeps the input as a crash like any sanitizer report.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: broken promise: %s\n",		\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

#endif /* !FUZZ_H */
