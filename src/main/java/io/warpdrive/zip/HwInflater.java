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
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * An {@link Inflater} whose work is done by WarpDrive: an accelerator when
 * one is present, otherwise the native software engine, with the JDK
 * Inflater's observable behaviour for the same calls: results,
 * {@link #needsInput()}, {@link #needsDictionary()}, {@link #finished()},
 * {@link #getRemaining()} (what follows the end of the stream), counters,
 * check values, and {@link DataFormatException} (with zlib's message) on
 * corrupt input, after which the input position and counters have advanced
 * by what was consumed, as in the JDK. The software engine takes input and
 * gives output call by call exactly as the JDK's zlib does. A device may
 * have taken input further than zlib in mid-stream (it takes whole pieces
 * and decodes ahead), so there {@link #getRemaining()} can be lower and
 * {@link #getBytesRead()} higher; {@link #needsInput()} is never true while
 * a device holds decoded output.
 *
 * <p>When the native library cannot be loaded, every method is the JDK's
 * own. A device that fails in mid-stream is replaced by the software
 * engine without losing or repeating a byte.
 */
public class HwInflater extends Inflater {
    private final NativeStream ns; // null: java.util.zip serves
    private final Object lock = new Object();
    private final Input input = new Input();
    private final Output output = new Output();
    private boolean finished;
    private boolean needDict;
    private long bytesRead;
    private long bytesWritten;
    private boolean counted;
    private String lastEngine;

    /**
     * Creates a decompressor; with {@code nowrap} it reads raw DEFLATE
     * (as GZIP and ZIP need) instead of the zlib format.
     */
    public HwInflater(boolean nowrap) {
        super(nowrap);
        this.ns = NativeStream.open(true, nowrap, -1, 0);
        if (ns != null) {
            super.end(); // the parent's zlib stream is not needed
        }
    }

    /** A decompressor for the zlib format. */
    public HwInflater() {
        this(false);
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
            needDict = false;
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
            needDict = false;
        }
    }

    /** The JDK reports zlib's Z_STREAM_ERROR and Z_DATA_ERROR here as IllegalArgumentException(msg). */
    private void checkDictionary(int rc) {
        if (rc == -22 || rc == -74) { // EINVAL, EBADMSG
            throw new IllegalArgumentException(ns.errorMessage());
        }
        if (rc != 0) {
            throw new InternalError(ns.errorMessage());
        }
    }

    @Override
    public int getRemaining() {
        if (ns == null) {
            return super.getRemaining();
        }
        synchronized (lock) {
            return input.remaining();
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
    public boolean needsDictionary() {
        if (ns == null) {
            return super.needsDictionary();
        }
        synchronized (lock) {
            return needDict;
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
    public int inflate(byte[] output, int off, int len) throws DataFormatException {
        if (ns == null) {
            countJavaStream();
            long in0 = super.getBytesRead();
            int n = super.inflate(output, off, len);
            JavaStats.add(super.getBytesRead() - in0, n);
            return n;
        }
        JdkBehaviour.checkRange(off, len, output.length);
        synchronized (lock) {
            ensureOpen();
            return run(output, null, off, len);
        }
    }

    @Override
    public int inflate(byte[] output) throws DataFormatException {
        return inflate(output, 0, output.length);
    }

    @Override
    public int inflate(ByteBuffer output) throws DataFormatException {
        if (ns == null) {
            countJavaStream();
            long in0 = super.getBytesRead();
            int n = super.inflate(output);
            JavaStats.add(super.getBytesRead() - in0, n);
            return n;
        }
        if (output.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        synchronized (lock) {
            ensureOpen();
            this.output.prepare(output);
            try {
                int written = run(this.output.arr, this.output.direct, this.output.off, this.output.len);
                this.output.advance(output, written);
                return written;
            } catch (DataFormatException e) {
                this.output.advance(output, ns.written);
                throw e;
            } finally {
                Reference.reachabilityFence(output);
            }
        }
    }

    /** One JDK-style inflate call on the native stream; the lock is held. */
    private int run(byte[] outArr, ByteBuffer outDirect, int outOff, int outLen) throws DataFormatException {
        input.prepare();
        try {
            ns.inflate(input, outArr, outDirect, outOff, outLen);
        } catch (DataFormatException e) {
            // as the JDK: what was consumed and produced before the error counts
            input.advance(ns.read);
            bytesRead += ns.read;
            bytesWritten += ns.written;
            throw e;
        } finally {
            Reference.reachabilityFence(input.held());
        }
        if (ns.finished) {
            finished = true;
        }
        if (ns.pending) {
            needDict = true;
        }
        input.advance(ns.read);
        bytesWritten += ns.written;
        bytesRead += ns.read;
        return ns.written;
    }

    private void countJavaStream() {
        if (!counted) {
            counted = true;
            JavaStats.STREAMS.increment();
        }
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
            input.clear();
            finished = false;
            needDict = false;
            bytesRead = bytesWritten = 0;
        }
    }

    /**
     * Releases the native stream. Idempotent; afterwards the methods the
     * JDK guards throw what the running JDK throws.
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
            throw JdkBehaviour.inflaterClosed();
        }
    }
}
