/* Logging, configuration and small helpers shared by every layer. */
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "warpdrive/wd_comp.h"
#include "wd_internal.h"

void wd_log(int level, const char *fmt, ...)
{
	static int threshold = -1;
	va_list ap;

	if (threshold < 0) {
		const char *v = getenv("WD_LOG");
		threshold = v && *v ? atoi(v) : WD_LOG_WARN;
	}
	if (level > threshold)
		return;
	va_start(ap, fmt);
	fputs("warpdrive: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ---- configuration ------------------------------------------------- */

struct cfg_key {
	const char *key;
	const char *env;
	char value[512];
	int set;
};

static struct cfg_key cfg_keys[] = {
	{ "sysfs", "WD_SYSFS_ROOT", "", 0 },
	{ "dev", "WD_DEV_ROOT", "", 0 },
	{ "emulate", "WD_EMULATE", "", 0 },
	{ "fallback", "WD_FALLBACK", "", 0 },
	{ "devices", "WD_DEVICES", "", 0 },
	{ "threshold", "WD_HW_THRESHOLD", "", 0 },
	{ "threads", "WD_THREADS", "", 0 },
	{ "isal", "WD_ISAL_PATH", "", 0 },
	{ "retain", "WD_HW_RETAIN", "", 0 },
	{ "engine", "WD_ENGINE", "", 0 },
	{ "timeout", "WD_HW_TIMEOUT", "", 0 },
};

static pthread_mutex_t cfg_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned cfg_gen = 1;

static struct cfg_key *cfg_find(const char *key)
{
	for (size_t i = 0; i < WD_ARRAY_SIZE(cfg_keys); i++)
		if (strcmp(cfg_keys[i].key, key) == 0)
			return &cfg_keys[i];
	return NULL;
}

WD_EXPORT int wd_config_set(const char *key, const char *value)
{
	struct cfg_key *k;

	if (!key || !value)
		return -EINVAL;
	k = cfg_find(key);
	if (!k || strlen(value) >= sizeof(k->value))
		return -EINVAL;
	pthread_mutex_lock(&cfg_lock);
	wd_strlcpy(k->value, value, sizeof(k->value));
	k->set = 1;
	__atomic_add_fetch(&cfg_gen, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&cfg_lock);
	return 0;
}

/*
 * Returns a pointer into the key's own storage; a later wd_config_set()
 * may rewrite it, so callers copy what they keep.  Settings are meant to
 * be made once at start-up, before sessions exist.
 */
WD_EXPORT const char *wd_config_get(const char *key)
{
	struct cfg_key *k = key ? cfg_find(key) : NULL;
	const char *env;

	if (!k)
		return "";
	if (k->set)
		return k->value;
	env = getenv(k->env);
	return env ? env : "";
}

const char *wd_cfg_str(const char *key)
{
	return wd_config_get(key);
}

long wd_cfg_long(const char *key, long dflt)
{
	const char *v = wd_cfg_str(key);
	char *end;
	long n;

	if (!*v)
		return dflt;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end) {
		wd_log(WD_LOG_WARN, "ignoring %s=\"%s\": not a number", key, v);
		return dflt;
	}
	return n;
}

int wd_cfg_bool(const char *key, int dflt)
{
	const char *v = wd_cfg_str(key);

	if (!*v)
		return dflt;
	if (!strcmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "no") ||
	    !strcasecmp(v, "off"))
		return 0;
	return 1;
}

unsigned wd_cfg_generation(void)
{
	return __atomic_load_n(&cfg_gen, __ATOMIC_SEQ_CST);
}

/* ---- strings ---------------------------------------------------------- */

void wd_strlcpy(char *dst, const char *src, size_t dst_size)
{
	size_t n = strlen(src);

	if (n >= dst_size)
		n = dst_size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int wd_word_in_list(const char *list, const char *word)
{
	size_t wl = strlen(word);
	const char *p = list;

	if (!wl)
		return 0;
	while (*p) {
		const char *e;

		while (*p && isspace((unsigned char)*p))
			p++;
		e = p;
		while (*e && !isspace((unsigned char)*e))
			e++;
		if ((size_t)(e - p) == wl && !memcmp(p, word, wl))
			return 1;
		p = e;
	}
	return 0;
}

int wd_buf_append(unsigned char **buf, size_t *len, size_t *cap, const void *p, size_t n,
		  size_t first)
{
	if (*len + n > *cap) {
		size_t want = WD_MAX(*len + n, *cap ? *cap * 2 : first);
		unsigned char *q = realloc(*buf, want);

		if (!q)
			return -ENOMEM;
		*buf = q;
		*cap = want;
	}
	if (n)
		memcpy(*buf + *len, p, n);
	*len += n;
	return 0;
}

int wd_split_dev_name(const char *name, char *drv, size_t drv_size)
{
	const char *dash = strrchr(name, '-');
	const char *p;
	long id = 0;

	if (!dash || dash == name || !dash[1])
		return -1;
	for (p = dash + 1; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		id = id * 10 + (*p - '0');
		if (id > 1000000)
			return -1;
	}
	if ((size_t)(dash - name) >= drv_size)
		return -1;
	memcpy(drv, name, (size_t)(dash - name));
	drv[dash - name] = '\0';
	return (int)id;
}

/* ---- checksums -------------------------------------------------------- */

/* zlib takes uInt lengths: feed it in pieces so size_t lengths are safe. */
uint32_t wd_adler32(uint32_t adler, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len) {
		uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;

		adler = (uint32_t)adler32(adler, p, n);
		p += n;
		len -= n;
	}
	return adler;
}

uint32_t wd_crc32(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len) {
		uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;

		crc = (uint32_t)crc32(crc, p, n);
		p += n;
		len -= n;
	}
	return crc;
}
