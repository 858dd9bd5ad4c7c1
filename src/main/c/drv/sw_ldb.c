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
 * a full flush.  A stream that SYNC_FLUSHes a short block (messages,
 * streamed responses) would lose its history at every flush, where zlib
 * keeps it; such a stream is handed to zlib after that flush, primed with
 * the last 32 KiB of its input, and stays there.  For long blocks the cost
 * is only the ratio lost by restarting the history: with
 * 1 MiB blocks level 6 stays within 1.1% of zlib's level 6 on every part
 * of our corpus (docs/performance.md).  Short streams use small buffers;
 * a stream with more than SW_LDB_SMALL bytes in a block holds about 2 MiB
 * (input and compressed block, against zlib's 256 KiB) until it ends, is
 * reset or moves to another engine, when those buffers go back to a small
 * spare pool.
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
/* Buffers up to this (the compressed form: its bound) belong to their
 * stream; larger ones are block sized and lent from the spare pool. */
#define SW_LDB_SMALL WD_MIN(64 * 1024, SW_LDB_BLOCK / 2)
/* A SYNC_FLUSH of a block shorter than this hands the stream to zlib. */
#define SW_LDB_FLUSH_MIN (256 * 1024)
/* The walk's output goes here and is thrown away. */
#define SW_LDB_SCRATCH (256 * 1024)
/* An empty stored block after a byte boundary: header byte, LEN, NLEN. */
#define SW_LDB_MARK 5
/* The empty final block of a stream with nothing left: fixed codes, EOB. */
static const unsigned char empty_final[2] = { 0x03, 0x00 };
static const unsigned char sync_mark[SW_LDB_MARK] = { 0x00, 0x00, 0x00, 0xff, 0xff };

/*
 * A compressor of one level and the walk's inflater (about 1 MiB with the
 * scratch buffer), lent out for one block at a time: there are as many as
 * blocks were ever compressed at once, not one per stream or per thread.
 * Up to SW_LDB_IDLE of each level are kept for the next block.
 */
#define SW_LDB_IDLE 4

struct ldb_work {
	struct ldb_work *next;
	int level;
	struct libdeflate_compressor *c;
	z_stream walk;
	int walk_ok;
	unsigned char *scratch;
};

static struct {
	pthread_mutex_t lock;
	struct ldb_work *idle[10];
	int nidle[10];
} pool = { PTHREAD_MUTEX_INITIALIZER, { 0 }, { 0 } };

static void work_free(struct ldb_work *w)
{
	if (!w)
		return;
	libdeflate_free_compressor(w->c);
	if (w->walk_ok)
		inflateEnd(&w->walk);
	free(w->scratch);
	free(w);
}

static struct ldb_work *work_get(int level)
{
	struct ldb_work *w;

	pthread_mutex_lock(&pool.lock);
	w = pool.idle[level];
	if (w) {
		pool.idle[level] = w->next;
		pool.nidle[level]--;
	}
	pthread_mutex_unlock(&pool.lock);
	if (w)
		return w;
	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->level = level;
	w->c = libdeflate_alloc_compressor(level);
	w->scratch = malloc(SW_LDB_SCRATCH);
	w->walk_ok = inflateInit2(&w->walk, -15) == Z_OK;
	if (!w->c || !w->scratch || !w->walk_ok) {
		work_free(w);
		return NULL;
	}
	return w;
}

static void work_put(struct ldb_work *w)
{
	pthread_mutex_lock(&pool.lock);
	if (pool.nidle[w->level] < SW_LDB_IDLE) {
		w->next = pool.idle[w->level];
		pool.idle[w->level] = w;
		pool.nidle[w->level]++;
		w = NULL;
	}
	pthread_mutex_unlock(&pool.lock);
	work_free(w);
}

/*
 * Block-sized buffers of streams that ended, restarted or left libdeflate
 * wait here for the next long stream (at most SW_LDB_SPARE of them), so
 * that an idle stream holds no block buffers and a busy process does not
 * map and fault in 2 MiB per stream.
 */
#define SW_LDB_SPARE (2 * SW_LDB_IDLE)

static struct {
	pthread_mutex_t lock;
	unsigned char *p[SW_LDB_SPARE];
	size_t cap[SW_LDB_SPARE];
	int n;
} spare = { PTHREAD_MUTEX_INITIALIZER, { 0 }, { 0 }, 0 };

/* A spare buffer of at least want bytes (its size in *cap), or NULL. */
static unsigned char *spare_get(size_t want, size_t *cap)
{
	unsigned char *p = NULL;

	pthread_mutex_lock(&spare.lock);
	for (int i = 0; i < spare.n; i++) {
		if (spare.cap[i] >= want) {
			p = spare.p[i];
			*cap = spare.cap[i];
			spare.n--;
			spare.p[i] = spare.p[spare.n];
			spare.cap[i] = spare.cap[spare.n];
			break;
		}
	}
	pthread_mutex_unlock(&spare.lock);
	return p;
}

/* Lets a stream's buffer go: small ones are freed, block-sized ones kept
 * for another stream while the pool has room. */
static void buf_release(unsigned char *p, size_t cap, size_t small)
{
	if (p && cap > small) {
		pthread_mutex_lock(&spare.lock);
		if (spare.n < SW_LDB_SPARE) {
			spare.p[spare.n] = p;
			spare.cap[spare.n] = cap;
			spare.n++;
			p = NULL;
		}
		pthread_mutex_unlock(&spare.lock);
	}
	free(p);
}

/*
 * Makes *buf hold at least want bytes, keeping its first keep bytes: a
 * buffer of `small` bytes while that is enough, otherwise one of `full`
 * bytes (the most a block needs), from the spare pool when one waits.
 */
static int buf_ensure(unsigned char **buf, size_t *cap, size_t keep, size_t want, size_t small,
		      size_t full)
{
	size_t c = want <= small ? small : WD_MAX(want, full);
	unsigned char *q = NULL;

	if (want <= *cap)
		return 0;
	if (c > small)
		q = spare_get(c, &c);
	if (!q && !(q = malloc(c)))
		return -ENOMEM;
	if (keep)
		memcpy(q, *buf, keep);
	buf_release(*buf, *cap, small);
	*buf = q;
	*cap = c;
	return 0;
}

/* Lets *buf go (see buf_release) and forgets it. */
static void buf_drop(unsigned char **buf, size_t *cap, size_t small)
{
	buf_release(*buf, *cap, small);
	*buf = NULL;
	*cap = 0;
}

void sw_ldb_shed(struct sw_stream *s)
{
	if (s->icap > SW_LDB_SMALL && !s->ilen)
		buf_drop(&s->ibuf, &s->icap, SW_LDB_SMALL);
	if (s->ocap > sw_ldb_bound(SW_LDB_SMALL) && s->opos == s->olen) {
		buf_drop(&s->obuf, &s->ocap, sw_ldb_bound(SW_LDB_SMALL));
		s->opos = s->olen = 0;
	}
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
	s->ldb_to_zlib = 0;
	s->hlen = 0;
	return 0;
}

/* Keeps the last WD_HIST_SIZE bytes of the stream's input in s->hist. */
static int keep_history(struct sw_stream *s, const unsigned char *in, size_t n)
{
	size_t keep;

	if (!n)
		return 0;
	if (!s->hist && !(s->hist = malloc(WD_HIST_SIZE)))
		return -ENOMEM;
	if (n >= WD_HIST_SIZE) {
		memcpy(s->hist, in + n - WD_HIST_SIZE, WD_HIST_SIZE);
		s->hlen = WD_HIST_SIZE;
		return 0;
	}
	keep = WD_MIN(s->hlen, (size_t)WD_HIST_SIZE - n);
	memmove(s->hist, s->hist + s->hlen - keep, keep);
	memcpy(s->hist + keep, in, n);
	s->hlen = keep + n;
	return 0;
}

/*
 * Clears the final bit of the deflate stream in p[0..len) and returns how
 * many bits of its last byte are unused (0-7), or -1 if the walk does not
 * end exactly at len on a final block (never for libdeflate's output).
 */
static int unfinal(struct ldb_work *t, unsigned char *p, size_t len)
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
	struct ldb_work *t;
	size_t m;
	int unused = 0;

	if (level < 2 || level > 9 || cap < sw_ldb_bound(n))
		return -ENOSPC;
	if (!n) {
		memcpy(out, final ? empty_final : sync_mark, final ? 2 : SW_LDB_MARK);
		return final ? 2 : SW_LDB_MARK;
	}
	t = work_get(level);
	if (!t)
		return -ENOMEM;
	m = libdeflate_deflate_compress(t->c, in, n, out, cap);
	if (m && !final)
		unused = unfinal(t, out, m);
	work_put(t);
	if (!m)
		return -EIO;
	if (!final) {
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

	if (buf_ensure(&s->obuf, &s->ocap, 0, bound, sw_ldb_bound(SW_LDB_SMALL),
		       sw_ldb_bound(SW_LDB_BLOCK))) {
		sess->msg = "out of memory";
		return -ENOMEM;
	}
	m = sw_ldb_compress(s->ldb_level, in, n, s->obuf, s->ocap, final);
	if (m >= 0 && !final && keep_history(s, in, n))
		m = -ENOMEM;
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
			sw_ldb_shed(s);
			break;
		}
		if (s->ldb_to_zlib)
			break; /* the rest goes to zlib (sw_comp.c) */
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
			if (buf_ensure(&s->ibuf, &s->icap, s->ilen, s->ilen + k, SW_LDB_SMALL,
				       SW_LDB_BLOCK)) {
				sess->msg = "out of memory";
				ret = -ENOMEM;
				goto out;
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
		s->ldb_to_zlib = flush != WD_FINISH && flush != WD_FULL_FLUSH &&
				 s->ilen < SW_LDB_FLUSH_MIN;
		s->ilen = 0;
		s->ldb_final = flush == WD_FINISH;
		s->ldb_flushed = flush != WD_FINISH;
	}
out:
	/* a FULL_FLUSH drops the history a later hand-over to zlib would use */
	if (!ret && flush == WD_FULL_FLUSH && used == n && !s->ilen)
		s->hlen = 0;
	/* on an error too: what was taken and written stays counted */
	*consumed = used;
	*produced = made;
	return ret;
}

int sw_ldb_deflate_idle(const struct sw_stream *s)
{
	return !s->ilen && s->opos == s->olen;
}

int sw_ldb_wants_zlib(const struct sw_stream *s)
{
	return s->engine == SW_LDB && s->ldb_to_zlib && sw_ldb_deflate_idle(s);
}

void sw_ldb_free(struct sw_stream *s)
{
	buf_drop(&s->ibuf, &s->icap, SW_LDB_SMALL);
	buf_drop(&s->obuf, &s->ocap, sw_ldb_bound(SW_LDB_SMALL));
	free(s->hist);
	s->hist = NULL;
	s->hlen = 0;
	s->ilen = s->icap = s->opos = s->olen = s->ocap = 0;
}
