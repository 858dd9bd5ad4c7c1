/* The compression library's session, shared by wd_comp.c (sessions,
 * dispatch, block/async, stats) and wd_comp_hw.c (the stream adapter
 * that gives hardware drivers zlib semantics, and mid-stream takeover). */
#ifndef WARPDRIVE_WD_COMP_INT_H
#define WARPDRIVE_WD_COMP_INT_H

#include "warpdrive/wd_alg_comp.h"

/* Input gathered before one device request (an accelerator wants tens
 * of KiB per request, not the 512 bytes a JDK stream writes). */
#define HW_BATCH (64u * 1024u)
/* A stateful compression request needs >= 1.125 x input of output room
 * (UADK hisi_comp), plus room for a header and a trailer. */
#define HW_OBUF (HW_BATCH + HW_BATCH / 8 + 1024u)
/* Largest gzip header we accept (FEXTRA <= 64 KiB, name and comment). */
#define HW_GZ_HDR_MAX (256u * 1024u)

enum stream_engine {
	ENG_UNDECIDED = 0, /* nothing sent anywhere yet */
	ENG_DEVICE,        /* the session's device through the hw adapter */
	ENG_SOFTWARE,      /* the software driver with its own framing */
	ENG_RESUMED,       /* software, raw, taken over from the device mid-stream */
};

struct comp_dir {
	int engine; /* enum stream_engine */
	int ended;  /* STREAM_END reported */

	/* hw adapter: pending output (drained to the caller first) */
	unsigned char *obuf;
	size_t opos, olen, ocap;

	/* compression */
	unsigned char *ibuf; /* batched input, HW_BATCH */
	size_t ilen;
	unsigned char *hist; /* last WD_HIST_SIZE bytes sent to the device */
	size_t hlen;
	int dirty;      /* input since the last flush point (or stream start) */
	int hdr_done;
	int final_done; /* final block and trailer are in obuf */

	/* both: running check value over the uncompressed data */
	uint32_t check;
	uint64_t isize;

	/* decompression */
	unsigned char *retain; /* compressed input since the stream began */
	size_t rlen, rcap;
	uint64_t delivered;    /* output handed to the caller this stream */
	uint64_t skip_left;    /* delivered output a takeover replay has not reproduced yet */
	int started;           /* the first call with input has been seen */
	int body_done;         /* device reported the final block */
	int held;              /* the device may hold output: ask even with no input */
	int more;              /* software holds decoded output (its last call's req.more) */
	size_t lent;           /* input taken but reported unconsumed (strm_decompress) */
	int end_owed;          /* the engine ended; reported once the lent byte is back */
	unsigned char *hdr;    /* header bytes being parsed */
	size_t hdr_len;
	unsigned char trl[8];
	size_t trl_len;

	int stat_row; /* engine statistics row of the current stream */
};

struct comp_sess {
	struct wd_comp_sess dev; /* bound to the chosen driver (device or software) */
	struct wd_comp_sess sw;  /* the software driver when dev is a device */
	int has_dev;
	int sw_ready;
	int fallback_ok; /* warpdrive.fallback */
	size_t threshold;
	size_t retain_cap;
	struct comp_dir d[2];
	char msg[256];
};

/* Settings a device cannot honour (it has one level and a 32 KiB window). */
static inline int comp_needs_software(const struct wd_comp_sess *s)
{
	return s->level == 0 || s->strategy != 0 || s->window_bits != 15;
}

/* wd_comp.c */
struct wd_comp_sess *comp_sw(struct comp_sess *cs); /* NULL if it cannot start */
void comp_set_msg(struct comp_sess *cs, const char *msg);
/* A stream call served by the software driver (pending output first). */
int comp_sw_strm(struct comp_sess *cs, int dir, struct wd_comp_arg *arg);
int comp_stat_row(const char *engine);
void comp_stat_add(int row, unsigned long long in, unsigned long long out);
void comp_stat_stream(int row);
void comp_stat_fallback(int row);
uint32_t comp_check_init(int alg);
uint32_t comp_check_update(int alg, uint32_t check, const void *buf, size_t len);

/* wd_comp_hw.c */
int hw_strm_compress(struct comp_sess *cs, struct wd_comp_arg *arg);
int hw_strm_decompress(struct comp_sess *cs, struct wd_comp_arg *arg);
/* Moves the direction's stream to software now (decompression: replays
 * what the device has seen).  0 or -errno. */
int hw_takeover(struct comp_sess *cs, int dir, int reason);
void hw_dir_reset(struct comp_sess *cs, int dir);
void hw_dir_free(struct comp_dir *d);
/* Drains pending adapter output into dst; returns bytes copied. */
size_t hw_drain(struct comp_dir *d, unsigned char *dst, size_t room);

#endif
