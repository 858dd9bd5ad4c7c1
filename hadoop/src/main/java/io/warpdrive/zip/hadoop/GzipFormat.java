package io.warpdrive.zip.hadoop;

/** The fixed parts of the gzip format (RFC 1952) that the codec writes and checks. */
final class GzipFormat {
    static final int MAGIC1 = 0x1f;
    static final int MAGIC2 = 0x8b;
    /** CM: the only compression method gzip defines, deflate. */
    static final int METHOD_DEFLATE = 8;
    /** FLG bits, RFC 1952 section 2.3.1. */
    static final int FHCRC = 0x02;
    static final int FEXTRA = 0x04;
    static final int FNAME = 0x08;
    static final int FCOMMENT = 0x10;
    static final int FRESERVED = 0xe0;
    /** ID1 ID2 CM FLG MTIME(4) XFL OS. */
    static final int FIXED_HEADER_SIZE = 10;
    /** CRC32(4) ISIZE(4). */
    static final int TRAILER_SIZE = 8;

    private GzipFormat() {
    }

    /**
     * The header java.util.zip.GZIPOutputStream writes: no flags, no time
     * stamp, XFL 0, OS 0; so is Hadoop's pure-Java gzip compressor's.
     */
    static byte[] header() {
        return new byte[] {(byte) MAGIC1, (byte) MAGIC2, METHOD_DEFLATE, 0, 0, 0, 0, 0, 0, 0};
    }

    /** The trailer: CRC-32 of the uncompressed data, then its length mod 2^32, little-endian. */
    static byte[] trailer(int crc, long uncompressedBytes) {
        byte[] t = new byte[TRAILER_SIZE];
        putIntLE(t, 0, crc);
        putIntLE(t, 4, (int) uncompressedBytes);
        return t;
    }

    static void putIntLE(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    static int getIntLE(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }
}
