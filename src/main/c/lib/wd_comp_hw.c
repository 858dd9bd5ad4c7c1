/*
 * The stream adapter for hardware drivers, and software takeover.
 *
 * A device does raw DEFLATE in requests that each end on a byte boundary
 * (SYNC_FLUSH) or with the final block (FINISH), with its history kept in
 * the session.  This file gives such a driver zlib's stream semantics:
 * it batches NO_FLUSH input, writes the zlib/gzip framing, holds output
 * the caller has no room for, and keeps what software needs to take the
 * stream over without losing or repeating a byte:
 *
 *   compression    the last 32 KiB sent to the device; every request ended
 *                  byte aligned, so software resumes the same raw stream
 *                  primed with that history, and the library writes the
 *                  trailer from its own running check value;
 *   decompression  the compressed input since the stream began (up to the
 *                  `retain` cap); software replays it and skips the output
 *                  already delivered.  Reaching the cap moves the stream to
 *                  software on purpose, so memory stays bounded.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "wd_comp_int.h"
#include "wd_internal.h"

/* Byte-aligned empty blocks (RFC 1951 3.2.4): a non-final stored block as
 * zlib's SYNC_FLUSH writes it, and a final fixed-Huffman empty block. */
static const unsigned char empty_sync_block[5] = { 0x00, 0x00, 0x00, 0xff, 0xff };
static const unsigned char empty_final_block[2] = { 0x03, 0x00 };

/* gzip header flag bits (RFC 1952 2.3.1). */
#define GZ_FHCRC 0x02
#define GZ_FEXTRA 0x04
#define GZ_FNAME 0x08
#define GZ_FCOMMENT 0x10
#define GZ_FRESERVED 0xe0

/* ---- buffers ---------------------------------------------------------- */

static int obuf_reserve(struct comp_dir *d, size_t extra)
{
	size_t need = d->olen + extra;
	unsigned char *p;

	if (need <= d->ocap)
		return 0;
	need = WD_MAX(need, d->ocap ? d->ocap * 2 : (size_t)HW_OBUF);
	p = realloc(d->obuf, need);
	if (!p)
		return -ENOMEM;
	d->obuf = p;
	d->ocap = need;
	return 0;
}

static int obuf_put(struct comp_dir *d, const void *p, size_t n)
{
	int ret = obuf_reserve(d, n);

	if (ret)
		return ret;
	memcpy(d->obuf + d->olen, p, n);
	d->olen += n;
	return 0;
}

size_t hw_drain(struct comp_dir *d, unsigned char *dst, size_t room)
{
	size_t n = WD_MIN(d->olen - d->opos, room);

	if (n) {
		memcpy(dst, d->obuf + d->opos, n);
		d->opos += n;
	}
	if (d->opos == d->olen)
		d->opos = d->olen = 0;
	return n;
}

static void hist_add(struct comp_dir *d, const unsigned char *p, size_t n)
{
	if (n >= WD_HIST_SIZE) {
		memcpy(d->hist, p + n - WD_HIST_SIZE, WD_HIST_SIZE);
		d->hlen = WD_HIST_SIZE;
		return;
	}
	if (d->hlen + n > WD_HIST_SIZE) {
		size_t drop = d->hlen + n - WD_HIST_SIZE;

		memmove(d->hist, d->hist + drop, d->hlen - drop);
		d->hlen -= drop;
	}
	memcpy(d->hist + d->hlen, p, n);
	d->hlen += n;
}

static int retain_add(struct comp_dir *d, const unsigned char *p, size_t n)
{
	return wd_buf_append(&d->retain, &d->rlen, &d->rcap, p, n, HW_BATCH);
}

void hw_dir_free(struct comp_dir *d)
{
	free(d->obuf);
	free(d->ibuf);
	free(d->hist);
	free(d->retain);
	free(d->hdr);
	memset(d, 0, sizeof(*d));
	d->stat_row = -1;
}

void hw_dir_reset(struct comp_sess *cs, int dir)
{
	struct comp_dir *d = &cs->d[dir];
	unsigned char *obuf = d->obuf, *ibuf = d->ibuf, *hist = d->hist;
	size_t ocap = d->ocap;

	/* Keep the fixed buffers; drop the growable ones. */
	free(d->retain);
	free(d->hdr);
	memset(d, 0, sizeof(*d));
	d->obuf = obuf;
	d->ocap = ocap;
	d->ibuf = ibuf;
	d->hist = hist;
	d->stat_row = -1;
	(void)cs;
}

/* ---- framing ------------------------------------------------------------ */

static int put_header(struct comp_sess *cs, struct comp_dir *d)
{
	unsigned char h[10];
	size_t n = wd_frame_header(cs->dev.alg, cs->dev.level, cs->dev.strategy,
				   cs->dev.window_bits, h);

	d->hdr_done = 1;
	return n ? obuf_put(d, h, n) : 0;
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int put_trailer(struct comp_sess *cs, struct comp_dir *d)
{
	unsigned char t[8];
	size_t n = wd_frame_trailer(cs->dev.alg, d->check, (uint32_t)d->isize, t);

	d->final_done = 1;
	return n ? obuf_put(d, t, n) : 0;
}

/* ---- takeover -------------------------------------------------------- */

/*
 * Runs the batched input through the software stream into obuf, with the
 * flush of the caller's call that completed the batch (WD_NO_FLUSH when
 * none came with it).  The adapter then holds that output and gives the
 * engine nothing more until it is drained (a setLevel() call answered
 * PENDING drains it too), but a setDictionary() after that reaches the
 * engine: it must already be where the caller's call left it.  zlib on a
 * raw Huffman-only stream not given the caller's FINISH has an open block
 * and no lookahead, and takes a dictionary there by dropping the block
 * (as java.util.zip does after a NO_FLUSH call).
 */
static int feed_batch(struct comp_sess *cs, struct comp_dir *d, struct wd_comp_sess *sw,
		      int flush)
{
	size_t off = 0;

	while (off < d->ilen) {
		struct wd_comp_req req = { 0 };
		int ret = obuf_reserve(d, HW_BATCH);

		if (ret)
			return ret;
		req.src = d->ibuf + off;
		req.src_len = d->ilen - off;
		req.dst = d->obuf + d->olen;
		req.dst_len = d->ocap - d->olen;
		req.dir = WD_DIR_COMPRESS;
		req.flush = flush;
		req.stream = 1;
		ret = sw->drv->deflate(sw, &req);
		if (ret) {
			comp_set_msg(cs, sw->msg);
			return ret;
		}
		off += req.consumed;
		d->olen += req.produced;
	}
	d->ilen = 0;
	return 0;
}

static int takeover_compress(struct comp_sess *cs, struct comp_dir *d, struct wd_comp_sess *sw,
			     int flush)
{
	int ret;

	if (!d->hdr_done) {
		/* The device has written nothing: a plain software stream. */
		sw->drv->reset(sw, WD_DIR_COMPRESS);
		d->engine = ENG_SOFTWARE;
	} else {
		ret = sw->drv->resume(sw, WD_DIR_COMPRESS, d->hist, d->hlen);
		if (ret) {
			comp_set_msg(cs, sw->msg);
			return ret;
		}
		d->engine = ENG_RESUMED;
	}
	return feed_batch(cs, d, sw, flush);
}

/* Replays the retained input in software, dropping what was delivered. */
static int takeover_decompress(struct comp_sess *cs, struct comp_dir *d, struct wd_comp_sess *sw)
{
	unsigned char tmp[16384];
	uint64_t skip = d->delivered;
	size_t off = 0;
	int full = 0;

	sw->drv->reset(sw, WD_DIR_DECOMPRESS);
	d->opos = d->olen = 0;
	d->engine = ENG_SOFTWARE;
	/* An engine may hold decoded output after taking all input: go on
	 * while the output comes back full. */
	while (off < d->rlen || full) {
		struct wd_comp_req req = { 0 };
		size_t out, drop;
		int ret;

		req.src = d->retain + off;
		req.src_len = d->rlen - off;
		req.dst = tmp;
		req.dst_len = sizeof(tmp);
		req.dir = WD_DIR_DECOMPRESS;
		req.stream = 1;
		ret = sw->drv->inflate(sw, &req);
		if (ret == -ENOMEM)
			return ret;
		if (ret) {
			/* Corrupt data: the software stream now holds zlib's error and
			 * repeats it on the next call, after the output decoded before
			 * the error has been delivered, as java.util.zip does. */
			out = req.produced;
			drop = (size_t)WD_MIN((uint64_t)out, skip);
			if (out > drop && obuf_put(d, tmp + drop, out - drop))
				return -ENOMEM;
			break;
		}
		off += req.consumed;
		out = req.produced;
		full = out == sizeof(tmp);
		drop = (size_t)WD_MIN((uint64_t)out, skip);
		skip -= drop;
		if (out > drop && obuf_put(d, tmp + drop, out - drop))
			return -ENOMEM;
		if (req.status != WD_STATUS_OK || (!req.consumed && !req.produced))
			break;
	}
	/* Software decodes only what whole symbols the input holds, so from
	 * the same input it may stop a few bytes short of what the device
	 * delivered: comp_sw_strm drops those as more input comes. */
	d->skip_left = skip;
	free(d->retain);
	d->retain = NULL;
	d->rlen = d->rcap = 0;
	return 0;
}

/* hw_takeover; flush: see feed_batch. */
static int takeover(struct comp_sess *cs, int dir, int reason, int flush)
{
	struct comp_dir *d = &cs->d[dir];
	struct wd_comp_sess *sw;
	int ret;

	if (reason) {
		comp_stat_fallback(d->stat_row);
		if (!cs->fallback_ok) {
			comp_set_msg(cs, "device failed and fallback is disabled (warpdrive.fallback=false)");
			return -EIO;
		}
		wd_log(WD_LOG_INFO, "%s failed (%d): software takes the stream over",
		       cs->dev.dev_name, reason);
	}
	sw = comp_sw(cs);
	if (!sw)
		return -ENOMEM;
	ret = dir == WD_DIR_COMPRESS ? takeover_compress(cs, d, sw, flush) :
				       takeover_decompress(cs, d, sw);
	if (ret)
		return ret;
	d->stat_row = comp_stat_row("software");
	comp_stat_stream(d->stat_row);
	return 0;
}

int hw_takeover(struct comp_sess *cs, int dir, int reason)
{
	return takeover(cs, dir, reason, WD_NO_FLUSH);
}

/* ---- compression ------------------------------------------------------- */

static int ensure_compress_bufs(struct comp_dir *d)
{
	if (!d->ibuf)
		d->ibuf = malloc(HW_BATCH);
	if (!d->hist)
		d->hist = malloc(WD_HIST_SIZE);
	return d->ibuf && d->hist ? 0 : -ENOMEM;
}

/* One device request for the batch; flush is SYNC/FULL/FINISH. */
static int dev_request(struct comp_sess *cs, struct comp_dir *d, int flush)
{
	int ret;

	if (d->ilen) {
		struct wd_comp_req req = { 0 };

		ret = obuf_reserve(d, d->ilen + d->ilen / 8 + 1024);
		if (ret)
			return ret;
		req.src = d->ibuf;
		req.src_len = d->ilen;
		req.dst = d->obuf + d->olen;
		req.dst_len = d->ocap - d->olen;
		req.dir = WD_DIR_COMPRESS;
		req.flush = flush == WD_FINISH ? WD_FINISH : WD_SYNC_FLUSH;
		req.stream = 1;
		ret = cs->dev.drv->deflate(&cs->dev, &req);
		if (!ret && req.consumed != d->ilen)
			ret = -EIO; /* the driver must take a whole batch */
		if (ret)
			return ret;
		d->olen += req.produced;
		hist_add(d, d->ibuf, d->ilen);
		d->ilen = 0;
	} else if (flush == WD_FINISH) {
		/* Devices take no empty requests: the markers come from here. */
		ret = obuf_put(d, empty_final_block, sizeof(empty_final_block));
		if (ret)
			return ret;
	} else {
		ret = obuf_put(d, empty_sync_block, sizeof(empty_sync_block));
		if (ret)
			return ret;
	}
	if (flush == WD_FULL_FLUSH) {
		/* Later data must not refer back: the device and our copy forget. */
		if (cs->dev.drv->reset)
			cs->dev.drv->reset(&cs->dev, WD_DIR_COMPRESS);
		d->hlen = 0;
	}
	d->dirty = 0;
	if (flush == WD_FINISH)
		return put_trailer(cs, d);
	return 0;
}

/* Compression after a mid-stream takeover: software, raw; framing ours. */
static int resumed_compress(struct comp_sess *cs, struct comp_dir *d, const unsigned char *in,
			    size_t n, unsigned char *out, size_t room, int flush,
			    size_t *used, size_t *made)
{
	struct wd_comp_sess *sw = comp_sw(cs);
	struct wd_comp_req req = { 0 };
	int ret;

	if (!sw)
		return -ENOMEM;
	req.src = in;
	req.src_len = n;
	req.dst = out;
	req.dst_len = room;
	req.dir = WD_DIR_COMPRESS;
	req.flush = flush;
	req.stream = 1;
	ret = sw->drv->deflate(sw, &req);
	if (ret) {
		comp_set_msg(cs, sw->msg);
		return ret;
	}
	d->check = comp_check_update(cs->dev.alg, d->check, in, req.consumed);
	d->isize += req.consumed;
	*used += req.consumed;
	*made += req.produced;
	if (req.status == WD_STATUS_STREAM_END)
		return put_trailer(cs, d);
	return 0;
}

int hw_strm_compress(struct comp_sess *cs, struct wd_comp_arg *arg)
{
	struct comp_dir *d = &cs->d[WD_DIR_COMPRESS];
	const unsigned char *in = arg->src;
	unsigned char *out = arg->dst;
	size_t n = *arg->src_len, room = *arg->dst_len, used = 0, made = 0;
	int flush = arg->flush;
	int ret = ensure_compress_bufs(d);

	if (ret)
		return ret;
	if (!room) {
		/* As zlib: no output room, nothing happens (a FINISH here must
		 * not end the stream before input given later). */
		*arg->src_len = 0;
		*arg->dst_len = 0;
		return 0;
	}
	if (d->engine == ENG_DEVICE && !d->hdr_done && !d->ilen && d->isize == 0) {
		d->check = comp_check_init(cs->dev.alg);
		d->dirty = 1; /* a flush at the very start still emits a block */
	}
	for (;;) {
		made += hw_drain(d, out + made, room - made);
		if (d->olen > d->opos)
			break;
		if (d->final_done) {
			arg->status = WD_STATUS_STREAM_END;
			break;
		}
		if (d->engine == ENG_SOFTWARE) {
			/* Taken over before the device wrote anything. */
			struct wd_comp_arg rest = *arg;
			size_t rn = n - used, rroom = room - made;

			rest.src = (void *)(in + used);
			rest.src_len = &rn;
			rest.dst = out + made;
			rest.dst_len = &rroom;
			ret = comp_sw_strm(cs, WD_DIR_COMPRESS, &rest);
			used += rn;
			made += rroom;
			arg->status = rest.status;
			break;
		}
		if (d->engine == ENG_RESUMED) {
			ret = resumed_compress(cs, d, in + used, n - used, out + made, room - made,
					       flush, &used, &made);
			if (ret || !d->final_done)
				break;
			continue; /* drain the trailer */
		}

		/* ENG_DEVICE: gather input, send whole batches. */
		if (used < n) {
			size_t take = WD_MIN(n - used, HW_BATCH - d->ilen);

			memcpy(d->ibuf + d->ilen, in + used, take);
			d->check = comp_check_update(cs->dev.alg, d->check, in + used, take);
			d->isize += take;
			d->ilen += take;
			used += take;
			if (take)
				d->dirty = 1;
		}
		{
			int all_in = used == n;
			int bf = all_in ? flush : WD_NO_FLUSH; /* the caller's, if it came with the batch */
			int rf;

			if (all_in && flush == WD_FINISH)
				rf = WD_FINISH;
			else if (all_in && (flush == WD_SYNC_FLUSH || flush == WD_FULL_FLUSH) && d->dirty)
				rf = flush;
			else if (d->ilen == HW_BATCH)
				rf = WD_SYNC_FLUSH;
			else if (all_in && flush == WD_FULL_FLUSH && !d->ilen) {
				/* a FULL_FLUSH with nothing new since the last
				 * flush writes nothing, but later data must
				 * still not refer back (zlib ranks it above a
				 * SYNC_FLUSH and clears its history) */
				if (d->hdr_done && cs->dev.drv->reset)
					cs->dev.drv->reset(&cs->dev, WD_DIR_COMPRESS);
				d->hlen = 0;
				break;
			} else
				break; /* NO_FLUSH and the batch is not full: hold it */

			if (!d->hdr_done) {
				/* First request: small streams are cheaper in software,
				 * and some settings only software honours. */
				if (d->ilen < cs->threshold || comp_needs_software(&cs->dev)) {
					ret = takeover(cs, WD_DIR_COMPRESS, 0, bf);
					if (ret)
						break;
					continue;
				}
				ret = put_header(cs, d);
				if (ret)
					break;
			}
			ret = dev_request(cs, d, rf);
			if (ret == -ENOMEM)
				break;
			if (ret) {
				ret = takeover(cs, WD_DIR_COMPRESS, ret, bf);
				if (ret)
					break;
			}
		}
	}
	*arg->src_len = used;
	*arg->dst_len = made;
	return ret;
}

/* ---- decompression ------------------------------------------------------ */

/* 0 header complete (d->hdr_len bytes), 1 need more, -1 not for the device
 * (a dictionary, an error, anything unusual: software decides). */
static int parse_header(const struct comp_sess *cs, const struct comp_dir *d)
{
	const unsigned char *h = d->hdr;
	size_t n = d->hdr_len, pos;

	if (cs->dev.alg == WD_ALG_ZLIB) {
		if (n < 2)
			return 1;
		if ((h[0] & 0x0f) != Z_DEFLATED || (h[0] >> 4) + 8 > 15 ||
		    ((unsigned)h[0] << 8 | h[1]) % 31 || (h[1] & 0x20))
			return -1;
		return 0;
	}
	/* gzip: judge each fixed byte as it arrives, as zlib does, so a
	 * short stream that is not gzip is an error, not a wait for more */
	if ((n > 0 && h[0] != 0x1f) || (n > 1 && h[1] != 0x8b) || (n > 2 && h[2] != Z_DEFLATED) ||
	    (n > 3 && (h[3] & GZ_FRESERVED)))
		return -1;
	if (n < 10)
		return 1;
	pos = 10;
	if (h[3] & GZ_FEXTRA) {
		if (n < pos + 2)
			return 1;
		pos += 2 + ((size_t)h[pos] | (size_t)h[pos + 1] << 8);
		if (n < pos)
			return 1;
	}
	if (h[3] & GZ_FNAME) {
		while (pos < n && h[pos])
			pos++;
		if (pos++ >= n)
			return 1;
	}
	if (h[3] & GZ_FCOMMENT) {
		while (pos < n && h[pos])
			pos++;
		if (pos++ >= n)
			return 1;
	}
	if (h[3] & GZ_FHCRC) {
		if (n < pos + 2)
			return 1;
		if ((wd_crc32(0, h, pos) & 0xffff) != ((unsigned)h[pos] | (unsigned)h[pos + 1] << 8))
			return -1;
		pos += 2;
	}
	return pos == n ? 0 : -1;
}

/* Takes header bytes one parse step at a time so nothing past the header
 * is swallowed.  Returns as parse_header. */
static int take_header(struct comp_sess *cs, struct comp_dir *d, const unsigned char *in,
		       size_t n, size_t *used)
{
	for (;;) {
		int r = parse_header(cs, d);

		if (r <= 0)
			return r;
		if (*used == n)
			return 1;
		if (d->hdr_len >= HW_GZ_HDR_MAX)
			return -1;
		if (!d->hdr) {
			d->hdr = malloc(HW_GZ_HDR_MAX);
			if (!d->hdr)
				return -1;
		}
		if (retain_add(d, in + *used, 1))
			return -1;
		d->hdr[d->hdr_len++] = in[(*used)++];
	}
}

static int trailer_len(int alg)
{
	return alg == WD_ALG_ZLIB ? 4 : alg == WD_ALG_GZIP ? 8 : 0;
}

static int trailer_ok(const struct comp_sess *cs, const struct comp_dir *d)
{
	const unsigned char *t = d->trl;

	if (cs->dev.alg == WD_ALG_ZLIB)
		return ((uint32_t)t[0] << 24 | (uint32_t)t[1] << 16 | (uint32_t)t[2] << 8 | t[3]) ==
		       d->check;
	if (cs->dev.alg == WD_ALG_GZIP)
		return get_le32(t) == d->check && get_le32(t + 4) == (uint32_t)d->isize;
	return 1;
}

int hw_strm_decompress(struct comp_sess *cs, struct wd_comp_arg *arg)
{
	struct comp_dir *d = &cs->d[WD_DIR_DECOMPRESS];
	const unsigned char *in = arg->src;
	unsigned char *out = arg->dst;
	size_t n = *arg->src_len, room = *arg->dst_len, used = 0, made = 0;
	int ret = 0;

	if (d->engine == ENG_DEVICE && !d->rlen && !d->hdr_len && !d->body_done && !d->started) {
		/* Decided at the first call that brings input (java.util.zip
		 * streams often call once with none): small first pieces mean a
		 * small or trickling stream, which software serves better. */
		if (!n && !d->olen) {
			*arg->dst_len = 0;
			return 0;
		}
		d->started = 1;
		d->check = comp_check_init(cs->dev.alg);
		if (cs->dev.alg == WD_ALG_DEFLATE)
			d->hdr_done = 1;
		if (n < cs->threshold)
			ret = hw_takeover(cs, WD_DIR_DECOMPRESS, 0);
		if (ret) {
			*arg->src_len = 0; /* nothing taken or given */
			*arg->dst_len = 0;
			return ret;
		}
	}
	for (;;) {
		size_t got = hw_drain(d, out + made, room - made);

		made += got;
		d->delivered += got;
		if (d->olen > d->opos)
			break;
		if (d->engine != ENG_DEVICE) {
			struct wd_comp_arg rest = *arg;
			size_t rn = n - used, rroom = room - made;

			rest.src = (void *)(in + used);
			rest.src_len = &rn;
			rest.dst = out + made;
			rest.dst_len = &rroom;
			rest.dst_hist += made; /* this call's output so far precedes it */
			ret = comp_sw_strm(cs, WD_DIR_DECOMPRESS, &rest);
			used += rn;
			made += rroom;
			arg->status = rest.status;
			break;
		}
		if (d->ended) {
			arg->status = WD_STATUS_STREAM_END;
			break;
		}
		if (!d->hdr_done) {
			int r = take_header(cs, d, in, n, &used);

			if (r == 1)
				break;
			if (r < 0) {
				ret = hw_takeover(cs, WD_DIR_DECOMPRESS, 0);
				if (ret)
					break;
				continue;
			}
			d->hdr_done = 1;
		}
		if (!d->body_done) {
			struct wd_comp_req req = { 0 };

			if (used == n && !d->held)
				break;
			if (d->rlen + (n - used) > cs->retain_cap) {
				/* Bounded memory: software carries on from here. */
				ret = hw_takeover(cs, WD_DIR_DECOMPRESS, 0);
				if (ret)
					break;
				continue;
			}
			ret = obuf_reserve(d, HW_OBUF);
			if (ret)
				break;
			req.src = in + used;
			req.src_len = n - used;
			req.dst = d->obuf;
			req.dst_len = d->ocap;
			req.dir = WD_DIR_DECOMPRESS;
			req.stream = 1;
			ret = cs->dev.drv->inflate(&cs->dev, &req);
			if (ret) {
				/* Corrupt data included: software gives zlib's verdict. */
				ret = hw_takeover(cs, WD_DIR_DECOMPRESS, ret == -EBADMSG ? 0 : ret);
				if (ret)
					break;
				continue;
			}
			ret = retain_add(d, in + used, req.consumed);
			if (ret)
				break;
			used += req.consumed;
			d->olen = req.produced;
			/* All input taken and the output full: the engine may still
			 * hold output (a match cut short at the end of its input, the
			 * hardware's ctx_st 1/2), so it is asked again even if no
			 * more input comes. */
			d->held = req.status != WD_STATUS_STREAM_END && req.consumed == req.src_len &&
				  req.produced == req.dst_len;
			d->check = comp_check_update(cs->dev.alg, d->check, d->obuf, req.produced);
			d->isize += req.produced;
			if (req.status == WD_STATUS_STREAM_END)
				d->body_done = 1;
			if (!req.consumed && !req.produced)
				break;
			continue;
		}
		{
			size_t need = (size_t)trailer_len(cs->dev.alg);
			size_t take = WD_MIN(need - d->trl_len, n - used);

			memcpy(d->trl + d->trl_len, in + used, take);
			ret = retain_add(d, in + used, take);
			if (ret)
				break;
			d->trl_len += take;
			used += take;
			/* zlib judges a gzip CRC-32 as soon as it is there, before ISIZE */
			if (d->trl_len < need && !(cs->dev.alg == WD_ALG_GZIP && d->trl_len >= 4 &&
						   get_le32(d->trl) != d->check))
				break;
			if (d->trl_len < need || !trailer_ok(cs, d)) {
				ret = hw_takeover(cs, WD_DIR_DECOMPRESS, 0);
				if (ret)
					break;
				continue;
			}
			d->ended = 1;
			free(d->retain);
			d->retain = NULL;
			d->rlen = d->rcap = 0;
		}
	}
	*arg->src_len = used;
	*arg->dst_len = made;
	return ret;
}
