/*
 * The emulated char devices: what libwd's open, ioctl, mmap, munmap and
 * close on <tmp>/<n>/dev/hisi_zip-<id> do (routed here by
 * wd_register_sys_ops).  One open is one queue, as with UACCE; regions
 * are anonymous shared memory; NOSVA regions get made-up device
 * addresses.  Every operation runs under emu.lock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "warpdrive/wd.h"
#include "../drv/hisi_qm.h"
#include "../lib/wd_internal.h"
#include "emu_internal.h"

#define EMU_SS_MAX ((size_t)256 << 20)
/* NOSVA "DMA" addresses: far from process addresses, 4 GiB per queue. */
#define EMU_DMA_BASE 0x1000000000ull
#define EMU_DMA_STRIDE 0x100000000ull

/* ---- queues --------------------------------------------------------------------------- */

static struct emu_dev *dev_by_node(const char *path)
{
	for (struct emu_inst *in = emu.insts; in; in = in->next)
		for (int i = 0; i < in->spec.count; i++)
			if (!strcmp(in->devs[i].node, path))
				return &in->devs[i];
	return NULL;
}

static struct emu_queue *queue_by_fd(int fd)
{
	for (struct emu_queue *q = emu.queues; q; q = q->next)
		if (!q->closed && q->fd == fd)
			return q;
	return NULL;
}

static int qid_taken(const struct emu_dev *d, unsigned qid)
{
	for (struct emu_queue *q = emu.queues; q; q = q->next)
		if (q->dev == d && !q->closed && q->qid == qid)
			return 1;
	return 0;
}

static void queue_unlink(struct emu_queue *q)
{
	for (struct emu_queue **pp = &emu.queues; *pp; pp = &(*pp)->next) {
		if (*pp == q) {
			*pp = q->next;
			return;
		}
	}
}

/* The engine lets go of a queue: after this it never touches it. */
static void queue_stop(struct emu_queue *q)
{
	struct emu_dev *d = q->dev;

	if (!q->started)
		return;
	emu_dev_lock(d);
	for (struct emu_queue **pp = &d->run; *pp; pp = &(*pp)->next_run) {
		if (*pp == q) {
			*pp = q->next_run;
			break;
		}
	}
	emu_dev_unlock(d);
	q->started = 0;
}

static void queue_maybe_free(struct emu_queue *q)
{
	if (q->closed && !q->mmio && !q->dus && !q->ss) {
		queue_unlink(q);
		free(q);
	}
}

static int emu_open(const char *path, int flags)
{
	struct emu_queue *q = NULL;
	struct emu_dev *d;
	int err = 0;
	unsigned qid;

	(void)flags;
	pthread_mutex_lock(&emu.lock);
	d = dev_by_node(path);
	if (!d)
		err = ENOENT;
	else if (emu.down || __atomic_load_n(&d->removed, __ATOMIC_ACQUIRE))
		err = ENODEV;
	else if (d->used >= d->inst->spec.queues)
		err = EBUSY;
	else if (!(q = calloc(1, sizeof(*q))))
		err = ENOMEM;
	else if ((q->fd = eventfd(0, EFD_CLOEXEC)) < 0)
		err = errno;
	if (err) {
		free(q);
		pthread_mutex_unlock(&emu.lock);
		errno = err;
		return -1;
	}
	for (qid = d->next_qid; qid_taken(d, qid % EMU_MAX_QUEUES); qid++)
		;
	q->qid = (uint16_t)(qid % EMU_MAX_QUEUES);
	d->next_qid = (uint16_t)((q->qid + 1) % EMU_MAX_QUEUES);
	q->dev = d;
	q->qc_type = -1;
	q->depth = (uint16_t)d->inst->spec.depth;
	q->phase = 1;
	q->next = emu.queues;
	emu.queues = q;
	d->used++;
	emu_write_attr(d->sysdir, "available_instances", "%d\n", emu_available(d));
	pthread_mutex_unlock(&emu.lock);
	return q->fd;
}

static int emu_close(int fd)
{
	struct emu_queue *q;
	struct emu_dev *d;

	pthread_mutex_lock(&emu.lock);
	q = queue_by_fd(fd);
	if (!q) {
		pthread_mutex_unlock(&emu.lock);
		errno = EBADF;
		return -1;
	}
	d = q->dev;
	queue_stop(q);
	q->closed = 1;
	close(q->fd);
	q->fd = -1;
	d->used--;
	if (!emu.down)
		emu_write_attr(d->sysdir, "available_instances", "%d\n", emu_available(d));
	queue_maybe_free(q);
	pthread_mutex_unlock(&emu.lock);
	return 0;
}

/* ---- ioctl ------------------------------------------------------------------------------ */

static int queue_start(struct emu_queue *q)
{
	struct emu_dev *d = q->dev;

	if (q->started || q->put || q->qc_type < 0)
		return EINVAL;
	if (!d->thread_on) {
		if (emu.down || pthread_create(&d->thread, NULL, emu_engine_main, d))
			return EAGAIN;
		d->thread_on = 1;
	}
	emu_dev_lock(d);
	q->next_run = d->run;
	d->run = q;
	if (q->dus && __atomic_load_n(&d->removed, __ATOMIC_ACQUIRE))
		emu_queue_stop_words(q);
	emu_dev_unlock(d);
	q->started = 1;
	return 0;
}

static int do_ioctl(struct emu_queue *q, unsigned long cmd, void *arg)
{
	switch (cmd) {
	case UACCE_CMD_QM_SET_QP_CTX: {
		struct hisi_qp_ctx *c = arg;

		if (!c)
			return EFAULT;
		if (q->started || q->put || c->qc_type > HISI_QM_QC_DECOMPRESS)
			return EINVAL;
		q->qc_type = c->qc_type;
		c->id = q->qid;
		return 0;
	}
	case UACCE_CMD_QM_SET_QP_INFO: {
		struct hisi_qp_info *i = arg;

		if (!i)
			return EFAULT;
		memset(i, 0, sizeof(*i));
		i->sqe_size = HISI_QM_SQE_SIZE;
		i->sq_depth = i->cq_depth = q->depth;
		return 0;
	}
	case UACCE_CMD_START_Q:
		return queue_start(q);
	case UACCE_CMD_PUT_Q:
		if (!q->started)
			return EINVAL;
		queue_stop(q);
		q->put = 1;
		return 0;
	case UACCE_CMD_GET_SS_DMA:
		if (!arg)
			return EFAULT;
		if (!q->ss)
			return EINVAL;
		*(unsigned long *)arg = (unsigned long)q->ss_dma;
		return 0;
	default:
		return ENOTTY;
	}
}

static int emu_ioctl(int fd, unsigned long cmd, void *arg)
{
	struct emu_queue *q;
	int err;

	pthread_mutex_lock(&emu.lock);
	q = queue_by_fd(fd);
	err = q ? do_ioctl(q, cmd, arg) : EBADF;
	pthread_mutex_unlock(&emu.lock);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

/* ---- mmap ------------------------------------------------------------------------------- */

/* Maps region qfrt of q (emu.lock held); errno-style error. */
static int map_region(struct emu_queue *q, int qfrt, size_t len, void **out)
{
	const struct emu_spec *sp = &q->dev->inst->spec;
	unsigned char **slot;
	size_t *slot_len;
	void *p;

	switch (qfrt) {
	case UACCE_QFRT_MMIO:
		slot = &q->mmio, slot_len = &q->mmio_len;
		if (len != emu_mmio_size())
			return EINVAL;
		break;
	case UACCE_QFRT_DUS:
		slot = &q->dus, slot_len = &q->dus_len;
		if (len != emu_dus_size(sp))
			return EINVAL;
		break;
	case UACCE_QFRT_SS:
		slot = &q->ss, slot_len = &q->ss_len;
		if (!sp->nosva)
			return EINVAL; /* SVA devices have no static share region */
		if (!len || len > EMU_SS_MAX)
			return ENOMEM;
		break;
	default:
		return EINVAL;
	}
	if (*slot)
		return EEXIST; /* each region is mapped once per queue */
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return ENOMEM;
	/* A child must not share the rings (uacce_fops_mmap: VM_DONTCOPY). */
	madvise(p, len, MADV_DONTFORK);
	emu_dev_lock(q->dev);
	*slot = p;
	*slot_len = len;
	if (qfrt == UACCE_QFRT_SS)
		q->ss_dma = EMU_DMA_BASE + EMU_DMA_STRIDE * (emu.dma_serial++ % 4096);
	if (qfrt == UACCE_QFRT_DUS && __atomic_load_n(&q->dev->removed, __ATOMIC_ACQUIRE))
		emu_queue_stop_words(q);
	emu_dev_unlock(q->dev);
	*out = p;
	return 0;
}

static void *emu_mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	struct emu_queue *q;
	void *p = NULL;
	int err;

	(void)addr;
	(void)prot;
	pthread_mutex_lock(&emu.lock);
	q = queue_by_fd(fd);
	if (!q)
		err = EBADF;
	else if (off < 0 || (size_t)off % pg || !(flags & MAP_SHARED))
		err = EINVAL;
	else
		err = map_region(q, (int)((size_t)off / pg), len, &p);
	pthread_mutex_unlock(&emu.lock);
	if (err) {
		errno = err;
		return MAP_FAILED;
	}
	return p;
}

static int emu_munmap(void *addr, size_t len)
{
	(void)len;
	pthread_mutex_lock(&emu.lock);
	for (struct emu_queue *q = emu.queues; q; q = q->next) {
		unsigned char **slot = q->mmio == addr ? &q->mmio : q->dus == addr ? &q->dus :
				       q->ss == addr ? &q->ss : NULL;
		size_t *slot_len = slot == &q->mmio ? &q->mmio_len :
				   slot == &q->dus ? &q->dus_len : &q->ss_len;
		size_t n;

		if (!slot || !addr)
			continue;
		/* Detached under the device lock: the engine lets go first. */
		emu_dev_lock(q->dev);
		*slot = NULL;
		n = *slot_len;
		*slot_len = 0;
		emu_dev_unlock(q->dev);
		munmap(addr, n);
		queue_maybe_free(q);
		pthread_mutex_unlock(&emu.lock);
		return 0;
	}
	pthread_mutex_unlock(&emu.lock);
	errno = EINVAL;
	return -1;
}

const struct wd_sys_ops emu_ops = {
	emu_open, emu_close, emu_ioctl, emu_mmap, emu_munmap,
};

/* fork(): the child has none of the parent's mappings (see emu_uacce.c). */
void emu_cdev_forget_mappings(void)
{
	for (struct emu_queue *q = emu.queues; q; q = q->next) {
		q->mmio = q->dus = q->ss = NULL;
		q->mmio_len = q->dus_len = q->ss_len = 0;
		q->started = 0;
		q->put = 1;
	}
}
