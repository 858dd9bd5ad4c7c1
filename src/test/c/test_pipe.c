/* The parallel pipeline (wdp_*): blocks submitted out of the caller's
 * sight, collected in order, form one raw DEFLATE stream. */
#include <zlib.h>

#include "warpdrive/wd_comp.h"
#include "warpdrive/wd_stream.h"
#include "test_util.h"
#include "wd_internal.h"

#define TOTAL (3 * 1024 * 1024 + 12345)

static unsigned char data[TOTAL], out[TOTAL + TOTAL / 4], back[TOTAL];

static size_t run_pipe(int level, int slots, int block)
{
	intptr_t p = wdp_open(level, slots, block);
	size_t in = 0, made = 0;
	int next = 0, oldest = 0, busy = 0, prev = -1;

	CHECK(p != 0);
	if (!p)
		return 0;
	while (in < TOTAL || busy) {
		if (in < TOTAL && busy < slots) {
			int len = (int)WD_MIN((size_t)block, TOTAL - in);
			int final = in + (size_t)len == TOTAL;

			memcpy((void *)wdp_in(p, next), data + in, (size_t)len);
			CHECK_EQ(wdp_submit(p, next, len, final, prev), 0);
			in += (size_t)len;
			prev = next;
			next = (next + 1) % slots;
			busy++;
			continue;
		}
		{
			int n = wdp_wait(p, oldest);

			CHECK(n >= 0);
			if (n < 0) {
				fprintf(stderr, "wait: %d %s\n", n, wdp_errmsg(p));
				break;
			}
			memcpy(out + made, (void *)wdp_out(p, oldest), (size_t)n);
			made += (size_t)n;
			oldest = (oldest + 1) % slots;
			busy--;
		}
	}
	CHECK_EQ(strcmp(wdp_engine(p), "software"), 0);
	wdp_close(p);
	return made;
}

/* Runs the pipeline at each level with blocks of the given size: the
 * stream decodes to the input, within slack_pct of zlib's serial size. */
static void pipe_stream_decodes_within(const int *levels, size_t nlevels, int block, int slack_pct)
{
	for (size_t i = 0; i < nlevels; i++) {
		size_t n = run_pipe(levels[i], 4, block);
		z_stream zs = { 0 };
		uLongf serial = compressBound(TOTAL);
		static unsigned char tmp[TOTAL + TOTAL / 4];

		inflateInit2(&zs, -15);
		zs.next_in = out;
		zs.avail_in = (uInt)n;
		zs.next_out = back;
		zs.avail_out = sizeof(back);
		CHECK_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
		CHECK_EQ(zs.total_out, TOTAL);
		CHECK(!memcmp(back, data, TOTAL));
		inflateEnd(&zs);
		compress2(tmp, &serial, data, TOTAL, levels[i]);
		CHECK(n * 100 <= serial * (size_t)(100 + slack_pct));
	}
}

/* 128 KiB blocks carry the history across: within 2% of one serial stream. */
static void blocks_form_one_stream_with_a_serial_ratio(void)
{
	static const int levels[] = { 1, 6, 9 };

	pipe_stream_decodes_within(levels, WD_ARRAY_SIZE(levels), 128 * 1024, 2);
}

/* Blocks of 512 KiB and more at levels 2-9 go to libdeflate, which takes
 * no history: the stream still decodes, within 5% of zlib's serial size
 * on this synthetic data (libdeflate's own ratio on it). */
static void big_blocks_without_history(void)
{
	static const int levels[] = { 2, 6, 9 };

	pipe_stream_decodes_within(levels, WD_ARRAY_SIZE(levels), 1024 * 1024, 5);
}

static void odd_shapes_work(void)
{
	/* two slots, tiny blocks */
	size_t n = run_pipe(6, 2, 4096);
	z_stream zs = { 0 };

	inflateInit2(&zs, -15);
	zs.next_in = out;
	zs.avail_in = (uInt)n;
	zs.next_out = back;
	zs.avail_out = sizeof(back);
	CHECK_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
	CHECK_EQ(zs.total_out, TOTAL);
	inflateEnd(&zs);
	CHECK(wdp_open(6, 1, 65536) == 0);
	CHECK(wdp_open(6, 4, 100) == 0);
	CHECK(wdp_open(10, 4, 65536) == 0);
	CHECK_EQ(wdp_submit(0, 0, 10, 0, -1), -EINVAL);
	{
		intptr_t p = wdp_open(6, 2, 65536);

		CHECK_EQ(wdp_submit(p, 2, 10, 0, -1), -EINVAL);
		CHECK_EQ(wdp_submit(p, 0, 65537, 0, -1), -EINVAL);
		CHECK_EQ(wdp_submit(p, 0, 10, 0, 0), -EINVAL);
		CHECK_EQ(wdp_wait(p, 1), -EINVAL);
		CHECK_EQ(wdp_submit(p, 0, 0, 1, -1), 0);
		CHECK_EQ(wdp_wait(p, 0), 2); /* an empty final block: 03 00 */
		wdp_close(p);
	}
}

int main(void)
{
	test_fill(data, sizeof(data), 3);
	wd_config_set("sysfs", "/nonexistent");
	RUN(blocks_form_one_stream_with_a_serial_ratio);
	RUN(big_blocks_without_history);
	RUN(odd_shapes_work);
	return test_report();
}
