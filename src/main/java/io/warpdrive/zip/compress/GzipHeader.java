package io.warpdrive.zip.compress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.commons.compress.compressors.gzip.ExtraField;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * The gzip member header of RFC 1952 section 2.3, written from and read
 * into commons-compress's {@link GzipParameters}.
 */
final class GzipHeader {
    /** RFC 1952 2.3.1: ID1, ID2, CM = 8 (deflate). */
    static final int ID1 = 0x1f;
    static final int ID2 = 0x8b;
    static final int CM_DEFLATE = 8;
    /** RFC 1952 2.3.1 FLG bits. */
    static final int FHCRC = 0x02;
    static final int FEXTRA = 0x04;
    static final int FNAME = 0x08;
    static final int FCOMMENT = 0x10;
    static final int FRESERVED = 0xe0;
    /** RFC 1952 2.3.1 XFL for deflate: 2 = slowest, best compression; 4 = fastest. */
    static final int XFL_BEST = 2;
    static final int XFL_FASTEST = 4;
    /** The fixed part: ID1 ID2 CM FLG MTIME(4) XFL OS. */
    static final int FIXED_SIZE = 10;
    /** The trailer: CRC32 and ISIZE, both little-endian. */
    static final int TRAILER_SIZE = 8;
    /** A file name or comment longer than this is not a header we believe. */
    private static final int MAX_TEXT = 1 << 20;
    private static final int SUBFIELD_HEADER = 4;

    /** Where a header is read from, one byte at a time. */
    interface Source {
        /** The next byte, 0-255; throws {@link java.io.EOFException} at the end. */
        int next() throws IOException;
    }

    private GzipHeader() {
    }

    /** Writes the header these parameters describe; commons-compress writes the same fields the same way. */
    static void write(OutputStream out, GzipParameters p) throws IOException {
        Charset cs = p.getFileNameCharset();
        ExtraField extra = p.getExtraField();
        String name = p.getFileName();
        String comment = p.getComment();
        int flags = (extra != null ? FEXTRA : 0) | (name != null ? FNAME : 0) | (comment != null ? FCOMMENT : 0)
                | (p.getHeaderCRC() ? FHCRC : 0);
        ByteArrayOutputStream h = new ByteArrayOutputStream(FIXED_SIZE + 64);
        h.write(ID1);
        h.write(ID2);
        h.write(CM_DEFLATE);
        h.write(flags);
        writeLe32(h, (int) p.getModificationInstant().getEpochSecond());
        h.write(xfl(p.getCompressionLevel()));
        h.write(p.getOperatingSystem());
        if (extra != null) {
            writeLe16(h, extra.getEncodedSize());
            for (ExtraField.SubField f : extra) {
                String id = f.getId();
                h.write(id.charAt(0));
                h.write(id.charAt(1));
                writeLe16(h, f.getPayload().length);
                h.write(f.getPayload());
            }
        }
        if (name != null) {
            h.write(name.getBytes(cs));
            h.write(0);
        }
        if (comment != null) {
            h.write(comment.getBytes(cs));
            h.write(0);
        }
        if (p.getHeaderCRC()) {
            CRC32 crc = new CRC32();
            crc.update(h.toByteArray());
            writeLe16(h, (int) crc.getValue());
        }
        h.writeTo(out);
    }

    private static int xfl(int level) {
        if (level == Deflater.BEST_COMPRESSION) {
            return XFL_BEST;
        }
        return level == Deflater.BEST_SPEED ? XFL_FASTEST : 0;
    }

    /**
     * Reads one header after its two magic bytes, which the caller has
     * checked. A header CRC, when present, is verified.
     */
    static GzipParameters read(Source src, Charset fileNameCharset) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(ID1);
        crc.update(ID2);
        Source in = () -> {
            int b = src.next();
            crc.update(b);
            return b;
        };
        GzipParameters p = new GzipParameters();
        p.setFileNameCharset(fileNameCharset);
        int cm = in.next();
        if (cm != CM_DEFLATE) {
            throw new IOException("Unsupported compression method " + cm + " in the .gz header");
        }
        int flags = in.next();
        if ((flags & FRESERVED) != 0) {
            throw new IOException("Reserved flags are set in the .gz header");
        }
        p.setModificationTime(readLe32(in) & 0xffffffffL);
        int xfl = in.next();
        p.setCompressionLevel(xfl == XFL_BEST ? Deflater.BEST_COMPRESSION
                : xfl == XFL_FASTEST ? Deflater.BEST_SPEED : Deflater.DEFAULT_COMPRESSION);
        p.setOperatingSystem(in.next());
        if ((flags & FEXTRA) != 0) {
            p.setExtraField(readExtra(in, readLe16(in)));
        }
        if ((flags & FNAME) != 0) {
            p.setFileName(new String(readText(in), fileNameCharset));
        }
        if ((flags & FCOMMENT) != 0) {
            p.setComment(new String(readText(in), fileNameCharset));
        }
        if ((flags & FHCRC) != 0) {
            int expected = (int) crc.getValue() & 0xffff;
            if (readLe16(src) != expected) {
                throw new IOException("Gzip header CRC mismatch");
            }
            p.setHeaderCRC(true);
        }
        return p;
    }

    private static ExtraField readExtra(Source in, int xlen) throws IOException {
        byte[] x = new byte[xlen];
        for (int i = 0; i < xlen; i++) {
            x[i] = (byte) in.next();
        }
        ExtraField extra = new ExtraField();
        int pos = 0;
        while (pos < xlen) {
            if (xlen - pos < SUBFIELD_HEADER) {
                throw new IOException("Truncated subfield in the .gz extra field");
            }
            String id = new String(x, pos, 2, StandardCharsets.ISO_8859_1);
            int len = (x[pos + 2] & 0xff) | (x[pos + 3] & 0xff) << 8;
            pos += SUBFIELD_HEADER;
            if (len > xlen - pos) {
                throw new IOException("Subfield " + id + " runs past the end of the .gz extra field");
            }
            byte[] payload = new byte[len];
            System.arraycopy(x, pos, payload, 0, len);
            extra.addSubField(id, payload);
            pos += len;
        }
        return extra;
    }

    private static byte[] readText(Source in) throws IOException {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (int b; (b = in.next()) != 0; ) {
            if (s.size() == MAX_TEXT) {
                throw new IOException("Unterminated file name or comment in the .gz header");
            }
            s.write(b);
        }
        return s.toByteArray();
    }

    static int readLe16(Source in) throws IOException {
        return in.next() | in.next() << 8;
    }

    static int readLe32(Source in) throws IOException {
        return readLe16(in) | readLe16(in) << 16;
    }

    private static void writeLe16(OutputStream out, int v) throws IOException {
        out.write(v & 0xff);
        out.write(v >>> 8 & 0xff);
    }

    static void writeLe32(OutputStream out, int v) throws IOException {
        writeLe16(out, v);
        writeLe16(out, v >>> 16);
    }
}
