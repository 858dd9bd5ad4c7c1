/*
 * The emulated UACCE device, shared between its three files:
 *   emu_uacce.c     the `emulate` setting, the sysfs tree, bring-up, exit
 *                   and fork
 *   emu_cdev.c      the char-device operations libwd calls (open, ioctl,
 *                   mmap, munmap, close): one open is one queue
 *   emu_qm.c        the queue manager: one engine thread per device that
 *                   watches doorbells, runs SQEs in order, posts CQEs, and
 *                   injects the configured faults
 *   emu_hisi_zip.c  the ZIP engine model: checks an SQE as strictly as the
 *                   hardware would and does the work with zlib
 *
 * Locking: emu.lock guards instances, the queue list and every
 * char-device operation; a device's lock guards what its engine thread
 * reads (the started queues and their mappings).  Order: emu.lock, then a
 * device lock.  The engine thread never takes emu.lock while it holds its
 * device lock.
 */
#ifndef WARPDRIVE_EMU_INTERNAL_H
#define WARPDRIVE_EMU_INTERNAL_H

#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "../drv/hisi_zip.h"

/* What `emulate` asks for: <driver>:<count>[:nosva][:v2][:errors=<f>]
 * [:timeouts=<f>][:remove_after=<n>][:queues=<n>][:depth=<n>]. */
struct emu_spec {
	int count;
	int nosva;
	int v2;
	double errors;      /* fraction of requests completing with an error status */
	double timeouts;    /* fraction of requests that never complete (queue hangs) */
	long remove_after;  /* requests per device before it disappears; -1 never */
	int queues;         /* instances (queues) per device */
	int depth;          /* ring depth reported by SET_QP_INFO */
};

struct emu_dev;
struct emu_zip;

struct emu_queue {
	struct emu_dev *dev;
	struct emu_queue *next;     /* every live queue (emu_lock) */
	struct emu_queue *next_run; /* the device's started queues (device lock) */
	int fd;                     /* a real eventfd, so fds are countable */
	uint16_t qid;               /* sqn */
	int qc_type;                /* -1 until SET_QP_CTX */
	int started, put, closed;
	/* mappings (written under both locks, read by the engine) */
	unsigned char *mmio;
	size_t mmio_len;
	unsigned char *dus;
	size_t dus_len;
	unsigned char *ss;
	size_t ss_len;
	uint64_t ss_dma;
	/* engine state (device lock) */
	uint16_t depth;
	uint16_t head;     /* next SQE to run */
	uint16_t tail;     /* SQ tail as last rung */
	uint16_t cq_tail;
	uint16_t phase;
	int hung;
};

struct emu_dev {
	struct emu_inst *inst;
	int id;
	char name[64];
	char sysdir[PATH_MAX];
	char node[PATH_MAX];
	int used;                 /* open queues (emu_lock) */
	uint16_t next_qid;
	int removed;              /* atomic: the device is gone */
	int removal_published;    /* sysfs and queues told (engine thread) */
	pthread_mutex_t lock;
	int waiters;              /* atomic: others want the lock */
	struct emu_queue *run;
	pthread_t thread;
	int thread_on;
	int stop;
	uint64_t requests;
	uint64_t rng;
	struct emu_zip *zip;
};

/* The emulator's temp root path, at most (longer TMPDIR: no emulation). */
#define EMU_ROOT_MAX 256

struct emu_inst {
	struct emu_inst *next;
	int seq;
	struct emu_spec spec;
	char root[EMU_ROOT_MAX + 16];
	struct emu_dev *devs;
};

/* sqn is 10 bits wide in the doorbell (drv/hisi_qm.h) */
#define EMU_MAX_QUEUES 1024

/* The emulator's process-wide state (defined in emu_uacce.c). */
struct emu_state {
	pthread_mutex_t lock;
	struct emu_inst *insts;   /* every spec brought up, newest first */
	struct emu_queue *queues; /* every queue not yet freed */
	int down;                 /* torn down at exit: no new queues */
	uint64_t dma_serial;
};
extern struct emu_state emu;

/* Status values the emulated engine reports besides the public ones
 * (project: the driver treats every unknown status as an engine error). */
#define EMU_STATUS_BAD_REQUEST 0x02u /* malformed SQE or an address it cannot reach */
#define EMU_STATUS_FAULT 0x20u       /* injected by errors=<f> */
#define EMU_STATUS_CTX_LOST 0x21u    /* stream context unknown (evicted or forged) */

/* emu_uacce.c */
size_t emu_mmio_size(void);
size_t emu_dus_size(const struct emu_spec *sp);
int emu_available(const struct emu_dev *d);
/* Writes an attribute file whole, as the kernel prints it. */
int emu_write_attr(const char *dir, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void emu_dev_lock(struct emu_dev *d);
void emu_dev_unlock(struct emu_dev *d);
/* Tells sysfs and every queue of d that the device is gone. */
void emu_publish_removal(struct emu_dev *d);
/* Sets a queue's TX/RX stopped words (its DUS must be mapped). */
void emu_queue_stop_words(struct emu_queue *q);

/* emu_cdev.c */
struct wd_sys_ops;
extern const struct wd_sys_ops emu_ops;
void emu_cdev_forget_mappings(void);

/* emu_qm.c */
void *emu_engine_main(void *arg);
/* Device memory access for the engine: SVA addresses go through the
 * process's page tables (a fault is an error, never a crash), NOSVA
 * addresses must fall inside the queue's reserved region.  0 or -EFAULT. */
int emu_dma_read(const struct emu_queue *q, uint64_t addr, void *buf, size_t len);
int emu_dma_write(const struct emu_queue *q, uint64_t addr, const void *buf, size_t len);

/* emu_hisi_zip.c */
struct emu_zip *emu_zip_new(void);
/* Runs one request in place: checks it, does the work, writes the
 * results (consumed, produced, status, context words) into *s. */
void emu_zip_run(struct emu_dev *d, struct emu_queue *q, struct hz_sqe *s);

#endif
