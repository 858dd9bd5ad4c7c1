package io.warpdrive.zip.internal;

import com.sun.jna.Pointer;
import io.warpdrive.zip.AcceleratorException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.DataFormatException;

/**
 * One native stream object: the single owner of a C {@code wds} stream and
 * its staging buffers. Released by {@link #close()} or, if its owner is
 * forgotten, by a {@link Cleaner}; the release runs exactly once.
 *
 * <p>Each call mirrors one java.util.zip native call. Arrays and heap
 * buffers are copied to native staging buffers: inflate input and all
 * output in 64 KiB pieces, deflate input whole (up to 64 MiB; beyond, in
 * pieces of that size), and the caller's flush mode (or parameter switch)
 * applies to the last piece only, so one call here behaves like one zlib
 * call over the whole range. Not thread safe: the owner locks.
 */
public final class NativeStream {
    /** The FINISH flush value (java.util.zip keeps it private). */
    public static final int FINISH = 4;
    private static final int NO_FLUSH = 0;

    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "warpdrive-zip-cleaner");
        t.setDaemon(true);
        return t;
    });

    private final long handle;
    private final Cleaner.Cleanable cleanable;
    private final Release release;
    private ByteBuffer inStage;
    private ByteBuffer outStage;
    private long inStageAddr;
    private long outStageAddr;
    // Inflate output: the stream's ring, where each call's output follows the last so the
    // decoder reads its history there (no 32 KiB copy per call); the int after it says where
    // the last call's output starts.
    private ByteBuffer ring;
    // What the input staging buffer holds: source[stagedOff, stagedOff + stagedLen).
    // Inflate re-offers unconsumed input on every call; this avoids copying it again.
    private Object stagedSrc;
    private int stagedOff;
    private int stagedLen;

    /** Outcome of the last call (valid also when it threw). */
    public int read;
    public int written;
    public boolean finished;
    /** Deflate: new parameters not yet applied. Inflate: a dictionary is needed. */
    public boolean pending;

    private static final class Release implements Runnable {
        private final long handle;
        private volatile boolean done;

        Release(long handle) {
            this.handle = handle;
        }

        @Override
        public void run() {
            done = true;
            WdNative.wds_close(handle);
            LIVE.decrementAndGet();
        }
    }

    /**
     * Native streams not yet released. A forgotten stream costs a few
     * hundred bytes of Java heap but up to ~400 KiB of native memory (engine
     * state and staging buffers), so the collector alone may let millions
     * pile up before it runs (the JDK's own Deflater does exactly that: 9 GB
     * of RSS for 100,000 forgotten Deflater/Inflater pairs in a 64 MiB heap).
     * Like the JDK's direct buffers, opening asks for a collection when
     * {@link #GC_STEP} more streams are live than after the last one, and
     * then lets the Cleaner catch up while it is releasing; streams that are
     * ended never trigger it.
     */
    private static final java.util.concurrent.atomic.AtomicLong LIVE = new java.util.concurrent.atomic.AtomicLong();
    private static final long GC_STEP = 256;
    /** How long to wait for the Cleaner to start after a collection, and at most in all. */
    private static final int FIRST_WAIT_MS = 10;
    private static final int MAX_WAIT_MS = 1000;
    private static final Object GC_LOCK = new Object();
    private static volatile long liveLow;

    /** Native streams open now (ended or cleaned ones excluded); for tests and diagnostics. */
    public static long live() {
        return LIVE.get();
    }

    private static void countOpen() {
        long n = LIVE.incrementAndGet();
        if (n < liveLow) {
            liveLow = n;
        } else if (n - liveLow > GC_STEP) {
            collectForgotten();
        }
    }

    private static void collectForgotten() {
        synchronized (GC_LOCK) {
            if (LIVE.get() - liveLow <= GC_STEP) {
                return; // another thread just did it
            }
            System.gc();
            long last = LIVE.get();
            boolean started = false;
            try {
                for (int waited = 0; waited < MAX_WAIT_MS; waited++) {
                    Thread.sleep(1);
                    long now = LIVE.get();
                    if (now < last) {
                        started = true;
                    } else if (started || waited >= FIRST_WAIT_MS) {
                        break; // the Cleaner has nothing more to release
                    }
                    last = now;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            liveLow = LIVE.get();
        }
    }

    private NativeStream(long handle) {
        this.handle = handle;
        this.release = new Release(handle);
        this.cleanable = CLEANER.register(this, release);
    }

    /**
     * Opens a stream, or returns null when the native library is not
     * available (the caller then uses java.util.zip).
     *
     * @param inflate  true for decompression
     * @param nowrap   raw deflate instead of zlib framing
     */
    public static NativeStream open(boolean inflate, boolean nowrap, int level, int strategy) {
        if (!Loader.available()) {
            return null;
        }
        long h = WdNative.wds_open(inflate ? WdNative.DIR_INFLATE : WdNative.DIR_DEFLATE,
                nowrap ? WdNative.ALG_RAW : WdNative.ALG_ZLIB, level, strategy);
        if (h == 0) {
            throw new OutOfMemoryError("cannot allocate a native compression stream");
        }
        countOpen();
        return new NativeStream(h);
    }

    /** Forgets what the staging buffer holds: the caller's input changed. */
    public void inputChanged() {
        stagedSrc = null;
    }

    /** Releases the native stream; later calls other than close() are not allowed. */
    public void close() {
        cleanable.clean();
        dropBigStage();
    }

    public boolean isClosed() {
        return release.done;
    }

    /** The engine serving the stream: a device name or "software". */
    public String engine() {
        try {
            return WdNative.wds_engine(handle);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    public int adler() {
        try {
            return WdNative.wds_adler(handle);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    public void reset() {
        try {
            WdNative.wds_reset(handle);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Sets a dictionary from an array range or from native memory.
     *
     * @return 0, or a negative errno (-22 EINVAL: not allowed now, -74 EBADMSG: wrong dictionary)
     */
    public int setDictionary(byte[] a, int off, int len, long addr) {
        try {
            if (a == null) {
                return WdNative.wds_set_dict(handle, addr, len);
            }
            if (len <= WdNative.STAGE_SIZE) {
                stagedSrc = null;
                stageIn().put(0, a, off, len);
                return WdNative.wds_set_dict(handle, inStageAddr, len);
            }
            com.sun.jna.Memory m = new com.sun.jna.Memory(len);
            m.write(0, a, off, len);
            try {
                return WdNative.wds_set_dict(handle, Pointer.nativeValue(m), len);
            } finally {
                m.close();
            }
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Sets the remaining bytes of a dictionary buffer of any kind (direct,
     * heap, read-only); on success its position moves to its limit, as the
     * JDK does. Returns 0 or a negative errno, as the array form.
     */
    public int setDictionary(ByteBuffer dict) {
        int position = dict.position();
        int remaining = Math.max(dict.limit() - position, 0);
        int rc;
        if (dict.isDirect()) {
            try {
                rc = setDictionary(null, 0, remaining, Input.address(dict) + position);
            } finally {
                Reference.reachabilityFence(dict);
            }
        } else if (dict.hasArray()) {
            rc = setDictionary(dict.array(), dict.arrayOffset() + position, remaining, 0);
        } else {
            byte[] copy = new byte[remaining];
            dict.get(position, copy);
            rc = setDictionary(copy, 0, remaining, 0);
        }
        if (rc == 0) {
            dict.position(position + remaining);
        }
        return rc;
    }

    /** The message of the last error, or null when there is none. */
    public String errorMessage() {
        try {
            String m = WdNative.wds_errmsg(handle);
            return m == null || m.isEmpty() ? null : m;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    private ByteBuffer stageIn() {
        if (inStage == null) {
            inStageAddr = WdNative.wds_stage(handle, 0);
            if (inStageAddr == 0) {
                throw new OutOfMemoryError("cannot allocate a staging buffer");
            }
            inStage = new Pointer(inStageAddr).getByteBuffer(0, WdNative.STAGE_SIZE);
        }
        return inStage;
    }

    /** Smallest staged remainder worth a native call of its own. */
    private static final int REUSE_MIN = 16 * 1024;
    /** Largest deflate input staged whole (see {@link #run}). */
    static final int BIG_STAGE_MAX = 64 << 20;
    /** Length of the piece the last {@link #stage} call made available. */
    private int stagedPiece;
    /** Staging for a deflate input larger than the staging buffer; null when none. */
    private final BigBuffer bigStage = new BigBuffer();
    /** Staging for a deflate output range larger than the staging buffer; null when none. */
    private final BigBuffer bigOut = new BigBuffer();

    /** Native memory for ranges over the staging size, grown in MiB steps, let go on demand. */
    private static final class BigBuffer {
        private com.sun.jna.Memory mem;
        private ByteBuffer buf;

        /** A buffer of at least n bytes (n <= BIG_STAGE_MAX). */
        ByteBuffer ensure(int n) {
            if (mem == null || mem.size() < n) {
                release();
                long size = Math.min(((long) n + (1 << 20) - 1) & -(1L << 20), BIG_STAGE_MAX);
                mem = new com.sun.jna.Memory(Math.max(size, n));
                buf = mem.getByteBuffer(0, mem.size());
            }
            return buf;
        }

        boolean held() {
            return mem != null;
        }

        long address() {
            return Pointer.nativeValue(mem);
        }

        boolean isBuffer(ByteBuffer b) {
            return b != null && b == buf;
        }

        void release() {
            if (mem != null) {
                mem.close();
                mem = null;
                buf = null;
            }
        }
    }

    /**
     * The staged address of src[off, off + n) or of a shorter piece of it
     * already staged (length in stagedPiece), copying only when needed.
     * Ranges over the staging buffer's size go to a buffer of their own,
     * which is let go once the input fits the staging buffer again.
     */
    private long stage(Object src, int off, int n) {
        long base = bigStage.held() ? bigStage.address() : inStageAddr;
        if (src == stagedSrc && off >= stagedOff && off < stagedOff + stagedLen) {
            int have = stagedOff + stagedLen - off;
            if (have >= n || have >= REUSE_MIN) {
                stagedPiece = Math.min(n, have);
                return base + (off - stagedOff);
            }
        }
        ByteBuffer to;
        if (n > WdNative.STAGE_SIZE) {
            to = bigStage.ensure(n);
            base = bigStage.address();
        } else {
            bigStage.release();
            to = stageIn();
            base = inStageAddr;
        }
        stagedPiece = n;
        if (src instanceof byte[]) {
            to.put(0, (byte[]) src, off, n);
        } else {
            to.put(0, (ByteBuffer) src, off, n);
        }
        stagedSrc = src;
        stagedOff = off;
        stagedLen = n;
        return base;
    }

    private void dropBigStage() {
        bigOut.release();
        if (bigStage.held()) {
            bigStage.release();
            stagedSrc = null;
        }
    }

    /**
     * Output staging with room for n bytes: the staging buffer, or for more
     * a buffer of its own, let go once n fits the staging buffer again.
     */
    private ByteBuffer stageOut(int n) {
        if (n <= WdNative.STAGE_SIZE) {
            bigOut.release();
            return stageOut();
        }
        return bigOut.ensure(n);
    }

    private ByteBuffer ring() {
        if (ring == null) {
            long addr = WdNative.wds_stage(handle, 2);
            if (addr == 0) {
                throw new OutOfMemoryError("cannot allocate an output ring");
            }
            ring = new Pointer(addr).getByteBuffer(0, WdNative.RING_SIZE + 4).order(ByteOrder.nativeOrder());
        }
        return ring;
    }

    private ByteBuffer stageOut() {
        if (outStage == null) {
            outStageAddr = WdNative.wds_stage(handle, 1);
            if (outStageAddr == 0) {
                throw new OutOfMemoryError("cannot allocate a staging buffer");
            }
            outStage = new Pointer(outStageAddr).getByteBuffer(0, WdNative.STAGE_SIZE);
        }
        return outStage;
    }

    /**
     * Compresses the prepared input into {@code outA[outOff..]} or, when
     * outA is null, into the direct buffer outD from index outOff.
     */
    public void deflate(Input in, byte[] outA, ByteBuffer outD, int outOff, int outLen, int flush, int params) {
        run(false, in, outA, outD, outOff, outLen, flush, params);
    }

    /** Decompresses; DataFormatException leaves read/written set. */
    public void inflate(Input in, byte[] outA, ByteBuffer outD, int outOff, int outLen) throws DataFormatException {
        try {
            run(true, in, outA, outD, outOff, outLen, NO_FLUSH, 0);
        } catch (DataFormatRuntime e) {
            throw e.unwrap();
        }
    }

    /** Carries a DataFormatException out of the shared loop. */
    private static final class DataFormatRuntime extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DataFormatRuntime(String msg) {
            super(msg, null, false, false);
        }

        DataFormatException unwrap() {
            return new DataFormatException(getMessage());
        }
    }

    private void run(boolean inflate, Input in, byte[] outA, ByteBuffer outD, int outOff, int outLen,
                     int flush, int params) {
        byte[] inA = in.arr;
        ByteBuffer inB = in.buf;
        int inOff = in.off;
        long inAddr = in.addr;
        int inLen = in.len;
        boolean staged = inA != null || inB != null;
        int rd = 0;
        int wr = 0;
        finished = false;
        pending = false;
        try {
            while (true) {
                // zlib's deflate reads ahead as far as the input goes and a parameter
                // switch flushes only as far as the output goes, so deflate ranges are
                // staged whole (up to BIG_STAGE_MAX): one call, as the JDK makes it.
                // Inflate reads and writes only what it decodes: pieces serve.
                int piece = !staged ? WdNative.MAX_CALL : inflate ? WdNative.STAGE_SIZE : BIG_STAGE_MAX;
                int n = Math.min(inLen - rd, piece);
                long ip;
                if (staged) {
                    ip = 0;
                    if (n > 0) {
                        ip = stage(inA != null ? inA : inB, inOff + rd, n);
                        n = stagedPiece;
                    }
                } else {
                    ip = n > 0 ? inAddr + rd : 0;
                }
                // Output is always staged (never a null pointer, even for no room: zlib
                // refuses a null next_out, while with room 0 it still reads headers, as the
                // JDK does), and only the bytes reported written are copied out (Output).
                int m = Math.min(outLen - wr, inflate ? WdNative.STAGE_SIZE : BIG_STAGE_MAX);
                ByteBuffer outBuf;
                int at = 0;
                long r;
                if (inflate) {
                    outBuf = ring();
                    r = WdNative.wds_inflate_ring(handle, ip, n, m);
                    at = outBuf.getInt(WdNative.RING_SIZE);
                } else {
                    outBuf = stageOut(m);
                    long op = bigOut.isBuffer(outBuf) ? bigOut.address() : outStageAddr;
                    // more input after this piece: no flush, or for a switch of parameters
                    // the sign that the switch waits for the last piece (see wd_stream.h)
                    int f = rd + n == inLen ? flush : params != 0 ? WdNative.MORE_INPUT : NO_FLUSH;
                    r = WdNative.wds_deflate(handle, ip, n, op, m, f, params);
                }
                int cr = (int) (r & WdNative.COUNT_MASK);
                int cw = (int) ((r >>> 30) & WdNative.COUNT_MASK);
                if (cw > 0) {
                    if (outA != null) {
                        outBuf.get(at, outA, outOff + wr, cw);
                    } else {
                        outD.put(outOff + wr, outBuf, at, cw);
                    }
                }
                rd += cr;
                wr += cw;
                if ((r & WdNative.ERROR) != 0) {
                    throwError(inflate);
                }
                if ((r & WdNative.FINISHED) != 0) {
                    finished = true;
                    break;
                }
                if ((r & WdNative.PENDING) != 0 || params != 0) {
                    // needs a dictionary; or a parameter change, which the JDK also makes alone,
                    // over all of the input: a piece compressed whole before the switch goes on
                    pending = (r & WdNative.PENDING) != 0;
                    if (!(params != 0 && pending && cr == n && rd < inLen && wr < outLen)) {
                        break;
                    }
                    continue;
                }
                if (wr == outLen || (cr == 0 && cw == 0) || (rd == inLen && cw < m)) {
                    break;
                }
            }
        } finally {
            read = rd;
            written = wr;
            Reference.reachabilityFence(this);
        }
    }

    private static final int ENOMEM = 12;
    private static final int EIO = 5;
    private static final int EBADMSG = 74;

    /** Throws what java.util.zip would throw for the native error just reported. */
    private void throwError(boolean inflate) {
        int code = -WdNative.wds_errcode(handle);
        String msg = errorMessage();
        if (code == EBADMSG && inflate) {
            throw new DataFormatRuntime(msg);
        }
        if (code == ENOMEM) {
            throw new OutOfMemoryError(msg);
        }
        if (code == EIO) {
            throw new AcceleratorException(msg != null ? msg : "accelerator failed");
        }
        throw new InternalError(msg != null ? msg : "native stream error " + code);
    }
}
