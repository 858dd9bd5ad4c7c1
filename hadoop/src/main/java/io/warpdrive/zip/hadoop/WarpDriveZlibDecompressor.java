package io.warpdrive.zip.hadoop;

import io.warpdrive.zip.HwInflater;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import org.apache.hadoop.io.compress.Decompressor;
import org.apache.hadoop.io.compress.DirectDecompressor;

/**
 * Decompresses the zlib format (RFC 1950), what Hadoop's {@code DefaultCodec}
 * writes, with an {@link HwInflater}: the {@link WarpDriveDeflateCodec}'s
 * decompressor, for arrays ({@link Decompressor}) and for buffers
 * ({@link DirectDecompressor}).
 *
 * <p>It behaves like Hadoop's {@code BuiltInZlibInflater}, which is the
 * JDK's Inflater: {@link #finished()} at the end of a zlib stream,
 * {@link #getRemaining()} counting the bytes after it, preset dictionaries
 * through {@link #needsDictionary()}/{@link #setDictionary}. The input
 * array is read in place: it must stay unchanged until {@link #needsInput()}
 * is true. {@link #reset()} reuses the native stream.
 */
public final class WarpDriveZlibDecompressor implements Decompressor, DirectDecompressor {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final HwInflater inflater = new HwInflater(false);
    private boolean ended;

    /** A decompressor ready for a zlib stream. */
    public WarpDriveZlibDecompressor() {
    }

    /**
     * What serves this decompressor: a device name such as {@code hisi_zip-0},
     * {@code software}, or {@code java.util.zip} (see {@link HwInflater#engine()}).
     */
    public String engine() {
        return inflater.engine();
    }

    @Override
    public void setInput(byte[] b, int off, int len) {
        inflater.setInput(b, off, len);
    }

    @Override
    public boolean needsInput() {
        return inflater.needsInput();
    }

    @Override
    public void setDictionary(byte[] b, int off, int len) {
        inflater.setDictionary(b, off, len);
    }

    @Override
    public boolean needsDictionary() {
        return inflater.needsDictionary();
    }

    @Override
    public boolean finished() {
        return inflater.finished();
    }

    /**
     * Decompresses into {@code b[off, off+len)}; returns the number of
     * bytes, 0 when more input or a dictionary is needed or the stream is finished.
     *
     * @throws IOException if the data is corrupt (with zlib's message) or
     *                     the decompressor has been ended
     */
    @Override
    public int decompress(byte[] b, int off, int len) throws IOException {
        checkOpen();
        try {
            return inflater.inflate(b, off, len);
        } catch (DataFormatException e) {
            throw new IOException("corrupt zlib data: " + e.getMessage(), e);
        }
    }

    /**
     * Decompresses from {@code src} into {@code dst}, advancing both
     * positions, until {@code dst} is full, {@code src} is used up or the
     * stream ends. The decompressor keeps no reference to either buffer.
     *
     * @throws IOException as {@link #decompress(byte[], int, int)}
     */
    @Override
    public void decompress(ByteBuffer src, ByteBuffer dst) throws IOException {
        checkOpen();
        inflater.setInput(src);
        try {
            while (dst.hasRemaining() && !inflater.finished()) {
                int srcPos = src.position();
                int n = inflater.inflate(dst);
                if (n == 0 && src.position() == srcPos) {
                    break; // needs input or a dictionary
                }
            }
        } catch (DataFormatException e) {
            throw new IOException("corrupt zlib data: " + e.getMessage(), e);
        } finally {
            inflater.setInput(EMPTY);
        }
    }

    @Override
    public int getRemaining() {
        return inflater.getRemaining();
    }

    /** Compressed bytes consumed since the last {@link #reset()}. */
    public long getBytesRead() {
        return inflater.getBytesRead();
    }

    /** Decompressed bytes produced since the last {@link #reset()}. */
    public long getBytesWritten() {
        return inflater.getBytesWritten();
    }

    /** Starts over for a new zlib stream; reuses the native stream. */
    @Override
    public void reset() {
        inflater.reset();
    }

    /** Releases the native stream. Idempotent. */
    @Override
    public void end() {
        ended = true;
        inflater.end();
    }

    private void checkOpen() throws IOException {
        if (ended) {
            throw new IOException("decompress() on a decompressor that has been ended");
        }
    }
}
