/*
 * The deflate side of the flat stream API as a state machine, driven by a
 * random sequence of the calls java.util.zip's Deflater makes: setInput,
 * deflate with any flush mode and output room, setDictionary,
 * setLevel/setStrategy (applied by the next deflate call, repeated while
 * it says PENDING), reset and finish.  Whatever the sequence, the output
 * since the last reset must inflate (zlib) to exactly the input consumed
 * since then; after a SYNC/FULL flush that took all input, the output so
 * far must decode to all of it without the rest of the stream.
 *
 * Input layout: byte 0 format (mod 3), byte 1 level (mod 11, minus 1),
 * byte 2 strategy (mod 3), then operations, one opcode byte and its
 * arguments each (see step()).
 */
#include <zlib.h>

#include "warpdrive/wd_stream.h"
#include "fuzz_util.h"

#define IN_MAX (1 << 20)  /* input per stream segment */
#define OUT_MAX (IN_MAX + IN_MAX / 8 + 65536)
#define PARAMS(level, strategy) (1 | (strategy) << 1 | (int)((unsigned)(level) << 3))
#define MAX_DICTS 8

/* Where a raw dictionary was accepted mid-stream: zlib's inflater needs
 * it at the same point of the compressed stream. */
struct dict_event {
	size_t out_pos;
	const uint8_t *p;
	size_t n;
};

struct state {
	int alg;
	intptr_t s;
	unsigned char *in, *out;  /* input consumed and output made since the reset */
	size_t in_len, out_len;
	const uint8_t *pending;   /* setInput data not yet consumed (Java holds it) */
	size_t pending_len;
	int finishing, finished;
	int finish_called;        /* a deflate call with FINISH was made */
	int fin_all;              /* ... and it took all input there was */
	int synced;               /* all output so far is out and decodable */
	int params;               /* setLevel/setStrategy not yet applied */
	struct dict_event dicts[MAX_DICTS];
	int ndicts;
	unsigned char zdict[MAX_DICTS * 1024];
	size_t zdict_len;
	unsigned char pattern[65536];
};

static int wbits(int alg)
{
	return alg == WDS_RAW ? -15 : alg == WDS_GZIP ? 31 : 15;
}

/* Decodes out[0..out_len) with zlib (dictionaries where they were set)
 * and checks it gives exactly in[0..in_len). */
static void verify(const struct state *st, int whole)
{
	static unsigned char dec[IN_MAX + 1];
	z_stream zs = { 0 };
	size_t pos = 0;
	int ret = Z_OK, d = 0;

	FZ_ASSERT(inflateInit2(&zs, wbits(st->alg)) == Z_OK);
	zs.next_out = dec;
	zs.avail_out = sizeof(dec);
	for (;;) {
		size_t end = d < st->ndicts ? st->dicts[d].out_pos : st->out_len;

		zs.next_in = st->out + pos;
		zs.avail_in = (uInt)(end - pos);
		ret = inflate(&zs, Z_SYNC_FLUSH);
		if (ret == Z_NEED_DICT) {
			FZ_ASSERT(st->ndicts > 0 && st->dicts[0].out_pos == 0);
			FZ_ASSERT(inflateSetDictionary(&zs, st->dicts[0].p, (uInt)st->dicts[0].n) ==
				  Z_OK);
			pos = end - zs.avail_in;
			d = 1;
			continue;
		}
		if (getenv("FUZZ_VERBOSE") && ret != Z_OK && ret != Z_STREAM_END) {
			fprintf(stderr, "verify: zlib %d (%s) at %zu of %zu; input %zu; output:", ret,
				zs.msg ? zs.msg : "", end - zs.avail_in, st->out_len, st->in_len);
			for (size_t k = 0; k < st->out_len && k < 64; k++)
				fprintf(stderr, " %02x", st->out[k]);
			fprintf(stderr, "\n");
		}
		FZ_ASSERT(ret == Z_OK || ret == Z_STREAM_END || ret == Z_BUF_ERROR);
		FZ_ASSERT(zs.avail_in == 0 || ret == Z_STREAM_END);
		pos = end - zs.avail_in;
		if (d >= st->ndicts)
			break;
		/* raw: the dictionary joins the history at this point */
		if (st->alg == WDS_RAW)
			FZ_ASSERT(inflateSetDictionary(&zs, st->dicts[d].p, (uInt)st->dicts[d].n) ==
				  Z_OK);
		d++;
	}
	if (whole) {
		FZ_ASSERT(ret == Z_STREAM_END);
		FZ_ASSERT(pos == st->out_len); /* nothing after the trailer */
	}
	if (getenv("FUZZ_VERBOSE") && zs.total_out != st->in_len) {
		fprintf(stderr, "verify: decoded %lu of %zu input bytes from %zu; output:", zs.total_out,
			st->in_len, st->out_len);
		for (size_t k = 0; k < st->out_len && k < 96; k++)
			fprintf(stderr, " %02x", st->out[k]);
		fprintf(stderr, "\n");
	}
	FZ_ASSERT(zs.total_out == st->in_len);
	FZ_ASSERT(!memcmp(dec, st->in, st->in_len));
	inflateEnd(&zs);
}

static void restart(struct state *st)
{
	st->in_len = st->out_len = 0;
	st->finishing = st->finished = st->finish_called = st->fin_all = 0;
	st->synced = 1;
	st->ndicts = 0;
	st->zdict_len = 0;
}

/* One deflate() call as java.util.zip makes it. */
static void call_deflate(struct state *st, int flush, size_t room)
{
	size_t n = st->pending_len;
	unsigned char *ib, *ob;
	int64_t r;
	int params = st->params;

	if (st->in_len + n > IN_MAX)
		n = IN_MAX - st->in_len;
	if (room > OUT_MAX - st->out_len)
		room = OUT_MAX - st->out_len;
	if (st->finishing)
		flush = 4;
	ib = fz_dup(st->pending, n);
	ob = malloc(room ? room : 1);
	FZ_ASSERT(ob);
	r = wds_deflate(st->s, (intptr_t)ib, (int)n, (intptr_t)ob, (int)room, flush, params);
	/* zlib ignores a call without output room entirely */
	st->finish_called |= flush == 4 && !params && room;
	st->fin_all |= flush == 4 && !params && room && st->pending_len == (size_t)WDS_READ(r);
	if (getenv("FUZZ_TRACE"))
		fprintf(stderr, "deflate(in %zu, room %zu, flush %d, params %#x) -> read %d wrote %d%s%s\n",
			n, room, flush, params, WDS_READ(r), WDS_WRITTEN(r),
			r & WDS_FINISHED ? " FINISHED" : "", r & WDS_PENDING ? " PENDING" : "");
	if (r & WDS_ERROR && params && st->finish_called) {
		/* zlib's deflateParams() fails once FINISH began (its flush
		 * with Z_BLOCK is refused); the JDK throws there too */
		FZ_ASSERT(wds_errcode(st->s) == -EINVAL && !WDS_READ(r) && !WDS_WRITTEN(r));
		free(ib);
		free(ob);
		st->params = 0;
		return;
	}
	if (r & WDS_ERROR)
		fprintf(stderr, "deflate(in %zu, room %zu, flush %d, params %#x): error %d (%s)\n", n,
			room, flush, params, wds_errcode(st->s), wds_errmsg(st->s));
	FZ_ASSERT(!(r & WDS_ERROR));
	FZ_ASSERT((size_t)WDS_READ(r) <= n && (size_t)WDS_WRITTEN(r) <= room);
	memcpy(st->in + st->in_len, ib, (size_t)WDS_READ(r));
	memcpy(st->out + st->out_len, ob, (size_t)WDS_WRITTEN(r));
	free(ib);
	free(ob);
	st->in_len += (size_t)WDS_READ(r);
	st->out_len += (size_t)WDS_WRITTEN(r);
	if (WDS_READ(r)) {
		st->pending += WDS_READ(r);
		st->pending_len -= (size_t)WDS_READ(r);
	}
	if (params && !(r & WDS_PENDING))
		st->params = 0;
	if (st->finished) {
		/* after the end nothing more comes out */
		FZ_ASSERT(!WDS_WRITTEN(r) && !WDS_READ(r));
		return;
	}
	if (WDS_READ(r) || WDS_WRITTEN(r))
		st->synced = 0;
	if (r & WDS_FINISHED) {
		FZ_ASSERT(st->finishing);
		st->finished = 1;
		verify(st, 1);
		return;
	}
	/* a flush that took everything and had room to spare is complete */
	if (!params && (flush == 2 || flush == 3) && !st->pending_len &&
	    (size_t)WDS_WRITTEN(r) < room) {
		st->synced = 1;
		verify(st, 0);
	}
}

/* setInput: bytes from the fuzz input, or a compressible pattern. */
static void set_input(struct state *st, struct fz *f)
{
	unsigned len = fz_u16(f);
	const uint8_t *p;

	if (st->finish_called)
		return; /* more input after FINISH is zlib's Z_BUF_ERROR for ever, in the JDK too */
	if (len & 0x8000) {
		len &= 0x7fff;
		st->pending = st->pattern + (len * 7) % 4096;
		st->pending_len = (len * 2) % (sizeof(st->pattern) - 4096);
		return;
	}
	st->pending_len = fz_take(f, len % 2048, &p);
	st->pending = p;
}

static void set_dict(struct state *st, struct fz *f)
{
	const uint8_t *p;
	size_t n = fz_take(f, fz_byte(f) * 4u, &p);
	unsigned char *copy = fz_dup(p, n);
	int ret = wds_set_dict(st->s, (intptr_t)copy, (int)n);

	if (getenv("FUZZ_TRACE"))
		fprintf(stderr, "set_dict(%zu) = %d, engine %s\n", n, ret, wds_engine(st->s));

	free(copy);
	if (ret) {
		FZ_ASSERT(ret == -EINVAL);
		return;
	}
	if (st->fin_all)
		return; /* a FINISH call took all input: zlib takes it to no effect */
	if (st->finish_called && st->alg != WDS_RAW)
		return; /* zlib/gzip: only once the trailer is out, to no effect */
	/* zlib takes a dictionary before the first byte (zlib format) or at
	 * any point of a raw stream; gzip never */
	FZ_ASSERT(st->alg != WDS_GZIP);
	FZ_ASSERT(st->alg == WDS_RAW || (st->in_len == 0 && st->out_len == 0));
	if (st->ndicts == MAX_DICTS || !n || !st->synced ||
	    st->zdict_len + n > sizeof(st->zdict)) {
		/* Too many to replay, or set where the output so far does not
		 * end at the same point of the data: zlib's inflater could not
		 * be given it at the right place.  Start over so the check
		 * stays exact. */
		FZ_ASSERT(wds_reset(st->s) == 0);
		restart(st);
		return;
	}
	if (st->alg == WDS_ZLIB) {
		/* zlib format: dictionaries set before the start add up, and
		 * the stream asks for their concatenation (one Adler-32) */
		memcpy(st->zdict + st->zdict_len, p, n);
		st->zdict_len += n;
		st->dicts[0].out_pos = 0;
		st->dicts[0].p = st->zdict;
		st->dicts[0].n = st->zdict_len;
		st->ndicts = 1;
		return;
	}
	st->dicts[st->ndicts].out_pos = st->out_len;
	st->dicts[st->ndicts].p = p;
	st->dicts[st->ndicts].n = n;
	st->ndicts++;
}

static void step(struct state *st, struct fz *f)
{
	unsigned op = fz_byte(f);
	static const size_t rooms[8] = { 0, 1, 2, 7, 100, 4096, 65536, 1 << 20 };

	if (getenv("FUZZ_TRACE") && op % 8 != 2 && op % 8 != 3)
		fprintf(stderr, "op %u (pending %zu)\n", op % 8, st->pending_len);

	switch (op % 8) {
	case 0:
	case 1:
		set_input(st, f);
		break;
	case 2:
	case 3: {
		static const int flushes[4] = { 0, 2, 3, 0 };
		unsigned b = fz_byte(f);

		call_deflate(st, flushes[b & 3], rooms[(b >> 2) & 7] + (b >> 5));
		break;
	}
	case 4:
		set_dict(st, f);
		break;
	case 5: {
		unsigned b = fz_byte(f);

		st->params = PARAMS((int)(b % 11) - 1, (int)(b / 11) % 3);
		break;
	}
	case 6:
		if (fz_byte(f) & 1) {
			FZ_ASSERT(wds_reset(st->s) == 0);
			restart(st);
			st->params = 0; /* java.util.zip's reset() keeps level, not the flag */
		} else {
			st->finishing = 1;
		}
		break;
	default:
		FZ_ASSERT(wds_adler(st->s) == wds_adler(st->s));
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char in[IN_MAX], out[OUT_MAX];
	static struct state st;
	struct fz f = { data, size };
	int level, strategy;

	if (size > 64 * 1024)
		return 0;
	memset(&st, 0, sizeof(st));
	st.alg = (int)(fz_byte(&f) % 3);
	level = (int)(fz_byte(&f) % 11) - 1;
	strategy = (int)(fz_byte(&f) % 3);
	for (size_t i = 0; i < sizeof(st.pattern); i++)
		st.pattern[i] = (unsigned char)("warp drive deflate "[i % 19] ^ (i / 3000));
	st.in = in;
	st.out = out;
	st.s = wds_open(WDS_DEFLATE, st.alg, level, strategy);
	FZ_ASSERT(st.s);
	restart(&st);
	for (int ops = 0; f.n && ops < 2000; ops++)
		step(&st, &f);
	/* finish() and drain, as DeflaterOutputStream.finish() does */
	st.finishing = 1;
	for (int guard = 0; !st.finished; guard++) {
		FZ_ASSERT(guard < 100000);
		call_deflate(&st, 4, 65536);
	}
	wds_close(st.s);
	return 0;
}
