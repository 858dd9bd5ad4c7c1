package io.warpdrive.zip.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.warpdrive.zip.HwDeflater;
import io.warpdrive.zip.HwInflater;
import io.warpdrive.zip.HwInflaterInputStream;
import io.warpdrive.zip.Mode;
import io.warpdrive.zip.TestData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * Bad input from Java, differentially: every call runs on the JDK's class
 * and on ours, and both must end the same way: the same exception class
 * and message (the JDK's messages here are zlib's or the JDK's own, stable
 * within a JDK), or the same output. Never a crash, never output the JDK
 * would not give. Runs in every execution of the suite (software, zlib,
 * emulated device, native library hidden); gzip is {@link BadGzipInputTest}.
 */
class BadInputTest {
    private static final byte[] TEXT = TestData.text(300_000, 41);
    private static final int[] EDGES = {Integer.MIN_VALUE, -1, 0, 1, 9, 10, 11, Integer.MAX_VALUE};

    /** How a call ended: its exception (class and message) or its result. */
    record Outcome(String exception, String message, String result) {
        static Outcome of(Call c) {
            try {
                return new Outcome(null, null, String.valueOf(c.run()));
            } catch (Exception | Error e) {
                if (e instanceof AssertionError) {
                    throw (AssertionError) e;
                }
                return new Outcome(e.getClass().getName(), e.getMessage(), null);
            }
        }
    }

    interface Call {
        Object run() throws Exception;
    }

    /** Asserts the JDK's and our call end alike; results are compared only where bytes must be equal. */
    private static void same(String what, Call jdk, Call ours, boolean compareResult) {
        Outcome a = Outcome.of(jdk);
        Outcome b = Outcome.of(ours);
        assertEquals(a.exception(), b.exception(), what);
        assertEquals(a.message(), b.message(), what);
        if (compareResult) {
            assertEquals(a.result(), b.result(), what);
        }
    }

    @Test
    void outOfRangeOffsetsAndLengthsThrowWhatTheJdkThrows() {
        byte[] b = new byte[10];
        for (int off : EDGES) {
            for (int len : EDGES) {
                String at = " off=" + off + " len=" + len;
                List<Function<Deflater, Call>> dcalls = List.of(
                    d -> () -> {
                        d.setInput(b, off, len);
                        return d.needsInput();
                    },
                    d -> () -> d.deflate(b, off, len) >= 0,
                    d -> () -> d.deflate(b, off, len, Deflater.SYNC_FLUSH) >= 0,
                    d -> () -> d.deflate(b, off, len, 7) >= 0, // bad flush and bad range: which first?
                    d -> () -> {
                        d.setDictionary(b, off, len);
                        return "set";
                    });
                for (int k = 0; k < dcalls.size(); k++) {
                    Deflater jdk = new Deflater();
                    Deflater ours = new HwDeflater();
                    same("Deflater call " + k + at, dcalls.get(k).apply(jdk), dcalls.get(k).apply(ours), false);
                    jdk.end();
                    ours.end();
                }
                List<Function<Inflater, Call>> icalls = List.of(
                    i -> () -> {
                        i.setInput(b, off, len);
                        return i.getRemaining();
                    },
                    i -> () -> i.inflate(b, off, len),
                    i -> () -> {
                        i.setDictionary(b, off, len);
                        return "set";
                    });
                for (int k = 0; k < icalls.size(); k++) {
                    Inflater jdk = new Inflater();
                    Inflater ours = new HwInflater();
                    same("Inflater call " + k + at, icalls.get(k).apply(jdk), icalls.get(k).apply(ours), true);
                    jdk.end();
                    ours.end();
                }
            }
        }
    }

    @Test
    void nullAndReadOnlyBuffersThrowWhatTheJdkThrows() {
        List<java.util.function.Supplier<ByteBuffer>> kinds = List.of(
            () -> ByteBuffer.allocate(64),
            () -> ByteBuffer.allocateDirect(64),
            () -> ByteBuffer.allocate(64).asReadOnlyBuffer(),
            () -> ByteBuffer.allocateDirect(64).asReadOnlyBuffer(),
            () -> ByteBuffer.allocate(64).position(64),
            () -> null);
        for (int k = 0; k < kinds.size(); k++) {
            int kind = k;
            List<Function<Deflater, Call>> dcalls = List.of(
                d -> () -> {
                    d.setInput(kinds.get(kind).get());
                    return d.needsInput();
                },
                d -> () -> d.deflate(kinds.get(kind).get()) >= 0,
                d -> () -> d.deflate(kinds.get(kind).get(), Deflater.FULL_FLUSH) >= 0,
                d -> () -> d.deflate(kinds.get(kind).get(), -1) >= 0,
                d -> () -> {
                    ByteBuffer dict = kinds.get(kind).get();
                    d.setDictionary(dict);
                    return d.getAdler() + "@" + dict.position();
                });
            for (int c = 0; c < dcalls.size(); c++) {
                Deflater jdk = new Deflater();
                Deflater ours = new HwDeflater();
                same("Deflater buffer call " + c + " kind " + k, dcalls.get(c).apply(jdk), dcalls.get(c).apply(ours),
                        c == 4 || c == 0);
                jdk.end();
                ours.end();
            }
            List<Function<Inflater, Call>> icalls = List.of(
                i -> () -> {
                    i.setInput(kinds.get(kind).get());
                    return i.getRemaining();
                },
                i -> () -> i.inflate(kinds.get(kind).get()),
                i -> () -> {
                    i.setDictionary(kinds.get(kind).get());
                    return "set";
                });
            for (int c = 0; c < icalls.size(); c++) {
                Inflater jdk = new Inflater();
                Inflater ours = new HwInflater();
                same("Inflater buffer call " + c + " kind " + k, icalls.get(c).apply(jdk), icalls.get(c).apply(ours),
                        true);
                jdk.end();
                ours.end();
            }
        }
    }

    /** Inflates a whole input with 4 KiB outputs: the output, then how it ended. */
    private static Outcome inflateAll(Inflater inf, byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Outcome o = Outcome.of(() -> {
            inf.setInput(in);
            byte[] buf = new byte[4096];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                out.write(buf, 0, n);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    return "stopped needsInput=" + inf.needsInput() + " needsDictionary=" + inf.needsDictionary();
                }
            }
            return "finished remaining=" + inf.getRemaining();
        });
        inf.end();
        return new Outcome(o.exception(), o.message(), o.result() + " out=" + Arrays.hashCode(out.toByteArray())
                + "/" + out.size());
    }

    private static void sameInflate(String what, byte[] in, boolean nowrap) {
        Outcome a = inflateAll(new Inflater(nowrap), in);
        Outcome b = inflateAll(new HwInflater(nowrap), in);
        assertEquals(a, b, what);
    }

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void corruptStreamsGiveZlibsVerdict() {
        sameInflate("header check", bytes(0x78, 0x00, 0x01, 0x02), false);
        sameInflate("unknown method", bytes(0x79, 0x19, 0x01, 0x02), false); // 0x7919 % 31 == 0, CM = 9
        sameInflate("window size", bytes(0x88, 0x1c, 0x01, 0x02), false); // 0x881c % 31 == 0, CINFO = 8
        sameInflate("block type", bytes(0x07, 0x00, 0x00), true);
        sameInflate("stored lengths", bytes(0x01, 0x05, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5), true);
        sameInflate("empty input", new byte[0], true);
        // a raw stream that refers into a dictionary, read without it
        Deflater d = new Deflater(6, true);
        d.setDictionary(Arrays.copyOf(TEXT, 32768));
        byte[] c = TestData.deflateAll(d, Arrays.copyOfRange(TEXT, 32768, 300_000), 65536);
        d.end();
        sameInflate("distance too far back", c, true);
        // zlib with the wrong check value; every bit of a small stream flipped in turn
        byte[] z = TestData.jdkDeflate(Arrays.copyOf(TEXT, 3000), 6, false);
        for (int bit = 0; bit < z.length * 8; bit += 7) {
            byte[] bad = z.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            if (Mode.exactInflate()) {
                sameInflate("bit " + bit, bad, false);
            } else {
                // the device hands corrupt streams to zlib for the verdict
                Outcome a = inflateAll(new Inflater(false), bad);
                Outcome b = inflateAll(new HwInflater(false), bad);
                assertEquals(a.exception(), b.exception(), "bit " + bit);
                assertEquals(a.message(), b.message(), "bit " + bit);
            }
        }
    }

    /** Every prefix of raw and zlib streams: never finished, never an error, output a prefix of the data. */
    @Test
    void truncatedStreamsAskForMoreInput() {
        byte[] data = Arrays.copyOf(TEXT, 20_000);
        for (boolean nowrap : new boolean[] {true, false}) {
            byte[] c = TestData.jdkDeflate(data, 6, nowrap);
            for (int len = 0; len < c.length; len += 1 + len / 8) {
                byte[] cut = Arrays.copyOf(c, len);
                for (Inflater inf : new Inflater[] {new Inflater(nowrap), new HwInflater(nowrap)}) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    Outcome o = Outcome.of(() -> {
                        inf.setInput(cut);
                        byte[] buf = new byte[8192];
                        int n;
                        while ((n = inf.inflate(buf)) > 0) {
                            out.write(buf, 0, n);
                        }
                        return inf.finished() + " " + inf.needsInput();
                    });
                    inf.end();
                    String what = (nowrap ? "raw" : "zlib") + " cut at " + len + " of " + c.length + " by "
                            + inf.getClass().getSimpleName();
                    assertEquals(new Outcome(null, null, "false true"), o, what);
                    byte[] got = out.toByteArray();
                    assertArrayEquals(Arrays.copyOf(data, got.length), got, what);
                }
            }
        }
    }

    /** More than the stream: what follows it stays unread; a huge expansion keeps long counters. */
    @Test
    void oversizedInputsAndOutputs() throws IOException {
        byte[] c = TestData.jdkDeflate(Arrays.copyOf(TEXT, 50_000), 6, false);
        byte[] plus = Arrays.copyOf(c, c.length + 1000);
        Arrays.fill(plus, c.length, plus.length, (byte) 0x5a);
        sameInflate("trailing bytes", plus, false);
        // 48 MiB of zeros from about 48 KiB: read through the stream classes, counted as longs
        long size = 48L << 20;
        Deflater d = new Deflater(9);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 20];
        byte[] buf = new byte[65536];
        for (long i = 0; i < size; i += zeros.length) {
            d.setInput(zeros);
            while (!d.needsInput()) {
                bos.write(buf, 0, d.deflate(buf));
            }
        }
        d.finish();
        while (!d.finished()) {
            bos.write(buf, 0, d.deflate(buf));
        }
        d.end();
        HwInflater inf = new HwInflater();
        long total = 0;
        try (InputStream in = new HwInflaterInputStream(new ByteArrayInputStream(bos.toByteArray()), inf)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] != 0) {
                        throw new AssertionError("non-zero byte at " + (total + i));
                    }
                }
                total += n;
            }
            assertEquals(size, total);
            assertEquals(size, inf.getBytesWritten());
            assertEquals(bos.size(), inf.getBytesRead());
        } finally {
            inf.end();
        }
    }

    /** No room at all: deflate returns 0 and takes nothing; inflate may read headers but writes nothing. */
    @Test
    void callsWithNoOutputRoom() throws DataFormatException {
        byte[] data = Arrays.copyOf(TEXT, 5000);
        for (ByteBuffer none : new ByteBuffer[] {null, ByteBuffer.allocate(0), ByteBuffer.allocateDirect(0)}) {
            Deflater jdk = new Deflater();
            Deflater ours = new HwDeflater();
            for (Deflater d : new Deflater[] {jdk, ours}) {
                d.setInput(data);
                assertEquals(0, none == null ? d.deflate(new byte[4], 2, 0) : d.deflate(none));
                assertEquals(0, d.getBytesRead());
                d.finish();
                assertEquals(0, none == null ? d.deflate(new byte[4], 4, 0, Deflater.FULL_FLUSH) : d.deflate(none));
                assertFalse(d.finished());
            }
            byte[] c = TestData.deflateAll(ours, data, 100);
            assertArrayEquals(data, TestData.jdkInflate(c, false));
            jdk.end();
            ours.end();
            Inflater[] inf = {new Inflater(), new HwInflater()};
            for (Inflater i : inf) {
                i.setInput(c);
                assertEquals(0, none == null ? i.inflate(new byte[4], 1, 0) : i.inflate(none));
                assertFalse(i.finished());
                byte[] out = new byte[data.length];
                int n = 0;
                while (!i.finished()) {
                    n += i.inflate(out, n, out.length - n);
                }
                assertArrayEquals(data, out);
            }
            if (Mode.exactInflate()) {
                assertEquals(inf[0].getBytesRead(), inf[1].getBytesRead());
            }
            inf[0].end();
            inf[1].end();
        }
    }

    @Test
    void corruptInputNeverLeavesTheStreamUnusable() throws DataFormatException {
        // after a DataFormatException, reset() gives a working inflater again, as in the JDK
        HwInflater inf = new HwInflater(true);
        inf.setInput(bytes(0x07, 0x00));
        try {
            inf.inflate(new byte[10]);
        } catch (DataFormatException expected) {
            assertEquals("invalid block type", expected.getMessage());
        }
        inf.reset();
        byte[] c = TestData.jdkDeflate(Arrays.copyOf(TEXT, 10_000), 6, true);
        inf.setInput(c);
        byte[] out = new byte[10_000];
        int n = 0;
        while (!inf.finished()) {
            n += inf.inflate(out, n, out.length - n);
        }
        assertArrayEquals(Arrays.copyOf(TEXT, 10_000), out);
        inf.end();
    }
}
