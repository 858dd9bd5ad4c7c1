/*
 * The hisi_zip driver against the emulated device, through the library's
 * public API (wd_comp.h).  zlib is the oracle: compressed bytes are only
 * ever checked by decoding them, never against saved bytes.
 */
#include <pthread.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "warpdrive/wd_alg_comp.h"
#include "warpdrive/wd_comp.h"
#include "test_util.h"
#include "test_comp_util.h"
#include "wd_comp_int.h"
#include "wd_internal.h"
#include "../drv/hisi_qm.h"

#define BIG (600 * 1024)

static unsigned char data[BIG];
static unsigned char noise[BIG];

/* ---- helpers ------------------------------------------------------------------- */

static void emulate(const char *spec)
{
	CHECK_EQ(wd_config_set("emulate", spec), 0);
}

static int on_device(handler_t h)
{
	return !strncmp(wd_alg_comp_engine(h), "hisi_zip-", 9);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Requests and fallbacks of every hisi_zip row since the last reset. */
static void device_stats(unsigned long long *requests, unsigned long long *fallbacks)
{
	struct wd_engine_stats st[WD_STATS_ENGINES];
	int n = wd_comp_get_stats(st, WD_STATS_ENGINES);

	*requests = *fallbacks = 0;
	for (int i = 0; i < n; i++) {
		if (strncmp(st[i].engine, "hisi_zip-", 9))
			continue;
		*requests += st[i].requests;
		*fallbacks += st[i].fallbacks;
	}
}

/* ---- stream mode ----------------------------------------------------------------- */

static void every_alg_round_trips_on_the_device(void)
{
	static unsigned char c[BIG + 8192], d[BIG];
	unsigned long long req, fb;

	emulate("hisi_zip:2");
	wd_comp_reset_stats();
	for (int a = 0; a < 3; a++) {
		handler_t h = sess(algs[a]);
		size_t cn;
		long dn;

		CHECK(h != 0);
		CHECK(on_device(h));
		cn = strm_compress(h, data, BIG, c, sizeof(c), 5000, 3333, WD_NO_FLUSH);
		CHECK(cn != (size_t)-1);
		CHECK(on_device(h));
		CHECK_EQ(wd_alg_comp_checksum(h, 0),
			 a == 1 ? adler32(1, data, BIG) : a == 2 ? crc32(0, data, BIG) : 1);
		dn = zlib_inflate(algs[a], c, cn, d, sizeof(d));
		CHECK_EQ(dn, BIG);
		CHECK(dn == BIG && !memcmp(d, data, BIG));
		wd_alg_comp_reset(h);
		memset(d, 0, sizeof(d));
		dn = strm_decompress(h, c, cn, d, sizeof(d), 7000, 4096);
		CHECK_EQ(dn, BIG);
		CHECK(dn == BIG && !memcmp(d, data, BIG));
		CHECK(on_device(h));
		wd_alg_comp_free_sess(h);
	}
	device_stats(&req, &fb);
	CHECK(req >= 6);
	CHECK_EQ(fb, 0);
}

/* Many streams one after another on one session: history restarts with
 * every stream (new-stream bit), and every stream decodes alone. */
static void back_to_back_streams_restart_history(void)
{
	static unsigned char c[BIG + 8192], d[BIG];
	handler_t h;

	emulate("hisi_zip:2");
	h = sess("zlib");
	for (int i = 0; i < 6; i++) {
		size_t n = 20000 + (size_t)i * 37000, cn;

		cn = strm_compress(h, data + i * 1000, n, c, sizeof(c), n, sizeof(c), WD_NO_FLUSH);
		CHECK(on_device(h));
		CHECK_EQ(zlib_inflate("zlib", c, cn, d, sizeof(d)), (long)n);
		CHECK(!memcmp(d, data + i * 1000, n));
		wd_alg_comp_reset(h);
	}
	wd_alg_comp_free_sess(h);
}

/* Every SYNC_FLUSH ends byte aligned: what came out so far decodes. */
static void sync_flush_output_decodes_at_every_flush(void)
{
	static unsigned char c[BIG + 8192], d[BIG];
	handler_t h;
	z_stream zs = { 0 };
	size_t op = 0, ip = 0;

	emulate("hisi_zip:2");
	h = sess("deflate");
	inflateInit2(&zs, -15);
	zs.next_out = d;
	zs.avail_out = sizeof(d);
	for (int i = 0; i < 8; i++) {
		size_t sl = 9000 + (size_t)i * 5000, dl = sizeof(c) - op;
		struct wd_comp_arg a = { 0 };

		a.src = data + ip;
		a.src_len = &sl;
		a.dst = c + op;
		a.dst_len = &dl;
		a.flush = WD_SYNC_FLUSH;
		CHECK_EQ(wd_alg_strm_compress(h, &a), 0);
		CHECK(dl >= 4 && !memcmp(c + op + dl - 4, "\x00\x00\xff\xff", 4));
		zs.next_in = c + op;
		zs.avail_in = (uInt)dl;
		inflate(&zs, Z_SYNC_FLUSH);
		ip += sl;
		op += dl;
		CHECK_EQ(zs.total_out, ip);
	}
	CHECK(on_device(h));
	CHECK(!memcmp(d, data, ip));
	inflateEnd(&zs);
	wd_alg_comp_free_sess(h);
}

/* After a FULL_FLUSH nothing refers back: the rest decodes on its own. */
static void full_flush_drops_history(void)
{
	static unsigned char c[BIG + 8192], d[BIG];
	handler_t h;
	size_t sl = 100000, dl = sizeof(c), cut, cn;

	emulate("hisi_zip:2");
	h = sess("deflate");
	CHECK_EQ(strm_call(h, data, &sl, c, &dl, WD_FULL_FLUSH), 0);
	cut = dl;
	cn = strm_compress(h, data, 100000, c + cut, sizeof(c) - cut, 100000, sizeof(c),
			   WD_NO_FLUSH);
	CHECK(on_device(h));
	CHECK_EQ(zlib_inflate("deflate", c, cut + cn, d, sizeof(d)), 200000);
	CHECK(!memcmp(d, data, 100000) && !memcmp(d + 100000, data, 100000));
	/* the same text again, yet the tail stands alone */
	CHECK_EQ(zlib_inflate("deflate", c + cut, cn, d, sizeof(d)), 100000);
	wd_alg_comp_free_sess(h);
}

/* zlib's own output, in all its block kinds, decodes on the device. */
static void decompresses_what_zlib_wrote(void)
{
	static unsigned char c[BIG + 8192], d[BIG];
	const int levels[] = { 0, 1, 6, 9 };
	unsigned long long req0, req1, fb;

	emulate("hisi_zip:2");
	device_stats(&req0, &fb);
	for (int a = 0; a < 3; a++) {
		for (size_t l = 0; l < WD_ARRAY_SIZE(levels); l++) {
			handler_t h = sess(algs[a]);
			size_t cn = zlib_deflate(algs[a], levels[l], data, 300000, c, sizeof(c));
			long dn = strm_decompress(h, c, cn, d, sizeof(d), 1000 + l * 20000, 65536);

			CHECK_EQ(dn, 300000);
			CHECK(dn == 300000 && !memcmp(d, data, 300000));
			CHECK(on_device(h));
			wd_alg_comp_free_sess(h);
		}
	}
	device_stats(&req1, &fb);
	CHECK(req1 > req0);
}

/* 8 MiB of one byte: every device request fills its output long before
 * the input runs out, and the rest is sent again. */
static void output_full_is_resubmitted(void)
{
	size_t n = 8u << 20, cn;
	unsigned char *zeros = calloc(1, n), *c = malloc(65536), *d = malloc(n);
	unsigned long long req0, req1, fb;
	handler_t h;

	emulate("hisi_zip:2");
	memset(zeros, 'a', n);
	cn = zlib_deflate("gzip", 9, zeros, n, c, 65536);
	device_stats(&req0, &fb);
	h = sess("gzip");
	CHECK_EQ(strm_decompress(h, c, cn, d, n, cn, n), (long)n);
	CHECK(!memcmp(d, zeros, n));
	CHECK(on_device(h));
	device_stats(&req1, &fb);
	CHECK_EQ(fb, 0);
	wd_alg_comp_free_sess(h);
	free(zeros);
	free(c);
	free(d);
}

/* Decompression stops exactly at the trailer: what follows is the caller's. */
static void bytes_after_the_stream_are_not_consumed(void)
{
	static unsigned char c[BIG + 8192], d[BIG];

	emulate("hisi_zip:2");
	for (int a = 0; a < 3; a++) {
		handler_t h = sess(algs[a]);
		size_t cn = zlib_deflate(algs[a], 6, data, 50000, c, sizeof(c));
		size_t sl, dl = sizeof(d), used = 0, made = 0;
		struct wd_comp_arg arg = { 0 };

		memcpy(c + cn, "TRAILING-JUNK", 13);
		do {
			sl = cn + 13 - used;
			dl = sizeof(d) - made;
			arg.src = c + used;
			arg.src_len = &sl;
			arg.dst = d + made;
			arg.dst_len = &dl;
			CHECK_EQ(wd_alg_strm_decompress(h, &arg), 0);
			used += sl;
			made += dl;
		} while (arg.status != WD_STATUS_STREAM_END && (sl || dl));
		CHECK_EQ(arg.status, WD_STATUS_STREAM_END);
		CHECK_EQ(used, cn);
		CHECK_EQ(made, 50000);
		CHECK(on_device(h));
		wd_alg_comp_free_sess(h);
	}
}

/* Past the `retain` cap a device stream moves to software, which replays
 * what the device read and drops what was delivered; a replay may end
 * short of that (an engine holds the last symbols of a cut stream), and
 * the rest is dropped from the next output.  Caps and input pieces of
 * many sizes, compressed by the device, must all decode exactly. */
static void decompression_past_the_retain_cap_loses_and_repeats_nothing(void)
{
	static unsigned char mix[BIG], c[BIG + 8192], d[BIG + 4096];
	static const char *const caps[] = { "65536", "70001", "81111", "100000" };

	handler_t h;
	size_t cn;

	for (size_t i = 0; i < BIG; i++) /* text with stretches of noise */
		mix[i] = (i >> 12) % 16 ? data[i] : noise[i];
	emulate("hisi_zip:2");
	h = sess("deflate");
	cn = strm_compress(h, mix, BIG, c, sizeof(c), 65536, 65536, WD_NO_FLUSH);
	CHECK(on_device(h));
	wd_alg_comp_free_sess(h);
	CHECK(cn != (size_t)-1 && cn > 110000);
	for (size_t k = 0; k < WD_ARRAY_SIZE(caps); k++)
		for (size_t piece = 1000; piece < 60000; piece += 499) {
			long dn;

			CHECK_EQ(wd_config_set("retain", caps[k]), 0);
			h = sess("deflate");
			memset(d, 0, sizeof(d));
			dn = strm_decompress(h, c, cn, d, sizeof(d), piece, sizeof(d));
			CHECK_EQ(dn, BIG);
			CHECK(dn == BIG && !memcmp(d, mix, BIG));
			CHECK(!on_device(h)); /* the cap moved it to software */
			wd_alg_comp_free_sess(h);
		}
	wd_config_set("retain", "");
}

/* A raw stream that turns bad after a good stretch, and a zlib stream
 * whose check value lies: both end in zlib's own words. */
static void corrupt_data_gets_zlibs_verdict(void)
{
	static unsigned char c[BIG + 8192], d[BIG];
	z_stream zs = { 0 };
	handler_t h;
	size_t cn;

	emulate("hisi_zip:2");
	deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, 0);
	zs.next_in = data;
	zs.avail_in = 100000;
	zs.next_out = c;
	zs.avail_out = sizeof(c);
	deflate(&zs, Z_SYNC_FLUSH);
	cn = zs.total_out;
	deflateEnd(&zs);
	memcpy(c + cn, "\x07\x00\x00\x00", 4); /* BFINAL, BTYPE 11: reserved */
	h = sess("deflate");
	CHECK_EQ(strm_decompress(h, c, cn + 4, d, sizeof(d), 8192, 8192), -EBADMSG);
	CHECK_EQ(strcmp(wd_alg_comp_errmsg(h), "invalid block type"), 0);
	wd_alg_comp_free_sess(h);

	h = sess("zlib");
	cn = zlib_deflate("zlib", 6, data, 200000, c, sizeof(c));
	c[cn - 1] ^= 0x01;
	CHECK_EQ(strm_decompress(h, c, cn, d, sizeof(d), 8192, 8192), -EBADMSG);
	CHECK_EQ(strcmp(wd_alg_comp_errmsg(h), "incorrect data check"), 0);
	wd_alg_comp_free_sess(h);
}

/* ---- block and async ------------------------------------------------------------- */

static int cb_count;

static void count_cb(struct wd_comp_arg *arg)
{
	(void)arg;
	__atomic_add_fetch(&cb_count, 1, __ATOMIC_SEQ_CST);
}

/* Polls until nothing is in flight; returns the final poll result. */
static int poll_all(handler_t h, double max_s)
{
	double until = now_s() + max_s;
	int ret;

	while ((ret = wd_alg_comp_poll(h)) == -EAGAIN && now_s() < until)
		usleep(200);
	return ret;
}

enum { PIECES = 12, PIECE = 40000, PIECE_OUT = PIECE + PIECE / 8 + 1024 };

struct pieces {
	unsigned char out[PIECES][PIECE_OUT];
	unsigned char back[PIECES][PIECE];
	size_t sl[PIECES], dl[PIECES];
	struct wd_comp_arg args[PIECES];
};

static void piece_arg(struct pieces *p, int i, void *src, size_t n, void *dst, size_t room,
		      int flush)
{
	memset(&p->args[i], 0, sizeof(p->args[i]));
	p->sl[i] = n;
	p->dl[i] = room;
	p->args[i].src = src;
	p->args[i].src_len = &p->sl[i];
	p->args[i].dst = dst;
	p->args[i].dst_len = &p->dl[i];
	p->args[i].flush = flush;
	p->args[i].cb = count_cb;
}

/* Independent raw pieces, SYNC flushed but the last: in flight together,
 * their concatenation is one stream, and each decodes on its own. */
static void async_pieces(handler_t h, int *in_flight_seen)
{
	static struct pieces p;
	static unsigned char all[PIECES * PIECE_OUT], d[BIG];
	size_t total = 0;

	cb_count = 0;
	for (int i = 0; i < PIECES; i++) {
		piece_arg(&p, i, data + (size_t)i * PIECE, PIECE, p.out[i], PIECE_OUT,
			  i == PIECES - 1 ? WD_FINISH : WD_SYNC_FLUSH);
		CHECK_EQ(wd_alg_compress(h, &p.args[i]), 0);
	}
	*in_flight_seen = wd_alg_comp_poll(h) == -EAGAIN;
	CHECK_EQ(poll_all(h, 20), 0);
	CHECK_EQ(cb_count, PIECES);
	for (int i = 0; i < PIECES; i++) {
		CHECK_EQ(p.args[i].error, 0);
		CHECK_EQ(p.sl[i], PIECE);
		memcpy(all + total, p.out[i], p.dl[i]);
		total += p.dl[i];
	}
	CHECK_EQ(zlib_inflate("deflate", all, total, d, sizeof(d)), PIECES * PIECE);
	CHECK(!memcmp(d, data, PIECES * PIECE));

	cb_count = 0;
	for (int i = 0; i < PIECES; i++) {
		piece_arg(&p, i, p.out[i], p.dl[i], p.back[i], PIECE, WD_FINISH);
		CHECK_EQ(wd_alg_decompress(h, &p.args[i]), 0);
	}
	CHECK_EQ(poll_all(h, 20), 0);
	CHECK_EQ(cb_count, PIECES);
	for (int i = 0; i < PIECES; i++) {
		CHECK_EQ(p.args[i].error, 0);
		CHECK_EQ(p.dl[i], PIECE);
		CHECK_EQ(p.args[i].status, i == PIECES - 1 ? WD_STATUS_STREAM_END : WD_STATUS_OK);
		CHECK(!memcmp(p.back[i], data + (size_t)i * PIECE, PIECE));
	}
}

static void async_requests_fly_together_on_the_device(void)
{
	unsigned long long req0, req1, fb0, fb1;
	handler_t h;
	int seen = 0;

	emulate("hisi_zip:2");
	h = sess("deflate");
	device_stats(&req0, &fb0);
	async_pieces(h, &seen);
	device_stats(&req1, &fb1);
	CHECK(seen);
	CHECK_EQ(req1 - req0, 2 * PIECES);
	CHECK_EQ(fb1 - fb0, 0);
	wd_alg_comp_free_sess(h);
}

static void block_mode_on_the_device(void)
{
	static unsigned char c[BIG + 8192], d[BIG];
	unsigned long long req0, req1, fb0, fb1;
	struct wd_comp_arg a = { 0 };
	size_t sl = 300000, dl = sizeof(c), cn;
	handler_t h;

	emulate("hisi_zip:2");
	h = sess("deflate");
	device_stats(&req0, &fb0);
	a.src = data;
	a.src_len = &sl;
	a.dst = c;
	a.dst_len = &dl;
	a.flush = WD_FINISH;
	CHECK_EQ(wd_alg_compress(h, &a), 0);
	CHECK_EQ(a.status, WD_STATUS_STREAM_END);
	CHECK_EQ(sl, 300000);
	cn = dl;
	CHECK_EQ(zlib_inflate("deflate", c, cn, d, sizeof(d)), 300000);
	sl = cn;
	dl = sizeof(d);
	a.src = c;
	a.dst = d;
	CHECK_EQ(wd_alg_decompress(h, &a), 0);
	CHECK_EQ(a.status, WD_STATUS_STREAM_END);
	CHECK_EQ(dl, 300000);
	CHECK(!memcmp(d, data, 300000));
	/* too little room is the caller's error, as in software */
	sl = cn;
	dl = 1000;
	CHECK_EQ(wd_alg_decompress(h, &a), -ENOSPC);
	device_stats(&req1, &fb1);
	CHECK_EQ(req1 - req0, 3);
	CHECK_EQ(fb1 - fb0, 0);
	wd_alg_comp_free_sess(h);

	/* zlib blocks are framed in software: still right */
	h = sess("zlib");
	sl = 100000;
	dl = sizeof(c);
	a.src = data;
	a.dst = c;
	CHECK_EQ(wd_alg_compress(h, &a), 0);
	CHECK_EQ(zlib_inflate("zlib", c, dl, d, sizeof(d)), 100000);
	wd_alg_comp_free_sess(h);
}

/* Freed with requests in flight: they complete (callbacks run) first. */
static void freeing_a_session_completes_its_async_requests(void)
{
	static struct pieces p;
	handler_t h;

	emulate("hisi_zip:2");
	h = sess("deflate");
	cb_count = 0;
	for (int i = 0; i < 6; i++) {
		piece_arg(&p, i, data + (size_t)i * PIECE, PIECE, p.out[i], PIECE_OUT, WD_FINISH);
		CHECK_EQ(wd_alg_compress(h, &p.args[i]), 0);
	}
	wd_alg_comp_free_sess(h);
	CHECK_EQ(cb_count, 6);
	for (int i = 0; i < 6; i++)
		CHECK_EQ(p.args[i].error, 0);
}

/* ---- NOSVA ---------------------------------------------------------------------------- */

static void nosva_device_round_trips(void)
{
	static unsigned char c[BIG + 8192], d[BIG];
	unsigned long long req0, req1, fb0, fb1;
	int seen;

	if (geteuid() != 0) {
		fprintf(stderr, "  (not root: NOSVA devices are skipped by design)\n");
		return;
	}
	emulate("hisi_zip:1:nosva");
	device_stats(&req0, &fb0);
	for (int a = 0; a < 3; a++) {
		handler_t h = sess(algs[a]);
		size_t cn;
		long dn;

		CHECK(on_device(h));
		cn = strm_compress(h, data, BIG, c, sizeof(c), 70000, 100000, WD_NO_FLUSH);
		CHECK_EQ(zlib_inflate(algs[a], c, cn, d, sizeof(d)), BIG);
		CHECK(!memcmp(d, data, BIG));
		wd_alg_comp_reset(h);
		/* input chunks larger than a bounce slot */
		dn = strm_decompress(h, c, cn, d, sizeof(d), 300000, 200000);
		CHECK_EQ(dn, BIG);
		CHECK(dn == BIG && !memcmp(d, data, BIG));
		CHECK(on_device(h));
		if (a == 0)
			async_pieces(h, &seen);
		wd_alg_comp_free_sess(h);
	}
	device_stats(&req1, &fb1);
	CHECK(req1 > req0);
	CHECK_EQ(fb1 - fb0, 0);
}

/* Two sessions take turns on NOSVA queues: contexts move in and out. */
static void nosva_streams_interleave(void)
{
	static unsigned char c[2][BIG + 8192], d[BIG];
	size_t op[2] = { 0, 0 };
	handler_t h[2];

	if (geteuid() != 0)
		return;
	emulate("hisi_zip:1:nosva");
	h[0] = sess("gzip");
	h[1] = sess("gzip");
	for (size_t ip = 0; ip < BIG; ip += 30000) {
		for (int k = 0; k < 2; k++) {
			size_t sl = WD_MIN(30000u, BIG - ip), dl = sizeof(c[k]) - op[k];
			struct wd_comp_arg a = { 0 };

			a.src = (k ? noise : data) + ip;
			a.src_len = &sl;
			a.dst = c[k] + op[k];
			a.dst_len = &dl;
			a.flush = ip + sl == BIG ? WD_FINISH : WD_NO_FLUSH;
			CHECK_EQ(wd_alg_strm_compress(h[k], &a), 0);
			op[k] += dl;
		}
	}
	for (int k = 0; k < 2; k++) {
		CHECK(on_device(h[k]));
		CHECK_EQ(zlib_inflate("gzip", c[k], op[k], d, sizeof(d)), BIG);
		CHECK(!memcmp(d, k ? noise : data, BIG));
		wd_alg_comp_free_sess(h[k]);
	}
}

/* Compresses and decompresses through h itself (its own algorithm);
 * 1 if the data comes back and the device served both streams. */
static int device_round_trip_any(handler_t h)
{
	static unsigned char c[BIG + 8192], d[BIG];
	size_t cn;

	wd_alg_comp_reset(h);
	cn = strm_compress(h, data, 200000, c, sizeof(c), 65536, sizeof(c), WD_NO_FLUSH);
	if (cn == (size_t)-1 || !on_device(h))
		return 0;
	wd_alg_comp_reset(h);
	return strm_decompress(h, c, cn, d, sizeof(d), 65536, 65536) == 200000 &&
	       !memcmp(d, data, 200000) && on_device(h);
}

/* ---- queues ------------------------------------------------------------------------------ */

struct worker {
	handler_t h[3];
	int ok;
};

static void *worker_main(void *arg)
{
	static const size_t n = 200000;
	unsigned char *c = malloc(n + 8192), *d = malloc(n);
	struct worker *w = arg;

	w->ok = 1;
	for (int k = 0; k < 3; k++) {
		const char *alg = algs[k];
		size_t cn = strm_compress(w->h[k], data + k * 1000, n, c, n + 8192, 16384, 65536,
					  WD_NO_FLUSH);

		w->ok &= cn != (size_t)-1 && zlib_inflate(alg, c, cn, d, n) == (long)n &&
			 !memcmp(d, data + k * 1000, n);
		wd_alg_comp_reset(w->h[k]);
		w->ok &= strm_decompress(w->h[k], c, cn, d, n, 4096, 8192) == (long)n &&
			 !memcmp(d, data + k * 1000, n);
	}
	free(c);
	free(d);
	return NULL;
}

/* Two queues on the device, twenty-four sessions on eight threads:
 * everybody gets served by the device, in bounded time. */
static void many_sessions_share_few_queues(void)
{
	enum { THREADS = 8 };
	struct worker w[THREADS];
	pthread_t t[THREADS];
	unsigned long long req0, req1, fb0, fb1;
	struct wd_accel_info info;
	double t0;

	emulate("hisi_zip:1:queues=2");
	device_stats(&req0, &fb0);
	for (int i = 0; i < THREADS; i++)
		for (int k = 0; k < 3; k++) {
			w[i].h[k] = sess(algs[k]);
			CHECK(on_device(w[i].h[k]));
		}
	t0 = now_s();
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker_main, &w[i]);
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		CHECK(w[i].ok);
	}
	CHECK(now_s() - t0 < 20.0);
	device_stats(&req1, &fb1);
	CHECK(req1 - req0 >= THREADS * 3 * 2);
	CHECK_EQ(fb1 - fb0, 0);
	/* the pool holds both queues and never asked for a third */
	CHECK_EQ(wd_accel_read("hisi_zip-0", &info), 0);
	CHECK_EQ(info.available_instances, 0);
	for (int i = 0; i < THREADS; i++)
		for (int k = 0; k < 3; k++) {
			CHECK(on_device(w[i].h[k]));
			wd_alg_comp_free_sess(w[i].h[k]);
		}
}

/* A thousand live sessions, each mid-stream, on a handful of queues. */
static void a_thousand_streams_share_the_pool(void)
{
	enum { SESSIONS = 1000, PIECE_IN = 3000 };
	static unsigned char c[SESSIONS][2][PIECE_IN + 1024], d[2 * PIECE_IN];
	static size_t cl[SESSIONS][2];
	static handler_t h[SESSIONS];
	struct wd_accel_info info;
	double t0 = now_s();

	emulate("hisi_zip:1");
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < SESSIONS; i++) {
			size_t sl = PIECE_IN, dl = sizeof(c[i][round]);
			struct wd_comp_arg a = { 0 };

			if (!round)
				h[i] = sess("deflate");
			a.src = data + i * 7 + round * PIECE_IN;
			a.src_len = &sl;
			a.dst = c[i][round];
			a.dst_len = &dl;
			a.flush = round ? WD_FINISH : WD_SYNC_FLUSH;
			CHECK_EQ(wd_alg_strm_compress(h[i], &a), 0);
			cl[i][round] = dl;
		}
	}
	CHECK_EQ(wd_accel_read("hisi_zip-0", &info), 0);
	CHECK(info.available_instances >= 64 - 2 * HISI_QM_POOL_CAP);
	for (int i = 0; i < SESSIONS; i++) {
		static unsigned char all[2 * (PIECE_IN + 1024)];

		CHECK(on_device(h[i]));
		memcpy(all, c[i][0], cl[i][0]);
		memcpy(all + cl[i][0], c[i][1], cl[i][1]);
		CHECK_EQ(zlib_inflate("deflate", all, cl[i][0] + cl[i][1], d, sizeof(d)), 2 * PIECE_IN);
		CHECK(!memcmp(d, data + i * 7, 2 * PIECE_IN));
		wd_alg_comp_free_sess(h[i]);
	}
	CHECK(now_s() - t0 < 20.0);
}

/* Sessions spread over devices by free instances; names are the devices'. */
static void engine_names_are_device_names(void)
{
	int seen[2] = { 0, 0 };

	emulate("hisi_zip:2:queues=8");
	for (int i = 0; i < 4; i++) {
		handler_t h = sess("gzip");
		const char *e = wd_alg_comp_engine(h);

		CHECK(!strcmp(e, "hisi_zip-0") || !strcmp(e, "hisi_zip-1"));
		seen[0] += !strcmp(e, "hisi_zip-0");
		seen[1] += !strcmp(e, "hisi_zip-1");
		wd_alg_comp_free_sess(h);
	}
	CHECK(seen[0] > 0 && seen[1] > 0);
}

/* Kunpeng 920 has no raw deflate: its sessions run in software. */
static void v2_devices_are_left_to_software(void)
{
	static unsigned char c[BIG + 8192], d[BIG];
	struct wd_accel_info list[4];

	emulate("hisi_zip:1:v2");
	CHECK_EQ(wd_accel_list("zlib", NULL, 0, list, 4), 1);
	CHECK_EQ(wd_accel_list("deflate", NULL, 0, list, 4), 0);
	for (int a = 0; a < 3; a++) {
		handler_t h = sess(algs[a]);
		size_t cn = strm_compress(h, data, 100000, c, sizeof(c), 100000, sizeof(c),
					  WD_NO_FLUSH);

		CHECK_EQ(strcmp(wd_alg_comp_engine(h), "software"), 0);
		CHECK_EQ(zlib_inflate(algs[a], c, cn, d, sizeof(d)), 100000);
		wd_alg_comp_free_sess(h);
	}
}

/* Pooled queues outlive sessions; draining the pool gives them back. */
static void idle_pooled_queues_can_be_given_back(void)
{
	struct wd_accel_info info;
	handler_t h[4];

	emulate("hisi_zip:2:queues=8");
	for (int i = 0; i < 4; i++) {
		h[i] = sess(algs[i % 3]);
		CHECK(device_round_trip_any(h[i]));
	}
	for (int i = 0; i < 4; i++)
		wd_alg_comp_free_sess(h[i]);
	CHECK_EQ(wd_accel_read("hisi_zip-0", &info), 0);
	CHECK(info.available_instances < 8);
	hisi_qm_pool_drain();
	for (int id = 0; id < 2; id++) {
		char name[32];

		snprintf(name, sizeof(name), "hisi_zip-%d", id);
		CHECK_EQ(wd_accel_read(name, &info), 0);
		CHECK_EQ(info.available_instances, 8);
	}
}

/* ---- fork ------------------------------------------------------------------------------ */

/* Compresses BIG on h from a fresh stream; 1 if zlib gets it back and
 * the device served it throughout. */
static int device_round_trip(handler_t h)
{
	static unsigned char c[BIG + 8192], d[BIG];
	size_t cn;

	wd_alg_comp_reset(h);
	cn = strm_compress(h, data, BIG, c, sizeof(c), 65536, sizeof(c), WD_NO_FLUSH);
	return cn != (size_t)-1 && on_device(h) && zlib_inflate("gzip", c, cn, d, sizeof(d)) == BIG &&
	       !memcmp(d, data, BIG);
}

/* The kernel maps no queue into a child: the child opens its own, the
 * parent's queues keep working. */
static void a_forked_child_gets_its_own_queues(void)
{
	unsigned long long req0, req1, fb0, fb1;
	int status = -1;
	handler_t h;
	pid_t pid;

#ifdef __SANITIZE_THREAD__
	return; /* TSan cannot start threads in the child of a threaded process */
#endif
	emulate("hisi_zip:1");
	h = sess("gzip");
	device_stats(&req0, &fb0);
	CHECK(device_round_trip(h));
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		handler_t g = sess("gzip");
		int ok = on_device(g) && device_round_trip(g) && device_round_trip(h);

		wd_alg_comp_free_sess(g);
		wd_alg_comp_free_sess(h);
		/* _exit: other threads' thread-local data (the software
		 * driver's workers) has no owner in a child, and a leak
		 * check at exit would call it lost */
		_exit(ok ? 0 : 1);
	}
	CHECK(pid > 0);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(device_round_trip(h));
	device_stats(&req1, &fb1);
	CHECK_EQ(fb1 - fb0, 0);
	wd_alg_comp_free_sess(h);
}

/* ---- faults ------------------------------------------------------------------------------ */

/* Streams on a faulty device still round trip; returns fallbacks seen. */
static unsigned long long faulty_round_trips(const char *spec, int streams)
{
	static unsigned char c[BIG + 8192], d[BIG];
	unsigned long long req0, req1, fb0, fb1;

	emulate(spec);
	device_stats(&req0, &fb0);
	for (int i = 0; i < streams; i++) {
		const char *alg = algs[i % 3];
		handler_t h = sess(alg);
		size_t cn = strm_compress(h, data, BIG, c, sizeof(c), 20000, 50000, WD_NO_FLUSH);
		long dn;

		CHECK(cn != (size_t)-1);
		CHECK_EQ(zlib_inflate(alg, c, cn, d, sizeof(d)), BIG);
		CHECK(!memcmp(d, data, BIG));
		wd_alg_comp_reset(h);
		dn = strm_decompress(h, c, cn, d, sizeof(d), 30000, 70000);
		CHECK_EQ(dn, BIG);
		CHECK(dn == BIG && !memcmp(d, data, BIG));
		wd_alg_comp_free_sess(h);
	}
	device_stats(&req1, &fb1);
	return fb1 - fb0;
}

static void error_completions_fall_back_to_software(void)
{
	CHECK(faulty_round_trips("hisi_zip:2:errors=0.1", 6) > 0);
}

static void hung_requests_time_out_and_fall_back(void)
{
	double t0 = now_s();

	hisi_qm_set_timeout_ms(100);
	CHECK(faulty_round_trips("hisi_zip:2:timeouts=0.05", 6) > 0);
	hisi_qm_set_timeout_ms(0);
	CHECK(now_s() - t0 < 10.0);
}

static void a_removed_device_hands_over_and_disappears(void)
{
	struct wd_accel_info info;
	handler_t h;

	CHECK(faulty_round_trips("hisi_zip:1:remove_after=5", 1) > 0);
	CHECK_EQ(wd_accel_read("hisi_zip-0", &info), 0);
	CHECK_EQ(info.isolated, 1);
	h = sess("zlib");
	CHECK_EQ(strcmp(wd_alg_comp_engine(h), "software"), 0);
	wd_alg_comp_free_sess(h);
}

/* Async requests that fail or hang on the device end right anyway. */
static void async_faults_fall_back(void)
{
	unsigned long long req0, req1, fb0, fb1;
	const char *specs[] = { "hisi_zip:1:errors=0.3", "hisi_zip:1:timeouts=0.1" };

	hisi_qm_set_timeout_ms(100);
	for (size_t i = 0; i < WD_ARRAY_SIZE(specs); i++) {
		handler_t h;
		int seen;

		emulate(specs[i]);
		device_stats(&req0, &fb0);
		h = sess("deflate");
		CHECK(on_device(h));
		async_pieces(h, &seen);
		device_stats(&req1, &fb1);
		CHECK(fb1 > fb0);
		wd_alg_comp_free_sess(h);
	}
	hisi_qm_set_timeout_ms(0);
}

int main(void)
{
	double t0 = now_s();

	test_fill(data, sizeof(data), 11);
	for (size_t i = 0; i < sizeof(noise); i++)
		noise[i] = (unsigned char)(rand() >> 7);
	wd_config_set("threshold", "256");
	RUN(every_alg_round_trips_on_the_device);
	RUN(back_to_back_streams_restart_history);
	RUN(sync_flush_output_decodes_at_every_flush);
	RUN(full_flush_drops_history);
	RUN(decompresses_what_zlib_wrote);
	RUN(output_full_is_resubmitted);
	RUN(bytes_after_the_stream_are_not_consumed);
	RUN(decompression_past_the_retain_cap_loses_and_repeats_nothing);
	RUN(corrupt_data_gets_zlibs_verdict);
	RUN(async_requests_fly_together_on_the_device);
	RUN(block_mode_on_the_device);
	RUN(freeing_a_session_completes_its_async_requests);
	RUN(nosva_device_round_trips);
	RUN(nosva_streams_interleave);
	RUN(many_sessions_share_few_queues);
	RUN(a_thousand_streams_share_the_pool);
	RUN(engine_names_are_device_names);
	RUN(v2_devices_are_left_to_software);
	RUN(a_forked_child_gets_its_own_queues);
	RUN(idle_pooled_queues_can_be_given_back);
	RUN(error_completions_fall_back_to_software);
	RUN(hung_requests_time_out_and_fall_back);
	RUN(a_removed_device_hands_over_and_disappears);
	RUN(async_faults_fall_back);
	fprintf(stderr, "  (%.2f s)\n", now_s() - t0);
	return test_report();
}
