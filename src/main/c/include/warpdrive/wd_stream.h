/*
 * The flat API made for Java (bound with JNA direct mapping): one call
 * per java.util.zip Deflater/Inflater operation, primitive arguments only,
 * results packed into one 64-bit value so a call needs no out-parameters.
 *
 * A stream object owns one compression session (wd_comp.h) used in one
 * direction, plus two staging buffers Java copies byte[] data through.
 * Addresses passed in are plain pointers (a staging buffer or a direct
 * ByteBuffer's memory); lengths are checked: 0 <= len <= WDS_MAX_CALL.
 */
#ifndef WARPDRIVE_WD_STREAM_H
#define WARPDRIVE_WD_STREAM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WDS_MAX_CALL ((1 << 30) - 1) /* per call, so counts fit 30 bits */
#define WDS_STAGE_SIZE (64 * 1024)   /* each staging buffer */
/* The inflate output ring: 32 KiB of history and room for four calls of
 * WDS_STAGE_SIZE before the history moves back to its start. */
#define WDS_RING_SIZE (32 * 1024 + 4 * WDS_STAGE_SIZE)

/* Packed result of wds_deflate / wds_inflate. */
#define WDS_READ(r) ((int)((r) & 0x3fffffff))
#define WDS_WRITTEN(r) ((int)(((r) >> 30) & 0x3fffffff))
#define WDS_FINISHED (1LL << 60) /* end of stream reached */
#define WDS_PENDING (1LL << 61)  /* deflate: params not yet applied; inflate: needs dictionary */
#define WDS_ERROR (1LL << 62)    /* see wds_errcode / wds_errmsg; counts still valid */

enum wds_alg { WDS_RAW = 0, WDS_ZLIB = 1, WDS_GZIP = 2 };
enum wds_dir { WDS_DEFLATE = 0, WDS_INFLATE = 1 };

/* Reads the environment once (emulation, device roots). 0 or -errno. */
int wds_init(void);
const char *wds_version(void);
int wds_config_set(const char *key, const char *value);

/* Devices as text, one per line, tab separated:
 * name id node available_instances sva(0/1) api algorithms isolated.
 * Writes at most cap bytes (NUL terminated) and returns the length the
 * whole listing needs, or a negative errno. */
int wds_devices(char *buf, int cap);
/* Engine statistics as text: engine streams requests in out fallbacks. */
int wds_stats(char *buf, int cap);

/* A new stream; level -1..9 (deflate). Returns 0 on failure. */
intptr_t wds_open(int dir, int alg, int level, int strategy);
void wds_close(intptr_t s);

/* flush: 0 NO_FLUSH, 2 SYNC_FLUSH, 3 FULL_FLUSH, 4 FINISH.
 * params: java.util.zip's encoding (bit 0 set, bits 1-2 strategy,
 * bits 3.. level): apply them instead of compressing with flush; flush
 * is then WD_MORE_INPUT (16) when more of the caller's input follows
 * this piece (see wd_alg_strm_params), anything else otherwise. */
int64_t wds_deflate(intptr_t s, intptr_t in, int in_len, intptr_t out, int out_len,
		    int flush, int params);
int64_t wds_inflate(intptr_t s, intptr_t in, int in_len, intptr_t out, int out_len);
/* As wds_inflate, into the stream's output ring (wds_stage 2), where each
 * call's output follows the last, so the decoder reads its history there
 * instead of copying it (out_len <= WDS_STAGE_SIZE).  The output starts at
 * the offset the call leaves in the ring's slot.  A stream that used it
 * inflates only through it until wds_reset. */
int64_t wds_inflate_ring(intptr_t s, intptr_t in, int in_len, int out_len);
/* 0, or a negative errno (-EINVAL: not allowed now; -EBADMSG: wrong dictionary). */
int wds_set_dict(intptr_t s, intptr_t dict, int len);
int wds_reset(intptr_t s);
int wds_adler(intptr_t s);
const char *wds_engine(intptr_t s);
int wds_errcode(intptr_t s);
const char *wds_errmsg(intptr_t s);
/* Staging buffer 0 (input) or 1 (output), WDS_STAGE_SIZE bytes; or 2, an
 * inflate stream's output ring: WDS_RING_SIZE bytes, then a 32-bit int in
 * native order (see wds_inflate_ring).  Allocated on first request; 0 when
 * out of memory (or 2 asked of a deflate stream). */
intptr_t wds_stage(intptr_t s, int which);

/*
 * A parallel compression pipeline (the seed's asynchronous mode): a raw
 * DEFLATE session and `slots` buffers.  Java fills a slot's input area,
 * submits it (each block primed with the last 32 KiB of the block before,
 * ending in a SYNC_FLUSH, or the final block), and collects the outputs in
 * order; the concatenation is one raw DEFLATE stream.  Blocks run
 * concurrently on devices or the software engine's worker threads.
 */
#define WDP_DICT 32768 /* history a block may refer back to */

/* level -1..9; 2 <= slots <= 256; 4 KiB <= block <= 16 MiB.  0 on failure. */
intptr_t wdp_open(int level, int slots, int block);
void wdp_close(intptr_t p);
/* The slot's input area (block bytes) and output area (wdp_out_cap bytes). */
intptr_t wdp_in(intptr_t p, int slot);
intptr_t wdp_out(intptr_t p, int slot);
int wdp_out_cap(intptr_t p);
/* Submits slot's first len bytes; prev is the slot holding the block
 * before (its last 32 KiB become this block's history) or -1.
 * 0 or -errno (-EBUSY: the slot is still in flight). */
int wdp_submit(intptr_t p, int slot, int len, int final, int prev);
/* Waits for the slot: the bytes it produced, or -errno (message: wdp_errmsg). */
int wdp_wait(intptr_t p, int slot);
const char *wdp_errmsg(intptr_t p);
const char *wdp_engine(intptr_t p);

#ifdef __cplusplus
}
#endif
#endif
