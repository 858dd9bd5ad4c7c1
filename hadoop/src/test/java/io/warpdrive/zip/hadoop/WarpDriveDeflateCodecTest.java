package io.warpdrive.zip.hadoop;

import static io.warpdrive.zip.hadoop.HadoopTestData.conf;
import static io.warpdrive.zip.hadoop.HadoopTestData.readAll;
import static io.warpdrive.zip.hadoop.HadoopTestData.text;
import static io.warpdrive.zip.hadoop.WarpDriveGzipCodecTest.compress;
import static io.warpdrive.zip.hadoop.WarpDriveGzipCodecTest.decompress;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.InflaterInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.io.compress.DefaultCodec;
import org.apache.hadoop.io.compress.DeflateCodec;
import org.apache.hadoop.util.ReflectionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarpDriveDeflateCodecTest {
    @TempDir
    java.nio.file.Path tmp;

    private final Configuration conf = conf();
    private final CompressionCodec ours = ReflectionUtils.newInstance(WarpDriveDeflateCodec.class, conf);
    private final CompressionCodec hadoops = ReflectionUtils.newInstance(DefaultCodec.class, conf);

    @Test
    void roundTripThroughTheFactoryOnTheFileSystem() throws IOException {
        byte[] data = text(2 << 20, 21);
        FileSystem fs = FileSystem.getLocal(conf);
        Path file = new Path(tmp.toUri().toString(), "part-r-00000.deflate");
        CompressionCodecFactory factory = new CompressionCodecFactory(conf);
        CompressionCodec codec = factory.getCodec(file);
        assertInstanceOf(WarpDriveDeflateCodec.class, codec);
        try (OutputStream out = codec.createOutputStream(fs.create(file))) {
            out.write(data);
        }
        assertArrayEquals(data, readAll(new InflaterInputStream(fs.open(file))), "java.util.zip reads our .deflate");
        assertArrayEquals(data, readAll(codec.createInputStream(fs.open(file))));
    }

    @Test
    void hadoopsDefaultAndDeflateCodecsReadOursAndWeReadTheirs() throws IOException {
        byte[] data = text(1 << 20, 22);
        CompressionCodec deflate = ReflectionUtils.newInstance(DeflateCodec.class, conf);
        assertArrayEquals(data, decompress(hadoops, compress(ours, data)));
        assertArrayEquals(data, decompress(deflate, compress(ours, data)));
        assertArrayEquals(data, decompress(ours, compress(hadoops, data)));
        assertArrayEquals(data, decompress(ours, compress(deflate, data)));
    }

    @Test
    void emptyInput() throws IOException {
        byte[] z = compress(ours, new byte[0]);
        assertEquals(8, z.length, "2-byte zlib header, empty final block (2), Adler-32 (4)");
        assertArrayEquals(new byte[0], decompress(hadoops, z));
        assertArrayEquals(new byte[0], decompress(ours, z));
    }

    @Test
    void largeInput() throws IOException {
        byte[] data = text(20 << 20, 23);
        byte[] z = compress(ours, data);
        assertTrue(z.length < data.length / 2, "compressed to " + z.length);
        assertArrayEquals(data, decompress(ours, z));
        assertArrayEquals(data, decompress(hadoops, z));
    }

    @Test
    void concatenatedZlibStreamsAreReadWhole() throws IOException {
        byte[] a = text(100_000, 24);
        byte[] b = text(5_000, 25);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(compress(ours, a));
        file.write(compress(hadoops, b));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(a);
        expected.write(b);
        assertArrayEquals(expected.toByteArray(), decompress(ours, file.toByteArray()));
    }

    @Test
    void presetDictionaryRoundTrip() throws IOException {
        byte[] dict = "warpdrive accelerator deflate gzip hadoop".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] data = text(10_000, 26);
        Deflater jdk = new Deflater();
        jdk.setDictionary(dict);
        jdk.setInput(data);
        jdk.finish();
        byte[] z = new byte[data.length + 64];
        int n = jdk.deflate(z);
        jdk.end();
        WarpDriveZlibDecompressor d = new WarpDriveZlibDecompressor();
        try {
            d.setInput(z, 0, n);
            byte[] out = new byte[data.length];
            assertEquals(0, d.decompress(out, 0, out.length));
            assertTrue(d.needsDictionary());
            d.setDictionary(dict, 0, dict.length);
            int got = 0;
            while (!d.finished()) {
                got += d.decompress(out, got, out.length - got);
            }
            assertArrayEquals(data, out);
            assertEquals(got, data.length);
        } finally {
            d.end();
        }
        WarpDriveZlibCompressor c = new WarpDriveZlibCompressor();
        try {
            c.setDictionary(dict, 0, dict.length);
            c.setInput(data, 0, data.length);
            c.finish();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            while (!c.finished()) {
                bytes.write(buf, 0, c.compress(buf, 0, buf.length));
            }
            java.util.zip.Inflater jdkIn = new java.util.zip.Inflater();
            jdkIn.setInput(bytes.toByteArray());
            byte[] out = new byte[data.length];
            assertEquals(0, jdkIn.inflate(out));
            assertTrue(jdkIn.needsDictionary());
            jdkIn.setDictionary(dict);
            assertEquals(data.length, jdkIn.inflate(out));
            assertArrayEquals(data, out);
            jdkIn.end();
        } catch (java.util.zip.DataFormatException e) {
            throw new AssertionError(e);
        } finally {
            c.end();
        }
    }

    @Test
    void corruptDataFailsWithZlibsMessage() throws IOException {
        byte[] z = compress(ours, text(50_000, 27));
        z[z.length - 1] ^= 1;
        IOException e = assertThrows(IOException.class, () -> decompress(ours, z));
        assertTrue(e.getMessage().contains("incorrect data check"), e.getMessage());
    }

    @Test
    void withoutTheListHadoopsDefaultCodecServesDeflate() {
        assertInstanceOf(DefaultCodec.class,
                new CompressionCodecFactory(new Configuration()).getCodec(new Path("x.deflate")));
    }
}
