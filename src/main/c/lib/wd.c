/*
 * libwd: contexts (one opened UACCE queue each), queue-file-region
 * mapping, and the NOSVA helpers.  Every system call on a device node
 * goes through a struct wd_sys_ops so the emulated device can stand in
 * for the kernel without the driver above noticing.
 */
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "warpdrive/wd.h"
#include "warpdrive/wd_accel.h"
#include "wd_internal.h"

/* Default size of the NOSVA static share region mapped by wd_reserve_mem(). */
#define WD_SS_DEFAULT_SIZE (4u << 20)
/* Reserved-memory carving granularity: a cache line, as DMA prefers. */
#define WD_SS_ALIGN 64u

static int sys_open(const char *path, int flags)
{
	return open(path, flags);
}

static int sys_close(int fd)
{
	return close(fd);
}

static int sys_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg);
}

static void *sys_mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	return mmap(addr, len, prot, flags, fd, (off_t)off);
}

static int sys_munmap(void *addr, size_t len)
{
	return munmap(addr, len);
}

static const struct wd_sys_ops kernel_ops = {
	sys_open, sys_close, sys_ioctl, sys_mmap, sys_munmap,
};

#define MAX_SYS_ROUTES 4
static struct {
	char root[WD_PATH_MAX];
	const struct wd_sys_ops *ops;
} routes[MAX_SYS_ROUTES];
static pthread_mutex_t routes_lock = PTHREAD_MUTEX_INITIALIZER;

WD_EXPORT int wd_register_sys_ops(const char *dev_root, const struct wd_sys_ops *ops)
{
	int ret = -ENOSPC;

	if (!dev_root || !*dev_root || strlen(dev_root) >= WD_PATH_MAX)
		return -EINVAL;
	pthread_mutex_lock(&routes_lock);
	for (int i = 0; i < MAX_SYS_ROUTES; i++) {
		if (routes[i].ops && !strcmp(routes[i].root, dev_root)) {
			routes[i].ops = ops;
			ret = 0;
			goto out;
		}
	}
	if (!ops) {
		ret = 0;
		goto out;
	}
	for (int i = 0; i < MAX_SYS_ROUTES; i++) {
		if (!routes[i].ops) {
			wd_strlcpy(routes[i].root, dev_root, sizeof(routes[i].root));
			routes[i].ops = ops;
			ret = 0;
			break;
		}
	}
out:
	pthread_mutex_unlock(&routes_lock);
	return ret;
}

static const struct wd_sys_ops *ops_for(const char *path)
{
	const struct wd_sys_ops *ops = &kernel_ops;

	pthread_mutex_lock(&routes_lock);
	for (int i = 0; i < MAX_SYS_ROUTES; i++) {
		size_t l = strlen(routes[i].root);

		if (routes[i].ops && !strncmp(path, routes[i].root, l) && path[l] == '/') {
			ops = routes[i].ops;
			break;
		}
	}
	pthread_mutex_unlock(&routes_lock);
	return ops;
}

WD_EXPORT const char *wd_dev_root(void)
{
	const char *root;

	wd_emu_ensure();
	root = wd_cfg_str("dev");
	return *root ? root : "/dev";
}

WD_EXPORT struct wd_ctx *wd_request_ctx(const char *node_path)
{
	struct wd_ctx *ctx;
	const char *base;
	int e;

	if (!node_path || !*node_path || strlen(node_path) >= WD_PATH_MAX) {
		errno = EINVAL;
		return NULL;
	}
	base = strrchr(node_path, '/');
	base = base ? base + 1 : node_path;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		errno = ENOMEM;
		return NULL;
	}
	wd_strlcpy(ctx->node_path, node_path, sizeof(ctx->node_path));
	wd_strlcpy(ctx->dev_name, base, sizeof(ctx->dev_name));
	ctx->dev_id = wd_split_dev_name(base, ctx->drv_name, sizeof(ctx->drv_name));
	if (ctx->dev_id < 0) {
		free(ctx);
		errno = EINVAL;
		return NULL;
	}
	ctx->ops = ops_for(node_path);
	ctx->fd = ctx->ops->open(node_path, O_RDWR | O_CLOEXEC);
	if (ctx->fd < 0) {
		e = errno ? errno : EIO;
		free(ctx);
		errno = e;
		return NULL;
	}
	return ctx;
}

WD_EXPORT int wd_ctx_ioctl(struct wd_ctx *ctx, unsigned long cmd, void *arg)
{
	if (!ctx || ctx->fd < 0)
		return -EINVAL;
	if (ctx->ops->ioctl(ctx->fd, cmd, arg) < 0)
		return errno ? -errno : -EIO;
	return 0;
}

WD_EXPORT int wd_ctx_start(struct wd_ctx *ctx)
{
	int ret = wd_ctx_ioctl(ctx, UACCE_CMD_START_Q, NULL);

	if (!ret)
		ctx->started = 1;
	return ret;
}

WD_EXPORT int wd_ctx_put(struct wd_ctx *ctx)
{
	int ret = wd_ctx_ioctl(ctx, UACCE_CMD_PUT_Q, NULL);

	if (!ret)
		ctx->started = 0;
	return ret;
}

WD_EXPORT void *wd_drv_mmap_qfr(struct wd_ctx *ctx, enum uacce_qfrt qfrt, size_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p;

	if (!ctx || (int)qfrt < 0 || qfrt >= UACCE_QFRT_MAX || !size) {
		errno = EINVAL;
		return NULL;
	}
	if (ctx->qfr_base[qfrt]) {
		errno = EEXIST;
		return NULL;
	}
	p = ctx->ops->mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, ctx->fd,
			   (long)qfrt * page);
	if (p == MAP_FAILED) {
		if (!errno)
			errno = EIO;
		return NULL;
	}
	ctx->qfr_base[qfrt] = p;
	ctx->qfr_size[qfrt] = size;
	return p;
}

WD_EXPORT void wd_drv_unmap_qfr(struct wd_ctx *ctx, void *addr, enum uacce_qfrt qfrt)
{
	if (!ctx || (int)qfrt < 0 || qfrt >= UACCE_QFRT_MAX || !addr ||
	    ctx->qfr_base[qfrt] != addr)
		return;
	ctx->ops->munmap(addr, ctx->qfr_size[qfrt]);
	ctx->qfr_base[qfrt] = NULL;
	ctx->qfr_size[qfrt] = 0;
	if (qfrt == UACCE_QFRT_SS) {
		ctx->ss_dma = 0;
		ctx->ss_used = 0;
	}
}

WD_EXPORT void wd_release_ctx(struct wd_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->started)
		wd_ctx_put(ctx);
	for (int q = 0; q < UACCE_QFRT_MAX; q++)
		if (ctx->qfr_base[q])
			wd_drv_unmap_qfr(ctx, ctx->qfr_base[q], (enum uacce_qfrt)q);
	if (ctx->fd >= 0)
		ctx->ops->close(ctx->fd);
	free(ctx);
}

WD_EXPORT int wd_is_nosva(struct wd_ctx *ctx)
{
	struct wd_accel_info info;
	int ret;

	if (!ctx)
		return -EINVAL;
	ret = wd_accel_read(ctx->dev_name, &info);
	if (ret)
		return ret;
	return info.nosva;
}

WD_EXPORT void *wd_reserve_mem(struct wd_ctx *ctx, size_t size)
{
	size_t need, page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned char *p;

	if (!ctx || !size || size > ((size_t)1 << 40)) {
		errno = EINVAL;
		return NULL;
	}
	need = (size + WD_SS_ALIGN - 1) & ~(size_t)(WD_SS_ALIGN - 1);
	if (!ctx->qfr_base[UACCE_QFRT_SS]) {
		size_t len = WD_MAX(need, (size_t)WD_SS_DEFAULT_SIZE);
		unsigned long dma = 0;
		int ret;

		len = (len + page - 1) & ~(page - 1);
		if (!wd_drv_mmap_qfr(ctx, UACCE_QFRT_SS, len))
			return NULL;
		ret = wd_ctx_ioctl(ctx, UACCE_CMD_GET_SS_DMA, &dma);
		if (ret || !dma) {
			wd_drv_unmap_qfr(ctx, ctx->qfr_base[UACCE_QFRT_SS], UACCE_QFRT_SS);
			errno = ret ? -ret : EIO;
			return NULL;
		}
		ctx->ss_dma = dma;
		ctx->ss_used = 0;
	}
	if (need > ctx->qfr_size[UACCE_QFRT_SS] - ctx->ss_used) {
		errno = ENOMEM;
		return NULL;
	}
	p = (unsigned char *)ctx->qfr_base[UACCE_QFRT_SS] + ctx->ss_used;
	ctx->ss_used += need;
	return p;
}

WD_EXPORT void *wd_get_dma_from_va(struct wd_ctx *ctx, void *va)
{
	uintptr_t base, v = (uintptr_t)va;

	if (!ctx || !ctx->qfr_base[UACCE_QFRT_SS])
		return NULL;
	base = (uintptr_t)ctx->qfr_base[UACCE_QFRT_SS];
	if (v < base || v >= base + ctx->qfr_size[UACCE_QFRT_SS])
		return NULL;
	return (void *)(uintptr_t)(ctx->ss_dma + (v - base));
}
