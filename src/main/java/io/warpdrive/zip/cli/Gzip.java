package io.warpdrive.zip.cli;

/** The gzip member format (RFC 1952) as wdzip writes and reads it. */
final class Gzip {
    private Gzip() {
    }

    /** RFC 1952 2.3.1: the two magic bytes and the one compression method. */
    static final int ID1 = 0x1f;
    static final int ID2 = 0x8b;
    static final int CM_DEFLATE = 8;

    /** RFC 1952 2.3.1: FLG bits. */
    static final int FHCRC = 0x02;
    static final int FEXTRA = 0x04;
    static final int FNAME = 0x08;
    static final int FCOMMENT = 0x10;
    static final int FRESERVED = 0xe0;

    /** XFL: 2 = slowest/best level, 4 = fastest, as gzip sets them for -9 and -1. */
    static final int XFL_BEST = 2;
    static final int XFL_FAST = 4;
    /** OS: 3 = Unix. */
    static final int OS_UNIX = 3;

    /** Header bytes before the optional fields; trailer = CRC-32 + ISIZE. */
    static final int FIXED_HEADER = 10;
    static final int TRAILER = 8;

    /** Bytes per read and per deflate/inflate call: what an accelerator wants per request. */
    static final int CHUNK = 64 * 1024;

    /** What one compression or decompression moved, and what served it. */
    record Transfer(long bytesIn, long bytesOut, String engine, long nanos) {
        /** Uncompressed megabytes (10^6 bytes) per second. */
        double mbPerSecond(long uncompressed) {
            return nanos <= 0 ? 0 : uncompressed / 1e6 / (nanos / 1e9);
        }
    }

    /** Damaged or foreign input, worded as gzip words it ("unexpected end of file", ...). */
    static class FormatException extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        FormatException(String message) {
            super(message);
        }
    }

    static void putLe32(byte[] b, int off, long v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    static long getLe32(byte[] b, int off) {
        return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16
                | (b[off + 3] & 0xffL) << 24;
    }
}
