/*
 * libaccel on fake sysfs trees built in a temp dir: hundreds of devices
 * over several NUMA nodes, ids libaccel cannot represent, and attribute
 * files that are junk, malformed or missing.  Also the mask helpers.
 */
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "warpdrive/wd.h"
#include "warpdrive/wd_accel.h"
#include "warpdrive/wd_comp.h"
#include "test_util.h"
#include "wd_internal.h"

#define ZIPS 300    /* hisi_zip-0 .. -299 */
#define SECS 40     /* hisi_sec2-300 .. -339: other algorithms */
#define NODES 4

static char root[256];

/* ---- building trees ------------------------------------------------------------- */

static void put(const char *dev, const char *name, const char *fmt, ...)
{
	char path[1024];
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", root, dev, name);
	f = fopen(path, "w");
	if (!f)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

static void mkdev(const char *dev)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", root, dev);
	mkdir(path, 0755);
}

/* A well-formed device, as the kernel prints it. */
static void good_dev(const char *dev, const char *algs, int node, int avail, int isolate)
{
	mkdev(dev);
	put(dev, "api", "hisi_qm_v3\n");
	put(dev, "algorithms", "%s", algs);
	put(dev, "flags", "1\n");
	put(dev, "available_instances", "%d\n", avail);
	put(dev, "node_id", "%d\n", node);
	put(dev, "numa_distance", "10\n");
	put(dev, "isolate", "%d\n", isolate);
	put(dev, "region_mmio_size", "8192\n");
	put(dev, "region_dus_size", "151552\n");
}

static int zip_avail(int i)
{
	return (i * 7) % 50; /* 0 for every 50th: busy */
}

static int zip_isolated(int i)
{
	return i % 97 == 5;
}

static void junk_devs(void)
{
	char big[6000];

	good_dev("hisi_zip-512", "zlib\n", 0, 9, 0);   /* beyond MAX_ACCELS */
	good_dev("hisi_zip-99999", "zlib\n", 0, 9, 0);
	good_dev("hisi_zip", "zlib\n", 0, 9, 0);       /* no id */
	good_dev("hisi_zip-12x", "zlib\n", 0, 9, 0);
	good_dev(".hisi_zip-400", "zlib\n", 0, 9, 0);
	good_dev("junk_avail-401", "zlib\n", 0, 9, 0);
	put("junk_avail-401", "available_instances", "lots\n");
	good_dev("junk_flags-402", "zlib\n", 0, 9, 0);
	put("junk_flags-402", "flags", "-1\n");
	good_dev("no_api-403", "zlib\n", 0, 9, 0);
	{
		char p[1024];

		snprintf(p, sizeof(p), "%s/no_api-403/api", root);
		unlink(p);
	}
	good_dev("empty_algs-404", "", 0, 9, 0);
	good_dev("nul_algs-405", "zlib\n", 0, 9, 0);
	{
		char p[1024];
		int fd;

		snprintf(p, sizeof(p), "%s/nul_algs-405/algorithms", root);
		fd = open(p, O_WRONLY | O_TRUNC);
		if (write(fd, "zl\0ib\n", 6) != 6)
			perror("write");
		close(fd);
	}
	good_dev("huge_algs-406", "zlib\n", 0, 9, 0);
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	put("huge_algs-406", "algorithms", "%s\n", big);
	good_dev("bad_node-407", "zlib\n", 0, 9, 0);
	put("bad_node-407", "node_id", "north\n");
	mkdev("empty_dir-408");
	good_dev("vm_numa-409", "zlib\n", 0, 9, 0);  /* node from device/numa_node, -1 = 0 */
	{
		char p[1024];

		snprintf(p, sizeof(p), "%s/vm_numa-409/node_id", root);
		unlink(p);
		snprintf(p, sizeof(p), "%s/vm_numa-409/device", root);
		mkdir(p, 0755);
	}
	put("vm_numa-409", "device/numa_node", "-1\n");
	put("", "stray_file-410", "not a directory\n");
}

static void build_tree(void)
{
	char name[64];

	snprintf(root, sizeof(root), "%s/wd_test_accel_XXXXXX",
		 getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		exit(1);
	}
	for (int i = 0; i < ZIPS; i++) {
		snprintf(name, sizeof(name), "hisi_zip-%d", i);
		good_dev(name, i % 3 ? "deflate\nzlib\ngzip\n" : "zlib\ngzip\n", i % NODES,
			 zip_avail(i), zip_isolated(i));
	}
	for (int i = ZIPS; i < ZIPS + SECS; i++) {
		snprintf(name, sizeof(name), "hisi_sec2-%d", i);
		good_dev(name, "cipher\ndigest\n", i % NODES, 30, 0);
	}
	junk_devs();
	wd_config_set("emulate", "");
	wd_config_set("sysfs", root);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* ---- discovery ------------------------------------------------------------------------ */

static void masks_select_by_algorithm(void)
{
	wd_dev_mask_t m;
	int want = 0;

	CHECK_EQ(wd_get_accel_mask("zlib", &m), 0);
	for (int i = 0; i < ZIPS; i++) {
		CHECK_EQ(wd_mask_test(&m, i), !zip_isolated(i));
		want += !zip_isolated(i);
	}
	/* junk devices with a good id and good attributes: only vm_numa-409 */
	CHECK_EQ(wd_mask_test(&m, 409), 1);
	for (int i = 400; i < 409; i++)
		CHECK_EQ(wd_mask_test(&m, i), 0);
	CHECK_EQ(wd_mask_count(&m), want + 1);

	CHECK_EQ(wd_get_accel_mask("deflate", &m), 0);
	for (int i = 0; i < ZIPS; i++)
		CHECK_EQ(wd_mask_test(&m, i), i % 3 != 0 && !zip_isolated(i));
	CHECK_EQ(wd_get_accel_mask("cipher", &m), 0);
	CHECK_EQ(wd_mask_count(&m), SECS);
	CHECK_EQ(wd_get_accel_mask("lz4", &m), -ENODEV);
	CHECK(wd_mask_is_empty(&m));
	CHECK_EQ(wd_get_accel_mask(NULL, &m), -EINVAL);
}

static void numa_masks_group_by_node(void)
{
	wd_dev_mask_t m;

	for (int id = 0; id < NODES; id++) {
		int want = 0;

		CHECK_EQ(wd_get_numa_accel_mask(id, &m), 0);
		for (int i = 0; i < ZIPS + SECS; i++) {
			int same = i % NODES == id && !(i < ZIPS && zip_isolated(i));

			CHECK_EQ(wd_mask_test(&m, i), same);
			want += same;
		}
		/* vm_numa-409 has no node_id and numa_node -1: node 0 */
		want += id == 0;
		CHECK_EQ(wd_mask_test(&m, 409), id == 0);
		CHECK_EQ(wd_mask_count(&m), want);
	}
	CHECK_EQ(wd_get_numa_accel_mask(450, &m), -ENODEV);
	CHECK_EQ(wd_get_numa_accel_mask(512, &m), -EINVAL);
	CHECK_EQ(wd_get_numa_accel_mask(-1, &m), -EINVAL);
	CHECK_EQ(wd_get_numa_accel_mask(0, NULL), -EINVAL);
}

static void lists_put_the_freest_first(void)
{
	static struct wd_accel_info list[600];
	wd_dev_mask_t m;
	int n, want = 0;

	for (int i = 0; i < ZIPS; i++)
		want += i % 3 != 0 && zip_avail(i) > 0 && !zip_isolated(i);
	n = wd_accel_list("deflate", NULL, 0, list, 600);
	CHECK_EQ(n, want);
	for (int i = 1; i < n; i++) {
		CHECK(list[i - 1].available_instances >= list[i].available_instances);
		if (list[i - 1].available_instances == list[i].available_instances)
			CHECK(list[i - 1].id < list[i].id);
	}
	for (int i = 0; i < n; i++) {
		CHECK(list[i].available_instances > 0 && !list[i].isolated);
		CHECK_EQ(strcmp(list[i].driver, "hisi_zip"), 0);
		CHECK_EQ(list[i].node_id, list[i].id % NODES);
		CHECK_EQ(list[i].region_dus_size, 151552);
		CHECK_EQ(list[i].nosva, 0);
	}
	/* busy and isolated ones only on request */
	CHECK(wd_accel_list("deflate", NULL, 1, list, 600) > n);
	/* a short array still reports how many there are */
	CHECK_EQ(wd_accel_list("deflate", NULL, 0, list, 3), want);
	CHECK(list[0].available_instances >= list[2].available_instances);
	CHECK_EQ(wd_accel_list("deflate", NULL, 0, NULL, 0), want);
	CHECK_EQ(wd_accel_list("deflate", NULL, 0, NULL, 5), -EINVAL);
	/* a mask narrows the list */
	CHECK_EQ(wd_mask_parse("1-2,4,600", &m), -EINVAL);
	CHECK_EQ(wd_mask_parse("1-2,4,300-310", &m), 0);
	n = wd_accel_list(NULL, &m, 0, list, 600);
	CHECK_EQ(n, 3 + 11);
	n = wd_accel_list("deflate", &m, 0, list, 600);
	CHECK_EQ(n, 3); /* 1, 2, 4 */
}

static void one_device_reads_back(void)
{
	struct wd_accel_info info;

	CHECK_EQ(wd_accel_read("hisi_zip-7", &info), 0);
	CHECK_EQ(info.id, 7);
	CHECK_EQ(info.available_instances, zip_avail(7));
	CHECK_EQ(strcmp(info.algorithms, "deflate zlib gzip"), 0);
	CHECK_EQ(strcmp(info.api, "hisi_qm_v3"), 0);
	CHECK_EQ(info.numa_distance, 10);
	CHECK_EQ(info.region_mmio_size, 8192);
	CHECK(wd_accel_read("junk_avail-401", &info) < 0);
	CHECK(wd_accel_read("nul_algs-405", &info) < 0);
	CHECK(wd_accel_read("huge_algs-406", &info) < 0);
	CHECK(wd_accel_read("empty_dir-408", &info) < 0);
	CHECK_EQ(wd_accel_read("hisi_zip-512", &info), -EINVAL);
	CHECK_EQ(wd_accel_read("hisi_zip-450", &info), -ENOENT);
	CHECK_EQ(wd_accel_read(NULL, &info), -EINVAL);
}

static void a_missing_class_dir_is_an_error(void)
{
	wd_dev_mask_t m;
	struct wd_accel_info list[2];

	wd_config_set("sysfs", "/nonexistent/class/uacce");
	CHECK_EQ(wd_get_accel_mask("zlib", &m), -ENOENT);
	CHECK_EQ(wd_accel_list("zlib", NULL, 0, list, 2), -ENOENT);
	CHECK_EQ(wd_get_numa_accel_mask(0, &m), -ENOENT);
	wd_config_set("sysfs", root);
}

/* ---- masks --------------------------------------------------------------------------------- */

static void mask_helpers(void)
{
	wd_dev_mask_t a, b, c;

	wd_mask_zero(&a);
	CHECK(wd_mask_is_empty(&a));
	wd_mask_set(&a, 0);
	wd_mask_set(&a, 31);
	wd_mask_set(&a, 32);
	wd_mask_set(&a, 511);
	wd_mask_set(&a, 512); /* ignored */
	wd_mask_set(&a, -1);  /* ignored */
	CHECK_EQ(wd_mask_count(&a), 4);
	CHECK_EQ(a.mask[0], 0x80000001u);
	CHECK_EQ(a.mask[1], 1u);
	CHECK_EQ(a.mask[15], 0x80000000u);
	CHECK_EQ(wd_mask_test(&a, 512), 0);
	CHECK_EQ(wd_mask_test(&a, -5), 0);
	wd_mask_clear(&a, 31);
	CHECK_EQ(wd_mask_test(&a, 31), 0);
	wd_mask_fill(&b);
	CHECK_EQ(wd_mask_count(&b), MAX_ACCELS);
	wd_mask_and(&c, &a, &b);
	CHECK(!memcmp(&c, &a, sizeof(c)));
	wd_mask_zero(&b);
	wd_mask_set(&b, 100);
	wd_mask_or(&c, &a, &b);
	CHECK_EQ(wd_mask_count(&c), 4);
	wd_mask_and(&c, &a, &b);
	CHECK(wd_mask_is_empty(&c));
}

static void mask_lists_parse(void)
{
	static const char *const bad[] = { "1-", "-1", "3-2", "512", "a", "1;2", "0-512", "7x" };
	wd_dev_mask_t m;

	CHECK_EQ(wd_mask_parse("0,2-3,17", &m), 0);
	CHECK_EQ(wd_mask_count(&m), 4);
	CHECK(wd_mask_test(&m, 0) && wd_mask_test(&m, 2) && wd_mask_test(&m, 3) &&
	      wd_mask_test(&m, 17));
	CHECK_EQ(wd_mask_parse("", &m), 0);
	CHECK(wd_mask_is_empty(&m));
	CHECK_EQ(wd_mask_parse(" 5 , 9 ", &m), 0);
	CHECK_EQ(wd_mask_count(&m), 2);
	CHECK_EQ(wd_mask_parse("0-511", &m), 0);
	CHECK_EQ(wd_mask_count(&m), MAX_ACCELS);
	for (size_t i = 0; i < WD_ARRAY_SIZE(bad); i++) {
		wd_mask_set(&m, 1);
		CHECK_EQ(wd_mask_parse(bad[i], &m), -EINVAL);
		CHECK(wd_mask_test(&m, 1)); /* untouched on error */
	}
	CHECK_EQ(wd_mask_parse(NULL, &m), -EINVAL);
}

int main(void)
{
	build_tree();
	RUN(masks_select_by_algorithm);
	RUN(numa_masks_group_by_node);
	RUN(lists_put_the_freest_first);
	RUN(one_device_reads_back);
	RUN(a_missing_class_dir_is_an_error);
	RUN(mask_helpers);
	RUN(mask_lists_parse);
	wd_config_set("sysfs", "/nonexistent");
	CHECK_EQ(nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
	return test_report();
}
