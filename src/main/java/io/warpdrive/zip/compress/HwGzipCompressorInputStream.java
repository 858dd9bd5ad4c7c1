package io.warpdrive.zip.compress;

import io.warpdrive.zip.HwInflater;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import org.apache.commons.compress.compressors.CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.apache.commons.compress.utils.InputStreamStatistics;

/**
 * A gzip reader like commons-compress's {@link GzipCompressorInputStream},
 * decompressing with a raw {@link HwInflater}.
 *
 * <p>Every header field is parsed into {@link #getMetaData()} (file name
 * and comment, MTIME, OS, the level XFL implies, the extra field, whether
 * a header CRC was present; a header CRC is verified). The CRC-32 and
 * length of each member are checked, and a mismatch is an
 * {@link IOException}, as is a truncated stream. As in commons-compress,
 * only the first member is read unless {@code decompressConcatenated} is
 * set (gzip and pigz write concatenated members; so does appending .gz
 * files), and data after the last member that is not another member is
 * an error. When the input supports mark/reset and reading stops after a
 * member, the input is left right after that member.
 */
public class HwGzipCompressorInputStream extends CompressorInputStream implements InputStreamStatistics {
    private static final int BUFFER_SIZE = 64 * 1024;

    private final InputStream in;
    private final boolean decompressConcatenated;
    private final Charset fileNameCharset;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private final byte[] one = new byte[1];
    private final CRC32 crc = new CRC32();
    private final HwInflater inflater = new HwInflater(true);
    private int pos;
    private int lim;
    private long compressedCount;
    private GzipParameters metadata;
    private boolean endReached;

    /**
     * Reads the first gzip member of {@code in}; its header is read here.
     *
     * @param in the gzip data
     * @throws IOException if the input does not start with a valid gzip header
     */
    public HwGzipCompressorInputStream(InputStream in) throws IOException {
        this(in, false);
    }

    /**
     * Reads the first gzip member, or all members one after the other.
     *
     * @param in                     the gzip data
     * @param decompressConcatenated whether to read on after the first member
     * @throws IOException if the input does not start with a valid gzip header
     */
    public HwGzipCompressorInputStream(InputStream in, boolean decompressConcatenated) throws IOException {
        this(in, decompressConcatenated, StandardCharsets.ISO_8859_1);
    }

    /**
     * As {@link #HwGzipCompressorInputStream(InputStream, boolean)}, with the
     * charset of file names and comments (RFC 1952 says ISO-8859-1).
     *
     * @param in                     the gzip data
     * @param decompressConcatenated whether to read on after the first member
     * @param fileNameCharset        how to decode FNAME and FCOMMENT
     * @throws IOException if the input does not start with a valid gzip header
     */
    public HwGzipCompressorInputStream(InputStream in, boolean decompressConcatenated, Charset fileNameCharset)
            throws IOException {
        this.in = Objects.requireNonNull(in, "in");
        this.decompressConcatenated = decompressConcatenated;
        this.fileNameCharset = Objects.requireNonNull(fileNameCharset, "fileNameCharset");
        try {
            if (!readMemberHeader(true)) {
                throw new IOException("Input is not in the .gz format");
            }
        } catch (IOException | RuntimeException e) {
            inflater.end();
            throw e;
        }
    }

    /**
     * The header fields of the member being read.
     *
     * @return file name, comment, MTIME, OS, XFL level, extra field, header CRC flag;
     *         after the end, those of the last member
     */
    public GzipParameters getMetaData() {
        return metadata;
    }

    /**
     * What decompresses this stream.
     *
     * @return a device name such as {@code hisi_zip-0}, {@code software} or {@code java.util.zip}
     */
    public String engine() {
        return inflater.engine();
    }

    /** Compressed bytes consumed from the input so far (headers and trailers included). */
    @Override
    public long getCompressedCount() {
        return compressedCount;
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /**
     * Reads decompressed bytes.
     *
     * @return the number of bytes read, or -1 at the end of the (last) member
     * @throws IOException if the data is corrupt or truncated, or a check value does not match
     */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (!endReached) {
            if (inflater.needsInput()) {
                if (pos == lim && !fill()) {
                    throw new EOFException("Unexpected end of gzip data");
                }
                inflater.setInput(buf, pos, lim - pos);
                pos = lim;
            }
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new IOException("Gzip-compressed data is corrupt: " + e.getMessage(), e);
            }
            crc.update(b, off, n);
            count(n);
            if (inflater.finished()) {
                pos = lim - inflater.getRemaining();
                readMemberTrailer();
                if (!decompressConcatenated || !readMemberHeader(false)) {
                    end();
                }
            } else if (n == 0 && inflater.needsDictionary()) {
                throw new IOException("Gzip-compressed data needs a preset dictionary");
            }
            if (n > 0) {
                return n;
            }
        }
        return -1;
    }

    /** Refills the buffer; false at the end of the input. */
    private boolean fill() throws IOException {
        if (in.markSupported()) {
            in.mark(buf.length); // so unread bytes can go back at the end
        }
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            pos = 0;
            lim = 0;
            return false;
        }
        pos = 0;
        lim = n;
        compressedCount += n;
        return true;
    }

    private int nextByte() throws IOException {
        if (pos == lim && !fill()) {
            throw new EOFException("Unexpected end of gzip data");
        }
        return buf[pos++] & 0xff;
    }

    /**
     * Reads the header of the next member.
     *
     * @return false when the input ends cleanly before another member
     */
    private boolean readMemberHeader(boolean first) throws IOException {
        if (pos == lim && !fill()) {
            return false;
        }
        if (nextByte() != GzipHeader.ID1 || nextByte() != GzipHeader.ID2) {
            throw new IOException(first ? "Input is not in the .gz format"
                    : "Unexpected data after a valid .gz stream");
        }
        metadata = GzipHeader.read(this::nextByte, fileNameCharset);
        inflater.reset();
        crc.reset();
        return true;
    }

    private void readMemberTrailer() throws IOException {
        long expectedCrc = GzipHeader.readLe32(this::nextByte) & 0xffffffffL;
        long expectedSize = GzipHeader.readLe32(this::nextByte) & 0xffffffffL;
        if (expectedCrc != crc.getValue()) {
            throw new IOException("Gzip-compressed data is corrupt (CRC32 error)");
        }
        if (expectedSize != (inflater.getBytesWritten() & 0xffffffffL)) {
            throw new IOException("Gzip-compressed data is corrupt (uncompressed size mismatch)");
        }
    }

    /** The last member is done: give back what was read beyond it, if the input can take it. */
    private void end() throws IOException {
        endReached = true;
        inflater.end();
        int unread = lim - pos;
        if (unread > 0 && in.markSupported()) {
            in.reset();
            in.skipNBytes(pos);
            compressedCount -= unread;
        }
        pos = lim;
    }

    /**
     * Releases the inflater and closes the input (unless it is {@code System.in}).
     *
     * @throws IOException if closing the input fails
     */
    @Override
    public void close() throws IOException {
        inflater.end();
        if (in != System.in) {
            in.close();
        }
    }
}
