/*
 * The hisi_zip driver's contract with the library, checked by calling its
 * struct wd_alg_comp hooks directly (as lib/wd_comp_hw.c and wd_comp.c
 * do) against the emulated device: what each mode consumes and produces,
 * the status it reports, and the error code for every kind of failure.
 */
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "warpdrive/wd_alg_comp.h"
#include "warpdrive/wd_comp.h"
#include "test_util.h"
#include "test_comp_util.h"
#include "wd_internal.h"
#include "../drv/hisi_qm.h"
#include "../drv/hisi_zip.h"

#define N (256 * 1024)

static unsigned char data[N];
static unsigned char noise[N];
static struct wd_alg_comp *drv = &wd_hisi_zip_drv;

/* ---- helpers --------------------------------------------------------------------- */

static int open_sess(struct wd_comp_sess *s, int id, int alg)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dev_name, sizeof(s->dev_name), "hisi_zip-%d", id);
	snprintf(s->node_path, sizeof(s->node_path), "%s/%s", wd_dev_root(), s->dev_name);
	s->alg = alg;
	s->drv = drv;
	s->level = 6;
	s->window_bits = 15;
	return drv->init(s);
}

static void req_init(struct wd_comp_req *r, int dir, int stream, int flush, const void *src,
		     size_t n, void *dst, size_t cap)
{
	memset(r, 0, sizeof(*r));
	r->dir = dir;
	r->stream = stream;
	r->flush = flush;
	r->src = src;
	r->src_len = n;
	r->dst = dst;
	r->dst_len = cap;
}

static int op(struct wd_comp_sess *s, struct wd_comp_req *r)
{
	return r->dir == WD_DIR_COMPRESS ? drv->deflate(s, r) : drv->inflate(s, r);
}

/* ---- init ---------------------------------------------------------------------------- */

static void init_checks_the_device(void)
{
	struct wd_comp_sess s;

	wd_config_set("emulate", "hisi_zip:1:v2");
	CHECK_EQ(open_sess(&s, 0, WD_ALG_ZLIB), -ENOTSUP);
	CHECK(s.msg && strlen(s.msg) > 0);
	wd_config_set("emulate", "hisi_zip:2");
	CHECK(open_sess(&s, 5, WD_ALG_ZLIB) < 0);
	CHECK_EQ(open_sess(&s, 1, WD_ALG_ZLIB), 0);
	drv->exit(&s);
	CHECK(s.priv == NULL);
}

/* ---- stream compression ------------------------------------------------------------------ */

/* Output room below 1.125x the input: the driver cuts the input into
 * several requests and still takes all of it. */
static void stream_compress_takes_all_input(void)
{
	static unsigned char c[N * 2];
	struct wd_comp_sess s;
	struct wd_comp_req r;
	size_t op1;

	wd_config_set("emulate", "hisi_zip:1");
	CHECK_EQ(open_sess(&s, 0, WD_ALG_DEFLATE), 0);
	/* incompressible input, exactly the library's guaranteed room */
	req_init(&r, WD_DIR_COMPRESS, 1, WD_SYNC_FLUSH, noise, 100000, c, 100000 * 9 / 8 + 1024);
	CHECK_EQ(op(&s, &r), 0);
	CHECK_EQ(r.consumed, 100000);
	CHECK_EQ(r.status, WD_STATUS_OK);
	CHECK(!memcmp(c + r.produced - 4, "\x00\x00\xff\xff", 4));
	op1 = r.produced;
	/* compressible input with room for far less than 1.125x */
	req_init(&r, WD_DIR_COMPRESS, 1, WD_FINISH, data, N, c + op1, 80000);
	CHECK_EQ(op(&s, &r), 0);
	CHECK_EQ(r.consumed, N);
	CHECK_EQ(r.status, WD_STATUS_STREAM_END);
	/* the output is 100000 bytes of noise, then data */
	{
		static unsigned char all[N + 100000];

		CHECK_EQ(zlib_inflate("deflate", c, op1 + r.produced, all, sizeof(all)), 100000 + N);
		CHECK(!memcmp(all, noise, 100000) && !memcmp(all + 100000, data, N));
	}
	/* far too little room: the driver says so rather than drop input */
	drv->reset(&s, WD_DIR_COMPRESS);
	req_init(&r, WD_DIR_COMPRESS, 1, WD_FINISH, noise, 50000, c, 5000);
	CHECK_EQ(op(&s, &r), -EIO);
	CHECK(s.msg && strlen(s.msg) > 0);
	/* nothing to compress is not a device request */
	req_init(&r, WD_DIR_COMPRESS, 1, WD_SYNC_FLUSH, data, 0, c, 5000);
	CHECK_EQ(op(&s, &r), -ENOTSUP);
	drv->exit(&s);
}

/* reset(): the next request starts a stream that stands alone. */
static void reset_starts_a_new_stream(void)
{
	static unsigned char c[N], d[N];
	struct wd_comp_sess s;
	struct wd_comp_req r;

	wd_config_set("emulate", "hisi_zip:1");
	CHECK_EQ(open_sess(&s, 0, WD_ALG_GZIP), 0);
	req_init(&r, WD_DIR_COMPRESS, 1, WD_SYNC_FLUSH, data, 50000, c, sizeof(c));
	CHECK_EQ(op(&s, &r), 0);
	drv->reset(&s, WD_DIR_COMPRESS);
	req_init(&r, WD_DIR_COMPRESS, 1, WD_FINISH, data, 50000, c, sizeof(c));
	CHECK_EQ(op(&s, &r), 0);
	CHECK_EQ(zlib_inflate("deflate", c, r.produced, d, sizeof(d)), 50000);
	/* after FINISH the next request starts over by itself */
	req_init(&r, WD_DIR_COMPRESS, 1, WD_FINISH, data + 7, 40000, c, sizeof(c));
	CHECK_EQ(op(&s, &r), 0);
	CHECK_EQ(zlib_inflate("deflate", c, r.produced, d, sizeof(d)), 40000);
	CHECK(!memcmp(d, data + 7, 40000));
	drv->exit(&s);
}

/* ---- stream decompression ------------------------------------------------------------------ */

static void stream_decompress_stops_at_the_end(void)
{
	static unsigned char c[N + 64], d[N];
	struct wd_comp_sess s;
	struct wd_comp_req r;
	size_t cn = zlib_deflate("deflate", 9, data, 100000, c, sizeof(c));

	wd_config_set("emulate", "hisi_zip:1");
	CHECK_EQ(open_sess(&s, 0, WD_ALG_DEFLATE), 0);
	memcpy(c + cn, "more bytes that are not ours", 28);
	req_init(&r, WD_DIR_DECOMPRESS, 1, 0, c, cn + 28, d, sizeof(d));
	CHECK_EQ(op(&s, &r), 0);
	CHECK_EQ(r.status, WD_STATUS_STREAM_END);
	CHECK_EQ(r.consumed, cn);
	CHECK_EQ(r.produced, 100000);
	CHECK(!memcmp(d, data, 100000));
	drv->exit(&s);
}

/* Decompresses c[0..cn) through the driver, `room` output bytes per call,
 * the whole rest of the input each time, empty calls once it is all
 * taken.  Returns bytes made (or -errno); *drains counts empty calls
 * that still produced output. */
static long decode_in_calls(struct wd_comp_sess *s, const unsigned char *c, size_t cn,
			    unsigned char *d, size_t cap, size_t room, int *drains)
{
	size_t used = 0, made = 0;
	struct wd_comp_req r;
	int ret, calls = 0;

	do {
		req_init(&r, WD_DIR_DECOMPRESS, 1, 0, c + used, cn - used, d + made,
			 WD_MIN(room, cap - made));
		ret = op(s, &r);
		used += r.consumed;
		made += r.produced;
		*drains += !r.src_len && r.produced;
	} while (!ret && r.status != WD_STATUS_STREAM_END && (r.consumed || r.produced) &&
		 ++calls < 1000000);
	if (ret)
		return ret;
	return r.status == WD_STATUS_STREAM_END && used == cn ? (long)made : -EPIPE;
}

/*
 * Output full: the driver returns consumed < src_len and is called again.
 * When the last input byte completes a match that does not fit, all input
 * is consumed while output is still pending: a call with no input must
 * drain it (the hardware's ctx_st 1/2 "call again" case).  Runs of one
 * byte of several lengths put that last match at different bit offsets.
 * The library owes the driver that empty call whenever a request took all
 * its input and filled its output without reaching the end.
 */
static void stream_decompress_resumes_and_drains(void)
{
	size_t big = 1u << 20;
	unsigned char *z = malloc(big), *c = malloc(65536), *d = malloc(big);
	struct wd_comp_sess s;
	int drains = 0;

	memset(z, 'q', big);
	wd_config_set("emulate", "hisi_zip:1");
	CHECK_EQ(open_sess(&s, 0, WD_ALG_DEFLATE), 0);
	/* (big - 62 is one such length with zlib 1.2/1.3 at level 9) */
	for (size_t n = big - 64; n <= big - 56; n++) {
		size_t cn = zlib_deflate("deflate", 9, z, n, c, 65536);
		long made = decode_in_calls(&s, c, cn, d, big, 1000, &drains);

		CHECK_EQ(made, (long)n);
		CHECK(made == (long)n && !memcmp(d, z, n));
	}
	CHECK(drains > 0);
	fprintf(stderr, "    %d calls with no input drained output\n", drains);
	drv->exit(&s);
	free(z);
	free(c);
	free(d);
}

static void corrupt_input_is_ebadmsg(void)
{
	static unsigned char d[4096];
	struct wd_comp_sess s;
	struct wd_comp_req r;

	wd_config_set("emulate", "hisi_zip:1");
	CHECK_EQ(open_sess(&s, 0, WD_ALG_DEFLATE), 0);
	req_init(&r, WD_DIR_DECOMPRESS, 1, 0, "\x07\x00\x00\x00\x00", 5, d, sizeof(d));
	CHECK_EQ(op(&s, &r), -EBADMSG);
	CHECK(s.msg && strlen(s.msg) > 0);
	/* the stream starts over after an error */
	req_init(&r, WD_DIR_DECOMPRESS, 1, 0, "\x03\x00", 2, d, sizeof(d));
	CHECK_EQ(op(&s, &r), 0);
	CHECK_EQ(r.status, WD_STATUS_STREAM_END);
	drv->exit(&s);
}

/* ---- block mode ---------------------------------------------------------------------------- */

static void block_pieces_follow_the_software_contract(void)
{
	static unsigned char c[N * 2], d[N];
	struct wd_comp_sess s, z;
	struct wd_comp_req r;
	unsigned char *huge = malloc(HZ_MAX_SIZE + 1);
	size_t cn;

	wd_config_set("emulate", "hisi_zip:1");
	CHECK_EQ(open_sess(&s, 0, WD_ALG_DEFLATE), 0);
	req_init(&r, WD_DIR_COMPRESS, 0, WD_FINISH, data, N, c, sizeof(c));
	CHECK_EQ(op(&s, &r), 0);
	CHECK_EQ(r.status, WD_STATUS_STREAM_END);
	CHECK_EQ(r.consumed, N);
	CHECK_EQ(zlib_inflate("deflate", c, r.produced, d, sizeof(d)), N);
	req_init(&r, WD_DIR_COMPRESS, 0, WD_SYNC_FLUSH, data, 30000, c, sizeof(c));
	CHECK_EQ(op(&s, &r), 0);
	CHECK_EQ(r.status, WD_STATUS_OK);
	CHECK(!memcmp(c + r.produced - 4, "\x00\x00\xff\xff", 4));
	cn = r.produced;
	/* a piece without its final block decodes whole, status OK */
	req_init(&r, WD_DIR_DECOMPRESS, 0, WD_FINISH, c, cn, d, sizeof(d));
	CHECK_EQ(op(&s, &r), 0);
	CHECK_EQ(r.status, WD_STATUS_OK);
	CHECK_EQ(r.consumed, cn);
	CHECK_EQ(r.produced, 30000);
	CHECK(!memcmp(d, data, 30000));
	req_init(&r, WD_DIR_DECOMPRESS, 0, WD_FINISH, c, cn, d, 1000);
	CHECK_EQ(op(&s, &r), -ENOSPC);
	req_init(&r, WD_DIR_COMPRESS, 0, WD_FINISH, noise, 30000, c, 1000);
	CHECK_EQ(op(&s, &r), -ENOSPC);
	/* what the device cannot do, the library does in software */
	req_init(&r, WD_DIR_COMPRESS, 0, WD_FINISH, data, 30000, c, sizeof(c));
	r.dict = data;
	r.dict_len = 100;
	CHECK_EQ(op(&s, &r), -ENOTSUP);
	req_init(&r, WD_DIR_COMPRESS, 0, WD_FINISH, data, 0, c, sizeof(c));
	CHECK_EQ(op(&s, &r), -ENOTSUP);
	if (huge) {
		memset(huge, 1, HZ_MAX_SIZE + 1);
		req_init(&r, WD_DIR_COMPRESS, 0, WD_FINISH, huge, HZ_MAX_SIZE + 1, c, sizeof(c));
		CHECK_EQ(op(&s, &r), -ENOTSUP);
	}
	CHECK_EQ(open_sess(&z, 0, WD_ALG_ZLIB), 0);
	req_init(&r, WD_DIR_COMPRESS, 0, WD_FINISH, data, 30000, c, sizeof(c));
	CHECK_EQ(op(&z, &r), -ENOTSUP);
	req_init(&r, 7, 0, WD_FINISH, data, 30000, c, sizeof(c));
	CHECK_EQ(drv->deflate(&s, &r) == 0 && r.dir == WD_DIR_COMPRESS, 1);
	req_init(&r, WD_DIR_COMPRESS, 0, WD_FINISH, NULL, 10, c, sizeof(c));
	CHECK_EQ(op(&s, &r), -EINVAL);
	drv->exit(&z);
	drv->exit(&s);
	free(huge);
}

/* ---- async ------------------------------------------------------------------------------------ */

static int done_count;

static void count_done(struct wd_comp_req *r)
{
	(void)r;
	done_count++;
}

/* depth-1 requests fly at once; one more is -EBUSY; poll hands them all back. */
static void async_fills_the_ring_and_polls_back(void)
{
	static unsigned char c[8][20000], d[20000];
	struct wd_comp_req r[8];
	struct wd_comp_sess s;
	int left = 1;

	wd_config_set("emulate", "hisi_zip:1:depth=8");
	CHECK_EQ(open_sess(&s, 0, WD_ALG_DEFLATE), 0);
	done_count = 0;
	for (int i = 0; i < 8; i++) {
		req_init(&r[i], WD_DIR_COMPRESS, 0, WD_FINISH, data + i * 1000, 15000, c[i],
			 sizeof(c[i]));
		r[i].done = count_done;
		CHECK_EQ(op(&s, &r[i]), i < 7 ? 0 : -EBUSY);
	}
	for (int spins = 0; left && spins < 100000; spins++) {
		left = drv->async_poll(&s);
		if (left)
			usleep(100);
	}
	CHECK_EQ(left, 0);
	CHECK_EQ(done_count, 7);
	for (int i = 0; i < 7; i++) {
		CHECK_EQ(r[i].err, 0);
		CHECK_EQ(r[i].status, WD_STATUS_STREAM_END);
		CHECK_EQ(zlib_inflate("deflate", c[i], r[i].produced, d, sizeof(d)), 15000);
		CHECK(!memcmp(d, data + i * 1000, 15000));
	}
	CHECK_EQ(drv->async_poll(&s), 0);
	drv->exit(&s);
}

/* ---- failures ------------------------------------------------------------------------------- */

static void failures_have_their_codes(void)
{
	static unsigned char c[N];
	struct wd_comp_sess s;
	struct wd_comp_req r;
	struct wd_accel_info info;
	double t0;

	wd_config_set("emulate", "hisi_zip:1:errors=1");
	CHECK_EQ(open_sess(&s, 0, WD_ALG_DEFLATE), 0);
	req_init(&r, WD_DIR_COMPRESS, 1, WD_FINISH, data, 5000, c, sizeof(c));
	CHECK_EQ(op(&s, &r), -EIO);
	req_init(&r, WD_DIR_DECOMPRESS, 1, 0, "\x03\x00", 2, c, sizeof(c));
	CHECK_EQ(op(&s, &r), -EIO);
	drv->exit(&s);

	wd_config_set("emulate", "hisi_zip:1:timeouts=1");
	hisi_qm_set_timeout_ms(100);
	CHECK_EQ(open_sess(&s, 0, WD_ALG_DEFLATE), 0);
	t0 = (double)clock() / CLOCKS_PER_SEC;
	req_init(&r, WD_DIR_COMPRESS, 1, WD_FINISH, data, 5000, c, sizeof(c));
	CHECK_EQ(op(&s, &r), -ETIMEDOUT);
	CHECK((double)clock() / CLOCKS_PER_SEC - t0 < 2.0);
	/* the hung queue (the pool's only one) was closed: its instance is back */
	CHECK_EQ(wd_accel_read("hisi_zip-0", &info), 0);
	CHECK_EQ(info.available_instances, 64);
	drv->exit(&s);
	hisi_qm_set_timeout_ms(0);

	wd_config_set("emulate", "hisi_zip:1:remove_after=1");
	CHECK_EQ(open_sess(&s, 0, WD_ALG_DEFLATE), 0);
	req_init(&r, WD_DIR_COMPRESS, 1, WD_FINISH, data, 5000, c, sizeof(c));
	CHECK_EQ(op(&s, &r), 0);
	req_init(&r, WD_DIR_COMPRESS, 1, WD_FINISH, data, 5000, c, sizeof(c));
	CHECK_EQ(op(&s, &r), -ENODEV);
	req_init(&r, WD_DIR_COMPRESS, 1, WD_FINISH, data, 5000, c, sizeof(c));
	CHECK_EQ(op(&s, &r), -ENODEV);
	drv->exit(&s);
}

int main(void)
{
	test_fill(data, sizeof(data), 5);
	for (size_t i = 0; i < sizeof(noise); i++)
		noise[i] = (unsigned char)(rand() >> 9);
	RUN(init_checks_the_device);
	RUN(stream_compress_takes_all_input);
	RUN(reset_starts_a_new_stream);
	RUN(stream_decompress_stops_at_the_end);
	RUN(stream_decompress_resumes_and_drains);
	RUN(corrupt_input_is_ebadmsg);
	RUN(block_pieces_follow_the_software_contract);
	RUN(async_fills_the_ring_and_polls_back);
	RUN(failures_have_their_codes);
	return test_report();
}
