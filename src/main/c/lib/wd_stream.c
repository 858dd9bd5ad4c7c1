/*
 * The flat API for Java: java.util.zip's Deflater/Inflater operations on
 * top of one compression session.  java.util.zip keeps the call-level
 * state (finish flag, input position, counters) in Java; so does our
 * Java side.  This layer translates one call into one stream request and
 * packs the outcome the way the JDK's own natives do.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "warpdrive/wd_comp.h"
#include "warpdrive/wd_stream.h"
#include "wd_internal.h"

#define WDS_MAGIC 0x57445353u /* "WDSS" */

#ifndef WD_VERSION
#define WD_VERSION "unknown"
#endif

struct wds {
	uint32_t magic;
	int dir;
	handler_t h;
	unsigned char *stage[2];
	int err;
	/* inflate: the output ring (wds_inflate_ring), its 32-bit slot for
	 * where the last output starts right after it */
	unsigned char *ring;
	size_t ring_at;   /* where the next output goes */
	size_t ring_hist; /* bytes before ring_at that are the stream's latest output */
};

static struct wds *get(intptr_t s)
{
	struct wds *w = (struct wds *)s;

	return w && w->magic == WDS_MAGIC ? w : NULL;
}

WD_EXPORT int wds_init(void)
{
	return wd_emu_ensure();
}

WD_EXPORT const char *wds_version(void)
{
	return WD_VERSION;
}

WD_EXPORT int wds_config_set(const char *key, const char *value)
{
	return wd_config_set(key, value);
}

/* Appends to buf while it has room; always counts the full length. */
struct sbuf {
	char *buf;
	int cap;
	int len;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int room = b->cap - b->len;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room > 0 ? b->buf + b->len : NULL, room > 0 ? (size_t)room : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += n;
}

static int sb_done(struct sbuf *b)
{
	if (b->cap > 0)
		b->buf[WD_MIN(b->len, b->cap - 1)] = '\0';
	return b->len + 1;
}

WD_EXPORT int wds_devices(char *buf, int cap)
{
	struct wd_accel_info *list;
	struct sbuf b = { buf, buf ? cap : 0, 0 };
	int n;

	if (cap < 0)
		return -EINVAL;
	list = calloc(MAX_ACCELS, sizeof(*list));
	if (!list)
		return -ENOMEM;
	n = wd_accel_list(NULL, NULL, 1, list, MAX_ACCELS);
	for (int i = 0; i < WD_MIN(n, MAX_ACCELS); i++)
		sb_printf(&b, "%s\t%d\t%d\t%d\t%d\t%s\t%s\t%d\n", list[i].name, list[i].id,
			  list[i].node_id, list[i].available_instances, !list[i].nosva,
			  list[i].api, list[i].algorithms, list[i].isolated);
	free(list);
	return sb_done(&b);
}

WD_EXPORT int wds_stats(char *buf, int cap)
{
	struct wd_engine_stats st[WD_STATS_ENGINES];
	struct sbuf b = { buf, buf ? cap : 0, 0 };
	int n = wd_comp_get_stats(st, WD_STATS_ENGINES);

	if (cap < 0)
		return -EINVAL;
	for (int i = 0; i < n; i++)
		sb_printf(&b, "%s\t%llu\t%llu\t%llu\t%llu\t%llu\n", st[i].engine, st[i].streams,
			  st[i].requests, st[i].bytes_in, st[i].bytes_out, st[i].fallbacks);
	return sb_done(&b);
}

WD_EXPORT intptr_t wds_open(int dir, int alg, int level, int strategy)
{
	static const char *const algs[] = { "deflate", "zlib", "gzip" };
	wd_dev_mask_t all;
	struct wds *w;

	if ((dir != WDS_DEFLATE && dir != WDS_INFLATE) || alg < 0 || alg > 2 || level < -1 ||
	    level > 9 || strategy < 0 || strategy > 2)
		return 0;
	w = calloc(1, sizeof(*w));
	if (!w)
		return 0;
	wd_mask_zero(&all);
	w->h = wd_alg_comp_alloc_sess(algs[alg], all);
	if (!w->h) {
		free(w);
		return 0;
	}
	wd_alg_comp_set_level(w->h, level);
	wd_alg_comp_set_strategy(w->h, strategy);
	w->magic = WDS_MAGIC;
	w->dir = dir;
	return (intptr_t)w;
}

WD_EXPORT void wds_close(intptr_t s)
{
	struct wds *w = get(s);

	if (!w)
		return;
	w->magic = 0;
	wd_alg_comp_free_sess(w->h);
	free(w->stage[0]);
	free(w->stage[1]);
	free(w->ring);
	free(w);
}

WD_EXPORT intptr_t wds_stage(intptr_t s, int which)
{
	struct wds *w = get(s);

	if (!w || which < 0 || which > 2 || (which == 2 && w->dir != WDS_INFLATE))
		return 0;
	if (which == 2) {
		if (!w->ring)
			w->ring = calloc(1, WDS_RING_SIZE + sizeof(int32_t));
		return (intptr_t)w->ring;
	}
	if (!w->stage[which])
		w->stage[which] = malloc(WDS_STAGE_SIZE);
	return (intptr_t)w->stage[which];
}

static int lens_ok(intptr_t in, int in_len, intptr_t out, int out_len)
{
	return in_len >= 0 && in_len <= WDS_MAX_CALL && out_len >= 0 && out_len <= WDS_MAX_CALL &&
	       (in || !in_len) && (out || !out_len);
}

/* zlib refuses a NULL buffer even with nothing to move; the API allows
 * one with length 0, so such calls get a harmless stand-in. */
static intptr_t nonnull(intptr_t p)
{
	static unsigned char none;

	return p ? p : (intptr_t)&none;
}

static int64_t pack(size_t read, size_t written)
{
	return (int64_t)read | (int64_t)written << 30;
}

WD_EXPORT int64_t wds_deflate(intptr_t s, intptr_t in, int in_len, intptr_t out, int out_len,
			      int flush, int params)
{
	struct wds *w = get(s);
	size_t src_len = (size_t)in_len, dst_len = (size_t)out_len;
	struct wd_comp_arg arg = { 0 };
	int ret;

	if (!w || w->dir != WDS_DEFLATE || !lens_ok(in, in_len, out, out_len)) {
		if (w)
			w->err = -EINVAL;
		return WDS_ERROR;
	}
	arg.src = (void *)nonnull(in);
	arg.src_len = &src_len;
	arg.dst = (void *)nonnull(out);
	arg.dst_len = &dst_len;
	arg.flush = flush;
	if (params & 1) {
		arg.flush = flush == WD_MORE_INPUT ? WD_MORE_INPUT : WD_NO_FLUSH;
		ret = wd_alg_strm_params(w->h, params >> 3, (params >> 1) & 3, &arg);
		if (ret == -EAGAIN)
			return pack(src_len, dst_len) | WDS_PENDING;
	} else {
		ret = wd_alg_strm_compress(w->h, &arg);
	}
	w->err = ret;
	if (ret)
		return pack(src_len, dst_len) | WDS_ERROR;
	return pack(src_len, dst_len) |
	       (arg.status == WD_STATUS_STREAM_END ? WDS_FINISHED : 0);
}

/* One stream decompression call, its outcome packed (wd_stream.h). */
static int64_t strm_inflate(struct wds *w, struct wd_comp_arg *arg)
{
	int ret = wd_alg_strm_decompress(w->h, arg);

	w->err = ret;
	if (ret)
		return pack(*arg->src_len, *arg->dst_len) | WDS_ERROR;
	return pack(*arg->src_len, *arg->dst_len) |
	       (arg->status == WD_STATUS_STREAM_END ? WDS_FINISHED : 0) |
	       (arg->status == WD_STATUS_NEED_DICT ? WDS_PENDING : 0);
}

WD_EXPORT int64_t wds_inflate(intptr_t s, intptr_t in, int in_len, intptr_t out, int out_len)
{
	struct wds *w = get(s);
	size_t src_len = (size_t)in_len, dst_len = (size_t)out_len;
	struct wd_comp_arg arg = { 0 };

	if (!w || w->dir != WDS_INFLATE || !lens_ok(in, in_len, out, out_len)) {
		if (w)
			w->err = -EINVAL;
		return WDS_ERROR;
	}
	arg.src = (void *)nonnull(in);
	arg.src_len = &src_len;
	arg.dst = (void *)nonnull(out);
	arg.dst_len = &dst_len;
	return strm_inflate(w, &arg);
}

/* Room for n more bytes at ring_at: the history moves to the front when
 * the end is near (once per several calls). */
static void ring_room(struct wds *w, size_t n)
{
	if (w->ring_at + n <= WDS_RING_SIZE)
		return;
	memmove(w->ring, w->ring + w->ring_at - w->ring_hist, w->ring_hist);
	w->ring_at = w->ring_hist;
}

/* n bytes now at ring_at are the stream's latest output. */
static void ring_add(struct wds *w, size_t n)
{
	w->ring_at += n;
	w->ring_hist = WD_MIN(w->ring_hist + n, (size_t)WD_HIST_SIZE);
}

WD_EXPORT int64_t wds_inflate_ring(intptr_t s, intptr_t in, int in_len, int out_len)
{
	struct wds *w = get(s);
	size_t src_len = (size_t)in_len, dst_len = (size_t)out_len;
	struct wd_comp_arg arg = { 0 };
	int64_t r;

	if (!w || w->dir != WDS_INFLATE || !w->ring || out_len > WDS_STAGE_SIZE ||
	    !lens_ok(in, in_len, 1, out_len)) {
		if (w)
			w->err = -EINVAL;
		return WDS_ERROR;
	}
	ring_room(w, dst_len);
	arg.src = (void *)nonnull(in);
	arg.src_len = &src_len;
	arg.dst = w->ring + w->ring_at;
	arg.dst_len = &dst_len;
	arg.dst_keeps = 1;
	arg.dst_hist = w->ring_hist;
	r = strm_inflate(w, &arg);
	memcpy(w->ring + WDS_RING_SIZE, &(int32_t){ (int32_t)w->ring_at }, sizeof(int32_t));
	ring_add(w, dst_len);
	return r;
}

WD_EXPORT int wds_set_dict(intptr_t s, intptr_t dict, int len)
{
	struct wds *w = get(s);
	int ret;

	if (!w || len < 0 || (len && !dict))
		return -EINVAL;
	ret = w->dir == WDS_DEFLATE ? wd_alg_comp_set_dict_compress(w->h, (void *)dict, (size_t)len)
				    : wd_alg_comp_set_dict_decompress(w->h, (void *)dict, (size_t)len);
	w->err = ret;
	if (!ret && w->ring) {
		/* the decoder reads a dictionary as history: the ring holds it
		 * too (copied aside first should it lie in the ring itself) */
		size_t k = WD_MIN((size_t)len, (size_t)WD_HIST_SIZE);
		const unsigned char *src = (const unsigned char *)dict + len - k;
		unsigned char aside[WD_HIST_SIZE];

		if (src < w->ring + WDS_RING_SIZE + sizeof(int32_t) && src + k > w->ring) {
			memcpy(aside, src, k);
			src = aside;
		}
		ring_room(w, k);
		memcpy(w->ring + w->ring_at, src, k);
		ring_add(w, k);
	}
	return ret;
}

WD_EXPORT int wds_reset(intptr_t s)
{
	struct wds *w = get(s);

	if (!w)
		return -EINVAL;
	w->ring_at = w->ring_hist = 0;
	return wd_alg_comp_reset(w->h);
}

WD_EXPORT int wds_adler(intptr_t s)
{
	struct wds *w = get(s);

	return w ? (int)wd_alg_comp_checksum(w->h, w->dir == WDS_INFLATE) : 0;
}

WD_EXPORT const char *wds_engine(intptr_t s)
{
	struct wds *w = get(s);

	return w ? wd_alg_comp_engine(w->h) : "";
}

WD_EXPORT int wds_errcode(intptr_t s)
{
	struct wds *w = get(s);

	return w ? w->err : -EINVAL;
}

WD_EXPORT const char *wds_errmsg(intptr_t s)
{
	struct wds *w = get(s);

	return w ? wd_alg_comp_errmsg(w->h) : "invalid stream";
}
