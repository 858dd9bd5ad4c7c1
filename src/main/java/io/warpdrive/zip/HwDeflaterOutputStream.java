package io.warpdrive.zip;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A {@link DeflaterOutputStream} that compresses with a {@link HwDeflater}
 * by default, with a 64 KiB buffer instead of the JDK's 512 bytes (an
 * accelerator wants large requests). Same constructors, same contracts:
 * {@code flush()} emits a SYNC_FLUSH only when {@code syncFlush} is set,
 * {@code close()} finishes the stream and ends the deflater only if this
 * stream created it.
 */
public class HwDeflaterOutputStream extends DeflaterOutputStream {
    static final int DEFAULT_BUFFER_SIZE = 64 * 1024;

    private final boolean ownsDeflater;

    public HwDeflaterOutputStream(OutputStream out, Deflater def, int size, boolean syncFlush) {
        super(out, def, size, syncFlush);
        this.ownsDeflater = false;
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
        super(out, new HwDeflater(), DEFAULT_BUFFER_SIZE, syncFlush);
        this.ownsDeflater = true;
    }

    public HwDeflaterOutputStream(OutputStream out) {
        this(out, false);
    }

    /** The engine of the deflater, if it is a {@link HwDeflater}; otherwise "java.util.zip". */
    public String engine() {
        return def instanceof HwDeflater ? ((HwDeflater) def).engine() : "java.util.zip";
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            if (ownsDeflater) {
                def.end();
            }
        }
    }
}
