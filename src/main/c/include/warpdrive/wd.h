/*
 * libwd: the helper layer between vendor drivers and UACCE (seed 002,
 * "Libwd Helper Functions").  Only vendor drivers call it.
 *
 * Error convention: functions returning int give 0 (or a value) on success
 * and a negative errno on failure; functions returning a pointer give NULL
 * and leave the positive errno in errno.  Nothing here aborts.
 */
#ifndef WARPDRIVE_WD_H
#define WARPDRIVE_WD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WD_NAME_MAX 64
#define WD_PATH_MAX 512

/* Queue file region types: the mmap page offset selects the region
 * (kernel include/uapi/misc/uacce/uacce.h; SS is the out-of-tree NOSVA
 * static share region). */
enum uacce_qfrt {
	UACCE_QFRT_MMIO = 0,
	UACCE_QFRT_DUS = 1,
	UACCE_QFRT_SS = 2,
	UACCE_QFRT_MAX = 3,
};

/* ioctls of the UACCE char device (uapi uacce.h). */
#define UACCE_CMD_START_Q 0x5700u  /* _IO('W', 0) */
#define UACCE_CMD_PUT_Q 0x5701u    /* _IO('W', 1) */
#define UACCE_CMD_GET_SS_DMA 0x80085703u /* _IOR('W', 3, unsigned long), out-of-tree NOSVA */

/* sysfs `flags` bits (mainline: bit 0 SVA). */
#define UACCE_DEV_SVA 0x1u

struct wd_sys_ops;

/*
 * One opened UACCE queue.  The seed's three fields come first; the rest is
 * this implementation's bookkeeping (mapped regions, the device's name and
 * the ops table that reaches either the kernel or the emulated device).
 */
struct wd_ctx {
	int fd;
	char node_path[WD_PATH_MAX];
	void *priv; /* the vendor driver's queue state */

	/* extensions */
	char dev_name[WD_NAME_MAX]; /* e.g. "hisi_zip-3" */
	char drv_name[WD_NAME_MAX]; /* e.g. "hisi_zip" */
	int dev_id;
	int started;
	void *qfr_base[UACCE_QFRT_MAX];
	size_t qfr_size[UACCE_QFRT_MAX];
	/* NOSVA reserved memory: one SS region, carved by wd_reserve_mem() */
	uint64_t ss_dma;
	size_t ss_used;
	const struct wd_sys_ops *ops;
};

/* Opens the char device (one open = one hardware queue). */
struct wd_ctx *wd_request_ctx(const char *node_path);
/* Puts the queue if started, unmaps every region, closes the fd, frees. */
void wd_release_ctx(struct wd_ctx *ctx);

/* UACCE_CMD_START_Q / UACCE_CMD_PUT_Q. */
int wd_ctx_start(struct wd_ctx *ctx);
int wd_ctx_put(struct wd_ctx *ctx);
/* Vendor ioctls (e.g. the QM's SET_QP_CTX); returns 0 or -errno. */
int wd_ctx_ioctl(struct wd_ctx *ctx, unsigned long cmd, void *arg);

void *wd_drv_mmap_qfr(struct wd_ctx *ctx, enum uacce_qfrt qfrt, size_t size);
void wd_drv_unmap_qfr(struct wd_ctx *ctx, void *addr, enum uacce_qfrt qfrt);

/* 1 when the device works without SVA (sysfs flags lack UACCE_DEV_SVA),
 * 0 when it has SVA, negative errno when the flags cannot be read. */
int wd_is_nosva(struct wd_ctx *ctx);
/* NOSVA: maps the queue's static share region on first use and hands out
 * `size` bytes of it (64-byte aligned).  NULL when it is exhausted. */
void *wd_reserve_mem(struct wd_ctx *ctx, size_t size);
/* NOSVA: the device address of a VA inside the reserved region; NULL for
 * any address outside it. */
void *wd_get_dma_from_va(struct wd_ctx *ctx, void *va);

/*
 * The one indirection that lets the emulated device stand in for the
 * kernel: every syscall libwd makes on a device node goes through these.
 */
struct wd_sys_ops {
	int (*open)(const char *path, int flags);
	int (*close)(int fd);
	int (*ioctl)(int fd, unsigned long cmd, void *arg);
	void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd, long off);
	int (*munmap)(void *addr, size_t len);
};

/* Routes device nodes under `dev_root` to `ops` (NULL ops: remove). */
int wd_register_sys_ops(const char *dev_root, const struct wd_sys_ops *ops);

/* Where device nodes live: WD_DEV_ROOT / warpdrive.dev, default "/dev". */
const char *wd_dev_root(void);

#ifdef __cplusplus
}
#endif
#endif
