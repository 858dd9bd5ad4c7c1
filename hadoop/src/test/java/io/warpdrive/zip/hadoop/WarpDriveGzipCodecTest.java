package io.warpdrive.zip.hadoop;

import static io.warpdrive.zip.hadoop.HadoopTestData.conf;
import static io.warpdrive.zip.hadoop.HadoopTestData.readAll;
import static io.warpdrive.zip.hadoop.HadoopTestData.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpdrive.zip.WarpDrive;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CodecPool;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.io.compress.CompressionOutputStream;
import org.apache.hadoop.io.compress.Compressor;
import org.apache.hadoop.io.compress.GzipCodec;
import org.apache.hadoop.io.compress.zlib.ZlibCompressor.CompressionLevel;
import org.apache.hadoop.io.compress.zlib.ZlibFactory;
import org.apache.hadoop.util.ReflectionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarpDriveGzipCodecTest {
    @TempDir
    java.nio.file.Path tmp;

    private final Configuration conf = conf();
    private final CompressionCodec ours = ReflectionUtils.newInstance(WarpDriveGzipCodec.class, conf);
    private final CompressionCodec hadoops = ReflectionUtils.newInstance(GzipCodec.class, conf);

    static byte[] compress(CompressionCodec codec, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = codec.createOutputStream(bytes)) {
            // uneven writes, as record writers do
            int off = 0;
            for (int n = 1; off < data.length; n = n * 3 % 70001 + 1) {
                int k = Math.min(n, data.length - off);
                out.write(data, off, k);
                off += k;
            }
        }
        return bytes.toByteArray();
    }

    static byte[] decompress(CompressionCodec codec, byte[] data) throws IOException {
        return readAll(codec.createInputStream(new ByteArrayInputStream(data)));
    }

    @Test
    void factoryFindsOurCodecByExtensionClassNameAndAlias() {
        CompressionCodecFactory factory = new CompressionCodecFactory(conf);
        assertInstanceOf(WarpDriveGzipCodec.class, factory.getCodec(new Path("/data/part-00000.gz")));
        assertInstanceOf(WarpDriveGzipCodec.class, factory.getCodecByClassName(WarpDriveGzipCodec.class.getName()));
        assertInstanceOf(WarpDriveGzipCodec.class, factory.getCodecByName("WarpDriveGzip"));
        assertInstanceOf(WarpDriveDeflateCodec.class, factory.getCodec(new Path("x.deflate")));
    }

    @Test
    void withoutTheListHadoopsGzipCodecServesGz() {
        CompressionCodecFactory factory = new CompressionCodecFactory(new Configuration());
        assertInstanceOf(GzipCodec.class, factory.getCodec(new Path("x.gz")));
    }

    @Test
    void roundTripThroughTheFactoryOnTheFileSystem() throws IOException {
        byte[] data = text(3 << 20, 1);
        FileSystem fs = FileSystem.getLocal(conf);
        Path file = new Path(tmp.toUri().toString(), "round.gz");
        CompressionCodecFactory factory = new CompressionCodecFactory(conf);
        CompressionCodec codec = factory.getCodec(file);
        long before = HadoopTestData.servedBytesIn();
        try (OutputStream out = codec.createOutputStream(fs.create(file))) {
            out.write(data);
        }
        try (GZIPInputStream in = new GZIPInputStream(fs.open(file))) {
            assertArrayEquals(data, readAll(in), "java.util.zip reads our .gz");
        }
        assertArrayEquals(data, readAll(factory.getCodec(file).createInputStream(fs.open(file))));
        long compressed = fs.getFileStatus(file).getLen();
        // compression consumes the data, decompression the compressed bytes (less the gzip framing)
        assertTrue(HadoopTestData.servedBytesIn() - before >= data.length + compressed - 18,
                "WarpDrive's engines served both directions: " + WarpDrive.statistics());
    }

    @Test
    void hadoopsGzipCodecReadsOursAndWeReadHadoops() throws IOException {
        byte[] data = text(1 << 20, 2);
        assertArrayEquals(data, decompress(hadoops, compress(ours, data)));
        assertArrayEquals(data, decompress(ours, compress(hadoops, data)));
    }

    @Test
    void emptyInputIsAValidEmptyMember() throws IOException {
        byte[] gz = compress(ours, new byte[0]);
        assertEquals(20, gz.length, "10-byte header, empty final block (2), 8-byte trailer");
        assertArrayEquals(new byte[0], readAll(new GZIPInputStream(new ByteArrayInputStream(gz))));
        assertArrayEquals(new byte[0], decompress(hadoops, gz));
        assertArrayEquals(new byte[0], decompress(ours, gz));
        assertArrayEquals(new byte[0], decompress(ours, compress(hadoops, new byte[0])));
    }

    @Test
    void largeIncompressibleAndCompressibleInput() throws IOException {
        byte[] data = new byte[24 << 20];
        System.arraycopy(HadoopTestData.random(8 << 20, 3), 0, data, 0, 8 << 20);
        System.arraycopy(text(16 << 20, 4), 0, data, 8 << 20, 16 << 20);
        byte[] gz = compress(ours, data);
        assertTrue(gz.length < data.length, "compressed " + data.length + " to " + gz.length);
        assertArrayEquals(data, readAll(new GZIPInputStream(new ByteArrayInputStream(gz), 1 << 16)));
        assertArrayEquals(data, decompress(ours, gz));
    }

    @Test
    void concatenatedMembersReadWholeWhoeverWroteThem() throws IOException {
        byte[] a = text(300_000, 5);
        byte[] b = text(70_000, 6);
        byte[] c = new byte[0];
        byte[] d = text(1, 7);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(compress(ours, a));
        file.write(compress(hadoops, b));
        file.write(compress(ours, c));
        file.write(jdkGzip(d));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(a);
        expected.write(b);
        expected.write(d);
        assertArrayEquals(expected.toByteArray(), decompress(ours, file.toByteArray()));
        assertArrayEquals(expected.toByteArray(), decompress(hadoops, file.toByteArray()), "Hadoop agrees");
    }

    static byte[] jdkGzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    @Test
    void levelComesFromZlibCompressLevel() throws IOException {
        byte[] data = text(1 << 20, 8);
        Configuration stored = conf();
        ZlibFactory.setCompressionLevel(stored, CompressionLevel.NO_COMPRESSION);
        Configuration best = conf();
        ZlibFactory.setCompressionLevel(best, CompressionLevel.BEST_COMPRESSION);
        byte[] s = compress(ReflectionUtils.newInstance(WarpDriveGzipCodec.class, stored), data);
        byte[] b = compress(ReflectionUtils.newInstance(WarpDriveGzipCodec.class, best), data);
        assertTrue(s.length > data.length, "level 0 stores: " + s.length);
        assertTrue(b.length < data.length / 2, "level 9 compresses: " + b.length);
        assertArrayEquals(data, decompress(ours, s));
        assertArrayEquals(data, decompress(ours, b));
    }

    @Test
    void pooledCompressorTakesTheNewLevelOnReinit() throws IOException {
        byte[] data = text(200_000, 9);
        Configuration stored = conf();
        ZlibFactory.setCompressionLevel(stored, CompressionLevel.NO_COMPRESSION);
        Compressor c = CodecPool.getCompressor(ours, conf);
        CodecPool.returnCompressor(c);
        Compressor again = CodecPool.getCompressor(ours, stored);
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (CompressionOutputStream out = ours.createOutputStream(bytes, again)) {
                out.write(data);
            }
            assertTrue(bytes.size() > data.length, "reinit(conf) applied level 0: " + bytes.size());
            assertArrayEquals(data, decompress(ours, bytes.toByteArray()));
        } finally {
            CodecPool.returnCompressor(again);
        }
    }

    @Test
    void corruptDataFailsWithIOException() throws IOException {
        byte[] gz = compress(ours, text(100_000, 10));
        byte[] badCrc = gz.clone();
        badCrc[gz.length - 6] ^= 1;
        assertTrue(assertThrows(IOException.class, () -> decompress(ours, badCrc)).getMessage().contains("CRC"));
        byte[] badSize = gz.clone();
        badSize[gz.length - 2] ^= 1;
        assertTrue(assertThrows(IOException.class, () -> decompress(ours, badSize)).getMessage().contains("length"));
        byte[] notGzip = gz.clone();
        notGzip[0] = 'x';
        assertThrows(IOException.class, () -> decompress(ours, notGzip));
        byte[] truncated = java.util.Arrays.copyOf(gz, gz.length / 2);
        assertThrows(IOException.class, () -> decompress(ours, truncated));
        byte[] garbage = gz.clone();
        garbage[20] ^= (byte) 0xff;
        garbage[21] ^= (byte) 0xff;
        assertThrows(IOException.class, () -> decompress(ours, garbage));
    }

    /**
     * A stream long enough that device decompression passes its 8 MiB
     * replay limit ({@code warpdrive.retain}) and moves to software.
     */
    @Test
    void pastTheDeviceReplayLimit() throws IOException {
        // the data of the first failure seen; HadoopTestData.text() happens not to show it
        String[] words = {"accelerator", "deflate", "gzip", "hadoop", "queue", "the", "of", "a"};
        java.util.Random r = new java.util.Random(1);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 64 << 20) {
            sb.append(words[r.nextInt(words.length)]).append(r.nextInt(8) == 0 ? Integer.toString(r.nextInt(100000)) : "")
                    .append(' ');
        }
        byte[] data = sb.substring(0, 64 << 20).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] gz = compress(ours, data);
        assertArrayEquals(data, decompress(ours, gz));
    }

    @Test
    void ourStreamsAreServedByWarpDrive() throws IOException {
        Compressor c = ours.createCompressor();
        WarpDriveGzipDecompressor d = (WarpDriveGzipDecompressor) ours.createDecompressor();
        try {
            boolean nonative = HadoopTestData.mode().equals("nonative");
            assertEquals(!nonative, WarpDrive.nativeAvailable(), "mode " + HadoopTestData.mode());
            String expected = nonative ? "java.util.zip" : "software";
            byte[] data = text(1 << 20, 11);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (CompressionOutputStream out = ours.createOutputStream(bytes, c)) {
                out.write(data);
                out.finish();
                String engine = ((WarpDriveGzipCompressor) c).engine();
                if (HadoopTestData.emulated()) {
                    assertTrue(engine.startsWith("hisi_zip-"), "compressed on the emulated device: " + engine);
                } else {
                    assertEquals(expected, engine);
                }
            }
            assertArrayEquals(data, readAll(ours.createInputStream(new ByteArrayInputStream(bytes.toByteArray()), d)));
            assertEquals(nonative, d.engine().equals("java.util.zip"), d.engine());
            if (HadoopTestData.emulated()) {
                assertTrue(d.engine().startsWith("hisi_zip-"), "decompressed on the emulated device: " + d.engine());
            }
        } finally {
            c.end();
            d.end();
        }
    }
}
