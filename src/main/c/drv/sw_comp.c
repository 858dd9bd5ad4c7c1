/*
 * The software driver: the same struct wd_alg_comp interface as a device
 * driver, served by the compression engines linked into the library.
 *
 * Stream mode keeps zlib's semantics exactly (it is zlib, called the way
 * java.util.zip calls it), so a session on this driver behaves like the
 * JDK's Deflater/Inflater byte for byte.  Block mode and async mode run
 * whole pieces on thread-local engine state; async pieces run on the
 * library's worker threads and are completed by async_poll.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "warpdrive/wd_alg_comp.h"
#include "../lib/wd_internal.h"
#include "../lib/wd_workq.h"

/* java.util.zip's deflateInit2 memLevel (DEF_MEM_LEVEL in zutil.h). */
#define SW_MEM_LEVEL 8

struct sw_stream {
	z_stream zs;
	int inited;
	int resumed; /* raw stream resumed in mid-flight: framing is the library's */
};

struct sw_priv {
	struct sw_stream d[2];
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct wd_comp_req *done_head, *done_tail;
	int in_flight; /* submitted and not yet handed back by async_poll */
};

static int wbits_for(const struct wd_comp_sess *sess, int raw_only)
{
	int wb = sess->window_bits;

	if (raw_only || sess->alg == WD_ALG_DEFLATE)
		return -wb;
	return sess->alg == WD_ALG_GZIP ? wb + 16 : wb;
}

static int zerr(struct wd_comp_sess *sess, z_stream *zs, int zret)
{
	switch (zret) {
	case Z_DATA_ERROR:
		sess->msg = zs->msg ? zs->msg : "invalid data";
		return -EBADMSG;
	case Z_MEM_ERROR:
		sess->msg = "out of memory";
		return -ENOMEM;
	default:
		sess->msg = zs->msg ? zs->msg : "stream error";
		return -EINVAL;
	}
}

static int stream_init(struct wd_comp_sess *sess, int dir, int raw)
{
	struct sw_priv *p = sess->priv;
	struct sw_stream *s = &p->d[dir];
	int ret;

	if (s->inited)
		return 0;
	memset(&s->zs, 0, sizeof(s->zs));
	if (dir == WD_DIR_COMPRESS)
		ret = deflateInit2(&s->zs, sess->level, Z_DEFLATED, wbits_for(sess, raw),
				   SW_MEM_LEVEL, sess->strategy);
	else
		ret = inflateInit2(&s->zs, raw || sess->alg == WD_ALG_DEFLATE ? -15 :
				   sess->alg == WD_ALG_GZIP ? 31 : 15);
	if (ret != Z_OK)
		return zerr(sess, &s->zs, ret);
	s->inited = 1;
	s->resumed = raw && sess->alg != WD_ALG_DEFLATE;
	return 0;
}

static void stream_end(struct sw_stream *s, int dir)
{
	if (!s->inited)
		return;
	if (dir == WD_DIR_COMPRESS)
		deflateEnd(&s->zs);
	else
		inflateEnd(&s->zs);
	s->inited = 0;
	s->resumed = 0;
}

static void set_bufs(z_stream *zs, struct wd_comp_req *req)
{
	zs->next_in = (Bytef *)req->src;
	zs->avail_in = (uInt)req->src_len;
	zs->next_out = req->dst;
	zs->avail_out = (uInt)req->dst_len;
}

static void take_counts(z_stream *zs, struct wd_comp_req *req)
{
	req->consumed = req->src_len - zs->avail_in;
	req->produced = req->dst_len - zs->avail_out;
}

/* Lengths above uInt are split by the caller; refuse them here. */
static int lens_ok(const struct wd_comp_req *req)
{
	return req->src_len <= UINT32_MAX && req->dst_len <= UINT32_MAX &&
	       (req->src || !req->src_len) && (req->dst || !req->dst_len);
}

static int strm_deflate(struct wd_comp_sess *sess, struct wd_comp_req *req)
{
	struct sw_priv *p = sess->priv;
	z_stream *zs = &p->d[WD_DIR_COMPRESS].zs;
	int ret = stream_init(sess, WD_DIR_COMPRESS, 0);

	if (ret)
		return ret;
	set_bufs(zs, req);
	ret = deflate(zs, req->flush);
	take_counts(zs, req);
	req->status = ret == Z_STREAM_END ? WD_STATUS_STREAM_END : WD_STATUS_OK;
	/* Z_BUF_ERROR only means no progress was possible: not an error. */
	if (ret == Z_OK || ret == Z_STREAM_END || ret == Z_BUF_ERROR)
		return 0;
	return zerr(sess, zs, ret);
}

static int strm_inflate(struct wd_comp_sess *sess, struct wd_comp_req *req)
{
	struct sw_priv *p = sess->priv;
	z_stream *zs = &p->d[WD_DIR_DECOMPRESS].zs;
	int ret = stream_init(sess, WD_DIR_DECOMPRESS, 0);

	if (ret)
		return ret;
	set_bufs(zs, req);
	/* java.util.zip inflates with Z_PARTIAL_FLUSH; keep it identical. */
	ret = inflate(zs, Z_PARTIAL_FLUSH);
	take_counts(zs, req);
	req->status = WD_STATUS_OK;
	switch (ret) {
	case Z_STREAM_END:
		req->status = WD_STATUS_STREAM_END;
		return 0;
	case Z_NEED_DICT:
		req->status = WD_STATUS_NEED_DICT;
		return 0;
	case Z_OK:
	case Z_BUF_ERROR:
		return 0;
	default:
		return zerr(sess, zs, ret);
	}
}

/* ---- block mode: thread-local engines --------------------------------- */

struct tls_engines {
	z_stream def;
	int def_wbits, def_ok;
	z_stream inf;
	int inf_wbits, inf_ok;
};

static pthread_key_t tls_key;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;

static void tls_free(void *v)
{
	struct tls_engines *t = v;

	if (t->def_ok)
		deflateEnd(&t->def);
	if (t->inf_ok)
		inflateEnd(&t->inf);
	free(t);
}

static void tls_make_key(void)
{
	pthread_key_create(&tls_key, tls_free);
}

static struct tls_engines *tls_get(void)
{
	struct tls_engines *t;

	pthread_once(&tls_once, tls_make_key);
	t = pthread_getspecific(tls_key);
	if (!t) {
		t = calloc(1, sizeof(*t));
		if (t && pthread_setspecific(tls_key, t)) {
			free(t);
			t = NULL;
		}
	}
	return t;
}

static int block_deflate(struct wd_comp_sess *sess, struct wd_comp_req *req)
{
	struct tls_engines *t = tls_get();
	int wb = wbits_for(sess, 0);
	int ret;

	if (!t)
		return -ENOMEM;
	if (t->def_ok && t->def_wbits != wb) {
		deflateEnd(&t->def);
		t->def_ok = 0;
	}
	if (!t->def_ok) {
		memset(&t->def, 0, sizeof(t->def));
		ret = deflateInit2(&t->def, sess->level, Z_DEFLATED, wb, SW_MEM_LEVEL,
				   sess->strategy);
		if (ret != Z_OK)
			return zerr(sess, &t->def, ret);
		t->def_ok = 1;
		t->def_wbits = wb;
	} else {
		deflateReset(&t->def);
		/* A fresh stream: deflateParams only switches, it emits nothing. */
		deflateParams(&t->def, sess->level, sess->strategy);
	}
	if (req->dict && req->dict_len) {
		size_t n = WD_MIN(req->dict_len, WD_HIST_SIZE);

		ret = deflateSetDictionary(&t->def, req->dict + req->dict_len - n, (uInt)n);
		if (ret != Z_OK)
			return zerr(sess, &t->def, ret);
	}
	set_bufs(&t->def, req);
	ret = deflate(&t->def, req->flush == WD_FINISH ? Z_FINISH : Z_SYNC_FLUSH);
	take_counts(&t->def, req);
	if (ret == Z_STREAM_ERROR)
		return zerr(sess, &t->def, ret);
	if (t->def.avail_in || (req->flush == WD_FINISH && ret != Z_STREAM_END) ||
	    (req->flush != WD_FINISH && !t->def.avail_out)) {
		sess->msg = "destination too small for the block";
		return -ENOSPC;
	}
	req->status = ret == Z_STREAM_END ? WD_STATUS_STREAM_END : WD_STATUS_OK;
	return 0;
}

static int block_inflate(struct wd_comp_sess *sess, struct wd_comp_req *req)
{
	struct tls_engines *t = tls_get();
	int wb = sess->alg == WD_ALG_DEFLATE ? -15 : sess->alg == WD_ALG_GZIP ? 31 : 15;
	int ret;

	if (!t)
		return -ENOMEM;
	if (t->inf_ok && t->inf_wbits != wb) {
		inflateEnd(&t->inf);
		t->inf_ok = 0;
	}
	if (!t->inf_ok) {
		memset(&t->inf, 0, sizeof(t->inf));
		ret = inflateInit2(&t->inf, wb);
		if (ret != Z_OK)
			return zerr(sess, &t->inf, ret);
		t->inf_ok = 1;
		t->inf_wbits = wb;
	} else {
		inflateReset(&t->inf);
	}
	if (req->dict && req->dict_len && sess->alg == WD_ALG_DEFLATE) {
		size_t n = WD_MIN(req->dict_len, WD_HIST_SIZE);

		inflateSetDictionary(&t->inf, req->dict + req->dict_len - n, (uInt)n);
	}
	set_bufs(&t->inf, req);
	ret = inflate(&t->inf, Z_SYNC_FLUSH);
	if (ret == Z_NEED_DICT && req->dict && req->dict_len) {
		ret = inflateSetDictionary(&t->inf, req->dict, (uInt)req->dict_len);
		if (ret == Z_OK)
			ret = inflate(&t->inf, Z_SYNC_FLUSH);
	}
	take_counts(&t->inf, req);
	if (ret == Z_STREAM_END) {
		req->status = WD_STATUS_STREAM_END;
		return 0;
	}
	if (ret == Z_NEED_DICT) {
		sess->msg = "stream needs a dictionary";
		return -EINVAL;
	}
	if (ret != Z_OK && ret != Z_BUF_ERROR)
		return zerr(sess, &t->inf, ret);
	if (t->inf.avail_in) {
		sess->msg = "destination too small for the block";
		return -ENOSPC;
	}
	req->status = WD_STATUS_OK;
	return 0;
}

/* ---- async ------------------------------------------------------------ */

struct sw_job {
	struct wd_work work;
	struct wd_comp_sess *sess;
	struct wd_comp_req *req;
};

static void job_run(struct wd_work *w)
{
	struct sw_job *j = (struct sw_job *)w;
	struct wd_comp_sess *sess = j->sess;
	struct wd_comp_req *req = j->req;
	struct sw_priv *p = sess->priv;
	/* Messages on a shared session would race: keep the job's own. */
	struct wd_comp_sess local = *sess;

	req->err = req->dir == WD_DIR_COMPRESS ? block_deflate(&local, req) :
						 block_inflate(&local, req);
	free(j);
	pthread_mutex_lock(&p->lock);
	req->next = NULL;
	if (p->done_tail)
		p->done_tail->next = req;
	else
		p->done_head = req;
	p->done_tail = req;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
}

static int submit_async(struct wd_comp_sess *sess, struct wd_comp_req *req)
{
	struct sw_priv *p = sess->priv;
	struct sw_job *j = calloc(1, sizeof(*j));
	int ret;

	if (!j)
		return -ENOMEM;
	j->work.fn = job_run;
	j->sess = sess;
	j->req = req;
	pthread_mutex_lock(&p->lock);
	p->in_flight++;
	pthread_mutex_unlock(&p->lock);
	ret = wd_workq_submit(&j->work);
	if (ret) {
		pthread_mutex_lock(&p->lock);
		p->in_flight--;
		pthread_mutex_unlock(&p->lock);
		free(j);
	}
	return ret;
}

static int sw_async_poll(struct wd_comp_sess *sess)
{
	struct sw_priv *p = sess->priv;
	struct wd_comp_req *list;
	int left;

	pthread_mutex_lock(&p->lock);
	list = p->done_head;
	p->done_head = p->done_tail = NULL;
	pthread_mutex_unlock(&p->lock);
	while (list) {
		struct wd_comp_req *next = list->next;

		pthread_mutex_lock(&p->lock);
		p->in_flight--;
		pthread_mutex_unlock(&p->lock);
		list->done(list);
		list = next;
	}
	pthread_mutex_lock(&p->lock);
	left = p->in_flight;
	pthread_mutex_unlock(&p->lock);
	return left;
}

/* ---- the driver hooks -------------------------------------------------- */

static int sw_deflate(struct wd_comp_sess *sess, struct wd_comp_req *req)
{
	if (!lens_ok(req))
		return -EINVAL;
	if (req->stream)
		return strm_deflate(sess, req);
	if (req->done)
		return submit_async(sess, req);
	return block_deflate(sess, req);
}

static int sw_inflate(struct wd_comp_sess *sess, struct wd_comp_req *req)
{
	if (!lens_ok(req))
		return -EINVAL;
	if (req->stream)
		return strm_inflate(sess, req);
	if (req->done)
		return submit_async(sess, req);
	return block_inflate(sess, req);
}

static int sw_init(struct wd_comp_sess *sess)
{
	struct sw_priv *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->changed, NULL);
	sess->priv = p;
	return 0;
}

static void sw_exit(struct wd_comp_sess *sess)
{
	struct sw_priv *p = sess->priv;

	if (!p)
		return;
	/* Requests still running hold pointers into this session: wait for
	 * them and hand them back, so every callback runs exactly once. */
	while (sw_async_poll(sess) > 0) {
		pthread_mutex_lock(&p->lock);
		while (!p->done_head)
			pthread_cond_wait(&p->changed, &p->lock);
		pthread_mutex_unlock(&p->lock);
	}
	stream_end(&p->d[0], WD_DIR_COMPRESS);
	stream_end(&p->d[1], WD_DIR_DECOMPRESS);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->changed);
	free(p);
	sess->priv = NULL;
}

static int sw_set_dict(struct wd_comp_sess *sess, int dir, const void *dict, size_t len)
{
	struct sw_priv *p = sess->priv;
	z_stream *zs = &p->d[dir].zs;
	int ret = stream_init(sess, dir, 0);

	if (ret)
		return ret;
	if (len > UINT32_MAX)
		return -EINVAL;
	if (dir == WD_DIR_COMPRESS)
		ret = deflateSetDictionary(zs, dict, (uInt)len);
	else
		ret = inflateSetDictionary(zs, dict, (uInt)len);
	if (ret == Z_OK)
		return 0;
	ret = zerr(sess, zs, ret);
	/* java.util.zip reports zlib's own message here, which is often none. */
	sess->msg = zs->msg ? zs->msg : "";
	return ret;
}

static int sw_params(struct wd_comp_sess *sess, struct wd_comp_req *req, int level, int strategy)
{
	struct sw_priv *p = sess->priv;
	z_stream *zs = &p->d[WD_DIR_COMPRESS].zs;
	int ret = stream_init(sess, WD_DIR_COMPRESS, 0);

	if (ret)
		return ret;
	if (!lens_ok(req))
		return -EINVAL;
	set_bufs(zs, req);
	ret = deflateParams(zs, level, strategy);
	take_counts(zs, req);
	req->status = WD_STATUS_OK;
	if (ret == Z_OK)
		return 0;
	if (ret == Z_BUF_ERROR)
		return -EAGAIN;
	return zerr(sess, zs, ret);
}

static void sw_reset(struct wd_comp_sess *sess, int dir)
{
	struct sw_priv *p = sess->priv;
	struct sw_stream *s = &p->d[dir];

	if (!s->inited)
		return;
	if (s->resumed) {
		/* The next stream needs the session's own framing again. */
		stream_end(s, dir);
		return;
	}
	if (dir == WD_DIR_COMPRESS)
		deflateReset(&s->zs);
	else
		inflateReset(&s->zs);
}

static uint32_t sw_checksum(struct wd_comp_sess *sess, int dir)
{
	struct sw_priv *p = sess->priv;

	if (stream_init(sess, dir, 0))
		return dir == WD_DIR_COMPRESS ? 1 : 0;
	return (uint32_t)p->d[dir].zs.adler;
}

static int sw_resume(struct wd_comp_sess *sess, int dir, const void *hist, size_t len)
{
	struct sw_priv *p = sess->priv;
	struct sw_stream *s = &p->d[dir];
	int ret;

	stream_end(s, dir);
	ret = stream_init(sess, dir, 1);
	if (ret)
		return ret;
	s->resumed = 1;
	if (!len)
		return 0;
	len = WD_MIN(len, WD_HIST_SIZE);
	if (dir == WD_DIR_COMPRESS)
		ret = deflateSetDictionary(&s->zs, hist, (uInt)len);
	else
		ret = inflateSetDictionary(&s->zs, hist, (uInt)len);
	return ret == Z_OK ? 0 : zerr(sess, &s->zs, ret);
}

struct wd_alg_comp wd_sw_comp_drv = {
	.drv_name = "software",
	.algo_name = "deflate zlib gzip",
	.init = sw_init,
	.exit = sw_exit,
	.deflate = sw_deflate,
	.inflate = sw_inflate,
	.async_poll = sw_async_poll,
	.caps = WD_DRV_CAP_ZLIB_STREAM,
	.set_dict = sw_set_dict,
	.params = sw_params,
	.reset = sw_reset,
	.checksum = sw_checksum,
	.resume = sw_resume,
};
