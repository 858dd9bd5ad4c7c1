/*
 * The emulated UACCE device: what `emulate` (WD_EMULATE) asks for becomes
 * a sysfs tree and char-device nodes in a private temp directory, and
 * libwd's system calls on those nodes come here (wd_register_sys_ops)
 * instead of to the kernel.
 *
 *   <tmp>/<n>/class/uacce/hisi_zip-<id>/{api,algorithms,flags,...}
 *   <tmp>/<n>/dev/hisi_zip-<id>
 *
 * Each distinct spec gets its own <n> (devices of an earlier spec keep
 * working for the sessions that hold them); the whole tree goes at exit.
 * Attribute files are written the way the kernel prints them, and
 * available_instances and isolate change as queues open and devices fail.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "warpdrive/wd.h"
#include "warpdrive/wd_comp.h"
#include "../drv/hisi_qm.h"
#include "../lib/wd_internal.h"
#include "emu_internal.h"

#define EMU_DRIVER "hisi_zip"
#define EMU_MAX_DEVICES 64
#define EMU_DEFAULT_QUEUES 64
/* sqn is 10 bits wide in the doorbell (drv/hisi_qm.h) */
#define EMU_MAX_QUEUES 1024
#define EMU_MIN_DEPTH 4
/* MMIO: two pages, the v2/v3 doorbell page at 0x1000 included. */
#define EMU_MMIO_PAGES 2
#define EMU_SS_MAX ((size_t)256 << 20)
/* NOSVA "DMA" addresses: far from process addresses, 4 GiB per queue. */
#define EMU_DMA_BASE 0x1000000000ull
#define EMU_DMA_STRIDE 0x100000000ull
#define EMU_NUMA_DISTANCE 10
#define EMU_SPEC_MAX 512

static pthread_mutex_t emu_lock = PTHREAD_MUTEX_INITIALIZER;
static char emu_root[EMU_ROOT_MAX];
static pid_t emu_pid;
static int emu_down;
static int emu_seq;
static uint64_t emu_dma_serial;
static struct emu_inst *insts;
static struct emu_queue *queues;

/* ---- the spec ------------------------------------------------------------------ */

static int parse_long(const char *v, long lo, long hi, long *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < lo || n > hi)
		return -EINVAL;
	*out = n;
	return 0;
}

static int parse_fraction(const char *v, double *out)
{
	char *end;
	double f;

	errno = 0;
	f = strtod(v, &end);
	if (errno || end == v || *end || !(f >= 0.0 && f <= 1.0))
		return -EINVAL;
	*out = f;
	return 0;
}

static int parse_option(const char *opt, struct emu_spec *sp)
{
	const char *eq = strchr(opt, '=');
	long n;

	if (!strcmp(opt, "nosva"))
		return sp->nosva = 1, 0;
	if (!strcmp(opt, "v2"))
		return sp->v2 = 1, 0;
	if (!eq)
		return -EINVAL;
	if (!strncmp(opt, "errors=", 7))
		return parse_fraction(eq + 1, &sp->errors);
	if (!strncmp(opt, "timeouts=", 9))
		return parse_fraction(eq + 1, &sp->timeouts);
	if (!strncmp(opt, "remove_after=", 13))
		return parse_long(eq + 1, 0, LONG_MAX, &sp->remove_after);
	if (!strncmp(opt, "queues=", 7)) {
		if (parse_long(eq + 1, 1, EMU_MAX_QUEUES, &n))
			return -EINVAL;
		return sp->queues = (int)n, 0;
	}
	if (!strncmp(opt, "depth=", 6)) {
		if (parse_long(eq + 1, EMU_MIN_DEPTH, HISI_QM_DEPTH_DEFAULT, &n))
			return -EINVAL;
		return sp->depth = (int)n, 0;
	}
	return -EINVAL;
}

/* "<driver>:<count>[:option]...": every field non-empty. */
static int parse_spec(const char *spec, struct emu_spec *sp)
{
	char buf[EMU_SPEC_MAX], *p = buf, *colon;
	long n;
	int field = 0;

	if (strlen(spec) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, spec);
	memset(sp, 0, sizeof(*sp));
	sp->remove_after = -1;
	sp->queues = EMU_DEFAULT_QUEUES;
	sp->depth = HISI_QM_DEPTH_DEFAULT;
	for (;; field++) {
		colon = strchr(p, ':');
		if (colon)
			*colon = '\0';
		if (!*p)
			return -EINVAL;
		if (field == 0 && strcmp(p, EMU_DRIVER))
			return -EINVAL;
		if (field == 1 && parse_long(p, 1, EMU_MAX_DEVICES, &n))
			return -EINVAL;
		if (field == 1)
			sp->count = (int)n;
		if (field > 1 && parse_option(p, sp))
			return -EINVAL;
		if (!colon)
			break;
		p = colon + 1;
	}
	if (field < 1 || sp->errors + sp->timeouts > 1.0)
		return -EINVAL;
	return 0;
}

/* ---- sysfs ------------------------------------------------------------------------ */

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static size_t mmio_size(void)
{
	return EMU_MMIO_PAGES * page_size();
}

/* SQ ring, CQ ring, then one page of status words (drv/hisi_qm.h). */
static size_t dus_size(const struct emu_spec *sp)
{
	size_t pg = page_size(), rings = (size_t)sp->depth * (HISI_QM_SQE_SIZE + HISI_QM_CQE_SIZE);

	return (rings + pg - 1) / pg * pg + pg;
}

/* Writes an attribute whole (temp file + rename), so a reader never sees
 * half of it, with the kernel's trailing newline. */
static int write_attr(const char *dir, const char *name, const char *fmt, ...)
{
	char tmp[PATH_MAX + 64], path[PATH_MAX + 64], buf[256];
	va_list ap;
	int fd, len, ok;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	ok = write(fd, buf, (size_t)len) == len;
	close(fd);
	if (!ok || rename(tmp, path)) {
		unlink(tmp);
		return -EIO;
	}
	return 0;
}

static int available(const struct emu_dev *d)
{
	return __atomic_load_n(&d->removed, __ATOMIC_ACQUIRE) ? 0 : d->inst->spec.queues - d->used;
}

static int write_sysfs(const struct emu_dev *d)
{
	const struct emu_spec *sp = &d->inst->spec;
	int ret = 0;

	ret |= write_attr(d->sysdir, "api", "%s\n", sp->v2 ? "hisi_qm_v2" : "hisi_qm_v3");
	/* Kunpeng 920 (v2) has no raw deflate; 930 (v3) adds it. */
	ret |= write_attr(d->sysdir, "algorithms", "%s", sp->v2 ? "zlib\ngzip\n" :
				 "deflate\nzlib\ngzip\n");
	ret |= write_attr(d->sysdir, "flags", "%u\n", sp->nosva ? 0u : UACCE_DEV_SVA);
	ret |= write_attr(d->sysdir, "available_instances", "%d\n", available(d));
	ret |= write_attr(d->sysdir, "node_id", "%d\n", 0);
	ret |= write_attr(d->sysdir, "numa_distance", "%d\n", EMU_NUMA_DISTANCE);
	ret |= write_attr(d->sysdir, "region_mmio_size", "%lu\n", (unsigned long)mmio_size());
	ret |= write_attr(d->sysdir, "region_dus_size", "%lu\n", (unsigned long)dus_size(sp));
	ret |= write_attr(d->sysdir, "isolate", "%d\n", 0);
	return ret ? -EIO : 0;
}

/* ---- bring-up ------------------------------------------------------------------------ */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void emu_teardown(void);
static void emu_atfork_prepare(void);
static void emu_atfork_parent(void);
static void emu_atfork_child(void);
static const struct wd_sys_ops emu_ops;

static int root_create(void)
{
	const char *tmp = getenv("TMPDIR");
	char tmpl[EMU_ROOT_MAX];
	int ret;

	if (emu_root[0])
		return 0;
	if (snprintf(tmpl, sizeof(tmpl), "%s/wd-emu-XXXXXX", tmp && *tmp ? tmp : "/tmp") >=
	    (int)sizeof(tmpl))
		return -ENAMETOOLONG;
	if (!mkdtemp(tmpl))
		return -errno;
	ret = wd_register_sys_ops(tmpl, &emu_ops);
	if (ret) {
		rmdir(tmpl);
		return ret;
	}
	wd_strlcpy(emu_root, tmpl, sizeof(emu_root));
	emu_pid = getpid();
	atexit(emu_teardown);
	pthread_atfork(emu_atfork_prepare, emu_atfork_parent, emu_atfork_child);
	return 0;
}

static uint64_t seed(void)
{
	const char *s = getenv("WD_EMU_SEED");
	long v = 1;

	if (s && *s && parse_long(s, 0, LONG_MAX, &v))
		v = 1;
	return (uint64_t)v;
}

static int dev_create(struct emu_inst *in, int id)
{
	struct emu_dev *d = &in->devs[id];
	int fd;

	d->inst = in;
	d->id = id;
	snprintf(d->name, sizeof(d->name), "%s-%d", EMU_DRIVER, id);
	snprintf(d->sysdir, sizeof(d->sysdir), "%s/class/uacce/%s", in->root, d->name);
	snprintf(d->node, sizeof(d->node), "%s/dev/%s", in->root, d->name);
	pthread_mutex_init(&d->lock, NULL);
	/* xorshift needs a nonzero state */
	d->rng = (seed() + 1) * 0x9E3779B97F4A7C15ull + (uint64_t)id * 0xBF58476D1CE4E5B9ull;
	if (!d->rng)
		d->rng = 1;
	if (mkdir(d->sysdir, 0755))
		return -errno;
	fd = open(d->node, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	close(fd);
	return write_sysfs(d);
}

static int inst_dirs(struct emu_inst *in)
{
	static const char *const sub[] = { "", "/class", "/class/uacce", "/dev" };
	char path[PATH_MAX + 16];

	for (size_t i = 0; i < WD_ARRAY_SIZE(sub); i++) {
		snprintf(path, sizeof(path), "%s%s", in->root, sub[i]);
		if (mkdir(path, 0755))
			return -errno;
	}
	return 0;
}

/* Creates the devices of a spec (emu_lock held). */
static int inst_create(const struct emu_spec *sp, struct emu_inst **out)
{
	struct emu_inst *in = calloc(1, sizeof(*in));
	int ret;

	if (!in)
		return -ENOMEM;
	in->devs = calloc((size_t)sp->count, sizeof(*in->devs));
	if (!in->devs) {
		free(in);
		return -ENOMEM;
	}
	in->spec = *sp;
	in->seq = ++emu_seq;
	snprintf(in->root, sizeof(in->root), "%s/%d", emu_root, in->seq % 100000);
	/* Linked before the devices exist: their mutexes must never be freed. */
	in->next = insts;
	insts = in;
	ret = inst_dirs(in);
	for (int i = 0; i < sp->count && !ret; i++)
		ret = dev_create(in, i);
	*out = in;
	return ret;
}

static int bring_up(const struct emu_spec *sp)
{
	char sysfs[PATH_MAX + 32], dev[PATH_MAX + 32];
	struct emu_inst *in = NULL;
	int ret;

	pthread_mutex_lock(&emu_lock);
	ret = emu_down ? -ENODEV : root_create();
	if (!ret)
		ret = inst_create(sp, &in);
	pthread_mutex_unlock(&emu_lock);
	if (ret)
		return ret;
	snprintf(sysfs, sizeof(sysfs), "%s/class/uacce", in->root);
	snprintf(dev, sizeof(dev), "%s/dev", in->root);
	if (wd_config_set("sysfs", sysfs) || wd_config_set("dev", dev))
		return -ENAMETOOLONG;
	return 0;
}

static void emu_teardown(void)
{
	if (getpid() != emu_pid)
		return; /* a forked child: the tree is the parent's */
	pthread_mutex_lock(&emu_lock);
	emu_down = 1;
	for (struct emu_inst *in = insts; in; in = in->next) {
		for (int i = 0; i < in->spec.count; i++) {
			emu_dev_lock(&in->devs[i]);
			in->devs[i].stop = 1;
			emu_dev_unlock(&in->devs[i]);
		}
	}
	pthread_mutex_unlock(&emu_lock);
	/* Joined without emu_lock: an engine may be publishing a removal. */
	for (struct emu_inst *in = insts; in; in = in->next)
		for (int i = 0; i < in->spec.count; i++)
			if (in->devs[i].thread_on)
				pthread_join(in->devs[i].thread, NULL);
	nftw(emu_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- fork ------------------------------------------------------------------------------ */

static pthread_mutex_t spec_lock = PTHREAD_MUTEX_INITIALIZER;

static void emu_atfork_prepare(void)
{
	pthread_mutex_lock(&spec_lock);
	pthread_mutex_lock(&emu_lock);
}

static void emu_atfork_parent(void)
{
	pthread_mutex_unlock(&emu_lock);
	pthread_mutex_unlock(&spec_lock);
}

/*
 * The child has no engine threads and none of the parent's mappings (the
 * kernel does not copy them either): its view of the parent's queues is
 * emptied, and its own queues get engines when they start.  The devices,
 * their sysfs files and the temp tree stay the parent's.
 */
static void emu_atfork_child(void)
{
	pthread_mutex_init(&spec_lock, NULL);
	pthread_mutex_init(&emu_lock, NULL);
	for (struct emu_inst *in = insts; in; in = in->next) {
		for (int i = 0; i < in->spec.count; i++) {
			struct emu_dev *d = &in->devs[i];

			pthread_mutex_init(&d->lock, NULL);
			d->thread_on = 0;
			d->stop = 0;
			d->waiters = 0;
			d->run = NULL; /* d->zip, a copy, still decodes inherited streams */
		}
	}
	for (struct emu_queue *q = queues; q; q = q->next) {
		q->mmio = q->dus = q->ss = NULL;
		q->mmio_len = q->dus_len = q->ss_len = 0;
		q->started = 0;
		q->put = 1;
	}
}

/* ---- wd_emu_ensure ------------------------------------------------------------------ */

static char cur_spec[EMU_SPEC_MAX];
static int cur_ret;
static unsigned seen_gen;
static int seen_ret;

/* Brings up `spec` unless it is what runs already (spec_lock held). */
static int apply_spec(const char *spec)
{
	struct emu_spec sp;
	int ret;

	if (!*spec)
		return 0; /* nothing asked; devices already up stay up */
	if (!strcmp(spec, cur_spec))
		return cur_ret;
	ret = parse_spec(spec, &sp);
	if (ret)
		wd_log(WD_LOG_WARN, "ignoring emulate=\"%s\": want hisi_zip:<count>[:nosva][:v2]"
		       "[:errors=f][:timeouts=f][:remove_after=n][:queues=n][:depth=n]", spec);
	else
		ret = bring_up(&sp);
	wd_strlcpy(cur_spec, spec, sizeof(cur_spec));
	cur_ret = ret;
	return ret;
}

int wd_emu_ensure(void)
{
	unsigned gen = wd_cfg_generation();
	char spec[EMU_SPEC_MAX];
	int ret;

	if (gen == __atomic_load_n(&seen_gen, __ATOMIC_ACQUIRE))
		return __atomic_load_n(&seen_ret, __ATOMIC_RELAXED);
	pthread_mutex_lock(&spec_lock);
	gen = wd_cfg_generation();
	wd_strlcpy(spec, wd_cfg_str("emulate"), sizeof(spec));
	ret = apply_spec(spec);
	__atomic_store_n(&seen_ret, ret, __ATOMIC_RELAXED);
	/* The generation read before the spec: our own sysfs/dev settings
	 * bump it, so the next call checks once more and settles. */
	__atomic_store_n(&seen_gen, gen, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&spec_lock);
	return ret;
}

/* ---- locks and removal --------------------------------------------------------------- */

void emu_dev_lock(struct emu_dev *d)
{
	__atomic_add_fetch(&d->waiters, 1, __ATOMIC_RELAXED);
	pthread_mutex_lock(&d->lock);
	__atomic_sub_fetch(&d->waiters, 1, __ATOMIC_RELAXED);
}

void emu_dev_unlock(struct emu_dev *d)
{
	pthread_mutex_unlock(&d->lock);
}

void emu_queue_stop_words(struct emu_queue *q)
{
	uint32_t *tx = (uint32_t *)(void *)(q->dus + q->dus_len - HISI_QM_STATUS_TX_FROM_END);
	uint32_t *rx = (uint32_t *)(void *)(q->dus + q->dus_len - HISI_QM_STATUS_RX_FROM_END);

	__atomic_store_n(rx, htole32(1), __ATOMIC_RELEASE);
	__atomic_store_n(tx, htole32(1), __ATOMIC_RELEASE);
}

void emu_publish_removal(struct emu_dev *d)
{
	pthread_mutex_lock(&emu_lock);
	for (struct emu_queue *q = queues; q; q = q->next)
		if (q->dev == d && q->dus)
			emu_queue_stop_words(q);
	if (!emu_down) {
		/* isolate last: once it reads 1, everything else is told */
		write_attr(d->sysdir, "available_instances", "%d\n", 0);
		write_attr(d->sysdir, "isolate", "%d\n", 1);
	}
	pthread_mutex_unlock(&emu_lock);
}

/* ---- queues --------------------------------------------------------------------------- */

static struct emu_dev *dev_by_node(const char *path)
{
	for (struct emu_inst *in = insts; in; in = in->next)
		for (int i = 0; i < in->spec.count; i++)
			if (!strcmp(in->devs[i].node, path))
				return &in->devs[i];
	return NULL;
}

static struct emu_queue *queue_by_fd(int fd)
{
	for (struct emu_queue *q = queues; q; q = q->next)
		if (!q->closed && q->fd == fd)
			return q;
	return NULL;
}

static int qid_taken(const struct emu_dev *d, unsigned qid)
{
	for (struct emu_queue *q = queues; q; q = q->next)
		if (q->dev == d && !q->closed && q->qid == qid)
			return 1;
	return 0;
}

static void queue_unlink(struct emu_queue *q)
{
	for (struct emu_queue **pp = &queues; *pp; pp = &(*pp)->next) {
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
	pthread_mutex_lock(&emu_lock);
	d = dev_by_node(path);
	if (!d)
		err = ENOENT;
	else if (emu_down || __atomic_load_n(&d->removed, __ATOMIC_ACQUIRE))
		err = ENODEV;
	else if (d->used >= d->inst->spec.queues)
		err = EBUSY;
	else if (!(q = calloc(1, sizeof(*q))))
		err = ENOMEM;
	else if ((q->fd = eventfd(0, EFD_CLOEXEC)) < 0)
		err = errno;
	if (err) {
		free(q);
		pthread_mutex_unlock(&emu_lock);
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
	q->next = queues;
	queues = q;
	d->used++;
	write_attr(d->sysdir, "available_instances", "%d\n", available(d));
	pthread_mutex_unlock(&emu_lock);
	return q->fd;
}

static int emu_close(int fd)
{
	struct emu_queue *q;
	struct emu_dev *d;

	pthread_mutex_lock(&emu_lock);
	q = queue_by_fd(fd);
	if (!q) {
		pthread_mutex_unlock(&emu_lock);
		errno = EBADF;
		return -1;
	}
	d = q->dev;
	queue_stop(q);
	q->closed = 1;
	close(q->fd);
	q->fd = -1;
	d->used--;
	if (!emu_down)
		write_attr(d->sysdir, "available_instances", "%d\n", available(d));
	queue_maybe_free(q);
	pthread_mutex_unlock(&emu_lock);
	return 0;
}

/* ---- ioctl ------------------------------------------------------------------------------ */

static int queue_start(struct emu_queue *q)
{
	struct emu_dev *d = q->dev;

	if (q->started || q->put || q->qc_type < 0)
		return EINVAL;
	if (!d->thread_on) {
		if (emu_down || pthread_create(&d->thread, NULL, emu_engine_main, d))
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

	pthread_mutex_lock(&emu_lock);
	q = queue_by_fd(fd);
	err = q ? do_ioctl(q, cmd, arg) : EBADF;
	pthread_mutex_unlock(&emu_lock);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

/* ---- mmap ------------------------------------------------------------------------------- */

/* Maps region qfrt of q (emu_lock held); errno-style error. */
static int map_region(struct emu_queue *q, int qfrt, size_t len, void **out)
{
	const struct emu_spec *sp = &q->dev->inst->spec;
	unsigned char **slot;
	size_t *slot_len;
	void *p;

	switch (qfrt) {
	case UACCE_QFRT_MMIO:
		slot = &q->mmio, slot_len = &q->mmio_len;
		if (len != mmio_size())
			return EINVAL;
		break;
	case UACCE_QFRT_DUS:
		slot = &q->dus, slot_len = &q->dus_len;
		if (len != dus_size(sp))
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
		q->ss_dma = EMU_DMA_BASE + EMU_DMA_STRIDE * (emu_dma_serial++ % 4096);
	if (qfrt == UACCE_QFRT_DUS && __atomic_load_n(&q->dev->removed, __ATOMIC_ACQUIRE))
		emu_queue_stop_words(q);
	emu_dev_unlock(q->dev);
	*out = p;
	return 0;
}

static void *emu_mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	size_t pg = page_size();
	struct emu_queue *q;
	void *p = NULL;
	int err;

	(void)addr;
	(void)prot;
	pthread_mutex_lock(&emu_lock);
	q = queue_by_fd(fd);
	if (!q)
		err = EBADF;
	else if (off < 0 || (size_t)off % pg || !(flags & MAP_SHARED))
		err = EINVAL;
	else
		err = map_region(q, (int)((size_t)off / pg), len, &p);
	pthread_mutex_unlock(&emu_lock);
	if (err) {
		errno = err;
		return MAP_FAILED;
	}
	return p;
}

static int emu_munmap(void *addr, size_t len)
{
	(void)len;
	pthread_mutex_lock(&emu_lock);
	for (struct emu_queue *q = queues; q; q = q->next) {
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
		pthread_mutex_unlock(&emu_lock);
		return 0;
	}
	pthread_mutex_unlock(&emu_lock);
	errno = EINVAL;
	return -1;
}

static const struct wd_sys_ops emu_ops = {
	emu_open, emu_close, emu_ioctl, emu_mmap, emu_munmap,
};
