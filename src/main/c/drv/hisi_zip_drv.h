/*
 * What the hisi_zip driver's files share (hisi_zip.c: hooks, stream and
 * block modes; hisi_zip_async.c: async mode).  Not a public interface.
 */
#ifndef WARPDRIVE_HISI_ZIP_DRV_H
#define WARPDRIVE_HISI_ZIP_DRV_H

#include <stddef.h>
#include <stdint.h>

#include "warpdrive/wd_alg_comp.h"
#include "hisi_qm.h"
#include "hisi_zip.h"

/* NOSVA reserved region of a queue: the context, then bounce slots large
 * enough for the library's 64 KiB batches with 1.125x output room. */
#define HZ_NOSVA_SLOTS 4
#define HZ_NOSVA_SRC (128u << 10)
#define HZ_NOSVA_DST (160u << 10)
#define HZ_NOSVA_SLOT (HZ_NOSVA_SRC + HZ_NOSVA_DST)
#define HZ_NOSVA_RSV ((size_t)HZ_CTX_SIZE + HZ_NOSVA_SLOTS * (size_t)HZ_NOSVA_SLOT)
/* exit() waits this much beyond the timeout for async requests to land. */
#define HZ_EXIT_GRACE_MS 100

struct hz_dir {
	unsigned char *ctx; /* HZ_CTX_SIZE: ctx words at 0/4/8, the engine's area at +64 */
	uint64_t gen;       /* changes whenever ctx changes outside a queue */
	int fresh;          /* the next request starts a stream */
	int done;           /* compression finished / decompression saw the end */
	uint32_t isize;
	uint32_t checksum;
	struct hisi_qm_queue *aq; /* held while async requests are in flight */
	int inflight;
};

struct hz_sess {
	struct hz_dir d[2];
	char node[WD_PATH_MAX];
	uint32_t sqe_type;
	int tag_dw;
	uint32_t tag;
};

/* One SQE's worth of work. */
struct hz_job {
	int dir;
	uint32_t in, out;
	int finish, stateful;
	uint32_t tag;
	struct hz_dir *d; /* stateful only */
};

struct hz_result {
	uint32_t consumed, produced, status;
	int end; /* decompression reached the final block's end */
};

/* An async request in flight. */
struct hz_areq {
	struct wd_comp_req *req;
	struct hz_areq *next;
	struct hz_job job;
	int bounce;
};

/* hisi_zip.c */
unsigned char *hz_bounce_src(struct hisi_qm_queue *q, int slot);
unsigned char *hz_bounce_dst(struct hisi_qm_queue *q, int slot);
uint64_t hz_dev_addr(struct hisi_qm_queue *q, const void *va);
void hz_fill_sqe(const struct hz_sess *hs, struct hz_sqe *s, const struct hz_job *j,
		 uint64_t src, uint64_t dst, uint64_t ctx);
int hz_parse_sqe(const struct hz_sess *hs, const struct hz_sqe *s, const struct hz_job *j,
		 struct hz_result *r, const char **msg);
const char *hz_queue_msg(int err);
int hz_block_job(struct wd_comp_sess *sess, const struct hisi_qm_queue *q,
		 const struct wd_comp_req *req, struct hz_job *j);
int hz_block_result(struct wd_comp_sess *sess, struct wd_comp_req *req,
		    const struct hz_job *j, const struct hz_result *r);

/* hisi_zip_async.c */
int hz_do_async(struct wd_comp_sess *sess, struct wd_comp_req *req);
int hz_async_poll(struct wd_comp_sess *sess);
void hz_async_drain(struct wd_comp_sess *sess);

#endif
