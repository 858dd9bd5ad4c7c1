/*
 * zlib (RFC 1950) and gzip (RFC 1952) framing written the way zlib's own
 * deflate writes it, so a stream looks the same whichever engine made its
 * body: the hardware adapter and the software driver's raw engines use it.
 */
#include <zlib.h>

#include "warpdrive/wd_alg_comp.h"
#include "wd_internal.h"

#define GZ_OS_UNIX 3

size_t wd_frame_header(int alg, int level, int strategy, int window_bits, unsigned char out[10])
{
	if (level < 0)
		level = 6;
	if (alg == WD_ALG_ZLIB) {
		unsigned h = (Z_DEFLATED + ((unsigned)(window_bits - 8) << 4)) << 8;
		unsigned flevel;

		/* FLEVEL as zlib derives it from the level and strategy */
		if (strategy >= Z_HUFFMAN_ONLY || level < 2)
			flevel = 0;
		else if (level < 6)
			flevel = 1;
		else if (level == 6)
			flevel = 2;
		else
			flevel = 3;
		h |= flevel << 6;
		h += 31 - (h % 31);
		out[0] = (unsigned char)(h >> 8);
		out[1] = (unsigned char)h;
		return 2;
	}
	if (alg == WD_ALG_GZIP) {
		out[0] = 0x1f;
		out[1] = 0x8b;
		out[2] = Z_DEFLATED;
		out[3] = 0;                            /* no FNAME, FCOMMENT, ... */
		out[4] = out[5] = out[6] = out[7] = 0; /* MTIME unknown */
		out[8] = level == 9 ? 2 : (strategy >= Z_HUFFMAN_ONLY || level < 2) ? 4 : 0;
		out[9] = GZ_OS_UNIX;
		return 10;
	}
	return 0;
}

size_t wd_frame_trailer(int alg, uint32_t check, uint32_t isize, unsigned char out[8])
{
	if (alg == WD_ALG_ZLIB) { /* Adler-32, most significant byte first */
		out[0] = (unsigned char)(check >> 24);
		out[1] = (unsigned char)(check >> 16);
		out[2] = (unsigned char)(check >> 8);
		out[3] = (unsigned char)check;
		return 4;
	}
	if (alg == WD_ALG_GZIP) { /* CRC-32 and ISIZE, least significant first */
		for (int i = 0; i < 4; i++) {
			out[i] = (unsigned char)(check >> (8 * i));
			out[4 + i] = (unsigned char)(isize >> (8 * i));
		}
		return 8;
	}
	return 0;
}
