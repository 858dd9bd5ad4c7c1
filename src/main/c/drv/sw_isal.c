/*
 * ISA-L for the software driver: the fastest engine Debian ships for
 * DEFLATE levels 1-3 and for decompression.  Debian has no static archive
 * of it, so it is loaded at run time (the jar carries a copy; Java passes
 * its path as config "isal"); without it everything runs on zlib.
 *
 * Two ISA-L habits are hidden here so callers see zlib's semantics:
 *   - its inflater reads up to 8 bytes ahead into a bit buffer; those bytes
 *     are reported as not yet consumed (the caller offers them again and
 *     they are skipped), so the input after the end of a stream is exact;
 *   - its verdicts on corrupt data are not zlib's: the input of the stream
 *     is kept (up to SW_RETAIN_CAP) and on any error zlib replays it, so
 *     the error, its message and the output before it are zlib's own.
 */
#include <dlfcn.h>
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/wd_internal.h"
#include "sw_int.h"

/* Level 1's work buffer: the extra-large one is ~5% faster than the
 * default on our corpus at the same ratio (0.5 MiB, allocated only for
 * level-1 streams). */
#define SW_ISAL_LVLBUF ISAL_DEF_LVL1_EXTRA_LARGE
/* Compressed input kept for a zlib replay; past it errors are ISA-L's. */
#define SW_RETAIN_CAP (1u << 20)
/* A retain buffer up to this size stays with its stream for the next one;
 * a larger one is let go when the stream ends (a reset frees any). */
#define SW_RETAIN_KEEP (64u * 1024)
#define ADLER_MOD 65521u
/* zlib header FLG bit: a preset dictionary follows (RFC 1950 2.2). */
#define ZLIB_FDICT 0x20
/* CMF: method 8 (deflate), window 2^(CINFO + 8) with CINFO <= 7 (2.2). */
#define ZLIB_CM_DEFLATE 8
#define ZLIB_CINFO_MAX 7
/* gzip FLG bits: a CRC-16 of the header follows; must be zero (RFC 1952 2.3.1). */
#define GZ_FHCRC 0x02
#define GZ_FRESERVED 0xe0

static struct {
	void (*deflate_init)(struct isal_zstream *);
	int (*deflate)(struct isal_zstream *);
	void (*inflate_init)(struct inflate_state *);
	int (*inflate)(struct inflate_state *);
	uint32_t (*adler32)(uint32_t, const unsigned char *, uint64_t);
	uint32_t (*crc32)(uint32_t, const unsigned char *, uint64_t);
	int ok;
} isal;
static pthread_once_t isal_once = PTHREAD_ONCE_INIT;

static void isal_load(void)
{
	const char *path = wd_cfg_str("isal");
	void *h;

	if (!strcmp(wd_cfg_str("engine"), "zlib"))
		return;
	h = dlopen(*path ? path : "libisal.so.2", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		wd_log(WD_LOG_INFO, "ISA-L not loaded (%s): zlib serves every level", dlerror());
		return;
	}
	*(void **)&isal.deflate_init = dlsym(h, "isal_deflate_init");
	*(void **)&isal.deflate = dlsym(h, "isal_deflate");
	*(void **)&isal.inflate_init = dlsym(h, "isal_inflate_init");
	*(void **)&isal.inflate = dlsym(h, "isal_inflate");
	*(void **)&isal.adler32 = dlsym(h, "isal_adler32");
	*(void **)&isal.crc32 = dlsym(h, "crc32_gzip_refl");
	if (!isal.deflate_init || !isal.deflate || !isal.inflate_init || !isal.inflate ||
	    !isal.adler32 || !isal.crc32) {
		wd_log(WD_LOG_WARN, "ISA-L at %s lacks a symbol we need; using zlib", *path ? path : "libisal.so.2");
		dlclose(h);
		return;
	}
	isal.ok = 1;
}

int sw_isal_available(void)
{
	pthread_once(&isal_once, isal_load);
	return isal.ok;
}

uint32_t sw_isal_adler32(uint32_t adler, const unsigned char *p, size_t n)
{
	return sw_isal_available() ? isal.adler32(adler, p, n) : wd_adler32(adler, p, n);
}

uint32_t sw_isal_crc32(uint32_t crc, const unsigned char *p, size_t n)
{
	return sw_isal_available() ? isal.crc32(crc, p, n) : wd_crc32(crc, p, n);
}

void sw_isal_free(struct sw_stream *s)
{
	free(s->iz);
	free(s->lvlbuf);
	free(s->is);
	free(s->retain);
	free(s->rpend);
	free(s->spill);
	s->spill = NULL;
	s->spill_pos = s->spill_len = 0;
	s->iz = NULL;
	s->lvlbuf = NULL;
	s->is = NULL;
	s->retain = s->rpend = NULL;
	s->rlen = s->rcap = s->rpend_len = s->rpend_pos = s->rpend_cap = 0;
}

/* ---- compression --------------------------------------------------------- */

int sw_isal_deflate_start(struct wd_comp_sess *sess, struct sw_stream *s, int level)
{
	/* ISA-L's SIMD code wants its state cache-line aligned */
	if (!s->iz && posix_memalign((void **)&s->iz, 64, sizeof(*s->iz)))
		s->iz = NULL;
	if (!s->lvlbuf && posix_memalign((void **)&s->lvlbuf, 64, SW_ISAL_LVLBUF))
		s->lvlbuf = NULL;
	if (!s->iz || !s->lvlbuf) {
		sess->msg = "out of memory";
		return -ENOMEM;
	}
	isal.deflate_init(s->iz);
	s->iz->level = (uint32_t)level;
	s->iz->level_buf = s->lvlbuf;
	s->iz->level_buf_size = SW_ISAL_LVLBUF;
	s->iz->gzip_flag = IGZIP_DEFLATE; /* raw: the framing is the driver's */
	s->isal_level = level;
	s->flushing = 0;
	s->engine = SW_ISAL;
	return 0;
}

int sw_isal_deflate(struct sw_stream *s, const unsigned char *in, size_t n, unsigned char *out,
		    size_t room, int flush, size_t *consumed, size_t *produced, int *ended)
{
	struct isal_zstream *z = s->iz;
	int ret;

	z->next_in = (uint8_t *)in;
	z->avail_in = (uint32_t)n;
	z->next_out = out;
	z->avail_out = (uint32_t)room;
	z->flush = flush == WD_SYNC_FLUSH ? SYNC_FLUSH : flush == WD_FULL_FLUSH ? FULL_FLUSH : NO_FLUSH;
	z->end_of_stream = flush == WD_FINISH;
	ret = isal.deflate(z);
	*consumed = n - z->avail_in;
	*produced = room - z->avail_out;
	*ended = z->internal_state.state == ZSTATE_END;
	return ret == COMP_OK ? 0 : -EINVAL;
}

int sw_isal_deflate_idle(const struct sw_stream *s)
{
	const struct isal_zstate *st = &s->iz->internal_state;

	/* between blocks, with nothing buffered for output */
	return (st->state == ZSTATE_NEW_HDR || st->state == ZSTATE_TMP_NEW_HDR) &&
	       st->tmp_out_start == st->tmp_out_end && st->bitbuf.m_bit_count == 0;
}

/* ---- decompression ---------------------------------------------------- */

/* Forgets the kept input: its buffer stays if small, else is freed. */
static void retain_trim(struct sw_stream *s)
{
	s->rlen = 0;
	if (s->rcap > SW_RETAIN_KEEP) {
		free(s->retain);
		s->retain = NULL;
		s->rcap = 0;
	}
}

int sw_isal_inflate_start(struct wd_comp_sess *sess, struct sw_stream *s)
{
	if (!s->is && posix_memalign((void **)&s->is, 64, sizeof(*s->is)))
		s->is = NULL;
	if (!s->is) {
		sess->msg = "out of memory";
		return -ENOMEM;
	}
	isal.inflate_init(s->is);
	s->is->crc_flag = sess->alg == WD_ALG_ZLIB ? ISAL_ZLIB :
			  sess->alg == WD_ALG_GZIP ? ISAL_GZIP : ISAL_DEFLATE;
	s->engine = SW_ISAL;
	s->held = 0;
	s->retaining = 1;
	s->rlen = 0;
	s->delivered = 0;
	s->rpend_len = s->rpend_pos = 0;
	s->finished = 0;
	s->owed = 0;
	s->hdr_seen = 0;
	s->failed = 0;
	return 0;
}

static int retain_add(struct sw_stream *s, const unsigned char *p, size_t n)
{
	if (!s->retaining || !n)
		return 0;
	if (s->rlen + n > SW_RETAIN_CAP) {
		/* Long stream: stop keeping it; later errors are ISA-L's verdicts. */
		s->retaining = 0;
		free(s->retain);
		s->retain = NULL;
		s->rlen = s->rcap = 0;
		return 0;
	}
	if (s->rlen + n > s->rcap) {
		size_t cap = WD_MAX(s->rlen + n, s->rcap ? s->rcap * 2 : (size_t)65536);
		unsigned char *q = realloc(s->retain, cap);

		if (!q)
			return -ENOMEM;
		s->retain = q;
		s->rcap = cap;
	}
	memcpy(s->retain + s->rlen, p, n);
	s->rlen += n;
	return 0;
}

static int rpend_add(struct sw_stream *s, const unsigned char *p, size_t n)
{
	if (s->rpend_len + n > s->rpend_cap) {
		size_t cap = s->rpend_len + n + 65536;
		unsigned char *q = realloc(s->rpend, cap);

		if (!q)
			return -ENOMEM;
		s->rpend = q;
		s->rpend_cap = cap;
	}
	memcpy(s->rpend + s->rpend_len, p, n);
	s->rpend_len += n;
	return 0;
}

/* zlib's words for what ISA-L found, when no replay is possible. */
static const char *isal_message(int ret)
{
	switch (ret) {
	case ISAL_INVALID_BLOCK:
		return "invalid block type";
	case ISAL_INVALID_SYMBOL:
		return "invalid literal/length code";
	case ISAL_INVALID_LOOKBACK:
		return "invalid distance too far back";
	case ISAL_INVALID_WRAPPER:
		return "incorrect header check";
	case ISAL_UNSUPPORTED_METHOD:
		return "unknown compression method";
	case ISAL_INCORRECT_CHECKSUM:
		return "incorrect data check";
	default:
		return "invalid data";
	}
}

/* Moves the stream to zlib: replays the kept input, drops the output
 * already delivered, keeps the rest for delivery, then serves req. */
static int replay_into_zlib(struct wd_comp_sess *sess, struct sw_stream *s, struct wd_comp_req *req,
			    int isal_ret)
{
	unsigned char tmp[16384];
	uint64_t skip = s->delivered;
	size_t off = 0;
	int ret, full = 0;

	if (!s->retaining) {
		/* Too long to replay: ISA-L's verdict stands, after the output
		 * it made in this call, and every later call repeats it (as
		 * zlib does; a device takeover counts on that). */
		sess->msg = isal_message(isal_ret);
		req->consumed = WD_MIN(req->src_len,
				       (size_t)((const unsigned char *)s->is->next_in - req->src));
		req->produced = req->dst_len - s->is->avail_out;
		if (isal_ret == ISAL_NEED_DICT)
			return -EINVAL;
		s->failed = isal_ret;
		return -EBADMSG;
	}
	ret = sw_zlib_start(sess, s, WD_DIR_DECOMPRESS, 0);
	if (ret)
		return ret;
	s->engine = SW_ZLIB;
	while (off < s->rlen || full) {
		struct wd_comp_req r = { 0 };
		size_t drop;

		r.src = s->retain + off;
		r.src_len = s->rlen - off;
		r.dst = tmp;
		r.dst_len = sizeof(tmp);
		r.dir = WD_DIR_DECOMPRESS;
		r.stream = 1;
		ret = sw_zlib_inflate(sess, s, &r, 0);
		off += r.consumed;
		full = r.produced == sizeof(tmp); /* a long match may still be pending */
		drop = (size_t)WD_MIN((uint64_t)r.produced, skip);
		skip -= drop;
		if (r.produced > drop && rpend_add(s, tmp + drop, r.produced - drop))
			return -ENOMEM;
		/* an error here repeats on the next zlib call, after rpend */
		if (ret || r.status != WD_STATUS_OK || (!r.consumed && !r.produced))
			break;
	}
	/* Output ISA-L made from bytes the caller has not yet seen taken
	 * (offered again in req) comes again from zlib: drop it there. */
	s->zdrop = skip;
	free(s->retain);
	s->retain = NULL;
	s->rlen = s->rcap = 0;
	s->retaining = 0;
	return sw_zlib_inflate(sess, s, req, 1);
}

/* Byte k of the stream, if the kept input or this call's input holds it
 * (req->src starts at stream offset rlen: held bytes are not kept yet). */
static int stream_byte(const struct sw_stream *s, const struct wd_comp_req *req, size_t k,
		       unsigned char *b)
{
	if (k < s->rlen) {
		*b = s->retain[k];
		return 1;
	}
	if (k - s->rlen < req->src_len) {
		*b = ((const unsigned char *)req->src)[k - s->rlen];
		return 1;
	}
	return 0;
}

/*
 * Headers ISA-L 2.30 gets wrong are left to zlib: it skips a zlib FDICT
 * request when the header arrives split over calls, accepts a zlib window
 * size above 32 KiB and gzip's reserved flag bits, does not check a gzip
 * header CRC, and waits for a whole gzip header before judging its magic
 * bytes.  Returns 1 once the header is known to be for zlib,
 * 0 while it looks ordinary.  Sets s->hdr_seen when nothing more needs
 * checking.
 */
static int header_needs_zlib(struct sw_stream *s, const struct wd_comp_req *req)
{
	static const unsigned char gz_magic[3] = { 0x1f, 0x8b, 8 };
	unsigned char b;

	if (s->is->crc_flag == ISAL_ZLIB) {
		unsigned char cmf;

		if (!stream_byte(s, req, 0, &cmf) || !stream_byte(s, req, 1, &b))
			return 0;
		s->hdr_seen = 1;
		/* ISA-L also takes a window size (CINFO) above 7 */
		return (b & ZLIB_FDICT) || (cmf & 0x0f) != ZLIB_CM_DEFLATE ||
		       (cmf >> 4) > ZLIB_CINFO_MAX || ((unsigned)cmf << 8 | b) % 31;
	}
	if (s->is->crc_flag != ISAL_GZIP) {
		s->hdr_seen = 1;
		return 0;
	}
	for (size_t k = 0; k < sizeof(gz_magic); k++) {
		if (!stream_byte(s, req, k, &b))
			return 0;
		if (b != gz_magic[k])
			return 1;
	}
	if (!stream_byte(s, req, 3, &b))
		return 0;
	s->hdr_seen = 1;
	return (b & (GZ_FRESERVED | GZ_FHCRC)) != 0;
}

int sw_isal_inflate(struct wd_comp_sess *sess, struct sw_stream *s, struct wd_comp_req *req)
{
	struct inflate_state *st = s->is;
	size_t n = req->src_len, skip = WD_MIN((size_t)s->held, n), used, held, consumed, ahead;
	size_t past_end;
	int ret;

	req->status = WD_STATUS_OK;
	if (s->failed) {
		sess->msg = isal_message(s->failed);
		req->consumed = req->produced = 0;
		return -EBADMSG;
	}
	if (s->finished) {
		/* the end of the stream ISA-L already read, taken as offered */
		req->consumed = WD_MIN((size_t)s->owed, n);
		req->produced = 0;
		s->owed -= (unsigned)req->consumed;
		if (!s->owed)
			req->status = WD_STATUS_STREAM_END;
		return 0;
	}
	if (!s->hdr_seen && s->retaining && header_needs_zlib(s, req))
		return replay_into_zlib(sess, s, req, ISAL_INVALID_WRAPPER);
	st->next_in = (uint8_t *)req->src + skip;
	st->avail_in = (uint32_t)(n - skip);
	st->next_out = req->dst;
	st->avail_out = (uint32_t)req->dst_len;
	ret = isal.inflate(st);
	if (ret < 0 || ret == ISAL_NEED_DICT)
		return replay_into_zlib(sess, s, req, ret);
	if (st->block_state == ISAL_CHECKSUM_CHECK && st->crc_flag == ISAL_GZIP && s->retaining)
		/* A gzip trailer cut short: zlib judges the CRC-32 as soon as
		 * it is there (before ISIZE), ISA-L waits for all 8 bytes. */
		return replay_into_zlib(sess, s, req, ISAL_INCORRECT_CHECKSUM);
	used = (n - skip) - st->avail_in;
	/* Bytes of this call's input ISA-L has read: those it held from
	 * before (even if the caller now offers fewer) and the new ones. */
	ahead = WD_MAX((size_t)s->held, skip + used);
	past_end = st->read_in_length > 0 ? (size_t)st->read_in_length / 8 : 0;
	held = WD_MIN(past_end, ahead);
	consumed = WD_MIN(ahead - held, n);
	if (!consumed && req->dst_len && st->avail_out == req->dst_len && held &&
	    st->block_state != ISAL_BLOCK_FINISH) {
		/* With room to write, the held bits are not enough to decode
		 * anything: take them so the caller brings more.  The stream
		 * cannot end inside them.  (With no room nothing is known.) */
		consumed = WD_MIN(ahead, n);
	}
	held = ahead - consumed;
	if (retain_add(s, req->src, consumed))
		return -ENOMEM;
	req->consumed = consumed;
	req->produced = req->dst_len - st->avail_out;
	s->delivered += req->produced;
	s->held = (unsigned)held;
	if (st->block_state == ISAL_BLOCK_FINISH) {
		/* What ISA-L read past the end belongs to the caller.  If the
		 * caller offered less than ISA-L had read of the stream (its
		 * trailer, say), the end is reported once the rest is taken,
		 * as zlib would: only then is all of the stream consumed. */
		s->finished = 1;
		s->held = 0;
		/* no zlib replay after the end: the kept input can go */
		s->retaining = 0;
		retain_trim(s);
		s->owed = (unsigned)(ahead - WD_MIN(past_end, ahead) - consumed);
		if (!s->owed)
			req->status = WD_STATUS_STREAM_END;
	}
	return 0;
}

int sw_isal_inflate_holds(const struct sw_stream *s)
{
	const struct inflate_state *st = s->is;

	/* its output buffer, or a literal run or match cut short by the room */
	return st && !s->finished &&
	       (st->tmp_out_valid > st->tmp_out_processed || st->write_overflow_len > 0 ||
		st->copy_overflow_length > 0);
}

/* zlib's strm->adler for this stream: ISA-L keeps Adler-32's low half
 * one short until the stream ends. */
uint32_t sw_isal_inflate_check(const struct sw_stream *s)
{
	uint32_t c = s->is ? s->is->crc : 0;

	if (!s->is || s->is->crc_flag == ISAL_DEFLATE)
		return 0;
	if (s->is->crc_flag == ISAL_ZLIB && !s->finished) {
		uint32_t low = (c & 0xffff) + 1;

		if (low >= ADLER_MOD)
			low -= ADLER_MOD;
		c = (c & 0xffff0000u) | low;
	}
	return c;
}
