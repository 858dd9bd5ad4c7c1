package io.warpdrive.zip.internal;

import java.util.concurrent.atomic.LongAdder;

/** Statistics of streams served by java.util.zip when the native library is unavailable. */
public final class JavaStats {
    public static final LongAdder STREAMS = new LongAdder();
    public static final LongAdder BYTES_IN = new LongAdder();
    public static final LongAdder BYTES_OUT = new LongAdder();

    private JavaStats() {
    }

    public static void add(long in, long out) {
        if (in > 0) {
            BYTES_IN.add(in);
        }
        if (out > 0) {
            BYTES_OUT.add(out);
        }
    }
}
