/*
 * Decompression in the software driver: our own decoder (sw_inflate.c)
 * with zlib behind it.
 *
 * The decoder takes input and gives output call by call exactly as zlib
 * does, so the JDK's getRemaining(), needsInput() and getBytesRead() come
 * out the same at every step.  What it leaves to zlib:
 *   - errors: the input of the stream is kept (up to SW_RETAIN_CAP) and
 *     zlib replays it, so the error, its message and the output before it
 *     are zlib's own; past the cap the decoder's verdict stands (its
 *     messages are zlib's words);
 *   - zlib headers asking for a preset dictionary and gzip header CRCs,
 *     which it reports as errors at the start of the stream, where the
 *     input is always kept; a dictionary before a stream starts.
 * A raw dictionary set in mid-stream the decoder takes itself, as zlib
 * does; from then on its verdicts stand (a replay would need it too).
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/wd_internal.h"
#include "sw_inflate.h"
#include "sw_int.h"

/* Compressed input kept for a zlib replay; past it errors are the decoder's. */
#define SW_RETAIN_CAP (1u << 20)
/* A retain buffer up to this size stays with its stream for the next one;
 * a larger one is let go when the stream ends (a reset frees any). */
#define SW_RETAIN_KEEP (64u * 1024)

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

int sw_dec_start(struct wd_comp_sess *sess, struct sw_stream *s)
{
	if (!s->wdi && posix_memalign((void **)&s->wdi, 64, sizeof(*s->wdi)))
		s->wdi = NULL;
	if (!s->wdi) {
		sess->msg = "out of memory";
		return -ENOMEM;
	}
	wdi_init(s->wdi, sess->alg == WD_ALG_ZLIB ? WDI_ZLIB :
			 sess->alg == WD_ALG_GZIP ? WDI_GZIP : WDI_RAW);
	s->engine = SW_OWN;
	s->retaining = 1;
	s->rlen = 0;
	s->delivered = 0;
	s->finished = 0; /* start_decompress cleared the replay output */
	return 0;
}

void sw_dec_free(struct sw_stream *s)
{
	free(s->wdi);
	free(s->retain);
	free(s->rpend);
	s->wdi = NULL;
	s->retain = s->rpend = NULL;
	s->rlen = s->rcap = s->rpend_len = s->rpend_pos = s->rpend_cap = 0;
}

static int retain_add(struct sw_stream *s, const unsigned char *p, size_t n)
{
	if (!s->retaining || !n)
		return 0;
	if (s->rlen + n > SW_RETAIN_CAP) {
		/* Long stream: stop keeping it; later errors are the decoder's. */
		s->retaining = 0;
		free(s->retain);
		s->retain = NULL;
		s->rlen = s->rcap = 0;
		return 0;
	}
	return wd_buf_append(&s->retain, &s->rlen, &s->rcap, p, n, 65536);
}

static int rpend_add(struct sw_stream *s, const unsigned char *p, size_t n)
{
	return wd_buf_append(&s->rpend, &s->rpend_len, &s->rpend_cap, p, n, 65536);
}

/* Moves the stream to zlib: replays the kept input, drops the output
 * already delivered, keeps the rest (what the decoder held: a literal or
 * a match with no room yet) for delivery, then serves req. */
static int replay_into_zlib(struct wd_comp_sess *sess, struct sw_stream *s, struct wd_comp_req *req)
{
	unsigned char tmp[16384];
	uint64_t skip = s->delivered;
	size_t off = 0;
	int ret, full = 0;

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
	/* zlib takes input as the decoder did, so the replay makes all that
	 * was delivered; should it not, the rest is made again from req's
	 * input and dropped there. */
	s->zdrop = skip;
	free(s->retain);
	s->retain = NULL;
	s->rlen = s->rcap = 0;
	s->retaining = 0;
	return sw_zlib_inflate(sess, s, req, 1);
}

int sw_dec_inflate(struct wd_comp_sess *sess, struct sw_stream *s, struct wd_comp_req *req)
{
	struct wdi *z = s->wdi;
	int ret;

	req->status = WD_STATUS_OK;
	/* History kept by the caller before dst (see wd_comp_arg.dst_keeps):
	 * once used, the decoder's own window is no longer kept up. */
	if (req->dst_keeps && req->dst_hist >= wdi_hist_needed(z)) {
		z->out_hist = 1;
	} else if (z->out_hist) {
		sess->msg = "history before the output buffer too short";
		return -EINVAL;
	}
	z->next_in = req->src;
	z->avail_in = req->src_len;
	z->next_out = req->dst;
	z->avail_out = req->dst_len;
	ret = wdi_inflate(z);
	req->consumed = req->src_len - z->avail_in;
	req->produced = req->dst_len - z->avail_out;
	if (ret == WDI_BAD) {
		if (s->retaining)
			return replay_into_zlib(sess, s, req);
		/* Too long to replay: the decoder's verdict stands, and every
		 * later call repeats it (as zlib does). */
		sess->msg = z->msg;
		return -EBADMSG;
	}
	if (retain_add(s, req->src, req->consumed))
		return -ENOMEM;
	s->delivered += req->produced;
	if (ret == WDI_END) {
		req->status = WD_STATUS_STREAM_END;
		s->finished = 1;
		/* no zlib replay after the end: the kept input can go */
		s->retaining = 0;
		retain_trim(s);
	}
	return 0;
}

const char *sw_dec_error(const struct sw_stream *s)
{
	return s->wdi && s->wdi->msg ? s->wdi->msg : "";
}

void sw_dec_set_dict(struct sw_stream *s, const void *dict, size_t len)
{
	wdi_set_dict(s->wdi, dict, len);
	/* A replay would need the dictionary at this very point: from here
	 * on the decoder's verdicts stand (they are zlib's, messages too). */
	s->retaining = 0;
	retain_trim(s);
}

/* zlib's strm->adler for this stream: 0 for raw DEFLATE (the JDK's
 * getAdler() reads what its zeroed z_stream holds). */
uint32_t sw_dec_check(const struct sw_stream *s)
{
	return s->wdi && s->wdi->wrap != WDI_RAW ? s->wdi->check : 0;
}
