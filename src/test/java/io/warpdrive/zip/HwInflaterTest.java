package io.warpdrive.zip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HwInflater against java.util.zip.Inflater: same calls, same observable results. */
class HwInflaterTest {
    private static final byte[] TEXT = TestData.text(400_000, 3);
    private static final byte[] MIXED = TestData.mixed(400_000, 4);

    @BeforeAll
    static void loaded() {
        Mode.assertLoadedAsExpected();
    }

    @Test
    void inflatesWhatTheJdkWritesAtEveryLevel() throws DataFormatException {
        for (int level = -1; level <= 9; level++) {
            for (boolean nowrap : new boolean[] {false, true}) {
                byte[] c = TestData.jdkDeflate(MIXED, level, nowrap);
                HwInflater hw = new HwInflater(nowrap);
                hw.setInput(c);
                byte[] out = new byte[MIXED.length];
                int n = 0;
                while (!hw.finished()) {
                    n += hw.inflate(out, n, out.length - n);
                }
                assertArrayEquals(MIXED, out);
                assertEquals(0, hw.getRemaining());
                assertEquals(c.length, hw.getBytesRead());
                assertEquals(MIXED.length, hw.getBytesWritten());
                Mode.assertBigStreamEngine(hw.engine());
                hw.end();
            }
        }
    }

    @Test
    void randomCallSequencesMatchJdk() {
        Random r = new Random(Mode.seed(7));
        for (int round = 0; round < Mode.rounds(40); round++) {
            boolean nowrap = r.nextBoolean();
            byte[] data = round % 3 == 0 ? TEXT : Arrays.copyOf(MIXED, 1 + r.nextInt(MIXED.length - 1));
            byte[] c = TestData.jdkDeflate(data, r.nextInt(10), nowrap);
            if (r.nextBoolean()) { // trailing bytes after the stream
                c = Arrays.copyOf(c, c.length + 1 + r.nextInt(30));
            }
            Script.inflateScript(r.nextLong(), c, data, nowrap, Mode.exactInflate());
        }
    }

    @Test
    void oneByteOutputBuffers() throws DataFormatException {
        byte[] data = Arrays.copyOf(TEXT, 30_000);
        byte[] c = TestData.jdkDeflate(data, 6, false);
        HwInflater hw = new HwInflater();
        hw.setInput(c);
        byte[] out = new byte[data.length];
        byte[] one = new byte[1];
        int n = 0;
        int guard = 0;
        while (!hw.finished() && guard++ < 10_000_000) {
            int k = hw.inflate(one);
            if (k == 1) {
                out[n++] = one[0];
            }
        }
        assertEquals(data.length, n);
        assertArrayEquals(data, out);
    }

    /**
     * Callers holding a whole stream often inflate until needsInput(): zlib
     * consumes input only as it decodes it, so that loop gets every byte
     * when the output buffer has room. The device decodes ahead and may hold
     * output after taking all the input; it must not report it all
     * consumed then. zlib itself may still hold the rest of a match, and
     * what its last bits decode to, when a full buffer ends at the last
     * input byte, so where the software engine (which steps as zlib does)
     * serves, the JDK's own result is the oracle.
     */
    @Test
    void aLoopStoppingAtNeedsInputGetsEveryByte() throws DataFormatException {
        byte[][] inputs = {MIXED, TEXT, TestData.random(120_000, 21), Arrays.copyOf(MIXED, 20_000)};
        int[] rooms = {65_536, 8_192, 1_000, 1};
        int cases = 0;
        int jdkShort = 0;
        for (int i = 0; i < inputs.length; i++) {
            byte[] data = inputs[i];
            for (int room : rooms) {
                if (room < 1_000 && data.length > 20_000) {
                    continue; // tiny rooms on the short input only
                }
                for (int level : new int[] {1, 6, 9}) {
                    for (boolean nowrap : new boolean[] {true, false}) {
                        byte[] c = TestData.jdkDeflate(data, level, nowrap);
                        Inflater jdk = new Inflater(nowrap);
                        HwInflater hw = new HwInflater(nowrap);
                        byte[] jdkOut = untilNeedsInput(jdk, c, room, data.length);
                        byte[] hwOut = untilNeedsInput(hw, c, room, data.length);
                        String what = "input " + i + " level " + level + " nowrap " + nowrap + " room " + room;
                        if (Mode.exactInflate()) {
                            assertArrayEquals(jdkOut, hwOut, what);
                            assertEquals(jdk.finished(), hw.finished(), what);
                        } else {
                            assertTrue(hw.finished(), what + ": stopped at needsInput() after "
                                    + hwOut.length + " of " + data.length + " bytes");
                            assertArrayEquals(data, hwOut, what);
                            if (jdk.finished()) {
                                assertEquals(jdk.getBytesRead(), hw.getBytesRead(), what);
                            }
                        }
                        jdkShort += jdk.finished() ? 0 : 1;
                        cases++;
                        jdk.end();
                        hw.end();
                    }
                }
            }
        }
        assertEquals(78, cases);
        assertTrue(jdkShort < cases, "the JDK's loop ends its streams");
    }

    /**
     * Past 1 MiB the software engine keeps no copy of the input for zlib to
     * replay, so its own verdict on a bad check value must stand, on the
     * device path too (which replays through it), and repeat on the next
     * call as zlib's does.
     */
    @Test
    void longStreamsWithABadCheckValueFailLikeJdk() {
        byte[] data = TestData.random(1_300_000, 31);
        for (boolean inData : new boolean[] {false, true}) {
            byte[] c = TestData.jdkDeflate(data, 6, false);
            int at = inData ? 1_200_000 : c.length - 1; // a stored byte, or the Adler-32
            c[at] ^= 0x10;
            String[] msgs = new String[4];
            long[] written = new long[2];
            int i = 0;
            for (Inflater inf : new Inflater[] {new Inflater(), new HwInflater()}) {
                byte[] out = new byte[65_536];
                DataFormatException e = assertThrows(DataFormatException.class, () -> {
                    int fed = 0;
                    while (!inf.finished()) {
                        if (inf.needsInput()) {
                            int k = Math.min(65_536, c.length - fed);
                            inf.setInput(c, fed, k);
                            fed += k;
                        }
                        inf.inflate(out);
                    }
                });
                msgs[i] = e.getMessage();
                written[i] = inf.getBytesWritten();
                DataFormatException again = assertThrows(DataFormatException.class, () -> inf.inflate(out));
                msgs[i + 2] = again.getMessage();
                assertFalse(inf.finished());
                inf.end();
                i++;
            }
            assertEquals("incorrect data check", msgs[0]);
            assertEquals(msgs[0], msgs[1], "first verdict, " + (inData ? "data" : "check value") + " corrupt");
            assertEquals(msgs[2], msgs[3], "repeated verdict");
            assertEquals(written[0], written[1], "output before the verdict");
        }
    }

    /** Inflates all of c while !needsInput() and !finished(), room bytes per call. */
    private static byte[] untilNeedsInput(Inflater inf, byte[] c, int room, int size) throws DataFormatException {
        inf.setInput(c);
        byte[] out = new byte[size + room];
        int n = 0;
        for (int calls = 0; !inf.finished() && !inf.needsInput() && n <= size; calls++) {
            assertTrue(calls <= 2 * size + 100, "no progress at " + n + " of " + size);
            n += inf.inflate(out, n, room);
        }
        return Arrays.copyOf(out, n);
    }

    @Test
    void trailingBytesAreLeftInGetRemaining() throws DataFormatException {
        byte[] c = TestData.jdkDeflate(TEXT, 6, true);
        byte[] withTail = Arrays.copyOf(c, c.length + 17);
        HwInflater hw = new HwInflater(true);
        Inflater jdk = new Inflater(true);
        for (Inflater inf : new Inflater[] {hw, jdk}) {
            inf.setInput(withTail);
            byte[] out = new byte[TEXT.length + 100];
            int n = 0;
            while (!inf.finished()) {
                n += inf.inflate(out, n, out.length - n);
            }
            assertEquals(TEXT.length, n);
            assertEquals(17, inf.getRemaining());
            assertFalse(inf.needsInput());
            assertEquals(c.length, inf.getBytesRead());
        }
    }

    /**
     * zlib takes a raw dictionary at any point of a raw stream: it joins the
     * history, so later matches may copy from it (also under a match cut
     * short by the room). Set at the same calls on both sides, every call
     * must give the JDK's result; on zlib and gzip streams it is refused as
     * the JDK refuses it. Streams of 1.3 MB reach past the first MiB.
     */
    @Test
    void dictionariesInMidStreamLikeJdk() throws DataFormatException {
        byte[] big = TestData.random(1_200_000, 31);
        byte[] longer = Arrays.copyOf(big, big.length + 100_000);
        System.arraycopy(TEXT, 0, longer, big.length, 100_000);
        Random r = new Random(Mode.seed(23));
        int taken = 0;
        int deviceRefused = 0;
        for (int round = 0; round < 12; round++) {
            boolean nowrap = round % 3 != 2;
            byte[] data = round % 4 == 1 ? longer : Arrays.copyOf(TEXT, 120_000);
            byte[] c = TestData.jdkDeflate(data, 1 + round % 9, nowrap);
            Inflater jdk = new Inflater(nowrap);
            HwInflater hw = new HwInflater(nowrap);
            String where = "round " + round + " nowrap " + nowrap + " len " + data.length;
            int fed = 0;
            for (int call = 0; !jdk.finished() && call < 200_000; call++) {
                if (r.nextInt(12) == 0) {
                    int len = 1 + r.nextInt(40_000);
                    int off = r.nextInt(TEXT.length - len);
                    String je = refusal(jdk, off, len);
                    String he = refusal(hw, off, len);
                    if (Mode.emulated() && je == null && he != null) {
                        // a device stream that decoded past what it delivered refuses one (README)
                        assertEquals(IllegalArgumentException.class.getName(), he, where);
                        deviceRefused++;
                    } else {
                        assertEquals(je, he, where + ": dictionary at call " + call);
                    }
                    taken += je == null && he == null ? 1 : 0;
                }
                if (jdk.needsInput() && fed < c.length) {
                    int k = Math.min(c.length - fed, 1 + r.nextInt(r.nextBoolean() ? 40 : 70_000));
                    jdk.setInput(c, fed, k);
                    hw.setInput(c, fed, k);
                    fed += k;
                }
                int room = r.nextBoolean() ? r.nextInt(300) : r.nextInt(70_000);
                byte[] a = new byte[room];
                byte[] b = new byte[room];
                int n = jdk.inflate(a);
                int m = hw.inflate(b);
                if (Mode.exactInflate()) {
                    // a device decodes ahead: there the dictionary lands elsewhere in the output
                    assertEquals(n, m, where + ": call " + call);
                    assertArrayEquals(a, b, where + ": call " + call);
                    assertEquals(jdk.getRemaining(), hw.getRemaining(), where + ": call " + call);
                    assertEquals(jdk.needsInput(), hw.needsInput(), where + ": call " + call);
                    assertEquals(jdk.finished(), hw.finished(), where + ": call " + call);
                }
            }
            assertTrue(jdk.finished(), where);
            jdk.end();
            hw.end();
        }
        assertTrue(taken > 20, "dictionaries taken: " + taken + ", refused on a device: " + deviceRefused);
    }

    /** setDictionary(TEXT[off, off + len)): null when taken, else the exception's class. */
    private static String refusal(Inflater inf, int off, int len) {
        try {
            inf.setDictionary(TEXT, off, len);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getClass().getName();
        }
    }

    @Test
    void needsDictionaryAndWrongDictionaryLikeJdk() throws DataFormatException {
        byte[] dict = Arrays.copyOf(TEXT, 1000);
        Deflater d = new Deflater();
        d.setDictionary(dict);
        byte[] c = TestData.deflateAll(d, Arrays.copyOf(TEXT, 50_000), 65536);
        HwInflater hw = new HwInflater();
        Inflater jdk = new Inflater();
        for (Inflater inf : new Inflater[] {jdk, hw}) {
            inf.setInput(c);
            byte[] out = new byte[60_000];
            assertEquals(0, inf.inflate(out));
            assertTrue(inf.needsDictionary());
            assertFalse(inf.finished());
        }
        assertEquals(jdk.getAdler(), hw.getAdler());
        assertEquals(jdk.getRemaining(), hw.getRemaining());
        IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class, () -> jdk.setDictionary(new byte[] {1, 2}));
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> hw.setDictionary(new byte[] {1, 2}));
        assertEquals(e1.getMessage(), e2.getMessage());
        assertTrue(hw.needsDictionary(), "still needs the right one");
        hw.setDictionary(ByteBuffer.wrap(dict));
        assertFalse(hw.needsDictionary());
        byte[] out = new byte[60_000];
        assertEquals(50_000, hw.inflate(out));
        assertArrayEquals(Arrays.copyOf(TEXT, 50_000), Arrays.copyOf(out, 50_000));
        assertTrue(hw.finished());
    }

    @Test
    void corruptInputGivesTheJdksDataFormatException() {
        Random r = new Random(Mode.seed(11));
        for (int round = 0; round < Mode.rounds(60); round++) {
            boolean nowrap = r.nextBoolean();
            byte[] c = TestData.jdkDeflate(Arrays.copyOf(MIXED, 100_000), 6, nowrap);
            int hits = 1 + r.nextInt(4);
            for (int k = 0; k < hits; k++) {
                c[r.nextInt(c.length)] ^= (byte) (1 + r.nextInt(255));
            }
            Script.inflateScript(r.nextLong(), c, null, nowrap, Mode.exactInflate());
        }
        // garbage from the first byte
        byte[] junk = TestData.random(5000, 5);
        Script.inflateScript(1, junk, null, false, Mode.exactInflate());
        Script.inflateScript(2, junk, null, true, Mode.exactInflate());
    }

    @Test
    void dataFormatExceptionAdvancesCountersLikeJdk() {
        byte[] c = TestData.jdkDeflate(TEXT, 6, false);
        c[c.length - 2] ^= 0x40; // break the Adler-32 trailer
        HwInflater hw = new HwInflater();
        Inflater jdk = new Inflater();
        String[] msgs = new String[2];
        int i = 0;
        for (Inflater inf : new Inflater[] {jdk, hw}) {
            inf.setInput(c);
            byte[] out = new byte[TEXT.length];
            DataFormatException e = assertThrows(DataFormatException.class, () -> {
                int n = 0;
                while (true) {
                    n += inf.inflate(out, n, out.length - n);
                }
            });
            msgs[i++] = e.getMessage();
            assertEquals(TEXT.length, inf.getBytesWritten());
        }
        assertEquals("incorrect data check", msgs[0]);
        assertEquals(msgs[0], msgs[1]);
        assertEquals(jdk.getBytesRead(), hw.getBytesRead());
        assertEquals(jdk.getRemaining(), hw.getRemaining());
    }

    @Test
    void truncatedInputNeedsInputAndNeverFinishes() throws DataFormatException {
        byte[] c = TestData.jdkDeflate(TEXT, 6, true);
        HwInflater hw = new HwInflater(true);
        hw.setInput(c, 0, c.length - 10);
        byte[] out = new byte[TEXT.length];
        int n = 0;
        int k;
        while ((k = hw.inflate(out, n, out.length - n)) > 0) {
            n += k;
        }
        assertTrue(hw.needsInput());
        assertFalse(hw.finished());
        hw.setInput(c, c.length - 10, 10);
        while (!hw.finished()) {
            n += hw.inflate(out, n, out.length - n);
        }
        assertArrayEquals(TEXT, out);
    }

    @Test
    void resetReadsTheNextStream() throws DataFormatException {
        HwInflater hw = new HwInflater();
        for (int i = 0; i < 3; i++) {
            byte[] data = Arrays.copyOfRange(MIXED, i * 1000, i * 1000 + 120_000);
            hw.setInput(TestData.jdkDeflate(data, i * 4, false));
            byte[] out = new byte[data.length];
            int n = 0;
            while (!hw.finished()) {
                n += hw.inflate(out, n, out.length - n);
            }
            assertArrayEquals(data, out);
            hw.reset();
            assertFalse(hw.finished());
            assertEquals(0, hw.getBytesRead());
            assertEquals(1, hw.getAdler());
        }
    }

    @Test
    void byteBufferVariants() throws DataFormatException {
        byte[] c = TestData.jdkDeflate(MIXED, 6, true);
        for (java.util.function.Supplier<ByteBuffer> in : HwDeflaterTest.bufferKinds(c)) {
            for (boolean directOut : new boolean[] {false, true}) {
                HwInflater hw = new HwInflater(true);
                ByteBuffer src = in.get();
                hw.setInput(src);
                ByteBuffer dst = directOut ? ByteBuffer.allocateDirect(MIXED.length + 10) : ByteBuffer.allocate(MIXED.length + 10);
                dst.position(10);
                while (!hw.finished()) {
                    hw.inflate(dst);
                }
                assertEquals(src.limit(), src.position());
                dst.flip().position(10);
                byte[] got = new byte[dst.remaining()];
                dst.get(got);
                assertArrayEquals(MIXED, got);
                assertThrows(ReadOnlyBufferException.class, () -> hw.inflate(ByteBuffer.allocate(4).asReadOnlyBuffer()));
            }
        }
    }

    @Test
    void argumentChecksAndEndLikeJdk() {
        HwInflater hw = new HwInflater();
        Inflater jdk = new Inflater();
        for (Inflater inf : new Inflater[] {hw, jdk}) {
            byte[] b = new byte[10];
            assertThrows(ArrayIndexOutOfBoundsException.class, () -> inf.setInput(b, 8, 3));
            assertThrows(ArrayIndexOutOfBoundsException.class, () -> inf.inflate(b, -1, 3));
            assertThrows(ArrayIndexOutOfBoundsException.class, () -> inf.inflate(b, 2, 9));
            assertThrows(NullPointerException.class, () -> inf.inflate((byte[]) null));
            assertThrows(NullPointerException.class, () -> inf.setInput((ByteBuffer) null));
            assertThrows(ArrayIndexOutOfBoundsException.class, () -> inf.setDictionary(b, 0, 11));
            assertEquals(0, inf.getRemaining());
            assertTrue(inf.needsInput());
        }
        hw.end();
        jdk.end();
        hw.end();
        byte[] b = new byte[10];
        Runnable[][] calls = {
            {() -> hw.getAdler(), () -> jdk.getAdler()},
            {() -> hw.getBytesRead(), () -> jdk.getBytesRead()},
            {() -> hw.reset(), () -> jdk.reset()},
            {() -> hw.setDictionary(b), () -> jdk.setDictionary(b)},
            {() -> {
                try {
                    hw.inflate(b);
                } catch (DataFormatException e) {
                    throw new AssertionError(e);
                }
            }, () -> {
                try {
                    jdk.inflate(b);
                } catch (DataFormatException e) {
                    throw new AssertionError(e);
                }
            }},
        };
        for (Runnable[] pair : calls) {
            RuntimeException theirs = assertThrows(RuntimeException.class, pair[1]::run);
            RuntimeException ours = assertThrows(RuntimeException.class, pair[0]::run);
            assertEquals(theirs.getClass(), ours.getClass());
            assertEquals(theirs.getMessage(), ours.getMessage());
        }
        assertEquals(0, hw.getRemaining());
        assertFalse(hw.finished());
    }

    @Test
    void concatenatedZlibStreamsWithResetBetween() throws DataFormatException {
        byte[] a = TestData.jdkDeflate(Arrays.copyOf(TEXT, 70_000), 1, false);
        byte[] b = TestData.jdkDeflate(Arrays.copyOfRange(TEXT, 70_000, 200_000), 9, false);
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        HwInflater hw = new HwInflater();
        hw.setInput(both);
        byte[] out = new byte[200_000];
        int n = 0;
        while (!hw.finished()) {
            n += hw.inflate(out, n, out.length - n);
        }
        assertEquals(70_000, n);
        assertEquals(b.length, hw.getRemaining());
        int rem = hw.getRemaining();
        hw.reset();
        hw.setInput(both, both.length - rem, rem);
        while (!hw.finished()) {
            n += hw.inflate(out, n, out.length - n);
        }
        assertArrayEquals(Arrays.copyOf(TEXT, 200_000), out);
    }
}
