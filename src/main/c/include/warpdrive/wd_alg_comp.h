/*
 * The compression algorithm library, the vendor-driver side (seed 002,
 * "Bind Accelerator and Driver").  A driver fills one struct wd_alg_comp
 * and the library lists it; a session whose device name is
 * "<drv_name>-<id>" is bound to it.
 */
#ifndef WARPDRIVE_WD_ALG_COMP_H
#define WARPDRIVE_WD_ALG_COMP_H

#include "wd.h"
#include "wd_comp.h"

#ifdef __cplusplus
extern "C" {
#endif

enum wd_comp_alg {
	WD_ALG_DEFLATE = 0, /* raw RFC 1951 */
	WD_ALG_ZLIB = 1,    /* RFC 1950 */
	WD_ALG_GZIP = 2,    /* RFC 1952 */
};

enum wd_comp_dir {
	WD_DIR_COMPRESS = 0,
	WD_DIR_DECOMPRESS = 1,
};

/*
 * One request as a driver sees it.  The application's struct wd_comp_arg
 * is translated into this so that drivers never deal with in-out length
 * pointers or callbacks of the application.
 */
struct wd_comp_req {
	const unsigned char *src;
	size_t src_len;
	size_t consumed;        /* out */
	unsigned char *dst;
	size_t dst_len;
	size_t produced;        /* out */
	int dir;                /* enum wd_comp_dir */
	int flush;              /* enum wd_comp_flush */
	int stream;             /* 1: stream mode, history carried in the session */
	const unsigned char *dict; /* block mode priming (<= 32 KiB used) */
	size_t dict_len;
	int status;             /* out: enum wd_comp_status */
	int dst_keeps;          /* stream decompression: see wd_comp_arg */
	size_t dst_hist;
	int more;               /* out, stream decompression: the driver holds decoded
				 * output it will give without more input */
	int err;                /* async out: 0 or -errno */
	void (*done)(struct wd_comp_req *req); /* async: run by async_poll */
	void *opaque;           /* the library's */
	struct wd_comp_req *next; /* the library's */
};

/* The seed's struct wd_comp_sess; the fields after priv are extensions. */
struct wd_comp_sess {
	char alg_name[16];
	char node_path[WD_PATH_MAX];
	wd_dev_mask_t dev_mask;
	struct wd_alg_comp *drv;
	void *priv; /* the driver's session state */

	int alg;                      /* enum wd_comp_alg */
	char dev_name[WD_NAME_MAX];   /* "hisi_zip-0"; "software" for the software driver */
	int level;                    /* 0..9 (-1 already mapped to 6) */
	int strategy;                 /* 0..2 */
	int window_bits;              /* 9..15 */
	const char *msg;              /* the driver's message for its last error */
};

/*
 * Drivers with this capability give zlib's stream semantics themselves:
 * any dst size (down to 1 byte), NO_FLUSH, FULL_FLUSH, dictionaries,
 * params and checksums.  Without it (hardware), the library batches
 * input, holds pending output, keeps the checksum and the history a
 * software takeover needs, and sends only SYNC_FLUSH/FINISH requests.
 */
#define WD_DRV_CAP_ZLIB_STREAM 0x1u

/*
 * Driver return codes the library treats as "this device failed": it
 * moves the stream to the software driver (DESIGN section 5).
 *   -EIO        error status from the engine
 *   -ETIMEDOUT  no completion in time
 *   -ENODEV     the device went away
 *   -EBUSY      no free queue (before the stream started on the device)
 *   -ENOTSUP    a stream feature the device lacks (e.g. a zlib dictionary)
 * -EBADMSG is corrupt input and is reported, not retried.
 */
struct wd_alg_comp {
	const char *drv_name;
	const char *algo_name; /* space separated: "deflate zlib gzip" */
	int (*init)(struct wd_comp_sess *sess);
	void (*exit)(struct wd_comp_sess *sess);
	int (*deflate)(struct wd_comp_sess *sess, struct wd_comp_req *req);
	int (*inflate)(struct wd_comp_sess *sess, struct wd_comp_req *req);
	/* Completes finished async requests by calling req->done; returns the
	 * number still in flight (0: none). */
	int (*async_poll)(struct wd_comp_sess *sess);

	/* Extensions; any may be NULL unless caps requires it. */
	unsigned int caps;
	int (*set_dict)(struct wd_comp_sess *sess, int dir, const void *dict, size_t len);
	int (*params)(struct wd_comp_sess *sess, struct wd_comp_req *req, int level, int strategy);
	void (*reset)(struct wd_comp_sess *sess, int dir);
	uint32_t (*checksum)(struct wd_comp_sess *sess, int dir);
	/* Stream takeover (software driver): start a raw stream of `dir` in
	 * mid-flight, primed with the last bytes of history. */
	int (*resume)(struct wd_comp_sess *sess, int dir, const void *hist, size_t len);
};

/* Adds a driver to the library's list (built-in drivers are listed at
 * start-up).  -EEXIST if the name is taken, -ENOSPC if the list is full. */
int wd_alg_comp_register(struct wd_alg_comp *drv);
struct wd_alg_comp *wd_alg_comp_find(const char *drv_name);

#ifdef __cplusplus
}
#endif
#endif
