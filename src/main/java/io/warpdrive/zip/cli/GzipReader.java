package io.warpdrive.zip.cli;

import io.warpdrive.zip.HwInflater;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;

/**
 * Reads gzip data as gzip does: every member in sequence (concatenated
 * files, pigz output), each member's DEFLATE data through a raw
 * {@link HwInflater}, CRC-32 and length checked. After the last member,
 * zero bytes are ignored silently and anything else is "trailing garbage":
 * the data is good, {@link #trailingGarbage()} says so and the caller
 * warns (gzip's exit status 2).
 */
final class GzipReader {
    /** The first member's header fields that -N restores. */
    record Header(byte[] name, long mtime) {
    }

    private final InputStream in;
    private final byte[] buf = new byte[Gzip.CHUNK];
    private int pos;
    private int lim;
    private long bytesIn;
    private boolean eof;
    private boolean trailingGarbage;
    private Header first;

    GzipReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads the first member's header.
     *
     * @throws NotGzipException when the input does not start with the gzip magic
     * @throws Gzip.FormatException when it is empty, truncated or uses an unknown method
     */
    Header readFirstHeader() throws IOException {
        if (!ensure(1)) {
            throw new Gzip.FormatException("unexpected end of file");
        }
        if (!ensure(2) || (buf[pos] & 0xff) != Gzip.ID1 || (buf[pos + 1] & 0xff) != Gzip.ID2) {
            throw new NotGzipException();
        }
        first = readHeader();
        return first;
    }

    /**
     * Decompresses every member, starting with the one whose header
     * {@link #readFirstHeader()} read, into {@code out}.
     *
     * @return compressed bytes read, bytes written, the engines that served
     */
    Gzip.Transfer decompress(OutputStream out) throws IOException {
        if (first == null) {
            readFirstHeader();
        }
        long t0 = System.nanoTime();
        long written = 0;
        Set<String> engines = new LinkedHashSet<>();
        byte[] outBuf = new byte[Gzip.CHUNK];
        while (true) {
            written += member(out, outBuf, engines);
            if (!nextMember()) {
                break;
            }
            readHeader();
        }
        return new Gzip.Transfer(bytesIn, written, String.join("+", engines), System.nanoTime() - t0);
    }

    /** Whether bytes other than zeros followed the last member. */
    boolean trailingGarbage() {
        return trailingGarbage;
    }

    /** Copies the input unchanged, from where reading began ({@code -dcf} on data that is not gzip). */
    long copyRaw(OutputStream out) throws IOException {
        long n = lim - pos;
        out.write(buf, pos, lim - pos);
        pos = lim;
        return n + in.transferTo(out);
    }

    /** Inflates one member's data and checks its trailer; returns the bytes written. */
    private long member(OutputStream out, byte[] outBuf, Set<String> engines) throws IOException {
        CRC32 crc = new CRC32();
        long written = 0;
        HwInflater inf = new HwInflater(true);
        try {
            while (true) {
                if (inf.needsInput()) {
                    if (!refill()) {
                        throw new Gzip.FormatException("unexpected end of file");
                    }
                    inf.setInput(buf, pos, lim - pos);
                    pos = lim;
                }
                int n = inf.inflate(outBuf);
                if (n > 0) {
                    crc.update(outBuf, 0, n);
                    out.write(outBuf, 0, n);
                    written += n;
                }
                if (inf.finished()) {
                    break;
                }
                if (n == 0 && inf.needsDictionary()) {
                    throw new Gzip.FormatException("invalid compressed data--format violated");
                }
            }
            // The inflater stopped inside the buffer it was given; the rest is the trailer.
            pos = lim - inf.getRemaining();
            engines.add(inf.engine());
        } catch (DataFormatException e) {
            throw new Gzip.FormatException("invalid compressed data--format violated");
        } finally {
            inf.end();
        }
        if (!ensure(Gzip.TRAILER)) {
            throw new Gzip.FormatException("unexpected end of file");
        }
        long wantCrc = Gzip.getLe32(buf, pos);
        long wantSize = Gzip.getLe32(buf, pos + 4);
        pos += Gzip.TRAILER;
        if (wantCrc != crc.getValue()) {
            throw new Gzip.FormatException("invalid compressed data--crc error");
        }
        if (wantSize != (written & 0xffffffffL)) {
            throw new Gzip.FormatException("invalid compressed data--length error");
        }
        return written;
    }

    /**
     * After a member: true when another member starts here; false at the end
     * of input, after trailing zeros, or at trailing garbage (remembered).
     */
    private boolean nextMember() throws IOException {
        if (!ensure(1)) {
            return false;
        }
        if (ensure(2) && (buf[pos] & 0xff) == Gzip.ID1 && (buf[pos + 1] & 0xff) == Gzip.ID2) {
            return true;
        }
        // gzip ignores trailing zero bytes (tape padding) and warns about anything else.
        while (pos < lim || refill()) {
            if (buf[pos++] != 0) {
                trailingGarbage = true;
                return false;
            }
        }
        return false;
    }

    private Header readHeader() throws IOException {
        CRC32 hcrc = new CRC32();
        byte[] fixed = take(Gzip.FIXED_HEADER, hcrc);
        if ((fixed[0] & 0xff) != Gzip.ID1 || (fixed[1] & 0xff) != Gzip.ID2) {
            throw new Gzip.FormatException("not in gzip format");
        }
        if (fixed[2] != Gzip.CM_DEFLATE) {
            throw new Gzip.FormatException("unknown method " + (fixed[2] & 0xff) + " -- not supported");
        }
        int flg = fixed[3] & 0xff;
        if ((flg & Gzip.FRESERVED) != 0) {
            throw new Gzip.FormatException(String.format("has flags 0x%x -- not supported", flg));
        }
        long mtime = Gzip.getLe32(fixed, 4);
        if ((flg & Gzip.FEXTRA) != 0) {
            byte[] xlen = take(2, hcrc);
            take((xlen[0] & 0xff) | (xlen[1] & 0xff) << 8, hcrc);
        }
        byte[] name = (flg & Gzip.FNAME) != 0 ? zeroTerminated(hcrc) : null;
        if ((flg & Gzip.FCOMMENT) != 0) {
            zeroTerminated(hcrc);
        }
        if ((flg & Gzip.FHCRC) != 0) {
            int want = (int) (hcrc.getValue() & 0xffff);
            byte[] c = take(2, null);
            if (((c[0] & 0xff) | (c[1] & 0xff) << 8) != want) {
                throw new Gzip.FormatException("invalid compressed data--header crc error");
            }
        }
        return new Header(name, mtime);
    }

    private byte[] take(int n, CRC32 crc) throws IOException {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) nextByte();
        }
        if (crc != null) {
            crc.update(b);
        }
        return b;
    }

    private byte[] zeroTerminated(CRC32 crc) throws IOException {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        int c;
        while ((c = nextByte()) != 0) {
            s.write(c);
        }
        byte[] b = s.toByteArray();
        crc.update(b);
        crc.update(0);
        return b;
    }

    private int nextByte() throws IOException {
        if (pos == lim && !refill()) {
            throw new Gzip.FormatException("unexpected end of file");
        }
        return buf[pos++] & 0xff;
    }

    /** When the buffer is used up, reads the next bytes into it; false at end of input. */
    private boolean refill() throws IOException {
        if (pos < lim) {
            return true;
        }
        pos = 0;
        lim = 0;
        return ensure(1);
    }

    /** Makes at least {@code n} (<= buffer size) unread bytes available; false at end of input. */
    private boolean ensure(int n) throws IOException {
        if (lim - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        while (lim < n && !eof) {
            int k = in.read(buf, lim, buf.length - lim);
            if (k < 0) {
                eof = true;
            } else {
                lim += k;
                bytesIn += k;
            }
        }
        return lim - pos >= n;
    }

    /** The input does not start with the gzip magic bytes. */
    static final class NotGzipException extends Gzip.FormatException {
        private static final long serialVersionUID = 1L;

        NotGzipException() {
            super("not in gzip format");
        }
    }
}
