package io.warpdrive.zip;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * An {@link InflaterInputStream} that decompresses with a
 * {@link HwInflater} by default, with a 64 KiB buffer. Same constructors
 * and contracts as the JDK's; {@code close()} ends the inflater only if
 * this stream created it.
 */
public class HwInflaterInputStream extends InflaterInputStream {
    private final boolean ownsInflater;

    public HwInflaterInputStream(InputStream in, Inflater inf, int size) {
        super(in, inf, size);
        this.ownsInflater = false;
    }

    public HwInflaterInputStream(InputStream in, Inflater inf) {
        this(in, inf, HwDeflaterOutputStream.DEFAULT_BUFFER_SIZE);
    }

    /** A stream with its own zlib-format {@link HwInflater}. */
    public HwInflaterInputStream(InputStream in) {
        super(in, new HwInflater(), HwDeflaterOutputStream.DEFAULT_BUFFER_SIZE);
        this.ownsInflater = true;
    }

    /** The engine of the inflater, if it is a {@link HwInflater}; otherwise "java.util.zip". */
    public String engine() {
        return inf instanceof HwInflater ? ((HwInflater) inf).engine() : "java.util.zip";
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            if (ownsInflater) {
                inf.end();
            }
        }
    }
}
