/* Placeholder until the HiSilicon ZIP driver lands (issue 5). */
#include "warpdrive/wd_alg_comp.h"
#include "../lib/wd_internal.h"

static int hz_init(struct wd_comp_sess *sess) { return -ENODEV; }
static void hz_exit(struct wd_comp_sess *sess) { }
static int hz_op(struct wd_comp_sess *sess, struct wd_comp_req *req) { return -ENODEV; }

struct wd_alg_comp wd_hisi_zip_drv = {
	.drv_name = "hisi_zip",
	.algo_name = "deflate zlib gzip",
	.init = hz_init,
	.exit = hz_exit,
	.deflate = hz_op,
	.inflate = hz_op,
};
