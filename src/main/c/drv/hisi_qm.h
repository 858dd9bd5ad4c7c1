/*
 * The HiSilicon QM queue as user space sees it through UACCE, and the
 * process-wide pool of opened queues.
 *
 * Public sources for every constant below:
 *   [uapi]  Linux include/uapi/misc/uacce/hisi_qm.h
 *   [qm]    Linux drivers/crypto/hisilicon/qm.c (DUS layout, status page)
 *   [udrv]  Linaro/uadk drv/hisi_qm_udrv.c (doorbell, CQE, phase)
 * The emulated device (emu/) is written against the same constants.
 */
#ifndef WARPDRIVE_HISI_QM_H
#define WARPDRIVE_HISI_QM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include "warpdrive/wd.h"

/* Queue types for SET_QP_CTX qc_type: a ZIP queue either compresses or
 * decompresses for its whole life [udrv: op_type]. */
#define HISI_QM_QC_COMPRESS 0
#define HISI_QM_QC_DECOMPRESS 1

/* [uapi] struct hisi_qp_ctx: in qc_type, out id (the queue number, sqn). */
struct hisi_qp_ctx {
	uint16_t id;
	uint16_t qc_type;
};

/* [uapi] struct hisi_qp_info: out sqe_size and ring depths. */
struct hisi_qp_info {
	uint32_t sqe_size;
	uint16_t sq_depth;
	uint16_t cq_depth;
	uint64_t reserved;
};

/* [uapi] _IOWR('H', 10, struct hisi_qp_ctx), _IOWR('H', 11, struct hisi_qp_info) */
#define UACCE_CMD_QM_SET_QP_CTX 0xC004480Au
#define UACCE_CMD_QM_SET_QP_INFO 0xC010480Bu
_Static_assert(UACCE_CMD_QM_SET_QP_CTX == _IOWR('H', 10, struct hisi_qp_ctx), "SET_QP_CTX");
_Static_assert(UACCE_CMD_QM_SET_QP_INFO == _IOWR('H', 11, struct hisi_qp_info), "SET_QP_INFO");

/* [uapi] sysfs `api` values; the digit after the prefix is the QM version. */
#define HISI_QM_API_PREFIX "hisi_qm_v"

/* A ZIP SQE is 128 bytes [udrv: struct hisi_zip_sqe]; a CQE 16 [udrv: struct cqe]. */
#define HISI_QM_SQE_SIZE 128u
#define HISI_QM_CQE_SIZE 16u
/* Depth when SET_QP_INFO is not supported [udrv: QM_Q_DEPTH]. */
#define HISI_QM_DEPTH_DEFAULT 1024u

/* CQE fields [udrv: struct cqe]: sq_head (index of the completed SQE),
 * sq_num, and w7 whose bit 0 is the phase. */
#define HISI_QM_CQE_SQ_HEAD 8u
#define HISI_QM_CQE_SQ_NUM 10u
#define HISI_QM_CQE_W7 14u
#define HISI_QM_CQE_PHASE 0x1u

/* Doorbell of QM v2 and later: one 64-bit store at MMIO + 0x1000
 * [udrv: QM_DBELL_OFFSET_V2, hacc_db_v2]: sqn bits 9:0, cmd bits 15:12,
 * index bits 47:32, priority bits 63:48. */
#define HISI_QM_DB_OFFSET_V2 0x1000u
#define HISI_QM_DB_SQN_MASK 0x3ffu
#define HISI_QM_DB_CMD_SHIFT 12
#define HISI_QM_DB_CMD_MASK 0xfu
#define HISI_QM_DB_INDEX_SHIFT 32
#define HISI_QM_DB_PRIO_SHIFT 48
#define HISI_QM_DB_CMD_SQ 0u
#define HISI_QM_DB_CMD_CQ 1u

/* The last page of DUS holds status words the kernel sets to 1 when the
 * queue is stopped by a reset or an error: the last u32 "TX stopped",
 * the u32 before it "RX stopped" [qm: qm_set_qp_disable; udrv: ds_tx_base]. */
#define HISI_QM_STATUS_TX_FROM_END 4u
#define HISI_QM_STATUS_RX_FROM_END 8u

/* Queues opened per device and direction by one process, at most. */
#define HISI_QM_POOL_CAP 4
/* How long a request waits for its completion unless configured. */
#define HISI_QM_TIMEOUT_MS 2000L
/* How long a request waits for a pooled queue before giving up (-EBUSY). */
#define HISI_QM_POOL_WAIT_MS 1000L

struct hisi_qm_slot {
	void *priv;      /* the submitter's request */
	uint64_t t_ns;   /* submission time, for timeouts */
	uintptr_t aux;   /* the submitter's extra word */
};

struct hisi_qm_pool;

/* One opened queue.  Used by one thread at a time (the pool hands it to
 * a single borrower); the engine on the other side is the only sharer. */
struct hisi_qm_queue {
	struct wd_ctx *ctx;
	int qc_type;
	int version;        /* QM version from `api` */
	int nosva;
	uint16_t sqn;
	uint16_t depth;
	unsigned char *sq_base;
	unsigned char *cq_base;
	uint64_t *db;
	uint32_t *tx_stop;
	uint32_t *rx_stop;
	uint16_t sq_tail;
	uint16_t cq_head;
	uint16_t phase;     /* expected CQE phase: starts at 1, flips on wrap */
	uint16_t used;      /* submitted and not yet reaped */
	struct hisi_qm_slot *slots;
	/* NOSVA: the reserved region of this queue (device addressable) */
	unsigned char *rsv;
	size_t rsv_size;
	/* the user's bookkeeping, kept with the queue (e.g. whose stream
	 * context currently sits in rsv, which bounce slots are taken) */
	const void *owner;
	uint64_t owner_gen;
	unsigned int bounce_busy;
	/* pool bookkeeping */
	struct hisi_qm_pool *pool;
	int busy;
	unsigned fork_gen;  /* the process generation that opened it */
	int orphaned;
	struct hisi_qm_queue *next_orphan;
};

/* "hisi_qm_v3" -> 3; 0 when `api` is not a QM api. */
int hisi_qm_api_version(const char *api);

/* Opens and starts a queue on node_path; NOSVA devices also get rsv_size
 * bytes of reserved memory (rsv_size 0: none).  0 or -errno. */
int hisi_qm_open(const char *node_path, int qc_type, size_t rsv_size, struct hisi_qm_queue **out);
void hisi_qm_close(struct hisi_qm_queue *q);

/*
 * fork(): the kernel maps no queue region into a child (VM_DONTCOPY), so
 * in a child every queue opened before the fork is an orphan: send and
 * recv say -ENODEV, close only forgets it (a PUT_Q on the inherited fd
 * would stop the parent's queue), and the pool starts empty.
 */

/* Submits one SQE; *slot receives its ring index.  -EBUSY when depth-1
 * requests are outstanding, -ENODEV when the queue is stopped. */
int hisi_qm_send(struct hisi_qm_queue *q, const void *sqe, void *priv, uintptr_t aux,
		 uint16_t *slot);
/* Reaps one completion into sqe (the SQE as the engine left it) and
 * its slot.  0, -EAGAIN (none yet), -ENODEV (queue stopped, nothing
 * reaped), -EIO (a CQE out of order or out of range: the queue is bad). */
int hisi_qm_recv(struct hisi_qm_queue *q, void *sqe, struct hisi_qm_slot *slot);
/* As recv, polling until timeout_ms: -ETIMEDOUT then. */
int hisi_qm_wait(struct hisi_qm_queue *q, void *sqe, struct hisi_qm_slot *slot, long timeout_ms);
/* The oldest outstanding request's slot, or NULL. */
const struct hisi_qm_slot *hisi_qm_oldest(const struct hisi_qm_queue *q);
uint64_t hisi_qm_now_ns(void);

/* The pool.  borrow hands out a free queue of (node_path, qc_type),
 * opening one when fewer than HISI_QM_POOL_CAP are open, else waiting up
 * to wait_ms for one to come back.  -EBUSY when none came, -ENODEV when
 * the device is gone, other -errno from opening. */
int hisi_qm_borrow(const char *node_path, int qc_type, size_t rsv_size, long wait_ms,
		   struct hisi_qm_queue **out);
/* Gives a queue back; a broken one (timed out, stopped) is closed. */
void hisi_qm_giveback(struct hisi_qm_queue *q, int broken);
/* 0 if the device can serve this process: a pooled queue exists or one
 * can be opened now. */
int hisi_qm_probe(const char *node_path, size_t rsv_size);
/* Closes every idle pooled queue (for tests and orderly shutdown). */
void hisi_qm_pool_drain(void);

/* Completion timeout in ms: the "timeout" setting (WD_HW_TIMEOUT) when
 * the library knows it, else HISI_QM_TIMEOUT_MS; set_timeout overrides
 * both (ms <= 0 restores the default). */
long hisi_qm_timeout_ms(void);
void hisi_qm_set_timeout_ms(long ms);

#endif
