/*
 * The HiSilicon ZIP driver: raw DEFLATE on the ZIP engine of Kunpeng
 * servers, over the QM queues of hisi_qm.c.
 *
 * A stream's state lives in the session (a 64 KiB context buffer the
 * engine reads and writes, plus the context words of the last request),
 * never in a queue: queues are scarce and pooled process-wide, and a
 * session borrows one per request (or per batch of async requests).
 *
 * Only raw deflate (req_type 0x01, QM v3) is used: the library writes the
 * zlib/gzip framing and keeps the check values, so every session's
 * device stream is raw.  Kunpeng 920 (hisi_qm_v2) offers only zlib and
 * gzip, so init() refuses devices whose `algorithms` lack "deflate" and
 * the library serves those sessions in software.  Block mode is raw
 * deflate only as well: zlib/gzip pieces return -ENOTSUP.
 *
 * NOSVA devices cannot reach process memory: each queue has a reserved
 * region holding a context area and bounce slots, and the session's
 * context is copied in and out around each request.
 */
#include <stdlib.h>
#include <string.h>

#include "warpdrive/wd_accel.h"
#include "warpdrive/wd_alg_comp.h"
#include "../lib/wd_internal.h"
#include "hisi_qm.h"
#include "hisi_zip.h"
#include "hisi_zip_drv.h"

static uint64_t ctx_gen;

static uint64_t next_gen(void)
{
	return __atomic_add_fetch(&ctx_gen, 1, __ATOMIC_RELAXED);
}

/* [comp: min_out_buf_size, max_in_data_size] */
static size_t min_out(size_t in)
{
	return (in * 9 + 7) >> 3;
}

static size_t max_in(size_t out)
{
	return ((out << 3) / 9) & ~(size_t)3;
}

/* ---- the context buffer ---------------------------------------------------- */

static int dir_ready(struct hz_dir *d)
{
	if (d->ctx)
		return 0;
	d->ctx = aligned_alloc(HZ_CTX_ALIGN, HZ_CTX_SIZE);
	if (!d->ctx)
		return -ENOMEM;
	memset(d->ctx, 0, HZ_CTX_SIZE);
	d->gen = next_gen();
	return 0;
}

static void dir_reset(struct hz_dir *d)
{
	if (d->ctx)
		memset(d->ctx, 0, HZ_CTX_SIZE);
	d->gen = next_gen();
	d->fresh = 1;
	d->done = 0;
	d->isize = 0;
	d->checksum = 0;
}

static uint32_t ctx_word(const struct hz_dir *d, size_t off)
{
	uint32_t v;

	memcpy(&v, d->ctx + off, sizeof(v));
	return le32toh(v);
}

static void set_ctx_word(struct hz_dir *d, size_t off, uint32_t v)
{
	v = htole32(v);
	memcpy(d->ctx + off, &v, sizeof(v));
}

/* NOSVA: the queue's context area must hold this session's context. */
static void ctx_in(struct hisi_qm_queue *q, struct hz_dir *d)
{
	if (!q->nosva || (q->owner == d && q->owner_gen == d->gen))
		return;
	memcpy(q->rsv, d->ctx, HZ_CTX_SIZE);
	q->owner = d;
	q->owner_gen = d->gen;
}

static void ctx_out(struct hisi_qm_queue *q, struct hz_dir *d)
{
	if (!q->nosva || q->owner != d)
		return;
	memcpy(d->ctx, q->rsv, HZ_CTX_SIZE);
	d->gen = next_gen();
	q->owner_gen = d->gen;
}

/* ---- requests ------------------------------------------------------------ */

unsigned char *hz_bounce_src(struct hisi_qm_queue *q, int slot)
{
	return q->rsv + HZ_CTX_SIZE + (size_t)slot * HZ_NOSVA_SLOT;
}

unsigned char *hz_bounce_dst(struct hisi_qm_queue *q, int slot)
{
	return hz_bounce_src(q, slot) + HZ_NOSVA_SRC;
}

uint64_t hz_dev_addr(struct hisi_qm_queue *q, const void *va)
{
	if (!q->nosva)
		return (uint64_t)(uintptr_t)va;
	return (uint64_t)(uintptr_t)wd_get_dma_from_va(q->ctx, (void *)va);
}

static void put_addr(struct hz_sqe *s, int lo, uint64_t a)
{
	hz_set(s, lo, (uint32_t)a);
	hz_set(s, lo + 1, (uint32_t)(a >> 32));
}

/* Clamps one SQE to what the engine and the bounce slots take. */
static void clamp_piece(const struct hisi_qm_queue *q, size_t *in, size_t *out)
{
	*in = WD_MIN(*in, q->nosva ? (size_t)HZ_NOSVA_SRC : (size_t)HZ_MAX_SIZE);
	*out = WD_MIN(*out, q->nosva ? (size_t)HZ_NOSVA_DST : (size_t)HZ_MAX_SIZE);
}

void hz_fill_sqe(const struct hz_sess *hs, struct hz_sqe *s, const struct hz_job *j,
		     uint64_t src, uint64_t dst, uint64_t ctx)
{
	uint32_t mode = hs->sqe_type << HZ_MODE_SQE_TYPE_SHIFT;

	memset(s, 0, sizeof(*s));
	if (j->finish)
		mode |= HZ_MODE_FLUSH_FINISH;
	if (j->stateful) {
		mode |= HZ_MODE_STATEFUL;
		if (j->d->fresh)
			mode |= HZ_MODE_NEW_STREAM;
		hz_set(s, HZ_DW_CTX0, ctx_word(j->d, HZ_CTX_DW0_OFF));
		hz_set(s, HZ_DW_CTX1, ctx_word(j->d, HZ_CTX_DW1_OFF));
		hz_set(s, HZ_DW_CTX2, ctx_word(j->d, HZ_CTX_DW2_OFF));
		hz_set(s, HZ_DW_ISIZE, j->d->isize);
		hz_set(s, HZ_DW_CHECKSUM, j->d->checksum);
		put_addr(s, HZ_DW_CTX_LO, ctx);
	} else {
		mode |= HZ_MODE_NEW_STREAM;
	}
	hz_set(s, HZ_DW_MODE, mode);
	hz_set(s, HZ_DW_TYPE, HZ_REQ_DEFLATE | HZ_BUF_FLAT << HZ_TYPE_BUF_SHIFT |
			      HZ_WIN_32K << HZ_TYPE_WIN_SHIFT);
	hz_set(s, HZ_DW_IN_LEN, j->in);
	hz_set(s, HZ_DW_DEST_AVAIL, j->out);
	put_addr(s, HZ_DW_SRC_LO, src);
	put_addr(s, HZ_DW_DST_LO, dst);
	hz_set(s, hs->tag_dw, j->tag);
}

/* Reads a completed SQE.  0 for the success statuses, -EBADMSG for
 * corrupt input, -EIO for an engine error or an impossible answer. */
int hz_parse_sqe(const struct hz_sess *hs, const struct hz_sqe *s, const struct hz_job *j,
		     struct hz_result *r, const char **msg)
{
	uint32_t w3 = hz_get(s, HZ_DW_STATUS);

	r->consumed = hz_get(s, HZ_DW_CONSUMED);
	r->produced = hz_get(s, HZ_DW_PRODUCED);
	r->status = w3 & HZ_STATUS_MASK;
	r->end = 0;
	if (hz_get(s, hs->tag_dw) != j->tag || r->consumed > j->in || r->produced > j->out) {
		*msg = "engine answered with a foreign or impossible completion";
		return -EIO;
	}
	switch (r->status) {
	case HZ_STATUS_OK:
	case HZ_STATUS_NEGACOMPRESS:
	case HZ_STATUS_DST_FULL:
		return 0;
	case HZ_STATUS_DECOMP_END:
		r->end = j->dir == WD_DIR_DECOMPRESS && (w3 & HZ_LSTBLK);
		return 0;
	case HZ_STATUS_CRC_ERR:
	case HZ_STATUS_DECODE_ERR:
		if (j->dir == WD_DIR_DECOMPRESS) {
			*msg = "invalid compressed data (device)";
			return -EBADMSG;
		}
		/* fall through */
	default:
		*msg = "engine reported an error status";
		return -EIO;
	}
}

static void save_ctx(struct hz_dir *d, const struct hz_sqe *s)
{
	set_ctx_word(d, HZ_CTX_DW0_OFF, hz_get(s, HZ_DW_CTX0));
	set_ctx_word(d, HZ_CTX_DW1_OFF, hz_get(s, HZ_DW_CTX1));
	set_ctx_word(d, HZ_CTX_DW2_OFF, hz_get(s, HZ_DW_CTX2));
	d->isize = hz_get(s, HZ_DW_ISIZE);
	d->checksum = hz_get(s, HZ_DW_CHECKSUM);
	d->fresh = 0;
}

const char *hz_queue_msg(int err)
{
	switch (err) {
	case -ETIMEDOUT:
		return "device did not complete the request in time";
	case -ENODEV:
		return "device stopped or removed";
	case -EBUSY:
		return "no free device queue";
	default:
		return "device queue failed";
	}
}

/* Runs one SQE synchronously on q (bounce slot 0 under NOSVA). *broken
 * is set when the queue itself failed and must not be reused. */
static int run_sqe(struct wd_comp_sess *sess, struct hisi_qm_queue *q, struct hz_job *j,
		   const unsigned char *src, unsigned char *dst, struct hz_result *r, int *broken)
{
	struct hz_sess *hs = sess->priv;
	const unsigned char *s_src = src;
	unsigned char *s_dst = dst, *ctx = NULL;
	struct hz_sqe s;
	int ret;

	if (q->nosva) {
		s_src = hz_bounce_src(q, 0);
		s_dst = hz_bounce_dst(q, 0);
		if (j->in)
			memcpy((void *)s_src, src, j->in);
	}
	if (j->stateful)
		ctx = (q->nosva ? q->rsv : j->d->ctx) + HZ_CTX_HW_OFF;
	j->tag = ++hs->tag;
	hz_fill_sqe(hs, &s, j, hz_dev_addr(q, s_src), hz_dev_addr(q, s_dst), ctx ? hz_dev_addr(q, ctx) : 0);
	ret = hisi_qm_send(q, &s, NULL, 0, NULL);
	if (!ret)
		ret = hisi_qm_wait(q, &s, NULL, hisi_qm_timeout_ms());
	if (ret) {
		*broken = 1;
		sess->msg = hz_queue_msg(ret);
		return ret;
	}
	ret = hz_parse_sqe(hs, &s, j, r, &sess->msg);
	if (ret)
		return ret;
	if (q->nosva && r->produced)
		memcpy(dst, s_dst, r->produced);
	if (j->stateful)
		save_ctx(j->d, &s);
	return 0;
}

/* ---- stream mode ----------------------------------------------------------- */

static int strm_compress(struct wd_comp_sess *sess, struct hisi_qm_queue *q,
			 struct wd_comp_req *req, struct hz_dir *d, int *broken)
{
	int finish = req->flush == WD_FINISH;

	while (req->consumed < req->src_len) {
		size_t in = req->src_len - req->consumed, out = req->dst_len - req->produced;
		struct hz_job j = { WD_DIR_COMPRESS, 0, 0, 0, 1, 0, d };
		struct hz_result r;
		int ret;

		clamp_piece(q, &in, &out);
		if (min_out(in) > out)
			in = max_in(out); /* the engine wants 1.125x output room */
		if (out < HZ_MIN_OUT || !in) {
			sess->msg = "output space exhausted before the input";
			return -EIO;
		}
		j.in = (uint32_t)in;
		j.out = (uint32_t)out;
		j.finish = finish && req->consumed + in == req->src_len;
		ret = run_sqe(sess, q, &j, req->src + req->consumed, req->dst + req->produced, &r,
			      broken);
		if (ret)
			return ret;
		if ((!r.consumed && !r.produced) ||
		    (j.finish && r.consumed == j.in && r.status == HZ_STATUS_DST_FULL)) {
			/* no progress, or a final block left inside the engine */
			sess->msg = "engine made no progress";
			return -EIO;
		}
		req->consumed += r.consumed;
		req->produced += r.produced;
	}
	req->status = WD_STATUS_OK;
	if (finish) {
		d->done = 1;
		req->status = WD_STATUS_STREAM_END;
	}
	return 0;
}

static int strm_decompress(struct wd_comp_sess *sess, struct hisi_qm_queue *q,
			   struct wd_comp_req *req, struct hz_dir *d, int *broken)
{
	/* An empty request still runs once: it drains output the engine holds. */
	int first = 1;

	req->status = WD_STATUS_OK;
	for (;;) {
		size_t in = req->src_len - req->consumed, out = req->dst_len - req->produced;
		struct hz_job j = { WD_DIR_DECOMPRESS, 0, 0, 0, 1, 0, d };
		struct hz_result r;
		int ret;

		if (!out || (!in && !first))
			break;
		clamp_piece(q, &in, &out);
		j.in = (uint32_t)in;
		j.out = (uint32_t)out;
		ret = run_sqe(sess, q, &j, req->src + req->consumed, req->dst + req->produced, &r,
			      broken);
		if (ret)
			return ret;
		first = 0;
		req->consumed += r.consumed;
		req->produced += r.produced;
		if (r.end) {
			d->done = 1;
			req->status = WD_STATUS_STREAM_END;
			break;
		}
		if (!r.consumed && !r.produced)
			break; /* the engine wants more input than there is */
	}
	return 0;
}

static int do_stream(struct wd_comp_sess *sess, struct wd_comp_req *req)
{
	struct hz_sess *hs = sess->priv;
	struct hz_dir *d = &hs->d[req->dir];
	struct hisi_qm_queue *q;
	int ret, broken = 0;

	if (req->dir == WD_DIR_COMPRESS && !req->src_len) {
		sess->msg = "the engine takes no empty compression request";
		return -ENOTSUP;
	}
	ret = dir_ready(d);
	if (ret)
		return ret;
	if (d->done)
		dir_reset(d); /* a new stream follows a finished one */
	ret = hisi_qm_borrow(hs->node, req->dir, HZ_NOSVA_RSV, HISI_QM_POOL_WAIT_MS, &q);
	if (ret) {
		sess->msg = hz_queue_msg(ret);
		return ret;
	}
	ctx_in(q, d);
	if (req->dir == WD_DIR_COMPRESS)
		ret = strm_compress(sess, q, req, d, &broken);
	else
		ret = strm_decompress(sess, q, req, d, &broken);
	ctx_out(q, d);
	hisi_qm_giveback(q, broken);
	if (ret)
		dir_reset(d); /* the library moves the stream on; ours starts over */
	return ret;
}

/* ---- block mode ------------------------------------------------------------- */

/* Checks a block request against one SQE on q; fills the job. */
int hz_block_job(struct wd_comp_sess *sess, const struct hisi_qm_queue *q,
		     const struct wd_comp_req *req, struct hz_job *j)
{
	size_t in = req->src_len, out = req->dst_len;

	clamp_piece(q, &in, &out);
	if (in < req->src_len || !req->src_len || !out) {
		sess->msg = "block does not fit one device request";
		return -ENOTSUP;
	}
	memset(j, 0, sizeof(*j));
	j->dir = req->dir;
	j->in = (uint32_t)in;
	j->out = (uint32_t)out;
	j->finish = req->flush == WD_FINISH;
	return 0;
}

/* Turns an SQE result into the block contract of the software driver. */
int hz_block_result(struct wd_comp_sess *sess, struct wd_comp_req *req,
			const struct hz_job *j, const struct hz_result *r)
{
	req->consumed = r->consumed;
	req->produced = r->produced;
	req->status = r->end ? WD_STATUS_STREAM_END : WD_STATUS_OK;
	if (r->end)
		return 0;
	if (req->dir == WD_DIR_COMPRESS) {
		if (r->status != HZ_STATUS_DST_FULL && r->consumed == req->src_len) {
			if (j->finish)
				req->status = WD_STATUS_STREAM_END;
			return 0;
		}
	} else {
		if (r->consumed == req->src_len)
			return 0; /* a piece without its final block, or truncated */
		if (r->status != HZ_STATUS_DST_FULL && r->produced < j->out) {
			sess->msg = "engine stopped early";
			return -EIO;
		}
	}
	/* Our bounce buffer was smaller than the caller's: software can do it. */
	sess->msg = "destination too small for the block";
	return j->out < req->dst_len ? -ENOTSUP : -ENOSPC;
}

static int block_ok(struct wd_comp_sess *sess, const struct wd_comp_req *req)
{
	if (req->dict_len) {
		sess->msg = "the engine has no preset dictionary";
		return -ENOTSUP;
	}
	if (sess->alg != WD_ALG_DEFLATE) {
		sess->msg = "zlib/gzip blocks are framed in software";
		return -ENOTSUP;
	}
	return 0;
}

static int do_block(struct wd_comp_sess *sess, struct wd_comp_req *req)
{
	struct hz_sess *hs = sess->priv;
	struct hisi_qm_queue *q;
	struct hz_result r;
	struct hz_job j;
	int ret, broken = 0;

	ret = hisi_qm_borrow(hs->node, req->dir, HZ_NOSVA_RSV, HISI_QM_POOL_WAIT_MS, &q);
	if (ret) {
		sess->msg = hz_queue_msg(ret);
		return ret;
	}
	ret = hz_block_job(sess, q, req, &j);
	if (!ret)
		ret = run_sqe(sess, q, &j, req->src, req->dst, &r, &broken);
	hisi_qm_giveback(q, broken);
	return ret ? ret : hz_block_result(sess, req, &j, &r);
}

/* ---- the driver hooks --------------------------------------------------------- */

static int hz_op(struct wd_comp_sess *sess, struct wd_comp_req *req)
{
	int ret;

	if (!sess->priv || (req->dir != WD_DIR_COMPRESS && req->dir != WD_DIR_DECOMPRESS) ||
	    req->src_len > UINT32_MAX || req->dst_len > UINT32_MAX ||
	    (req->src_len && !req->src) || (req->dst_len && !req->dst))
		return -EINVAL;
	req->consumed = req->produced = 0;
	req->status = WD_STATUS_OK;
	if (req->stream)
		return do_stream(sess, req);
	ret = block_ok(sess, req);
	if (ret)
		return ret;
	return req->done ? hz_do_async(sess, req) : do_block(sess, req);
}

static int hz_deflate(struct wd_comp_sess *sess, struct wd_comp_req *req)
{
	req->dir = WD_DIR_COMPRESS;
	return hz_op(sess, req);
}

static int hz_inflate(struct wd_comp_sess *sess, struct wd_comp_req *req)
{
	req->dir = WD_DIR_DECOMPRESS;
	return hz_op(sess, req);
}

static void hz_reset(struct wd_comp_sess *sess, int dir)
{
	struct hz_sess *hs = sess->priv;

	if (hs && (dir == WD_DIR_COMPRESS || dir == WD_DIR_DECOMPRESS))
		dir_reset(&hs->d[dir]);
}

static int hz_init(struct wd_comp_sess *sess)
{
	struct wd_accel_info info;
	struct hz_sess *hs;
	int ret = wd_accel_read(sess->dev_name, &info), version;

	if (ret) {
		sess->msg = "device attributes unreadable";
		return ret;
	}
	version = hisi_qm_api_version(info.api);
	if (version < 2 || !wd_word_in_list(info.algorithms, "deflate")) {
		/* Kunpeng 920 (hisi_qm_v2) has zlib and gzip only: see the top. */
		sess->msg = "device has no raw deflate";
		return -ENOTSUP;
	}
	ret = hisi_qm_probe(sess->node_path, HZ_NOSVA_RSV);
	if (ret) {
		sess->msg = hz_queue_msg(ret);
		return ret;
	}
	hs = calloc(1, sizeof(*hs));
	if (!hs)
		return -ENOMEM;
	wd_strlcpy(hs->node, sess->node_path, sizeof(hs->node));
	hs->sqe_type = version >= 3 ? HZ_SQE_TYPE_V3 : HZ_SQE_TYPE_V2;
	hs->tag_dw = version >= 3 ? HZ_DW_TAG_V3 : HZ_DW_TAG_V2;
	dir_reset(&hs->d[0]);
	dir_reset(&hs->d[1]);
	sess->priv = hs;
	return 0;
}

static void hz_exit(struct wd_comp_sess *sess)
{
	struct hz_sess *hs = sess->priv;

	if (!hs)
		return;
	hz_async_drain(sess);
	free(hs->d[0].ctx);
	free(hs->d[1].ctx);
	free(hs);
	sess->priv = NULL;
}

struct wd_alg_comp wd_hisi_zip_drv = {
	.drv_name = "hisi_zip",
	.algo_name = "deflate zlib gzip",
	.init = hz_init,
	.exit = hz_exit,
	.deflate = hz_deflate,
	.inflate = hz_inflate,
	.async_poll = hz_async_poll,
	.reset = hz_reset,
};
