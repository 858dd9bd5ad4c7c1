package io.warpdrive.zip.compress;

import io.warpdrive.zip.HwInflater;
import io.warpdrive.zip.HwInflaterInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import org.apache.commons.compress.compressors.CompressorInputStream;
import org.apache.commons.compress.compressors.deflate.DeflateCompressorInputStream;
import org.apache.commons.compress.compressors.deflate.DeflateParameters;
import org.apache.commons.compress.utils.InputStreamStatistics;

/**
 * A DEFLATE reader like commons-compress's
 * {@link DeflateCompressorInputStream}: zlib format by default, raw
 * DEFLATE when the parameters say there is no zlib header; decompressed
 * by a {@link HwInflaterInputStream} with its own {@link HwInflater}.
 * Reading ends with the end of the compressed stream; a truncated stream
 * is an {@link java.io.EOFException} and corrupt data a
 * {@link java.util.zip.ZipException}.
 */
public class HwDeflateCompressorInputStream extends CompressorInputStream implements InputStreamStatistics {
    private final Counting counting;
    private final HwInflater inflater;
    private final HwInflaterInputStream in;

    /**
     * Reads zlib-format data.
     *
     * @param in the compressed data
     */
    public HwDeflateCompressorInputStream(InputStream in) {
        this(in, new DeflateParameters());
    }

    /**
     * Reads zlib-format or raw DEFLATE data, as the parameters say.
     *
     * @param in         the compressed data
     * @param parameters whether the data has a zlib header and trailer
     */
    public HwDeflateCompressorInputStream(InputStream in, DeflateParameters parameters) {
        this.counting = new Counting(Objects.requireNonNull(in, "in"));
        this.inflater = new HwInflater(!parameters.withZlibHeader());
        this.in = new HwInflaterInputStream(counting, inflater);
    }

    /**
     * What decompresses this stream.
     *
     * @return a device name such as {@code hisi_zip-0}, {@code software} or {@code java.util.zip}
     */
    public String engine() {
        return inflater.engine();
    }

    /** Compressed bytes read from the input so far. */
    @Override
    public long getCompressedCount() {
        return counting.count;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        count(b < 0 ? -1 : 1);
        return b;
    }

    /**
     * Reads decompressed bytes.
     *
     * @return the number of bytes read, or -1 at the end of the compressed stream
     * @throws IOException if the data is corrupt or truncated
     */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = in.read(b, off, len);
        count(n);
        return n;
    }

    /**
     * Skips decompressed bytes.
     *
     * @return the number skipped
     * @throws IOException if the data is corrupt or truncated
     */
    @Override
    public long skip(long n) throws IOException {
        long s = in.skip(n);
        count(s);
        return s;
    }

    /** 0 after the end of the compressed stream, otherwise 1, as {@link java.util.zip.InflaterInputStream#available()}. */
    @Override
    public int available() throws IOException {
        return in.available();
    }

    /**
     * Closes the input and releases the inflater.
     *
     * @throws IOException if closing the input fails
     */
    @Override
    public void close() throws IOException {
        try {
            in.close();
        } finally {
            inflater.end();
        }
    }

    /** Counts the compressed bytes the inflater stream takes from the input. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }
    }
}
