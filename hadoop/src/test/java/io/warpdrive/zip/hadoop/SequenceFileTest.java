package io.warpdrive.zip.hadoop;

import static io.warpdrive.zip.hadoop.HadoopTestData.conf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.SequenceFile.CompressionType;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.util.ReflectionUtils;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SequenceFiles compressed by record and by block with our codecs, written and read by Hadoop. */
class SequenceFileTest {
    @TempDir
    java.nio.file.Path tmp;

    @ParameterizedTest
    @CsvSource({"WarpDriveGzipCodec, BLOCK", "WarpDriveGzipCodec, RECORD",
        "WarpDriveDeflateCodec, BLOCK", "WarpDriveDeflateCodec, RECORD"})
    void writeAndReadBack(String codecName, CompressionType type) throws Exception {
        Configuration conf = conf();
        @SuppressWarnings("unchecked")
        Class<? extends CompressionCodec> cls = (Class<? extends CompressionCodec>)
                Class.forName("io.warpdrive.zip.hadoop." + codecName);
        CompressionCodec codec = ReflectionUtils.newInstance(cls, conf);
        Path file = new Path(tmp.toUri().toString(), "data.seq");
        int records = type == CompressionType.RECORD ? 3000 : 6000; // BLOCK: several 1 MB blocks
        long rawBytes = 0;
        try (SequenceFile.Writer w = SequenceFile.createWriter(conf, SequenceFile.Writer.file(file),
                SequenceFile.Writer.keyClass(LongWritable.class),
                SequenceFile.Writer.valueClass(BytesWritable.class),
                SequenceFile.Writer.compression(type, codec))) {
            for (int i = 0; i < records; i++) {
                byte[] v = value(i);
                rawBytes += v.length;
                w.append(new LongWritable(i), new BytesWritable(v));
            }
        }
        long fileBytes = FileSystem.getLocal(conf).getFileStatus(file).getLen();
        assertTrue(fileBytes < rawBytes / 2, "compressed " + rawBytes + " to " + fileBytes);
        try (SequenceFile.Reader r = new SequenceFile.Reader(conf, SequenceFile.Reader.file(file))) {
            assertEquals(type == CompressionType.BLOCK, r.isBlockCompressed());
            assertEquals(type == CompressionType.RECORD, r.isCompressed() && !r.isBlockCompressed());
            assertInstanceOf(cls, r.getCompressionCodec());
            LongWritable k = new LongWritable();
            BytesWritable v = new BytesWritable();
            for (int i = 0; i < records; i++) {
                assertTrue(r.next(k, v), "record " + i);
                assertEquals(i, k.get());
                assertEquals(java.nio.ByteBuffer.wrap(value(i)), java.nio.ByteBuffer.wrap(v.copyBytes()), "record " + i);
            }
            assertFalse(r.next(k, v));
        }
    }

    /** Values from empty to 3 KiB of text. */
    private static byte[] value(int i) {
        int len = new Random(i).nextInt(3072);
        return HadoopTestData.text(len, i);
    }
}
