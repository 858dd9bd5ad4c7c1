/*
 * The emulated ZIP engine: one SQE in, results written into it, with
 * zlib doing the (de)compression.
 *
 * The model keeps a stream where the hardware keeps it, in the session's
 * context buffer at stream_ctx_addr:
 *   compression    the last 32 KiB of input.  Every stateful request ends
 *                  byte aligned (SYNC_FLUSH) or final, so a fresh deflate
 *                  primed with that history continues the same raw stream;
 *                  no engine state outlives a request.
 *   decompression  a block can span requests, and zlib's inflate state
 *                  cannot be written out; the context holds a handle to a
 *                  model-side inflate state instead (a bounded table per
 *                  device; the least recently used is evicted, and a stream
 *                  that comes back after that fails with EMU_STATUS_CTX_LOST).
 * Requests are checked as strictly as the hardware would: type, buffer
 * type, window, lengths, alignment and every address (a fault is an error
 * status, never a crash).
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../drv/hisi_qm.h"
#include "../lib/wd_internal.h"
#include "emu_internal.h"

/* The model's layout of the engine's context area (stream_ctx_addr). */
#define EMU_CTX_MAGIC 0x315a4345u /* "ECZ1" */
#define EMU_CTX_HDR 64u
#define EMU_CTX_USED (EMU_CTX_HDR + WD_HIST_SIZE)
_Static_assert(EMU_CTX_USED <= HZ_CTX_SIZE - HZ_CTX_HW_OFF, "context area too small");

/* Decompression streams kept per device. */
#define EMU_STREAMS 256u
#define EMU_STREAM_BITS 8
/* Compression effort.  Real engines trade ratio for speed (Kunpeng's is
 * reported near or below zlib level 1); the model stays within a few
 * percent of zlib's default, which the Java suite's ratio checks expect,
 * at about half of level 1's speed. */
#define EMU_LEVEL 5
#define EMU_MEM_LEVEL 8
#define EMU_WINDOWS 5

struct emu_ctx_hdr {
	uint32_t magic;
	uint32_t hist_len;
	uint64_t stream_id;
	unsigned char pad[EMU_CTX_HDR - 16];
};

struct emu_stream {
	uint64_t id; /* 0: free */
	uint64_t used_at;
	z_stream zs;
	int zs_ok;
};

struct emu_zip {
	z_stream def[EMU_WINDOWS];
	int def_ok[EMU_WINDOWS];
	z_stream inf; /* stateless decompression */
	int inf_ok;
	struct emu_stream streams[EMU_STREAMS];
	uint64_t next_id, clock;
	unsigned char *in, *out;
	size_t in_cap, out_cap;
	unsigned char hist[WD_HIST_SIZE];
};

/* One decoded request. */
struct emu_req {
	int dir;
	int finish, stateful, fresh;
	unsigned window;
	uint32_t in, out;
	uint64_t src, dst, ctx;
	struct emu_ctx_hdr hdr;
	/* results */
	uint32_t consumed, produced, status;
};

struct emu_zip *emu_zip_new(void)
{
	return calloc(1, sizeof(struct emu_zip));
}

static int grow(unsigned char **buf, size_t *cap, size_t need)
{
	unsigned char *p;

	if (need <= *cap)
		return 0;
	p = realloc(*buf, need);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = need;
	return 0;
}

static uint64_t addr_of(const struct hz_sqe *s, int lo)
{
	return (uint64_t)hz_get(s, lo) | (uint64_t)hz_get(s, lo + 1) << 32;
}

/* ---- checking ------------------------------------------------------------------- */

static int decode(const struct emu_dev *d, const struct emu_queue *q, const struct hz_sqe *s,
		  struct emu_req *r)
{
	uint32_t mode = hz_get(s, HZ_DW_MODE), type = hz_get(s, HZ_DW_TYPE);
	unsigned sqe_type = (mode >> HZ_MODE_SQE_TYPE_SHIFT) & HZ_MODE_SQE_TYPE_MASK;
	int v2 = d->inst->spec.v2;

	memset(r, 0, sizeof(*r));
	r->dir = q->qc_type;
	r->finish = !!(mode & HZ_MODE_FLUSH_FINISH);
	r->stateful = !!(mode & HZ_MODE_STATEFUL);
	r->fresh = !!(mode & HZ_MODE_NEW_STREAM);
	r->window = (type >> HZ_TYPE_WIN_SHIFT) & HZ_TYPE_WIN_MASK;
	r->in = hz_get(s, HZ_DW_IN_LEN);
	r->out = hz_get(s, HZ_DW_DEST_AVAIL);
	r->src = addr_of(s, HZ_DW_SRC_LO);
	r->dst = addr_of(s, HZ_DW_DST_LO);
	r->ctx = addr_of(s, HZ_DW_CTX_LO);
	if (sqe_type != (v2 ? HZ_SQE_TYPE_V2 : HZ_SQE_TYPE_V3))
		return -1;
	/* Raw deflate exists from v3 on; zlib/gzip request types are not
	 * modelled (the driver never sends them). */
	if ((type & HZ_TYPE_REQ_MASK) != HZ_REQ_DEFLATE || v2)
		return -1;
	if (((type >> HZ_TYPE_BUF_SHIFT) & HZ_TYPE_BUF_MASK) != HZ_BUF_FLAT)
		return -1;
	if (r->window > HZ_WIN_32K)
		return -1;
	if (r->in > HZ_MAX_SIZE || r->out > HZ_MAX_SIZE || !r->out)
		return -1;
	if (r->dir == HISI_QM_QC_COMPRESS && !r->in)
		return -1; /* no empty compression request */
	if (r->stateful && (!r->ctx || r->ctx % HZ_CTX_ALIGN))
		return -1;
	return 0;
}

/* ---- compression ------------------------------------------------------------------ */

/* Window code -> zlib window bits; 24K has no power of two, 16K stays inside it. */
static int window_bits(unsigned code)
{
	static const int bits[EMU_WINDOWS] = { 12, 13, 14, 14, 15 };

	return bits[code];
}

static z_stream *deflater(struct emu_zip *z, unsigned code)
{
	if (!z->def_ok[code]) {
		if (deflateInit2(&z->def[code], EMU_LEVEL, Z_DEFLATED, -window_bits(code),
				 EMU_MEM_LEVEL, Z_DEFAULT_STRATEGY) != Z_OK)
			return NULL;
		z->def_ok[code] = 1;
	}
	return &z->def[code];
}

/* Compresses n bytes after the history; -1 if the output does not fit
 * (or zlib failed), else the compressed size. */
static long deflate_piece(struct emu_zip *z, const struct emu_req *r, uint32_t hist_len,
			  uint32_t n, int flush)
{
	z_stream *zs = deflater(z, r->window);
	int ret;

	if (!zs || deflateReset(zs) != Z_OK)
		return -1;
	if (hist_len && deflateSetDictionary(zs, z->hist, hist_len) != Z_OK)
		return -1;
	zs->next_in = z->in;
	zs->avail_in = n;
	zs->next_out = z->out;
	zs->avail_out = r->out;
	ret = deflate(zs, flush);
	/* SYNC_FLUSH is complete only when room is left over (zlib's rule). */
	if (zs->avail_in || (flush == Z_FINISH ? ret != Z_STREAM_END : zs->avail_out == 0))
		return -1;
	return (long)(r->out - zs->avail_out);
}

static void hist_update(struct emu_zip *z, uint32_t *hist_len, uint32_t n)
{
	uint32_t keep;

	if (n >= WD_HIST_SIZE) {
		memcpy(z->hist, z->in + n - WD_HIST_SIZE, WD_HIST_SIZE);
		*hist_len = WD_HIST_SIZE;
		return;
	}
	keep = WD_MIN(*hist_len, WD_HIST_SIZE - n);
	memmove(z->hist, z->hist + *hist_len - keep, keep);
	memcpy(z->hist + keep, z->in, n);
	*hist_len = keep + n;
}

static int load_history(const struct emu_queue *q, struct emu_zip *z, struct emu_req *r)
{
	if (emu_dma_read(q, r->ctx, &r->hdr, sizeof(r->hdr)))
		return -1;
	if (r->fresh) {
		memset(&r->hdr, 0, sizeof(r->hdr));
		r->hdr.magic = htole32(EMU_CTX_MAGIC);
		return 0;
	}
	if (le32toh(r->hdr.magic) != EMU_CTX_MAGIC || le32toh(r->hdr.hist_len) > WD_HIST_SIZE)
		return -1;
	return emu_dma_read(q, r->ctx + EMU_CTX_HDR, z->hist, le32toh(r->hdr.hist_len));
}

static void run_compress(const struct emu_queue *q, struct emu_zip *z, struct emu_req *r)
{
	uint32_t hist_len = 0, n = r->in;
	int flush = r->finish ? Z_FINISH : Z_SYNC_FLUSH;
	long made;

	r->status = EMU_STATUS_BAD_REQUEST;
	if (r->stateful && load_history(q, z, r))
		return;
	hist_len = le32toh(r->hdr.hist_len);
	if (grow(&z->in, &z->in_cap, r->in) || grow(&z->out, &z->out_cap, r->out) ||
	    emu_dma_read(q, r->src, z->in, r->in))
		return;
	/* Output full: take less input (ending byte aligned, not final) until it fits. */
	while ((made = deflate_piece(z, r, hist_len, n, flush)) < 0) {
		if (n <= 1) {
			r->status = HZ_STATUS_DST_FULL;
			return;
		}
		n /= 2;
		flush = Z_SYNC_FLUSH;
	}
	if (emu_dma_write(q, r->dst, z->out, (size_t)made))
		return;
	if (r->stateful) {
		hist_update(z, &hist_len, n);
		r->hdr.hist_len = htole32(hist_len);
		if (emu_dma_write(q, r->ctx + EMU_CTX_HDR, z->hist, hist_len) ||
		    emu_dma_write(q, r->ctx, &r->hdr, sizeof(r->hdr)))
			return;
	}
	r->consumed = n;
	r->produced = (uint32_t)made;
	r->status = n < r->in ? HZ_STATUS_DST_FULL :
		    made > (long)n ? HZ_STATUS_NEGACOMPRESS : HZ_STATUS_OK;
}

/* ---- decompression ------------------------------------------------------------------ */

static struct emu_stream *stream_find(struct emu_zip *z, uint64_t id)
{
	struct emu_stream *st = &z->streams[id & (EMU_STREAMS - 1)];

	return id && st->id == id ? st : NULL;
}

/* A slot for a new stream: a free one, else the least recently used. */
static struct emu_stream *stream_new(struct emu_zip *z)
{
	struct emu_stream *st = &z->streams[0];

	for (uint32_t i = 0; i < EMU_STREAMS; i++) {
		if (!z->streams[i].id) {
			st = &z->streams[i];
			break;
		}
		if (z->streams[i].used_at < st->used_at)
			st = &z->streams[i];
	}
	if (!st->zs_ok) {
		if (inflateInit2(&st->zs, -MAX_WBITS) != Z_OK)
			return NULL;
		st->zs_ok = 1;
	} else if (inflateReset(&st->zs) != Z_OK) {
		return NULL;
	}
	st->id = (++z->next_id << EMU_STREAM_BITS) | (uint64_t)(st - z->streams);
	return st;
}

/* The inflate state of this request; NULL with r->status set if none. */
static z_stream *inflater(const struct emu_queue *q, struct emu_zip *z, struct emu_req *r,
			  struct emu_stream **stp)
{
	struct emu_stream *st;

	*stp = NULL;
	if (!r->stateful) {
		if (!z->inf_ok && inflateInit2(&z->inf, -MAX_WBITS) == Z_OK)
			z->inf_ok = 1;
		if (!z->inf_ok || inflateReset(&z->inf) != Z_OK)
			return NULL;
		return &z->inf;
	}
	if (emu_dma_read(q, r->ctx, &r->hdr, sizeof(r->hdr)))
		return NULL;
	if (r->fresh) {
		st = le32toh(r->hdr.magic) == EMU_CTX_MAGIC ?
		     stream_find(z, le64toh(r->hdr.stream_id)) : NULL;
		if (st)
			st->id = 0; /* a restarted stream gets a new identity */
		st = stream_new(z);
	} else {
		st = le32toh(r->hdr.magic) == EMU_CTX_MAGIC ?
		     stream_find(z, le64toh(r->hdr.stream_id)) : NULL;
		if (!st)
			r->status = EMU_STATUS_CTX_LOST;
	}
	if (!st)
		return NULL;
	st->used_at = ++z->clock;
	*stp = st;
	return &st->zs;
}

static int save_stream(const struct emu_queue *q, struct emu_req *r, struct emu_stream *st)
{
	memset(&r->hdr, 0, sizeof(r->hdr));
	r->hdr.magic = htole32(EMU_CTX_MAGIC);
	r->hdr.stream_id = htole64(st ? st->id : 0);
	return emu_dma_write(q, r->ctx, &r->hdr, sizeof(r->hdr));
}

static uint32_t inflate_status(int ret, const z_stream *zs, struct emu_stream **st)
{
	switch (ret) {
	case Z_STREAM_END:
		if (*st)
			(*st)->id = 0; /* done: the slot is free again */
		*st = NULL;
		return HZ_STATUS_DECOMP_END | HZ_LSTBLK;
	case Z_OK:
	case Z_BUF_ERROR:
		return zs->avail_out ? HZ_STATUS_OK : HZ_STATUS_DST_FULL;
	case Z_DATA_ERROR:
		if (*st)
			(*st)->id = 0;
		*st = NULL;
		return HZ_STATUS_DECODE_ERR;
	default:
		return EMU_STATUS_BAD_REQUEST;
	}
}

static void run_decompress(const struct emu_queue *q, struct emu_zip *z, struct emu_req *r)
{
	struct emu_stream *st;
	z_stream *zs;
	uint32_t status;

	r->status = EMU_STATUS_BAD_REQUEST;
	if (grow(&z->in, &z->in_cap, WD_MAX(r->in, 1u)) || grow(&z->out, &z->out_cap, r->out) ||
	    emu_dma_read(q, r->src, z->in, r->in))
		return;
	zs = inflater(q, z, r, &st);
	if (!zs)
		return;
	zs->next_in = z->in;
	zs->avail_in = r->in;
	zs->next_out = z->out;
	zs->avail_out = r->out;
	status = inflate_status(inflate(zs, Z_SYNC_FLUSH), zs, &st);
	r->consumed = r->in - zs->avail_in;
	r->produced = r->out - zs->avail_out;
	if (emu_dma_write(q, r->dst, z->out, r->produced) ||
	    (r->stateful && save_stream(q, r, st))) {
		if (st)
			st->id = 0;
		r->consumed = r->produced = 0;
		return;
	}
	r->status = status;
}

/* ---- the request ------------------------------------------------------------------------ */

void emu_zip_run(struct emu_dev *d, struct emu_queue *q, struct hz_sqe *s)
{
	struct emu_req r;
	uint32_t w3;

	if (!d->zip)
		d->zip = emu_zip_new();
	if (!d->zip || decode(d, q, s, &r)) {
		r.consumed = r.produced = 0;
		r.status = EMU_STATUS_BAD_REQUEST;
	} else if (r.dir == HISI_QM_QC_COMPRESS) {
		run_compress(q, d->zip, &r);
	} else {
		run_decompress(q, d->zip, &r);
	}
	if (r.status != HZ_STATUS_OK && r.status != HZ_STATUS_NEGACOMPRESS &&
	    r.status != HZ_STATUS_DST_FULL && (r.status & HZ_STATUS_MASK) != HZ_STATUS_DECOMP_END)
		r.consumed = r.produced = 0;
	w3 = hz_get(s, HZ_DW_STATUS) & ~(HZ_STATUS_MASK | HZ_LSTBLK);
	hz_set(s, HZ_DW_CONSUMED, r.consumed);
	hz_set(s, HZ_DW_PRODUCED, r.produced);
	hz_set(s, HZ_DW_COMP_LEN, r.produced);
	hz_set(s, HZ_DW_STATUS, w3 | r.status);
	/* ctx_dw0: no block left half-done inside the engine (ctx_st 0). */
	hz_set(s, HZ_DW_CTX0, hz_get(s, HZ_DW_CTX0) & ~HZ_CTX_ST_MASK);
}
