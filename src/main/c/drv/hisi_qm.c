/*
 * The HiSilicon QM queue over libwd: bring-up, submission with the
 * doorbell, completion by CQE phase, and the process-wide queue pool.
 *
 * Memory ordering follows the hardware protocol [udrv hisi_qm_send/recv]:
 * the SQE is written, a full barrier orders it before the doorbell
 * store; a CQE is trusted only after its phase bit is read (acquire),
 * and only then is the SQE read back from the ring.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <endian.h>

#include "warpdrive/wd.h"
#include "warpdrive/wd_accel.h"
#include "../lib/wd_internal.h"
#include "hisi_qm.h"

/* Busy polls before the waiter starts yielding, then sleeping. */
#define QM_SPIN_POLLS 64
#define QM_YIELD_POLLS 256
#define QM_SLEEP_MIN_NS 10000L
#define QM_SLEEP_MAX_NS 200000L

static long timeout_override_ms;
/* Bumped in a forked child: queues of older generations are the parent's. */
static unsigned fork_gen;
/* Orphaned queues, kept (reachable, never touched) until the process ends. */
static struct hisi_qm_queue *orphans;
static pthread_mutex_t orphan_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static int qm_orphan(const struct hisi_qm_queue *q)
{
	return q->fork_gen != __atomic_load_n(&fork_gen, __ATOMIC_RELAXED);
}

long hisi_qm_timeout_ms(void)
{
	long ms = __atomic_load_n(&timeout_override_ms, __ATOMIC_RELAXED);

	if (ms > 0)
		return ms;
	ms = wd_cfg_long("timeout", HISI_QM_TIMEOUT_MS);
	return ms > 0 ? ms : HISI_QM_TIMEOUT_MS;
}

void hisi_qm_set_timeout_ms(long ms)
{
	__atomic_store_n(&timeout_override_ms, ms > 0 ? ms : 0, __ATOMIC_RELAXED);
}

uint64_t hisi_qm_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- bring-up ---------------------------------------------------------- */

int hisi_qm_api_version(const char *api)
{
	size_t n = strlen(HISI_QM_API_PREFIX);

	if (strncmp(api, HISI_QM_API_PREFIX, n) || api[n] < '1' || api[n] > '9')
		return 0;
	return api[n] - '0';
}

static int qm_map_regions(struct hisi_qm_queue *q, const struct wd_accel_info *info)
{
	unsigned char *mmio, *dus;

	if (info->region_mmio_size < HISI_QM_DB_OFFSET_V2 + sizeof(uint64_t) ||
	    info->region_dus_size < (size_t)2 * sizeof(uint32_t))
		return -EINVAL;
	mmio = wd_drv_mmap_qfr(q->ctx, UACCE_QFRT_MMIO, info->region_mmio_size);
	if (!mmio)
		return -errno;
	dus = wd_drv_mmap_qfr(q->ctx, UACCE_QFRT_DUS, info->region_dus_size);
	if (!dus)
		return -errno;
	q->db = (uint64_t *)(void *)(mmio + HISI_QM_DB_OFFSET_V2);
	q->sq_base = dus;
	q->tx_stop = (uint32_t *)(void *)(dus + info->region_dus_size - HISI_QM_STATUS_TX_FROM_END);
	q->rx_stop = (uint32_t *)(void *)(dus + info->region_dus_size - HISI_QM_STATUS_RX_FROM_END);
	return 0;
}

/* SET_QP_CTX binds the queue to a direction and tells its number;
 * SET_QP_INFO (newer kernels) tells the ring depth. */
static int qm_set_qp(struct hisi_qm_queue *q, size_t dus_size)
{
	struct hisi_qp_ctx qc = { 0, (uint16_t)q->qc_type };
	struct hisi_qp_info qi = { 0 };
	size_t rings;
	int ret = wd_ctx_ioctl(q->ctx, UACCE_CMD_QM_SET_QP_CTX, &qc);

	if (ret)
		return ret;
	q->sqn = qc.id & HISI_QM_DB_SQN_MASK;
	q->depth = HISI_QM_DEPTH_DEFAULT;
	if (wd_ctx_ioctl(q->ctx, UACCE_CMD_QM_SET_QP_INFO, &qi) == 0) {
		if (qi.sqe_size != HISI_QM_SQE_SIZE || qi.sq_depth < 2 ||
		    qi.sq_depth != qi.cq_depth)
			return -EINVAL;
		q->depth = qi.sq_depth;
	}
	rings = (size_t)q->depth * (HISI_QM_SQE_SIZE + HISI_QM_CQE_SIZE);
	if (rings + HISI_QM_STATUS_RX_FROM_END > dus_size)
		return -EINVAL;
	q->cq_base = q->sq_base + (size_t)q->depth * HISI_QM_SQE_SIZE;
	return 0;
}

static int qm_setup(struct hisi_qm_queue *q, size_t rsv_size)
{
	struct wd_accel_info info;
	int ret = wd_accel_read(q->ctx->dev_name, &info);

	if (ret)
		return ret;
	q->version = hisi_qm_api_version(info.api);
	if (q->version < 2)
		return -ENOTSUP; /* v1 rings its doorbell elsewhere; not supported */
	ret = qm_map_regions(q, &info);
	if (ret)
		return ret;
	ret = qm_set_qp(q, info.region_dus_size);
	if (ret)
		return ret;
	q->nosva = info.nosva;
	if (q->nosva && rsv_size) {
		q->rsv = wd_reserve_mem(q->ctx, rsv_size);
		if (!q->rsv)
			return errno ? -errno : -ENOMEM;
		q->rsv_size = rsv_size;
	}
	q->slots = calloc(q->depth, sizeof(*q->slots));
	if (!q->slots)
		return -ENOMEM;
	q->phase = 1;
	return wd_ctx_start(q->ctx);
}

int hisi_qm_open(const char *node_path, int qc_type, size_t rsv_size, struct hisi_qm_queue **out)
{
	struct hisi_qm_queue *q = calloc(1, sizeof(*q));
	int ret;

	if (!q)
		return -ENOMEM;
	q->qc_type = qc_type;
	q->ctx = wd_request_ctx(node_path);
	if (!q->ctx) {
		ret = errno ? -errno : -ENODEV;
		free(q);
		return ret;
	}
	q->fork_gen = __atomic_load_n(&fork_gen, __ATOMIC_RELAXED);
	ret = qm_setup(q, rsv_size);
	if (ret) {
		hisi_qm_close(q);
		return ret;
	}
	*out = q;
	return 0;
}

static void orphan_keep(struct hisi_qm_queue *q)
{
	pthread_mutex_lock(&orphan_lock);
	if (!q->orphaned) {
		q->orphaned = 1;
		q->next_orphan = orphans;
		orphans = q;
	}
	pthread_mutex_unlock(&orphan_lock);
}

void hisi_qm_close(struct hisi_qm_queue *q)
{
	if (!q)
		return;
	if (qm_orphan(q)) {
		orphan_keep(q);
		return;
	}
	wd_release_ctx(q->ctx); /* PUT_Q, unmaps every region, closes */
	free(q->slots);
	free(q);
}

/* ---- submission and completion ------------------------------------------ */

static void qm_ring(struct hisi_qm_queue *q, unsigned cmd, uint16_t index, uint16_t prio)
{
	uint64_t v = (uint64_t)(q->sqn & HISI_QM_DB_SQN_MASK) |
		     (uint64_t)(cmd & HISI_QM_DB_CMD_MASK) << HISI_QM_DB_CMD_SHIFT |
		     (uint64_t)index << HISI_QM_DB_INDEX_SHIFT |
		     (uint64_t)prio << HISI_QM_DB_PRIO_SHIFT;

	/* One 64-bit store: the register takes it whole. */
	__atomic_store_n(q->db, htole64(v), __ATOMIC_RELEASE);
}

static int qm_stopped(const uint32_t *word)
{
	return le32toh(__atomic_load_n(word, __ATOMIC_ACQUIRE)) == 1;
}

int hisi_qm_send(struct hisi_qm_queue *q, const void *sqe, void *priv, uintptr_t aux,
		 uint16_t *slot)
{
	uint16_t t = q->sq_tail;

	if (qm_orphan(q))
		return -ENODEV;
	if (q->used >= q->depth - 1)
		return -EBUSY;
	if (qm_stopped(q->tx_stop))
		return -ENODEV;
	memcpy(q->sq_base + (size_t)t * HISI_QM_SQE_SIZE, sqe, HISI_QM_SQE_SIZE);
	q->slots[t].priv = priv;
	q->slots[t].aux = aux;
	q->slots[t].t_ns = hisi_qm_now_ns();
	q->sq_tail = (uint16_t)((t + 1) % q->depth);
	q->used++;
	/* The SQE must be in memory before the engine hears of it. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	qm_ring(q, HISI_QM_DB_CMD_SQ, q->sq_tail, 0);
	if (slot)
		*slot = t;
	return 0;
}

const struct hisi_qm_slot *hisi_qm_oldest(const struct hisi_qm_queue *q)
{
	if (!q->used)
		return NULL;
	return &q->slots[(q->sq_tail + q->depth - q->used) % q->depth];
}

int hisi_qm_recv(struct hisi_qm_queue *q, void *sqe, struct hisi_qm_slot *slot)
{
	unsigned char *cqe = q->cq_base + (size_t)q->cq_head * HISI_QM_CQE_SIZE;
	uint16_t w7, head, expect;

	if (qm_orphan(q))
		return -ENODEV;
	w7 = le16toh(__atomic_load_n((uint16_t *)(void *)(cqe + HISI_QM_CQE_W7), __ATOMIC_ACQUIRE));

	if ((w7 & HISI_QM_CQE_PHASE) != q->phase)
		return qm_stopped(q->rx_stop) ? -ENODEV : -EAGAIN;
	memcpy(&head, cqe + HISI_QM_CQE_SQ_HEAD, sizeof(head));
	head = le16toh(head);
	/* Completions keep submission order within a queue. */
	expect = (uint16_t)((q->sq_tail + q->depth - q->used) % q->depth);
	if (!q->used || head != expect)
		return -EIO;
	memcpy(sqe, q->sq_base + (size_t)head * HISI_QM_SQE_SIZE, HISI_QM_SQE_SIZE);
	if (slot)
		*slot = q->slots[head];
	q->cq_head = (uint16_t)((q->cq_head + 1) % q->depth);
	if (!q->cq_head)
		q->phase ^= 1;
	q->used--;
	/* A stopped queue takes no more doorbells; this completion is still
	 * good, and the next call reports the stop. */
	if (qm_stopped(q->rx_stop))
		return 0;
	qm_ring(q, HISI_QM_DB_CMD_CQ, q->cq_head, 0);
	/*
	 * A doorbell register keeps every write; the emulated device only
	 * sees the last value in memory, so a CQ write could hide an SQ
	 * tail it has not read yet.  Writing the unchanged tail again is a
	 * no-op for the hardware and keeps the emulated engine fed.
	 */
	if (q->used)
		qm_ring(q, HISI_QM_DB_CMD_SQ, q->sq_tail, 0);
	return 0;
}

static void qm_backoff(unsigned *polls)
{
	unsigned n = (*polls)++;
	struct timespec ts = { 0, QM_SLEEP_MIN_NS };

	if (n < QM_SPIN_POLLS) {
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		return;
	}
	if (n < QM_SPIN_POLLS + QM_YIELD_POLLS) {
		sched_yield();
		return;
	}
	n -= QM_SPIN_POLLS + QM_YIELD_POLLS;
	ts.tv_nsec = QM_SLEEP_MIN_NS << WD_MIN(n / 16, 5u);
	if (ts.tv_nsec > QM_SLEEP_MAX_NS)
		ts.tv_nsec = QM_SLEEP_MAX_NS;
	nanosleep(&ts, NULL);
}

int hisi_qm_wait(struct hisi_qm_queue *q, void *sqe, struct hisi_qm_slot *slot, long timeout_ms)
{
	uint64_t deadline = hisi_qm_now_ns() + (uint64_t)timeout_ms * 1000000u;
	unsigned polls = 0;

	for (;;) {
		int ret = hisi_qm_recv(q, sqe, slot);

		if (ret != -EAGAIN)
			return ret;
		if (polls >= QM_SPIN_POLLS && hisi_qm_now_ns() > deadline)
			return -ETIMEDOUT;
		qm_backoff(&polls);
	}
}

/* ---- the pool ------------------------------------------------------------ */

struct hisi_qm_pool {
	struct hisi_qm_pool *next;
	char node[WD_PATH_MAX];
	int qc_type;
	int n;
	struct hisi_qm_queue *q[HISI_QM_POOL_CAP];
};

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_cv = PTHREAD_COND_INITIALIZER;
static struct hisi_qm_pool *pools;

static void atfork_prepare(void)
{
	pthread_mutex_lock(&pool_lock);
}

static void atfork_parent(void)
{
	pthread_mutex_unlock(&pool_lock);
}

/* In the child: every pooled queue is the parent's (see hisi_qm.h). */
static void atfork_child(void)
{
	pthread_mutex_init(&pool_lock, NULL);
	pthread_cond_init(&pool_cv, NULL);
	pthread_mutex_init(&orphan_lock, NULL);
	__atomic_add_fetch(&fork_gen, 1, __ATOMIC_RELAXED);
	for (struct hisi_qm_pool *p = pools; p; p = p->next) {
		for (int i = 0; i < p->n; i++) {
			p->q[i]->pool = NULL;
			orphan_keep(p->q[i]);
		}
		p->n = 0;
	}
}

static void atfork_register(void)
{
	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
}

static struct hisi_qm_pool *pool_find(const char *node, int qc_type, int create)
{
	struct hisi_qm_pool *p;

	for (p = pools; p; p = p->next)
		if (p->qc_type == qc_type && !strcmp(p->node, node))
			return p;
	if (!create)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	wd_strlcpy(p->node, node, sizeof(p->node));
	p->qc_type = qc_type;
	p->next = pools;
	pools = p;
	return p;
}

static struct hisi_qm_queue *pool_take_free(struct hisi_qm_pool *p)
{
	for (int i = 0; i < p->n; i++) {
		if (!p->q[i]->busy) {
			p->q[i]->busy = 1;
			return p->q[i];
		}
	}
	return NULL;
}

/* Opens one more queue into the pool (pool_lock held).  -EBUSY when the
 * device has no instance left for us. */
static int pool_grow(struct hisi_qm_pool *p, size_t rsv_size, struct hisi_qm_queue **out)
{
	struct hisi_qm_queue *q;
	int ret;

	if (p->n >= HISI_QM_POOL_CAP)
		return -EBUSY;
	ret = hisi_qm_open(p->node, p->qc_type, rsv_size, &q);
	if (ret)
		return ret;
	q->pool = p;
	q->busy = 1;
	p->q[p->n++] = q;
	*out = q;
	return 0;
}

/*
 * A direction with no queue at all, on a device with no instance left,
 * takes an idle queue from the other direction's pool (closing it frees
 * its instance): otherwise a process whose compressions came first could
 * never decompress on the device.  pool_lock held.  1 if one was freed.
 */
static int pool_steal(struct hisi_qm_pool *p, int *sibling_busy)
{
	struct hisi_qm_pool *o = pool_find(p->node, !p->qc_type, 0);

	*sibling_busy = 0;
	if (!o)
		return 0;
	for (int i = 0; i < o->n; i++) {
		struct hisi_qm_queue *q = o->q[i];

		if (q->busy) {
			*sibling_busy = 1;
			continue;
		}
		o->q[i] = o->q[--o->n];
		hisi_qm_close(q);
		return 1;
	}
	return 0;
}

static void deadline_after(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

int hisi_qm_borrow(const char *node_path, int qc_type, size_t rsv_size, long wait_ms,
		   struct hisi_qm_queue **out)
{
	struct timespec until;
	struct hisi_qm_pool *p;
	int ret = 0;

	pthread_once(&atfork_once, atfork_register);
	deadline_after(&until, wait_ms > 0 ? wait_ms : 0);
	pthread_mutex_lock(&pool_lock);
	p = pool_find(node_path, qc_type, 1);
	if (!p) {
		pthread_mutex_unlock(&pool_lock);
		return -ENOMEM;
	}
	for (;;) {
		int sibling_busy = 0;

		*out = pool_take_free(p);
		if (*out)
			break;
		ret = pool_grow(p, rsv_size, out);
		if (ret == -EBUSY && p->n == 0 && pool_steal(p, &sibling_busy))
			ret = pool_grow(p, rsv_size, out);
		if (ret == 0)
			break;
		/* Out of instances: wait while a queue may come back to us
		 * (ours, or the other direction's for stealing). */
		if (ret != -EBUSY || (p->n == 0 && !sibling_busy) || wait_ms <= 0)
			break;
		if (pthread_cond_timedwait(&pool_cv, &pool_lock, &until)) {
			ret = -EBUSY;
			*out = pool_take_free(p);
			if (*out)
				ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&pool_lock);
	return *out ? 0 : ret;
}

void hisi_qm_giveback(struct hisi_qm_queue *q, int broken)
{
	struct hisi_qm_pool *p = q->pool;

	pthread_mutex_lock(&pool_lock);
	if (broken && p) {
		for (int i = 0; i < p->n; i++) {
			if (p->q[i] == q) {
				p->q[i] = p->q[--p->n];
				break;
			}
		}
		q->pool = NULL;
	}
	q->busy = 0;
	pthread_cond_broadcast(&pool_cv);
	pthread_mutex_unlock(&pool_lock);
	if (broken)
		hisi_qm_close(q);
}

int hisi_qm_probe(const char *node_path, size_t rsv_size)
{
	struct hisi_qm_pool *p;
	struct hisi_qm_queue *q;
	int ret = 0;

	pthread_once(&atfork_once, atfork_register);
	pthread_mutex_lock(&pool_lock);
	for (p = pools; p; p = p->next)
		if (p->n && !strcmp(p->node, node_path))
			break;
	if (!p) {
		p = pool_find(node_path, HISI_QM_QC_COMPRESS, 1);
		ret = p ? pool_grow(p, rsv_size, &q) : -ENOMEM;
		if (!ret)
			q->busy = 0;
	}
	pthread_mutex_unlock(&pool_lock);
	return ret;
}

void hisi_qm_pool_drain(void)
{
	struct hisi_qm_queue *idle[64];
	int n = 0;

	pthread_mutex_lock(&pool_lock);
	for (struct hisi_qm_pool *p = pools; p; p = p->next) {
		for (int i = 0; i < p->n && n < (int)WD_ARRAY_SIZE(idle);) {
			if (p->q[i]->busy) {
				i++;
				continue;
			}
			idle[n] = p->q[i];
			idle[n++]->pool = NULL;
			p->q[i] = p->q[--p->n];
		}
	}
	pthread_mutex_unlock(&pool_lock);
	for (int i = 0; i < n; i++)
		hisi_qm_close(idle[i]);
}
