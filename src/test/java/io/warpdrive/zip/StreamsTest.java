package io.warpdrive.zip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;

/** The stream subclasses against their JDK parents and each other. */
class StreamsTest {
    private static final byte[] DATA = TestData.mixed(1_500_000, 21);

    private static byte[] hwGzip(byte[] data, boolean syncFlush) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (HwGZIPOutputStream gz = new HwGZIPOutputStream(bos, syncFlush)) {
            for (int off = 0; off < data.length; off += 7000) {
                gz.write(data, off, Math.min(7000, data.length - off));
            }
            gz.finish();
            Mode.assertBigStreamEngine(gz.engine());
        }
        return bos.toByteArray();
    }

    private static byte[] jdkGzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        }
        return bos.toByteArray();
    }

    @Test
    void gzipBothWays() throws IOException {
        byte[] ours = hwGzip(DATA, false);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(ours))) {
            assertArrayEquals(DATA, in.readAllBytes(), "JDK reads ours");
        }
        try (HwGZIPInputStream in = new HwGZIPInputStream(new ByteArrayInputStream(jdkGzip(DATA)))) {
            assertArrayEquals(DATA, in.readAllBytes(), "ours reads the JDK's");
            Mode.assertBigStreamEngine(in.engine());
        }
    }

    @Test
    void gzipInputReadsConcatenatedMembers() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteArrayOutputStream expect = new ByteArrayOutputStream();
        for (int i = 0; i < 4; i++) {
            byte[] part = Arrays.copyOfRange(DATA, i * 100_000, i * 100_000 + 50_000 + i * 80_000);
            all.write(i % 2 == 0 ? jdkGzip(part) : hwGzip(part, false));
            expect.write(part);
        }
        try (HwGZIPInputStream in = new HwGZIPInputStream(new ByteArrayInputStream(all.toByteArray()), 512)) {
            assertArrayEquals(expect.toByteArray(), in.readAllBytes());
        }
    }

    @Test
    void gzipInputRejectsBadTrailers() throws IOException {
        byte[] good = hwGzip(Arrays.copyOf(DATA, 100_000), false);
        for (int k = 1; k <= 8; k++) {
            byte[] bad = good.clone();
            bad[bad.length - k] ^= 0x11;
            try (HwGZIPInputStream in = new HwGZIPInputStream(new ByteArrayInputStream(bad))) {
                ZipException e = assertThrows(ZipException.class, in::readAllBytes);
                assertTrue(e.getMessage().startsWith("Corrupt GZIP trailer"), e.getMessage());
            }
        }
        byte[] truncated = Arrays.copyOf(good, good.length - 20);
        try (HwGZIPInputStream in = new HwGZIPInputStream(new ByteArrayInputStream(truncated))) {
            assertThrows(EOFException.class, in::readAllBytes);
        }
    }

    @Test
    void syncFlushMakesEverythingWrittenReadable() throws IOException, DataFormatException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        HwGZIPOutputStream gz = new HwGZIPOutputStream(bos, true);
        byte[] part = Arrays.copyOf(DATA, 300_000);
        gz.write(part);
        gz.flush();
        byte[] sofar = bos.toByteArray();
        Inflater inf = new Inflater(true);
        inf.setInput(sofar, 10, sofar.length - 10); // after the 10-byte gzip header
        byte[] got = new byte[part.length + 1];
        int n = 0;
        int k;
        while ((k = inf.inflate(got, n, got.length - n)) > 0) {
            n += k;
        }
        assertEquals(part.length, n, "all data written before flush() is readable");
        assertArrayEquals(part, Arrays.copyOf(got, n));
        gz.close();
    }

    @Test
    void deflaterStreamsRoundTripAndOwnTheirCoders() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        HwDeflater mine = new HwDeflater(9);
        try (DeflaterOutputStream out = new HwDeflaterOutputStream(bos, mine)) {
            out.write(DATA);
        }
        assertTrue(mine.finished());
        assertEquals(DATA.length, mine.getBytesRead(), "not ended by close(): it was the caller's");
        mine.end();
        try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(bos.toByteArray()))) {
            assertArrayEquals(DATA, in.readAllBytes());
        }
        ByteArrayOutputStream bos2 = new ByteArrayOutputStream();
        HwDeflaterOutputStream own = new HwDeflaterOutputStream(bos2);
        own.write(DATA);
        own.close();
        HwInflaterInputStream in = new HwInflaterInputStream(new ByteArrayInputStream(bos2.toByteArray()));
        assertArrayEquals(DATA, in.readAllBytes());
        in.close();
        in.close(); // idempotent
        HwInflater theirs = new HwInflater();
        try (InputStream in2 = new HwInflaterInputStream(new ByteArrayInputStream(bos2.toByteArray()), theirs)) {
            assertArrayEquals(DATA, in2.readAllBytes());
        }
        assertEquals(DATA.length, theirs.getBytesWritten(), "still usable after the stream closed");
    }

    /**
     * A gzip stream flushed after every short message (as a streamed
     * response or a log shipper does) keeps its history across flushes, so
     * it stays about the JDK's size, and every flush makes all written so
     * far readable.
     */
    @Test
    void syncFlushedMessagesStayTheJdksSize() throws IOException {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        StringBuilder all = new StringBuilder();
        try (HwGZIPOutputStream x = new HwGZIPOutputStream(a, true);
             GZIPOutputStream y = new GZIPOutputStream(b, true)) {
            for (int i = 0; i < 500; i++) {
                byte[] line = String.format("{\"id\":%d,\"user\":\"u%d\",\"event\":\"%s\",\"ms\":%d}%n",
                        i, i % 37, i % 3 == 0 ? "click" : "view", 1000 + i * 7).getBytes();
                all.append(new String(line));
                x.write(line);
                y.write(line);
                x.flush();
                y.flush();
                if (i == 250) {
                    byte[] sofar = readPrefix(a.toByteArray(), all.length());
                    assertEquals(all.toString(), new String(sofar), "a flush makes everything readable");
                }
            }
        }
        assertTrue(a.size() <= b.size() * 105 / 100, () -> "sync-flushed stream " + a.size()
                + " bytes, the JDK's " + b.size());
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(a.toByteArray()))) {
            assertEquals(all.toString(), new String(in.readAllBytes()));
        }
    }

    /** The first n bytes a gzip stream cut short decodes to. */
    private static byte[] readPrefix(byte[] gz, int n) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readNBytes(n);
        }
    }

    @Test
    void smallWritesThroughDeflaterOutputStreamMatchTheJdk() throws IOException {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DeflaterOutputStream x = new DeflaterOutputStream(a, new HwDeflater(), 512);
             DeflaterOutputStream y = new DeflaterOutputStream(b, new Deflater(), 512)) {
            for (int off = 0; off + 512 <= 400_000; off += 512) {
                x.write(DATA, off, 512);
                y.write(DATA, off, 512);
            }
        }
        if (Mode.exactDeflate(-1)) {
            assertArrayEquals(b.toByteArray(), a.toByteArray());
        }
        try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(a.toByteArray()))) {
            assertArrayEquals(Arrays.copyOf(DATA, 400_000 / 512 * 512), in.readAllBytes());
        }
    }

    @Test
    void thirtyTwoThreadsOfIndependentStreams() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            final int seed = t;
            results.add(pool.submit(() -> {
                byte[] data = TestData.mixed(100_000 + seed * 5000, seed);
                for (int round = 0; round < 5; round++) {
                    byte[] c = hwGzip(data, round % 2 == 0);
                    try (HwGZIPInputStream in = new HwGZIPInputStream(new ByteArrayInputStream(c))) {
                        if (!Arrays.equals(data, in.readAllBytes())) {
                            return false;
                        }
                    }
                }
                return true;
            }));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(150, TimeUnit.SECONDS), "no deadlock");
        for (Future<Boolean> f : results) {
            assertTrue(f.get());
        }
    }

    @Test
    void oneInstanceSharedByThreadsStaysConsistent() throws Exception {
        // Not a supported pattern (as with the JDK), but it must not crash or corrupt memory.
        HwDeflater shared = new HwDeflater(1, true);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> fs = new ArrayList<>();
        byte[] buf = new byte[1 << 16];
        for (int t = 0; t < 4; t++) {
            fs.add(pool.submit(() -> {
                byte[] out = new byte[4096];
                for (int i = 0; i < 2000; i++) {
                    shared.setInput(buf, 0, 1000);
                    shared.deflate(out);
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        shared.end();
    }
}
