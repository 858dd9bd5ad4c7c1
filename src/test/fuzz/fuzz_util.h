/* Shared by the libFuzzer targets: reading choices out of the fuzz input,
 * and buffers sized exactly so AddressSanitizer sees any overrun. */
#ifndef WD_FUZZ_UTIL_H
#define WD_FUZZ_UTIL_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A cursor over the fuzz input; reads past the end give zeros. */
struct fz {
	const uint8_t *p;
	size_t n;
};

static inline unsigned fz_byte(struct fz *f)
{
	if (!f->n)
		return 0;
	f->n--;
	return *f->p++;
}

static inline unsigned fz_u16(struct fz *f)
{
	unsigned lo = fz_byte(f);

	return lo | fz_byte(f) << 8;
}

/* Takes up to n bytes; returns how many were there. */
static inline size_t fz_take(struct fz *f, size_t n, const uint8_t **out)
{
	if (n > f->n)
		n = f->n;
	*out = f->p;
	f->p += n;
	f->n -= n;
	return n;
}

/* A fresh heap copy of exactly n bytes (at least 1 allocated byte so the
 * pointer is never NULL), freed by the caller right after the call that
 * uses it: a library that kept the pointer would be caught. */
static inline unsigned char *fz_dup(const void *p, size_t n)
{
	unsigned char *q = malloc(n ? n : 1);

	if (!q)
		abort();
	if (n)
		memcpy(q, p, n);
	return q;
}

#define FZ_ASSERT(cond)                                                                 \
	do {                                                                            \
		if (!(cond)) {                                                          \
			fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, \
				#cond);                                                 \
			abort();                                                        \
		}                                                                       \
	} while (0)

#endif
