package io.warpdrive.zip.hadoop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * Reads one gzip member header (RFC 1952 section 2.3) from input that may
 * arrive a byte at a time, skipping the optional extra field, name and
 * comment and checking the header CRC when FHCRC is set (as the JDK does).
 */
final class GzipHeaderReader {
    /** The header's parts, in the order they appear. */
    private enum Part { FIXED, EXTRA_LENGTH, EXTRA, NAME, COMMENT, HEADER_CRC, DONE }

    private final byte[] fixed = new byte[GzipFormat.FIXED_HEADER_SIZE];
    private final CRC32 crc = new CRC32();
    private Part part = Part.FIXED;
    private int have;     // bytes of the current fixed-size part
    private int flags;
    private int value;    // little-endian number being read (extra length, header CRC)
    private int length;   // header bytes read

    void reset() {
        part = Part.FIXED;
        have = 0;
        flags = 0;
        value = 0;
        length = 0;
        crc.reset();
    }

    /** How many header bytes have been read. */
    int length() {
        return length;
    }

    /**
     * Consumes header bytes from {@code in}, no more than the header has;
     * returns true once the whole header has been read.
     *
     * @throws IOException if the bytes are not a gzip header
     */
    boolean read(ByteBuffer in) throws IOException {
        while (part != Part.DONE && in.hasRemaining()) {
            int b = in.get() & 0xff;
            length++;
            if (part != Part.HEADER_CRC) {
                crc.update(b);
            }
            switch (part) {
                case FIXED:
                    fixed[have++] = (byte) b;
                    if (have == fixed.length) {
                        checkFixed();
                        advance();
                    }
                    break;
                case EXTRA_LENGTH:
                    value |= b << (8 * have++);
                    if (have == 2) {
                        if (value == 0) {
                            advance();
                        } else {
                            part = Part.EXTRA;
                        }
                    }
                    break;
                case EXTRA:
                    if (--value == 0) {
                        advance();
                    }
                    break;
                case NAME:
                case COMMENT:
                    if (b == 0) {
                        advance();
                    }
                    break;
                case HEADER_CRC:
                    value |= b << (8 * have++);
                    if (have == 2) {
                        if (value != (int) (crc.getValue() & 0xffff)) {
                            throw new IOException("corrupt gzip header: header CRC mismatch");
                        }
                        advance();
                    }
                    break;
                default:
                    throw new AssertionError(part);
            }
        }
        return part == Part.DONE;
    }

    private void checkFixed() throws IOException {
        if ((fixed[0] & 0xff) != GzipFormat.MAGIC1 || (fixed[1] & 0xff) != GzipFormat.MAGIC2) {
            throw new IOException("not in gzip format: a member does not start with 1f 8b");
        }
        if (fixed[2] != GzipFormat.METHOD_DEFLATE) {
            throw new IOException("unsupported gzip compression method " + (fixed[2] & 0xff) + " (only 8, deflate)");
        }
        flags = fixed[3] & 0xff;
        if ((flags & GzipFormat.FRESERVED) != 0) {
            throw new IOException("unsupported gzip header: reserved flag bits set (FLG=0x"
                    + Integer.toHexString(flags) + ")");
        }
    }

    /** Moves to the next part the flags say is present. */
    private void advance() {
        have = 0;
        value = 0;
        Part[] parts = Part.values();
        for (int i = part.ordinal() + 1; i < parts.length; i++) {
            if (present(parts[i])) {
                part = parts[i];
                return;
            }
        }
        throw new AssertionError("DONE is always present");
    }

    private boolean present(Part p) {
        switch (p) {
            case EXTRA_LENGTH: return (flags & GzipFormat.FEXTRA) != 0;
            case EXTRA: return false; // entered from EXTRA_LENGTH only, when the length is not 0
            case NAME: return (flags & GzipFormat.FNAME) != 0;
            case COMMENT: return (flags & GzipFormat.FCOMMENT) != 0;
            case HEADER_CRC: return (flags & GzipFormat.FHCRC) != 0;
            case DONE: return true;
            default: return false;
        }
    }
}
