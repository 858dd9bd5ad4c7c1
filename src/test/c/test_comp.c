/*
 * The compression library: stream, block and async modes on the software
 * driver, and the hardware stream adapter with mid-stream takeover driven
 * by a fake device driver ("fake_zip") that fails on request N.
 */
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "warpdrive/wd_alg_comp.h"
#include "warpdrive/wd_comp.h"
#include "test_util.h"
#include "test_comp_util.h"
#include "wd_comp_int.h"
#include "wd_internal.h"

#define BIG (600 * 1024)

static unsigned char data[BIG];

/* ---- software driver ---------------------------------------------------- */

static void sw_round_trip_every_alg_and_chunking(void)
{
	static unsigned char c[BIG + 4096], d[BIG];
	size_t sizes[] = { 0, 1, 100, 70000, BIG };
	size_t chunks[][2] = { { 1 << 20, 1 << 20 }, { 512, 512 }, { 4096, 1 }, { 1, 4096 } };

	for (int a = 0; a < 3; a++)
		for (size_t s = 0; s < WD_ARRAY_SIZE(sizes); s++)
			for (size_t k = 0; k < WD_ARRAY_SIZE(chunks); k++) {
				size_t n = sizes[s];
				handler_t h;
				size_t cn;
				long dn;

				if (n > 70000 && (chunks[k][0] == 1 || chunks[k][1] == 1))
					continue; /* byte-at-a-time on 600 KiB is slow, not more telling */
				h = sess(algs[a]);
				CHECK(h != 0);
				CHECK_EQ(strcmp(wd_alg_comp_engine(h), "software"), 0);
				cn = strm_compress(h, data, n, c, sizeof(c), chunks[k][0], chunks[k][1],
						   WD_NO_FLUSH);
				CHECK(cn != (size_t)-1);
				dn = zlib_inflate(algs[a], c, cn, d, sizeof(d));
				CHECK_EQ(dn, (long)n);
				CHECK(dn < 0 || memcmp(d, data, n) == 0);
				memset(d, 0, n);
				dn = strm_decompress(h, c, cn, d, sizeof(d), chunks[k][1], chunks[k][0]);
				CHECK_EQ(dn, (long)n);
				CHECK(dn < 0 || memcmp(d, data, n) == 0);
				wd_alg_comp_free_sess(h);
			}
}

/* With engine=zlib every level is zlib called as java.util.zip calls it;
 * by default level 0 still is (level 1 is ISA-L's, 2-9 libdeflate's: the
 * same format, other bytes; within about 1% of zlib's size on real data,
 * up to 4% bigger on this synthetic data at levels 5-8). */
static void sw_output_is_zlibs_byte_for_byte(void)
{
	static unsigned char a[BIG + 4096], b[BIG + 4096], d[BIG + 4096];

	for (int zlib = 0; zlib <= 1; zlib++) {
		CHECK_EQ(wd_config_set("engine", zlib ? "zlib" : ""), 0);
		for (int lvl = 0; lvl <= 9; lvl++) {
			handler_t h = sess("zlib");
			size_t n1, n2;

			wd_alg_comp_set_level(h, lvl);
			n1 = strm_compress(h, data, 200000, a, sizeof(a), 1 << 20, 1 << 20,
					   WD_NO_FLUSH);
			n2 = zlib_deflate("zlib", lvl, data, 200000, b, sizeof(b));
			if (zlib || lvl == 0) {
				CHECK_EQ(n1, n2);
				CHECK(n1 == n2 && memcmp(a, b, n1) == 0);
			} else {
				CHECK(n1 * 100 <= n2 * 105);
				CHECK_EQ(zlib_inflate("zlib", a, n1, d, sizeof(d)), 200000);
				CHECK(!memcmp(d, data, 200000));
			}
			wd_alg_comp_free_sess(h);
		}
	}
	CHECK_EQ(wd_config_set("engine", ""), 0);
}

/* Levels 2-9 gather input into 1 MiB blocks compressed by libdeflate and
 * joined into one stream: streams of several blocks, fed whole, in pieces
 * that do and do not line up with the blocks, with and without flushes
 * and with little output room, decode to their input. */
static void sw_libdeflate_blocks_join_into_one_stream(void)
{
	static const size_t pieces[][2] = { { 4u << 20, 1u << 22 }, { 1u << 20, 65536 },
					    { (1u << 20) + 1, 7 }, { 65536, 1u << 22 },
					    { 300000, 5000 } };
	size_t n = (3u << 20) + 12345, cap = n + n / 8 + 4096;
	unsigned char *in = malloc(n), *c = malloc(cap), *d = malloc(n + 1);

	CHECK(in && c && d);
	if (!in || !c || !d)
		goto out;
	test_fill(in, n, 11);
	for (int lvl = 2; lvl <= 9; lvl += 7 - (lvl == 2) * 3)
		for (size_t k = 0; k < WD_ARRAY_SIZE(pieces); k++)
			for (int mid = WD_NO_FLUSH; mid <= WD_FULL_FLUSH; mid++) {
				handler_t h;
				size_t cn;

				if (mid == 1 || (mid && pieces[k][0] > 300000))
					continue;
				h = sess("gzip");
				wd_alg_comp_set_level(h, lvl);
				cn = strm_compress(h, in, n, c, cap, pieces[k][0], pieces[k][1], mid);
				CHECK(cn != (size_t)-1);
				CHECK_EQ(zlib_inflate("gzip", c, cn, d, n + 1), (long)n);
				CHECK(!memcmp(d, in, n));
				wd_alg_comp_free_sess(h);
			}
out:
	free(in);
	free(c);
	free(d);
}

/* A stream flushed after every short message keeps its history, as zlib
 * does: after the first flushed block libdeflate hands the stream to zlib,
 * primed with what came before.  Without that every message would start
 * from nothing (6.5x zlib's size on 150-byte JSON lines). */
static void sw_frequent_sync_flushes_keep_the_history(void)
{
	static unsigned char c[BIG + 4096], z[BIG + 4096], d[BIG + 4096];
	const size_t msg = 150, n = 500 * msg;
	z_stream zs = { 0 };
	size_t cn, zn = 0;

	for (int lvl = 2; lvl <= 9; lvl += 7) {
		handler_t h = sess("deflate");
		size_t sl = 0, dl = 64;

		wd_alg_comp_set_level(h, lvl);
		/* a flush before any input: an empty block, nothing to keep */
		CHECK_EQ(strm_call(h, data, &sl, c, &dl, WD_SYNC_FLUSH), 0);
		CHECK_EQ(dl, 5);
		cn = strm_compress(h, data, n, c + dl, sizeof(c) - dl, msg, 1 << 20, WD_SYNC_FLUSH);
		cn += dl;
		CHECK(cn != (size_t)-1 + dl);
		CHECK_EQ(zlib_inflate("deflate", c, cn, d, sizeof(d)), (long)n);
		CHECK(!memcmp(d, data, n));
		/* zlib on the same calls */
		CHECK_EQ(deflateInit2(&zs, lvl, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
		zn = 0;
		for (size_t ip = 0; ip < n; ip += msg) {
			zs.next_in = (Bytef *)data + ip;
			zs.avail_in = (uInt)msg;
			zs.next_out = z + zn;
			zs.avail_out = (uInt)(sizeof(z) - zn);
			deflate(&zs, ip + msg == n ? Z_FINISH : Z_SYNC_FLUSH);
			zn = sizeof(z) - zs.avail_out;
		}
		deflateEnd(&zs);
		CHECK(cn * 100 <= zn * 105);
		wd_alg_comp_free_sess(h);
	}
}

static void sw_sync_flush_ends_with_empty_stored_block(void)
{
	unsigned char out[4096];
	size_t sl = 1000, dl = sizeof(out);
	handler_t h = sess("deflate");
	static unsigned char d[4096];
	z_stream zs = { 0 };

	CHECK_EQ(strm_call(h, data, &sl, out, &dl, WD_SYNC_FLUSH), 0);
	CHECK_EQ(sl, 1000);
	CHECK(dl >= 4 && !memcmp(out + dl - 4, "\x00\x00\xff\xff", 4));
	/* everything so far decodes without the rest of the stream */
	inflateInit2(&zs, -15);
	zs.next_in = out;
	zs.avail_in = (uInt)dl;
	zs.next_out = d;
	zs.avail_out = sizeof(d);
	inflate(&zs, Z_SYNC_FLUSH);
	CHECK_EQ(zs.total_out, 1000);
	CHECK(!memcmp(d, data, 1000));
	inflateEnd(&zs);
	wd_alg_comp_free_sess(h);
}

static void sw_corrupt_input_reports_zlib_message(void)
{
	unsigned char junk[64], out[256];
	size_t sl = sizeof(junk), dl = sizeof(out);
	struct wd_comp_arg a = { 0 };
	handler_t h = sess("zlib");

	memset(junk, 0xa5, sizeof(junk));
	a.src = junk;
	a.src_len = &sl;
	a.dst = out;
	a.dst_len = &dl;
	CHECK_EQ(wd_alg_strm_decompress(h, &a), -EBADMSG);
	CHECK_EQ(strcmp(wd_alg_comp_errmsg(h), "incorrect header check"), 0);
	wd_alg_comp_free_sess(h);
}

static void sw_dictionary_round_trip_and_need_dict(void)
{
	static unsigned char c[8192], d[8192];
	const char dict[] = "deflate zlib warp drive the queue";
	handler_t h = sess("zlib"), g = sess("zlib");
	size_t cn, sl, dl;
	struct wd_comp_arg a = { 0 };

	CHECK_EQ(wd_alg_comp_set_dict_compress(h, dict, sizeof(dict)), 0);
	CHECK_EQ(wd_alg_comp_checksum(h, 0), adler32(1, (const Bytef *)dict, sizeof(dict)));
	cn = strm_compress(h, data, 5000, c, sizeof(c), 5000, 8192, WD_NO_FLUSH);
	sl = cn;
	dl = sizeof(d);
	a.src = c;
	a.src_len = &sl;
	a.dst = d;
	a.dst_len = &dl;
	CHECK_EQ(wd_alg_strm_decompress(g, &a), 0);
	CHECK_EQ(a.status, WD_STATUS_NEED_DICT);
	CHECK_EQ(wd_alg_comp_checksum(g, 1), adler32(1, (const Bytef *)dict, sizeof(dict)));
	CHECK_EQ(wd_alg_comp_set_dict_decompress(g, "wrong", 5), -EBADMSG);
	CHECK_EQ(wd_alg_comp_set_dict_decompress(g, dict, sizeof(dict)), 0);
	{
		size_t used = sl;

		sl = cn - used;
		dl = sizeof(d);
		a.src = c + used;
		CHECK_EQ(wd_alg_strm_decompress(g, &a), 0);
		CHECK_EQ(a.status, WD_STATUS_STREAM_END);
		CHECK_EQ(dl, 5000);
		CHECK(!memcmp(d, data, 5000));
	}
	wd_alg_comp_free_sess(h);
	wd_alg_comp_free_sess(g);
}

static void sw_params_change_level_mid_stream(void)
{
	static unsigned char c[BIG + 4096], d[BIG];
	handler_t h = sess("deflate");
	size_t op = 0, sl, dl;
	struct wd_comp_arg a = { 0 };
	int ret;

	wd_alg_comp_set_level(h, 1);
	sl = 100000;
	dl = sizeof(c);
	a.src = data;
	a.src_len = &sl;
	a.dst = c;
	a.dst_len = &dl;
	CHECK_EQ(wd_alg_strm_compress(h, &a), 0);
	op += dl;
	/* params with a tiny output buffer: -EAGAIN until it fits */
	do {
		sl = 0;
		dl = 1;
		a.src = data + 100000;
		a.dst = c + op;
		ret = wd_alg_strm_params(h, 9, 0, &a);
		op += dl;
	} while (ret == -EAGAIN && op < 200000);
	CHECK_EQ(ret, 0);
	op += strm_compress(h, data + 100000, 100000, c + op, sizeof(c) - op, 1 << 20, 1 << 20,
			    WD_NO_FLUSH);
	CHECK_EQ(zlib_inflate("deflate", c, op, d, sizeof(d)), 200000);
	CHECK(!memcmp(d, data, 200000));
	wd_alg_comp_free_sess(h);
}

static int cb_count;
static void count_cb(struct wd_comp_arg *arg)
{
	(void)arg;
	__atomic_add_fetch(&cb_count, 1, __ATOMIC_SEQ_CST);
}

static void sw_block_and_async_pieces_form_one_stream(void)
{
	/* Eight 64 KiB pieces, each primed with the previous 32 KiB, SYNC
	 * flushed except the last: their concatenation is one raw stream. */
	enum { PIECES = 8, PIECE = 65536 };
	static unsigned char out[PIECES][PIECE + PIECE / 8 + 1024], all[BIG + 8192], d[BIG];
	size_t sl[PIECES], dl[PIECES], total = 0;
	struct wd_comp_arg args[PIECES];
	handler_t h = sess("deflate");
	int ret;

	cb_count = 0;
	for (int i = 0; i < PIECES; i++) {
		memset(&args[i], 0, sizeof(args[i]));
		sl[i] = PIECE;
		dl[i] = sizeof(out[i]);
		args[i].src = data + (size_t)i * PIECE;
		args[i].src_len = &sl[i];
		args[i].dst = out[i];
		args[i].dst_len = &dl[i];
		args[i].flush = i == PIECES - 1 ? WD_FINISH : WD_SYNC_FLUSH;
		args[i].cb = count_cb;
		if (i) {
			args[i].dict = data + (size_t)i * PIECE - 32768;
			args[i].dict_len = 32768;
		}
		CHECK_EQ(wd_alg_compress(h, &args[i]), 0);
	}
	for (int spins = 0; (ret = wd_alg_comp_poll(h)) == -EAGAIN && spins < 1000000; spins++)
		usleep(100);
	CHECK_EQ(ret, 0);
	CHECK_EQ(cb_count, PIECES);
	for (int i = 0; i < PIECES; i++) {
		CHECK_EQ(args[i].error, 0);
		CHECK_EQ(sl[i], PIECE);
		memcpy(all + total, out[i], dl[i]);
		total += dl[i];
	}
	CHECK_EQ(zlib_inflate("deflate", all, total, d, sizeof(d)), PIECES * PIECE);
	CHECK(!memcmp(d, data, PIECES * PIECE));

	/* synchronous block mode: a whole gzip member */
	{
		handler_t g = sess("gzip");
		struct wd_comp_arg a = { 0 };
		size_t s1 = 300000, d1 = sizeof(all);

		a.src = data;
		a.src_len = &s1;
		a.dst = all;
		a.dst_len = &d1;
		a.flush = WD_FINISH;
		CHECK_EQ(wd_alg_compress(g, &a), 0);
		CHECK_EQ(a.status, WD_STATUS_STREAM_END);
		CHECK_EQ(zlib_inflate("gzip", all, d1, d, sizeof(d)), 300000);
		s1 = d1;
		d1 = sizeof(d);
		a.src = all;
		a.dst = d;
		CHECK_EQ(wd_alg_decompress(g, &a), 0);
		CHECK_EQ(d1, 300000);
		CHECK(!memcmp(d, data, 300000));
		wd_alg_comp_free_sess(g);
	}
	wd_alg_comp_free_sess(h);
}

/* ---- the fake device: the hw adapter and takeover ------------------------ */

static int fake_fail_at;   /* fail the Nth request (1-based); 0 never */
static int fake_requests;
static int fake_error = -EIO;

struct fake_priv {
	z_stream d[2];
	int live[2];
};

static int fake_init(struct wd_comp_sess *s)
{
	s->priv = calloc(1, sizeof(struct fake_priv));
	return s->priv ? 0 : -ENOMEM;
}

static void fake_reset(struct wd_comp_sess *s, int dir)
{
	struct fake_priv *p = s->priv;

	if (!p->live[dir])
		return;
	if (dir == 0)
		deflateEnd(&p->d[0]);
	else
		inflateEnd(&p->d[1]);
	p->live[dir] = 0;
}

static void fake_exit(struct wd_comp_sess *s)
{
	fake_reset(s, 0);
	fake_reset(s, 1);
	free(s->priv);
}

static int fake_op(struct wd_comp_sess *s, struct wd_comp_req *r)
{
	struct fake_priv *p = s->priv;
	z_stream *zs = &p->d[r->dir];
	int ret;

	if (!r->stream)
		return -ENOTSUP;
	if (++fake_requests == fake_fail_at)
		return fake_error;
	if (!p->live[r->dir]) {
		memset(zs, 0, sizeof(*zs));
		if (r->dir == 0)
			deflateInit2(zs, 1, Z_DEFLATED, -15, 8, 0);
		else
			inflateInit2(zs, -15);
		p->live[r->dir] = 1;
	}
	zs->next_in = (Bytef *)r->src;
	zs->avail_in = (uInt)r->src_len;
	zs->next_out = r->dst;
	zs->avail_out = (uInt)r->dst_len;
	if (r->dir == 0) {
		/* a device request ends byte aligned, or with the final block */
		ret = deflate(zs, r->flush == WD_FINISH ? Z_FINISH : Z_SYNC_FLUSH);
		if (zs->avail_in || (r->flush == WD_FINISH && ret != Z_STREAM_END))
			return -ENOSPC;
	} else {
		ret = inflate(zs, Z_SYNC_FLUSH);
		if (ret == Z_DATA_ERROR)
			return -EBADMSG;
	}
	r->consumed = r->src_len - zs->avail_in;
	r->produced = r->dst_len - zs->avail_out;
	r->status = ret == Z_STREAM_END ? WD_STATUS_STREAM_END : WD_STATUS_OK;
	return 0;
}

static struct wd_alg_comp fake_drv = {
	.drv_name = "fake_zip",
	.algo_name = "deflate zlib gzip",
	.init = fake_init,
	.exit = fake_exit,
	.deflate = fake_op,
	.inflate = fake_op,
	.reset = fake_reset,
};

static char sysroot[256];

static void write_attr(const char *dev, const char *attr, const char *val)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", sysroot, dev, attr);
	f = fopen(path, "w");
	fputs(val, f);
	fclose(f);
}

static void make_fake_device(void)
{
	char path[512];

	snprintf(sysroot, sizeof(sysroot), "/tmp/wd_test_comp_%d", (int)getpid());
	mkdir(sysroot, 0700);
	snprintf(path, sizeof(path), "%s/fake_zip-0", sysroot);
	mkdir(path, 0700);
	write_attr("fake_zip-0", "api", "fake_v1\n");
	write_attr("fake_zip-0", "flags", "1\n");
	write_attr("fake_zip-0", "available_instances", "8\n");
	write_attr("fake_zip-0", "algorithms", "deflate\nzlib\ngzip\n");
	wd_config_set("sysfs", sysroot);
	CHECK_EQ(wd_alg_comp_register(&fake_drv), 0);
}

static void remove_fake_device(void)
{
	char cmd[600];

	wd_config_set("sysfs", "/nonexistent");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", sysroot);
	CHECK_EQ(system(cmd), 0);
}

static void fake_device_serves_and_round_trips(void)
{
	static unsigned char c[BIG + 8192], d[BIG];

	for (int a = 0; a < 3; a++) {
		handler_t h = sess(algs[a]);
		size_t cn;
		long dn;

		CHECK_EQ(strcmp(wd_alg_comp_engine(h), "fake_zip-0"), 0);
		fake_fail_at = 0;
		fake_requests = 0;
		cn = strm_compress(h, data, BIG, c, sizeof(c), 5000, 777, WD_NO_FLUSH);
		CHECK(fake_requests >= (int)(BIG / HW_BATCH));
		CHECK_EQ(strcmp(wd_alg_comp_engine(h), "fake_zip-0"), 0);
		CHECK_EQ(wd_alg_comp_checksum(h, 0),
			 a == 1 ? adler32(1, data, BIG) : a == 2 ? crc32(0, data, BIG) : 1);
		dn = zlib_inflate(algs[a], c, cn, d, sizeof(d));
		CHECK_EQ(dn, BIG);
		CHECK(dn == BIG && !memcmp(d, data, BIG));
		/* and back through the device's decompression */
		wd_alg_comp_reset(h);
		memset(d, 0, sizeof(d));
		fake_requests = 0;
		dn = strm_decompress(h, c, cn, d, sizeof(d), 3000, 1000);
		CHECK(fake_requests > 0);
		CHECK_EQ(dn, BIG);
		CHECK(dn == BIG && !memcmp(d, data, BIG));
		wd_alg_comp_free_sess(h);
	}
}

static void fake_device_failure_mid_stream_loses_nothing(void)
{
	static unsigned char c[BIG + 8192], d[BIG];
	int errors[] = { -EIO, -ETIMEDOUT, -ENODEV };

	for (int a = 0; a < 3; a++)
		for (int fail = 1; fail <= 9; fail += 2)
			for (int e = 0; e < 3; e++) {
				handler_t h = sess(algs[a]);
				size_t cn;
				long dn;

				fake_requests = 0;
				fake_fail_at = fail;
				fake_error = errors[e];
				cn = strm_compress(h, data, BIG, c, sizeof(c), 10000, 3000,
						   fail == 3 ? WD_SYNC_FLUSH : WD_NO_FLUSH);
				CHECK(cn != (size_t)-1);
				CHECK_EQ(strcmp(wd_alg_comp_engine(h), "software"), 0);
				dn = zlib_inflate(algs[a], c, cn, d, sizeof(d));
				CHECK_EQ(dn, BIG);
				CHECK(dn == BIG && !memcmp(d, data, BIG));

				/* decompression failing on the device is replayed in software */
				wd_alg_comp_reset(h);
				memset(d, 0, sizeof(d));
				fake_requests = 0;
				fake_fail_at = fail;
				dn = strm_decompress(h, c, cn, d, sizeof(d), 20000, 7000);
				CHECK_EQ(dn, BIG);
				CHECK(dn == BIG && !memcmp(d, data, BIG));
				CHECK_EQ(strcmp(wd_alg_comp_engine(h), "software"), 0);
				wd_alg_comp_free_sess(h);
			}
	fake_fail_at = 0;
	fake_error = -EIO;
}

static void fake_device_small_streams_go_to_software(void)
{
	unsigned char c[4096], d[4096];
	handler_t h = sess("zlib");
	size_t cn;

	fake_requests = 0;
	cn = strm_compress(h, data, 100, c, sizeof(c), 100, 4096, WD_NO_FLUSH);
	CHECK_EQ(fake_requests, 0);
	CHECK_EQ(strcmp(wd_alg_comp_engine(h), "software"), 0);
	CHECK_EQ(zlib_inflate("zlib", c, cn, d, sizeof(d)), 100);
	wd_alg_comp_free_sess(h);
}

static void fake_device_corrupt_input_gets_zlibs_verdict(void)
{
	static unsigned char c[BIG + 8192], d[BIG];
	handler_t h = sess("zlib");
	size_t cn = zlib_deflate("zlib", 6, data, 200000, c, sizeof(c));

	c[cn / 2] ^= 0x55; /* damage the middle */
	c[cn - 1] ^= 0x01; /* and the check value */
	CHECK(strm_decompress(h, c, cn, d, sizeof(d), 8192, 8192) == -EBADMSG);
	CHECK(strlen(wd_alg_comp_errmsg(h)) > 0);
	wd_alg_comp_free_sess(h);
}

static void fallback_disabled_reports_eio(void)
{
	static unsigned char c[BIG + 8192];
	handler_t h;

	wd_config_set("fallback", "false");
	h = sess("deflate");
	fake_requests = 0;
	fake_fail_at = 2;
	CHECK(strm_compress(h, data, BIG, c, sizeof(c), BIG, BIG, WD_NO_FLUSH) == (size_t)-1);
	fake_fail_at = 0;
	wd_alg_comp_free_sess(h);
	wd_config_set("fallback", "true");
}

static void stats_count_streams_and_fallbacks(void)
{
	struct wd_engine_stats st[WD_STATS_ENGINES];
	int n = wd_comp_get_stats(st, WD_STATS_ENGINES), seen = 0;

	for (int i = 0; i < n; i++) {
		if (!strcmp(st[i].engine, "fake_zip-0")) {
			CHECK(st[i].streams > 0);
			CHECK(st[i].fallbacks >= 15);
			seen++;
		}
		if (!strcmp(st[i].engine, "software")) {
			CHECK(st[i].bytes_in > 0);
			seen++;
		}
	}
	CHECK_EQ(seen, 2);
}

int main(void)
{
	test_fill(data, sizeof(data), 7);
	wd_config_set("sysfs", "/nonexistent");
	RUN(sw_round_trip_every_alg_and_chunking);
	RUN(sw_output_is_zlibs_byte_for_byte);
	RUN(sw_libdeflate_blocks_join_into_one_stream);
	RUN(sw_frequent_sync_flushes_keep_the_history);
	RUN(sw_sync_flush_ends_with_empty_stored_block);
	RUN(sw_corrupt_input_reports_zlib_message);
	RUN(sw_dictionary_round_trip_and_need_dict);
	RUN(sw_params_change_level_mid_stream);
	RUN(sw_block_and_async_pieces_form_one_stream);
	make_fake_device();
	RUN(fake_device_serves_and_round_trips);
	RUN(fake_device_failure_mid_stream_loses_nothing);
	RUN(fake_device_small_streams_go_to_software);
	RUN(fake_device_corrupt_input_gets_zlibs_verdict);
	RUN(fallback_disabled_reports_eio);
	RUN(stats_count_streams_and_fallbacks);
	remove_fake_device();
	return test_report();
}
