/*
 * The emulated UACCE device: what `emulate` (WD_EMULATE) asks for becomes
 * a sysfs tree and char-device nodes in a private temp directory, and
 * libwd's system calls on those nodes go to emu_cdev.c (registered with
 * wd_register_sys_ops for the whole temp tree) instead of to the kernel.
 *
 *   <tmp>/<n>/class/uacce/hisi_zip-<id>/{api,algorithms,flags,...}
 *   <tmp>/<n>/dev/hisi_zip-<id>
 *
 * Each distinct spec gets its own <n> (devices of an earlier spec keep
 * working for the sessions that hold them); the whole tree goes at exit.
 * A process killed before exit cannot clean up, so every tree holds a
 * .lock file its process keeps flock()ed, and a new emulator removes the
 * trees whose lock it can take: their owners are gone.
 * Attribute files are written the way the kernel prints them, and
 * available_instances and isolate change as queues open and devices fail.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
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
#define EMU_MIN_DEPTH 4
/* MMIO: two pages, the v2/v3 doorbell page at 0x1000 included. */
#define EMU_MMIO_PAGES 2
#define EMU_NUMA_DISTANCE 10
#define EMU_SPEC_MAX 512

struct emu_state emu = { .lock = PTHREAD_MUTEX_INITIALIZER };
static char emu_root[EMU_ROOT_MAX];
static pid_t emu_pid;
static int emu_lock_fd = -1;
static int emu_seq;

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

size_t emu_mmio_size(void)
{
	return EMU_MMIO_PAGES * page_size();
}

/* SQ ring, CQ ring, then one page of status words (drv/hisi_qm.h). */
size_t emu_dus_size(const struct emu_spec *sp)
{
	size_t pg = page_size(), rings = (size_t)sp->depth * (HISI_QM_SQE_SIZE + HISI_QM_CQE_SIZE);

	return (rings + pg - 1) / pg * pg + pg;
}

/* Writes an attribute whole (temp file + rename), so a reader never sees
 * half of it, with the kernel's trailing newline. */
int emu_write_attr(const char *dir, const char *name, const char *fmt, ...)
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

int emu_available(const struct emu_dev *d)
{
	return __atomic_load_n(&d->removed, __ATOMIC_ACQUIRE) ? 0 : d->inst->spec.queues - d->used;
}

static int write_sysfs(const struct emu_dev *d)
{
	const struct emu_spec *sp = &d->inst->spec;
	int ret = 0;

	ret |= emu_write_attr(d->sysdir, "api", "%s\n", sp->v2 ? "hisi_qm_v2" : "hisi_qm_v3");
	/* Kunpeng 920 (v2) has no raw deflate; 930 (v3) adds it. */
	ret |= emu_write_attr(d->sysdir, "algorithms", "%s", sp->v2 ? "zlib\ngzip\n" :
				 "deflate\nzlib\ngzip\n");
	ret |= emu_write_attr(d->sysdir, "flags", "%u\n", sp->nosva ? 0u : UACCE_DEV_SVA);
	ret |= emu_write_attr(d->sysdir, "available_instances", "%d\n", emu_available(d));
	ret |= emu_write_attr(d->sysdir, "node_id", "%d\n", 0);
	ret |= emu_write_attr(d->sysdir, "numa_distance", "%d\n", EMU_NUMA_DISTANCE);
	ret |= emu_write_attr(d->sysdir, "region_mmio_size", "%lu\n", (unsigned long)emu_mmio_size());
	ret |= emu_write_attr(d->sysdir, "region_dus_size", "%lu\n", (unsigned long)emu_dus_size(sp));
	ret |= emu_write_attr(d->sysdir, "isolate", "%d\n", 0);
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

#define EMU_ROOT_PREFIX "wd-emu-"
#define EMU_LOCK_FILE ".lock"

/* Removes our users' trees left by processes that died without exit. */
static void sweep_stale_roots(const char *tmp)
{
	DIR *dir = opendir(tmp);
	struct dirent *e;

	if (!dir)
		return;
	while ((e = readdir(dir)) != NULL) {
		char path[EMU_ROOT_MAX + 16];
		struct stat st;
		int fd;

		if (strncmp(e->d_name, EMU_ROOT_PREFIX, strlen(EMU_ROOT_PREFIX)) ||
		    snprintf(path, sizeof(path), "%s/%s/" EMU_LOCK_FILE, tmp, e->d_name) >=
		    (int)sizeof(path))
			continue;
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			continue; /* no lock file: not a tree we know how to judge */
		if (!fstat(fd, &st) && st.st_uid == getuid() && !flock(fd, LOCK_EX | LOCK_NB)) {
			path[strlen(path) - strlen("/" EMU_LOCK_FILE)] = '\0';
			nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		}
		close(fd);
	}
	closedir(dir);
}

/* The lock that tells other processes this tree is alive. */
static int hold_root_lock(const char *root)
{
	char path[EMU_ROOT_MAX + 16];

	snprintf(path, sizeof(path), "%s/" EMU_LOCK_FILE, root);
	emu_lock_fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (emu_lock_fd < 0 || flock(emu_lock_fd, LOCK_SH | LOCK_NB))
		return -errno;
	return 0;
}

static int root_create(void)
{
	const char *tmp = getenv("TMPDIR");
	char tmpl[EMU_ROOT_MAX];
	int ret;

	if (emu_root[0])
		return 0;
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (snprintf(tmpl, sizeof(tmpl), "%s/" EMU_ROOT_PREFIX "XXXXXX", tmp) >= (int)sizeof(tmpl))
		return -ENAMETOOLONG;
	sweep_stale_roots(tmp);
	if (!mkdtemp(tmpl))
		return -errno;
	ret = hold_root_lock(tmpl);
	if (!ret)
		ret = wd_register_sys_ops(tmpl, &emu_ops);
	if (ret) {
		nftw(tmpl, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
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

/* Creates the devices of a spec (emu.lock held). */
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
	in->next = emu.insts;
	emu.insts = in;
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

	pthread_mutex_lock(&emu.lock);
	ret = emu.down ? -ENODEV : root_create();
	if (!ret)
		ret = inst_create(sp, &in);
	pthread_mutex_unlock(&emu.lock);
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
	pthread_mutex_lock(&emu.lock);
	emu.down = 1;
	for (struct emu_inst *in = emu.insts; in; in = in->next) {
		for (int i = 0; i < in->spec.count; i++) {
			emu_dev_lock(&in->devs[i]);
			in->devs[i].stop = 1;
			emu_dev_unlock(&in->devs[i]);
		}
	}
	pthread_mutex_unlock(&emu.lock);
	/* Joined without emu.lock: an engine may be publishing a removal. */
	for (struct emu_inst *in = emu.insts; in; in = in->next)
		for (int i = 0; i < in->spec.count; i++)
			if (in->devs[i].thread_on)
				pthread_join(in->devs[i].thread, NULL);
	nftw(emu_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	close(emu_lock_fd);
	emu_lock_fd = -1;
}

/* ---- fork ------------------------------------------------------------------------------ */

static pthread_mutex_t spec_lock = PTHREAD_MUTEX_INITIALIZER;

static void emu_atfork_prepare(void)
{
	pthread_mutex_lock(&spec_lock);
	pthread_mutex_lock(&emu.lock);
}

static void emu_atfork_parent(void)
{
	pthread_mutex_unlock(&emu.lock);
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
	pthread_mutex_init(&emu.lock, NULL);
	for (struct emu_inst *in = emu.insts; in; in = in->next) {
		for (int i = 0; i < in->spec.count; i++) {
			struct emu_dev *d = &in->devs[i];

			pthread_mutex_init(&d->lock, NULL);
			d->thread_on = 0;
			d->stop = 0;
			d->waiters = 0;
			d->run = NULL; /* d->zip, a copy, still decodes inherited streams */
		}
	}
	emu_cdev_forget_mappings();
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
	pthread_mutex_lock(&emu.lock);
	for (struct emu_queue *q = emu.queues; q; q = q->next)
		if (q->dev == d && q->dus)
			emu_queue_stop_words(q);
	if (!emu.down) {
		/* isolate last: once it reads 1, everything else is told */
		emu_write_attr(d->sysdir, "available_instances", "%d\n", 0);
		emu_write_attr(d->sysdir, "isolate", "%d\n", 1);
	}
	pthread_mutex_unlock(&emu.lock);
}

