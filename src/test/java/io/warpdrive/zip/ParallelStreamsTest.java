package io.warpdrive.zip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The parallel mode of HwGZIPOutputStream and HwDeflaterOutputStream. */
class ParallelStreamsTest {
    private static final byte[] DATA = TestData.mixed(3_000_000, 31);

    private static byte[] gzip(byte[] data, HwDeflateParameters p, int piece) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (HwGZIPOutputStream gz = new HwGZIPOutputStream(bos, p)) {
            for (int off = 0; off < data.length; off += piece) {
                gz.write(data, off, Math.min(piece, data.length - off));
            }
        }
        return bos.toByteArray();
    }

    private static byte[] gunzip(byte[] c) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(c))) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @CsvSource({"1,2,131072", "6,2,131072", "9,4,65536", "6,8,4096", "6,3,1048576"})
    void parallelGzipIsOneStreamWithASerialRatio(int level, int parallelism, int block) throws IOException {
        HwDeflateParameters p = new HwDeflateParameters().level(level).parallelism(parallelism).blockSize(block);
        byte[] par = gzip(DATA, p, 70_001);
        byte[] ser = gzip(DATA, new HwDeflateParameters().level(level), 70_001);
        assertArrayEquals(DATA, gunzip(par));
        // each block carries the previous 32 KiB: the ratio holds (tiny blocks pay a little more)
        double limit = block >= 65536 ? 1.02 : 1.06;
        assertTrue(par.length <= ser.length * limit, par.length + " vs serial " + ser.length);
    }

    @Test
    void edgeSizesAndSingleByteWrites() throws IOException {
        HwDeflateParameters p = new HwDeflateParameters().parallelism(2).blockSize(4096);
        for (int n : new int[] {0, 1, 4095, 4096, 4097, 100_000}) {
            byte[] d = Arrays.copyOf(DATA, n);
            assertArrayEquals(d, gunzip(gzip(d, p, 1 + n / 3)), "size " + n);
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (HwGZIPOutputStream gz = new HwGZIPOutputStream(bos, p)) {
            for (int i = 0; i < 20_000; i++) {
                gz.write(DATA[i]);
            }
        }
        assertArrayEquals(Arrays.copyOf(DATA, 20_000), gunzip(bos.toByteArray()));
    }

    @Test
    void syncFlushMakesEverythingWrittenReadable() throws IOException, DataFormatException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        HwGZIPOutputStream gz = new HwGZIPOutputStream(bos,
                new HwDeflateParameters().parallelism(3).blockSize(65536).syncFlush(true));
        byte[] part = Arrays.copyOf(DATA, 250_000);
        gz.write(part);
        gz.flush();
        byte[] sofar = bos.toByteArray();
        Inflater inf = new Inflater(true);
        inf.setInput(sofar, 10, sofar.length - 10);
        byte[] got = new byte[part.length + 1];
        int n = 0;
        int k;
        while ((k = inf.inflate(got, n, got.length - n)) > 0) {
            n += k;
        }
        assertEquals(part.length, n);
        assertArrayEquals(part, Arrays.copyOf(got, n));
        gz.write(DATA, 250_000, 10);
        gz.close();
        assertArrayEquals(Arrays.copyOf(DATA, 250_010), gunzip(bos.toByteArray()));
    }

    @Test
    void parallelZlibStreamIsReadByTheJdk() throws IOException {
        for (int level : new int[] {1, 6, 9}) {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (HwDeflaterOutputStream out = new HwDeflaterOutputStream(bos,
                    new HwDeflateParameters().level(level).parallelism(4).blockSize(65536))) {
                out.write(DATA);
                if (!Mode.noNative()) {
                    Mode.assertBigStreamEngine(out.engine());
                }
            }
            try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(bos.toByteArray()))) {
                assertArrayEquals(DATA, in.readAllBytes(), "level " + level);
            }
        }
    }

    @Test
    void contractsOfTheJdkStreamsHold() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        HwGZIPOutputStream gz = new HwGZIPOutputStream(bos, new HwDeflateParameters().parallelism(2));
        byte[] b = new byte[10];
        assertThrows(IndexOutOfBoundsException.class, () -> gz.write(b, 5, 6));
        assertThrows(NullPointerException.class, () -> gz.write(null, 0, 1));
        gz.write(b);
        gz.finish();
        assertThrows(IOException.class, () -> gz.write(b));
        gz.close();
        gz.close();
        assertArrayEquals(b, gunzip(bos.toByteArray()));
        assertThrows(IllegalArgumentException.class, () -> new HwDeflateParameters().parallelism(0));
        assertThrows(IllegalArgumentException.class, () -> new HwDeflateParameters().blockSize(100));
        assertThrows(IllegalArgumentException.class, () -> new HwDeflateParameters().level(10));
    }

    @Test
    void aFailingSinkSurfacesOnTheWritersThread() {
        OutputStream broken = new OutputStream() {
            private int n;

            @Override
            public void write(int c) throws IOException {
                write(new byte[] {(byte) c}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                n += len;
                if (n > 50_000) {
                    throw new IOException("disk full");
                }
            }
        };
        IOException e = assertThrows(IOException.class, () -> {
            try (HwGZIPOutputStream gz = new HwGZIPOutputStream(broken,
                    new HwDeflateParameters().parallelism(2).blockSize(65536))) {
                gz.write(DATA);
            }
        });
        assertEquals("disk full", e.getMessage());
    }
}
