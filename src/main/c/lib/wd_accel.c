/*
 * libaccel: device discovery from the UACCE sysfs class directory.
 *
 * Every attribute is read defensively: sysfs files written by other
 * kernels, out-of-tree drivers, or a test's junk must never crash us.
 * A device whose required attributes are missing or malformed is skipped.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "warpdrive/wd.h"
#include "warpdrive/wd_accel.h"
#include "wd_internal.h"

#define DEFAULT_SYSFS_ROOT "/sys/class/uacce"
/* sysfs attributes are at most a page; anything longer is junk. */
#define ATTR_MAX 4096

/* ---- masks --------------------------------------------------------- */

WD_EXPORT void wd_mask_zero(wd_dev_mask_t *m)
{
	memset(m, 0, sizeof(*m));
}

WD_EXPORT void wd_mask_fill(wd_dev_mask_t *m)
{
	memset(m, 0xff, sizeof(*m));
}

static int id_ok(int id)
{
	return id >= 0 && id < MAX_ACCELS;
}

WD_EXPORT void wd_mask_set(wd_dev_mask_t *m, int id)
{
	if (id_ok(id))
		m->mask[id / 32] |= 1u << (id % 32);
}

WD_EXPORT void wd_mask_clear(wd_dev_mask_t *m, int id)
{
	if (id_ok(id))
		m->mask[id / 32] &= ~(1u << (id % 32));
}

WD_EXPORT int wd_mask_test(const wd_dev_mask_t *m, int id)
{
	return id_ok(id) ? (int)((m->mask[id / 32] >> (id % 32)) & 1u) : 0;
}

WD_EXPORT void wd_mask_and(wd_dev_mask_t *dst, const wd_dev_mask_t *a, const wd_dev_mask_t *b)
{
	for (int i = 0; i < MAX_WORDS_FOR_ACCELS; i++)
		dst->mask[i] = a->mask[i] & b->mask[i];
}

WD_EXPORT void wd_mask_or(wd_dev_mask_t *dst, const wd_dev_mask_t *a, const wd_dev_mask_t *b)
{
	for (int i = 0; i < MAX_WORDS_FOR_ACCELS; i++)
		dst->mask[i] = a->mask[i] | b->mask[i];
}

WD_EXPORT int wd_mask_is_empty(const wd_dev_mask_t *m)
{
	for (int i = 0; i < MAX_WORDS_FOR_ACCELS; i++)
		if (m->mask[i])
			return 0;
	return 1;
}

WD_EXPORT int wd_mask_count(const wd_dev_mask_t *m)
{
	int n = 0;

	for (int i = 0; i < MAX_WORDS_FOR_ACCELS; i++)
		n += __builtin_popcount(m->mask[i]);
	return n;
}

static int parse_id(const char **pp, int *out)
{
	const char *p = *pp;
	long v = 0;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (*p++ - '0');
		if (v >= MAX_ACCELS)
			return -EINVAL;
	}
	*out = (int)v;
	*pp = p;
	return 0;
}

WD_EXPORT int wd_mask_parse(const char *list, wd_dev_mask_t *m)
{
	const char *p = list;
	wd_dev_mask_t tmp;

	if (!list || !m)
		return -EINVAL;
	wd_mask_zero(&tmp);
	while (*p) {
		int lo, hi;

		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		if (parse_id(&p, &lo))
			return -EINVAL;
		hi = lo;
		if (*p == '-') {
			p++;
			if (parse_id(&p, &hi) || hi < lo)
				return -EINVAL;
		}
		if (*p && *p != ',' && *p != ' ')
			return -EINVAL;
		for (int i = lo; i <= hi; i++)
			wd_mask_set(&tmp, i);
	}
	*m = tmp;
	return 0;
}

/* ---- sysfs reading -------------------------------------------------- */

WD_EXPORT const char *wd_sysfs_root(void)
{
	const char *root;

	wd_emu_ensure();
	root = wd_cfg_str("sysfs");
	return *root ? root : DEFAULT_SYSFS_ROOT;
}

/* Reads a whole attribute, strips trailing whitespace.  -errno, or
 * -EINVAL when it is empty, too long or holds a NUL byte. */
static int read_attr(const char *dir, const char *attr, char *buf, size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	size_t len = 0;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, attr) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = -errno;

			close(fd);
			return e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len == size - 1) {
		char extra;

		if (read(fd, &extra, 1) > 0) {
			close(fd);
			return -EINVAL;
		}
	}
	close(fd);
	buf[len] = '\0';
	if (strlen(buf) != len)
		return -EINVAL;
	while (len && isspace((unsigned char)buf[len - 1]))
		buf[--len] = '\0';
	return len ? 0 : -EINVAL;
}

/* A decimal integer (optionally negative) and nothing else. */
static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

static int read_long(const char *dir, const char *attr, long lo, long hi, long *out)
{
	char buf[64];
	int ret = read_attr(dir, attr, buf, sizeof(buf));

	return ret ? ret : parse_long(buf, lo, hi, out);
}

/* "zlib\ngzip\n" -> "zlib gzip"; names must be printable words. */
static int read_algorithms(const char *dir, char *out, size_t size)
{
	char buf[ATTR_MAX];
	size_t o = 0;
	char *p, *save = NULL;
	int ret = read_attr(dir, "algorithms", buf, sizeof(buf));

	if (ret)
		return ret;
	out[0] = '\0';
	for (p = strtok_r(buf, " \t\r\n", &save); p; p = strtok_r(NULL, " \t\r\n", &save)) {
		size_t l = strlen(p);

		for (size_t i = 0; i < l; i++)
			if (!isgraph((unsigned char)p[i]))
				return -EINVAL;
		if (o + l + 2 > size)
			return -EINVAL;
		if (o)
			out[o++] = ' ';
		memcpy(out + o, p, l);
		o += l;
		out[o] = '\0';
	}
	return o ? 0 : -EINVAL;
}

WD_EXPORT int wd_accel_read(const char *name, struct wd_accel_info *info)
{
	char dir[PATH_MAX];
	long v;
	int id, ret;

	if (!name || !info)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	id = wd_split_dev_name(name, info->driver, sizeof(info->driver));
	if (id < 0 || id >= MAX_ACCELS || strlen(name) >= sizeof(info->name))
		return -EINVAL;
	info->id = id;
	wd_strlcpy(info->name, name, sizeof(info->name));
	if (snprintf(dir, sizeof(dir), "%s/%s", wd_sysfs_root(), name) >= (int)sizeof(dir))
		return -ENAMETOOLONG;

	ret = read_algorithms(dir, info->algorithms, sizeof(info->algorithms));
	if (ret)
		return ret;
	ret = read_long(dir, "available_instances", 0, INT_MAX, &v);
	if (ret)
		return ret;
	info->available_instances = (int)v;
	ret = read_long(dir, "flags", 0, UINT_MAX, &v);
	if (ret)
		return ret;
	info->flags = (unsigned int)v;
	info->nosva = !(info->flags & UACCE_DEV_SVA);
	ret = read_attr(dir, "api", info->api, sizeof(info->api));
	if (ret)
		return ret;

	/* Optional attributes: absent is fine, malformed is not. */
	info->node_id = 0;
	ret = read_long(dir, "node_id", -1, 4095, &v);
	if (ret == -ENOENT)
		ret = read_long(dir, "device/numa_node", -1, 4095, &v);
	if (ret == 0)
		info->node_id = v < 0 ? 0 : (int)v; /* -1: no NUMA info, as in VMs */
	else if (ret != -ENOENT)
		return ret;
	ret = read_long(dir, "numa_distance", 0, 1000000, &v);
	if (ret == 0)
		info->numa_distance = (int)v;
	else if (ret != -ENOENT)
		return ret;
	ret = read_long(dir, "isolate", 0, INT_MAX, &v);
	if (ret == 0)
		info->isolated = v != 0;
	else if (ret != -ENOENT)
		return ret;
	ret = read_long(dir, "region_mmio_size", 0, LONG_MAX, &v);
	if (ret == 0)
		info->region_mmio_size = (unsigned long)v;
	else if (ret != -ENOENT)
		return ret;
	ret = read_long(dir, "region_dus_size", 0, LONG_MAX, &v);
	if (ret == 0)
		info->region_dus_size = (unsigned long)v;
	else if (ret != -ENOENT)
		return ret;
	return 0;
}

static int info_cmp(const void *a, const void *b)
{
	const struct wd_accel_info *x = a, *y = b;

	if (x->available_instances != y->available_instances)
		return x->available_instances > y->available_instances ? -1 : 1;
	return x->id - y->id;
}

/* Calls fn for every readable device; returns devices seen or -errno. */
static int for_each_device(int (*fn)(const struct wd_accel_info *, void *), void *data)
{
	DIR *d = opendir(wd_sysfs_root());
	struct dirent *e;
	int n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)) != NULL) {
		struct wd_accel_info info;

		if (e->d_name[0] == '.')
			continue;
		if (wd_accel_read(e->d_name, &info)) {
			wd_log(WD_LOG_DEBUG, "skipping %s/%s: unreadable or malformed",
			       wd_sysfs_root(), e->d_name);
			continue;
		}
		n++;
		if (fn(&info, data))
			break;
	}
	closedir(d);
	return n;
}

struct list_ctx {
	const char *alg;
	const wd_dev_mask_t *mask;
	int include_busy;
	struct wd_accel_info *out;
	int max, n;
};

static int list_one(const struct wd_accel_info *info, void *data)
{
	struct list_ctx *c = data;

	if (c->alg && !wd_word_in_list(info->algorithms, c->alg))
		return 0;
	if (c->mask && !wd_mask_is_empty(c->mask) && !wd_mask_test(c->mask, info->id))
		return 0;
	if (!c->include_busy && (info->isolated || info->available_instances <= 0))
		return 0;
	if (c->n < c->max)
		c->out[c->n] = *info;
	c->n++;
	return 0;
}

WD_EXPORT int wd_accel_list(const char *alg_name, const wd_dev_mask_t *mask,
			    int include_busy, struct wd_accel_info *out, int max)
{
	struct list_ctx c = { alg_name, mask, include_busy, out, max < 0 ? 0 : max, 0 };
	int ret;

	if (max > 0 && !out)
		return -EINVAL;
	ret = for_each_device(list_one, &c);
	if (ret < 0)
		return ret;
	if (out)
		qsort(out, (size_t)WD_MIN(c.n, c.max), sizeof(*out), info_cmp);
	return c.n;
}

struct mask_ctx {
	const char *alg;
	int node;
	wd_dev_mask_t *mask;
	int n;
};

static int mask_alg_one(const struct wd_accel_info *info, void *data)
{
	struct mask_ctx *c = data;

	if (wd_word_in_list(info->algorithms, c->alg) && !info->isolated) {
		wd_mask_set(c->mask, info->id);
		c->n++;
	}
	return 0;
}

WD_EXPORT int wd_get_accel_mask(const char *alg_name, wd_dev_mask_t *dev_mask)
{
	struct mask_ctx c = { alg_name, 0, dev_mask, 0 };
	int ret;

	if (!alg_name || !dev_mask)
		return -EINVAL;
	wd_mask_zero(dev_mask);
	ret = for_each_device(mask_alg_one, &c);
	if (ret < 0)
		return ret;
	return c.n ? 0 : -ENODEV;
}

struct find_ctx {
	int id;
	int node;
	int found;
};

static int find_one(const struct wd_accel_info *info, void *data)
{
	struct find_ctx *c = data;

	if (info->id != c->id)
		return 0;
	c->node = info->node_id;
	c->found = 1;
	return 1;
}

static int mask_node_one(const struct wd_accel_info *info, void *data)
{
	struct mask_ctx *c = data;

	if (info->node_id == c->node && !info->isolated) {
		wd_mask_set(c->mask, info->id);
		c->n++;
	}
	return 0;
}

WD_EXPORT int wd_get_numa_accel_mask(int id, wd_dev_mask_t *dev_mask)
{
	struct find_ctx f = { id, 0, 0 };
	struct mask_ctx c = { NULL, 0, dev_mask, 0 };
	int ret;

	if (!dev_mask || !id_ok(id))
		return -EINVAL;
	wd_mask_zero(dev_mask);
	ret = for_each_device(find_one, &f);
	if (ret < 0)
		return ret;
	if (!f.found)
		return -ENODEV;
	c.node = f.node;
	ret = for_each_device(mask_node_one, &c);
	if (ret < 0)
		return ret;
	return c.n ? 0 : -ENODEV;
}
