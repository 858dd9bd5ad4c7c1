package io.warpdrive.zip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import java.util.zip.Adler32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HwDeflater against java.util.zip.Deflater: same calls, same observable results. */
class HwDeflaterTest {
    private static final byte[] TEXT = TestData.text(300_000, 1);
    private static final byte[] MIXED = TestData.mixed(300_000, 2);

    @BeforeAll
    static void loaded() {
        Mode.assertLoadedAsExpected();
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
    void everyLevelRoundTripsAndMatchesJdk(int level) throws DataFormatException {
        for (boolean nowrap : new boolean[] {false, true}) {
            for (byte[] data : new byte[][] {TEXT, MIXED, new byte[0], {42}}) {
                HwDeflater hw = new HwDeflater(level, nowrap);
                byte[] ours = TestData.deflateAll(hw, data, 65536);
                byte[] jdk = TestData.jdkDeflate(data, level, nowrap);
                assertArrayEquals(data, TestData.jdkInflate(ours, nowrap), "JDK Inflater reads our output");
                if (Mode.exactDeflate(level)) {
                    assertArrayEquals(jdk, ours, "software engine output is zlib's, byte for byte");
                }
                assertEquals(data.length, hw.getBytesRead());
                assertEquals(ours.length, hw.getBytesWritten());
                assertTrue(hw.finished());
                if (data.length > 65536 && level != 0) {
                    Mode.assertBigStreamEngine(hw.engine());
                    // ratio within 15% of the JDK's (smaller is welcome)
                    assertTrue(ours.length <= jdk.length * 1.15, "level " + level + ": " + ours.length
                            + " vs JDK " + jdk.length);
                }
                hw.end();
            }
        }
    }

    /**
     * Level semantics stay monotonic: a higher level never gives a larger
     * stream, across the switch from ISA-L (level 1) to libdeflate (2-9).
     * The input is a slice of the running JDK's module image (class files,
     * native code, resources: real data every machine has) and text.
     */
    @Test
    void higherLevelsNeverCompressWorse() throws java.io.IOException {
        java.nio.file.Path modules = java.nio.file.Path.of(System.getProperty("java.home"), "lib", "modules");
        byte[] data;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(modules)) {
            in.skipNBytes(1_000_000);
            data = in.readNBytes(1_500_000);
        }
        assertEquals(1_500_000, data.length, "the JDK module image is shorter than expected");
        byte[] mixed = new byte[data.length + TEXT.length];
        System.arraycopy(data, 0, mixed, 0, data.length);
        System.arraycopy(TEXT, 0, mixed, data.length, TEXT.length);
        long[] size = new long[10];
        for (int level = 0; level <= 9; level++) {
            HwDeflater hw = new HwDeflater(level);
            size[level] = TestData.deflateAll(hw, mixed, 65536).length;
            hw.end();
        }
        String all = Arrays.toString(size);
        assertTrue(size[1] < size[0] * 0.9, () -> "level 1 should compress: " + all);
        for (int level = 2; level <= 9; level++) {
            assertTrue(size[level] <= size[level - 1], "level " + level + " larger than level "
                    + (level - 1) + ": " + all);
        }
    }

    @Test
    void everyStrategyRoundTrips() throws DataFormatException {
        for (int strategy : new int[] {Deflater.DEFAULT_STRATEGY, Deflater.FILTERED, Deflater.HUFFMAN_ONLY}) {
            HwDeflater hw = new HwDeflater(6, true);
            Deflater jdk = new Deflater(6, true);
            hw.setStrategy(strategy);
            jdk.setStrategy(strategy);
            byte[] ours = TestData.deflateAll(hw, MIXED, 4096);
            byte[] theirs = TestData.deflateAll(jdk, MIXED, 4096);
            assertArrayEquals(MIXED, TestData.jdkInflate(ours, true));
            if (Mode.exactDeflate(6, strategy, false)) {
                assertArrayEquals(theirs, ours);
            }
            hw.end();
            jdk.end();
        }
    }

    @Test
    void oneByteOutputBuffersGiveTheSameStream() throws DataFormatException {
        byte[] data = Arrays.copyOf(TEXT, 20_000);
        HwDeflater hw = new HwDeflater(6);
        byte[] ours = TestData.deflateAll(hw, data, 1);
        assertArrayEquals(data, TestData.jdkInflate(ours, false));
        if (Mode.exactDeflate(6)) {
            assertArrayEquals(TestData.deflateAll(new Deflater(6), data, 1), ours);
        }
    }

    @Test
    void syncFlushEndsWithEmptyStoredBlockAndEverythingDecodes() throws DataFormatException {
        HwDeflater hw = new HwDeflater(6, true);
        byte[] part = Arrays.copyOf(TEXT, 100_000);
        hw.setInput(part);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1000];
        int n;
        do {
            n = hw.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length);
        assertTrue(hw.needsInput(), "SYNC_FLUSH with room consumes all input");
        byte[] so = out.toByteArray();
        assertArrayEquals(new byte[] {0, 0, (byte) 0xff, (byte) 0xff}, Arrays.copyOfRange(so, so.length - 4, so.length));
        Inflater inf = new Inflater(true);
        inf.setInput(so);
        byte[] got = new byte[part.length + 10];
        int m = inf.inflate(got);
        assertEquals(part.length, m, "all input so far decodes without the rest");
        assertArrayEquals(part, Arrays.copyOf(got, m));
        assertFalse(inf.finished());
        hw.end();
    }

    @Test
    void fullFlushLetsTheRestDecodeAlone() throws DataFormatException {
        HwDeflater hw = new HwDeflater(6, true);
        byte[] first = Arrays.copyOf(TEXT, 150_000);
        byte[] second = Arrays.copyOfRange(TEXT, 150_000, 300_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        hw.setInput(first);
        int n;
        do {
            n = hw.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length);
        int cut = out.size();
        hw.setInput(second);
        hw.finish();
        while (!hw.finished()) {
            out.write(buf, 0, hw.deflate(buf));
        }
        byte[] all = out.toByteArray();
        assertArrayEquals(second, TestData.jdkInflate(Arrays.copyOfRange(all, cut, all.length), true),
                "after FULL_FLUSH the rest refers to nothing before it");
        byte[] both = TestData.jdkInflate(all, true);
        assertEquals(300_000, both.length);
        hw.end();
    }

    @Test
    void zlibDictionaryIdIsReadByJdkInflater() throws DataFormatException {
        byte[] dict = Arrays.copyOf(TEXT, 2000);
        byte[] data = Arrays.copyOfRange(TEXT, 1000, 40_000);
        HwDeflater hw = new HwDeflater(9);
        hw.setDictionary(dict);
        Adler32 a = new Adler32();
        a.update(dict);
        assertEquals((int) a.getValue(), hw.getAdler(), "getAdler is the dictionary's after setDictionary");
        byte[] ours = TestData.deflateAll(hw, data, 512);
        Deflater jdk = new Deflater(9);
        jdk.setDictionary(dict);
        if (Mode.exactDeflate(9, Deflater.DEFAULT_STRATEGY, true)) {
            assertArrayEquals(TestData.deflateAll(jdk, data, 512), ours);
        }
        Inflater inf = new Inflater();
        inf.setInput(ours);
        byte[] got = new byte[data.length];
        assertEquals(0, inf.inflate(got));
        assertTrue(inf.needsDictionary());
        assertEquals((int) a.getValue(), inf.getAdler());
        inf.setDictionary(dict);
        assertEquals(data.length, inf.inflate(got));
        assertArrayEquals(data, got);
        assertTrue(inf.finished());
    }

    @Test
    void rawDictionaryRoundTrips() throws DataFormatException {
        byte[] dict = Arrays.copyOf(TEXT, 32768);
        byte[] data = Arrays.copyOfRange(TEXT, 32768, 100_000);
        for (Supplier<ByteBuffer> kind : bufferKinds(dict)) {
            HwDeflater hw = new HwDeflater(6, true);
            ByteBuffer db = kind.get();
            hw.setDictionary(db);
            assertEquals(db.limit(), db.position(), "setDictionary(ByteBuffer) consumes it all");
            byte[] ours = TestData.deflateAll(hw, data, 4096);
            Inflater inf = new Inflater(true);
            inf.setDictionary(dict);
            inf.setInput(ours);
            byte[] got = new byte[data.length];
            assertEquals(data.length, inf.inflate(got));
            assertArrayEquals(data, got);
        }
    }

    @Test
    void dictionaryAfterZlibStreamStartedIsRefusedLikeJdk() {
        Deflater jdk = new Deflater();
        HwDeflater hw = new HwDeflater();
        byte[] buf = new byte[100];
        for (Deflater d : new Deflater[] {jdk, hw}) {
            d.setInput(TEXT, 0, 1000);
            d.deflate(buf);
        }
        IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class, () -> jdk.setDictionary(TEXT, 0, 10));
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> hw.setDictionary(TEXT, 0, 10));
        assertEquals(e1.getMessage(), e2.getMessage());
    }

    @Test
    void levelAndStrategyChangeMidStream() throws DataFormatException {
        HwDeflater hw = new HwDeflater(1, true);
        Deflater jdk = new Deflater(1, true);
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[3000];
        int[][] plan = {{9, 0}, {0, 0}, {6, Deflater.FILTERED}, {-1, Deflater.HUFFMAN_ONLY}, {2, 0}};
        int off = 0;
        for (int[] p : plan) {
            for (Deflater d : new Deflater[] {hw, jdk}) {
                d.setInput(MIXED, off, 50_000);
                ByteArrayOutputStream o = d == hw ? a : b;
                while (!d.needsInput()) {
                    o.write(buf, 0, d.deflate(buf));
                }
                d.setLevel(p[0]);
                d.setStrategy(p[1]);
            }
            off += 50_000;
        }
        for (Deflater d : new Deflater[] {hw, jdk}) {
            d.finish();
            ByteArrayOutputStream o = d == hw ? a : b;
            while (!d.finished()) {
                o.write(buf, 0, d.deflate(buf));
            }
        }
        assertArrayEquals(Arrays.copyOf(MIXED, off), TestData.jdkInflate(a.toByteArray(), true));
        if (Mode.exactZlib()) {
            assertArrayEquals(b.toByteArray(), a.toByteArray());
        }
    }

    @Test
    void argumentChecksThrowWhatJdkThrows() {
        HwDeflater hw = new HwDeflater();
        Deflater jdk = new Deflater();
        for (Deflater d : new Deflater[] {hw, jdk}) {
            byte[] b = new byte[10];
            assertThrows(ArrayIndexOutOfBoundsException.class, () -> d.setInput(b, -1, 2));
            assertThrows(ArrayIndexOutOfBoundsException.class, () -> d.setInput(b, 5, 6));
            assertThrows(ArrayIndexOutOfBoundsException.class, () -> d.setInput(b, 0, -1));
            assertThrows(NullPointerException.class, () -> d.setInput((byte[]) null));
            assertThrows(NullPointerException.class, () -> d.setInput((ByteBuffer) null));
            assertThrows(ArrayIndexOutOfBoundsException.class, () -> d.deflate(b, 3, 8));
            assertThrows(ArrayIndexOutOfBoundsException.class, () -> d.deflate(b, -1, 1, Deflater.NO_FLUSH));
            assertThrows(NullPointerException.class, () -> d.deflate((byte[]) null));
            assertThrows(IllegalArgumentException.class, () -> d.deflate(b, 0, 10, 1));
            assertThrows(IllegalArgumentException.class, () -> d.deflate(b, 0, 10, 4));
            assertThrows(IllegalArgumentException.class, () -> d.deflate(ByteBuffer.allocate(4), 7));
            assertThrows(ReadOnlyBufferException.class, () -> d.deflate(ByteBuffer.allocate(4).asReadOnlyBuffer()));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.setLevel(10));
            assertEquals("invalid compression level", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> d.setLevel(-2));
            assertThrows(IllegalArgumentException.class, () -> d.setStrategy(3));
            assertThrows(ArrayIndexOutOfBoundsException.class, () -> d.setDictionary(b, 4, 7));
            assertThrows(NullPointerException.class, () -> d.setDictionary((byte[]) null));
        }
        assertThrows(IllegalArgumentException.class, () -> new HwDeflater(11));
        assertThrows(IllegalArgumentException.class, () -> new HwDeflater(-3, true));
    }

    @Test
    void endIsIdempotentAndUseAfterEndThrowsLikeJdk() {
        HwDeflater hw = new HwDeflater();
        Deflater jdk = new Deflater();
        String engine = hw.engine();
        hw.end();
        hw.end();
        jdk.end();
        jdk.end();
        assertEquals(engine, hw.engine(), "engine() still answers after end()");
        byte[] b = new byte[10];
        Runnable[][] calls = {
            {() -> hw.deflate(b), () -> jdk.deflate(b)},
            {() -> hw.deflate(ByteBuffer.allocate(10)), () -> jdk.deflate(ByteBuffer.allocate(10))},
            {hw::getAdler, jdk::getAdler},
            {hw::getTotalIn, jdk::getTotalIn},
            {hw::getBytesWritten, jdk::getBytesWritten},
            {hw::reset, jdk::reset},
            {() -> hw.setDictionary(b), () -> jdk.setDictionary(b)},
        };
        for (Runnable[] pair : calls) {
            RuntimeException theirs = assertThrows(RuntimeException.class, pair[1]::run);
            RuntimeException ours = assertThrows(RuntimeException.class, pair[0]::run);
            assertEquals(theirs.getClass(), ours.getClass());
            assertEquals(theirs.getMessage(), ours.getMessage());
        }
        // the JDK does not check these after end()
        hw.setInput(b);
        hw.setLevel(3);
        hw.setStrategy(1);
        hw.finish();
        assertFalse(hw.finished());
        assertFalse(hw.needsInput());
    }

    @Test
    void resetStartsANewStreamAndKeepsTheLevel() throws DataFormatException {
        HwDeflater hw = new HwDeflater(9);
        byte[] first = TestData.deflateAll(hw, TEXT, 4096);
        hw.reset();
        assertEquals(0, hw.getBytesRead());
        assertEquals(0, hw.getBytesWritten());
        assertFalse(hw.finished());
        assertTrue(hw.needsInput());
        assertEquals(1, hw.getAdler());
        byte[] second = TestData.deflateAll(hw, TEXT, 4096);
        assertArrayEquals(first, second, "a reset stream compresses the same input the same way");
        assertArrayEquals(TEXT, TestData.jdkInflate(second, false));
    }

    @Test
    void adlerFollowsTheJdk() {
        for (boolean nowrap : new boolean[] {false, true}) {
            HwDeflater hw = new HwDeflater(6, nowrap);
            Deflater jdk = new Deflater(6, nowrap);
            assertEquals(jdk.getAdler(), hw.getAdler());
            byte[] buf = new byte[200_000];
            hw.setInput(TEXT);
            jdk.setInput(TEXT);
            hw.deflate(buf);
            jdk.deflate(buf);
            assertEquals(jdk.getAdler(), hw.getAdler(), "nowrap=" + nowrap);
            hw.finish();
            jdk.finish();
            while (!hw.finished()) {
                hw.deflate(buf);
            }
            while (!jdk.finished()) {
                jdk.deflate(buf);
            }
            assertEquals(jdk.getAdler(), hw.getAdler());
        }
    }

    @Test
    void byteBufferInputsAndOutputsAdvanceLikeJdk() throws DataFormatException {
        for (Supplier<ByteBuffer> in : bufferKinds(MIXED)) {
            for (boolean directOut : new boolean[] {false, true}) {
                HwDeflater hw = new HwDeflater(6, true);
                ByteBuffer src = in.get();
                hw.setInput(src);
                hw.finish();
                ByteBuffer dst = directOut ? ByteBuffer.allocateDirect(400_000) : ByteBuffer.allocate(400_000);
                dst.position(7);
                int total = 0;
                while (!hw.finished()) {
                    ByteBuffer window = dst.duplicate();
                    window.limit(Math.min(dst.capacity(), window.position() + 5000));
                    int n = hw.deflate(window);
                    assertEquals(dst.position() + n, window.position());
                    dst.position(window.position());
                    total += n;
                }
                assertEquals(src.limit(), src.position(), "input buffer fully consumed");
                assertEquals(MIXED.length, hw.getBytesRead());
                byte[] out = new byte[total];
                dst.position(7);
                dst.get(out);
                assertArrayEquals(MIXED, TestData.jdkInflate(out, true));
            }
        }
    }

    @Test
    void randomCallSequencesMatchJdk() throws DataFormatException {
        Random r = new Random(Mode.seed(42));
        for (int round = 0; round < Mode.rounds(60); round++) {
            Script.deflateScript(r.nextLong(), Mode.exactZlib());
        }
    }

    @Test
    void newParametersAfterTheStreamEndedFailLikeJdk() {
        HwDeflater hw = new HwDeflater(6, true);
        Deflater jdk = new Deflater(6, true);
        byte[] buf = new byte[100_000];
        for (Deflater d : new Deflater[] {hw, jdk}) {
            d.setInput(TEXT, 0, 1000);
            d.finish();
            while (!d.finished()) {
                d.deflate(buf);
            }
            d.setLevel(1);
        }
        Error theirs = assertThrows(Error.class, () -> jdk.deflate(buf));
        if (Mode.exactDeflate(6)) {
            Error ours = assertThrows(Error.class, () -> hw.deflate(buf));
            assertEquals(theirs.getClass(), ours.getClass());
            assertEquals(theirs.getMessage(), ours.getMessage());
        }
    }

    @Test
    void countersGoPastFourGiBAsLongs() throws DataFormatException {
        long total = (4L << 30) + 12_345; // past 2^32: getTotalIn() wraps, getBytesRead() does not
        ByteBuffer zeros = ByteBuffer.allocateDirect(64 << 20);
        ByteBuffer out = ByteBuffer.allocateDirect(1 << 20);
        HwDeflater hw = new HwDeflater(1, true);
        HwInflater inf = new HwInflater(true);
        ByteBuffer back = ByteBuffer.allocateDirect(64 << 20);
        long fed = 0;
        while (fed < total) {
            int n = (int) Math.min(zeros.capacity(), total - fed);
            hw.setInput(zeros.duplicate().limit(n));
            if (fed + n == total) {
                hw.finish();
            }
            while (!hw.needsInput() || (fed + n == total && !hw.finished())) {
                hw.deflate(out.clear());
                out.flip();
                inf.setInput(out);
                while (out.hasRemaining() || !inf.needsInput()) {
                    if (inf.inflate(back.clear()) == 0 && (inf.needsInput() || inf.finished())) {
                        break;
                    }
                }
            }
            fed += n;
        }
        assertTrue(hw.finished());
        assertTrue(inf.finished());
        assertEquals(total, hw.getBytesRead());
        assertEquals((int) total, hw.getTotalIn());
        assertEquals(total, inf.getBytesWritten());
        assertEquals((int) total, inf.getTotalOut());
        assertEquals(hw.getBytesWritten(), inf.getBytesRead());
        hw.end();
        inf.end();
    }

    @Test
    void setInputReplacesUnconsumedInputLikeJdk() {
        HwDeflater hw = new HwDeflater();
        hw.setInput(TEXT, 0, 100);
        assertFalse(hw.needsInput());
        hw.setInput(TEXT, 0, 0);
        assertTrue(hw.needsInput());
    }

    /** Heap, direct, read-only heap and sliced buffers holding `data`. */
    static Supplier<ByteBuffer>[] bufferKinds(byte[] data) {
        @SuppressWarnings("unchecked")
        Supplier<ByteBuffer>[] kinds = new Supplier[] {
            () -> ByteBuffer.wrap(data),
            () -> {
                ByteBuffer b = ByteBuffer.allocateDirect(data.length);
                b.put(data).flip();
                return b;
            },
            () -> ByteBuffer.wrap(data).asReadOnlyBuffer(),
            () -> {
                byte[] padded = new byte[data.length + 20];
                System.arraycopy(data, 0, padded, 10, data.length);
                return ByteBuffer.wrap(padded).position(10).limit(10 + data.length).slice();
            },
        };
        return kinds;
    }
}
