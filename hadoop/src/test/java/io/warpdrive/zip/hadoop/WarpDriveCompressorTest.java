package io.warpdrive.zip.hadoop;

import static io.warpdrive.zip.hadoop.HadoopTestData.readAll;
import static io.warpdrive.zip.hadoop.HadoopTestData.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** Hadoop's Compressor contract, driven by hand as CompressorStream and SequenceFile drive it. */
class WarpDriveCompressorTest {
    /** What CompressorStream does: setInput, compress until needsInput; finish, compress until finished. */
    static byte[] drive(WarpDriveCompressor c, byte[] data, int writeSize, int outSize) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buf = new byte[outSize];
        for (int off = 0; off < data.length; off += writeSize) {
            c.setInput(data, off, Math.min(writeSize, data.length - off));
            while (!c.needsInput()) {
                bytes.write(buf, 0, c.compress(buf, 0, buf.length));
            }
        }
        c.finish();
        while (!c.finished()) {
            bytes.write(buf, 0, c.compress(buf, 0, buf.length));
        }
        return bytes.toByteArray();
    }

    static byte[] gunzip(byte[] gz) throws IOException {
        return readAll(new GZIPInputStream(new ByteArrayInputStream(gz)));
    }

    @Test
    void smallWritesAreBatchedSoTheCallerSeesNeedsInputAtOnce() throws IOException {
        WarpDriveGzipCompressor c = new WarpDriveGzipCompressor();
        try {
            byte[] data = text(1000, 31);
            c.setInput(data, 0, 100);
            assertTrue(c.needsInput(), "100 bytes fit in the 64 KiB batch");
            assertEquals(0, c.getBytesRead(), "nothing compressed yet");
            byte[] out = new byte[100];
            assertEquals(10, c.compress(out, 0, out.length), "only the header before the batch is full");
            c.setInput(data, 100, 900);
            data[500] = 'X'; // the caller may reuse its array once needsInput() is true
            c.finish();
            byte[] rest = drive(c, new byte[0], 1, 7);
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            whole.write(out, 0, 10);
            whole.write(rest);
            byte[] expected = text(1000, 31);
            assertArrayEquals(expected, gunzip(whole.toByteArray()));
            assertEquals(1000, c.getBytesRead());
            assertEquals(whole.size(), c.getBytesWritten(), "framing counted in bytes written");
        } finally {
            c.end();
        }
    }

    @Test
    void anyWriteAndOutputSizeGivesTheSameData() throws IOException {
        byte[] data = text(300_000, 32);
        int[][] shapes = {{1, 1}, {7, 3}, {65536, 65536}, {65537, 10}, {300_000, 1 << 20}, {1000, 64}};
        for (int[] s : shapes) {
            WarpDriveGzipCompressor gz = new WarpDriveGzipCompressor();
            WarpDriveZlibCompressor z = new WarpDriveZlibCompressor();
            try {
                int writes = s[0] == 1 ? 20_000 : data.length; // keep 1-byte writes quick
                byte[] part = java.util.Arrays.copyOf(data, writes);
                assertArrayEquals(part, gunzip(drive(gz, part, s[0], s[1])), "gzip " + s[0] + "/" + s[1]);
                assertArrayEquals(part, readAll(new InflaterInputStream(new ByteArrayInputStream(
                        drive(z, part, s[0], s[1])))), "zlib " + s[0] + "/" + s[1]);
            } finally {
                gz.end();
                z.end();
            }
        }
    }

    @Test
    void resetStartsANewStreamOnTheSameCompressor() throws IOException {
        WarpDriveGzipCompressor c = new WarpDriveGzipCompressor();
        try {
            for (int i = 0; i < 50; i++) {
                byte[] data = text(1000 + i * 997, 100 + i);
                byte[] gz = drive(c, data, 4096, 4096);
                assertArrayEquals(data, gunzip(gz), "stream " + i);
                assertEquals(data.length, c.getBytesRead());
                assertEquals(gz.length, c.getBytesWritten());
                c.reset();
                assertEquals(0, c.getBytesRead());
                assertEquals(0, c.getBytesWritten());
                assertFalse(c.finished());
            }
        } finally {
            c.end();
        }
    }

    @Test
    void resetInTheMiddleForgetsTheOldStream() throws IOException {
        WarpDriveGzipCompressor c = new WarpDriveGzipCompressor();
        try {
            byte[] junk = text(200_000, 33);
            c.setInput(junk, 0, junk.length);
            byte[] buf = new byte[1000];
            while (!c.needsInput()) {
                c.compress(buf, 0, buf.length);
            }
            c.reset();
            byte[] data = text(5000, 34);
            assertArrayEquals(data, gunzip(drive(c, data, 5000, 512)));
        } finally {
            c.end();
        }
    }

    @Test
    void reinitWithNullKeepsTheSettingsAndResets() throws IOException {
        Configuration conf = new Configuration(false);
        conf.set("zlib.compress.level", "NO_COMPRESSION");
        WarpDriveZlibCompressor c = new WarpDriveZlibCompressor(conf);
        try {
            byte[] data = text(100_000, 35);
            assertTrue(drive(c, data, 8192, 8192).length > data.length);
            c.reinit(null);
            assertTrue(drive(c, data, 8192, 8192).length > data.length, "still level 0");
            c.reinit(new Configuration(false));
            assertTrue(drive(c, data, 8192, 8192).length < data.length / 2, "default level now");
        } finally {
            c.end();
        }
    }

    @Test
    void unsupportedStrategyFallsBackToTheDefaultAsHadoopsBuiltInDeflaterDoes() throws IOException {
        Configuration conf = new Configuration(false);
        conf.set("zlib.compress.strategy", "RLE");
        conf.set("zlib.compress.level", "BEST_SPEED");
        WarpDriveGzipCompressor c = new WarpDriveGzipCompressor(conf);
        try {
            byte[] data = text(100_000, 36);
            assertArrayEquals(data, gunzip(drive(c, data, 100_000, 65536)));
        } finally {
            c.end();
        }
    }

    @Test
    void gzipRefusesADictionary() {
        WarpDriveGzipCompressor c = new WarpDriveGzipCompressor();
        try {
            assertThrows(UnsupportedOperationException.class, () -> c.setDictionary(new byte[4], 0, 4));
        } finally {
            c.end();
        }
    }

    @Test
    void afterEndCompressThrowsAndEndIsIdempotent() {
        WarpDriveZlibCompressor c = new WarpDriveZlibCompressor();
        c.end();
        c.end();
        assertThrows(IOException.class, () -> c.compress(new byte[10], 0, 10));
        assertThrows(IllegalStateException.class, c::reset);
        assertFalse(c.needsInput());
    }

    @Test
    void badRangesThrowAsTheJdkDoes() {
        WarpDriveZlibCompressor c = new WarpDriveZlibCompressor();
        try {
            assertThrows(ArrayIndexOutOfBoundsException.class, () -> c.setInput(new byte[4], 3, 2));
            assertThrows(NullPointerException.class, () -> c.setInput(null, 0, 0));
            assertThrows(ArrayIndexOutOfBoundsException.class, () -> c.compress(new byte[4], -1, 2));
        } finally {
            c.end();
        }
    }

    @Test
    void bufferSizeKeySetsTheBatch() throws IOException {
        Configuration conf = new Configuration(false);
        conf.setInt(CodecSettings.BUFFER_SIZE_KEY, 16);
        WarpDriveGzipCompressor c = new WarpDriveGzipCompressor(conf);
        try {
            byte[] data = text(20, 37);
            c.setInput(data, 0, 10);
            assertTrue(c.needsInput());
            c.setInput(data, 10, 10);
            assertFalse(c.needsInput(), "a 16-byte batch is full after 20 bytes");
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            byte[] buf = new byte[64];
            while (!c.needsInput()) {
                gz.write(buf, 0, c.compress(buf, 0, buf.length));
            }
            c.finish();
            while (!c.finished()) {
                gz.write(buf, 0, c.compress(buf, 0, buf.length));
            }
            assertArrayEquals(data, gunzip(gz.toByteArray()));
        } finally {
            c.end();
        }
        conf.setInt(CodecSettings.BUFFER_SIZE_KEY, 0);
        assertThrows(IllegalArgumentException.class, () -> new WarpDriveGzipCompressor(conf));
    }
}
