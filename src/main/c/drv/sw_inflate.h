/*
 * The software driver's own DEFLATE decoder (RFC 1951), with the zlib
 * (RFC 1950) and gzip (RFC 1952) wrappers: a streaming decoder built for
 * speed at the 64 KiB pieces Java hands over.
 *
 * It decodes straight into the caller's buffer and keeps the last 32 KiB
 * of output in its own window, so a call costs no extra pass over its
 * output.  A caller that keeps the output itself, each call's buffer right
 * after the one before (a ring), can set out_hist: the decoder then reads
 * matches there and skips the window copy (32 KiB per call).
 *
 * Each call takes and gives what zlib's inflate() would (with
 * Z_PARTIAL_FLUSH, as java.util.zip calls it): input is taken only as it
 * is decoded, and with no room left the next literal or match is still
 * decoded and held, block headers and the trailer read.  So after every
 * call the bytes left unconsumed are zlib's, and with them the JDK's
 * getRemaining(), needsInput() and getBytesRead().  It accepts and refuses
 * what zlib does (incomplete codes included), at the same call, with
 * zlib's messages.
 *
 * Left to zlib by its caller: preset dictionaries (a zlib header with
 * FDICT) and gzip header CRCs, which it reports as errors.
 */
#ifndef WARPDRIVE_SW_INFLATE_H
#define WARPDRIVE_SW_INFLATE_H

#include <stddef.h>
#include <stdint.h>

enum wdi_wrap { WDI_RAW = 0, WDI_ZLIB = 1, WDI_GZIP = 2 };

enum wdi_ret {
	WDI_OK = 0,   /* progress made or none possible; call again with more */
	WDI_END = 1,  /* the stream (and its trailer) is complete */
	WDI_BAD = -1, /* corrupt or unsupported data: msg says what */
};

/* Main table index bits: litlen codes up to 11 bits and offset codes up
 * to 8 bits resolve in one lookup, longer ones in a second. */
#define WDI_LBITS 11
#define WDI_DBITS 8
/* Largest tables: each second-level table has at least one symbol. */
#define WDI_LT_SIZE ((1u << WDI_LBITS) + 288u * (1u << (15 - WDI_LBITS)))
#define WDI_DT_SIZE ((1u << WDI_DBITS) + 32u * (1u << (15 - WDI_DBITS)))
#define WDI_WSIZE 32768u

struct wdi {
	const uint8_t *next_in;
	size_t avail_in;
	uint8_t *next_out;
	size_t avail_out;
	uint64_t total_out;
	uint32_t check;   /* Adler-32 (zlib) or CRC-32 (gzip) of the output so far */
	const char *msg;  /* set with WDI_BAD */
	/* Set by the caller before a call: nonzero when the 32 KiB (or all
	 * the output and dictionary so far, if less) before next_out are the
	 * stream's latest output, in order.  Once set it must stay set until
	 * wdi_init (wdi_hist_needed says how much must be there). */
	int out_hist;

	/* private */
	int wrap;
	int mode;
	int last;         /* the current block is the final one */
	uint64_t bb;      /* bit buffer, LSB first; bits above bl are zero */
	unsigned bl;
	unsigned idx, need, nlit, ndist, ncl; /* header parsing */
	unsigned len, dist;                   /* a match cut short by the room */
	unsigned left;                        /* stored bytes, or gzip extra bytes */
	unsigned gz_flags;
	uint32_t gz_isize;
	const uint32_t *lt, *dt;              /* current tables (own or fixed) */
	unsigned whave, wnext;                /* circular window */
	uint8_t lens[320];
	uint32_t own_lt[WDI_LT_SIZE];
	uint32_t own_dt[WDI_DT_SIZE];
	uint8_t win[WDI_WSIZE];
};

void wdi_init(struct wdi *z, int wrap);
/* Decodes from next_in/avail_in into next_out/avail_out, advancing both. */
int wdi_inflate(struct wdi *z);
/* A raw stream's dictionary, before or during the stream: it joins the
 * window as if it were output, as zlib's inflateSetDictionary() does. */
void wdi_set_dict(struct wdi *z, const uint8_t *dict, size_t len);
/* Bytes of history the next call may read before next_out with out_hist
 * set: min(32 KiB, output and dictionary so far). */
unsigned wdi_hist_needed(const struct wdi *z);
/* True once a raw stream's final block ended or a wrapped stream's trailer
 * was read: nothing more is taken. */
int wdi_finished(const struct wdi *z);

#endif
