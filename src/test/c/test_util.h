/* A tiny test harness: CHECK() records a failure and carries on, so one
 * run reports every broken expectation; main returns nonzero if any. */
#ifndef WD_TEST_UTIL_H
#define WD_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_failures;
static int test_checks;

#define CHECK(cond)                                                              \
	do {                                                                     \
		test_checks++;                                                   \
		if (!(cond)) {                                                   \
			test_failures++;                                         \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__,   \
				__LINE__, #cond);                                \
		}                                                                \
	} while (0)

#define CHECK_EQ(a, b)                                                           \
	do {                                                                     \
		long long va_ = (long long)(a), vb_ = (long long)(b);            \
		test_checks++;                                                   \
		if (va_ != vb_) {                                                \
			test_failures++;                                         \
			fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %lld, %s == %lld\n", \
				__FILE__, __LINE__, #a, va_, #b, vb_);           \
		}                                                                \
	} while (0)

#define RUN(fn)                                                                  \
	do {                                                                     \
		int before_ = test_failures;                                     \
		fn();                                                            \
		fprintf(stderr, "  %-48s %s\n", #fn,                             \
			test_failures == before_ ? "ok" : "FAILED");             \
	} while (0)

/* A piece size from x: 0 or 1, up to 40, or up to `most` bytes (half of
 * the time), so calls meet every edge. */
static inline size_t test_some_bytes(unsigned x, size_t most)
{
	switch (x % 4) {
	case 0:
		return (x >> 2) % 2;
	case 1:
		return (x >> 2) % 40;
	default:
		return (x >> 2) % most;
	}
}

static inline int test_report(void)
{
	fprintf(stderr, "%d checks, %d failed\n", test_checks, test_failures);
	return test_failures ? 1 : 0;
}

/* Deterministic pseudo-random bytes (xorshift), with some structure so
 * compression has something to find. */
static inline void test_fill(unsigned char *p, size_t n, unsigned seed)
{
	unsigned x = seed * 2654435761u + 1;
	static const char *words[] = { "warp ", "drive ", "deflate ", "zlib ", "the ",
				       "queue ", "\n", "1234 ", "hisi_zip ", "of " };

	for (size_t i = 0; i < n;) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		if (x % 7 == 0) {
			p[i++] = (unsigned char)x;
		} else {
			const char *w = words[x % 10];
			while (*w && i < n)
				p[i++] = (unsigned char)*w++;
		}
	}
}

#endif
