package io.warpdrive.zip.internal;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;

/**
 * Owner of a native compression pipeline (wdp_* in wd_stream.h): a raw
 * DEFLATE session and its block slots. Blocks are compressed concurrently
 * (on devices or the software engine's workers) and collected in order.
 * Released by {@link #close()} or a {@link Cleaner}. Not thread safe.
 */
public final class NativePipeline {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "warpdrive-zip-pipeline-cleaner");
        t.setDaemon(true);
        return t;
    });

    private final long handle;
    private final Cleaner.Cleanable cleanable;
    private final ByteBuffer[] in;
    private final ByteBuffer[] out;
    private final int block;

    private static final class Release implements Runnable {
        private final long handle;

        Release(long handle) {
            this.handle = handle;
        }

        @Override
        public void run() {
            WdNative.wdp_close(handle);
        }
    }

    private NativePipeline(long handle, int slots, int block) {
        this.handle = handle;
        this.block = block;
        this.cleanable = CLEANER.register(this, new Release(handle));
        int cap = WdNative.wdp_out_cap(handle);
        in = new ByteBuffer[slots];
        out = new ByteBuffer[slots];
        for (int i = 0; i < slots; i++) {
            in[i] = new Pointer(WdNative.wdp_in(handle, i)).getByteBuffer(0, block);
            out[i] = new Pointer(WdNative.wdp_out(handle, i)).getByteBuffer(0, cap);
        }
    }

    /** A pipeline, or null when the native library is unavailable. */
    public static NativePipeline open(int level, int slots, int block) {
        if (!Loader.available()) {
            return null;
        }
        long h = WdNative.wdp_open(level, slots, block);
        if (h == 0) {
            throw new IllegalArgumentException("cannot open a pipeline with level " + level + ", " + slots
                    + " slots of " + block + " bytes");
        }
        return new NativePipeline(h, slots, block);
    }

    public int slots() {
        return in.length;
    }

    public int blockSize() {
        return block;
    }

    /** The input area of a slot (blockSize() bytes); absolute puts only. */
    public ByteBuffer input(int slot) {
        return in[slot];
    }

    /** The output area of a slot; valid after {@link #await(int)}. */
    public ByteBuffer output(int slot) {
        return out[slot];
    }

    /** Submits a slot's first len bytes; prev is the slot of the block before, or -1. */
    public void submit(int slot, int len, boolean last, int prev) throws IOException {
        try {
            int rc = WdNative.wdp_submit(handle, slot, len, last ? 1 : 0, prev);
            if (rc != 0) {
                throw failure(rc);
            }
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Waits for a slot; returns the bytes it produced in {@link #output(int)}. */
    public int await(int slot) throws IOException {
        try {
            int n = WdNative.wdp_wait(handle, slot);
            if (n < 0) {
                throw failure(n);
            }
            return n;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    public String engine() {
        try {
            return WdNative.wdp_engine(handle);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    public void close() {
        cleanable.clean();
    }

    private IOException failure(int rc) {
        String msg = WdNative.wdp_errmsg(handle);
        if (rc == -5) { // EIO: the device failed and fallback is off
            return new IOException(new io.warpdrive.zip.AcceleratorException(
                    msg == null || msg.isEmpty() ? "accelerator failed" : msg));
        }
        return new IOException("parallel compression failed (" + rc + ")"
                + (msg == null || msg.isEmpty() ? "" : ": " + msg));
    }
}
