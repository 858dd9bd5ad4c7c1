/*
 * The emulated UACCE device on its own: the `emulate` spec, the sysfs
 * tree it writes, and the queue protocol and engine checks at the level
 * of raw SQEs and CQEs (drv/hisi_qm.c talking to it, no library above).
 */
#include <fcntl.h>
#include <ftw.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "warpdrive/wd.h"
#include "warpdrive/wd_accel.h"
#include "warpdrive/wd_comp.h"
#include "test_util.h"
#include "test_comp_util.h"
#include "wd_internal.h"
#include "../drv/hisi_qm.h"
#include "../drv/hisi_zip.h"
#include "../emu/emu_internal.h"

static unsigned char data[256 * 1024];

/* ---- helpers -------------------------------------------------------------------- */

static int emulate(const char *spec)
{
	wd_config_set("emulate", spec);
	return wd_emu_ensure();
}

static void node(char *buf, size_t size, int id)
{
	snprintf(buf, size, "%s/hisi_zip-%d", wd_dev_root(), id);
}

static struct hisi_qm_queue *open_queue(int id, int qc_type)
{
	struct hisi_qm_queue *q = NULL;
	char path[WD_PATH_MAX];

	node(path, sizeof(path), id);
	CHECK_EQ(hisi_qm_open(path, qc_type, 1u << 20, &q), 0);
	return q;
}

static int read_file(const char *dir, const char *name, char *buf, size_t size)
{
	char path[2048];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return 0;
}

static const char *attr(int id, const char *name)
{
	static char buf[256];
	char dir[1024];

	snprintf(dir, sizeof(dir), "%s/hisi_zip-%d", wd_sysfs_root(), id);
	if (read_file(dir, name, buf, sizeof(buf)))
		return "(missing)";
	return buf;
}

/* A raw-deflate request; the queue decides the direction. */
static void sqe_fill(struct hz_sqe *s, const void *src, uint32_t in, void *dst, uint32_t out,
		     uint32_t mode_bits)
{
	memset(s, 0, sizeof(*s));
	hz_set(s, HZ_DW_MODE, HZ_SQE_TYPE_V3 << HZ_MODE_SQE_TYPE_SHIFT | mode_bits);
	hz_set(s, HZ_DW_TYPE, HZ_REQ_DEFLATE | HZ_WIN_32K << HZ_TYPE_WIN_SHIFT);
	hz_set(s, HZ_DW_IN_LEN, in);
	hz_set(s, HZ_DW_DEST_AVAIL, out);
	hz_set(s, HZ_DW_SRC_LO, (uint32_t)(uintptr_t)src);
	hz_set(s, HZ_DW_SRC_HI, (uint32_t)((uint64_t)(uintptr_t)src >> 32));
	hz_set(s, HZ_DW_DST_LO, (uint32_t)(uintptr_t)dst);
	hz_set(s, HZ_DW_DST_HI, (uint32_t)((uint64_t)(uintptr_t)dst >> 32));
}

static void sqe_ctx(struct hz_sqe *s, uint64_t ctx)
{
	hz_set(s, HZ_DW_CTX_LO, (uint32_t)ctx);
	hz_set(s, HZ_DW_CTX_HI, (uint32_t)(ctx >> 32));
}

/* Runs one SQE; returns its status, or a negative errno from the queue. */
static int run(struct hisi_qm_queue *q, struct hz_sqe *s)
{
	int ret = hisi_qm_send(q, s, NULL, 0, NULL);

	if (!ret)
		ret = hisi_qm_wait(q, s, NULL, 2000);
	return ret ? ret : (int)(hz_get(s, HZ_DW_STATUS) & HZ_STATUS_MASK);
}

/* ---- the spec ---------------------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* A tree as an emulator leaves it: with or without its .lock file. */
static void fake_tree(char *dir, size_t size, int with_lock, int *lock_fd)
{
	const char *tmp = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char path[600];
	int fd;

	snprintf(dir, size, "%s/wd-emu-XXXXXX", tmp);
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/1", dir);
	mkdir(path, 0755);
	if (!with_lock)
		return;
	snprintf(path, sizeof(path), "%s/.lock", dir);
	fd = open(path, O_RDONLY | O_CREAT, 0600);
	CHECK(fd >= 0);
	if (lock_fd) {
		CHECK_EQ(flock(fd, LOCK_SH), 0); /* a live owner */
		*lock_fd = fd;
	} else {
		close(fd); /* an owner killed before exit */
	}
}

/* A process removes its tree at exit, and trees of processes that died
 * without exiting are swept by the next emulator. */
static void the_tree_goes_away_at_exit(void)
{
	char root[512] = "", stale[512], alive[512], legacy[512];
	int fds[2], lock_fd = -1, status = 0;
	struct stat st;
	pid_t pid;

	fake_tree(stale, sizeof(stale), 1, NULL);
	fake_tree(alive, sizeof(alive), 1, &lock_fd);
	fake_tree(legacy, sizeof(legacy), 0, NULL);
	CHECK_EQ(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		emulate("hisi_zip:1");
		if (write(fds[1], wd_sysfs_root(), strlen(wd_sysfs_root())) < 0)
			_exit(2);
		exit(0); /* atexit handlers run */
	}
	close(fds[1]);
	CHECK(read(fds[0], root, sizeof(root) - 1) > 0);
	close(fds[0]);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(strstr(root, "wd-emu-") != NULL);
	CHECK(stat(root, &st) != 0);
	CHECK(stat(stale, &st) != 0);
	CHECK_EQ(stat(alive, &st), 0);
	CHECK_EQ(stat(legacy, &st), 0);
	close(lock_fd);
	nftw(alive, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	nftw(legacy, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void bad_specs_are_refused(void)
{
	static const char *const bad[] = {
		"hisi_zip", "hisi_zip:0", "hisi_zip:65", "foo:1", "hisi_zip:1:bogus",
		"hisi_zip:1:errors=2", "hisi_zip:1:errors=0.6:timeouts=0.6", "hisi_zip:1:queues=0",
		"hisi_zip:1:depth=2", "hisi_zip::1", "hisi_zip:1:", "hisi_zip:1:remove_after=-1",
		"hisi_zip:x", ":1", "hisi_zip:1:errors=", "hisi_zip:1:queues=1025",
	};

	for (size_t i = 0; i < WD_ARRAY_SIZE(bad); i++) {
		CHECK_EQ(emulate(bad[i]), -EINVAL);
		CHECK_EQ(wd_emu_ensure(), -EINVAL); /* and it stays so */
	}
	CHECK_EQ(emulate(""), 0);
	CHECK_EQ(emulate("hisi_zip:3:nosva:v2:errors=0.5:timeouts=0.25:remove_after=10:queues=3:"
			 "depth=16"), 0);
	CHECK_EQ(emulate("hisi_zip:1"), 0);
	CHECK_EQ(wd_emu_ensure(), 0);
}

static void sysfs_reads_like_the_kernels(void)
{
	struct wd_accel_info list[8];
	char path[WD_PATH_MAX];
	struct stat st;
	long pg = sysconf(_SC_PAGESIZE);
	char want[64];

	CHECK_EQ(emulate("hisi_zip:3:depth=64"), 0);
	CHECK(strstr(wd_sysfs_root(), "wd-emu-") != NULL);
	CHECK_EQ(strcmp(attr(1, "api"), "hisi_qm_v3\n"), 0);
	CHECK_EQ(strcmp(attr(1, "algorithms"), "deflate\nzlib\ngzip\n"), 0);
	CHECK_EQ(strcmp(attr(1, "flags"), "1\n"), 0);
	CHECK_EQ(strcmp(attr(1, "available_instances"), "64\n"), 0);
	CHECK_EQ(strcmp(attr(1, "isolate"), "0\n"), 0);
	CHECK_EQ(strcmp(attr(1, "node_id"), "0\n"), 0);
	snprintf(want, sizeof(want), "%ld\n", 2 * pg);
	CHECK_EQ(strcmp(attr(1, "region_mmio_size"), want), 0);
	/* SQ + CQ rings, page aligned, then the status page */
	snprintf(want, sizeof(want), "%ld\n",
		 (64 * (128 + 16) + pg - 1) / pg * pg + pg);
	CHECK_EQ(strcmp(attr(1, "region_dus_size"), want), 0);
	CHECK_EQ(wd_accel_list("deflate", NULL, 0, list, 8), 3);
	for (int i = 0; i < 3; i++) {
		node(path, sizeof(path), i);
		CHECK_EQ(stat(path, &st), 0);
	}
	CHECK_EQ(emulate("hisi_zip:1:nosva:v2"), 0);
	CHECK_EQ(strcmp(attr(0, "api"), "hisi_qm_v2\n"), 0);
	CHECK_EQ(strcmp(attr(0, "algorithms"), "zlib\ngzip\n"), 0);
	CHECK_EQ(strcmp(attr(0, "flags"), "0\n"), 0);
}

/* ---- the queue protocol ---------------------------------------------------------------- */

/* A small ring: submissions wrap many times, the phase flips each lap,
 * depth-1 requests fit at once, one more does not. */
static void the_ring_wraps_and_the_phase_flips(void)
{
	static unsigned char out[8][4096], back[4096];
	struct hisi_qm_queue *q;
	struct hz_sqe s;

	CHECK_EQ(emulate("hisi_zip:1:depth=8"), 0);
	q = open_queue(0, HISI_QM_QC_COMPRESS);
	if (!q)
		return;
	CHECK_EQ(q->depth, 8);
	for (int i = 0; i < 30; i++) {
		sqe_fill(&s, data + i, 3000, out[0], sizeof(out[0]), HZ_MODE_FLUSH_FINISH);
		CHECK_EQ(run(q, &s), HZ_STATUS_OK);
		CHECK_EQ(hz_get(&s, HZ_DW_CONSUMED), 3000);
		CHECK_EQ(zlib_inflate("deflate", out[0], hz_get(&s, HZ_DW_PRODUCED), back, sizeof(back)), 3000);
		CHECK(!memcmp(back, data + i, 3000));
	}
	for (int lap = 0; lap < 3; lap++) {
		for (int i = 0; i < 7; i++) {
			sqe_fill(&s, data + i * 100, 2000, out[i], sizeof(out[i]),
				 HZ_MODE_FLUSH_FINISH);
			CHECK_EQ(hisi_qm_send(q, &s, (void *)(uintptr_t)(i + 1), 0, NULL), 0);
		}
		CHECK_EQ(hisi_qm_send(q, &s, NULL, 0, NULL), -EBUSY);
		for (int i = 0; i < 7; i++) {
			struct hisi_qm_slot slot;

			CHECK_EQ(hisi_qm_wait(q, &s, &slot, 2000), 0);
			CHECK_EQ((uintptr_t)slot.priv, i + 1); /* in submission order */
			CHECK_EQ(zlib_inflate("deflate", out[i], hz_get(&s, HZ_DW_PRODUCED), back, sizeof(back)),
				 2000);
			CHECK(!memcmp(back, data + i * 100, 2000));
		}
		CHECK_EQ(hisi_qm_recv(q, &s, NULL), -EAGAIN);
	}
	hisi_qm_close(q);
}

/* A stateful stream over three requests continues one raw stream. */
static void a_stateful_stream_spans_requests(void)
{
	static unsigned char out[3][40000], all[120000], back[100000];
	unsigned char *ctx = aligned_alloc(HZ_CTX_ALIGN, HZ_CTX_SIZE);
	struct hisi_qm_queue *q;
	struct hz_sqe s;
	size_t total = 0;

	CHECK_EQ(emulate("hisi_zip:1"), 0);
	q = open_queue(0, HISI_QM_QC_COMPRESS);
	memset(ctx, 0, HZ_CTX_SIZE);
	for (int i = 0; i < 3; i++) {
		uint32_t mode = HZ_MODE_STATEFUL | (i == 0 ? HZ_MODE_NEW_STREAM : 0) |
				(i == 2 ? HZ_MODE_FLUSH_FINISH : 0);

		sqe_fill(&s, data + i * 30000, 30000, out[i], sizeof(out[i]), mode);
		sqe_ctx(&s, (uint64_t)(uintptr_t)(ctx + HZ_CTX_HW_OFF));
		CHECK_EQ(run(q, &s), HZ_STATUS_OK);
		memcpy(all + total, out[i], hz_get(&s, HZ_DW_PRODUCED));
		total += hz_get(&s, HZ_DW_PRODUCED);
	}
	/* history crossed the request boundaries: smaller than three streams */
	CHECK_EQ(zlib_inflate("deflate", all, total, back, sizeof(back)), 90000);
	CHECK(!memcmp(back, data, 90000));
	hisi_qm_close(q);
	free(ctx);
}

/* ---- strictness ---------------------------------------------------------------------- */

struct bad_case {
	const char *what;
	int word;
	uint32_t value;
};

static void malformed_requests_fail_cleanly(void)
{
	static const struct bad_case cases[] = {
		{ "zlib req_type (not modelled)", HZ_DW_TYPE, HZ_REQ_ZLIB | HZ_WIN_32K << 12 },
		{ "lz77 req_type", HZ_DW_TYPE, 0x40 | HZ_WIN_32K << 12 },
		{ "SGL buffers", HZ_DW_TYPE, HZ_REQ_DEFLATE | HZ_BUF_SGL << 8 | HZ_WIN_32K << 12 },
		{ "window code 5", HZ_DW_TYPE, HZ_REQ_DEFLATE | 5u << 12 },
		{ "v2 sqe_type", HZ_DW_MODE, HZ_MODE_FLUSH_FINISH },
		{ "empty input", HZ_DW_IN_LEN, 0 },
		{ "input over 8 MiB", HZ_DW_IN_LEN, HZ_MAX_SIZE + 1 },
		{ "no output room", HZ_DW_DEST_AVAIL, 0 },
		{ "null source", HZ_DW_SRC_LO, 0 },
		{ "stateful, misaligned context", HZ_DW_MODE,
		  HZ_SQE_TYPE_V3 << 28 | HZ_MODE_STATEFUL | HZ_MODE_NEW_STREAM },
		{ "stateful, context never started", HZ_DW_MODE, HZ_SQE_TYPE_V3 << 28 | HZ_MODE_STATEFUL },
	};
	static unsigned char out[8192], back[8192];
	unsigned char *ctx = aligned_alloc(HZ_CTX_ALIGN, HZ_CTX_SIZE);
	long pg = sysconf(_SC_PAGESIZE);
	unsigned char *gone = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *ro = mmap(NULL, (size_t)pg * 4, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct hisi_qm_queue *q;
	struct hz_sqe s;

	CHECK_EQ(emulate("hisi_zip:1"), 0);
	q = open_queue(0, HISI_QM_QC_COMPRESS);
	memset(ctx, 0, HZ_CTX_SIZE);
	munmap(gone, (size_t)pg);
	for (size_t i = 0; i < WD_ARRAY_SIZE(cases); i++) {
		int st;

		sqe_fill(&s, data, 4000, out, sizeof(out), HZ_MODE_FLUSH_FINISH);
		sqe_ctx(&s, (uint64_t)(uintptr_t)(ctx + HZ_CTX_HW_OFF + (i == 9 ? 8 : 0)));
		hz_set(&s, cases[i].word, cases[i].value);
		if (cases[i].word == HZ_DW_SRC_LO)
			hz_set(&s, HZ_DW_SRC_HI, 0);
		st = run(q, &s);
		if (st == HZ_STATUS_OK)
			fprintf(stderr, "    accepted: %s\n", cases[i].what);
		CHECK(st > 0 && st != HZ_STATUS_OK && st != HZ_STATUS_NEGACOMPRESS);
		CHECK_EQ(hz_get(&s, HZ_DW_PRODUCED), 0);
	}
	/* addresses the process cannot use: unmapped source, read-only destination */
	sqe_fill(&s, gone, 100, out, sizeof(out), HZ_MODE_FLUSH_FINISH);
	CHECK_EQ(run(q, &s), EMU_STATUS_BAD_REQUEST);
	sqe_fill(&s, data, 4000, ro, (uint32_t)pg * 4, HZ_MODE_FLUSH_FINISH);
	CHECK_EQ(run(q, &s), EMU_STATUS_BAD_REQUEST);
	/* the queue still works */
	sqe_fill(&s, data, 4000, out, sizeof(out), HZ_MODE_FLUSH_FINISH);
	CHECK_EQ(run(q, &s), HZ_STATUS_OK);
	CHECK_EQ(zlib_inflate("deflate", out, hz_get(&s, HZ_DW_PRODUCED), back, sizeof(back)), 4000);
	hisi_qm_close(q);
	munmap(ro, (size_t)pg * 4);
	free(ctx);
}

/* Decompression: a stream the engine does not know, and corrupt data. */
static void decompression_errors_are_statuses(void)
{
	static unsigned char out[8192];
	unsigned char *ctx = aligned_alloc(HZ_CTX_ALIGN, HZ_CTX_SIZE);
	struct hisi_qm_queue *q;
	struct hz_sqe s;

	CHECK_EQ(emulate("hisi_zip:1"), 0);
	q = open_queue(0, HISI_QM_QC_DECOMPRESS);
	memset(ctx, 0xa5, HZ_CTX_SIZE);
	sqe_fill(&s, "\x03\x00", 2, out, sizeof(out), HZ_MODE_STATEFUL);
	sqe_ctx(&s, (uint64_t)(uintptr_t)(ctx + HZ_CTX_HW_OFF));
	CHECK_EQ(run(q, &s), EMU_STATUS_CTX_LOST);
	sqe_fill(&s, "\x07\x00\x00\x00", 4, out, sizeof(out), 0);
	CHECK_EQ(run(q, &s), HZ_STATUS_DECODE_ERR);
	/* an empty final block: the end, with lstblk */
	sqe_fill(&s, "\x03\x00junk", 6, out, sizeof(out), 0);
	CHECK_EQ(run(q, &s), HZ_STATUS_DECOMP_END);
	CHECK(hz_get(&s, HZ_DW_STATUS) & HZ_LSTBLK);
	CHECK_EQ(hz_get(&s, HZ_DW_CONSUMED), 2);
	hisi_qm_close(q);
	free(ctx);
}

/* NOSVA: addresses are the reserved region's device addresses only. */
static void nosva_addresses_must_be_reserved_memory(void)
{
	static unsigned char back[8192];
	struct hisi_qm_queue *q;
	unsigned char *src, *dst;
	struct hz_sqe s;

	if (geteuid() != 0)
		return;
	CHECK_EQ(emulate("hisi_zip:1:nosva"), 0);
	q = open_queue(0, HISI_QM_QC_COMPRESS);
	if (!q)
		return;
	CHECK(q->nosva && q->rsv);
	src = q->rsv;
	dst = q->rsv + 65536;
	memcpy(src, data, 5000);
	/* virtual addresses mean nothing to this device */
	sqe_fill(&s, src, 5000, dst, 8192, HZ_MODE_FLUSH_FINISH);
	CHECK_EQ(run(q, &s), EMU_STATUS_BAD_REQUEST);
	sqe_fill(&s, wd_get_dma_from_va(q->ctx, src), 5000, wd_get_dma_from_va(q->ctx, dst), 8192,
		 HZ_MODE_FLUSH_FINISH);
	CHECK_EQ(run(q, &s), HZ_STATUS_OK);
	CHECK_EQ(zlib_inflate("deflate", dst, hz_get(&s, HZ_DW_PRODUCED), back, sizeof(back)), 5000);
	/* a device address running past the end of the region */
	sqe_fill(&s, wd_get_dma_from_va(q->ctx, q->rsv + q->ctx->qfr_size[UACCE_QFRT_SS] - 100),
		 5000, wd_get_dma_from_va(q->ctx, dst), 8192, HZ_MODE_FLUSH_FINISH);
	CHECK_EQ(run(q, &s), EMU_STATUS_BAD_REQUEST);
	hisi_qm_close(q);
}

/* ---- fault knobs ------------------------------------------------------------------------ */

static void errors_knob_fails_requests(void)
{
	static unsigned char out[8192];
	struct hisi_qm_queue *q;
	struct hz_sqe s;
	int seq[2][40];

	CHECK_EQ(emulate("hisi_zip:1:errors=1"), 0);
	q = open_queue(0, HISI_QM_QC_COMPRESS);
	sqe_fill(&s, data, 4000, out, sizeof(out), HZ_MODE_FLUSH_FINISH);
	CHECK_EQ(run(q, &s), EMU_STATUS_FAULT);
	hisi_qm_close(q);
	/* the same spec twice gives the same fault sequence (seeded) */
	for (int k = 0; k < 2; k++) {
		CHECK_EQ(emulate(k ? "hisi_zip:1:errors=0.5" : "hisi_zip:1:errors=0.50"), 0);
		q = open_queue(0, HISI_QM_QC_COMPRESS);
		for (int i = 0; i < 40; i++) {
			sqe_fill(&s, data, 1000, out, sizeof(out), HZ_MODE_FLUSH_FINISH);
			seq[k][i] = run(q, &s);
		}
		hisi_qm_close(q);
	}
	CHECK(!memcmp(seq[0], seq[1], sizeof(seq[0])));
}

static void timeouts_knob_hangs_the_queue(void)
{
	static unsigned char out[8192];
	struct hisi_qm_queue *q;
	struct hz_sqe s;

	CHECK_EQ(emulate("hisi_zip:1:timeouts=1"), 0);
	q = open_queue(0, HISI_QM_QC_COMPRESS);
	sqe_fill(&s, data, 4000, out, sizeof(out), HZ_MODE_FLUSH_FINISH);
	CHECK_EQ(hisi_qm_send(q, &s, NULL, 0, NULL), 0);
	CHECK_EQ(hisi_qm_wait(q, &s, NULL, 100), -ETIMEDOUT);
	hisi_qm_close(q);
}

static void remove_after_takes_the_device_away(void)
{
	static unsigned char out[8192];
	struct hisi_qm_queue *q, *q2 = NULL;
	char path[WD_PATH_MAX];
	struct hz_sqe s;

	CHECK_EQ(emulate("hisi_zip:1:remove_after=2"), 0);
	q = open_queue(0, HISI_QM_QC_COMPRESS);
	for (int i = 0; i < 2; i++) {
		sqe_fill(&s, data, 4000, out, sizeof(out), HZ_MODE_FLUSH_FINISH);
		CHECK_EQ(run(q, &s), HZ_STATUS_OK);
	}
	sqe_fill(&s, data, 4000, out, sizeof(out), HZ_MODE_FLUSH_FINISH);
	CHECK_EQ(run(q, &s), -ENODEV);
	CHECK_EQ(hisi_qm_send(q, &s, NULL, 0, NULL), -ENODEV);
	for (int i = 0; i < 200 && strcmp(attr(0, "isolate"), "1\n"); i++)
		usleep(1000);
	CHECK_EQ(strcmp(attr(0, "isolate"), "1\n"), 0);
	CHECK_EQ(strcmp(attr(0, "available_instances"), "0\n"), 0);
	node(path, sizeof(path), 0);
	CHECK_EQ(hisi_qm_open(path, HISI_QM_QC_COMPRESS, 0, &q2), -ENODEV);
	hisi_qm_close(q);
}

/* A new spec brings new devices; queues on the old ones keep working. */
static void old_devices_outlive_a_new_spec(void)
{
	static unsigned char out[8192];
	struct hisi_qm_queue *q;
	struct hz_sqe s;
	char before[512];

	CHECK_EQ(emulate("hisi_zip:1:queues=5"), 0);
	wd_strlcpy(before, wd_sysfs_root(), sizeof(before));
	q = open_queue(0, HISI_QM_QC_COMPRESS);
	CHECK_EQ(emulate("hisi_zip:2:queues=6"), 0);
	CHECK(strcmp(before, wd_sysfs_root()) != 0);
	CHECK_EQ(strcmp(attr(0, "available_instances"), "6\n"), 0);
	sqe_fill(&s, data, 4000, out, sizeof(out), HZ_MODE_FLUSH_FINISH);
	CHECK_EQ(run(q, &s), HZ_STATUS_OK);
	hisi_qm_close(q);
}

int main(void)
{
	setenv("WD_LOG", "0", 0); /* the bad specs below each log a warning */
	test_fill(data, sizeof(data), 3);
	RUN(the_tree_goes_away_at_exit);
	RUN(bad_specs_are_refused);
	RUN(sysfs_reads_like_the_kernels);
	RUN(the_ring_wraps_and_the_phase_flips);
	RUN(a_stateful_stream_spans_requests);
	RUN(malformed_requests_fail_cleanly);
	RUN(decompression_errors_are_statuses);
	RUN(nosva_addresses_must_be_reserved_memory);
	RUN(errors_knob_fails_requests);
	RUN(timeouts_knob_hangs_the_queue);
	RUN(remove_after_takes_the_device_away);
	RUN(old_devices_outlive_a_new_spec);
	return test_report();
}
