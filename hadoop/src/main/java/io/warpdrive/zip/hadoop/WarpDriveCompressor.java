package io.warpdrive.zip.hadoop;

import io.warpdrive.zip.HwDeflater;
import java.io.IOException;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.Compressor;

/**
 * A Hadoop {@link Compressor} over one {@link HwDeflater}: the deflate
 * engine of the gzip and zlib compressors, which add only their framing.
 *
 * <p>Input is copied into a batch buffer ({@link CodecSettings#BUFFER_SIZE_KEY},
 * 64 KiB by default) and handed to the deflater when the batch is full or
 * the stream finishes, as Hadoop's native zlib compressor does: record
 * writers write a few bytes at a time, and an accelerator serves large
 * requests only. So {@link #needsInput()} stays true while the batch has
 * room, and the caller's array may be reused as soon as it does.
 *
 * <p>{@link #reset()} and {@link #reinit(Configuration)} reuse the native
 * stream, so a compressor returned to Hadoop's {@code CodecPool} costs
 * nothing to borrow again. {@link #end()} releases it; a forgotten instance
 * is released by the deflater's cleaner. Not for use by several threads at
 * once (Hadoop's compressors are not either).
 */
public abstract class WarpDriveCompressor implements Compressor {
    private final HwDeflater deflater;
    private final byte[] batch;
    private int batched;          // bytes in batch
    private boolean fed;          // batch handed to the deflater and not yet all consumed
    private byte[] userBuf;
    private int userOff;
    private int userLen;
    private boolean finish;
    private boolean ended;
    private byte[] header;        // framing before the deflate data; null once written
    private int headerPos;
    private byte[] trailer;       // framing after it; null until the deflater finishes
    private int trailerPos;
    private long framingWritten;

    WarpDriveCompressor(Configuration conf, boolean nowrap) {
        this.deflater = new HwDeflater(CodecSettings.level(conf), nowrap);
        this.batch = new byte[CodecSettings.bufferSize(conf)];
        deflater.setStrategy(CodecSettings.strategy(conf));
        this.header = header();
    }

    /** The bytes written before the deflate data; empty for none. */
    abstract byte[] header();

    /** Sees every input byte once, in order, as it goes to the deflater. */
    abstract void consumed(byte[] b, int off, int len);

    /** The bytes written after the deflate data, given the uncompressed length. */
    abstract byte[] trailer(long uncompressedBytes);

    /** Forgets what {@link #consumed} saw; called by {@link #reset()}. */
    abstract void restart();

    /**
     * What serves this compressor: a device name such as {@code hisi_zip-0},
     * {@code software}, or {@code java.util.zip} (see {@link HwDeflater#engine()}).
     */
    public String engine() {
        return deflater.engine();
    }

    @Override
    public void setInput(byte[] b, int off, int len) {
        Objects.requireNonNull(b);
        if (off < 0 || len < 0 || off > b.length - len) {
            throw new ArrayIndexOutOfBoundsException();
        }
        userBuf = b;
        userOff = off;
        userLen = len;
        takeUserInput();
    }

    /**
     * True when every byte given to {@link #setInput} has been taken into
     * the batch and the batch has room: the caller may give more.
     */
    @Override
    public boolean needsInput() {
        if (ended || !batchFree()) {
            return false;
        }
        takeUserInput();
        return batched < batch.length;
    }

    /**
     * Sets a preset dictionary; must come before the first input is compressed.
     *
     * @throws UnsupportedOperationException for gzip, which cannot carry one
     */
    @Override
    public void setDictionary(byte[] b, int off, int len) {
        deflater.setDictionary(b, off, len);
    }

    /** Uncompressed bytes the deflater has consumed (batched bytes not yet). */
    @Override
    public long getBytesRead() {
        return deflater.getBytesRead();
    }

    /** Compressed bytes returned by {@link #compress}, framing included. */
    @Override
    public long getBytesWritten() {
        return deflater.getBytesWritten() + framingWritten;
    }

    /** Ends the input: once {@link #compress} has returned what remains, {@link #finished()} is true. */
    @Override
    public void finish() {
        finish = true;
    }

    @Override
    public boolean finished() {
        return finish && trailer != null && trailerPos == trailer.length;
    }

    /**
     * Fills {@code b[off, off+len)} with compressed data; returns how many
     * bytes, 0 when more input is needed or the stream is finished.
     *
     * @throws IOException if the compressor has been ended
     */
    @Override
    public int compress(byte[] b, int off, int len) throws IOException {
        Objects.requireNonNull(b);
        if (off < 0 || len < 0 || off > b.length - len) {
            throw new ArrayIndexOutOfBoundsException();
        }
        if (ended) {
            throw new IOException("compress() on a compressor that has been ended");
        }
        int n = 0;
        if (header != null) {
            int k = Math.min(len, header.length - headerPos);
            System.arraycopy(header, headerPos, b, off, k);
            headerPos += k;
            framingWritten += k;
            n += k;
            if (headerPos < header.length) {
                return n;
            }
            header = null;
        }
        if (trailer == null) {
            feed();
            if (n == len) {
                // No room left: the deflater is not asked for 0 bytes (older core
                // builds threw InternalError for that once finishing; the JDK returns 0).
                return n;
            }
            n += deflater.deflate(b, off + n, len - n);
            if (!deflater.finished()) {
                return n;
            }
            trailer = trailer(deflater.getBytesRead());
        }
        int k = Math.min(len - n, trailer.length - trailerPos);
        System.arraycopy(trailer, trailerPos, b, off + n, k);
        trailerPos += k;
        framingWritten += k;
        return n + k;
    }

    /** Starts a new stream with the same settings, on the same native stream. */
    @Override
    public void reset() {
        if (ended) {
            throw new IllegalStateException("reset() on a compressor that has been ended");
        }
        deflater.reset();
        batched = 0;
        fed = false;
        userBuf = null;
        userLen = 0;
        finish = false;
        header = header();
        headerPos = 0;
        trailer = null;
        trailerPos = 0;
        framingWritten = 0;
        restart();
    }

    /**
     * {@link #reset()}, then takes the level and strategy from {@code conf}
     * (when not null), as CodecPool does for a compressor it lends again.
     */
    @Override
    public void reinit(Configuration conf) {
        reset();
        if (conf != null) {
            deflater.setLevel(CodecSettings.level(conf));
            deflater.setStrategy(CodecSettings.strategy(conf));
        }
    }

    /** Releases the native stream. Idempotent. */
    @Override
    public void end() {
        ended = true;
        userBuf = null;
        deflater.end();
    }

    /** True when the batch may be refilled: not handed over, or all consumed. */
    private boolean batchFree() {
        if (fed) {
            if (!deflater.needsInput()) {
                return false;
            }
            fed = false;
            batched = 0;
        }
        return true;
    }

    private void takeUserInput() {
        if (userLen == 0 || !batchFree()) {
            return;
        }
        int k = Math.min(userLen, batch.length - batched);
        System.arraycopy(userBuf, userOff, batch, batched, k);
        batched += k;
        userOff += k;
        userLen -= k;
        if (userLen == 0) {
            userBuf = null;
        }
    }

    /** Hands a full batch (or, when finishing, the last one) to the deflater. */
    private void feed() {
        if (!batchFree()) {
            return;
        }
        takeUserInput();
        if (batched == batch.length || (finish && batched > 0)) {
            consumed(batch, 0, batched);
            deflater.setInput(batch, 0, batched);
            fed = true;
        }
        if (finish && userLen == 0) {
            deflater.finish();
        }
    }
}
