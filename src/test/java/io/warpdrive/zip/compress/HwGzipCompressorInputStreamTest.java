package io.warpdrive.zip.compress;

import io.warpdrive.zip.Mode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.gzip.ExtraField;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.junit.jupiter.api.Test;

/** Our gzip reader on what commons-compress, the JDK and we write, and on damaged input. */
class HwGzipCompressorInputStreamTest {
    private static final byte[] DATA = Samples.text(600_000, 11);

    private static byte[] commonsGzip(byte[] data, GzipParameters p) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(bos, p)) {
            gz.write(data);
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

    private static byte[] ourGzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (HwGzipCompressorOutputStream gz = new HwGzipCompressorOutputStream(bos)) {
            gz.write(data);
        }
        return bos.toByteArray();
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return all.toByteArray();
    }

    @Test
    void readsCommonsCompressOutputWithEveryHeaderField() throws IOException {
        GzipParameters p = new GzipParameters();
        p.setCompressionLevel(Deflater.BEST_SPEED);
        p.setFileName("report.txt");
        p.setComment("a comment");
        p.setModificationInstant(Instant.ofEpochSecond(1_234_567_890L));
        p.setOS(GzipParameters.OS.NTFS);
        p.setExtraField(new ExtraField().addSubField("XY", "payload".getBytes(StandardCharsets.US_ASCII)));
        p.setHeaderCRC(true);
        byte[] gz = commonsGzip(DATA, p);
        try (HwGzipCompressorInputStream in = new HwGzipCompressorInputStream(new ByteArrayInputStream(gz))) {
            GzipParameters read = in.getMetaData();
            assertEquals("report.txt", read.getFileName());
            assertEquals("a comment", read.getComment());
            assertEquals(1_234_567_890L, read.getModificationTime());
            assertEquals(GzipParameters.OS.NTFS, read.getOS());
            assertEquals(Deflater.BEST_SPEED, read.getCompressionLevel());
            assertEquals(p.getExtraField(), read.getExtraField());
            assertTrue(read.getHeaderCRC());
            assertArrayEquals(DATA, Samples.drain(in));
            Mode.assertBigStreamEngine(in.engine());
            assertEquals(gz.length, in.getCompressedCount());
            assertEquals(DATA.length, in.getUncompressedCount());
        }
    }

    @Test
    void readsOnlyTheFirstMemberUnlessAskedLikeCommonsCompress() throws IOException {
        byte[] a = Arrays.copyOfRange(DATA, 0, 200_000);
        byte[] b = Arrays.copyOfRange(DATA, 200_000, 350_000);
        byte[] c = Arrays.copyOfRange(DATA, 350_000, 600_000);
        byte[] three = cat(commonsGzip(a, new GzipParameters()), jdkGzip(b), ourGzip(c));
        try (HwGzipCompressorInputStream in = new HwGzipCompressorInputStream(new ByteArrayInputStream(three))) {
            assertArrayEquals(a, Samples.drain(in));
        }
        try (HwGzipCompressorInputStream in = new HwGzipCompressorInputStream(new ByteArrayInputStream(three), true)) {
            assertArrayEquals(DATA, Samples.drain(in));
            assertEquals(-1, in.read());
        }
    }

    @Test
    void eachMembersHeaderReplacesTheMetadata() throws IOException {
        GzipParameters first = new GzipParameters();
        first.setFileName("one");
        GzipParameters second = new GzipParameters();
        second.setFileName("two");
        byte[] gz = cat(commonsGzip(new byte[100], first), commonsGzip(new byte[0], second));
        try (HwGzipCompressorInputStream in = new HwGzipCompressorInputStream(new ByteArrayInputStream(gz), true)) {
            assertEquals("one", in.getMetaData().getFileName());
            assertEquals(100, Samples.drain(in).length);
            assertEquals("two", in.getMetaData().getFileName());
        }
    }

    @Test
    void aMarkableInputIsLeftRightAfterTheMember() throws IOException {
        byte[] tail = "TAIL".getBytes(StandardCharsets.US_ASCII);
        byte[] gz = ourGzip(DATA);
        for (InputStream src : new InputStream[] {new ByteArrayInputStream(cat(gz, tail)),
            new BufferedInputStream(new ByteArrayInputStream(cat(gz, tail)), 100)}) {
            HwGzipCompressorInputStream in = new HwGzipCompressorInputStream(src);
            assertArrayEquals(DATA, Samples.drain(in));
            assertEquals(gz.length, in.getCompressedCount());
            assertArrayEquals(tail, src.readAllBytes());
        }
    }

    @Test
    void dataAfterTheLastMemberIsAnErrorWhenReadingConcatenated() throws IOException {
        byte[] gz = cat(ourGzip(new byte[1000]), "garbage".getBytes(StandardCharsets.US_ASCII));
        try (HwGzipCompressorInputStream in = new HwGzipCompressorInputStream(new ByteArrayInputStream(gz), true)) {
            IOException e = assertThrows(IOException.class, () -> Samples.drain(in));
            assertTrue(e.getMessage().contains("after a valid .gz stream"), e.getMessage());
        }
    }

    @Test
    void aWrongCrcOrLengthIsAnIoException() throws IOException {
        byte[] gz = ourGzip(DATA);
        byte[] badCrc = gz.clone();
        badCrc[gz.length - 8] ^= 1;
        byte[] badSize = gz.clone();
        badSize[gz.length - 1] ^= 1;
        for (byte[] bad : new byte[][] {badCrc, badSize}) {
            try (HwGzipCompressorInputStream in = new HwGzipCompressorInputStream(new ByteArrayInputStream(bad))) {
                IOException e = assertThrows(IOException.class, () -> Samples.drain(in));
                assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
            }
        }
    }

    @Test
    void corruptDeflateDataIsAnIoException() throws IOException {
        byte[] gz = ourGzip(DATA);
        byte[] bad = gz.clone();
        for (int i = 20; i < 60; i++) {
            bad[i] = (byte) 0xff;
        }
        try (HwGzipCompressorInputStream in = new HwGzipCompressorInputStream(new ByteArrayInputStream(bad))) {
            assertThrows(IOException.class, () -> Samples.drain(in));
        }
    }

    @Test
    void truncatedInputIsAnEofException() throws IOException {
        byte[] gz = ourGzip(DATA);
        for (int cut : new int[] {gz.length - 3, gz.length / 2, 12}) {
            byte[] part = Arrays.copyOf(gz, cut);
            try (HwGzipCompressorInputStream in = new HwGzipCompressorInputStream(new ByteArrayInputStream(part))) {
                assertThrows(EOFException.class, () -> Samples.drain(in), "cut at " + cut);
            }
        }
    }

    @Test
    void inputThatIsNotGzipFailsAtOnce() {
        for (byte[] notGz : new byte[][] {new byte[0], "hello world".getBytes(StandardCharsets.US_ASCII),
            {0x1f, (byte) 0x8b, 7, 0, 0, 0, 0, 0, 0, 0}, {0x1f, (byte) 0x8b, 8, (byte) 0x80, 0, 0, 0, 0, 0, 0}}) {
            assertThrows(IOException.class, () -> new HwGzipCompressorInputStream(new ByteArrayInputStream(notGz)));
        }
    }

    @Test
    void aDamagedHeaderCrcIsDetected() throws IOException {
        GzipParameters p = new GzipParameters();
        p.setHeaderCRC(true);
        p.setFileName("x");
        byte[] gz = commonsGzip(DATA, p);
        int crcOffset = GzipHeader.FIXED_SIZE + 2;
        gz[crcOffset] ^= 0x55;
        IOException e = assertThrows(IOException.class,
                () -> new HwGzipCompressorInputStream(new ByteArrayInputStream(gz)));
        assertTrue(e.getMessage().contains("header CRC"), e.getMessage());
    }

    @Test
    void singleByteReadsAndCloseWork() throws IOException {
        byte[] small = Arrays.copyOf(DATA, 3000);
        HwGzipCompressorInputStream in = new HwGzipCompressorInputStream(new ByteArrayInputStream(ourGzip(small)));
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            back.write(b);
        }
        assertArrayEquals(small, back.toByteArray());
        assertEquals(0, in.read(new byte[1], 0, 0));
        in.close();
        in.close();
        assertFalse(in.getMetaData().getHeaderCRC());
    }
}
