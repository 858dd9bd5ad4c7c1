package io.warpdrive.zip.internal;

/**
 * The C flat API ({@code src/main/c/include/warpdrive/wd_stream.h}), bound
 * with JNA direct mapping by {@link Loader}. Primitive arguments only on
 * the hot paths; pointers travel as {@code long}.
 */
final class WdNative {
    private WdNative() {
    }

    /** Packed result: bits 0-29 read, 30-59 written. */
    static final long FINISHED = 1L << 60;
    static final long PENDING = 1L << 61;
    /** wds_deflate flush of a params call: more of the caller's input follows this piece. */
    static final int MORE_INPUT = 16;
    static final long ERROR = 1L << 62;
    static final int COUNT_MASK = 0x3fff_ffff;
    /** Largest length one call takes (counts must fit 30 bits). */
    static final int MAX_CALL = (1 << 30) - 1;
    /** Size of each of a stream's two staging buffers. */
    static final int STAGE_SIZE = 64 * 1024;
    /** Size of an inflate stream's output ring (32 KiB of history and four calls' room), before its slot. */
    static final int RING_SIZE = 32 * 1024 + 4 * STAGE_SIZE;

    static final int DIR_DEFLATE = 0;
    static final int DIR_INFLATE = 1;
    static final int ALG_RAW = 0;
    static final int ALG_ZLIB = 1;
    static final int ALG_GZIP = 2;

    static native int wds_init();

    static native String wds_version();

    static native int wds_config_set(String key, String value);

    static native int wds_devices(byte[] buf, int cap);

    static native int wds_stats(byte[] buf, int cap);

    static native long wds_open(int dir, int alg, int level, int strategy);

    static native void wds_close(long s);

    static native long wds_deflate(long s, long in, int inLen, long out, int outLen, int flush, int params);

    static native long wds_inflate(long s, long in, int inLen, long out, int outLen);

    /** Into the output ring (wds_stage 2); the output starts at the int in the ring's slot. */
    static native long wds_inflate_ring(long s, long in, int inLen, int outLen);

    static native int wds_set_dict(long s, long dict, int len);

    static native int wds_reset(long s);

    static native int wds_adler(long s);

    static native String wds_engine(long s);

    static native int wds_errcode(long s);

    static native String wds_errmsg(long s);

    static native long wds_stage(long s, int which);

    /** History each pipeline block may refer back to. */
    static final int PIPE_DICT = 32768;

    static native long wdp_open(int level, int slots, int block);

    static native void wdp_close(long p);

    static native long wdp_in(long p, int slot);

    static native long wdp_out(long p, int slot);

    static native int wdp_out_cap(long p);

    static native int wdp_submit(long p, int slot, int len, int fin, int prev);

    static native int wdp_wait(long p, int slot);

    static native String wdp_errmsg(long p);

    static native String wdp_engine(long p);
}
