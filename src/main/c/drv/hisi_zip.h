/*
 * The HiSilicon ZIP engine's request format (SQE) and stream context.
 *
 * Public sources:
 *   [comp]  Linaro/uadk drv/hisi_comp.c (struct hisi_zip_sqe, fill_zip_comp_sqe,
 *           parse_zip_sqe, the ctx_buf layout)
 *   [v1]    Linaro/uadk v1/drv/hisi_zip_udrv.c (status names)
 * The emulated engine (emu/emu_hisi_zip.c) reads requests with the same
 * constants.  Values marked "project" are not published by HiSilicon and
 * are this project's choice, shared by the driver and the emulated engine.
 */
#ifndef WARPDRIVE_HISI_ZIP_H
#define WARPDRIVE_HISI_ZIP_H

#include <endian.h>
#include <stdint.h>

/* A request is 32 little-endian words [comp: struct hisi_zip_sqe]. */
#define HZ_SQE_WORDS 32
struct hz_sqe {
	uint32_t dw[HZ_SQE_WORDS];
};
_Static_assert(sizeof(struct hz_sqe) == 128, "ZIP SQE is 128 bytes");

static inline uint32_t hz_get(const struct hz_sqe *s, int i)
{
	return le32toh(s->dw[i]);
}

static inline void hz_set(struct hz_sqe *s, int i, uint32_t v)
{
	s->dw[i] = htole32(v);
}

/* Word indices [comp: struct hisi_zip_sqe]. */
enum {
	HZ_DW_CONSUMED = 0,     /* out */
	HZ_DW_PRODUCED = 1,     /* out */
	HZ_DW_COMP_LEN = 2,     /* out */
	HZ_DW_STATUS = 3,       /* out: status bits 7:0, lstblk bit 8 */
	HZ_DW_IN_LEN = 4,       /* input_data_length */
	HZ_DW_MODE = 7,         /* flush, stateful, new stream, sqe_type */
	HZ_DW_TYPE = 9,         /* req_type, buf_type, window */
	HZ_DW_TAG_V2 = 13,      /* tag for sqe_type 0 */
	HZ_DW_DEST_AVAIL = 14,  /* dest_avail_out */
	HZ_DW_CTX0 = 15,        /* ctx_dw0 (in/out) */
	HZ_DW_SRC_LO = 18,
	HZ_DW_SRC_HI = 19,
	HZ_DW_DST_LO = 20,
	HZ_DW_DST_HI = 21,
	HZ_DW_CTX_LO = 22,      /* stream_ctx_addr */
	HZ_DW_CTX_HI = 23,
	HZ_DW_TAG_V3 = 26,      /* tag for sqe_type 3 */
	HZ_DW_CTX1 = 28,        /* ctx_dw1 (in/out) */
	HZ_DW_CTX2 = 29,        /* ctx_dw2 (in/out) */
	HZ_DW_ISIZE = 30,       /* in/out */
	HZ_DW_CHECKSUM = 31,    /* in/out */
};

/* dw3 [comp: HZ_STATUS_MASK, HZ_LSTBLK_MASK]. */
#define HZ_STATUS_MASK 0xffu
#define HZ_LSTBLK 0x100u

/* dw7 [comp: STREAM_FLUSH_SHIFT 25, STREAM_MODE_SHIFT +1, STREAM_POS_SHIFT +2,
 * HZ_SQE_TYPE_V3 0x30000000]. */
#define HZ_MODE_FLUSH_FINISH (1u << 25)  /* 0: SYNC_FLUSH */
#define HZ_MODE_STATEFUL (1u << 26)
#define HZ_MODE_NEW_STREAM (1u << 27)
#define HZ_MODE_SQE_TYPE_SHIFT 28
#define HZ_MODE_SQE_TYPE_MASK 0xfu
#define HZ_SQE_TYPE_V2 0u
#define HZ_SQE_TYPE_V3 3u

/* dw9 [comp: HZ_REQ_TYPE_MASK, BUF_TYPE_SHIFT 8, WINDOW_SIZE_SHIFT 12]. */
#define HZ_TYPE_REQ_MASK 0xffu
#define HZ_TYPE_BUF_SHIFT 8
#define HZ_TYPE_BUF_MASK 0xfu
#define HZ_TYPE_WIN_SHIFT 12
#define HZ_TYPE_WIN_MASK 0xfu
#define HZ_BUF_FLAT 0u
#define HZ_BUF_SGL 1u

/* req_type [comp: enum alg_type]; raw deflate exists from QM v3 on. */
#define HZ_REQ_DEFLATE 0x01u
#define HZ_REQ_ZLIB 0x02u
#define HZ_REQ_GZIP 0x03u

/* Window codes [UADK wd_comp.h enum wd_comp_winsz_type: 4K, 8K, 16K, 24K, 32K]. */
#define HZ_WIN_4K 0u
#define HZ_WIN_32K 4u

/* ctx_dw0 [comp: HZ_CTX_ST_MASK, HZ_CTX_BFINAL_MASK]. */
#define HZ_CTX_ST_MASK 0xfu
#define HZ_CTX_BFINAL 0x80u

/* Statuses [comp, v1]. */
#define HZ_STATUS_OK 0x00u
#define HZ_STATUS_NEGACOMPRESS 0x0du /* output larger than input: success */
#define HZ_STATUS_DST_FULL 0x0eu     /* dest_avail_out insufficient */
#define HZ_STATUS_SRC_DIF_ERR 0x0fu
#define HZ_STATUS_CRC_ERR 0x10u      /* check value mismatch on decompression */
#define HZ_STATUS_DST_DIF_ERR 0x12u
#define HZ_STATUS_DECOMP_END 0x13u   /* with lstblk: end of the stream */
/*
 * project: corrupt compressed input.  HiSilicon does not publish its
 * decode-error codes (UADK reports every status outside 0, 0x0d, 0x13 as
 * "bad request"); the emulated engine reports corrupt data with this
 * value, and the driver maps it, with HZ_STATUS_CRC_ERR, to -EBADMSG.
 * Any other error status is an engine fault (-EIO).  On real hardware a
 * decode error therefore reads as an engine fault, which the library
 * handles the same way (software replays the stream and gives zlib's
 * verdict); only the statistics differ.
 */
#define HZ_STATUS_DECODE_ERR 0x11u

/* Limits [comp: HZ_MAX_SIZE 8 MiB per request; min_out_buf_size 1.125 x input;
 * SW_STOREBUF_TH: at least 200 bytes of output per stateful request]. */
#define HZ_MAX_SIZE (8u << 20)
#define HZ_MIN_OUT 200u

/*
 * Session context buffer [comp: HW_CTX_SIZE 0x10000, CTX_DW1_OFFSET 4,
 * CTX_DW2_OFFSET 8, RSV_OFFSET 64]: software copies of ctx_dw0..2 at the
 * start, the engine's own stream state from +64 (stream_ctx_addr).
 */
#define HZ_CTX_SIZE 0x10000u
#define HZ_CTX_DW0_OFF 0u
#define HZ_CTX_DW1_OFF 4u
#define HZ_CTX_DW2_OFF 8u
#define HZ_CTX_HW_OFF 64u
/* The engine's area must start on a 64-byte boundary (project: the
 * emulated engine rejects anything else, as DMA descriptors usually do). */
#define HZ_CTX_ALIGN 64u

#endif
