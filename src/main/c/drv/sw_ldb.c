/*
 * libdeflate blocks: a streaming DEFLATE compressor made of libdeflate's
 * whole-buffer one.  libdeflate compresses levels 2-9 two to three times
 * as fast as zlib at the same or a better ratio, but only whole buffers
 * and always as a complete stream.  Here a stream's input is gathered into
 * blocks of up to SW_LDB_BLOCK bytes; each block is compressed on its own,
 * its final-block bit is cleared and an empty stored block (00 00 ff ff)
 * brings it back to a byte boundary, so the blocks join into one stream
 * exactly as pigz's do.  The last block of a FINISH keeps its final bit.
 *
 * No block refers to data of the previous one, so every block boundary is
 * a full flush; the cost is the ratio lost by restarting the history: with
 * 1 MiB blocks level 6 stays within 1.1% of zlib's level 6 on every part
 * of our corpus (docs/performance.md).  The input buffer grows with the
 * stream, so short streams stay small; a long one holds about 2 MiB
 * (input and compressed block), against zlib's 256 KiB.
 *
 * Where the final bit of libdeflate's last block sits is found by walking
 * its output with zlib's inflate(Z_BLOCK), which stops at every block end
 * (the same walk zlib's examples/gzjoin.c does); it costs about a fifth of
 * the compression time.
 */
#include <libdeflate.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../lib/wd_internal.h"
#include "sw_int.h"

/* The fuzz build makes blocks small (see the Makefile) so that block
 * ends happen in short inputs. */
#ifndef SW_LDB_BLOCK
#define SW_LDB_BLOCK (1024 * 1024)
#endif
#define SW_LDB_IBUF_MIN (64 * 1024)
/* The walk's output goes here and is thrown away. */
#define SW_LDB_SCRATCH (256 * 1024)
/* An empty stored block after a byte boundary: header byte, LEN, NLEN. */
#define SW_LDB_MARK 5
/* The empty final block of a stream with nothing left: fixed codes, EOB. */
static const unsigned char empty_final[2] = { 0x03, 0x00 };
static const unsigned char sync_mark[SW_LDB_MARK] = { 0x00, 0x00, 0x00, 0xff, 0xff };

/* Per thread: one compressor per level, and the walk's inflater. */
struct ldb_tls {
	struct libdeflate_compressor *c[10];
	z_stream walk;
	int walk_ok;
	unsigned char *scratch;
};

static pthread_key_t ldb_key;
static pthread_once_t ldb_once = PTHREAD_ONCE_INIT;

static void ldb_tls_free(void *v)
{
	struct ldb_tls *t = v;

	for (size_t i = 0; i < sizeof(t->c) / sizeof(t->c[0]); i++)
		libdeflate_free_compressor(t->c[i]);
	if (t->walk_ok)
		inflateEnd(&t->walk);
	free(t->scratch);
	free(t);
}

static void ldb_make_key(void)
{
	pthread_key_create(&ldb_key, ldb_tls_free);
}

static struct ldb_tls *ldb_tls(int level)
{
	struct ldb_tls *t;

	pthread_once(&ldb_once, ldb_make_key);
	t = pthread_getspecific(ldb_key);
	if (!t) {
		t = calloc(1, sizeof(*t));
		if (!t)
			return NULL;
		if (pthread_setspecific(ldb_key, t)) {
			free(t);
			return NULL;
		}
	}
	if (!t->walk_ok) {
		memset(&t->walk, 0, sizeof(t->walk));
		if (inflateInit2(&t->walk, -15) != Z_OK)
			return NULL;
		t->walk_ok = 1;
	}
	if (!t->scratch && !(t->scratch = malloc(SW_LDB_SCRATCH)))
		return NULL;
	if (!t->c[level] && !(t->c[level] = libdeflate_alloc_compressor(level)))
		return NULL;
	return t;
}

int sw_ldb_deflate_start(struct wd_comp_sess *sess, struct sw_stream *s, int level)
{
	if (level < 2 || level > 9) {
		sess->msg = "stream error";
		return -EINVAL;
	}
	s->engine = SW_LDB;
	s->ldb_level = level;
	s->ilen = 0;
	s->opos = s->olen = 0;
	s->ldb_final = 0;
	s->ldb_flushed = 0;
	return 0;
}

/*
 * Clears the final bit of the deflate stream in p[0..len) and returns how
 * many bits of its last byte are unused (0-7), or -1 if the walk does not
 * end exactly at len on a final block (never for libdeflate's output).
 */
static int unfinal(struct ldb_tls *t, unsigned char *p, size_t len)
{
	z_stream *z = &t->walk;
	size_t hdr = 0; /* the bit where the current block's header starts */

	if (inflateReset(z) != Z_OK)
		return -1;
	z->next_in = p;
	z->avail_in = (uInt)len;
	for (;;) {
		int ret;

		z->next_out = t->scratch;
		z->avail_out = SW_LDB_SCRATCH;
		ret = inflate(z, Z_BLOCK);
		if (ret != Z_OK)
			return -1;
		if (!(z->data_type & 128)) {
			if (!z->avail_in && z->avail_out)
				return -1; /* ran out of input inside a block */
			continue;  /* scratch full: go on */
		}
		/* At a block end: data_type & 7 bits of the last byte read are
		 * unused, and 64 says the block just ended was the last. */
		{
			size_t used = len - z->avail_in;
			int unused = z->data_type & 7;

			if (z->data_type & 64) {
				if (used != len)
					return -1;
				p[hdr / 8] &= (unsigned char)~(1u << (hdr % 8));
				return unused;
			}
			hdr = used * 8 - (size_t)unused;
		}
	}
}

size_t sw_ldb_bound(size_t n)
{
	/* libdeflate's bound over all its compressors, then our marker */
	return libdeflate_deflate_compress_bound(NULL, n) + SW_LDB_MARK + 1;
}

long sw_ldb_compress(int level, const unsigned char *in, size_t n, unsigned char *out, size_t cap,
		     int final)
{
	struct ldb_tls *t;
	size_t m;
	int unused;

	if (level < 2 || level > 9 || cap < sw_ldb_bound(n))
		return -ENOSPC;
	if (!n) {
		memcpy(out, final ? empty_final : sync_mark, final ? 2 : SW_LDB_MARK);
		return final ? 2 : SW_LDB_MARK;
	}
	t = ldb_tls(level);
	if (!t)
		return -ENOMEM;
	m = libdeflate_deflate_compress(t->c[level], in, n, out, cap);
	if (!m)
		return -EIO;
	if (!final) {
		unused = unfinal(t, out, m);
		if (unused < 0)
			return -EIO;
		/* The stored block's 3 header bits (all zero) go into the
		 * unused bits if they fit, else into one more byte. */
		if (unused < 3)
			out[m++] = 0;
		memcpy(out + m, sync_mark + 1, SW_LDB_MARK - 1);
		m += SW_LDB_MARK - 1;
	}
	return (long)m;
}

/* The stream's next block into its output buffer. */
static int compress_block(struct wd_comp_sess *sess, struct sw_stream *s, const unsigned char *in,
			  size_t n, int final)
{
	size_t bound = sw_ldb_bound(n);
	long m;

	if (bound > s->ocap) {
		unsigned char *q = realloc(s->obuf, bound);

		if (!q) {
			sess->msg = "out of memory";
			return -ENOMEM;
		}
		s->obuf = q;
		s->ocap = bound;
	}
	m = sw_ldb_compress(s->ldb_level, in, n, s->obuf, s->ocap, final);
	if (m < 0) {
		sess->msg = m == -ENOMEM ? "out of memory" : "stream error";
		return (int)m;
	}
	s->opos = 0;
	s->olen = (size_t)m;
	return 0;
}

int sw_ldb_deflate(struct wd_comp_sess *sess, struct sw_stream *s, const unsigned char *in, size_t n,
		   unsigned char *out, size_t room, int flush, size_t *consumed, size_t *produced,
		   int *ended)
{
	size_t used = 0, made = 0;
	int ret = 0;

	*ended = 0;
	for (;;) {
		size_t k = WD_MIN(s->olen - s->opos, room - made);

		if (k) {
			memcpy(out + made, s->obuf + s->opos, k);
			s->opos += k;
			made += k;
		}
		if (s->opos < s->olen)
			break; /* no more room */
		s->opos = s->olen = 0;
		if (s->ldb_final) {
			*ended = 1;
			break;
		}
		if (used < n) {
			if (!s->ilen && n - used >= SW_LDB_BLOCK) {
				/* a whole block in the caller's input: no copy */
				k = SW_LDB_BLOCK;
				ret = compress_block(sess, s, in + used, k,
						     flush == WD_FINISH && used + k == n);
				if (ret)
					goto out;
				used += k;
				s->ldb_final = flush == WD_FINISH && used == n;
				s->ldb_flushed = flush != WD_NO_FLUSH && used == n;
				continue;
			}
			k = WD_MIN(n - used, (size_t)SW_LDB_BLOCK - s->ilen);
			if (s->ilen + k > s->icap) {
				size_t cap = WD_MIN(WD_MAX(s->ilen + k, WD_MAX(2 * s->icap,
									(size_t)SW_LDB_IBUF_MIN)),
						    (size_t)SW_LDB_BLOCK);
				unsigned char *q = realloc(s->ibuf, cap);

				if (!q) {
					sess->msg = "out of memory";
					ret = -ENOMEM;
					goto out;
				}
				s->ibuf = q;
				s->icap = cap;
			}
			memcpy(s->ibuf + s->ilen, in + used, k);
			s->ilen += k;
			used += k;
			s->ldb_flushed = 0;
		}
		if (s->ilen == SW_LDB_BLOCK && !(used == n && flush == WD_FINISH)) {
			ret = compress_block(sess, s, s->ibuf, s->ilen, 0);
			if (ret)
				goto out;
			s->ilen = 0;
			s->ldb_flushed = used == n && flush != WD_NO_FLUSH;
			continue;
		}
		if (used < n || flush == WD_NO_FLUSH || (s->ldb_flushed && flush != WD_FINISH))
			break;
		/* all input taken: the flush asked for */
		ret = compress_block(sess, s, s->ibuf, s->ilen, flush == WD_FINISH);
		if (ret)
			goto out;
		s->ilen = 0;
		s->ldb_final = flush == WD_FINISH;
		s->ldb_flushed = flush != WD_FINISH;
	}
out:
	/* on an error too: what was taken and written stays counted */
	*consumed = used;
	*produced = made;
	return ret;
}

int sw_ldb_deflate_idle(const struct sw_stream *s)
{
	return !s->ilen && s->opos == s->olen;
}

void sw_ldb_free(struct sw_stream *s)
{
	free(s->ibuf);
	free(s->obuf);
	s->ibuf = s->obuf = NULL;
	s->ilen = s->icap = s->opos = s->olen = s->ocap = 0;
}
