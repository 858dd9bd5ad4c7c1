/*
 * libaccel: which accelerators exist and which to use (seed 002, "Libaccel").
 * Devices are read from the UACCE sysfs class directory, by default
 * /sys/class/uacce, overridable with WD_SYSFS_ROOT (or the Java property
 * warpdrive.sysfs).  Malformed entries are skipped, never trusted.
 */
#ifndef WARPDRIVE_WD_ACCEL_H
#define WARPDRIVE_WD_ACCEL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MAX_ACCELS 512
#define MAX_WORDS_FOR_ACCELS (MAX_ACCELS / 32)

/* Bit N stands for the device with UACCE id N; the lowest bit is device 0. */
struct wd_dev_mask {
	unsigned int mask[MAX_WORDS_FOR_ACCELS];
};
typedef struct wd_dev_mask wd_dev_mask_t;

void wd_mask_zero(wd_dev_mask_t *m);
void wd_mask_fill(wd_dev_mask_t *m);
/* set/clear/test ignore ids outside [0, MAX_ACCELS). test returns 0 or 1. */
void wd_mask_set(wd_dev_mask_t *m, int id);
void wd_mask_clear(wd_dev_mask_t *m, int id);
int wd_mask_test(const wd_dev_mask_t *m, int id);
void wd_mask_and(wd_dev_mask_t *dst, const wd_dev_mask_t *a, const wd_dev_mask_t *b);
void wd_mask_or(wd_dev_mask_t *dst, const wd_dev_mask_t *a, const wd_dev_mask_t *b);
int wd_mask_is_empty(const wd_dev_mask_t *m);
int wd_mask_count(const wd_dev_mask_t *m);
/* Parses a list like "0,2-3,17" into a mask; -EINVAL on bad syntax or ids
 * out of range.  An empty string gives an empty mask. */
int wd_mask_parse(const char *list, wd_dev_mask_t *m);

/* Devices whose `algorithms` list alg_name.  0 if at least one matched,
 * -ENODEV if none, other -errno if the class directory is unreadable. */
int wd_get_accel_mask(const char *alg_name, wd_dev_mask_t *dev_mask);
/* Devices on the same NUMA node as device `id`.  -ENODEV if no such device. */
int wd_get_numa_accel_mask(int id, wd_dev_mask_t *dev_mask);

/* One device as read from sysfs (extension: the seed leaves listing to
 * the algorithm library; Java's WarpDrive.accelerators() needs it too). */
struct wd_accel_info {
	char name[64];   /* "hisi_zip-3" */
	char driver[64]; /* "hisi_zip" */
	int id;
	int node_id;     /* node_id, else device/numa_node; -1 reads as 0 */
	int numa_distance;
	int available_instances;
	unsigned int flags;
	int nosva;       /* !(flags & UACCE_DEV_SVA) */
	int isolated;
	char api[64];
	char algorithms[256]; /* space separated */
	unsigned long region_mmio_size;
	unsigned long region_dus_size;
};

/*
 * Lists usable devices, most available_instances first (ties: lower id).
 * alg_name NULL: any algorithm.  mask NULL or empty: every device.
 * Isolated devices and devices without a free instance are left out
 * unless include_busy is set.  Returns the number found (at most max
 * written to out) or a negative errno.
 */
int wd_accel_list(const char *alg_name, const wd_dev_mask_t *mask,
		  int include_busy, struct wd_accel_info *out, int max);

/* Reads one device directory by name; 0 or -errno (-EINVAL if malformed). */
int wd_accel_read(const char *name, struct wd_accel_info *out);

/* The sysfs class directory in use. */
const char *wd_sysfs_root(void);

#ifdef __cplusplus
}
#endif
#endif
