package io.warpdrive.zip;

/**
 * Settings for {@link HwGZIPOutputStream} and {@link HwDeflaterOutputStream}
 * beyond what their JDK-shaped constructors take: the level, the buffer
 * size, sync flushing, and the parallel mode.
 *
 * <p>With {@code parallelism(n)} for n &gt; 1 the stream cuts its input into
 * blocks of {@link #blockSize(int)} bytes and compresses up to n of them at
 * once (on accelerators, or the native software engine's worker threads),
 * and writes them in order as one ordinary stream any reader accepts. On
 * the software engine, blocks of 512 KiB and more (the default is 1 MiB)
 * at levels 2-9 are compressed by libdeflate, each on its own, within about
 * 1% of a serial stream's size; smaller blocks, and blocks on a device, are
 * primed with the previous block's last 32 KiB instead. At most 2n blocks
 * (about 2.2 MiB each at the default size) are held in memory; a writer
 * that runs ahead waits. {@code flush()} with sync
 * flushing compresses everything written so far before returning. Without
 * the native library the stream is serial.
 *
 * <pre>{@code
 * OutputStream gz = new HwGZIPOutputStream(out, new HwDeflateParameters()
 *         .level(6).parallelism(Runtime.getRuntime().availableProcessors()));
 * }</pre>
 */
public final class HwDeflateParameters {
    private int level = -1;
    private int bufferSize = HwDeflaterOutputStream.DEFAULT_BUFFER_SIZE;
    private boolean syncFlush;
    private int parallelism = 1;
    private int blockSize = 1024 * 1024;

    /** Compression level 0-9, or -1 for the default (6). */
    public HwDeflateParameters level(int level) {
        if (level < -1 || level > 9) {
            throw new IllegalArgumentException("invalid compression level");
        }
        this.level = level;
        return this;
    }

    /** Size of the serial mode's output buffer (default 64 KiB). */
    public HwDeflateParameters bufferSize(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("buffer size <= 0");
        }
        this.bufferSize = bytes;
        return this;
    }

    /** Whether {@code flush()} flushes the compressor (SYNC_FLUSH), as in the JDK streams. */
    public HwDeflateParameters syncFlush(boolean syncFlush) {
        this.syncFlush = syncFlush;
        return this;
    }

    /** Blocks compressed at once: 1 (default) is the serial mode. At most 128. */
    public HwDeflateParameters parallelism(int blocks) {
        if (blocks < 1 || blocks > 128) {
            throw new IllegalArgumentException("parallelism must be 1..128");
        }
        this.parallelism = blocks;
        return this;
    }

    /** Block size of the parallel mode, 4 KiB to 16 MiB (default 1 MiB). */
    public HwDeflateParameters blockSize(int bytes) {
        if (bytes < 4096 || bytes > (16 << 20)) {
            throw new IllegalArgumentException("block size must be 4 KiB..16 MiB");
        }
        this.blockSize = bytes;
        return this;
    }

    public int level() {
        return level;
    }

    public int bufferSize() {
        return bufferSize;
    }

    public boolean syncFlush() {
        return syncFlush;
    }

    public int parallelism() {
        return parallelism;
    }

    public int blockSize() {
        return blockSize;
    }

    /** The pipeline for the parallel mode, or null for a serial stream. */
    io.warpdrive.zip.internal.NativePipeline openPipeline() {
        if (parallelism < 2) {
            return null;
        }
        return io.warpdrive.zip.internal.NativePipeline.open(level, 2 * parallelism, blockSize);
    }
}
