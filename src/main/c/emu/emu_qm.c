/*
 * The emulated queue manager: one engine thread per device.
 *
 * Real hardware hears a doorbell write; here the engine cannot trap the
 * MMIO store, so it polls each started queue's doorbell word (backing off
 * to short sleeps when idle), runs SQEs in ring order, writes results into
 * the SQE in place and posts a CQE with the current phase, exactly as the
 * driver expects of the hardware (drv/hisi_qm.h).
 *
 * Ordering: the driver orders its SQE before the doorbell store (release);
 * the engine reads the doorbell with acquire before the SQE, and publishes
 * a completion by storing the CQE's phase word last, with release.
 */
#include <endian.h>
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "../drv/hisi_qm.h"
#include "../lib/wd_internal.h"
#include "emu_internal.h"

/* Idle backoff: yield for a moment after the last request (the driver is
 * likely to send the next one soon), then sleep a sixteenth of the idle
 * time so far, between 20 us and 4 ms: quick to answer a busy driver,
 * about 250 wake-ups a second when nobody uses the device. */
#define EMU_YIELD_NS 200000u
#define EMU_SLEEP_MIN_NS 20000u
#define EMU_SLEEP_MAX_NS 4000000u

/* ---- device memory -------------------------------------------------------- */

static int nosva_ptr(const struct emu_queue *q, uint64_t addr, size_t len, unsigned char **p)
{
	if (!q->ss || addr < q->ss_dma || addr - q->ss_dma > q->ss_len ||
	    len > q->ss_len - (addr - q->ss_dma))
		return -EFAULT;
	*p = q->ss + (addr - q->ss_dma);
	return 0;
}

/* SVA: the engine shares the process's page tables; process_vm_readv and
 * _writev on ourselves honour them (unmapped or read-only pages fail with
 * EFAULT), as an IOMMU page fault would fail the request. */
static int sva_copy(uint64_t addr, void *buf, size_t len, int write)
{
	unsigned char *local = buf;

	while (len) {
		struct iovec l = { local, len };
		struct iovec r = { (void *)(uintptr_t)addr, len };
		ssize_t n = write ? process_vm_writev(getpid(), &l, 1, &r, 1, 0)
				  : process_vm_readv(getpid(), &l, 1, &r, 1, 0);

		if (n <= 0)
			return -EFAULT;
		local += n;
		addr += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static int sva(const struct emu_queue *q)
{
	return !q->dev->inst->spec.nosva;
}

int emu_dma_read(const struct emu_queue *q, uint64_t addr, void *buf, size_t len)
{
	unsigned char *p;

	if (!len)
		return 0;
	if (sva(q))
		return addr ? sva_copy(addr, buf, len, 0) : -EFAULT;
	if (nosva_ptr(q, addr, len, &p))
		return -EFAULT;
	memcpy(buf, p, len);
	return 0;
}

int emu_dma_write(const struct emu_queue *q, uint64_t addr, const void *buf, size_t len)
{
	unsigned char *p;

	if (!len)
		return 0;
	if (sva(q))
		return addr ? sva_copy(addr, (void *)buf, len, 1) : -EFAULT;
	if (nosva_ptr(q, addr, len, &p))
		return -EFAULT;
	memcpy(p, buf, len);
	return 0;
}

/* ---- faults ------------------------------------------------------------------ */

/* xorshift64*: deterministic per device for a given WD_EMU_SEED. */
static double rng_next(struct emu_dev *d)
{
	uint64_t x = d->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	d->rng = x;
	return (double)((x * 0x2545F4914F6CDD1Dull) >> 11) * (1.0 / 9007199254740992.0);
}

/* The device goes away: stop words on every started queue now, sysfs
 * and idle queues later from the engine loop (it may not take emu_lock
 * here). */
static void remove_device(struct emu_dev *d)
{
	__atomic_store_n(&d->removed, 1, __ATOMIC_RELEASE);
	for (struct emu_queue *q = d->run; q; q = q->next_run)
		if (q->dus)
			emu_queue_stop_words(q);
}

/* ---- one queue ------------------------------------------------------------------ */

/* Reads the doorbell: an SQ doorbell for this queue moves the tail. */
static void read_doorbell(struct emu_queue *q)
{
	uint64_t db = le64toh(__atomic_load_n((uint64_t *)(void *)(q->mmio + HISI_QM_DB_OFFSET_V2),
					      __ATOMIC_ACQUIRE));
	unsigned cmd = (unsigned)(db >> HISI_QM_DB_CMD_SHIFT) & HISI_QM_DB_CMD_MASK;
	unsigned sqn = (unsigned)db & HISI_QM_DB_SQN_MASK;
	uint16_t index = (uint16_t)(db >> HISI_QM_DB_INDEX_SHIFT);

	/* A tail outside the ring is ignored, as a register write would be. */
	if (cmd == HISI_QM_DB_CMD_SQ && sqn == q->qid && index < q->depth)
		q->tail = index;
}

static void post_cqe(struct emu_queue *q, uint16_t sq_head)
{
	unsigned char *cqe = q->dus + (size_t)q->depth * HISI_QM_SQE_SIZE +
			     (size_t)q->cq_tail * HISI_QM_CQE_SIZE;
	uint16_t head = htole16(sq_head), num = htole16(q->qid);
	uint16_t w7 = le16toh(*(uint16_t *)(void *)(cqe + HISI_QM_CQE_W7));

	memcpy(cqe + HISI_QM_CQE_SQ_HEAD, &head, sizeof(head));
	memcpy(cqe + HISI_QM_CQE_SQ_NUM, &num, sizeof(num));
	w7 = (uint16_t)((w7 & ~HISI_QM_CQE_PHASE) | q->phase);
	__atomic_store_n((uint16_t *)(void *)(cqe + HISI_QM_CQE_W7), htole16(w7), __ATOMIC_RELEASE);
	q->cq_tail = (uint16_t)((q->cq_tail + 1) % q->depth);
	if (!q->cq_tail)
		q->phase ^= 1;
}

/* Runs the next SQE of q if one is pending.  1 if it did some work. */
static int service_queue(struct emu_dev *d, struct emu_queue *q)
{
	const struct emu_spec *sp = &d->inst->spec;
	unsigned char *slot;
	struct hz_sqe s;
	double roll;

	if (!q->mmio || !q->dus || q->hung || __atomic_load_n(&d->removed, __ATOMIC_ACQUIRE))
		return 0;
	read_doorbell(q);
	if (q->head == q->tail)
		return 0;
	if (sp->remove_after >= 0 && d->requests >= (uint64_t)sp->remove_after) {
		remove_device(d);
		return 1;
	}
	d->requests++;
	slot = q->dus + (size_t)q->head * HISI_QM_SQE_SIZE;
	memcpy(&s, slot, sizeof(s));
	roll = rng_next(d);
	if (roll < sp->errors) {
		hz_set(&s, HZ_DW_CONSUMED, 0);
		hz_set(&s, HZ_DW_PRODUCED, 0);
		hz_set(&s, HZ_DW_STATUS, EMU_STATUS_FAULT);
	} else if (roll < sp->errors + sp->timeouts) {
		q->hung = 1; /* this queue never answers again, like a wedged engine */
		return 1;
	} else {
		emu_zip_run(d, q, &s);
	}
	memcpy(slot, &s, sizeof(s));
	post_cqe(q, q->head);
	q->head = (uint16_t)((q->head + 1) % q->depth);
	return 1;
}

/* ---- the engine thread -------------------------------------------------------- */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void backoff(uint64_t idle_ns)
{
	uint64_t ns = idle_ns / 16;
	struct timespec ts;

	if (idle_ns < EMU_YIELD_NS) {
		sched_yield();
		return;
	}
	ns = WD_MAX(ns, (uint64_t)EMU_SLEEP_MIN_NS);
	ns = WD_MIN(ns, (uint64_t)EMU_SLEEP_MAX_NS);
	ts.tv_sec = 0;
	ts.tv_nsec = (long)ns;
	nanosleep(&ts, NULL);
}

void *emu_engine_main(void *arg)
{
	struct emu_dev *d = arg;
	uint64_t last_work = now_ns();

	pthread_mutex_lock(&d->lock);
	while (!d->stop) {
		int work = 0;

		for (struct emu_queue *q = d->run; q; q = q->next_run)
			work += service_queue(d, q);
		if (__atomic_load_n(&d->removed, __ATOMIC_ACQUIRE) && !d->removal_published) {
			d->removal_published = 1;
			pthread_mutex_unlock(&d->lock);
			emu_publish_removal(d);
			pthread_mutex_lock(&d->lock);
		}
		pthread_mutex_unlock(&d->lock);
		if (work)
			last_work = now_ns();
		if (!work)
			backoff(now_ns() - last_work);
		else if (__atomic_load_n(&d->waiters, __ATOMIC_RELAXED))
			sched_yield(); /* let a queue being set up or torn down in */
		pthread_mutex_lock(&d->lock);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}
