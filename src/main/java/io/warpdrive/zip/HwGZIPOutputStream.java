package io.warpdrive.zip;

import io.warpdrive.zip.internal.NativePipeline;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A {@link GZIPOutputStream} whose DEFLATE data comes from a raw
 * {@link HwDeflater}; the header, CRC-32 and trailer are the JDK's own.
 * The default buffer is 64 KiB instead of 512 bytes. With
 * {@code syncFlush}, {@code flush()} makes everything written so far
 * readable by the other end. {@link HwDeflateParameters} adds the level and
 * a parallel mode that compresses several blocks at once.
 */
public class HwGZIPOutputStream extends GZIPOutputStream {
    private static final int TRAILER_SIZE = 8;

    private final ParallelDeflate parallel; // null: the serial (JDK) path
    private final boolean flushSync;
    private boolean trailerWritten;

    public HwGZIPOutputStream(OutputStream out, int size, boolean syncFlush) throws IOException {
        this(out, new HwDeflateParameters().bufferSize(size).syncFlush(syncFlush));
    }

    /**
     * A stream with the given settings; with {@code parallelism > 1} (and the
     * native library present) blocks are compressed concurrently.
     */
    public HwGZIPOutputStream(OutputStream out, HwDeflateParameters params) throws IOException {
        super(out, params.bufferSize(), params.syncFlush());
        // The parent built a JDK Deflater and wrote the header with it unused: swap it.
        def.end();
        def = new HwDeflater(params.level(), true);
        this.flushSync = params.syncFlush();
        NativePipeline pipe = params.openPipeline();
        this.parallel = pipe == null ? null : new ParallelDeflate(pipe, out);
    }

    public HwGZIPOutputStream(OutputStream out, int size) throws IOException {
        this(out, size, false);
    }

    public HwGZIPOutputStream(OutputStream out, boolean syncFlush) throws IOException {
        this(out, HwDeflaterOutputStream.DEFAULT_BUFFER_SIZE, syncFlush);
    }

    public HwGZIPOutputStream(OutputStream out) throws IOException {
        this(out, HwDeflaterOutputStream.DEFAULT_BUFFER_SIZE, false);
    }

    /**
     * Sets the compression level (0-9 or -1) for what is written next, as
     * {@link Deflater#setLevel(int)}; the JDK's GZIPOutputStream has no
     * such method.
     */
    public void setLevel(int level) {
        def.setLevel(level);
    }

    /** What serves the stream: a device name, "software" or "java.util.zip". */
    public String engine() {
        return parallel != null ? parallel.engine() : ((HwDeflater) def).engine();
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws IOException {
        if (parallel == null) {
            super.write(buf, off, len);
            return;
        }
        Objects.checkFromIndexSize(off, len, buf.length);
        parallel.write(buf, off, len);
        crc.update(buf, off, len);
    }

    @Override
    public void flush() throws IOException {
        if (parallel == null) {
            super.flush();
            return;
        }
        if (flushSync) {
            parallel.flush();
        }
        out.flush();
    }

    @Override
    public void finish() throws IOException {
        if (parallel == null) {
            super.finish();
            return;
        }
        if (trailerWritten) {
            return;
        }
        parallel.finish();
        byte[] t = new byte[TRAILER_SIZE];
        putIntLE(t, 0, (int) crc.getValue());
        putIntLE(t, 4, (int) parallel.bytesIn()); // ISIZE: the length modulo 2^32
        out.write(t);
        trailerWritten = true;
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            if (parallel != null) {
                parallel.close();
            }
        }
    }

    private static void putIntLE(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
