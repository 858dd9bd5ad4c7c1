/*
 * Arbitrary bytes inflated through the flat stream API (wds_inflate) in
 * raw, zlib or gzip format, with input and output cut into pieces whose
 * sizes come from the fuzz input.  zlib, fed the same bytes in one call,
 * is the oracle: same verdict (end, data error, needs input, needs a
 * dictionary), same output, same input consumed, same check value.
 *
 * Input layout:
 *   byte 0     format (0 raw, 1 zlib, 2 gzip; mod 3); +4: use the dictionary;
 *              +8: inflate through the stream's output ring (wds_inflate_ring)
 *   byte 1, 2  input / output piece size class (see piece()); input class
 *              +8: a byte or none per call instead, and all the rest after
 *              a call that did nothing (zlib lets a caller offer less than
 *              it left unconsumed)
 *   byte 3, 4  seed for the piece sizes
 *   rest       the compressed bytes
 *
 * On the software engine a second zlib stream runs in lockstep, given
 * the same input and room at every call (with Z_PARTIAL_FLUSH, as the JDK
 * calls it): each call must take, give and report exactly what zlib's did.
 *
 * Each call gets a fresh heap copy of its input and an output buffer of
 * exactly the size offered, so ASan catches any read or write outside.
 * Set WD_EMULATE=hisi_zip:1 WD_HW_THRESHOLD=0 to run it on the emulated
 * device instead of the software engine (no lockstep there: the device
 * decodes ahead of what it delivers).
 */
#include <zlib.h>

#include "warpdrive/wd_stream.h"
#include "fuzz_util.h"

#define OUT_MAX (256 * 1024) /* output beyond this is not compared */
#define STALL_LIMIT 3        /* calls without progress before we stop */
/* Output the device may hold back at the end of a cut stream: 64 bits of
 * input (a 64-bit bit buffer) of 1-bit codes for 258-byte matches. */
#define HELD_MAX (64 * 258)

/* The dictionary offered when one is asked for (or, raw, before start). */
static const char dict[] = "warp drive deflate zlib gzip hisi_zip the queue of 1234 ";

enum verdict { V_END, V_ERROR, V_NEED_INPUT, V_NEED_DICT, V_CAPPED };

struct result {
	enum verdict v;
	unsigned char *out;
	size_t out_len, in_used;
	uint32_t check;
	int err;
	const char *msg; /* zlib's message on a data error */
};

static uint32_t rng_next(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Piece sizes from 1 byte to 1 MiB, random within the class's maximum. */
static size_t piece(unsigned cls, uint32_t *x)
{
	static const size_t max[8] = { 1, 2, 7, 64, 512, 4096, 65536, 1 << 20 };

	return 1 + rng_next(x) % max[cls % 8];
}

static int wbits(int alg)
{
	return alg == WDS_RAW ? -15 : alg == WDS_GZIP ? 31 : 15;
}

static void run_zlib(int alg, int use_dict, const uint8_t *in, size_t n, struct result *r)
{
	z_stream zs = { 0 };
	int ret;

	if (inflateInit2(&zs, wbits(alg)) != Z_OK)
		abort();
	if (alg == WDS_RAW && use_dict)
		inflateSetDictionary(&zs, (const Bytef *)dict, sizeof(dict));
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)n;
	zs.next_out = r->out;
	zs.avail_out = OUT_MAX;
	ret = inflate(&zs, Z_NO_FLUSH);
	if (ret == Z_NEED_DICT && use_dict) {
		ret = inflateSetDictionary(&zs, (const Bytef *)dict, sizeof(dict));
		if (ret == Z_OK)
			ret = inflate(&zs, Z_NO_FLUSH);
	}
	r->out_len = zs.total_out;
	r->in_used = n - zs.avail_in; /* total_in misses the Z_NEED_DICT return */
	r->check = (uint32_t)zs.adler;
	r->msg = zs.msg ? zs.msg : "";
	if (ret == Z_STREAM_END)
		r->v = V_END;
	else if (ret == Z_NEED_DICT)
		r->v = V_NEED_DICT;
	else if (ret == Z_DATA_ERROR)
		r->v = V_ERROR;
	else if (!zs.avail_out)
		r->v = V_CAPPED;
	else
		r->v = V_NEED_INPUT;
	inflateEnd(&zs);
}

static int on_device(void)
{
	const char *e = getenv("WD_EMULATE");

	return e && *e;
}

/* zlib's step for the same call, checked against the library's result. */
static void lockstep(z_stream *zm, const uint8_t *in, size_t in_n, const unsigned char *out,
		     size_t room, int64_t res)
{
	static unsigned char zbuf[OUT_MAX];
	int zr;

	zm->next_in = (Bytef *)in;
	zm->avail_in = (uInt)in_n;
	zm->next_out = zbuf;
	zm->avail_out = (uInt)room;
	zr = inflate(zm, Z_PARTIAL_FLUSH);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "call: in %zu room %zu: zlib %d read %zu made %zu; wds read %d made %d%s%s%s\n",
			in_n, room, zr, in_n - zm->avail_in, room - zm->avail_out, WDS_READ(res),
			WDS_WRITTEN(res), res & WDS_FINISHED ? " end" : "", res & WDS_ERROR ? " error" : "",
			res & WDS_PENDING ? " dict" : "");
	FZ_ASSERT((size_t)WDS_READ(res) == in_n - zm->avail_in);
	FZ_ASSERT((size_t)WDS_WRITTEN(res) == room - zm->avail_out);
	FZ_ASSERT(!memcmp(out, zbuf, room - zm->avail_out));
	FZ_ASSERT(!!(res & WDS_FINISHED) == (zr == Z_STREAM_END));
	FZ_ASSERT(!!(res & WDS_ERROR) == (zr == Z_DATA_ERROR));
	FZ_ASSERT(!!(res & WDS_PENDING) == (zr == Z_NEED_DICT));
}

/* One inflate call into out (room bytes), directly or through the ring
 * (whose output is then copied to out). */
static int64_t inflate_call(intptr_t s, int ring, const unsigned char *in, size_t in_n,
			    unsigned char *out, size_t room)
{
	unsigned char *base;
	int64_t res;
	int32_t at;

	if (!ring)
		return wds_inflate(s, (intptr_t)in, (int)in_n, (intptr_t)out, (int)room);
	base = (unsigned char *)wds_stage(s, 2);
	FZ_ASSERT(base && room <= WDS_STAGE_SIZE);
	res = wds_inflate_ring(s, (intptr_t)in, (int)in_n, (int)room);
	memcpy(&at, base + WDS_RING_SIZE, sizeof(at));
	FZ_ASSERT(at >= 0 && (size_t)at + (size_t)WDS_WRITTEN(res) <= WDS_RING_SIZE);
	memcpy(out, base + at, (size_t)WDS_WRITTEN(res));
	return res;
}

static void run_wds(int alg, int use_dict, int ring, const uint8_t *in, size_t n, unsigned in_cls,
		    unsigned out_cls, uint32_t seed, struct result *r)
{
	z_stream zm = { 0 };
	int step = !on_device();
	intptr_t s = wds_open(WDS_INFLATE, alg, -1, 0);
	uint32_t x = seed ? seed : 1;
	size_t ip = 0, op = 0;
	int stalls = 0, dict_given = 0, probed = 0, sparse = (in_cls & 8) != 0, all = 0;

	FZ_ASSERT(s);
	if (step && inflateInit2(&zm, wbits(alg)) != Z_OK)
		abort();
	if (alg == WDS_RAW && use_dict) {
		FZ_ASSERT(wds_set_dict(s, (intptr_t)dict, sizeof(dict)) == 0);
		if (step)
			inflateSetDictionary(&zm, (const Bytef *)dict, sizeof(dict));
	}
	for (;;) {
		size_t in_n = !sparse ? piece(in_cls, &x) : all ? n - ip : rng_next(&x) % 2;
		size_t room = piece(out_cls, &x);
		unsigned char *ib, *ob;
		int64_t res;

		in_n = in_n < n - ip ? in_n : n - ip;
		room = room < OUT_MAX - op ? room : OUT_MAX - op;
		if (ring && room > WDS_STAGE_SIZE)
			room = WDS_STAGE_SIZE;
		if (!room) {
			r->v = V_CAPPED;
			break;
		}
		ib = fz_dup(in + ip, in_n);
		ob = malloc(room);
		FZ_ASSERT(ob);
		res = inflate_call(s, ring, ib, in_n, ob, room);
		FZ_ASSERT((size_t)WDS_READ(res) <= in_n && (size_t)WDS_WRITTEN(res) <= room);
		if (step)
			lockstep(&zm, in + ip, in_n, ob, room, res);
		memcpy(r->out + op, ob, (size_t)WDS_WRITTEN(res));
		free(ib);
		free(ob);
		ip += (size_t)WDS_READ(res);
		op += (size_t)WDS_WRITTEN(res);
		if (ip == n && WDS_READ(res) && !probed && op < OUT_MAX &&
		    !(res & (WDS_ERROR | WDS_FINISHED | WDS_PENDING))) {
			/* All input taken: an engine still holding decoded output
			 * must have left a byte unconsumed (java.util.zip callers
			 * stop at needsInput()).  zlib may still hold the rest of a
			 * match and up to three more decoded from the 7 bits it may
			 * have taken ahead (2 bits per 258-byte match at least).
			 * Seen: a raw stream with the dictionary, 3,000 zero bytes
			 * at level 9 with its last 2-3 bytes cut, gives 1,032. */
			size_t big = OUT_MAX - op < 1024 ? OUT_MAX - op : 1024;
			int64_t probe;

			ob = malloc(big);
			FZ_ASSERT(ob);
			probe = inflate_call(s, ring, ob, 0, ob, big);
			FZ_ASSERT(WDS_WRITTEN(probe) <= 4 * 258);
			if (step)
				lockstep(&zm, in + ip, 0, ob, big, probe);
			memcpy(r->out + op, ob, (size_t)WDS_WRITTEN(probe));
			free(ob);
			op += (size_t)WDS_WRITTEN(probe);
			probed = 1;
			if (probe & (WDS_ERROR | WDS_FINISHED | WDS_PENDING))
				res = probe;
		}
		if (res & WDS_ERROR) {
			r->v = V_ERROR;
			r->err = wds_errcode(s);
			break;
		}
		if (res & WDS_FINISHED) {
			r->v = V_END;
			r->check = (uint32_t)wds_adler(s);
			/* after the end: nothing more is taken or given */
			ib = fz_dup(in + ip, n - ip);
			ob = malloc(16);
			res = inflate_call(s, ring, ib, n - ip, ob, 16);
			FZ_ASSERT(res == WDS_FINISHED);
			free(ib);
			free(ob);
			break;
		}
		if (res & WDS_PENDING) {
			if (!use_dict || dict_given) {
				r->v = V_NEED_DICT;
				break;
			}
			dict_given = 1;
			r->err = wds_set_dict(s, (intptr_t)dict, sizeof(dict));
			if (step)
				FZ_ASSERT((inflateSetDictionary(&zm, (const Bytef *)dict, sizeof(dict)) == Z_OK) ==
					  (r->err == 0));
			if (r->err) {
				r->v = V_ERROR;
				break;
			}
			continue;
		}
		if (WDS_READ(res) || WDS_WRITTEN(res)) {
			stalls = 0;
			all = 0;
			continue;
		}
		if (sparse && !all) {
			all = 1;
			continue;
		}
		/* No progress with input and room offered would spin Java's
		 * InflaterInputStream forever: it only refills on needsInput(). */
		FZ_ASSERT(in_n == 0 || ++stalls < STALL_LIMIT);
		if (in_n == 0) {
			r->v = V_NEED_INPUT;
			break;
		}
	}
	r->out_len = op;
	r->in_used = ip;
	wds_close(s);
	if (step)
		inflateEnd(&zm);
}

/*
 * zlib rejects Huffman codes that are incomplete (RFC 1951 leaves them
 * undefined; no encoder writes them); the device model's engine only
 * rejects over-subscribed ones and decodes with an incomplete code until
 * an unused pattern turns up.  On such input the device may deliver output
 * past zlib's error point, or wait for more input, or (raw format, no
 * check value) end without an error.  The output before zlib's error point
 * is still compared.  The software engine is held to zlib's rule.
 */
static int device_leniency(const char *zmsg)
{
	static const char *const msgs[] = { "invalid code lengths set", "invalid literal/lengths set",
					    "invalid distances set" };

	if (getenv("FUZZ_STRICT") || !on_device())
		return 0;
	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
		if (!strcmp(zmsg, msgs[i]))
			return 1;
	return 0;
}

static void compare(int alg, size_t n, const struct result *z, const struct result *w)
{
	size_t common = z->out_len < w->out_len ? z->out_len : w->out_len;

	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "alg %d: zlib verdict %d out %zu in %zu (%s); wds verdict %d out %zu in %zu err %d\n",
			alg, z->v, z->out_len, z->in_used, z->msg, w->v, w->out_len, w->in_used, w->err);
	FZ_ASSERT(!memcmp(z->out, w->out, common));
	if (z->v == V_CAPPED || w->v == V_CAPPED)
		return;
	switch (z->v) {
	case V_END:
		FZ_ASSERT(w->v == V_END);
		FZ_ASSERT(w->out_len == z->out_len);
		FZ_ASSERT(w->in_used == z->in_used);
		if (alg != WDS_RAW)
			FZ_ASSERT(w->check == z->check);
		break;
	case V_ERROR:
		if (device_leniency(z->msg))
			break; /* known divergence, see device_leniency() */
		FZ_ASSERT(w->v == V_ERROR);
		FZ_ASSERT(w->err == -EBADMSG);
		FZ_ASSERT(w->out_len <= z->out_len);
		break;
	case V_NEED_DICT:
		FZ_ASSERT(w->v == V_NEED_DICT);
		FZ_ASSERT(w->in_used == z->in_used);
		break;
	case V_NEED_INPUT:
		FZ_ASSERT(w->v == V_NEED_INPUT);
		/* The device decodes a symbol only with its table's worth of
		 * bits at hand: at the end of a cut stream it may hold back the
		 * last symbols zlib already wrote (64 bits of them at most).
		 * They come out once more input arrives; never more than zlib. */
		if (getenv("FUZZ_STRICT") || !on_device())
			FZ_ASSERT(w->out_len == z->out_len);
		FZ_ASSERT(w->out_len <= z->out_len && z->out_len - w->out_len <= HELD_MAX);
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char zout[OUT_MAX], wout[OUT_MAX];
	struct fz f = { data, size };
	struct result z = { 0 }, w = { 0 };
	unsigned mode = fz_byte(&f), in_cls = fz_byte(&f), out_cls = fz_byte(&f);
	uint32_t seed = fz_u16(&f);
	int alg = (int)(mode & 3) % 3, use_dict = (mode & 4) != 0, ring = (mode & 8) != 0;

	if (size > 4 * 1024 * 1024)
		return 0;
	z.out = zout;
	w.out = wout;
	run_zlib(alg, use_dict, f.p, f.n, &z);
	run_wds(alg, use_dict, ring, f.p, f.n, in_cls, out_cls, seed * 2654435761u, &w);
	compare(alg, f.n, &z, &w);
	return 0;
}
