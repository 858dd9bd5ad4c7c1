/*
 * The parallel pipeline behind the Java streams' parallel mode: block mode
 * requests submitted asynchronously (wd_alg_compress with a callback) and
 * completed by wd_alg_comp_poll, as the seed's asynchronous mode describes.
 * Each block is compressed with the previous block's last 32 KiB as
 * history and ends with a SYNC_FLUSH, so the blocks concatenate into one
 * raw DEFLATE stream with (nearly) the ratio of a serial one.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "warpdrive/wd_comp.h"
#include "warpdrive/wd_stream.h"
#include "wd_internal.h"

#define WDP_MAGIC 0x57445050u /* "WDPP" */
#define WDP_MAX_SLOTS 256
#define WDP_MIN_BLOCK 4096
#define WDP_MAX_BLOCK (16 << 20)
/* How long wdp_wait sleeps between polls: a block takes milliseconds. */
#define WDP_POLL_NS 50000L

enum slot_state { SLOT_FREE = 0, SLOT_BUSY, SLOT_DONE };

struct wdp_slot {
	unsigned char *buf; /* WDP_DICT of history, then the block */
	unsigned char *out;
	struct wd_comp_arg arg;
	size_t src_len, dst_len;
	int state;
	int len;
};

struct wdp {
	uint32_t magic;
	handler_t h;
	int nslots;
	int block;
	int out_cap;
	struct wdp_slot *slots;
	char msg[160];
};

static struct wdp *get(intptr_t p)
{
	struct wdp *w = (struct wdp *)p;

	return w && w->magic == WDP_MAGIC ? w : NULL;
}

static void on_done(struct wd_comp_arg *arg)
{
	struct wdp_slot *slot = arg->cb_data;

	slot->state = SLOT_DONE;
}

WD_EXPORT intptr_t wdp_open(int level, int slots, int block)
{
	wd_dev_mask_t all;
	struct wdp *w;

	/* two slots at least: a block's history lives in the slot before it */
	if (level < -1 || level > 9 || slots < 2 || slots > WDP_MAX_SLOTS ||
	    block < WDP_MIN_BLOCK || block > WDP_MAX_BLOCK)
		return 0;
	w = calloc(1, sizeof(*w));
	if (!w)
		return 0;
	w->slots = calloc((size_t)slots, sizeof(*w->slots));
	wd_mask_zero(&all);
	w->h = w->slots ? wd_alg_comp_alloc_sess("deflate", all) : 0;
	if (!w->h) {
		free(w->slots);
		free(w);
		return 0;
	}
	wd_alg_comp_set_level(w->h, level);
	w->nslots = slots;
	w->block = block;
	/* deflate's worst case (stored blocks) plus the flush marker, rounded up */
	w->out_cap = block + block / 8 + 1024;
	for (int i = 0; i < slots; i++) {
		w->slots[i].buf = malloc(WDP_DICT + (size_t)block);
		w->slots[i].out = malloc((size_t)w->out_cap);
		if (!w->slots[i].buf || !w->slots[i].out) {
			w->magic = WDP_MAGIC;
			wdp_close((intptr_t)w);
			return 0;
		}
	}
	w->magic = WDP_MAGIC;
	return (intptr_t)w;
}

WD_EXPORT void wdp_close(intptr_t p)
{
	struct wdp *w = get(p);

	if (!w)
		return;
	/* the session waits for requests still in flight before it goes */
	wd_alg_comp_free_sess(w->h);
	for (int i = 0; i < w->nslots; i++) {
		free(w->slots[i].buf);
		free(w->slots[i].out);
	}
	w->magic = 0;
	free(w->slots);
	free(w);
}

static struct wdp_slot *slot_of(struct wdp *w, int slot)
{
	return w && slot >= 0 && slot < w->nslots ? &w->slots[slot] : NULL;
}

WD_EXPORT intptr_t wdp_in(intptr_t p, int slot)
{
	struct wdp_slot *s = slot_of(get(p), slot);

	return s ? (intptr_t)(s->buf + WDP_DICT) : 0;
}

WD_EXPORT intptr_t wdp_out(intptr_t p, int slot)
{
	struct wdp_slot *s = slot_of(get(p), slot);

	return s ? (intptr_t)s->out : 0;
}

WD_EXPORT int wdp_out_cap(intptr_t p)
{
	struct wdp *w = get(p);

	return w ? w->out_cap : 0;
}

WD_EXPORT int wdp_submit(intptr_t p, int slot, int len, int final, int prev)
{
	struct wdp *w = get(p);
	struct wdp_slot *s = slot_of(w, slot), *ps = prev >= 0 ? slot_of(w, prev) : NULL;
	size_t dict = 0;
	int ret;

	if (!s || len < 0 || len > w->block || (prev >= 0 && (!ps || ps == s)))
		return -EINVAL;
	if (s->state == SLOT_BUSY)
		return -EBUSY;
	if (ps) {
		/* Copy the history now: the previous slot may be refilled while
		 * this block is still being compressed. */
		dict = (size_t)WD_MIN(ps->len, WDP_DICT);
		memcpy(s->buf + WDP_DICT - dict, ps->buf + WDP_DICT + ps->len - dict, dict);
	}
	memset(&s->arg, 0, sizeof(s->arg));
	s->len = len;
	s->src_len = (size_t)len;
	s->dst_len = (size_t)w->out_cap;
	s->arg.src = s->buf + WDP_DICT;
	s->arg.src_len = &s->src_len;
	s->arg.dst = s->out;
	s->arg.dst_len = &s->dst_len;
	s->arg.cb = on_done;
	s->arg.cb_data = s;
	s->arg.flush = final ? WD_FINISH : WD_SYNC_FLUSH;
	s->arg.dict = dict ? s->buf + WDP_DICT - dict : NULL;
	s->arg.dict_len = dict;
	s->state = SLOT_BUSY;
	ret = wd_alg_compress(w->h, &s->arg);
	if (ret) {
		s->state = SLOT_FREE;
		wd_strlcpy(w->msg, wd_alg_comp_errmsg(w->h), sizeof(w->msg));
	}
	return ret;
}

WD_EXPORT int wdp_wait(intptr_t p, int slot)
{
	struct wdp *w = get(p);
	struct wdp_slot *s = slot_of(w, slot);
	struct timespec nap = { 0, WDP_POLL_NS };

	if (!s || s->state == SLOT_FREE)
		return -EINVAL;
	while (s->state != SLOT_DONE) {
		int ret = wd_alg_comp_poll(w->h);

		if (s->state == SLOT_DONE)
			break;
		if (ret == 0) {
			/* nothing in flight, yet our slot never completed */
			wd_strlcpy(w->msg, "request lost", sizeof(w->msg));
			s->state = SLOT_FREE;
			return -EIO;
		}
		nanosleep(&nap, NULL);
	}
	s->state = SLOT_FREE;
	if (s->arg.error) {
		wd_strlcpy(w->msg, wd_alg_comp_errmsg(w->h), sizeof(w->msg));
		return s->arg.error;
	}
	if (s->src_len != (size_t)s->len) {
		wd_strlcpy(w->msg, "block not fully compressed", sizeof(w->msg));
		return -EIO;
	}
	return (int)s->dst_len;
}

WD_EXPORT const char *wdp_errmsg(intptr_t p)
{
	struct wdp *w = get(p);

	return w ? w->msg : "invalid pipeline";
}

WD_EXPORT const char *wdp_engine(intptr_t p)
{
	struct wdp *w = get(p);

	return w ? wd_alg_comp_engine(w->h) : "";
}
