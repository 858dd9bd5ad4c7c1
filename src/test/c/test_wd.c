/*
 * libwd against the emulated device: contexts, start/put, region mapping,
 * the NOSVA helpers, error conventions (negative errno, or NULL + errno),
 * and that nothing is left behind (file descriptors, mappings).
 */
#include <dirent.h>
#include <sys/mman.h>
#include <unistd.h>

#include "warpdrive/wd.h"
#include "warpdrive/wd_accel.h"
#include "warpdrive/wd_comp.h"
#include "test_util.h"
#include "wd_internal.h"
#include "../drv/hisi_qm.h"

/* ---- helpers ----------------------------------------------------------------- */

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void node(char *buf, size_t size, int id)
{
	snprintf(buf, size, "%s/hisi_zip-%d", wd_dev_root(), id);
}

static struct wd_ctx *ctx_on(int id)
{
	char path[WD_PATH_MAX];

	node(path, sizeof(path), id);
	return wd_request_ctx(path);
}

static int avail(int id)
{
	struct wd_accel_info info;
	char name[32];

	snprintf(name, sizeof(name), "hisi_zip-%d", id);
	return wd_accel_read(name, &info) ? -1 : info.available_instances;
}

static struct wd_accel_info info_of(int id)
{
	struct wd_accel_info info = { 0 };
	char name[32];

	snprintf(name, sizeof(name), "hisi_zip-%d", id);
	wd_accel_read(name, &info);
	return info;
}

/* 1 if [p, p+len) is mapped. */
static int mapped(void *p, size_t len)
{
	unsigned char vec[64];
	long pg = sysconf(_SC_PAGESIZE);

	len = WD_MIN(len, (size_t)pg * 64);
	return mincore(p, len, vec) == 0;
}

/* ---- contexts ------------------------------------------------------------------- */

static void contexts_open_and_release(void)
{
	struct wd_ctx *ctx;
	char path[WD_PATH_MAX];

	CHECK_EQ(wd_config_set("emulate", "hisi_zip:2:queues=3"), 0);
	CHECK(strstr(wd_dev_root(), "wd-emu-") != NULL);
	CHECK_EQ(avail(1), 3);
	ctx = ctx_on(1);
	CHECK(ctx != NULL);
	if (!ctx)
		return;
	node(path, sizeof(path), 1);
	CHECK(ctx->fd >= 0);
	CHECK_EQ(strcmp(ctx->node_path, path), 0);
	CHECK_EQ(strcmp(ctx->dev_name, "hisi_zip-1"), 0);
	CHECK_EQ(strcmp(ctx->drv_name, "hisi_zip"), 0);
	CHECK_EQ(ctx->dev_id, 1);
	CHECK_EQ(avail(1), 2);
	CHECK_EQ(avail(0), 3);
	wd_release_ctx(ctx);
	CHECK_EQ(avail(1), 3);
	wd_release_ctx(NULL);
}

static void bad_paths_fail_with_errno(void)
{
	char path[WD_PATH_MAX];

	errno = 0;
	CHECK(wd_request_ctx(NULL) == NULL && errno == EINVAL);
	errno = 0;
	CHECK(wd_request_ctx("") == NULL && errno == EINVAL);
	errno = 0;
	CHECK(wd_request_ctx("/dev/no_id_here") == NULL && errno == EINVAL);
	snprintf(path, sizeof(path), "%s/hisi_zip-7", wd_dev_root());
	errno = 0;
	CHECK(wd_request_ctx(path) == NULL && errno == ENOENT);
	errno = 0;
	CHECK(wd_request_ctx("/nonexistent/dir/hisi_zip-0") == NULL && errno == ENOENT);
}

static void an_exhausted_device_says_ebusy(void)
{
	struct wd_ctx *c[3];

	CHECK_EQ(wd_config_set("emulate", "hisi_zip:1:queues=2"), 0);
	c[0] = ctx_on(0);
	c[1] = ctx_on(0);
	CHECK(c[0] && c[1]);
	CHECK_EQ(avail(0), 0);
	errno = 0;
	c[2] = ctx_on(0);
	CHECK(c[2] == NULL && errno == EBUSY);
	wd_release_ctx(c[1]);
	c[2] = ctx_on(0);
	CHECK(c[2] != NULL);
	wd_release_ctx(c[0]);
	wd_release_ctx(c[2]);
	CHECK_EQ(avail(0), 2);
}

static void ioctls_set_start_and_put(void)
{
	struct hisi_qp_ctx qc = { 0, 7 };
	struct hisi_qp_info qi = { 0 };
	struct wd_ctx *ctx;

	CHECK_EQ(wd_config_set("emulate", "hisi_zip:1:depth=32"), 0);
	ctx = ctx_on(0);
	if (!ctx)
		return;
	CHECK_EQ(wd_ctx_ioctl(ctx, UACCE_CMD_QM_SET_QP_CTX, &qc), -EINVAL);
	CHECK_EQ(wd_ctx_start(ctx), -EINVAL); /* no queue type yet */
	qc.qc_type = HISI_QM_QC_DECOMPRESS;
	CHECK_EQ(wd_ctx_ioctl(ctx, UACCE_CMD_QM_SET_QP_CTX, &qc), 0);
	CHECK(qc.id < 1024);
	CHECK_EQ(wd_ctx_ioctl(ctx, UACCE_CMD_QM_SET_QP_INFO, &qi), 0);
	CHECK_EQ(qi.sqe_size, 128);
	CHECK_EQ(qi.sq_depth, 32);
	CHECK_EQ(qi.cq_depth, 32);
	CHECK_EQ(wd_ctx_ioctl(ctx, 0x12345678, NULL), -ENOTTY);
	CHECK_EQ(wd_ctx_ioctl(ctx, UACCE_CMD_QM_SET_QP_CTX, NULL), -EFAULT);
	CHECK_EQ(wd_ctx_ioctl(NULL, UACCE_CMD_START_Q, NULL), -EINVAL);
	CHECK_EQ(wd_ctx_start(ctx), 0);
	CHECK_EQ(ctx->started, 1);
	CHECK_EQ(wd_ctx_start(ctx), -EINVAL);
	CHECK_EQ(wd_ctx_ioctl(ctx, UACCE_CMD_QM_SET_QP_CTX, &qc), -EINVAL); /* running */
	CHECK_EQ(wd_ctx_put(ctx), 0);
	CHECK_EQ(ctx->started, 0);
	CHECK_EQ(wd_ctx_put(ctx), -EINVAL);
	wd_release_ctx(ctx);
}

static void regions_map_once_and_unmap(void)
{
	struct wd_accel_info info;
	struct wd_ctx *ctx;
	void *mmio, *dus;

	CHECK_EQ(wd_config_set("emulate", "hisi_zip:1"), 0);
	info = info_of(0);
	ctx = ctx_on(0);
	if (!ctx)
		return;
	errno = 0;
	CHECK(wd_drv_mmap_qfr(ctx, UACCE_QFRT_MMIO, 0) == NULL && errno == EINVAL);
	errno = 0;
	CHECK(wd_drv_mmap_qfr(ctx, UACCE_QFRT_MAX, 4096) == NULL && errno == EINVAL);
	errno = 0;
	CHECK(wd_drv_mmap_qfr(ctx, UACCE_QFRT_DUS, 4096) == NULL && errno == EINVAL);
	mmio = wd_drv_mmap_qfr(ctx, UACCE_QFRT_MMIO, info.region_mmio_size);
	dus = wd_drv_mmap_qfr(ctx, UACCE_QFRT_DUS, info.region_dus_size);
	CHECK(mmio != NULL && dus != NULL);
	CHECK(mapped(dus, info.region_dus_size));
	errno = 0;
	CHECK(wd_drv_mmap_qfr(ctx, UACCE_QFRT_MMIO, info.region_mmio_size) == NULL &&
	      errno == EEXIST);
	wd_drv_unmap_qfr(ctx, (char *)mmio + 1, UACCE_QFRT_MMIO); /* not the base: ignored */
	CHECK(ctx->qfr_base[UACCE_QFRT_MMIO] == mmio);
	wd_drv_unmap_qfr(ctx, mmio, UACCE_QFRT_MMIO);
	CHECK(!mapped(mmio, info.region_mmio_size));
	mmio = wd_drv_mmap_qfr(ctx, UACCE_QFRT_MMIO, info.region_mmio_size);
	CHECK(mmio != NULL);
	wd_release_ctx(ctx); /* unmaps what is left */
	CHECK(!mapped(mmio, info.region_mmio_size));
	CHECK(!mapped(dus, info.region_dus_size));
}

/* ---- NOSVA -------------------------------------------------------------------------------- */

static void sva_devices_have_no_reserved_memory(void)
{
	struct wd_ctx *ctx;
	int x;

	CHECK_EQ(wd_config_set("emulate", "hisi_zip:1"), 0);
	ctx = ctx_on(0);
	if (!ctx)
		return;
	CHECK_EQ(wd_is_nosva(ctx), 0);
	CHECK_EQ(wd_is_nosva(NULL), -EINVAL);
	errno = 0;
	CHECK(wd_reserve_mem(ctx, 4096) == NULL && errno == EINVAL);
	CHECK(wd_get_dma_from_va(ctx, &x) == NULL);
	wd_release_ctx(ctx);
}

static void nosva_reserved_memory_has_device_addresses(void)
{
	struct wd_ctx *ctx;
	unsigned char *a, *b;
	uintptr_t da, db;
	int x;

	CHECK_EQ(wd_config_set("emulate", "hisi_zip:1:nosva"), 0);
	ctx = ctx_on(0);
	if (!ctx)
		return;
	CHECK_EQ(wd_is_nosva(ctx), 1);
	errno = 0;
	CHECK(wd_reserve_mem(ctx, 0) == NULL && errno == EINVAL);
	CHECK(wd_get_dma_from_va(ctx, &x) == NULL); /* nothing reserved yet */
	a = wd_reserve_mem(ctx, 100);
	b = wd_reserve_mem(ctx, 1000);
	CHECK(a != NULL && b != NULL);
	if (!a || !b) {
		wd_release_ctx(ctx);
		return;
	}
	CHECK_EQ((uintptr_t)a % 64, 0);
	CHECK_EQ(b - a, 128); /* 100 rounded up to the 64-byte grain */
	memset(a, 1, 100);
	memset(b, 2, 1000);
	da = (uintptr_t)wd_get_dma_from_va(ctx, a);
	db = (uintptr_t)wd_get_dma_from_va(ctx, b);
	CHECK(da >= 0x1000000000ull);
	CHECK_EQ(db - da, 128);
	CHECK_EQ((uintptr_t)wd_get_dma_from_va(ctx, a + 5), da + 5);
	CHECK(wd_get_dma_from_va(ctx, &x) == NULL);
	CHECK(wd_get_dma_from_va(ctx, a - 1) == NULL);
	CHECK(wd_get_dma_from_va(ctx, a + ctx->qfr_size[UACCE_QFRT_SS]) == NULL);
	CHECK(wd_get_dma_from_va(ctx, a + ctx->qfr_size[UACCE_QFRT_SS] - 1) != NULL);
	errno = 0;
	CHECK(wd_reserve_mem(ctx, ctx->qfr_size[UACCE_QFRT_SS]) == NULL && errno == ENOMEM);
	wd_release_ctx(ctx);
}

/* ---- hygiene ------------------------------------------------------------------------------ */

/* Many contexts with every region mapped and started, then released:
 * the process has exactly the descriptors it had before. */
static void nothing_is_left_behind(void)
{
	struct wd_ctx *c[20];
	struct wd_accel_info info;
	int before;

	CHECK_EQ(wd_config_set("emulate", "hisi_zip:2:nosva"), 0);
	info = info_of(0);
	before = open_fds();
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 20; i++) {
			struct hisi_qp_ctx qc = { 0, HISI_QM_QC_COMPRESS };

			c[i] = ctx_on(i % 2);
			CHECK(c[i] != NULL);
			if (!c[i])
				continue;
			CHECK(wd_drv_mmap_qfr(c[i], UACCE_QFRT_MMIO, info.region_mmio_size) != NULL);
			CHECK(wd_drv_mmap_qfr(c[i], UACCE_QFRT_DUS, info.region_dus_size) != NULL);
			CHECK_EQ(wd_ctx_ioctl(c[i], UACCE_CMD_QM_SET_QP_CTX, &qc), 0);
			CHECK_EQ(wd_ctx_start(c[i]), 0);
			if (geteuid() == 0)
				CHECK(wd_reserve_mem(c[i], 8192) != NULL);
		}
		CHECK_EQ(open_fds(), before + 20);
		CHECK_EQ(avail(0), 54);
		for (int i = 0; i < 20; i++)
			wd_release_ctx(c[i]);
		CHECK_EQ(open_fds(), before);
		CHECK_EQ(avail(0), 64);
		CHECK_EQ(avail(1), 64);
	}
}

int main(void)
{
	RUN(contexts_open_and_release);
	RUN(bad_paths_fail_with_errno);
	RUN(an_exhausted_device_says_ebusy);
	RUN(ioctls_set_start_and_put);
	RUN(regions_map_once_and_unmap);
	RUN(sva_devices_have_no_reserved_memory);
	RUN(nosva_reserved_memory_has_device_addresses);
	RUN(nothing_is_left_behind);
	return test_report();
}
