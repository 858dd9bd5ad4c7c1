package io.warpdrive.zip;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * A {@link GZIPInputStream} whose DEFLATE data is decoded by a raw
 * {@link HwInflater}; header, trailer and CRC checks are the JDK's own, so
 * concatenated members (as gzip and pigz write them) are read in sequence
 * and a bad CRC or length raises {@link java.util.zip.ZipException}.
 * The default buffer is 64 KiB instead of 512 bytes.
 */
public class HwGZIPInputStream extends GZIPInputStream {
    public HwGZIPInputStream(InputStream in, int size) throws IOException {
        super(in, size);
        // The parent read the header without touching its Inflater: swap it.
        inf.end();
        inf = new HwInflater(true);
    }

    public HwGZIPInputStream(InputStream in) throws IOException {
        this(in, HwDeflaterOutputStream.DEFAULT_BUFFER_SIZE);
    }

    /** What serves the stream: a device name, "software" or "java.util.zip". */
    public String engine() {
        return ((HwInflater) inf).engine();
    }
}
