package io.warpdrive.zip.hadoop;

import static io.warpdrive.zip.hadoop.HadoopTestData.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.Deflater;
import org.apache.hadoop.io.compress.DirectDecompressionCodec;
import org.apache.hadoop.io.compress.DirectDecompressor;
import org.apache.hadoop.util.ReflectionUtils;
import org.junit.jupiter.api.Test;

/** The zlib Decompressor/DirectDecompressor, and the codecs handing out direct decompressors. */
class WarpDriveZlibDecompressorTest {
    static byte[] zlib(byte[] data) {
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        byte[] out = new byte[data.length + data.length / 10 + 64];
        int n = d.deflate(out);
        d.end();
        return java.util.Arrays.copyOf(out, n);
    }

    @Test
    void directDecompressionInOneCallAndInPieces() throws IOException {
        byte[] data = text(300_000, 71);
        byte[] z = zlib(data);
        DirectDecompressor dd = ReflectionUtils.newInstance(WarpDriveDeflateCodec.class, HadoopTestData.conf())
                .createDirectDecompressor();
        WarpDriveZlibDecompressor d = assertInstanceOf(WarpDriveZlibDecompressor.class, dd);
        try {
            ByteBuffer src = ByteBuffer.allocateDirect(z.length).put(z).flip();
            ByteBuffer dst = ByteBuffer.allocateDirect(data.length);
            dd.decompress(src, dst);
            assertTrue(d.finished());
            assertFalse(src.hasRemaining());
            assertEquals(data.length, dst.position());
            byte[] got = new byte[data.length];
            dst.flip().get(got);
            assertArrayEquals(data, got);

            d.reset();
            src.clear();
            dst.clear();
            for (int calls = 0; !d.finished(); calls++) {
                assertTrue(calls < 100_000, "no progress");
                src.limit(Math.min(src.position() + 777, z.length));
                dst.limit(Math.min(dst.position() + 5000, dst.capacity()));
                dd.decompress(src, dst);
            }
            dst.flip().get(got);
            assertArrayEquals(data, got);
        } finally {
            d.end();
        }
    }

    @Test
    void bothCodecsAreDirectDecompressionCodecs() throws IOException {
        byte[] data = text(50_000, 72);
        DirectDecompressionCodec gzip = ReflectionUtils.newInstance(WarpDriveGzipCodec.class, HadoopTestData.conf());
        DirectDecompressor dd = gzip.createDirectDecompressor();
        ByteBuffer src = ByteBuffer.wrap(WarpDriveGzipCodecTest.jdkGzip(data));
        ByteBuffer dst = ByteBuffer.allocateDirect(data.length);
        dd.decompress(src, dst);
        byte[] got = new byte[data.length];
        dst.flip().get(got);
        assertArrayEquals(data, got);
        ((WarpDriveGzipDecompressor) dd).end();
    }

    @Test
    void remainingCountsWhatFollowsTheStream() throws IOException {
        byte[] z = zlib(text(1000, 73));
        byte[] file = java.util.Arrays.copyOf(z, z.length + 5);
        WarpDriveZlibDecompressor d = new WarpDriveZlibDecompressor();
        try {
            d.setInput(file, 0, file.length);
            byte[] out = new byte[2000];
            assertEquals(1000, d.decompress(out, 0, out.length));
            assertTrue(d.finished());
            assertEquals(5, d.getRemaining());
            assertEquals(z.length, d.getBytesRead());
            assertEquals(1000, d.getBytesWritten());
        } finally {
            d.end();
        }
        assertThrows(IOException.class, () -> d.decompress(new byte[1], 0, 1));
    }
}
