/*
 * The compression algorithm library, the application side (seed 002,
 * "Compression Algorithm").  An application allocates a session for an
 * algorithm ("deflate" = raw RFC 1951, "zlib" = RFC 1950, "gzip" =
 * RFC 1952) and a device mask, then compresses in one of three modes:
 *
 *   block  wd_alg_compress / wd_alg_decompress: every call is a whole,
 *          independent piece (WD_FINISH: a complete stream; WD_SYNC_FLUSH:
 *          a raw piece ending on a byte boundary, for parallel pipelines);
 *   stream wd_alg_strm_compress / wd_alg_strm_decompress: history is
 *          carried from call to call, with zlib's flush semantics;
 *   async  block mode with arg->cb set: the call returns at once and
 *          wd_alg_comp_poll() completes the request and runs the callback.
 *
 * Which engine serves (a device or the software driver) is decided per
 * stream; a device that fails mid-stream is replaced by the software
 * driver without losing or repeating a byte (see wd_alg_comp_engine()).
 *
 * Return values: 0 on success, a negative errno on failure:
 *   -EINVAL   bad argument or a call the stream state does not allow
 *   -EBADMSG  corrupt compressed data (message: wd_alg_comp_errmsg())
 *   -ENOMEM   out of memory
 *   -EIO      the device failed and fallback is disabled (warpdrive.fallback=false)
 *   -EBUSY    async: too many requests in flight on this session
 *   -EAGAIN   wd_alg_comp_poll: requests still running
 */
#ifndef WARPDRIVE_WD_COMP_H
#define WARPDRIVE_WD_COMP_H

#include <stddef.h>
#include <stdint.h>
#include "wd_accel.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned long long int handler_t;

struct wd_comp_arg;
/* Extension: the seed's callback takes no argument; ours receives the
 * completed request so one callback can serve many requests. */
typedef void wd_alg_comp_cb_t(struct wd_comp_arg *arg);

/* Flush modes: the zlib values, so they pass straight through. */
enum wd_comp_flush {
	WD_NO_FLUSH = 0,   /* stream mode: the engine may hold input back */
	WD_SYNC_FLUSH = 2, /* all input out, ends byte aligned with 00 00 ff ff */
	WD_FULL_FLUSH = 3, /* as SYNC_FLUSH, and the history is dropped */
	WD_FINISH = 4,     /* final block and trailer */
	/* wd_alg_strm_params() only: more of the caller's input follows this
	 * piece (see there). */
	WD_MORE_INPUT = 16,
};

/* arg->status after a successful call. */
enum wd_comp_status {
	WD_STATUS_OK = 0,
	WD_STATUS_STREAM_END = 1, /* compress: trailer written; decompress: end of stream seen */
	WD_STATUS_NEED_DICT = 2,  /* decompress: zlib FDICT, supply wd_alg_comp_set_dict() */
};

struct wd_comp_arg {
	void *src;
	size_t *src_len; /* in: bytes available at src; out: bytes consumed */
	void *dst;
	size_t *dst_len; /* in: room at dst; out: bytes produced (bytes of the room
			  * past those may be changed too: the software decoder
			  * and ISA-L copy in words; zlib does not) */
	wd_alg_comp_cb_t *cb;

	/* Extensions (the seed's five fields above are unchanged). */
	int flush;           /* enum wd_comp_flush; block mode: WD_FINISH or WD_SYNC_FLUSH */
	int status;          /* out: enum wd_comp_status */
	int error;           /* async out: 0 or a negative errno */
	void *cb_data;       /* for the callback's own use */
	const void *dict;    /* block mode: history the piece may refer back to; */
	size_t dict_len;     /* at most 32 KiB used; devices ignore it (ratio only) */
	/* Stream decompression, optional: a caller that writes a stream's
	 * output into one buffer, each call's dst right after the output of
	 * the call before, sets dst_keeps and gives in dst_hist how many
	 * bytes before dst hold the stream's latest output (a dictionary set
	 * counts as output: place it there too).  The software decoder then
	 * reads its history there instead of copying 32 KiB per call into a
	 * window of its own.  Once it has, every later call of the stream
	 * must give dst_keeps and at least min(32 KiB, all output so far),
	 * or fails with -EINVAL, until the stream starts again.  Other
	 * engines ignore both fields. */
	int dst_keeps;
	size_t dst_hist;
};

handler_t wd_alg_comp_alloc_sess(const char *alg_name, wd_dev_mask_t dev_mask);
void wd_alg_comp_free_sess(handler_t handle);

int wd_alg_compress(handler_t handle, struct wd_comp_arg *arg);
int wd_alg_decompress(handler_t handle, struct wd_comp_arg *arg);
int wd_alg_strm_compress(handler_t handle, struct wd_comp_arg *arg);
/* Stream decompression reports input consumed as zlib's inflate() would:
 * bytes an engine has read ahead of what it decoded, and one byte while
 * it still holds decoded output, are left unconsumed (*src_len out), so
 * that "all input consumed" means "all output delivered".  The next call
 * offers them again at the start of its input; it may offer fewer, even
 * none, and nothing is lost or repeated. */
int wd_alg_strm_decompress(handler_t handle, struct wd_comp_arg *arg);
/* Completes finished async requests (running their callbacks).  0 when
 * nothing is left in flight, -EAGAIN while requests are still running. */
int wd_alg_comp_poll(handler_t handle);

/* ---- Extensions: per-session settings and state ------------------- */

/* Level 0-9 or -1 (= 6); strategy 0 default, 1 filtered, 2 Huffman only.
 * Before the first request they just set; in mid-stream use
 * wd_alg_strm_params(), which compresses what is buffered first. */
int wd_alg_comp_set_level(handler_t handle, int level);
int wd_alg_comp_set_strategy(handler_t handle, int strategy);
/* Window bits 9..15 for compression (decompression always accepts 15). */
int wd_alg_comp_set_window(handler_t handle, int window_bits);

/*
 * Stream mode, like zlib's deflateParams(): compresses the input given
 * with the old settings into arg->dst, then switches.  Returns 0 when the
 * switch is done, -EAGAIN when dst filled first (call again with room).
 * A caller that feeds one large input in pieces sets arg->flush to
 * WD_MORE_INPUT on every piece but the last: a switch that must compress
 * first then only compresses the piece (no flush) and returns -EAGAIN, so
 * the pieces together give what one call over the whole input gives.
 */
int wd_alg_strm_params(handler_t handle, int level, int strategy, struct wd_comp_arg *arg);

/* Stream mode dictionary: compression before the first byte (zlib and
 * gzip) or at any point (raw); decompression after WD_STATUS_NEED_DICT
 * (zlib) or before the first byte (raw).  -EINVAL if not allowed now,
 * -EBADMSG if it does not match the stream's dictionary id. */
int wd_alg_comp_set_dict_compress(handler_t handle, const void *dict, size_t len);
int wd_alg_comp_set_dict_decompress(handler_t handle, const void *dict, size_t len);

/* Starts new compress and decompress streams; keeps level, strategy, window. */
int wd_alg_comp_reset(handler_t handle);

/* zlib's strm->adler for the stream of that direction (Adler-32 for
 * zlib, CRC-32 for gzip, 1 for raw; the dictionary id while one is
 * needed), as java.util.zip's getAdler() reports it. */
uint32_t wd_alg_comp_checksum(handler_t handle, int decompress);

/* What serves the session's current stream: a device name such as
 * "hisi_zip-0", or "software". */
const char *wd_alg_comp_engine(handler_t handle);
/* The message of the last -EBADMSG/-EINVAL/-EIO (zlib's wording for
 * corrupt data), or "" . */
const char *wd_alg_comp_errmsg(handler_t handle);

/* ---- Extensions: process-wide configuration and statistics -------- */

/*
 * Keys (each also read from its environment variable when never set):
 *   sysfs      WD_SYSFS_ROOT      UACCE class dir     (/sys/class/uacce)
 *   dev        WD_DEV_ROOT        device node dir     (/dev)
 *   emulate    WD_EMULATE         emulated devices, e.g. "hisi_zip:2"
 *   fallback   WD_FALLBACK        "false": errors instead of software
 *   devices    WD_DEVICES         device id list, e.g. "0,2-3"
 *   threshold  WD_HW_THRESHOLD    smallest request sent to a device (1024)
 *   threads    WD_THREADS         software async workers (online CPUs)
 *   isal       WD_ISAL_PATH       path of libisal.so to dlopen (optional)
 *   retain     WD_HW_RETAIN       decompress replay cap in bytes (8 MiB)
 * Settings apply to sessions allocated afterwards.  0 or -EINVAL.
 */
int wd_config_set(const char *key, const char *value);
const char *wd_config_get(const char *key);

#define WD_STATS_ENGINES 16
struct wd_engine_stats {
	char engine[64];           /* "software" or a device name */
	unsigned long long streams;
	unsigned long long requests;
	unsigned long long bytes_in;
	unsigned long long bytes_out;
	unsigned long long fallbacks; /* streams this engine handed to software */
};
/* Copies up to max rows; returns the number of rows. */
int wd_comp_get_stats(struct wd_engine_stats *out, int max);
void wd_comp_reset_stats(void);

#ifdef __cplusplus
}
#endif
#endif
