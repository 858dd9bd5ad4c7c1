package io.warpdrive.zip.compress;

import io.warpdrive.zip.Mode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.compressors.deflate.DeflateCompressorInputStream;
import org.apache.commons.compress.compressors.deflate.DeflateCompressorOutputStream;
import org.apache.commons.compress.compressors.deflate.DeflateParameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HwDeflateCompressorOutputStream and HwDeflateCompressorInputStream
 * against commons-compress's deflate streams, in both directions, zlib
 * and raw.
 */
class HwDeflateCompressorStreamsTest {
    private static final byte[] DATA = Samples.text(500_000, 5);

    private static DeflateParameters parameters(boolean zlibHeader, int level) {
        DeflateParameters p = new DeflateParameters();
        p.setWithZlibHeader(zlibHeader);
        p.setCompressionLevel(level);
        return p;
    }

    private static byte[] ours(byte[] data, DeflateParameters p) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (HwDeflateCompressorOutputStream out = new HwDeflateCompressorOutputStream(bos, p)) {
            out.write(data, 0, data.length / 3);
            out.flush();
            out.write(data, data.length / 3, data.length - data.length / 3);
            out.finish();
            Mode.assertBigStreamEngine(out.engine(), p.getCompressionLevel(), Deflater.DEFAULT_STRATEGY);
        }
        return bos.toByteArray();
    }

    private static byte[] theirs(byte[] data, DeflateParameters p) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DeflateCompressorOutputStream out = new DeflateCompressorOutputStream(bos, p)) {
            out.write(data);
        }
        return bos.toByteArray();
    }

    @ParameterizedTest(name = "zlib header {0}")
    @ValueSource(booleans = {true, false})
    void commonsCompressReadsWhatWeWrite(boolean zlib) throws IOException {
        DeflateParameters p = parameters(zlib, 7);
        byte[] compressed = ours(DATA, p);
        assertEquals(zlib, (compressed[0] & 0x0f) == 8 && ((compressed[0] & 0xff) << 8 | compressed[1] & 0xff) % 31 == 0,
                "a zlib header exactly when asked for");
        try (DeflateCompressorInputStream in = new DeflateCompressorInputStream(new ByteArrayInputStream(compressed), p)) {
            assertArrayEquals(DATA, Samples.drain(in));
        }
        try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(compressed), new Inflater(!zlib))) {
            assertArrayEquals(DATA, in.readAllBytes(), "and so does the JDK");
        }
    }

    @ParameterizedTest(name = "zlib header {0}")
    @ValueSource(booleans = {true, false})
    void weReadWhatCommonsCompressWrites(boolean zlib) throws IOException {
        DeflateParameters p = parameters(zlib, Deflater.BEST_COMPRESSION);
        byte[] compressed = theirs(DATA, p);
        try (HwDeflateCompressorInputStream in = new HwDeflateCompressorInputStream(new ByteArrayInputStream(compressed), p)) {
            assertArrayEquals(DATA, Samples.drain(in));
            Mode.assertBigStreamEngine(in.engine());
            assertEquals(compressed.length, in.getCompressedCount());
            assertEquals(DATA.length, in.getUncompressedCount());
            assertEquals(0, in.available(), "nothing after the end");
        }
    }

    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {0, 1, 6, 9})
    void theLevelIsApplied(int level) throws IOException {
        byte[] compressed = ours(DATA, parameters(true, level));
        if (level == 0) {
            assertTrue(compressed.length > DATA.length);
        } else {
            assertTrue(compressed.length < DATA.length / 2, level + ": " + compressed.length);
        }
        try (HwDeflateCompressorInputStream in = new HwDeflateCompressorInputStream(new ByteArrayInputStream(compressed))) {
            assertArrayEquals(DATA, Samples.drain(in));
        }
    }

    @ParameterizedTest(name = "zlib header {0}")
    @ValueSource(booleans = {true, false})
    void truncatedOrCorruptInputFailsLikeTheJdkStream(boolean zlib) throws IOException {
        DeflateParameters p = parameters(zlib, 6);
        byte[] compressed = theirs(DATA, p);
        byte[] cut = Arrays.copyOf(compressed, compressed.length / 2);
        try (HwDeflateCompressorInputStream in = new HwDeflateCompressorInputStream(new ByteArrayInputStream(cut), p)) {
            assertThrows(EOFException.class, () -> Samples.drain(in));
        }
        byte[] bad = compressed.clone();
        Arrays.fill(bad, 10, 40, (byte) 0xff);
        try (HwDeflateCompressorInputStream in = new HwDeflateCompressorInputStream(new ByteArrayInputStream(bad), p)) {
            assertThrows(ZipException.class, () -> Samples.drain(in));
        }
    }

    @ParameterizedTest(name = "zlib header {0}")
    @ValueSource(booleans = {true, false})
    void skipAndSingleByteReadsCountDecompressedBytes(boolean zlib) throws IOException {
        DeflateParameters p = parameters(zlib, 6);
        try (HwDeflateCompressorInputStream in = new HwDeflateCompressorInputStream(
                new ByteArrayInputStream(theirs(DATA, p)), p)) {
            assertEquals(DATA[0] & 0xff, in.read());
            assertEquals(99_999, in.skip(99_999));
            assertEquals(DATA[100_000] & 0xff, in.read());
            assertEquals(100_001, in.getUncompressedCount());
            assertEquals(DATA.length - 100_001, Samples.drain(in).length);
        }
    }
}
