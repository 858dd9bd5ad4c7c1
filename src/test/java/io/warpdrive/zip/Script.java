package io.warpdrive.zip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Random call sequences run on a JDK object and on ours side by side.
 * In exact mode (zlib on both sides) every observable result must match
 * after every call; otherwise each side's output must decode to exactly
 * the input it reports having consumed, and the end states must match.
 */
final class Script {
    private Script() {
    }

    private static final int[] OUT_SIZES = {0, 1, 2, 7, 64, 512, 4096, 65536, 200_000};

    /** One side of a deflate script: the Deflater and what went in and out. */
    private static final class DSide {
        final Deflater d;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream consumed = new ByteArrayOutputStream();
        byte[] src;
        int start;
        int used;
        int lastRet;

        DSide(Deflater d) {
            this.d = d;
        }

        void setInput(byte[] data, int off, int len, int kind) {
            src = data;
            start = off;
            used = 0;
            switch (kind) {
                case 0:
                    d.setInput(data, off, len);
                    break;
                case 1:
                    d.setInput(ByteBuffer.wrap(data, off, len).slice());
                    break;
                case 2:
                    ByteBuffer b = ByteBuffer.allocateDirect(len);
                    b.put(data, off, len).flip();
                    d.setInput(b);
                    break;
                default:
                    d.setInput(ByteBuffer.wrap(data, off, len).slice().asReadOnlyBuffer());
                    break;
            }
        }

        void deflate(int size, int outKind, int flush) {
            long before = d.getBytesRead();
            int n;
            byte[] chunk;
            if (outKind == 0) {
                byte[] buf = new byte[size + 6];
                n = flush < 0 ? d.deflate(buf, 3, size) : d.deflate(buf, 3, size, flush);
                untouchedPast(Arrays.copyOfRange(buf, 3, buf.length), null, n, "deflate");
                assertEquals(0, buf[0] | buf[1] | buf[2], "deflate wrote before its offset");
                chunk = Arrays.copyOfRange(buf, 3, 3 + n);
            } else {
                ByteBuffer buf = patterned(outKind == 1 ? ByteBuffer.allocate(size) : ByteBuffer.allocateDirect(size));
                n = flush < 0 ? d.deflate(buf) : d.deflate(buf, flush);
                assertEquals(n, buf.position());
                untouchedPast(null, buf, n, "deflate");
                buf.flip();
                chunk = new byte[n];
                buf.get(chunk);
            }
            out.write(chunk, 0, chunk.length);
            int delta = (int) (d.getBytesRead() - before);
            if (delta > 0) {
                consumed.write(src, start + used, delta);
                used += delta;
            }
            lastRet = n;
        }
    }

    private static final byte PATTERN = 0x5a;

    /** Every byte of b set to PATTERN, so that stray writes show. */
    static ByteBuffer patterned(ByteBuffer b) {
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, PATTERN);
        }
        return b;
    }

    /**
     * java.util.zip writes only the bytes it reports: past them an array
     * (fresh, so zero) and a patterned buffer must be as they were.
     */
    static void untouchedPast(byte[] arr, ByteBuffer bb, int n, String where) {
        if (arr != null) {
            for (int i = n; i < arr.length; i++) {
                assertEquals(0, arr[i], where + ": array byte " + i + " changed past the " + n + " written");
            }
        }
        if (bb != null) {
            for (int i = n; i < bb.capacity(); i++) {
                assertEquals(PATTERN, bb.get(i), where + ": buffer byte " + i + " changed past the " + n + " written");
            }
        }
    }

    static void deflateScript(long seed, boolean exact) throws DataFormatException {
        StringBuilder trace = new StringBuilder();
        try {
            deflateScript(seed, exact, trace);
        } catch (RuntimeException | Error | DataFormatException e) {
            throw new AssertionError("deflate script seed " + seed + " failed; calls:" + trace, e);
        }
    }

    private static void deflateScript(long seed, boolean exact, StringBuilder trace) throws DataFormatException {
        Random r = new Random(seed);
        boolean nowrap = r.nextBoolean();
        int level = r.nextInt(11) - 1;
        byte[] data = TestData.mixed(120_000 + r.nextInt(200_000), seed);
        DSide jdk = new DSide(new Deflater(level, nowrap));
        DSide hw = new DSide(new HwDeflater(level, nowrap));
        DSide[] sides = {jdk, hw};
        String where = "seed " + seed + " level " + level + " nowrap " + nowrap;
        trace.append("\n ").append(where);
        int pos = 0;
        boolean finishing = false;
        int ops = 20 + r.nextInt(80);
        for (int i = 0; i < ops; i++) {
            int op = r.nextInt(12);
            String step = where + " op#" + i + "=" + op;
            if (op < 3) {
                boolean ready = jdk.d.needsInput() && hw.d.needsInput();
                if (finishing || (!exact && !ready)) {
                    continue;
                }
                int len = Math.min(data.length - pos, r.nextBoolean() ? r.nextInt(600) : r.nextInt(70_000));
                int kind = r.nextInt(4);
                for (DSide s : sides) {
                    s.setInput(data, pos, len, kind);
                }
                trace.append("\n setInput len=").append(len).append(" kind=").append(kind);
                pos += len;
            } else if (op < 9) {
                int size = OUT_SIZES[r.nextInt(OUT_SIZES.length)];
                int outKind = r.nextInt(3);
                int flush = new int[] {-1, Deflater.NO_FLUSH, Deflater.NO_FLUSH, Deflater.SYNC_FLUSH,
                    Deflater.FULL_FLUSH}[r.nextInt(5)];
                trace.append("\n deflate size=").append(size).append(" out=").append(outKind)
                        .append(" flush=").append(flush);
                for (DSide s : sides) {
                    s.deflate(size, outKind, flush);
                }
                trace.append(" -> ").append(jdk.lastRet).append('/').append(hw.lastRet);
            } else if (op == 9 && !finishing) {
                int l = r.nextInt(11) - 1;
                jdk.d.setLevel(l);
                hw.d.setLevel(l);
                trace.append("\n setLevel ").append(l);
            } else if (op == 10 && !finishing) {
                int st = r.nextInt(3);
                jdk.d.setStrategy(st);
                hw.d.setStrategy(st);
                trace.append("\n setStrategy ").append(st);
            } else if (op == 11 && r.nextInt(4) == 0) {
                finishing = true;
                jdk.d.finish();
                hw.d.finish();
                trace.append("\n finish");
            }
            if (exact) {
                compare(jdk, hw, step);
            }
        }
        trace.append("\n drain");
        for (DSide s : sides) {
            s.d.finish();
            int guard = 0;
            Random dr = new Random(seed ^ 0x5eedL); // the same calls on both sides
            while (!s.d.finished()) {
                s.deflate(OUT_SIZES[dr.nextInt(OUT_SIZES.length)], dr.nextInt(3), -1);
                assertTrue(++guard < 10_000_000, where + ": finish makes no progress");
            }
        }
        if (exact) {
            compare(jdk, hw, where + " at the end");
        }
        for (DSide s : sides) {
            assertArrayEquals(s.consumed.toByteArray(), TestData.jdkInflate(s.out.toByteArray(), nowrap),
                    where + ": output decodes to the consumed input (" + s.d.getClass().getSimpleName() + ")");
            assertEquals(s.out.size(), s.d.getBytesWritten(), where);
            assertEquals(s.consumed.size(), s.d.getBytesRead(), where);
        }
        assertEquals(jdk.d.getAdler() == 1 && nowrap, hw.d.getAdler() == 1 && nowrap, where);
        if (!nowrap && jdk.consumed.size() == hw.consumed.size()) {
            assertEquals(jdk.d.getAdler(), hw.d.getAdler(), where);
        }
        jdk.d.end();
        hw.d.end();
    }

    private static void compare(DSide jdk, DSide hw, String step) {
        assertEquals(jdk.lastRet, hw.lastRet, step + ": deflate result");
        assertEquals(jdk.d.needsInput(), hw.d.needsInput(), step + ": needsInput");
        assertEquals(jdk.d.finished(), hw.d.finished(), step + ": finished");
        assertEquals(jdk.d.getBytesRead(), hw.d.getBytesRead(), step + ": bytesRead");
        assertEquals(jdk.d.getBytesWritten(), hw.d.getBytesWritten(), step + ": bytesWritten");
        assertEquals(jdk.d.getTotalIn(), hw.d.getTotalIn(), step + ": totalIn");
        assertEquals(jdk.d.getAdler(), hw.d.getAdler(), step + ": adler");
        assertArrayEquals(jdk.out.toByteArray(), hw.out.toByteArray(), step + ": output bytes");
    }

    /** One side of an inflate script. */
    private static final class ISide {
        final Inflater inf;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int lastRet;
        String error;

        ISide(Inflater inf) {
            this.inf = inf;
        }
    }

    /**
     * Feeds `compressed` (maybe with trailing junk) in random pieces to both
     * inflaters, with random output sizes and kinds; compares as above.
     */
    static void inflateScript(long seed, byte[] compressed, byte[] expected, boolean nowrap, boolean exact) {
        Random r = new Random(seed);
        ISide jdk = new ISide(new Inflater(nowrap));
        ISide hw = new ISide(new HwInflater(nowrap));
        ISide[] sides = {jdk, hw};
        String where = "seed " + seed + " nowrap " + nowrap + " len " + compressed.length;
        int[] fed = new int[2];
        int guard = 0;
        while (!(jdk.inf.finished() && hw.inf.finished()) && guard++ < 2_000_000) {
            int pieceLen = 1 + r.nextInt(r.nextBoolean() ? 50 : 40_000);
            int pieceKind = r.nextInt(3);
            for (int k = 0; k < 2; k++) {
                ISide s = sides[k];
                if (s.inf.finished() || s.error != null) {
                    continue;
                }
                if (s.inf.needsInput() && fed[k] < compressed.length) {
                    int len = Math.min(compressed.length - fed[k], pieceLen);
                    if (pieceKind == 0) {
                        s.inf.setInput(compressed, fed[k], len);
                    } else if (pieceKind == 1) {
                        s.inf.setInput(ByteBuffer.wrap(compressed, fed[k], len).slice());
                    } else {
                        ByteBuffer b = ByteBuffer.allocateDirect(len);
                        b.put(compressed, fed[k], len).flip();
                        s.inf.setInput(b);
                    }
                    fed[k] += len;
                }
            }
            if (exact && fed[0] != fed[1]) {
                throw new AssertionError(where + ": sides fed differently");
            }
            int size = OUT_SIZES[r.nextInt(OUT_SIZES.length)];
            int outKind = r.nextInt(3);
            boolean stuck = size > 0; // an empty output buffer proves nothing
            for (ISide s : sides) {
                if (s.inf.finished() || s.error != null) {
                    continue;
                }
                long before = s.inf.getBytesWritten();
                byte[] arr = outKind == 0 ? new byte[size] : null;
                ByteBuffer bb = outKind == 1 ? patterned(ByteBuffer.allocate(size))
                        : outKind == 2 ? patterned(ByteBuffer.allocateDirect(size)) : null;
                try {
                    int n = arr != null ? s.inf.inflate(arr, 0, size) : s.inf.inflate(bb);
                    s.lastRet = n;
                    if (n > 0 || !s.inf.needsInput()) {
                        stuck = false;
                    }
                } catch (DataFormatException e) {
                    s.error = e.getMessage() == null ? "null" : e.getMessage();
                }
                // also what a failing call wrote before it threw (the JDK counts it too)
                int n = (int) (s.inf.getBytesWritten() - before);
                untouchedPast(arr, bb, n, where);
                if (bb != null) {
                    assertEquals(n, bb.position(), where + ": output buffer position");
                    bb.flip();
                    arr = new byte[n];
                    bb.get(arr);
                }
                s.out.write(arr, 0, n);
            }
            if (exact) {
                assertEquals(jdk.lastRet, hw.lastRet, where + ": inflate result");
                assertEquals(jdk.error, hw.error, where + ": error");
                assertEquals(jdk.inf.needsInput(), hw.inf.needsInput(), where + ": needsInput");
                assertEquals(jdk.inf.finished(), hw.inf.finished(), where + ": finished");
                assertEquals(jdk.inf.getRemaining(), hw.inf.getRemaining(), where + ": remaining");
                assertEquals(jdk.inf.getBytesRead(), hw.inf.getBytesRead(), where + ": bytesRead");
                assertEquals(jdk.inf.getBytesWritten(), hw.inf.getBytesWritten(), where + ": bytesWritten");
                assertEquals(jdk.inf.getAdler(), hw.inf.getAdler(), where + ": adler");
            }
            if (stuck && fed[0] == compressed.length && fed[1] == compressed.length) {
                break;
            }
            if (jdk.error != null && hw.error != null) {
                break;
            }
        }
        assertEquals(jdk.error, hw.error, where + ": errors");
        assertEquals(jdk.inf.finished(), hw.inf.finished(), where + ": finished at the end");
        byte[] jdkOut = jdk.out.toByteArray();
        byte[] hwOut = hw.out.toByteArray();
        if (!exact && jdk.error != null && hwOut.length > jdkOut.length) {
            // A known difference (README): on corrupt data the device can decode further
            // than zlib before it fails (zlib rejects an incomplete Huffman code at the
            // block header, the device at the first unused code). The error is still
            // zlib's, and what both delivered before it must agree.
            assertArrayEquals(jdkOut, Arrays.copyOf(hwOut, jdkOut.length), where + ": output before the error");
        } else {
            assertArrayEquals(jdkOut, hwOut, where + ": output");
        }
        if (expected != null && jdk.error == null) {
            assertArrayEquals(expected, hw.out.toByteArray(), where);
        }
        if (jdk.inf.finished()) {
            assertEquals(jdk.inf.getRemaining() + (compressed.length - fed[0]),
                    hw.inf.getRemaining() + (compressed.length - fed[1]), where + ": bytes after the end");
            assertEquals(jdk.inf.getBytesRead(), hw.inf.getBytesRead(), where);
            assertEquals(jdk.inf.getAdler(), hw.inf.getAdler(), where);
        }
        jdk.inf.end();
        hw.inf.end();
    }
}
