package io.warpdrive.zip.hadoop;

import static io.warpdrive.zip.hadoop.HadoopTestData.conf;
import static io.warpdrive.zip.hadoop.HadoopTestData.readAll;
import static io.warpdrive.zip.hadoop.HadoopTestData.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CodecPool;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.Compressor;
import org.apache.hadoop.io.compress.Decompressor;
import org.apache.hadoop.util.ReflectionUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CodecPool lends the same (de)compressors again and again, and they stay correct. */
class CodecPoolReuseTest {
    private final Configuration conf = conf();

    @ParameterizedTest
    @ValueSource(classes = {WarpDriveGzipCodec.class, WarpDriveDeflateCodec.class})
    void explicitBorrowAndReturnAcrossManyStreams(Class<? extends CompressionCodec> type) throws IOException {
        CompressionCodec codec = ReflectionUtils.newInstance(type, conf);
        Map<Object, Integer> seen = new IdentityHashMap<>();
        for (int i = 0; i < 200; i++) {
            byte[] data = text(i * 131 + (i % 7 == 0 ? 70_000 : 0), 50 + i);
            Compressor c = CodecPool.getCompressor(codec, conf);
            seen.merge(c, 1, Integer::sum);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (OutputStream out = codec.createOutputStream(bytes, c)) {
                out.write(data);
            } finally {
                CodecPool.returnCompressor(c);
            }
            Decompressor d = CodecPool.getDecompressor(codec);
            seen.merge(d, 1, Integer::sum);
            try (InputStream in = codec.createInputStream(new ByteArrayInputStream(bytes.toByteArray()), d)) {
                assertArrayEquals(data, readAll(in), "stream " + i);
            } finally {
                CodecPool.returnDecompressor(d);
            }
        }
        assertEquals(2, seen.size(), "one compressor and one decompressor served all 200 streams");
        assertEquals(0, CodecPool.getLeasedCompressorsCount(codec));
        assertEquals(0, CodecPool.getLeasedDecompressorsCount(codec));
    }

    @ParameterizedTest
    @ValueSource(classes = {WarpDriveGzipCodec.class, WarpDriveDeflateCodec.class})
    void streamsWithoutACompressorBorrowFromThePoolAndGiveBack(Class<? extends CompressionCodec> type)
            throws IOException {
        CompressionCodec codec = ReflectionUtils.newInstance(type, conf);
        Compressor first = CodecPool.getCompressor(codec, conf);
        CodecPool.returnCompressor(first);
        for (int i = 0; i < 50; i++) {
            byte[] data = text(1000 + i, 300 + i);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (OutputStream out = codec.createOutputStream(bytes)) {
                out.write(data);
                assertEquals(1, CodecPool.getLeasedCompressorsCount(codec));
            }
            assertEquals(0, CodecPool.getLeasedCompressorsCount(codec), "returned on close");
            try (InputStream in = codec.createInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                assertEquals(1, CodecPool.getLeasedDecompressorsCount(codec));
                assertArrayEquals(data, readAll(in)); // closes it
            }
            assertEquals(0, CodecPool.getLeasedDecompressorsCount(codec), "returned on close");
        }
        Compressor again = CodecPool.getCompressor(codec, conf);
        try {
            assertSame(first, again, "the pooled compressor was the one every stream used");
        } finally {
            CodecPool.returnCompressor(again);
        }
    }
}
