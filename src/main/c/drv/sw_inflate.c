/*
 * The software driver's own streaming DEFLATE decoder (see sw_inflate.h).
 *
 * Speed comes from:
 *   - table entries that carry everything a symbol needs: one shift drops
 *     a codeword and its extra bits together (bits 0-7), the codeword's
 *     own length sits in bits 8-11 so the extra bits can be cut out, and
 *     literals are told apart by the sign bit alone;
 *   - a fast loop that runs while at least FAST_IN bytes of input and
 *     FAST_OUT bytes of room are left, refills the 64-bit bit buffer
 *     without branches, looks each next entry up ahead of the refill and
 *     the stores, decodes up to three literals per refill (two of them
 *     flowing into a match with no refill between) and copies matches
 *     eight bytes at a time (it may write up to 40 bytes past a match,
 *     inside the caller's room);
 *   - output written once, where the caller wants it: only matches reaching
 *     back before this call's output read the window, and none when the
 *     caller keeps the output before next_out (out_hist: no window copy);
 *   - tables built by doubling: codes sorted by length, the first level
 *     copied onto itself once per length.
 * At the edges of a call a slow path decodes one symbol at a time and takes
 * input a byte at a time, so it can stop anywhere and go on in the next call.
 */
#include <libdeflate.h>
#include <pthread.h>
#include <string.h>

#include "sw_inflate.h"

/* entry flags */
#define F_BAD (1u << 12) /* no symbol has this code (or an invalid one does) */
#define F_EOB (1u << 13)
#define F_SUB (1u << 14) /* a link to a second-level table */
#define F_EXC (1u << 15) /* any of the three above */
#define F_LIT (1u << 31)
#define ENT_BITS(e) ((e) & 0xffu)          /* codeword + extra bits */
#define ENT_CODELEN(e) (((e) >> 8) & 15u)  /* codeword bits alone */
#define ENT_VAL(e) (((e) >> 16) & 0x7fffu)
/* an entry no code reaches: one bit decides it (see build()) */
#define ENT_NONE (F_EXC | F_BAD | 1u | (1u << 8))

#define CL_BITS 7      /* code length codes are at most 7 bits (RFC 1951 3.2.7) */
#define MAX_CODELEN 15
#define NUM_LITLEN 288 /* 286 usable + 2 that the fixed code assigns */
#define NUM_DIST 32
#define NUM_CL 19
#define MAX_MATCH 258

/* The fast loop runs while this much input and room is left: between two
 * checks come at most two refills (each reads 8 bytes and steps up to 7)
 * and three literals and a match (which writes up to 40 bytes past its end). */
#define FAST_IN 32
#define FAST_OUT (MAX_MATCH + 48)

enum mode {
	M_HEAD,        /* zlib or gzip header */
	M_GZ_FLAGS,    /* gzip CM and FLG */
	M_GZ_FIXED,    /* gzip MTIME, XFL, OS */
	M_GZ_XLEN,
	M_GZ_EXTRA,
	M_GZ_NAME,
	M_GZ_COMMENT,
	M_BLOCK,       /* BFINAL and BTYPE */
	M_STORED,      /* LEN and NLEN */
	M_COPY,        /* stored bytes */
	M_TABLE,       /* HLIT, HDIST, HCLEN */
	M_CLLENS,      /* code length code lengths */
	M_CODELENS,    /* literal/length and distance code lengths */
	M_CODES,       /* compressed data */
	M_MATCH,       /* a match cut short by the room, or decoded with none */
	M_LIT,         /* a literal decoded with no room for it */
	M_CHECK,       /* Adler-32 or CRC-32 */
	M_LENGTH,      /* gzip ISIZE */
	M_DONE,
	M_BAD,
};

/* gzip FLG bits (RFC 1952 2.3.1) */
#define GZ_FHCRC 0x02
#define GZ_FEXTRA 0x04
#define GZ_FNAME 0x08
#define GZ_FCOMMENT 0x10
#define GZ_FRESERVED 0xe0
#define GZ_ID1 0x1f
#define GZ_ID2 0x8b
#define CM_DEFLATE 8

static const uint16_t len_base[29] = { 3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
				       31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
				       2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = { 1,    2,    3,    4,    5,    7,     9,     13,    17,  25,
					33,   49,   65,   97,   129,  193,   257,   385,   513, 769,
					1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = { 0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
					6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };
static const uint8_t cl_order[NUM_CL] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };

#define MASK(n) ((UINT64_C(1) << (n)) - 1)

/* ---- tables ----------------------------------------------------------- */

enum code_kind { K_LITLEN, K_DIST, K_CL };

/* The entry for symbol s of a code, before its bit counts are added. */
static uint32_t sym_entry(int kind, unsigned s)
{
	switch (kind) {
	case K_LITLEN:
		if (s < 256)
			return F_LIT | (s << 16);
		if (s == 256)
			return F_EXC | F_EOB;
		if (s >= 286)
			return F_EXC | F_BAD; /* only the fixed code has 286 and 287 */
		return ((uint32_t)len_base[s - 257] << 16) | len_extra[s - 257];
	case K_DIST:
		if (s >= 30)
			return F_EXC | F_BAD;
		return ((uint32_t)dist_base[s] << 16) | dist_extra[s];
	default: /* code length symbols 16-18 carry their repeat bits */
		return (s << 16) | (s == 16 ? 2u : s == 17 ? 3u : s == 18 ? 7u : 0u);
	}
}

/* The n low bits of code in reverse order (n <= 16). */
static inline unsigned bit_reverse(unsigned code, unsigned n)
{
	code = ((code & 0x5555u) << 1) | ((code >> 1) & 0x5555u);
	code = ((code & 0x3333u) << 2) | ((code >> 2) & 0x3333u);
	code = ((code & 0x0f0fu) << 4) | ((code >> 4) & 0x0f0fu);
	code = ((code & 0x00ffu) << 8) | ((code >> 8) & 0x00ffu);
	return code >> (16 - n);
}

/*
 * Fills table t (tbits index bits, second-level tables after it) for the
 * code with these lengths.  zlib's rules decide what is accepted: an
 * over-subscribed code never; an incomplete one only when its longest
 * code is 1 bit (for literal/length and distance codes), or when it has no
 * codes at all (a code length code with none reads each length as 0);
 * entries no code reaches fail when met.  Returns 0, or -1.
 */
static int build(uint32_t *t, unsigned tbits, const uint8_t *lens, unsigned n, int kind)
{
	unsigned count[MAX_CODELEN + 1] = { 0 }, next[MAX_CODELEN + 1];
	unsigned code = 0, used = 1u << tbits, max = 0;
	int left = 1;

	for (unsigned s = 0; s < n; s++)
		count[lens[s]]++;
	count[0] = 0;
	for (unsigned l = 1; l <= MAX_CODELEN; l++) {
		left = left * 2 - (int)count[l];
		if (left < 0)
			return -1;
		if (count[l])
			max = l;
	}
	if (left > 0 && max && (kind == K_CL || max != 1))
		return -1;
	if (!max && kind == K_CL) {
		/* zlib takes a code length code with no codes: every symbol
		 * then reads one bit as length 0, and the block fails only
		 * after all of them (no end-of-block code), as zlib's does. */
		for (unsigned i = 0; i < (1u << tbits); i++)
			t[i] = 1u | (1u << 8);
		return 0;
	}
	for (unsigned l = 1; l <= MAX_CODELEN; l++) {
		code = (code + count[l - 1]) << 1;
		next[l] = code;
	}
	/* Symbols by code length (canonical order within a length). */
	uint16_t sorted[NUM_LITLEN];
	unsigned at[MAX_CODELEN + 2], k = 0;

	at[1] = 0;
	for (unsigned l = 1; l <= MAX_CODELEN; l++)
		at[l + 1] = at[l] + count[l];
	for (unsigned s = 0; s < n; s++)
		if (lens[s])
			sorted[at[lens[s]]++] = (uint16_t)s;
	/* The first level grows by doubling: a table for codes of up to l
	 * bits, copied once, serves l + 1 bits, whose codes are then set.
	 * Entries no code reaches stay ENT_NONE (an incomplete code) or
	 * become links below. */
	t[0] = t[1] = ENT_NONE;
	for (unsigned l = 1; l <= tbits; l++) {
		if (l > 1)
			memcpy(t + (1u << (l - 1)), t, sizeof(*t) << (l - 1));
		for (unsigned c = 0; c < count[l]; c++, k++)
			t[bit_reverse(next[l]++, l)] = sym_entry(kind, sorted[k]) + l + (l << 8);
	}
	/* Which first-level entries link to a second-level table is kept
	 * apart (old links may be in t). */
	uint8_t linked[1u << WDI_LBITS];

	if (max > tbits)
		memset(linked, 0, 1u << tbits);
	for (; k < at[MAX_CODELEN + 1]; k++) {
		unsigned s = sorted[k], l = lens[s];
		uint32_t e = sym_entry(kind, s);

		/* second level: the low tbits bits pick the link, the next
		 * (MAX_CODELEN - tbits) bits the entry */
		unsigned r = bit_reverse(next[l]++, l), sub_bits = MAX_CODELEN - tbits;
		uint32_t *link = &t[r & MASK(tbits)];

		if (!linked[r & MASK(tbits)]) {
			linked[r & MASK(tbits)] = 1;
			*link = F_EXC | F_SUB | (used << 16) | (sub_bits << 8) | tbits;
			if (left) /* an incomplete code: some entries stay unreached */
				for (unsigned i = 0; i < (1u << sub_bits); i++)
					t[used + i] = ENT_NONE;
			used += 1u << sub_bits;
		}
		e += (l - tbits) + ((l - tbits) << 8);
		for (unsigned i = r >> tbits; i < (1u << sub_bits); i += 1u << (l - tbits))
			t[ENT_VAL(*link) + i] = e;
	}
	return 0;
}

static uint32_t fixed_lt[WDI_LT_SIZE], fixed_dt[WDI_DT_SIZE];
static pthread_once_t fixed_once = PTHREAD_ONCE_INIT;

static void build_fixed(void)
{
	uint8_t lens[NUM_LITLEN];

	/* RFC 1951 3.2.6 */
	memset(lens, 8, 144);
	memset(lens + 144, 9, 112);
	memset(lens + 256, 7, 24);
	memset(lens + 280, 8, 8);
	build(fixed_lt, WDI_LBITS, lens, NUM_LITLEN, K_LITLEN);
	memset(lens, 5, NUM_DIST);
	build(fixed_dt, WDI_DBITS, lens, NUM_DIST, K_DIST);
}

/*
 * The entry for the code at the bottom of bb, if bl bits decide it and
 * hold its extra bits: *take gets the bits it uses (0 when more are
 * needed) and *hop those of a first-level link.  Bits of bb above bl are
 * zero, so a short code is found even when fewer than tbits are here.
 */
static uint32_t lookup(const uint32_t *t, unsigned tbits, uint64_t bb, unsigned bl, unsigned *take,
		       unsigned *hop)
{
	uint32_t e = t[bb & MASK(tbits)];

	*hop = 0;
	*take = 0;
	if (e & F_SUB) {
		if (bl < tbits)
			return 0;
		*hop = tbits;
		e = t[ENT_VAL(e) + ((bb >> tbits) & MASK(ENT_CODELEN(e)))];
	}
	if (*hop + ENT_BITS(e) <= bl)
		*take = *hop + ENT_BITS(e);
	return e;
}

/* The value of a length or distance entry: its base plus its extra bits. */
static inline __attribute__((always_inline)) unsigned ent_value(uint32_t e, uint64_t bits)
{
#ifdef __BMI2__
	return ENT_VAL(e) + (unsigned)(__builtin_ia32_bzhi_di(bits, ENT_BITS(e)) >> ENT_CODELEN(e));
#else
	return ENT_VAL(e) + (unsigned)((bits & MASK(ENT_BITS(e))) >> ENT_CODELEN(e));
#endif
}

/* ---- window and output --------------------------------------------------- */

void wdi_init(struct wdi *z, int wrap)
{
	pthread_once(&fixed_once, build_fixed);
	z->avail_in = z->avail_out = 0;
	z->next_in = NULL;
	z->next_out = NULL;
	z->total_out = 0;
	z->check = wrap == WDI_ZLIB ? 1 : 0;
	z->msg = NULL;
	z->out_hist = 0;
	z->wrap = wrap;
	z->mode = wrap == WDI_RAW ? M_BLOCK : M_HEAD;
	z->last = 0;
	z->bb = 0;
	z->bl = 0;
	z->len = z->dist = z->left = 0;
	z->whave = z->wnext = 0;
	z->lt = fixed_lt;
	z->dt = fixed_dt;
}

int wdi_finished(const struct wdi *z)
{
	return z->mode == M_DONE;
}

/* Adds output [p, p + n) to the window (its last 32 KiB). */
static void window_add(struct wdi *z, const uint8_t *p, size_t n)
{
	if (n >= WDI_WSIZE) {
		memcpy(z->win, p + n - WDI_WSIZE, WDI_WSIZE);
		z->wnext = 0;
		z->whave = WDI_WSIZE;
		return;
	}
	size_t first = WDI_WSIZE - z->wnext < n ? WDI_WSIZE - z->wnext : n;

	memcpy(z->win + z->wnext, p, first);
	memcpy(z->win, p + first, n - first);
	z->wnext = (unsigned)((z->wnext + n) % WDI_WSIZE);
	z->whave = z->whave + n > WDI_WSIZE ? WDI_WSIZE : (unsigned)(z->whave + n);
}

void wdi_set_dict(struct wdi *z, const uint8_t *dict, size_t len)
{
	window_add(z, dict, len); /* with out_hist the caller places it too */
}

unsigned wdi_hist_needed(const struct wdi *z)
{
	return z->whave;
}

/* Output [p, p + n) joins the history: copied into the window, or only
 * counted when the caller keeps it before next_out. */
static void keep_output(struct wdi *z, const uint8_t *p, size_t n)
{
	if (!z->out_hist) {
		window_add(z, p, n);
		return;
	}
	z->whave = z->whave + n > WDI_WSIZE ? WDI_WSIZE : (unsigned)(z->whave + n);
}

/* The lowest address a match may read straight from: this call's output,
 * and the history before it when the caller keeps it there. */
static inline const uint8_t *direct_from(const struct wdi *z, const uint8_t *out0)
{
	return z->out_hist ? out0 - z->whave : out0;
}

/* Copies n bytes of a match at distance dist to op, where lo is the
 * lowest address it may read directly (direct_from): the part before lo
 * comes from the window (the caller checked the distance). */
static __attribute__((noinline)) void copy_match(const struct wdi *z, uint8_t *op,
						 const uint8_t *lo, unsigned dist, unsigned n)
{
	size_t have = (size_t)(op - lo);

	if (dist > have) {
		unsigned back = dist - (unsigned)have, from = (z->wnext + WDI_WSIZE - back) % WDI_WSIZE;
		unsigned k = n < back ? n : back, first = WDI_WSIZE - from < k ? WDI_WSIZE - from : k;

		memcpy(op, z->win + from, first);
		memcpy(op + first, z->win, k - first);
		op += k;
		n -= k;
	}
	if (n <= dist) {
		memcpy(op, op - dist, n);
		return;
	}
	for (unsigned i = 0; i < n; i++)
		op[i] = op[(ptrdiff_t)i - (ptrdiff_t)dist];
}

/* ---- the fast loop ------------------------------------------------------- */

enum fast_exit { FX_EDGE, FX_EOB, FX_BAD_LITLEN, FX_BAD_DIST, FX_FAR };

struct fast_io {
	const uint8_t *ip, *ip0, *iend;
	uint8_t *op, *out0, *oend;
	const uint8_t *lo; /* direct_from() */
	uint64_t bb;
	unsigned bl;
};

static inline uint64_t load64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v; /* little-endian hosts only (x86_64, aarch64) */
}

static inline void store64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/*
 * Decodes while FAST_IN bytes of input and FAST_OUT of room are left.
 * The low byte of bl counts the bits in bb; its upper bits are noise from
 * subtracting whole entries.  On return whole unused bytes go back to the
 * input (never before ip0, this call's start) and bb holds < 8 bits more
 * than the slow path brought in.
 */
static inline __attribute__((always_inline)) int fast_body(const struct wdi *z, struct fast_io *io)
{
	const uint32_t *lt = z->lt, *dt = z->dt;
	const uint8_t *ip = io->ip, *ifast = io->iend - FAST_IN;
	uint8_t *op = io->op, *ofast = io->oend - FAST_OUT;
	const uint8_t *out0 = io->out0, *lo = io->lo;
	uint64_t bb = io->bb, saved;
	unsigned bl = io->bl;
	uint32_t e, d;
	int why = FX_EDGE;

#define REFILL()                                                                                   \
	do {                                                                                       \
		bb |= load64(ip) << (uint8_t)bl;                                                   \
		ip += 7;                                                                           \
		ip -= (bl >> 3) & 7;                                                               \
		bl |= 56;                                                                          \
	} while (0)
#define EAT(x)                                                                                     \
	do {                                                                                       \
		bb >>= (uint8_t)(x);                                                               \
		bl -= (x);                                                                         \
	} while (0)

	if (!(ip < ifast && op < ofast))
		goto out;
	REFILL();
	e = lt[bb & MASK(WDI_LBITS)];
	for (;;) {
		saved = bb;
		EAT(e);
		if (e & F_LIT) {
			/* Up to two more literals; an entry that is not one is
			 * taken all the same and decoded below, with no refill
			 * between (a refill leaves 56 bits: two literals of 11
			 * and a length of 20 use 42, and 14 remain for the
			 * distance lookup).  Each next lookup is written before
			 * the store, which the compiler may not move it across
			 * (op may alias the table). */
			uint8_t lit = (uint8_t)(e >> 16);

			e = lt[bb & MASK(WDI_LBITS)];
			saved = bb;
			EAT(e);
			*op++ = lit;
			if (e & F_LIT) {
				lit = (uint8_t)(e >> 16);
				e = lt[bb & MASK(WDI_LBITS)];
				saved = bb;
				EAT(e);
				*op++ = lit;
				if (e & F_LIT) {
					lit = (uint8_t)(e >> 16);
					e = lt[bb & MASK(WDI_LBITS)];
					REFILL();
					*op++ = lit;
					if (__builtin_expect(!(ip < ifast && op < ofast), 0))
						break;
					continue;
				}
			}
		}
		if (__builtin_expect(e & F_EXC, 0)) {
			if (e & F_SUB) {
				e = lt[ENT_VAL(e) + (bb & MASK(ENT_CODELEN(e)))];
				saved = bb;
				EAT(e);
				if (e & F_LIT) {
					*op++ = (uint8_t)(e >> 16);
					if (__builtin_expect(!(ip < ifast && op < ofast), 0))
						break;
					REFILL();
					e = lt[bb & MASK(WDI_LBITS)];
					continue;
				}
			}
			if (e & F_EXC) {
				why = (e & F_EOB) ? FX_EOB : FX_BAD_LITLEN;
				break;
			}
		}
		unsigned len = ent_value(e, saved);

		/* the distance lookup goes ahead of the refill that brings
		 * its extra bits and those of the next lookup */
		d = dt[bb & MASK(WDI_DBITS)];
		REFILL();
		if (__builtin_expect(d & F_EXC, 0)) {
			if (d & F_SUB) {
				EAT(d);
				d = dt[ENT_VAL(d) + (bb & MASK(ENT_CODELEN(d)))];
			}
			if (d & F_EXC) {
				EAT(d); /* as zlib, whose count then includes the code */
				why = FX_BAD_DIST;
				break;
			}
		}
		saved = bb;
		EAT(d);
		unsigned dist = ent_value(d, saved);
		uint8_t *dst = op;
		const uint8_t *src = op - dist;

		if (__builtin_expect(src < lo, 0)) {
			if (dist > (size_t)(dst - out0) + z->whave) {
				why = FX_FAR;
				break;
			}
			copy_match(z, dst, lo, dist, len);
			op += len;
			if (__builtin_expect(!(ip < ifast && op < ofast), 0))
				break;
			REFILL();
			e = lt[bb & MASK(WDI_LBITS)];
			continue;
		}
		/* the next lookup goes ahead of the refill and the copy, to
		 * overlap them: at least 28 bits are left (a refill leaves
		 * 56, a distance takes at most 28) */
		e = lt[bb & MASK(WDI_LBITS)];
		REFILL();
		op += len;
		if (dist >= 8) {
			store64(dst, load64(src));
			store64(dst + 8, load64(src + 8));
			store64(dst + 16, load64(src + 16));
			store64(dst + 24, load64(src + 24));
			store64(dst + 32, load64(src + 32));
			if (__builtin_expect(len > 40, 0)) {
				dst += 40;
				src += 40;
				do {
					store64(dst, load64(src));
					dst += 8;
					src += 8;
				} while (dst < op);
			}
		} else if (dist == 1) {
			uint64_t w = UINT64_C(0x0101010101010101) * *src;

			store64(dst, w);
			store64(dst + 8, w);
			store64(dst + 16, w);
			store64(dst + 24, w);
			if (len > 32) {
				dst += 32;
				do {
					store64(dst, w);
					dst += 8;
				} while (dst < op);
			}
		} else {
			/* 2-7: each word read is whole before it is needed when
			 * both ends step by the distance */
			do {
				store64(dst, load64(src));
				dst += dist;
				src += dist;
			} while (dst < op);
		}
		if (__builtin_expect(!(ip < ifast && op < ofast), 0))
			break;
	}
	/* whole bytes not used go back, if they are this call's */
	bl = (uint8_t)bl;
	{
		unsigned back = bl >> 3;

		if ((size_t)(ip - io->ip0) < back)
			back = (unsigned)(ip - io->ip0);
		ip -= back;
		bl -= back * 8;
		bb &= MASK(bl);
	}
out:
	io->ip = ip;
	io->op = op;
	io->bb = bb;
	io->bl = bl;
	return why;
#undef REFILL
#undef EAT
}

static int fast_generic(const struct wdi *z, struct fast_io *io)
{
	return fast_body(z, io);
}

#if defined(__x86_64__) && defined(__GNUC__)
/* BMI2's shifts by a register (shlx/shrx) and bzhi make the bit buffer
 * cheaper; the same loop is built both ways and picked once. */
__attribute__((target("bmi2"))) static int fast_bmi2(const struct wdi *z, struct fast_io *io)
{
	return fast_body(z, io);
}

static int (*pick_fast(void))(const struct wdi *, struct fast_io *)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("bmi2") ? fast_bmi2 : fast_generic;
}
#else
static int (*pick_fast(void))(const struct wdi *, struct fast_io *)
{
	return fast_generic;
}
#endif

static int (*fast_loop)(const struct wdi *, struct fast_io *);
static pthread_once_t fast_once = PTHREAD_ONCE_INIT;

static void choose_fast(void)
{
	fast_loop = pick_fast();
}

/* ---- the state machine --------------------------------------------------- */

/* zlib's words for what went wrong, so a message seen without a replay
 * still reads as the JDK's would. */
#define FAIL(m)                                                                                    \
	do {                                                                                       \
		z->msg = (m);                                                                      \
		z->mode = M_BAD;                                                                   \
		goto out;                                                                          \
	} while (0)
/* Takes input a byte at a time until bl >= n; leaves the call if it runs out. */
#define NEED(n)                                                                                    \
	do {                                                                                       \
		while (bl < (n)) {                                                                 \
			if (ip == iend)                                                            \
				goto out;                                                          \
			bb |= (uint64_t)*ip++ << bl;                                               \
			bl += 8;                                                                   \
		}                                                                                  \
	} while (0)
/* Takes one more byte; leaves the call if there is none. */
#define PULL()                                                                                     \
	do {                                                                                       \
		if (ip == iend)                                                                    \
			goto out;                                                                  \
		bb |= (uint64_t)*ip++ << bl;                                                       \
		bl += 8;                                                                           \
	} while (0)
#define BITS(n) ((unsigned)(bb & MASK(n)))
#define DROP(n)                                                                                    \
	do {                                                                                       \
		bb >>= (n);                                                                        \
		bl -= (n);                                                                         \
	} while (0)

int wdi_inflate(struct wdi *z)
{
	const uint8_t *ip = z->next_in, *iend = ip + z->avail_in, *ip0 = ip;
	uint8_t *op = z->next_out, *oend = op + z->avail_out, *out0 = op;
	uint64_t bb = z->bb;
	unsigned bl = z->bl, take, hop;
	uint32_t e;
	int ret = WDI_OK;

	pthread_once(&fast_once, choose_fast);
	for (;;) {
		switch (z->mode) {
		case M_HEAD:
			NEED(16);
			if (z->wrap == WDI_GZIP) {
				if (BITS(8) != GZ_ID1 || ((bb >> 8) & 0xff) != GZ_ID2)
					FAIL("incorrect header check");
				DROP(16);
				z->mode = M_GZ_FLAGS;
				break;
			}
			if ((((bb & 0xff) << 8) | ((bb >> 8) & 0xff)) % 31)
				FAIL("incorrect header check");
			if ((bb & 0x0f) != CM_DEFLATE)
				FAIL("unknown compression method");
			if (((bb >> 4) & 0x0f) > 7)
				FAIL("invalid window size");
			if ((bb >> 8) & 0x20)
				FAIL("need dictionary"); /* the caller gives these to zlib */
			DROP(16);
			z->mode = M_BLOCK;
			break;
		case M_GZ_FLAGS:
			NEED(16);
			if (BITS(8) != CM_DEFLATE)
				FAIL("unknown compression method");
			z->gz_flags = (unsigned)(bb >> 8) & 0xff;
			if (z->gz_flags & GZ_FRESERVED)
				FAIL("unknown header flags set");
			if (z->gz_flags & GZ_FHCRC)
				FAIL("header crc not supported"); /* the caller gives these to zlib */
			DROP(16);
			z->mode = M_GZ_FIXED;
			break;
		case M_GZ_FIXED:
			NEED(48);
			DROP(48);
			z->mode = (z->gz_flags & GZ_FEXTRA) ? M_GZ_XLEN : M_GZ_NAME;
			break;
		case M_GZ_XLEN:
			NEED(16);
			z->left = BITS(16);
			DROP(16);
			z->mode = M_GZ_EXTRA;
			break;
		case M_GZ_EXTRA: {
			size_t n = (size_t)(iend - ip) < z->left ? (size_t)(iend - ip) : z->left;

			ip += n;
			z->left -= (unsigned)n;
			if (z->left)
				goto out;
			z->mode = M_GZ_NAME;
			break;
		}
		case M_GZ_NAME:
		case M_GZ_COMMENT: {
			unsigned flag = z->mode == M_GZ_NAME ? GZ_FNAME : GZ_FCOMMENT;

			if (z->gz_flags & flag) {
				const uint8_t *nul = memchr(ip, 0, (size_t)(iend - ip));

				if (!nul) {
					ip = iend;
					goto out;
				}
				ip = nul + 1;
			}
			z->mode = z->mode == M_GZ_NAME ? M_GZ_COMMENT : M_BLOCK;
			break;
		}
		case M_BLOCK:
			NEED(3);
			z->last = (int)BITS(1);
			switch ((bb >> 1) & 3) {
			case 0:
				DROP(3);
				DROP(bl & 7); /* to a byte boundary */
				z->mode = M_STORED;
				break;
			case 1:
				DROP(3);
				z->lt = fixed_lt;
				z->dt = fixed_dt;
				z->mode = M_CODES;
				break;
			case 2:
				DROP(3);
				z->mode = M_TABLE;
				break;
			default:
				FAIL("invalid block type");
			}
			break;
		case M_STORED:
			NEED(32);
			if ((bb & 0xffff) != (~bb >> 16 & 0xffff))
				FAIL("invalid stored block lengths");
			z->left = BITS(16);
			DROP(32);
			z->mode = M_COPY;
			break;
		case M_COPY: {
			size_t n;

			/* stored data is byte aligned: whole bytes still in bb
			 * (brought in by an earlier call) come first */
			while (bl >= 8 && z->left) {
				if (op == oend)
					goto out;
				*op++ = (uint8_t)bb;
				DROP(8);
				z->left--;
			}
			n = z->left;

			if (n > (size_t)(iend - ip))
				n = (size_t)(iend - ip);
			if (n > (size_t)(oend - op))
				n = (size_t)(oend - op);
			memcpy(op, ip, n);
			ip += n;
			op += n;
			z->left -= (unsigned)n;
			if (z->left)
				goto out;
			z->mode = z->last ? M_CHECK : M_BLOCK;
			break;
		}
		case M_TABLE:
			NEED(14);
			z->nlit = BITS(5) + 257;
			z->ndist = (unsigned)((bb >> 5) & 31) + 1;
			z->ncl = (unsigned)((bb >> 10) & 15) + 4;
			DROP(14);
			if (z->nlit > 286 || z->ndist > 30)
				FAIL("too many length or distance symbols");
			memset(z->lens, 0, NUM_CL);
			z->idx = 0;
			z->mode = M_CLLENS;
			break;
		case M_CLLENS: {
			uint8_t cl[NUM_CL] = { 0 };

			while (z->idx < z->ncl) {
				NEED(3);
				z->lens[z->idx++] = (uint8_t)BITS(3);
				DROP(3);
			}
			for (unsigned i = 0; i < z->ncl; i++)
				cl[cl_order[i]] = z->lens[i];
			/* the code length code lives in own_dt until the
			 * distance code is built over it */
			if (build(z->own_dt, CL_BITS, cl, NUM_CL, K_CL))
				FAIL("invalid code lengths set");
			z->idx = 0;
			z->mode = M_CODELENS;
			break;
		}
		case M_CODELENS: {
			unsigned total = z->nlit + z->ndist;

			while (z->idx < total) {
				unsigned sym, rep, v;

				for (;;) {
					e = lookup(z->own_dt, CL_BITS, bb, bl, &take, &hop);
					if (take)
						break;
					PULL();
				}
				sym = ENT_VAL(e);
				rep = (unsigned)((bb & MASK(ENT_BITS(e))) >> ENT_CODELEN(e));
				DROP(take);
				if (sym < 16) {
					z->lens[z->idx++] = (uint8_t)sym;
					continue;
				}
				if (sym == 16) {
					if (!z->idx)
						FAIL("invalid bit length repeat");
					v = z->lens[z->idx - 1];
					rep += 3;
				} else {
					v = 0;
					rep += sym == 17 ? 3 : 11;
				}
				if (z->idx + rep > total)
					FAIL("invalid bit length repeat");
				memset(z->lens + z->idx, (int)v, rep);
				z->idx += rep;
			}
			if (!z->lens[256])
				FAIL("invalid code -- missing end-of-block");
			if (build(z->own_lt, WDI_LBITS, z->lens, z->nlit, K_LITLEN))
				FAIL("invalid literal/lengths set");
			if (build(z->own_dt, WDI_DBITS, z->lens + z->nlit, z->ndist, K_DIST))
				FAIL("invalid distances set");
			z->lt = z->own_lt;
			z->dt = z->own_dt;
			z->mode = M_CODES;
			break;
		}
		case M_CODES: {
			uint32_t d;
			unsigned take_d, hop_d, len, dist;

			if ((size_t)(iend - ip) > FAST_IN && (size_t)(oend - op) > FAST_OUT) {
				struct fast_io io = { ip, ip0, iend, op, out0, oend,
						      direct_from(z, out0), bb, bl };
				int why = fast_loop(z, &io);

				ip = io.ip;
				op = io.op;
				bb = io.bb;
				bl = io.bl;
				if (why == FX_BAD_LITLEN)
					FAIL("invalid literal/length code");
				if (why == FX_BAD_DIST)
					FAIL("invalid distance code");
				if (why == FX_FAR)
					FAIL("invalid distance too far back");
				if (why == FX_EOB) {
					z->mode = z->last ? M_CHECK : M_BLOCK;
					if (z->last)
						DROP(bl & 7);
					break;
				}
			}
			/* One symbol at a time.  As zlib does, the next symbol is
			 * decoded even with no room left: a literal or a match
			 * is then held, and only the bits after it are unread. */
			for (;;) {
				e = lookup(z->lt, WDI_LBITS, bb, bl, &take, &hop);
				if (take)
					break;
				PULL();
			}
			if (e & F_LIT) {
				DROP(take);
				if (op == oend) {
					z->len = ENT_VAL(e);
					z->mode = M_LIT;
					goto out;
				}
				*op++ = (uint8_t)ENT_VAL(e);
				break;
			}
			if (e & F_EXC) {
				if (e & F_BAD)
					FAIL("invalid literal/length code");
				DROP(take);
				z->mode = z->last ? M_CHECK : M_BLOCK;
				if (z->last)
					DROP(bl & 7);
				break;
			}
			/* a match: its distance must be here too before either goes */
			for (;;) {
				d = lookup(z->dt, WDI_DBITS, bb >> take, bl - take, &take_d, &hop_d);
				if (take_d)
					break;
				PULL();
			}
			if (d & F_BAD)
				FAIL("invalid distance code");
			len = ent_value(e, bb >> hop);
			dist = ent_value(d, bb >> (take + hop_d));
			DROP(take);
			DROP(take_d);
			z->len = len;
			z->dist = dist;
			z->mode = M_MATCH;
		}
			/* fall through */
		case M_MATCH: {
			unsigned n = z->len;

			/* zlib judges the distance only once it has room */
			if (op == oend)
				goto out;
			if (z->dist > (size_t)(op - out0) + z->whave)
				FAIL("invalid distance too far back");
			if (n > (size_t)(oend - op))
				n = (unsigned)(oend - op);
			copy_match(z, op, direct_from(z, out0), z->dist, n);
			op += n;
			z->len -= n;
			if (z->len)
				goto out;
			z->mode = M_CODES;
			break;
		}
		case M_LIT:
			if (op == oend)
				goto out;
			*op++ = (uint8_t)z->len;
			z->mode = M_CODES;
			break;
		case M_CHECK:
			if (z->wrap == WDI_RAW) {
				z->mode = M_DONE;
				break;
			}
			NEED(32);
			if (op > out0) {
				/* the check covers all output, this call's too */
				z->check = z->wrap == WDI_ZLIB ?
						   libdeflate_adler32(z->check, out0, (size_t)(op - out0)) :
						   libdeflate_crc32(z->check, out0, (size_t)(op - out0));
				keep_output(z, out0, (size_t)(op - out0));
				z->total_out += (size_t)(op - out0);
				out0 = op;
			}
			if ((z->wrap == WDI_ZLIB ? __builtin_bswap32((uint32_t)bb) : (uint32_t)bb) != z->check)
				FAIL("incorrect data check");
			DROP(32);
			z->mode = z->wrap == WDI_GZIP ? M_LENGTH : M_DONE;
			break;
		case M_LENGTH:
			NEED(32);
			if ((uint32_t)bb != (uint32_t)z->total_out)
				FAIL("incorrect length check");
			DROP(32);
			z->mode = M_DONE;
			break;
		case M_DONE:
			ret = WDI_END;
			goto out;
		default:
			ret = WDI_BAD;
			goto out;
		}
	}
out:
	if (z->mode == M_BAD)
		ret = WDI_BAD;
	else if (z->mode == M_DONE)
		ret = WDI_END;
	if (op > out0) {
		size_t n = (size_t)(op - out0);

		if (z->wrap == WDI_ZLIB)
			z->check = libdeflate_adler32(z->check, out0, n);
		else if (z->wrap == WDI_GZIP)
			z->check = libdeflate_crc32(z->check, out0, n);
		keep_output(z, out0, n);
		z->total_out += n;
	}
	z->avail_in -= (size_t)(ip - z->next_in);
	z->next_in = ip;
	z->avail_out -= (size_t)(op - z->next_out);
	z->next_out = op;
	z->bb = bb;
	z->bl = bl;
	return ret;
}
