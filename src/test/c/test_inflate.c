/*
 * The software driver's own decoder (drv/sw_inflate.c), called directly
 * and held to zlib call by call: a zlib stream given the same input and
 * room (inflate() with Z_PARTIAL_FLUSH, as java.util.zip calls it) must
 * take, give and report the same at every call, errors and their messages
 * included.  Random streams, and blocks written by hand for the corners no
 * encoder reaches (codes with no symbols, incomplete codes, bad symbols in
 * the fast loop and at call edges).
 */
#include <zlib.h>

#include "test_util.h"
#include "../../main/c/drv/sw_inflate.h"

#define CAP (1 << 20)
#define MIN_SZ(a, b) ((size_t)(a) < (size_t)(b) ? (size_t)(a) : (size_t)(b))

static unsigned char src[CAP], packed[2 * CAP], z_out[CAP + 70000], w_out[CAP + 70000];
static struct wdi dec;

static int wbits_of(int wrap)
{
	return wrap == WDI_RAW ? -15 : wrap == WDI_GZIP ? 31 : 15;
}

/* ---- bit writer for hand-made blocks (LSB first, as RFC 1951 packs) ---- */

struct bits {
	unsigned char *p;
	size_t n;
	unsigned acc, have;
};

static void put(struct bits *w, unsigned v, unsigned n)
{
	while (n--) {
		w->acc |= (v & 1u) << w->have;
		v >>= 1;
		if (++w->have == 8) {
			w->p[w->n++] = (unsigned char)w->acc;
			w->acc = w->have = 0;
		}
	}
}

/* Huffman codes are sent most significant bit first. */
static void put_code(struct bits *w, unsigned code, unsigned len)
{
	while (len--)
		put(w, (code >> len) & 1u, 1);
}

static size_t finish_bits(struct bits *w)
{
	if (w->have)
		put(w, 0, 8 - w->have);
	return w->n;
}

/* ---- lockstep ------------------------------------------------------------ */

/*
 * Feeds in[0, n) to the decoder and to zlib with the same calls (pieces
 * and rooms from x, or whole when x is 0) and checks every call.  Returns
 * 1 at the end, -1 at an error, 0 when the input ran out; *calls counts.
 */
static int lockstep(int wrap, const unsigned char *in, size_t n, unsigned x, long *calls,
		    const char *what)
{
	z_stream zs = { 0 };
	size_t ip = 0, op = 0;
	int verdict = 0;

	CHECK_EQ(inflateInit2(&zs, wbits_of(wrap)), Z_OK);
	wdi_init(&dec, wrap);
	for (int idle = 0; idle < 3; (*calls)++) {
		size_t offer, room, z_read, z_made, w_read, w_made;
		int zr, wr, z_class;

		x = x * 1103515245 + 12345;
		offer = x ? MIN_SZ(n - ip, test_some_bytes(x >> 8, 70000)) : n - ip;
		room = x ? MIN_SZ(CAP - op, test_some_bytes(x >> 20, 70000)) : CAP - op;
		zs.next_in = (Bytef *)in + ip;
		zs.avail_in = (uInt)offer;
		zs.next_out = z_out + op;
		zs.avail_out = (uInt)room;
		zr = inflate(&zs, Z_PARTIAL_FLUSH);
		z_read = offer - zs.avail_in;
		z_made = room - zs.avail_out;
		dec.next_in = in + ip;
		dec.avail_in = offer;
		dec.next_out = w_out + op;
		dec.avail_out = room;
		wr = wdi_inflate(&dec);
		w_read = offer - dec.avail_in;
		w_made = room - dec.avail_out;
		z_class = zr == Z_STREAM_END ? WDI_END : zr == Z_OK || zr == Z_BUF_ERROR ? WDI_OK : WDI_BAD;
		/* the decoder leaves these two to zlib by design */
		if (wr == WDI_BAD && (!strcmp(dec.msg, "need dictionary") ||
				      !strcmp(dec.msg, "header crc not supported"))) {
			CHECK(zr == Z_NEED_DICT || zr == Z_DATA_ERROR || zr == Z_OK || zr == Z_BUF_ERROR);
			verdict = -1;
			break;
		}
		if (z_read != w_read || z_made != w_made || z_class != wr ||
		    memcmp(z_out + op, w_out + op, z_made)) {
			fprintf(stderr, "    %s, call %ld at %zu/%zu: offered %zu, room %zu: zlib read %zu, "
				"made %zu, ret %d (%s); ours read %zu, made %zu, ret %d (%s)\n", what, *calls,
				ip, op, offer, room, z_read, z_made, zr, zs.msg ? zs.msg : "",
				w_read, w_made, wr, dec.msg ? dec.msg : "");
			CHECK(0);
			verdict = -2;
			break;
		}
		if (wr == WDI_BAD) {
			CHECK_EQ(strcmp(dec.msg, zs.msg ? zs.msg : ""), 0);
			verdict = -1;
			break;
		}
		if (wrap != WDI_RAW)
			CHECK_EQ(dec.check, (uint32_t)zs.adler);
		ip += z_read;
		op += z_made;
		if (wr == WDI_END) {
			verdict = 1;
			break;
		}
		idle = z_read || z_made || ip < n || !room ? 0 : idle + 1;
	}
	inflateEnd(&zs);
	return verdict;
}

/* ---- tests --------------------------------------------------------------- */

/* Streams from zlib (every level, strategy, window, flush), damaged, cut
 * or padded, in pieces and rooms of 0 bytes up. */
static void random_streams_step_as_zlib(void)
{
	unsigned x = 77;
	long calls = 0, ends = 0, errors = 0;

	test_fill(src, CAP, 5);
	for (int t = 0; t < 600; t++) {
		int wrap = t % 3, level, v;
		size_t len, cn;
		z_stream zd = { 0 };
		char what[80];

		x = x * 1103515245 + 12345;
		level = (int)(x >> 8) % 10;
		len = (x >> 12) % 4 ? (x >> 4) % 200000 : (x >> 4) % 300;
		CHECK_EQ(deflateInit2(&zd, level, Z_DEFLATED, wbits_of(wrap) < 0 ? -(9 + (int)(x % 7)) :
				      wbits_of(wrap) - 6 + (int)(x % 7), 1 + (int)(x >> 20) % 9,
				      (x >> 24) % 3 ? Z_DEFAULT_STRATEGY : (int)(x >> 26) % 5),
			 Z_OK);
		zd.next_out = packed;
		zd.avail_out = sizeof(packed);
		for (size_t k = 0; k < len;) {
			size_t piece;

			x = x * 1103515245 + 12345;
			piece = MIN_SZ(len - k, 1 + (x >> 8) % 30000);
			zd.next_in = src + (t * 7919u) % (CAP - 200000) + k;
			zd.avail_in = (uInt)piece;
			deflate(&zd, (x >> 4) % 6 ? Z_NO_FLUSH :
					(x >> 7) % 3 == 0 ? Z_SYNC_FLUSH :
					(x >> 7) % 3 == 1 ? Z_FULL_FLUSH : Z_BLOCK);
			k += piece;
		}
		deflate(&zd, Z_FINISH);
		cn = zd.total_out;
		deflateEnd(&zd);
		x = x * 1103515245 + 12345;
		if (t % 4 == 1) {
			for (int k = 0; k < 1 + (int)(x % 3); k++)
				packed[(x >> (4 + k)) % cn] ^= (unsigned char)(1u << ((x >> k) % 8));
		} else if (t % 4 == 2) {
			cn = (x >> 8) % (cn + 1);
		} else if (t % 4 == 3) {
			for (int k = 0; k < 9; k++)
				packed[cn++] = (unsigned char)(x >> k);
		}
		snprintf(what, sizeof(what), "stream %d (wrap %d, level %d, %zu bytes)", t, wrap, level, len);
		v = lockstep(wrap, packed, cn, t % 5 ? x | 1 : 0, &calls, what);
		ends += v == 1;
		errors += v == -1;
	}
	fprintf(stderr, "    %ld calls, %ld streams ended, %ld failed as zlib's\n", calls, ends, errors);
	CHECK(ends > 100 && errors > 50);
}

/* A dynamic block header: HLIT-257, HDIST-1, then the code length code's
 * lengths (in the RFC's order) from cl[], ncl of them. */
static void dynamic_header(struct bits *w, int last, unsigned nlit, unsigned ndist, const unsigned *cl,
			   unsigned ncl)
{
	put(w, (unsigned)last, 1);
	put(w, 2, 2);
	put(w, nlit - 257, 5);
	put(w, ndist - 1, 5);
	put(w, ncl - 4, 4);
	for (unsigned i = 0; i < ncl; i++)
		put(w, cl[i], 3);
}

/* Starts w on buf with a final fixed-code block of n letters (8-bit codes). */
static void fixed_block_of_letters(struct bits *w, unsigned char *buf, int n)
{
	memset(w, 0, sizeof(*w));
	w->p = buf;
	put(w, 1, 1);
	put(w, 1, 2);
	for (int i = 0; i < n; i++)
		put_code(w, 0x30 + 'a' + (unsigned)i % 26, 8);
}

/* Each hand-made input is checked whole and then in many call patterns. */
static void check_all_ways(const unsigned char *in, size_t n, const char *what, long *calls)
{
	lockstep(WDI_RAW, in, n, 0, calls, what);
	for (unsigned x = 1; x < 200; x += 2)
		lockstep(WDI_RAW, in, n, x * 2654435761u, calls, what);
}

static void hand_made_blocks_fail_as_zlibs(void)
{
	static unsigned char buf[8192];
	static const unsigned none[4] = { 0, 0, 0, 0 };
	long calls = 0;
	struct bits w;

	/* a code length code with no codes: zlib reads every length as 0
	 * (one bit each) and then finds no end-of-block code */
	memset(&w, 0, sizeof(w));
	w.p = buf;
	dynamic_header(&w, 1, 286, 1, none, 4);
	memset(buf + finish_bits(&w), 0, 64);
	check_all_ways(buf, w.n + 64, "code length code with no codes", &calls);

	/* a code length code of one 1-bit code (incomplete): refused */
	{
		static const unsigned one[4] = { 1, 0, 0, 0 };

		memset(&w, 0, sizeof(w));
		w.p = buf;
		dynamic_header(&w, 1, 257, 1, one, 4);
		memset(buf + finish_bits(&w), 0xff, 64);
		check_all_ways(buf, w.n + 64, "code length code of one 1-bit code", &calls);
	}

	/* a fixed block: literals through the fast loop, then a match with
	 * distance code 30 (no such distance) straddling a byte boundary
	 * (bits 2428-2432): zlib counts the byte it ends in as taken */
	fixed_block_of_letters(&w, buf, 300);
	put_code(&w, 0x190 + 56, 9);
	put_code(&w, 0x190 + 56, 9);
	put_code(&w, 1, 7);   /* length 3 */
	put_code(&w, 30, 5);  /* bad distance code */
	memset(buf + finish_bits(&w), 0, 100);
	check_all_ways(buf, w.n + 100, "fixed block, distance code 30", &calls);

	/* the same with a distance too far back */
	fixed_block_of_letters(&w, buf, 300);
	put_code(&w, 1, 7);   /* length 3 */
	put_code(&w, 9, 5);   /* distance 25-32 ... */
	put(&w, 0, 3);        /* ... 25, fine */
	put_code(&w, 1, 7);   /* length 3 */
	put_code(&w, 17, 5);  /* distance 385-512 */
	put(&w, 0, 7);        /* 385: more than the 306 bytes written */
	memset(buf + finish_bits(&w), 0, 100);
	check_all_ways(buf, w.n + 100, "fixed block, distance too far back", &calls);

	/* literal/length symbol 286 (only the fixed code has it) */
	fixed_block_of_letters(&w, buf, 200);
	put_code(&w, 0xc0 + 6, 8); /* 286 */
	memset(buf + finish_bits(&w), 0, 100);
	check_all_ways(buf, w.n + 100, "fixed block, symbol 286", &calls);
	fprintf(stderr, "    %ld calls\n", calls);
}

int main(void)
{
	RUN(random_streams_step_as_zlib);
	RUN(hand_made_blocks_fail_as_zlibs);
	return test_report();
}
