/*
 * ISA-L for the software driver: the fastest engine Debian ships for
 * DEFLATE level 1, and its Adler-32 and CRC-32.  Debian has no static
 * archive of it, so it is loaded at run time (the jar carries a copy; Java
 * passes its path as config "isal"); without it level 1 runs on zlib.
 * (Decompression is our own decoder's, sw_dec.c.)
 */
#include <dlfcn.h>
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/wd_internal.h"
#include "sw_int.h"

/* Level 1's work buffer: the extra-large one is ~5% faster than the
 * default on our corpus at the same ratio (0.5 MiB, allocated only for
 * level-1 streams). */
#define SW_ISAL_LVLBUF ISAL_DEF_LVL1_EXTRA_LARGE

static struct {
	void (*deflate_init)(struct isal_zstream *);
	int (*deflate)(struct isal_zstream *);
	uint32_t (*adler32)(uint32_t, const unsigned char *, uint64_t);
	uint32_t (*crc32)(uint32_t, const unsigned char *, uint64_t);
	int ok;
} isal;
static pthread_once_t isal_once = PTHREAD_ONCE_INIT;

static void isal_load(void)
{
	const char *path = wd_cfg_str("isal");
	void *h;

	if (!strcmp(wd_cfg_str("engine"), "zlib"))
		return;
	h = dlopen(*path ? path : "libisal.so.2", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		wd_log(WD_LOG_INFO, "ISA-L not loaded (%s): zlib serves level 1", dlerror());
		return;
	}
	*(void **)&isal.deflate_init = dlsym(h, "isal_deflate_init");
	*(void **)&isal.deflate = dlsym(h, "isal_deflate");
	*(void **)&isal.adler32 = dlsym(h, "isal_adler32");
	*(void **)&isal.crc32 = dlsym(h, "crc32_gzip_refl");
	if (!isal.deflate_init || !isal.deflate || !isal.adler32 || !isal.crc32) {
		wd_log(WD_LOG_WARN, "ISA-L at %s lacks a symbol we need; zlib serves level 1", *path ? path : "libisal.so.2");
		dlclose(h);
		return;
	}
	isal.ok = 1;
}

int sw_isal_available(void)
{
	pthread_once(&isal_once, isal_load);
	return isal.ok;
}

uint32_t sw_isal_adler32(uint32_t adler, const unsigned char *p, size_t n)
{
	return sw_isal_available() ? isal.adler32(adler, p, n) : wd_adler32(adler, p, n);
}

uint32_t sw_isal_crc32(uint32_t crc, const unsigned char *p, size_t n)
{
	return sw_isal_available() ? isal.crc32(crc, p, n) : wd_crc32(crc, p, n);
}

void sw_isal_free(struct sw_stream *s)
{
	free(s->iz);
	free(s->lvlbuf);
	free(s->spill);
	s->spill = NULL;
	s->spill_pos = s->spill_len = 0;
	s->iz = NULL;
	s->lvlbuf = NULL;
}

/* ---- compression --------------------------------------------------------- */

int sw_isal_deflate_start(struct wd_comp_sess *sess, struct sw_stream *s, int level)
{
	/* ISA-L's SIMD code wants its state cache-line aligned */
	if (!s->iz && posix_memalign((void **)&s->iz, 64, sizeof(*s->iz)))
		s->iz = NULL;
	if (!s->lvlbuf && posix_memalign((void **)&s->lvlbuf, 64, SW_ISAL_LVLBUF))
		s->lvlbuf = NULL;
	if (!s->iz || !s->lvlbuf) {
		sess->msg = "out of memory";
		return -ENOMEM;
	}
	isal.deflate_init(s->iz);
	s->iz->level = (uint32_t)level;
	s->iz->level_buf = s->lvlbuf;
	s->iz->level_buf_size = SW_ISAL_LVLBUF;
	s->iz->gzip_flag = IGZIP_DEFLATE; /* raw: the framing is the driver's */
	s->isal_level = level;
	s->flushing = 0;
	s->engine = SW_ISAL;
	return 0;
}

int sw_isal_deflate(struct sw_stream *s, const unsigned char *in, size_t n, unsigned char *out,
		    size_t room, int flush, size_t *consumed, size_t *produced, int *ended)
{
	struct isal_zstream *z = s->iz;
	int ret;

	z->next_in = (uint8_t *)in;
	z->avail_in = (uint32_t)n;
	z->next_out = out;
	z->avail_out = (uint32_t)room;
	z->flush = flush == WD_SYNC_FLUSH ? SYNC_FLUSH : flush == WD_FULL_FLUSH ? FULL_FLUSH : NO_FLUSH;
	z->end_of_stream = flush == WD_FINISH;
	ret = isal.deflate(z);
	*consumed = n - z->avail_in;
	*produced = room - z->avail_out;
	*ended = z->internal_state.state == ZSTATE_END;
	return ret == COMP_OK ? 0 : -EINVAL;
}

int sw_isal_deflate_idle(const struct sw_stream *s)
{
	const struct isal_zstate *st = &s->iz->internal_state;

	/* between blocks, with nothing buffered for output */
	return (st->state == ZSTATE_NEW_HDR || st->state == ZSTATE_TMP_NEW_HDR) &&
	       st->tmp_out_start == st->tmp_out_end && st->bitbuf.m_bit_count == 0;
}
