/*
 * libaccel's sysfs parser on attribute contents from the fuzz input: a
 * fake UACCE class directory (the `sysfs` config key) is filled with up
 * to four devices whose names and attribute files come from the input,
 * then every reader runs over it: the mask functions, the device list,
 * one-device reads, the `devices` text of the flat API, and the mask
 * list parser on a string from the input.  Nothing may crash, leak or
 * read outside a buffer, and what comes back must be self-consistent.
 *
 * Input layout: byte 0 device count (mod 4, plus 1); per device a name
 * choice byte and id byte, then for each attribute in attrs[] a length
 * byte (255: file absent) and that many content bytes; the rest is a
 * mask list string.
 */
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "warpdrive/wd_accel.h"
#include "warpdrive/wd_comp.h"
#include "warpdrive/wd_stream.h"
#include "fuzz_util.h"

#define MAX_DEVS 4

static const char *const attrs[] = { "algorithms",   "available_instances", "flags",
				     "api",          "node_id",             "numa_distance",
				     "isolate",      "region_mmio_size",    "region_dus_size",
				     "device/numa_node" };
static const char *const drivers[] = { "hisi_zip", "hisi_sec2", "x", "hisi_zip-", "a-b" };
static char root[256];

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void remove_root(void)
{
	nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	snprintf(root, sizeof(root), "%s/wd_fuzz_sysfs_XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root))
		abort();
	atexit(remove_root);
	FZ_ASSERT(wds_config_set("emulate", "") == 0);
	FZ_ASSERT(wds_config_set("sysfs", root) == 0);
	return 0;
}

static void write_file(const char *path, const uint8_t *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return;
	if (n && write(fd, p, n) != (ssize_t)n)
		abort();
	close(fd);
}

/* Builds one device directory; returns 0 if the name could not be made. */
static int make_device(struct fz *f, char *name, size_t size)
{
	char path[1024];
	unsigned pick = fz_byte(f), id = fz_byte(f);

	/* ids around MAX_ACCELS and names without an id on purpose */
	if (pick & 0x80)
		snprintf(name, size, "%s", drivers[pick % 5]);
	else
		snprintf(name, size, "%s-%u", drivers[pick % 5], id * ((pick >> 3) % 4 + 1));
	snprintf(path, sizeof(path), "%s/%s", root, name);
	if (mkdir(path, 0755) && errno != EEXIST)
		return 0;
	snprintf(path, sizeof(path), "%s/%s/device", root, name);
	mkdir(path, 0755);
	for (size_t a = 0; a < sizeof(attrs) / sizeof(attrs[0]); a++) {
		unsigned len = fz_byte(f);
		const uint8_t *p;
		size_t n;

		if (len == 255)
			continue;
		n = fz_take(f, len, &p);
		snprintf(path, sizeof(path), "%s/%s/%s", root, name, attrs[a]);
		write_file(path, p, n);
	}
	return 1;
}

static void check_list(void)
{
	static struct wd_accel_info list[MAX_DEVS + 1];
	int n = wd_accel_list(NULL, NULL, 1, list, MAX_DEVS + 1);

	FZ_ASSERT(n >= 0 && n <= MAX_DEVS);
	for (int i = 0; i < n; i++) {
		struct wd_accel_info again;

		/* strings are terminated inside their arrays */
		FZ_ASSERT(memchr(list[i].name, 0, sizeof(list[i].name)));
		FZ_ASSERT(memchr(list[i].api, 0, sizeof(list[i].api)));
		FZ_ASSERT(memchr(list[i].algorithms, 0, sizeof(list[i].algorithms)));
		FZ_ASSERT(list[i].id >= 0 && list[i].id < MAX_ACCELS);
		FZ_ASSERT(list[i].available_instances >= 0);
		if (i)
			FZ_ASSERT(list[i - 1].available_instances >= list[i].available_instances);
		FZ_ASSERT(wd_accel_read(list[i].name, &again) == 0);
		FZ_ASSERT(again.id == list[i].id);
	}
	/* a short array still counts them all */
	FZ_ASSERT(wd_accel_list(NULL, NULL, 1, list, 1) == n);
	FZ_ASSERT(wd_accel_list("zlib", NULL, 0, NULL, 0) <= n);
}

static void check_masks(const uint8_t *rest, size_t n)
{
	char *s = malloc(n + 1);
	wd_dev_mask_t m, numa;
	char buf[512];
	int len;

	FZ_ASSERT(s);
	memcpy(s, rest, n);
	s[n] = '\0';
	if (wd_mask_parse(s, &m) == 0) {
		struct wd_accel_info list[MAX_DEVS];
		int c = wd_accel_list(NULL, &m, 1, list, MAX_DEVS);

		FZ_ASSERT(c >= 0);
		for (int i = 0; i < c && i < MAX_DEVS; i++)
			FZ_ASSERT(wd_mask_is_empty(&m) || wd_mask_test(&m, list[i].id));
	}
	free(s);
	if (wd_get_accel_mask("zlib", &m) == 0)
		FZ_ASSERT(!wd_mask_is_empty(&m));
	for (int id = 0; id < MAX_ACCELS; id++)
		if (wd_mask_test(&m, id) && wd_get_numa_accel_mask(id, &numa) == 0)
			FZ_ASSERT(wd_mask_test(&numa, id) || wd_mask_count(&numa) > 0);
	FZ_ASSERT(wd_get_numa_accel_mask(-1, &numa) == -EINVAL);
	len = wds_devices(buf, sizeof(buf));
	FZ_ASSERT(len >= 1);
	FZ_ASSERT(strlen(buf) < sizeof(buf));
	FZ_ASSERT(wds_devices(NULL, 0) == len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	unsigned ndev = fz_byte(&f) % MAX_DEVS + 1;
	char names[MAX_DEVS][64];
	struct wd_accel_info info;

	for (unsigned i = 0; i < ndev; i++)
		if (!make_device(&f, names[i], sizeof(names[i])))
			names[i][0] = '\0';
	check_list();
	check_masks(f.p, f.n);
	for (unsigned i = 0; i < ndev; i++)
		if (names[i][0])
			(void)wd_accel_read(names[i], &info);
	/* empty the class directory for the next input */
	nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	FZ_ASSERT(mkdir(root, 0755) == 0);
	return 0;
}
