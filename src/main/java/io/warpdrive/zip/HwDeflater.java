package io.warpdrive.zip;

import io.warpdrive.zip.internal.Input;
import io.warpdrive.zip.internal.JavaStats;
import io.warpdrive.zip.internal.JdkBehaviour;
import io.warpdrive.zip.internal.NativeStream;
import io.warpdrive.zip.internal.Output;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Objects;
import java.util.zip.Deflater;

/**
 * A {@link Deflater} whose work is done by WarpDrive: an accelerator when
 * one is present (see {@link WarpDrive#accelerators()}), otherwise the
 * native software engine, with the same observable behaviour as the JDK's
 * Deflater: the same results, states, counters, check values and
 * exceptions for the same calls, so it can replace {@code new Deflater(...)}
 * anywhere.
 *
 * <p>When the native library cannot be loaded (see
 * {@link WarpDrive#nativeAvailable()}), every method is the JDK's own:
 * this class then is exactly {@code java.util.zip.Deflater}.
 *
 * <p>Differences a caller may see: compressed bytes served by an
 * accelerator differ from zlib's (they are equally valid DEFLATE; levels
 * other than 0 are the engine's single level); on the software engine
 * they are zlib's, byte for byte. Native memory is released by
 * {@link #end()}, or by a {@link java.lang.ref.Cleaner} when an instance
 * is forgotten. Like the JDK's, an instance is not meant for use by several
 * threads at once, but it is safe if that happens.
 */
public class HwDeflater extends Deflater {
    private final NativeStream ns; // null: java.util.zip serves
    private final Object lock = new Object();
    private final Input input = new Input();
    private final Output output = new Output();
    private int level;
    private int strategy = DEFAULT_STRATEGY;
    private boolean setParams;
    private boolean finish;
    private boolean finished;
    private long bytesRead;
    private long bytesWritten;
    private boolean counted;
    private String lastEngine;

    /**
     * Creates a compressor with the given level (0-9, or -1 for the
     * default, 6). With {@code nowrap} the output is raw DEFLATE without the
     * zlib header and checksum, as GZIP and ZIP need.
     *
     * @throws IllegalArgumentException if the level is invalid
     */
    public HwDeflater(int level, boolean nowrap) {
        super(level, nowrap); // validates the level exactly as the JDK does
        this.level = level;
        this.ns = NativeStream.open(false, nowrap, level, DEFAULT_STRATEGY);
        if (ns != null) {
            super.end(); // the parent's zlib stream (~256 KiB) is not needed
        }
    }

    /** A zlib-wrapped compressor with the given level. */
    public HwDeflater(int level) {
        this(level, false);
    }

    /** A zlib-wrapped compressor with the default level. */
    public HwDeflater() {
        this(DEFAULT_COMPRESSION, false);
    }

    /**
     * What serves this stream: a device name such as {@code hisi_zip-0},
     * {@code software} for the native software engine, or
     * {@code java.util.zip} when the native library is unavailable.
     */
    public String engine() {
        if (ns == null) {
            return "java.util.zip";
        }
        synchronized (lock) {
            return ns.isClosed() ? lastEngine : ns.engine();
        }
    }

    @Override
    public void setInput(byte[] input, int off, int len) {
        if (ns == null) {
            super.setInput(input, off, len);
            return;
        }
        JdkBehaviour.checkRange(off, len, input.length);
        synchronized (lock) {
            this.input.set(input, off, len);
            ns.inputChanged();
        }
    }

    @Override
    public void setInput(byte[] input) {
        setInput(input, 0, input.length);
    }

    @Override
    public void setInput(ByteBuffer input) {
        if (ns == null) {
            super.setInput(input);
            return;
        }
        Objects.requireNonNull(input);
        synchronized (lock) {
            this.input.set(input);
            ns.inputChanged();
        }
    }

    @Override
    public void setDictionary(byte[] dictionary, int off, int len) {
        if (ns == null) {
            super.setDictionary(dictionary, off, len);
            return;
        }
        JdkBehaviour.checkRange(off, len, dictionary.length);
        synchronized (lock) {
            ensureOpen();
            checkDictionary(ns.setDictionary(dictionary, off, len, 0));
        }
    }

    @Override
    public void setDictionary(byte[] dictionary) {
        setDictionary(dictionary, 0, dictionary.length);
    }

    @Override
    public void setDictionary(ByteBuffer dictionary) {
        if (ns == null) {
            super.setDictionary(dictionary);
            return;
        }
        dictionary.position(); // a null buffer fails first, as in the JDK
        synchronized (lock) {
            ensureOpen();
            checkDictionary(ns.setDictionary(dictionary));
        }
    }

    private void checkDictionary(int rc) {
        if (rc == -22) { // EINVAL: zlib's Z_STREAM_ERROR, which the JDK reports without a message
            throw new IllegalArgumentException();
        }
        if (rc != 0) {
            throw new InternalError(ns.errorMessage());
        }
    }

    @Override
    public void setStrategy(int strategy) {
        if (ns == null) {
            super.setStrategy(strategy);
            return;
        }
        switch (strategy) {
            case DEFAULT_STRATEGY:
            case FILTERED:
            case HUFFMAN_ONLY:
                break;
            default:
                throw new IllegalArgumentException();
        }
        synchronized (lock) {
            if (this.strategy != strategy) {
                this.strategy = strategy;
                setParams = true;
            }
        }
    }

    @Override
    public void setLevel(int level) {
        if (ns == null) {
            super.setLevel(level);
            return;
        }
        if ((level < 0 || level > 9) && level != DEFAULT_COMPRESSION) {
            throw new IllegalArgumentException("invalid compression level");
        }
        synchronized (lock) {
            if (this.level != level) {
                this.level = level;
                setParams = true;
            }
        }
    }

    @Override
    public boolean needsInput() {
        if (ns == null) {
            return super.needsInput();
        }
        synchronized (lock) {
            return input.needsInput();
        }
    }

    @Override
    public void finish() {
        super.finish(); // keeps the JDK's package-private shouldFinish() truthful
        if (ns == null) {
            return;
        }
        synchronized (lock) {
            finish = true;
        }
    }

    @Override
    public boolean finished() {
        if (ns == null) {
            return super.finished();
        }
        synchronized (lock) {
            return finished;
        }
    }

    @Override
    public int deflate(byte[] output, int off, int len) {
        return deflate(output, off, len, NO_FLUSH);
    }

    @Override
    public int deflate(byte[] output) {
        return deflate(output, 0, output.length, NO_FLUSH);
    }

    @Override
    public int deflate(ByteBuffer output) {
        return deflate(output, NO_FLUSH);
    }

    @Override
    public int deflate(byte[] output, int off, int len, int flush) {
        if (ns == null) {
            return javaDeflate(() -> super.deflate(output, off, len, flush));
        }
        JdkBehaviour.checkRange(off, len, output.length);
        checkFlush(flush);
        synchronized (lock) {
            ensureOpen();
            if (len == 0 && !setParams) {
                // zlib: Z_BUF_ERROR without touching the stream, which the JDK returns as 0
                // (a pending switch still runs: deflateParams() may complete it without room)
                return 0;
            }
            return run(output, null, off, len, flush);
        }
    }

    @Override
    public int deflate(ByteBuffer output, int flush) {
        if (ns == null) {
            return javaDeflate(() -> super.deflate(output, flush));
        }
        if (output.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        checkFlush(flush);
        synchronized (lock) {
            ensureOpen();
            if (!output.hasRemaining() && !setParams) {
                return 0; // as for an empty array range
            }
            this.output.prepare(output);
            try {
                int written = run(this.output.arr, this.output.direct, this.output.off, this.output.len, flush);
                this.output.advance(output, written);
                return written;
            } finally {
                Reference.reachabilityFence(output);
            }
        }
    }

    private static void checkFlush(int flush) {
        if (flush != NO_FLUSH && flush != SYNC_FLUSH && flush != FULL_FLUSH) {
            throw new IllegalArgumentException();
        }
    }

    /** One JDK-style deflate call on the native stream; the lock is held. */
    private int run(byte[] outArr, ByteBuffer outDirect, int outOff, int outLen, int flush) {
        if (finish) {
            flush = NativeStream.FINISH; // the JDK disregards the given mode once finishing
        }
        int params = setParams ? (1 | strategy << 1 | level << 3) : 0;
        input.prepare();
        try {
            ns.deflate(input, outArr, outDirect, outOff, outLen, flush, params);
        } finally {
            Reference.reachabilityFence(input.held());
        }
        if (ns.finished) {
            finished = true;
        }
        if (params != 0 && !ns.pending) {
            setParams = false;
        }
        input.advance(ns.read);
        bytesWritten += ns.written;
        bytesRead += ns.read;
        return ns.written;
    }

    private interface IntCall {
        int call();
    }

    /** The java.util.zip path, counted in {@link WarpDrive#statistics()}. */
    private int javaDeflate(IntCall call) {
        if (!counted) {
            counted = true;
            JavaStats.STREAMS.increment();
        }
        long in0 = super.getBytesRead();
        int written = call.call();
        JavaStats.add(super.getBytesRead() - in0, written);
        return written;
    }

    @Override
    public int getAdler() {
        if (ns == null) {
            return super.getAdler();
        }
        synchronized (lock) {
            ensureOpen();
            return ns.adler();
        }
    }

    @Override
    public int getTotalIn() {
        return (int) getBytesRead();
    }

    @Override
    public long getBytesRead() {
        if (ns == null) {
            return super.getBytesRead();
        }
        synchronized (lock) {
            ensureOpen();
            return bytesRead;
        }
    }

    @Override
    public int getTotalOut() {
        return (int) getBytesWritten();
    }

    @Override
    public long getBytesWritten() {
        if (ns == null) {
            return super.getBytesWritten();
        }
        synchronized (lock) {
            ensureOpen();
            return bytesWritten;
        }
    }

    @Override
    public void reset() {
        if (ns == null) {
            super.reset();
            counted = false;
            return;
        }
        synchronized (lock) {
            ensureOpen();
            ns.reset();
            ns.inputChanged();
            finish = false;
            finished = false;
            input.clear();
            bytesRead = bytesWritten = 0;
        }
    }

    /**
     * Releases the native stream. Idempotent; afterwards the methods that
     * the JDK guards throw what the running JDK throws
     * ({@code NullPointerException}, or {@code IllegalStateException} from JDK 25).
     */
    @Override
    public void end() {
        if (ns == null) {
            super.end();
            return;
        }
        synchronized (lock) {
            if (!ns.isClosed()) {
                lastEngine = ns.engine();
                ns.close();
            }
            input.clear();
        }
    }

    private void ensureOpen() {
        if (ns.isClosed()) {
            throw JdkBehaviour.deflaterClosed();
        }
    }
}
