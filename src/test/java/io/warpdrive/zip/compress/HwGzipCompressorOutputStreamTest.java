package io.warpdrive.zip.compress;

import io.warpdrive.zip.Mode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.gzip.ExtraField;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our gzip writer, read back by commons-compress and the JDK. */
class HwGzipCompressorOutputStreamTest {
    private static final byte[] DATA = Samples.text(700_000, 3);

    private static GzipParameters fullParameters() throws IOException {
        GzipParameters p = new GzipParameters();
        p.setCompressionLevel(Deflater.BEST_COMPRESSION);
        p.setFileName("données-2024.csv");
        p.setComment("written by warpdrive-zip");
        p.setModificationInstant(Instant.ofEpochSecond(1_700_000_123L));
        p.setOS(GzipParameters.OS.UNIX);
        p.setExtraField(new ExtraField().addSubField("WD", new byte[] {1, 2, 3}).addSubField("ab", new byte[0]));
        p.setHeaderCRC(true);
        p.setBufferSize(1000);
        p.setDeflateStrategy(Deflater.FILTERED);
        return p;
    }

    private static byte[] ours(byte[] data, GzipParameters p) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (HwGzipCompressorOutputStream gz = new HwGzipCompressorOutputStream(bos, p)) {
            for (int off = 0; off < data.length; off += 65_000) {
                gz.write(data, off, Math.min(65_000, data.length - off));
            }
            gz.finish();
            if (data.length >= 64 * 1024) {
                Mode.assertBigStreamEngine(gz.engine(), p.getCompressionLevel(), p.getDeflateStrategy());
            }
        }
        return bos.toByteArray();
    }

    private static byte[] theirs(byte[] data, GzipParameters p) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(bos, p)) {
            gz.write(data);
        }
        return bos.toByteArray();
    }

    @Test
    void commonsCompressReadsTheDataAndEveryHeaderField() throws IOException {
        GzipParameters written = fullParameters();
        byte[] gz = ours(DATA, written);
        try (GzipCompressorInputStream in = new GzipCompressorInputStream(new ByteArrayInputStream(gz))) {
            assertArrayEquals(DATA, Samples.drain(in));
            GzipParameters read = in.getMetaData();
            assertEquals(written.getFileName(), read.getFileName());
            assertEquals(written.getComment(), read.getComment());
            assertEquals(written.getModificationInstant(), read.getModificationInstant());
            assertEquals(GzipParameters.OS.UNIX, read.getOS());
            assertEquals(Deflater.BEST_COMPRESSION, read.getCompressionLevel(), "XFL 2 means level 9");
            assertEquals(written.getExtraField(), read.getExtraField());
            assertTrue(read.getHeaderCRC());
        }
    }

    @Test
    void theHeaderIsByteForByteWhatCommonsCompressWrites() throws IOException {
        GzipParameters p = fullParameters();
        byte[] ours = ours(new byte[0], p);
        byte[] theirs = theirs(new byte[0], p);
        int headerLength = GzipHeader.FIXED_SIZE + 2 + p.getExtraField().getEncodedSize()
                + p.getFileName().getBytes(p.getFileNameCharset()).length + 1
                + p.getComment().getBytes(p.getFileNameCharset()).length + 1 + 2;
        assertTrue(theirs.length > headerLength && ours.length > headerLength);
        assertArrayEquals(Arrays.copyOf(theirs, headerLength), Arrays.copyOf(ours, headerLength));
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {-1, 0, 1, 5, 9})
    void xflAndOsFollowTheParametersAndTheJdkReadsEveryLevel(int level) throws IOException {
        GzipParameters p = new GzipParameters();
        p.setCompressionLevel(level);
        p.setOperatingSystem(3);
        byte[] gz = ours(DATA, p);
        int xfl = level == 9 ? 2 : level == 1 ? 4 : 0;
        assertEquals(xfl, gz[8] & 0xff, "XFL");
        assertEquals(3, gz[9] & 0xff, "OS");
        assertEquals(0, gz[3], "no optional fields by default");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertArrayEquals(DATA, in.readAllBytes());
        }
        if (level == 0) {
            assertTrue(gz.length > DATA.length, "level 0 stores");
        } else {
            assertTrue(gz.length < DATA.length / 2, "level " + level + " compresses: " + gz.length);
        }
    }

    @Test
    void anEmptyStreamIsAValidGzipFile() throws IOException {
        byte[] gz = ours(new byte[0], new GzipParameters());
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertEquals(-1, in.read());
        }
    }

    @Test
    void singleByteWritesMakeTheSameData() throws IOException {
        byte[] small = Arrays.copyOf(DATA, 5000);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (HwGzipCompressorOutputStream gz = new HwGzipCompressorOutputStream(bos)) {
            for (byte b : small) {
                gz.write(b);
            }
        }
        try (GzipCompressorInputStream in = new GzipCompressorInputStream(new ByteArrayInputStream(bos.toByteArray()))) {
            assertArrayEquals(small, Samples.drain(in));
        }
    }

    @Test
    void finishKeepsTheUnderlyingStreamOpenAndWritingAfterItFails() throws IOException {
        boolean[] closed = {false};
        ByteArrayOutputStream bos = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        HwGzipCompressorOutputStream gz = new HwGzipCompressorOutputStream(bos);
        gz.write(DATA, 0, 1000);
        gz.finish();
        int length = bos.size();
        gz.finish();
        assertEquals(length, bos.size(), "a second finish writes nothing");
        assertFalse(closed[0]);
        assertThrows(IOException.class, () -> gz.write(1));
        gz.close();
        gz.close();
        assertTrue(closed[0]);
        assertThrows(IOException.class, () -> gz.write(DATA, 0, 10), "closed");
    }

    @Test
    void badArgumentsAreRejectedLikeAnyOutputStream() throws IOException {
        try (HwGzipCompressorOutputStream gz = new HwGzipCompressorOutputStream(OutputStream.nullOutputStream())) {
            assertThrows(IndexOutOfBoundsException.class, () -> gz.write(new byte[4], 3, 2));
            assertThrows(NullPointerException.class, () -> gz.write(null, 0, 1));
        }
        assertThrows(NullPointerException.class, () -> new HwGzipCompressorOutputStream(null));
    }

    @Test
    void multipleMembersOfOursAreReadByCommonsCompressAsOneStream() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteArrayOutputStream expect = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            byte[] part = Arrays.copyOfRange(DATA, i * 150_000, i * 150_000 + 100_000 + i * 20_000);
            GzipParameters p = new GzipParameters();
            p.setFileName("part" + i);
            all.write(ours(part, p));
            expect.write(part);
        }
        try (GzipCompressorInputStream in = GzipCompressorInputStream.builder()
                .setInputStream(new ByteArrayInputStream(all.toByteArray())).setDecompressConcatenated(true).get()) {
            assertArrayEquals(expect.toByteArray(), Samples.drain(in));
            assertEquals("part2", in.getMetaData().getFileName());
        }
    }

    @Test
    void aFileNameIsWrittenInTheParametersCharset() throws IOException {
        GzipParameters p = new GzipParameters();
        p.setFileNameCharset(StandardCharsets.UTF_8);
        p.setFileName("日本語.txt");
        byte[] gz = ours(new byte[10], p);
        byte[] name = "日本語.txt".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(name, Arrays.copyOfRange(gz, GzipHeader.FIXED_SIZE, GzipHeader.FIXED_SIZE + name.length));
        assertEquals(0, gz[GzipHeader.FIXED_SIZE + name.length]);
    }
}
