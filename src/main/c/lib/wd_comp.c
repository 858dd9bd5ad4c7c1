/*
 * The compression algorithm library: sessions, device choice, the driver
 * list, dispatch of the three modes, async polling and statistics.
 * The stream adapter for hardware drivers is in wd_comp_hw.c.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "warpdrive/wd_accel.h"
#include "warpdrive/wd_alg_comp.h"
#include "wd_comp_int.h"
#include "wd_internal.h"

#define SESS_MAGIC 0x57445a53u /* "WDZS" */
#define MAX_DRIVERS 16
/* Devices considered per session allocation. */
#define MAX_CANDIDATES 64
#define DEFAULT_THRESHOLD 1024
#define DEFAULT_RETAIN (8u << 20)

struct sess_box {
	uint32_t magic;
	struct comp_sess cs;
};

/* ---- the driver list (seed: wd_alg_comp_list) ------------------------- */

static struct wd_alg_comp *drivers[MAX_DRIVERS] = {
	&wd_sw_comp_drv,
	&wd_hisi_zip_drv,
};
static pthread_mutex_t drv_lock = PTHREAD_MUTEX_INITIALIZER;

WD_EXPORT int wd_alg_comp_register(struct wd_alg_comp *drv)
{
	int ret = -ENOSPC;

	if (!drv || !drv->drv_name || !drv->algo_name || !drv->init || !drv->exit ||
	    !drv->deflate || !drv->inflate)
		return -EINVAL;
	pthread_mutex_lock(&drv_lock);
	for (int i = 0; i < MAX_DRIVERS; i++) {
		if (drivers[i] && !strcmp(drivers[i]->drv_name, drv->drv_name)) {
			ret = -EEXIST;
			break;
		}
		if (!drivers[i]) {
			drivers[i] = drv;
			ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&drv_lock);
	return ret;
}

WD_EXPORT struct wd_alg_comp *wd_alg_comp_find(const char *drv_name)
{
	struct wd_alg_comp *found = NULL;

	if (!drv_name)
		return NULL;
	pthread_mutex_lock(&drv_lock);
	for (int i = 0; i < MAX_DRIVERS && drivers[i]; i++) {
		if (!strcmp(drivers[i]->drv_name, drv_name)) {
			found = drivers[i];
			break;
		}
	}
	pthread_mutex_unlock(&drv_lock);
	return found;
}

/* ---- statistics ----------------------------------------------------- */

static struct wd_engine_stats stats[WD_STATS_ENGINES];
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;

int comp_stat_row(const char *engine)
{
	int row = -1;

	pthread_mutex_lock(&stats_lock);
	for (int i = 0; i < WD_STATS_ENGINES; i++) {
		if (!stats[i].engine[0]) {
			wd_strlcpy(stats[i].engine, engine, sizeof(stats[i].engine));
			row = i;
			break;
		}
		if (!strcmp(stats[i].engine, engine)) {
			row = i;
			break;
		}
	}
	pthread_mutex_unlock(&stats_lock);
	return row;
}

void comp_stat_add(int row, unsigned long long in, unsigned long long out)
{
	if (row < 0)
		return;
	__atomic_add_fetch(&stats[row].requests, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&stats[row].bytes_in, in, __ATOMIC_RELAXED);
	__atomic_add_fetch(&stats[row].bytes_out, out, __ATOMIC_RELAXED);
}

void comp_stat_stream(int row)
{
	if (row >= 0)
		__atomic_add_fetch(&stats[row].streams, 1, __ATOMIC_RELAXED);
}

void comp_stat_fallback(int row)
{
	if (row >= 0)
		__atomic_add_fetch(&stats[row].fallbacks, 1, __ATOMIC_RELAXED);
}

WD_EXPORT int wd_comp_get_stats(struct wd_engine_stats *out, int max)
{
	int n = 0;

	if (!out || max <= 0)
		return 0;
	for (int i = 0; i < WD_STATS_ENGINES && n < max; i++) {
		if (!stats[i].engine[0])
			break;
		out[n].streams = __atomic_load_n(&stats[i].streams, __ATOMIC_RELAXED);
		out[n].requests = __atomic_load_n(&stats[i].requests, __ATOMIC_RELAXED);
		out[n].bytes_in = __atomic_load_n(&stats[i].bytes_in, __ATOMIC_RELAXED);
		out[n].bytes_out = __atomic_load_n(&stats[i].bytes_out, __ATOMIC_RELAXED);
		out[n].fallbacks = __atomic_load_n(&stats[i].fallbacks, __ATOMIC_RELAXED);
		memcpy(out[n].engine, stats[i].engine, sizeof(out[n].engine));
		n++;
	}
	return n;
}

WD_EXPORT void wd_comp_reset_stats(void)
{
	pthread_mutex_lock(&stats_lock);
	for (int i = 0; i < WD_STATS_ENGINES; i++) {
		__atomic_store_n(&stats[i].streams, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&stats[i].requests, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&stats[i].bytes_in, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&stats[i].bytes_out, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&stats[i].fallbacks, 0, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&stats_lock);
}

/* ---- check values --------------------------------------------------- */

uint32_t comp_check_init(int alg)
{
	return alg == WD_ALG_GZIP ? 0 : 1;
}

uint32_t comp_check_update(int alg, uint32_t check, const void *buf, size_t len)
{
	if (alg == WD_ALG_ZLIB)
		return wd_adler32(check, buf, len);
	if (alg == WD_ALG_GZIP)
		return wd_crc32(check, buf, len);
	return check;
}

/* ---- sessions ------------------------------------------------------- */

static struct comp_sess *get_sess(handler_t h)
{
	struct sess_box *box = (struct sess_box *)(uintptr_t)h;

	if (!box || box->magic != SESS_MAGIC)
		return NULL;
	return &box->cs;
}

void comp_set_msg(struct comp_sess *cs, const char *msg)
{
	wd_strlcpy(cs->msg, msg ? msg : "", sizeof(cs->msg));
}

static int parse_alg(const char *name)
{
	if (!name)
		return -1;
	if (!strcmp(name, "deflate"))
		return WD_ALG_DEFLATE;
	if (!strcmp(name, "zlib"))
		return WD_ALG_ZLIB;
	if (!strcmp(name, "gzip"))
		return WD_ALG_GZIP;
	return -1;
}

static void sess_fill(struct wd_comp_sess *s, const char *alg_name, int alg)
{
	wd_strlcpy(s->alg_name, alg_name, sizeof(s->alg_name));
	s->alg = alg;
	s->level = -1;
	s->strategy = 0;
	s->window_bits = 15;
}

struct wd_comp_sess *comp_sw(struct comp_sess *cs)
{
	if (!cs->has_dev)
		return &cs->dev;
	if (!cs->sw_ready) {
		cs->sw.level = cs->dev.level;
		cs->sw.strategy = cs->dev.strategy;
		cs->sw.window_bits = cs->dev.window_bits;
		if (cs->sw.drv->init(&cs->sw))
			return NULL;
		cs->sw_ready = 1;
	}
	return &cs->sw;
}

/* Seed: candidates that match alg and mask, most available_instances
 * first; the driver is the one named like the device; init() takes a
 * context.  NOSVA devices need root. */
static void choose_device(struct comp_sess *cs, wd_dev_mask_t mask)
{
	static int nosva_logged;
	struct wd_accel_info *list;
	const char *cfg = wd_cfg_str("devices");
	int n;

	if (*cfg) {
		wd_dev_mask_t allowed;

		if (wd_mask_parse(cfg, &allowed)) {
			wd_log(WD_LOG_WARN, "ignoring devices=\"%s\": not an id list", cfg);
		} else if (wd_mask_is_empty(&mask)) {
			mask = allowed;
		} else {
			wd_mask_and(&mask, &mask, &allowed);
			if (wd_mask_is_empty(&mask))
				return;
		}
	}
	list = calloc(MAX_CANDIDATES, sizeof(*list));
	if (!list)
		return;
	n = wd_accel_list(cs->dev.alg_name, &mask, 0, list, MAX_CANDIDATES);
	for (int i = 0; i < WD_MIN(n, MAX_CANDIDATES); i++) {
		struct wd_alg_comp *drv = wd_alg_comp_find(list[i].driver);

		if (!drv || drv == &wd_sw_comp_drv ||
		    !wd_word_in_list(drv->algo_name, cs->dev.alg_name))
			continue;
		if (list[i].nosva && geteuid() != 0) {
			if (!__atomic_exchange_n(&nosva_logged, 1, __ATOMIC_RELAXED))
				wd_log(WD_LOG_WARN, "skipping NOSVA device %s: it needs root",
				       list[i].name);
			continue;
		}
		cs->dev.drv = drv;
		wd_strlcpy(cs->dev.dev_name, list[i].name, sizeof(cs->dev.dev_name));
		snprintf(cs->dev.node_path, sizeof(cs->dev.node_path), "%s/%s",
			 wd_dev_root(), list[i].name);
		if (drv->init(&cs->dev) == 0) {
			cs->has_dev = 1;
			break;
		}
		wd_log(WD_LOG_INFO, "device %s unavailable, trying the next", list[i].name);
		cs->dev.priv = NULL;
	}
	free(list);
}

WD_EXPORT handler_t wd_alg_comp_alloc_sess(const char *alg_name, wd_dev_mask_t dev_mask)
{
	int alg = parse_alg(alg_name);
	struct sess_box *box;
	struct comp_sess *cs;

	if (alg < 0)
		return 0;
	if (wd_emu_ensure())
		wd_log(WD_LOG_WARN, "emulated devices not started (bad emulate setting)");
	box = calloc(1, sizeof(*box));
	if (!box)
		return 0;
	box->magic = SESS_MAGIC;
	cs = &box->cs;
	sess_fill(&cs->dev, alg_name, alg);
	sess_fill(&cs->sw, alg_name, alg);
	cs->sw.drv = &wd_sw_comp_drv;
	wd_strlcpy(cs->sw.dev_name, "software", sizeof(cs->sw.dev_name));
	cs->fallback_ok = wd_cfg_bool("fallback", 1);
	cs->threshold = (size_t)WD_MAX(0, wd_cfg_long("threshold", DEFAULT_THRESHOLD));
	cs->retain_cap = (size_t)WD_MAX(HW_BATCH, wd_cfg_long("retain", DEFAULT_RETAIN));
	cs->d[0].stat_row = cs->d[1].stat_row = -1;

	choose_device(cs, dev_mask);
	if (!cs->has_dev) {
		cs->dev = cs->sw;
		if (cs->dev.drv->init(&cs->dev)) {
			free(box);
			return 0;
		}
	}
	return (handler_t)(uintptr_t)box;
}

WD_EXPORT void wd_alg_comp_free_sess(handler_t h)
{
	struct comp_sess *cs = get_sess(h);

	if (!cs)
		return;
	hw_dir_free(&cs->d[0]);
	hw_dir_free(&cs->d[1]);
	cs->dev.drv->exit(&cs->dev);
	if (cs->sw_ready)
		cs->sw.drv->exit(&cs->sw);
	((struct sess_box *)(uintptr_t)h)->magic = 0;
	free((void *)(uintptr_t)h);
}

/* ---- settings ------------------------------------------------------- */

static void set_both(struct comp_sess *cs, int level, int strategy, int wb)
{
	cs->dev.level = cs->sw.level = level;
	cs->dev.strategy = cs->sw.strategy = strategy;
	cs->dev.window_bits = cs->sw.window_bits = wb;
}

WD_EXPORT int wd_alg_comp_set_level(handler_t h, int level)
{
	struct comp_sess *cs = get_sess(h);

	if (!cs || level < -1 || level > 9)
		return -EINVAL;
	set_both(cs, level, cs->dev.strategy, cs->dev.window_bits);
	return 0;
}

WD_EXPORT int wd_alg_comp_set_strategy(handler_t h, int strategy)
{
	struct comp_sess *cs = get_sess(h);

	if (!cs || strategy < 0 || strategy > 2)
		return -EINVAL;
	set_both(cs, cs->dev.level, strategy, cs->dev.window_bits);
	return 0;
}

WD_EXPORT int wd_alg_comp_set_window(handler_t h, int wb)
{
	struct comp_sess *cs = get_sess(h);

	if (!cs || wb < 9 || wb > 15)
		return -EINVAL;
	/* zlib turns a raw window of 8 into 9; we accept 9..15 only. */
	set_both(cs, cs->dev.level, cs->dev.strategy, wb);
	return 0;
}

/* ---- stream mode ------------------------------------------------------ */

static int arg_ok(const struct wd_comp_arg *arg)
{
	if (!arg || !arg->src_len || !arg->dst_len)
		return 0;
	if ((*arg->src_len && !arg->src) || (*arg->dst_len && !arg->dst))
		return 0;
	return *arg->src_len <= UINT32_MAX && *arg->dst_len <= UINT32_MAX;
}

/*
 * Decodes and drops output a device already delivered but a takeover
 * replay could not reproduce from the retained input (d->skip_left), from
 * the caller's new input.  *skipped is the input it consumed; skip_left
 * still non-zero on return means it needs more input.
 */
static int sw_skip_replayed(struct comp_sess *cs, struct wd_comp_sess *sw, struct comp_dir *d,
			    const struct wd_comp_arg *arg, size_t *skipped)
{
	unsigned char tmp[4096];

	while (d->skip_left) {
		struct wd_comp_req r = { 0 };
		int ret;

		r.src = (const unsigned char *)arg->src + *skipped;
		r.src_len = *arg->src_len - *skipped;
		r.dst = tmp;
		r.dst_len = (size_t)WD_MIN(d->skip_left, (uint64_t)sizeof(tmp));
		r.dir = WD_DIR_DECOMPRESS;
		r.stream = 1;
		ret = sw->drv->inflate(sw, &r);
		*skipped += r.consumed;
		d->skip_left -= r.produced;
		d->more = r.more;
		if (ret) {
			comp_set_msg(cs, sw->msg);
			return ret;
		}
		if (r.status != WD_STATUS_OK) {
			d->skip_left = 0; /* the stream ended: nothing more to drop */
			break;
		}
		if (!r.consumed && !r.produced)
			break;
	}
	return 0;
}

/* Passes a stream call straight to the software driver. */
int comp_sw_strm(struct comp_sess *cs, int dir, struct wd_comp_arg *arg)
{
	struct wd_comp_sess *sw = comp_sw(cs);
	struct comp_dir *d = &cs->d[dir];
	struct wd_comp_req req = { 0 };
	size_t made, skipped;
	int ret;

	if (!sw) {
		*arg->src_len = 0; /* nothing taken or given */
		*arg->dst_len = 0;
		return -ENOMEM;
	}
	/* Output the adapter produced before software took over goes first. */
	made = hw_drain(d, arg->dst, *arg->dst_len);
	if (d->olen > d->opos) {
		*arg->src_len = 0;
		*arg->dst_len = made;
		return 0;
	}
	skipped = 0;
	if (dir == WD_DIR_DECOMPRESS && d->skip_left) {
		ret = sw_skip_replayed(cs, sw, d, arg, &skipped);
		if (ret || d->skip_left) {
			*arg->src_len = skipped;
			*arg->dst_len = made;
			return ret;
		}
	}
	req.src = (const unsigned char *)arg->src + skipped;
	req.src_len = *arg->src_len - skipped;
	req.dst = (unsigned char *)arg->dst + made;
	req.dst_len = *arg->dst_len - made;
	req.dst_keeps = dir == WD_DIR_DECOMPRESS && arg->dst_keeps;
	req.dst_hist = arg->dst_hist + made; /* what was drained precedes req.dst */
	req.dir = dir;
	req.flush = arg->flush;
	req.stream = 1;
	ret = dir == WD_DIR_COMPRESS ? sw->drv->deflate(sw, &req) : sw->drv->inflate(sw, &req);
	d->more = req.more;
	*arg->src_len = req.consumed + skipped;
	*arg->dst_len = req.produced + made;
	arg->status = req.status;
	if (ret)
		comp_set_msg(cs, sw->msg);
	return ret;
}

static void start_stream(struct comp_sess *cs, int dir)
{
	struct comp_dir *d = &cs->d[dir];

	if (d->engine != ENG_UNDECIDED)
		return;
	if (!cs->has_dev) {
		d->engine = ENG_SOFTWARE;
		d->stat_row = comp_stat_row("software");
		comp_stat_stream(d->stat_row);
		return;
	}
	d->engine = ENG_DEVICE;
	d->stat_row = comp_stat_row(cs->dev.dev_name);
	comp_stat_stream(d->stat_row);
}

/* Whether the stream holds decoded output it gives without more input. */
static int holds_output(const struct comp_dir *d)
{
	if (d->olen > d->opos)
		return 1;
	return d->engine == ENG_DEVICE ? d->held : d->more;
}

/*
 * zlib takes input only as it decodes it, so java.util.zip callers read
 * "all input consumed" (needsInput()) as "all output delivered" once the
 * output buffer is no longer filled.  The device decodes ahead (into the
 * adapter's buffer) and can hold output after taking all input: one byte
 * of it is then reported unconsumed (lent), so that the caller calls
 * again, and the next call skips it.  The caller re-offers unconsumed
 * input, as zlib's callers do.  (The software engine takes input as
 * zlib does: a call that still has replay output to give takes none.)
 */
static int strm_decompress(struct comp_sess *cs, struct wd_comp_arg *arg)
{
	struct comp_dir *d = &cs->d[WD_DIR_DECOMPRESS];
	size_t n = *arg->src_len, skip = WD_MIN(d->lent, n), rest = n - skip, used;
	struct wd_comp_arg a = *arg;
	int ret;

	a.src = (unsigned char *)arg->src + skip;
	a.src_len = &rest;
	d->lent -= skip;
	if (d->end_owed) {
		/* The engine has ended: only the lent byte is still to come. */
		*arg->src_len = skip;
		*arg->dst_len = 0;
		d->end_owed = d->lent != 0;
		arg->status = d->end_owed ? WD_STATUS_OK : WD_STATUS_STREAM_END;
		return 0;
	}
	d->more = 0;
	ret = d->engine == ENG_SOFTWARE ? comp_sw_strm(cs, WD_DIR_DECOMPRESS, &a)
					: hw_strm_decompress(cs, &a);
	arg->status = a.status;
	used = skip + rest;
	if (!ret && a.status == WD_STATUS_STREAM_END && d->lent) {
		/* Ended in a call that did not offer the lent byte again: as
		 * zlib, the end counts once the whole stream is taken. */
		d->end_owed = 1;
		arg->status = WD_STATUS_OK;
	}
	if (!ret && a.status == WD_STATUS_OK && used && used == n && holds_output(d)) {
		used--;
		d->lent++;
	}
	*arg->src_len = used;
	return ret;
}

static int strm_call(handler_t h, struct wd_comp_arg *arg, int dir)
{
	struct comp_sess *cs = get_sess(h);
	int ret;

	if (!cs || !arg_ok(arg))
		return -EINVAL;
	if (dir == WD_DIR_COMPRESS && arg->flush != WD_NO_FLUSH && arg->flush != WD_SYNC_FLUSH &&
	    arg->flush != WD_FULL_FLUSH && arg->flush != WD_FINISH)
		return -EINVAL;
	arg->status = WD_STATUS_OK;
	start_stream(cs, dir);
	if (dir == WD_DIR_DECOMPRESS)
		ret = strm_decompress(cs, arg);
	else if (cs->d[dir].engine == ENG_SOFTWARE)
		ret = comp_sw_strm(cs, dir, arg);
	else
		ret = hw_strm_compress(cs, arg);
	comp_stat_add(cs->d[dir].stat_row, *arg->src_len, *arg->dst_len);
	return ret;
}

WD_EXPORT int wd_alg_strm_compress(handler_t h, struct wd_comp_arg *arg)
{
	return strm_call(h, arg, WD_DIR_COMPRESS);
}

WD_EXPORT int wd_alg_strm_decompress(handler_t h, struct wd_comp_arg *arg)
{
	return strm_call(h, arg, WD_DIR_DECOMPRESS);
}

WD_EXPORT int wd_alg_strm_params(handler_t h, int level, int strategy, struct wd_comp_arg *arg)
{
	struct comp_sess *cs = get_sess(h);
	struct comp_dir *d;
	struct wd_comp_sess *sw;
	struct wd_comp_req req = { 0 };
	int ret;

	if (!cs || !arg_ok(arg) || level < -1 || level > 9 || strategy < 0 || strategy > 2)
		return -EINVAL;
	d = &cs->d[WD_DIR_COMPRESS];
	arg->status = WD_STATUS_OK;
	start_stream(cs, WD_DIR_COMPRESS);
	if (d->engine == ENG_DEVICE) {
		struct wd_comp_sess want = cs->dev;

		want.level = level;
		want.strategy = strategy;
		if (!comp_needs_software(&want)) {
			/* The engine has one level: nothing to flush, nothing to change. */
			set_both(cs, level, strategy, cs->dev.window_bits);
			*arg->src_len = 0;
			*arg->dst_len = 0;
			return 0;
		}
		ret = hw_takeover(cs, WD_DIR_COMPRESS, 0);
		if (ret)
			return ret;
	}
	sw = comp_sw(cs);
	if (!sw)
		return -ENOMEM;
	/* Pending adapter output goes first, as zlib's own pending would. */
	if (d->olen > d->opos) {
		*arg->dst_len = hw_drain(d, arg->dst, *arg->dst_len);
		*arg->src_len = 0;
		return -EAGAIN;
	}
	req.src = arg->src;
	req.src_len = *arg->src_len;
	req.dst = arg->dst;
	req.dst_len = *arg->dst_len;
	req.dir = WD_DIR_COMPRESS;
	req.stream = 1;
	req.flush = arg->flush == WD_MORE_INPUT ? WD_MORE_INPUT : WD_NO_FLUSH;
	ret = sw->drv->params(sw, &req, level, strategy);
	*arg->src_len = req.consumed;
	*arg->dst_len = req.produced;
	if (d->engine == ENG_RESUMED)
		d->check = comp_check_update(cs->dev.alg, d->check, arg->src, req.consumed),
		d->isize += req.consumed;
	if (ret == 0)
		set_both(cs, level, strategy, cs->dev.window_bits);
	else if (ret != -EAGAIN)
		comp_set_msg(cs, sw->msg);
	return ret;
}

static int set_dict(handler_t h, int dir, const void *dict, size_t len)
{
	struct comp_sess *cs = get_sess(h);
	struct wd_comp_sess *sw;
	int ret;

	if (!cs || (len && !dict) || len > UINT32_MAX)
		return -EINVAL;
	if (dir == WD_DIR_COMPRESS && cs->d[dir].olen > cs->d[dir].opos) {
		/* The adapter still holds output and takes none of the
		 * caller's input or flushes until it is drained: refused, as
		 * zlib refuses while it holds input not yet compressed. */
		comp_set_msg(cs, "");
		return -EINVAL;
	}
	start_stream(cs, dir);
	/* zlib refuses a dictionary once a zlib or gzip stream began; the
	 * adapter wrote the header, also for a stream software resumed */
	if (dir == WD_DIR_COMPRESS && cs->dev.alg != WD_ALG_DEFLATE && cs->d[dir].hdr_done &&
	    (cs->d[dir].engine == ENG_DEVICE || cs->d[dir].engine == ENG_RESUMED)) {
		comp_set_msg(cs, "");
		return -EINVAL;
	}
	if (dir == WD_DIR_DECOMPRESS && cs->d[dir].engine == ENG_DEVICE &&
	    cs->d[dir].olen > cs->d[dir].opos) {
		/* The device decoded past what it delivered: the caller's point
		 * in the stream is not where a dictionary would join the
		 * history.  Refused, as while deflate holds output. */
		comp_set_msg(cs, "");
		return -EINVAL;
	}
	if (cs->d[dir].engine == ENG_DEVICE) {
		/* Devices take no dictionaries: software serves this stream. */
		ret = hw_takeover(cs, dir, 0);
		if (ret)
			return ret;
		if (dir == WD_DIR_DECOMPRESS &&
		    (cs->d[dir].olen > cs->d[dir].opos || cs->d[dir].skip_left)) {
			/* Software, replaying, stands elsewhere than the output
			 * delivered (short of it, or with more to deliver): the
			 * same refusal; the stream goes on in software. */
			comp_set_msg(cs, "");
			return -EINVAL;
		}
	}
	sw = comp_sw(cs);
	if (!sw)
		return -ENOMEM;
	ret = sw->drv->set_dict(sw, dir, dict, len);
	if (ret)
		comp_set_msg(cs, sw->msg);
	return ret;
}

WD_EXPORT int wd_alg_comp_set_dict_compress(handler_t h, const void *dict, size_t len)
{
	return set_dict(h, WD_DIR_COMPRESS, dict, len);
}

WD_EXPORT int wd_alg_comp_set_dict_decompress(handler_t h, const void *dict, size_t len)
{
	return set_dict(h, WD_DIR_DECOMPRESS, dict, len);
}

WD_EXPORT int wd_alg_comp_reset(handler_t h)
{
	struct comp_sess *cs = get_sess(h);

	if (!cs)
		return -EINVAL;
	for (int dir = 0; dir < 2; dir++) {
		if (cs->dev.drv->reset)
			cs->dev.drv->reset(&cs->dev, dir);
		if (cs->has_dev && cs->sw_ready)
			cs->sw.drv->reset(&cs->sw, dir);
		hw_dir_reset(cs, dir);
	}
	return 0;
}

WD_EXPORT uint32_t wd_alg_comp_checksum(handler_t h, int decompress)
{
	struct comp_sess *cs = get_sess(h);
	int dir = decompress ? WD_DIR_DECOMPRESS : WD_DIR_COMPRESS;
	struct comp_dir *d;

	if (!cs)
		return 0;
	d = &cs->d[dir];
	if (d->engine == ENG_SOFTWARE || (!cs->has_dev && d->engine == ENG_UNDECIDED)) {
		struct wd_comp_sess *sw = comp_sw(cs);

		return sw ? sw->drv->checksum(sw, dir) : 0;
	}
	if (cs->dev.alg == WD_ALG_DEFLATE)
		return dir == WD_DIR_COMPRESS ? 1 : 0; /* what zlib leaves in strm->adler */
	if (d->engine == ENG_UNDECIDED)
		return comp_check_init(cs->dev.alg);
	return d->check;
}

WD_EXPORT const char *wd_alg_comp_engine(handler_t h)
{
	struct comp_sess *cs = get_sess(h);

	if (!cs)
		return "";
	/* Not per direction here: a session's two streams report together,
	 * the device while either runs on it. */
	for (int dir = 0; dir < 2; dir++)
		if (cs->d[dir].engine == ENG_DEVICE)
			return cs->dev.dev_name;
	for (int dir = 0; dir < 2; dir++)
		if (cs->d[dir].engine == ENG_SOFTWARE || cs->d[dir].engine == ENG_RESUMED)
			return "software";
	return cs->has_dev ? cs->dev.dev_name : "software";
}

WD_EXPORT const char *wd_alg_comp_errmsg(handler_t h)
{
	struct comp_sess *cs = get_sess(h);

	return cs ? cs->msg : "";
}

/* ---- block and async mode --------------------------------------------- */

struct async_box {
	struct wd_comp_req req;
	struct wd_comp_arg *arg;
	struct comp_sess *cs;
	int on_dev;
};

static void req_from_arg(struct wd_comp_req *req, struct wd_comp_arg *arg, int dir)
{
	memset(req, 0, sizeof(*req));
	req->src = arg->src;
	req->src_len = *arg->src_len;
	req->dst = arg->dst;
	req->dst_len = *arg->dst_len;
	req->dir = dir;
	req->flush = arg->flush == WD_FINISH ? WD_FINISH : WD_SYNC_FLUSH;
	req->dict = arg->dict;
	req->dict_len = arg->dict_len;
}

static int is_device_failure(int err)
{
	return err == -EIO || err == -ETIMEDOUT || err == -ENODEV || err == -EBUSY ||
	       err == -ENOTSUP || err == -EAGAIN;
}

static int block_sw(struct comp_sess *cs, struct wd_comp_req *req)
{
	struct wd_comp_sess *sw = comp_sw(cs);
	int ret;

	if (!sw)
		return -ENOMEM;
	req->done = NULL;
	req->consumed = req->produced = 0;
	ret = req->dir == WD_DIR_COMPRESS ? sw->drv->deflate(sw, req) : sw->drv->inflate(sw, req);
	if (ret)
		comp_set_msg(cs, sw->msg);
	return ret;
}

static void finish_arg(struct wd_comp_arg *arg, const struct wd_comp_req *req, int err)
{
	*arg->src_len = req->consumed;
	*arg->dst_len = req->produced;
	arg->status = req->status;
	arg->error = err;
}

static void async_done(struct wd_comp_req *req)
{
	struct async_box *box = req->opaque;
	struct comp_sess *cs = box->cs;
	int err = req->err;

	if (err && box->on_dev && is_device_failure(err) && cs->fallback_ok) {
		if (err != -ENOTSUP) /* a piece the device does not take: not a failure */
			comp_stat_fallback(comp_stat_row(cs->dev.dev_name));
		req->dict = box->arg->dict;
		req->dict_len = box->arg->dict_len;
		err = block_sw(cs, req);
	}
	comp_stat_add(comp_stat_row(box->on_dev && !req->err ? cs->dev.dev_name : "software"),
		      req->consumed, req->produced);
	finish_arg(box->arg, req, err);
	box->arg->cb(box->arg);
	free(box);
}

static int use_device_for_block(struct comp_sess *cs, size_t len)
{
	return cs->has_dev && len >= cs->threshold && !comp_needs_software(&cs->dev);
}

static int block_call(handler_t h, struct wd_comp_arg *arg, int dir)
{
	struct comp_sess *cs = get_sess(h);
	struct wd_comp_req req;
	int on_dev, ret;

	if (!cs || !arg_ok(arg))
		return -EINVAL;
	if (arg->flush != WD_FINISH && arg->flush != WD_SYNC_FLUSH)
		arg->flush = WD_FINISH;
	/* History only improves the ratio of a block: a device, which takes
	 * none, compresses it without; software (also on fallback) uses it. */
	on_dev = use_device_for_block(cs, *arg->src_len);
	if (arg->cb) {
		struct async_box *box = calloc(1, sizeof(*box));
		struct wd_comp_sess *s = on_dev ? &cs->dev : comp_sw(cs);

		if (!box || !s) {
			free(box);
			return -ENOMEM;
		}
		req_from_arg(&box->req, arg, dir);
		if (on_dev)
			box->req.dict = NULL, box->req.dict_len = 0;
		box->req.done = async_done;
		box->req.opaque = box;
		box->arg = arg;
		box->cs = cs;
		box->on_dev = on_dev;
		ret = dir == WD_DIR_COMPRESS ? s->drv->deflate(s, &box->req) :
					       s->drv->inflate(s, &box->req);
		if (ret && on_dev && is_device_failure(ret) && cs->fallback_ok) {
			s = comp_sw(cs);
			box->on_dev = 0;
			ret = s ? (dir == WD_DIR_COMPRESS ? s->drv->deflate(s, &box->req) :
					 s->drv->inflate(s, &box->req)) : -ENOMEM;
		}
		if (ret)
			free(box);
		return ret;
	}
	req_from_arg(&req, arg, dir);
	if (on_dev) {
		req.dict = NULL;
		req.dict_len = 0;
		ret = dir == WD_DIR_COMPRESS ? cs->dev.drv->deflate(&cs->dev, &req) :
					       cs->dev.drv->inflate(&cs->dev, &req);
		if (ret && is_device_failure(ret)) {
			if (ret != -ENOTSUP) /* a piece the device does not take: not a failure */
				comp_stat_fallback(comp_stat_row(cs->dev.dev_name));
			if (!cs->fallback_ok) {
				comp_set_msg(cs, "device failed and fallback is disabled");
				return -EIO;
			}
			on_dev = 0;
			req.dict = arg->dict;
			req.dict_len = arg->dict_len;
			ret = block_sw(cs, &req);
		} else if (ret) {
			comp_set_msg(cs, cs->dev.msg);
		}
	} else {
		ret = block_sw(cs, &req);
	}
	comp_stat_add(comp_stat_row(on_dev ? cs->dev.dev_name : "software"), req.consumed,
		      req.produced);
	finish_arg(arg, &req, ret);
	return ret;
}

WD_EXPORT int wd_alg_compress(handler_t h, struct wd_comp_arg *arg)
{
	return block_call(h, arg, WD_DIR_COMPRESS);
}

WD_EXPORT int wd_alg_decompress(handler_t h, struct wd_comp_arg *arg)
{
	return block_call(h, arg, WD_DIR_DECOMPRESS);
}

WD_EXPORT int wd_alg_comp_poll(handler_t h)
{
	struct comp_sess *cs = get_sess(h);
	int left = 0;

	if (!cs)
		return -EINVAL;
	if (cs->dev.drv->async_poll)
		left += cs->dev.drv->async_poll(&cs->dev);
	if (cs->has_dev && cs->sw_ready)
		left += cs->sw.drv->async_poll(&cs->sw);
	return left > 0 ? -EAGAIN : 0;
}
