/*
 * Async block requests of the hisi_zip driver: a session holds one queue
 * per direction while it has requests in flight (several per queue),
 * async_poll reaps completions in order and runs the callbacks, and a
 * queue that times out or stops fails everything still on it.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "warpdrive/wd_alg_comp.h"
#include "../lib/wd_internal.h"
#include "hisi_qm.h"
#include "hisi_zip.h"
#include "hisi_zip_drv.h"

static int take_bounce(struct hisi_qm_queue *q)
{
	for (int i = 0; i < HZ_NOSVA_SLOTS; i++) {
		if (!(q->bounce_busy & (1u << i))) {
			q->bounce_busy |= 1u << i;
			return i;
		}
	}
	return -1;
}

static int async_send(struct wd_comp_sess *sess, struct hisi_qm_queue *q, struct hz_areq *a)
{
	struct hz_sess *hs = sess->priv;
	struct wd_comp_req *req = a->req;
	const void *src = req->src;
	void *dst = req->dst;
	struct hz_sqe s;
	int ret;

	a->bounce = -1;
	if (q->nosva) {
		a->bounce = take_bounce(q);
		if (a->bounce < 0)
			return -EBUSY;
		src = hz_bounce_src(q, a->bounce);
		dst = hz_bounce_dst(q, a->bounce);
		memcpy((void *)src, req->src, a->job.in);
	}
	a->job.tag = ++hs->tag;
	hz_fill_sqe(hs, &s, &a->job, hz_dev_addr(q, src), hz_dev_addr(q, dst), 0);
	ret = hisi_qm_send(q, &s, a, 0, NULL);
	if (ret && a->bounce >= 0)
		q->bounce_busy &= ~(1u << a->bounce);
	return ret;
}

int hz_do_async(struct wd_comp_sess *sess, struct wd_comp_req *req)
{
	struct hz_sess *hs = sess->priv;
	struct hz_dir *d = &hs->d[req->dir];
	struct hz_areq *a;
	int ret;

	if (!d->aq) {
		/* Async never waits for a queue: the library has software. */
		ret = hisi_qm_borrow(hs->node, req->dir, HZ_NOSVA_RSV, 0, &d->aq);
		if (ret) {
			sess->msg = hz_queue_msg(ret);
			return ret;
		}
	}
	a = calloc(1, sizeof(*a));
	ret = a ? hz_block_job(sess, d->aq, req, &a->job) : -ENOMEM;
	if (!ret) {
		a->req = req;
		ret = async_send(sess, d->aq, a);
	}
	if (ret) {
		free(a);
		if (!d->inflight) {
			hisi_qm_giveback(d->aq, ret == -ENODEV);
			d->aq = NULL;
		}
		return ret;
	}
	d->inflight++;
	return 0;
}

static void async_complete(struct wd_comp_sess *sess, struct hisi_qm_queue *q,
			   struct hz_areq *a, const struct hz_sqe *s)
{
	struct wd_comp_req *req = a->req;
	struct hz_result r;
	int ret = hz_parse_sqe(sess->priv, s, &a->job, &r, &sess->msg);

	if (!ret && a->bounce >= 0 && r.produced)
		memcpy(req->dst, hz_bounce_dst(q, a->bounce), r.produced);
	if (!ret)
		ret = hz_block_result(sess, req, &a->job, &r);
	req->err = ret;
}

/* Fails every request still on q (the queue is about to be closed). */
static void async_fail_all(struct hisi_qm_queue *q, struct hz_dir *d, int err,
			   struct hz_areq **tail)
{
	while (q->used) {
		struct hz_areq *a = hisi_qm_oldest(q)->priv;

		q->used--;
		a->req->err = err;
		*tail = a;
		tail = &a->next;
		d->inflight--;
	}
	*tail = NULL;
}

/* Reaps one direction; completed requests are linked on *list. */
static void async_reap(struct wd_comp_sess *sess, struct hz_dir *d, struct hz_areq **list)
{
	struct hisi_qm_queue *q = d->aq;
	struct hz_areq **tail = list;
	int err = 0;

	while (q->used) {
		struct hisi_qm_slot slot;
		struct hz_sqe s;
		int ret = hisi_qm_recv(q, &s, &slot);
		struct hz_areq *a;

		if (ret == -EAGAIN) {
			const struct hisi_qm_slot *old = hisi_qm_oldest(q);
			uint64_t age = hisi_qm_now_ns() - old->t_ns;

			if (age / 1000000u >= (uint64_t)hisi_qm_timeout_ms())
				err = -ETIMEDOUT;
			break;
		}
		if (ret) {
			err = ret;
			break;
		}
		a = slot.priv;
		async_complete(sess, q, a, &s);
		if (a->bounce >= 0)
			q->bounce_busy &= ~(1u << a->bounce);
		*tail = a;
		tail = &a->next;
		d->inflight--;
	}
	*tail = NULL;
	if (err) {
		sess->msg = hz_queue_msg(err);
		async_fail_all(q, d, err, tail);
	}
	if (err || !d->inflight) {
		q->bounce_busy = 0;
		hisi_qm_giveback(q, err != 0);
		d->aq = NULL;
	}
}

static void run_callbacks(struct hz_areq *list)
{
	while (list) {
		struct hz_areq *a = list;

		list = a->next;
		a->req->done(a->req);
		free(a);
	}
}

int hz_async_poll(struct wd_comp_sess *sess)
{
	struct hz_sess *hs = sess->priv;
	struct hz_areq *list[2] = { NULL, NULL };

	for (int dir = 0; dir < 2; dir++)
		if (hs->d[dir].aq)
			async_reap(sess, &hs->d[dir], &list[dir]);
	/* Callbacks last: they may submit again on this session. */
	run_callbacks(list[0]);
	run_callbacks(list[1]);
	return hs->d[0].inflight + hs->d[1].inflight;
}

/* Waits for the session's async requests to complete (or time out, as
 * the reaper decides) and fails what is left past a grace period, so no
 * engine writes into memory the caller is about to free. */
void hz_async_drain(struct wd_comp_sess *sess)
{
	struct hz_sess *hs = sess->priv;
	uint64_t until;

	until = hisi_qm_now_ns() + (uint64_t)(hisi_qm_timeout_ms() + HZ_EXIT_GRACE_MS) * 1000000u;
	while (hz_async_poll(sess) > 0 && hisi_qm_now_ns() < until) {
		struct timespec ts = { 0, 50000 };

		nanosleep(&ts, NULL);
	}
	for (int dir = 0; dir < 2; dir++) {
		struct hz_dir *d = &hs->d[dir];

		if (d->aq) {
			/* Still running past the deadline: the queue goes with them. */
			struct hz_areq *list;

			async_fail_all(d->aq, d, -ETIMEDOUT, &list);
			hisi_qm_giveback(d->aq, 1);
			d->aq = NULL;
			run_callbacks(list);
		}
	}
}
