package io.warpdrive.zip;

import io.warpdrive.zip.internal.NativePipeline;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.zip.Adler32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A {@link DeflaterOutputStream} that compresses with a {@link HwDeflater}
 * by default, with a 64 KiB buffer instead of the JDK's 512 bytes (an
 * accelerator wants large requests). Same constructors, same contracts:
 * {@code flush()} emits a SYNC_FLUSH only when {@code syncFlush} is set,
 * {@code close()} finishes the stream and ends the deflater only if this
 * stream created it. {@link HwDeflateParameters} adds a parallel mode.
 */
public class HwDeflaterOutputStream extends DeflaterOutputStream {
    static final int DEFAULT_BUFFER_SIZE = 64 * 1024;

    private final boolean ownsDeflater;
    private final ParallelDeflate parallel; // null: the serial (JDK) path
    private final int level;
    private final boolean flushSync;
    private final Adler32 adler = new Adler32();
    private boolean headerWritten;
    private boolean trailerWritten;

    public HwDeflaterOutputStream(OutputStream out, Deflater def, int size, boolean syncFlush) {
        super(out, def, size, syncFlush);
        this.ownsDeflater = false;
        this.parallel = null;
        this.level = -1;
        this.flushSync = syncFlush;
    }

    public HwDeflaterOutputStream(OutputStream out, Deflater def, int size) {
        this(out, def, size, false);
    }

    public HwDeflaterOutputStream(OutputStream out, Deflater def, boolean syncFlush) {
        this(out, def, DEFAULT_BUFFER_SIZE, syncFlush);
    }

    public HwDeflaterOutputStream(OutputStream out, Deflater def) {
        this(out, def, DEFAULT_BUFFER_SIZE, false);
    }

    /** A stream with its own zlib-format {@link HwDeflater}. */
    public HwDeflaterOutputStream(OutputStream out, boolean syncFlush) {
        this(out, new HwDeflateParameters().syncFlush(syncFlush));
    }

    /**
     * A zlib-format stream with its own {@link HwDeflater} and the given
     * settings; with {@code parallelism > 1} (and the native library present)
     * blocks are compressed concurrently.
     */
    public HwDeflaterOutputStream(OutputStream out, HwDeflateParameters params) {
        super(out, new HwDeflater(params.level()), params.bufferSize(), params.syncFlush());
        this.ownsDeflater = true;
        this.level = params.level();
        this.flushSync = params.syncFlush();
        NativePipeline pipe = params.openPipeline();
        this.parallel = pipe == null ? null : new ParallelDeflate(pipe, out);
    }

    public HwDeflaterOutputStream(OutputStream out) {
        this(out, false);
    }

    /** The engine of the deflater, if it is a {@link HwDeflater}; otherwise "java.util.zip". */
    public String engine() {
        if (parallel != null) {
            return parallel.engine();
        }
        return def instanceof HwDeflater ? ((HwDeflater) def).engine() : "java.util.zip";
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (parallel == null) {
            super.write(b, off, len);
            return;
        }
        Objects.checkFromIndexSize(off, len, b.length);
        writeHeader();
        parallel.write(b, off, len);
        adler.update(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        if (parallel == null) {
            super.flush();
            return;
        }
        if (flushSync) {
            writeHeader();
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
        writeHeader();
        parallel.finish();
        int a = (int) adler.getValue();
        out.write(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
        trailerWritten = true;
    }

    /** The zlib header (RFC 1950) with FLEVEL as zlib derives it from the level. */
    private void writeHeader() throws IOException {
        if (headerWritten) {
            return;
        }
        int lvl = level < 0 ? 6 : level;
        int flevel = lvl < 2 ? 0 : lvl < 6 ? 1 : lvl == 6 ? 2 : 3;
        int h = (0x78 << 8) | (flevel << 6);
        h += 31 - (h % 31);
        out.write(new byte[] {(byte) (h >>> 8), (byte) h});
        headerWritten = true;
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            if (ownsDeflater) {
                def.end();
            }
            if (parallel != null) {
                parallel.close();
            }
        }
    }
}
