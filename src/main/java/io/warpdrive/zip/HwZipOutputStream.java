package io.warpdrive.zip;

import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.ZipOutputStream;

/**
 * A {@link ZipOutputStream} that compresses DEFLATED entries with a raw
 * {@link HwDeflater} through a 64 KiB buffer; everything else (entries,
 * STORED entries, ZIP64, the central directory) is the JDK's own.
 */
public class HwZipOutputStream extends ZipOutputStream {
    public HwZipOutputStream(OutputStream out, Charset charset) {
        super(out, charset);
        def.end();
        def = new HwDeflater(Deflater.DEFAULT_COMPRESSION, true);
        buf = new byte[HwDeflaterOutputStream.DEFAULT_BUFFER_SIZE];
    }

    public HwZipOutputStream(OutputStream out) {
        this(out, StandardCharsets.UTF_8);
    }

    /** What serves the current entry: a device name, "software" or "java.util.zip". */
    public String engine() {
        return ((HwDeflater) def).engine();
    }
}
