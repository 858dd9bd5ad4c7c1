/* Things the layers share that are not part of any public header. */
#ifndef WARPDRIVE_WD_INTERNAL_H
#define WARPDRIVE_WD_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <errno.h>

#define WD_EXPORT __attribute__((visibility("default")))
#define WD_MIN(a, b) ((a) < (b) ? (a) : (b))
#define WD_MAX(a, b) ((a) > (b) ? (a) : (b))
#define WD_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* DEFLATE's largest back-reference distance (RFC 1951 section 2.1). */
#define WD_HIST_SIZE 32768u

/* ---- logging: WD_LOG=0..3 (0 quiet, 1 warnings, default) ---------- */
enum { WD_LOG_QUIET = 0, WD_LOG_WARN = 1, WD_LOG_INFO = 2, WD_LOG_DEBUG = 3 };
void wd_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- configuration (lib/wd_config.c) ------------------------------ */
const char *wd_cfg_str(const char *key);        /* never NULL ("" if unset) */
long wd_cfg_long(const char *key, long dflt);
int wd_cfg_bool(const char *key, int dflt);
/* Bumped by every wd_config_set(); caches compare it to notice changes. */
unsigned wd_cfg_generation(void);

/* ---- small string helpers ----------------------------------------- */
/* Copies with truncation; always terminates (dst_size > 0). */
void wd_strlcpy(char *dst, const char *src, size_t dst_size);
/* 1 if `word` is one of the whitespace-separated words of `list`. */
int wd_word_in_list(const char *list, const char *word);
/* Splits "<driver>-<id>": returns id >= 0 and writes the driver name, or -1. */
int wd_split_dev_name(const char *name, char *drv, size_t drv_size);

/* ---- growable buffers ---------------------------------------------- */
/* Appends n bytes of p to *buf, which holds *len of its *cap bytes; a full
 * buffer grows to twice its size (to `first` when it has none), or to
 * what is needed if that is more.  Returns 0 or -ENOMEM (nothing changed). */
int wd_buf_append(unsigned char **buf, size_t *len, size_t *cap, const void *p, size_t n,
		  size_t first);

/* ---- checksums (zlib's, linked statically) ------------------------ */
uint32_t wd_adler32(uint32_t adler, const void *buf, size_t len);
uint32_t wd_crc32(uint32_t crc, const void *buf, size_t len);

/* ---- framing, as zlib writes it (lib/wd_frame.c) ----------------- */
/* alg is enum wd_comp_alg; returns the bytes written (0 for raw). */
size_t wd_frame_header(int alg, int level, int strategy, int window_bits, unsigned char out[10]);
size_t wd_frame_trailer(int alg, uint32_t check, uint32_t isize, unsigned char out[8]);

/* ---- the emulated device (emu/) ----------------------------------- */
/* Brings the emulated devices up once if `emulate` is configured;
 * 0 when nothing is configured or it is up, -errno if the spec is bad. */
int wd_emu_ensure(void);

/* ---- the built-in drivers ----------------------------------------- */
struct wd_alg_comp;
extern struct wd_alg_comp wd_sw_comp_drv;
extern struct wd_alg_comp wd_hisi_zip_drv;

#endif
