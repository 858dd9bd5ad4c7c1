package io.warpdrive.zip.compress;

import io.warpdrive.zip.HwDeflater;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.zip.CRC32;
import org.apache.commons.compress.compressors.CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * A gzip writer like commons-compress's {@link GzipCompressorOutputStream},
 * compressing with a raw {@link HwDeflater}. It takes the same
 * {@link GzipParameters} and writes the same header from them: FNAME,
 * FCOMMENT, FEXTRA and FHCRC when set, MTIME, OS, and XFL (2 for level 9,
 * 4 for level 1); the level, the deflate strategy and the buffer size
 * (the size of each compressed chunk handed to the underlying stream)
 * apply to the compressed data. The trailer carries the CRC-32 and the
 * length modulo 2^32, so any gzip reader (gzip, zlib, the JDK,
 * commons-compress) reads the output.
 *
 * <p>Differences from the commons-compress class: writing after
 * {@link #finish()} throws an {@link IOException} instead of producing a
 * stream no reader accepts; {@link #engine()} says what compressed.
 * {@link #flush()} flushes the underlying stream only, as there.
 */
public class HwGzipCompressorOutputStream extends CompressorOutputStream<OutputStream> {
    private final HwDeflater deflater;
    private final byte[] buffer;
    private final byte[] one = new byte[1];
    private final CRC32 crc = new CRC32();
    private boolean finished;

    /**
     * A gzip stream with default parameters (level 6, no file name, MTIME 0).
     *
     * @param out where the gzip data goes
     * @throws IOException if writing the header fails
     */
    public HwGzipCompressorOutputStream(OutputStream out) throws IOException {
        this(out, new GzipParameters());
    }

    /**
     * A gzip stream whose header and compression follow the parameters.
     *
     * @param out        where the gzip data goes
     * @param parameters level, strategy, buffer size and header fields
     * @throws IOException if writing the header fails
     */
    public HwGzipCompressorOutputStream(OutputStream out, GzipParameters parameters) throws IOException {
        super(Objects.requireNonNull(out, "out"));
        this.buffer = new byte[parameters.getBufferSize()];
        GzipHeader.write(out, parameters);
        this.deflater = new HwDeflater(parameters.getCompressionLevel(), true);
        this.deflater.setStrategy(parameters.getDeflateStrategy());
    }

    /**
     * What compresses this stream.
     *
     * @return a device name such as {@code hisi_zip-0}, {@code software} or {@code java.util.zip}
     */
    public String engine() {
        return deflater.engine();
    }

    @Override
    public void write(int b) throws IOException {
        one[0] = (byte) b;
        write(one, 0, 1);
    }

    @Override
    public void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    /**
     * Compresses {@code len} bytes of {@code b} from {@code off}.
     *
     * @throws IOException if the stream is closed or finished, or writing fails
     */
    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkOpen();
        if (finished) {
            throw new IOException("Cannot write more data: the gzip stream is finished");
        }
        if (len == 0) {
            return;
        }
        deflater.setInput(b, off, len);
        while (!deflater.needsInput()) {
            deflate();
        }
        crc.update(b, off, len);
    }

    private void deflate() throws IOException {
        int n = deflater.deflate(buffer, 0, buffer.length);
        if (n > 0) {
            out.write(buffer, 0, n);
        }
    }

    /**
     * Ends the compressed data and writes the trailer, without closing the
     * underlying stream. Calling it again does nothing.
     *
     * @throws IOException if writing fails
     */
    @Override
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        checkOpen();
        deflater.finish();
        while (!deflater.finished()) {
            deflate();
        }
        GzipHeader.writeLe32(out, (int) crc.getValue());
        GzipHeader.writeLe32(out, (int) deflater.getBytesRead());
        finished = true;
        super.finish();
    }

    /**
     * Finishes the stream, releases the deflater and closes the underlying stream.
     *
     * @throws IOException if finishing or closing fails
     */
    @Override
    public void close() throws IOException {
        if (isClosed()) {
            return;
        }
        try {
            finish();
        } finally {
            deflater.end();
            super.close();
        }
    }
}
