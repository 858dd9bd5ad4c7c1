/* Helpers shared by the tests that drive the compression library through
 * its public API (wd_comp.h): sessions, stream-mode loops in pieces, and
 * zlib itself as the oracle.  Include after test_util.h and <zlib.h>. */
#ifndef WD_TEST_COMP_UTIL_H
#define WD_TEST_COMP_UTIL_H

#include <errno.h>
#include <string.h>
#include <zlib.h>

#include "warpdrive/wd_comp.h"
#include "wd_internal.h"

static const char *const algs[] = { "deflate", "zlib", "gzip" };

/* A session on any device (or software) for `alg`. */
static inline handler_t sess(const char *alg)
{
	wd_dev_mask_t m;

	wd_mask_zero(&m);
	return wd_alg_comp_alloc_sess(alg, m);
}

/* One stream-mode compress call; *sl and *dl are in/out as in
 * wd_comp_arg.  Returns the library's result. */
static inline int strm_call(handler_t h, const void *src, size_t *sl, void *dst, size_t *dl,
			    int flush)
{
	struct wd_comp_arg a = { 0 };

	a.src = (void *)src;
	a.src_len = sl;
	a.dst = dst;
	a.dst_len = dl;
	a.flush = flush;
	return wd_alg_strm_compress(h, &a);
}

/* Compresses `in` through stream mode in pieces of `chunk` input and
 * `outchunk` output room, `mid` flush between pieces and FINISH on the
 * last.  Returns the compressed size, or (size_t)-1 if a call fails or the
 * stream never ends. */
static inline size_t strm_compress(handler_t h, const unsigned char *in, size_t n,
				   unsigned char *out, size_t cap, size_t chunk, size_t outchunk,
				   int mid)
{
	size_t ip = 0, op = 0;
	int status = 0, guard = 0;

	while (status != WD_STATUS_STREAM_END && guard++ < 10000000) {
		size_t sl = WD_MIN(chunk, n - ip), dl = WD_MIN(outchunk, cap - op);
		struct wd_comp_arg a = { 0 };

		a.src = (void *)(in + ip);
		a.src_len = &sl;
		a.dst = out + op;
		a.dst_len = &dl;
		a.flush = ip + sl == n ? WD_FINISH : mid;
		if (wd_alg_strm_compress(h, &a))
			return (size_t)-1;
		ip += sl;
		op += dl;
		status = a.status;
	}
	return status == WD_STATUS_STREAM_END ? op : (size_t)-1;
}

/* Decompresses in pieces; returns the decoded size, a negative errno from
 * the library, -EPIPE when the input ends before the stream, -ELOOP when
 * no progress is made. */
static inline long strm_decompress(handler_t h, const unsigned char *in, size_t n,
				   unsigned char *out, size_t cap, size_t chunk, size_t outchunk)
{
	size_t ip = 0, op = 0;
	int guard = 0;

	while (guard++ < 10000000) {
		size_t sl = WD_MIN(chunk, n - ip), dl = WD_MIN(outchunk, cap - op);
		struct wd_comp_arg a = { 0 };
		int ret;

		a.src = (void *)(in + ip);
		a.src_len = &sl;
		a.dst = out + op;
		a.dst_len = &dl;
		ret = wd_alg_strm_decompress(h, &a);
		ip += sl;
		op += dl;
		if (ret)
			return ret;
		if (a.status == WD_STATUS_STREAM_END)
			return (long)op;
		if (!sl && !dl && ip == n)
			return -EPIPE;
	}
	return -ELOOP;
}

static inline int zlib_wbits(const char *alg)
{
	return !strcmp(alg, "deflate") ? -15 : !strcmp(alg, "gzip") ? 31 : 15;
}

/* Decodes with zlib, the independent oracle, up to the stream's end or
 * its error: returns the decoded size; *verdict is 1 (ended), -1 (corrupt)
 * or 0 (cut short), *left the input after the end (may be NULL). */
static inline size_t zlib_inflate_upto(const char *alg, const unsigned char *in, size_t n,
				       unsigned char *out, size_t cap, int *verdict, size_t *left)
{
	z_stream zs = { 0 };
	int ret;

	inflateInit2(&zs, zlib_wbits(alg));
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	ret = inflate(&zs, Z_PARTIAL_FLUSH);
	*verdict = ret == Z_STREAM_END ? 1 : ret == Z_OK || ret == Z_BUF_ERROR ? 0 : -1;
	if (left)
		*left = zs.avail_in;
	inflateEnd(&zs);
	return zs.total_out;
}

/* The whole input must be one stream; returns the decoded size or -1. */
static inline long zlib_inflate(const char *alg, const unsigned char *in, size_t n,
				unsigned char *out, size_t cap)
{
	int verdict;
	size_t left, got = zlib_inflate_upto(alg, in, n, out, cap, &verdict, &left);

	return verdict > 0 && !left ? (long)got : -1;
}

static inline size_t zlib_deflate(const char *alg, int level, const unsigned char *in, size_t n,
				  unsigned char *out, size_t cap)
{
	z_stream zs = { 0 };

	deflateInit2(&zs, level, Z_DEFLATED, zlib_wbits(alg), 8, 0);
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	deflate(&zs, Z_FINISH);
	deflateEnd(&zs);
	return zs.total_out;
}

#endif
