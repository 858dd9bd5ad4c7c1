package io.warpdrive.zip;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A {@link GZIPOutputStream} whose DEFLATE data comes from a raw
 * {@link HwDeflater}; the header, CRC-32 and trailer are the JDK's own.
 * The default buffer is 64 KiB instead of 512 bytes. With
 * {@code syncFlush}, {@code flush()} makes everything written so far
 * readable by the other end.
 */
public class HwGZIPOutputStream extends GZIPOutputStream {
    public HwGZIPOutputStream(OutputStream out, int size, boolean syncFlush) throws IOException {
        super(out, size, syncFlush);
        // The parent built a JDK Deflater and wrote the header with it unused: swap it.
        def.end();
        def = new HwDeflater(Deflater.DEFAULT_COMPRESSION, true);
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
        return ((HwDeflater) def).engine();
    }
}
