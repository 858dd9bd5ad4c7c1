/* The software driver's internals, shared by sw_comp.c (the driver, zlib,
 * framing, block/async), sw_isal.c (ISA-L, loaded at run time), sw_ldb.c
 * (libdeflate blocks) and sw_dec.c (decompression on our own decoder). */
#ifndef WARPDRIVE_SW_INT_H
#define WARPDRIVE_SW_INT_H

#include <pthread.h>
#include <zlib.h>

#include "warpdrive/wd_alg_comp.h"

enum sw_engine {
	SW_ZLIB = 0, /* zlib, framing its own: the JDK's exact behaviour */
	SW_ISAL = 1, /* ISA-L: compression level 1 */
	SW_LDB = 2,  /* libdeflate blocks (sw_ldb.c): compression levels 2-9 */
	SW_OWN = 3,  /* our own decoder (sw_dec.c, sw_inflate.c): decompression */
};

struct isal_zstream;
struct wdi;

struct sw_stream {
	int started;
	int engine;        /* enum sw_engine */
	int zlib_framing;  /* zlib writes/reads the framing itself */
	int resumed;       /* raw, taken over mid-stream: framing is the library's */
	int zs_live;
	int zs_used;       /* zlib ran deflate() since its reset (its last_flush is not -2) */
	int zs_filled;     /* its last call filled the output: it may hold input still */
	z_stream zs;

	/* compression through a raw engine with framing done here */
	struct isal_zstream *iz;
	unsigned char *lvlbuf;
	int isal_level;
	unsigned char pend[16]; /* header/trailer bytes not yet delivered */
	unsigned pend_pos, pend_len;
	unsigned char *spill;   /* ISA-L output made with more room than the caller had */
	size_t spill_pos, spill_len;
	int hdr_done, trl_done;
	int fin_started;        /* a FINISH call took all input: the final block has begun */
	int flushing;           /* ISA-L: the mode of a SYNC/FULL flush not yet written out */
	int synced;             /* byte aligned and nothing new since the last flush: 0, or
				 * that flush (WD_SYNC_FLUSH or WD_FULL_FLUSH) */

	/* libdeflate blocks: input gathered into a block, its compressed form */
	int ldb_level;
	unsigned char *ibuf;
	size_t ilen, icap;
	unsigned char *obuf;
	size_t opos, olen, ocap;
	int ldb_final;          /* obuf holds the final block */
	int ldb_flushed;        /* a flush is done and no input came after it */
	int ldb_to_zlib;        /* a short block was sync-flushed: zlib takes over when idle */
	unsigned char *hist;    /* the last hlen (<= 32 KiB) bytes of input, for that */
	size_t hlen;

	uint32_t check;         /* Adler-32 (zlib) or CRC-32 (gzip) of the input */
	uint32_t isize;

	/* decompression on our own decoder, zlib replaying it on errors */
	struct wdi *wdi;
	int retaining;          /* retain[] still holds everything since the start */
	unsigned char *retain;
	size_t rlen, rcap;
	uint64_t delivered;
	unsigned char *rpend;   /* replay output not yet delivered */
	uint64_t zdrop;         /* after a replay: delivered output it did not make
				 * again, made from the next input and dropped */
	size_t rpend_pos, rpend_len, rpend_cap;
	int finished;
};

struct sw_priv {
	struct sw_stream d[2];
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct wd_comp_req *done_head, *done_tail;
	int in_flight; /* submitted and not yet handed back by async_poll */
};

/* in sw_isal.c */
int sw_isal_available(void);
int sw_isal_deflate_start(struct wd_comp_sess *sess, struct sw_stream *s, int level);
/* One raw step; counts come back through the pointers, ended once the
 * final block is out. */
int sw_isal_deflate(struct sw_stream *s, const unsigned char *in, size_t n, unsigned char *out,
		    size_t room, int flush, size_t *consumed, size_t *produced, int *ended);
/* True once a flush has fully left the engine (byte aligned, nothing held). */
int sw_isal_deflate_idle(const struct sw_stream *s);
void sw_isal_free(struct sw_stream *s);
uint32_t sw_isal_adler32(uint32_t adler, const unsigned char *p, size_t n);
uint32_t sw_isal_crc32(uint32_t crc, const unsigned char *p, size_t n);

/* in sw_ldb.c */
int sw_ldb_deflate_start(struct wd_comp_sess *sess, struct sw_stream *s, int level);
/* One raw step, with sw_isal_deflate's contract. */
int sw_ldb_deflate(struct wd_comp_sess *sess, struct sw_stream *s, const unsigned char *in, size_t n,
		   unsigned char *out, size_t room, int flush, size_t *consumed, size_t *produced,
		   int *ended);
int sw_ldb_deflate_idle(const struct sw_stream *s);
/* True when a short sync-flushed block asks for zlib and all is written. */
int sw_ldb_wants_zlib(const struct sw_stream *s);
/* Lets the stream's block-sized buffers go (to a spare pool) when they
 * hold nothing: done when a stream ends, restarts or leaves libdeflate. */
void sw_ldb_shed(struct sw_stream *s);
/* Upper bound of sw_ldb_compress's output for n bytes of input. */
size_t sw_ldb_bound(size_t n);
/* One block of a raw stream into out (cap >= sw_ldb_bound(n)): the final
 * block, or a non-final one and an empty stored block.  Returns the size
 * written or a negative errno. */
long sw_ldb_compress(int level, const unsigned char *in, size_t n, unsigned char *out, size_t cap,
		     int final);
void sw_ldb_free(struct sw_stream *s);

/* in sw_dec.c */
int sw_dec_start(struct wd_comp_sess *sess, struct sw_stream *s);
int sw_dec_inflate(struct wd_comp_sess *sess, struct sw_stream *s, struct wd_comp_req *req);
/* The decoder's error message, "" while it has none (zlib's strm->msg). */
const char *sw_dec_error(const struct sw_stream *s);
uint32_t sw_dec_check(const struct sw_stream *s);
/* A raw dictionary in mid-stream, taken by the decoder itself (no zlib
 * replay after it). */
void sw_dec_set_dict(struct sw_stream *s, const void *dict, size_t len);
void sw_dec_free(struct sw_stream *s);

/* sw_comp.c, for sw_dec.c's replay into zlib */
int sw_zlib_start(struct wd_comp_sess *sess, struct sw_stream *s, int dir, int raw);
/* drain: deliver replay output kept in rpend first (not while replaying) */
int sw_zlib_inflate(struct wd_comp_sess *sess, struct sw_stream *s, struct wd_comp_req *req,
		    int drain);

#endif
