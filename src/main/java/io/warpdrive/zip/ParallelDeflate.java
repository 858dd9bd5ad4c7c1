package io.warpdrive.zip;

import io.warpdrive.zip.internal.NativePipeline;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The parallel mode of the output streams: input is cut into blocks,
 * blocks are compressed concurrently (each primed with the previous
 * block's last 32 KiB, each ending on a sync flush), and their outputs are
 * written in order, forming one raw DEFLATE stream. At most
 * {@code slots} blocks are in memory; a writer that runs ahead waits for
 * the oldest block (back-pressure). Errors surface on the writer's thread.
 */
final class ParallelDeflate {
    private final NativePipeline pipe;
    private final OutputStream out;
    private final byte[] copy = new byte[HwDeflaterOutputStream.DEFAULT_BUFFER_SIZE];
    private final int slots;
    private final int block;
    private int current;
    private int filled;
    private int oldest;
    private int busy;
    private int prev = -1;
    private long bytesIn;
    private boolean finished;

    ParallelDeflate(NativePipeline pipe, OutputStream out) {
        this.pipe = pipe;
        this.out = out;
        this.slots = pipe.slots();
        this.block = pipe.blockSize();
    }

    long bytesIn() {
        return bytesIn;
    }

    String engine() {
        return pipe.engine();
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("write beyond end of stream");
        }
        while (len > 0) {
            int n = Math.min(len, block - filled);
            pipe.input(current).put(filled, b, off, n);
            filled += n;
            off += n;
            len -= n;
            bytesIn += n;
            if (filled == block) {
                submit(false);
            }
        }
    }

    /** Compresses what is buffered up to a byte boundary and writes all of it. */
    void flush() throws IOException {
        if (finished) {
            return;
        }
        if (filled > 0) {
            submit(false);
        }
        while (busy > 0) {
            collect();
        }
    }

    /** Ends the DEFLATE stream (the final block) and writes everything. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        submit(true);
        while (busy > 0) {
            collect();
        }
        finished = true;
    }

    void close() {
        pipe.close();
    }

    private void submit(boolean last) throws IOException {
        pipe.submit(current, filled, last, prev);
        prev = current;
        current = (current + 1) % slots;
        filled = 0;
        busy++;
        if (busy == slots) {
            collect(); // the next slot to fill is the oldest: free it first
        }
    }

    private void collect() throws IOException {
        int n = pipe.await(oldest);
        var src = pipe.output(oldest);
        for (int pos = 0; pos < n; ) {
            int k = Math.min(copy.length, n - pos);
            src.get(pos, copy, 0, k);
            out.write(copy, 0, k);
            pos += k;
        }
        oldest = (oldest + 1) % slots;
        busy--;
    }
}
