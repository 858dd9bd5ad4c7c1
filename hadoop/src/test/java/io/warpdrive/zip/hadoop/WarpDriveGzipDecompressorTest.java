package io.warpdrive.zip.hadoop;

import static io.warpdrive.zip.hadoop.HadoopTestData.text;
import static io.warpdrive.zip.hadoop.WarpDriveGzipCodecTest.jdkGzip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** Hadoop's Decompressor and DirectDecompressor contracts for gzip, driven by hand. */
class WarpDriveGzipDecompressorTest {
    /** What DecompressorStream does, with input fed {@code chunk} bytes at a time. */
    static byte[] drive(WarpDriveGzipDecompressor d, byte[] gz, int chunk, int outSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[outSize];
        int pos = 0;
        int lastSent = 0;
        while (true) {
            int n = d.decompress(buf, 0, buf.length);
            if (n > 0) {
                out.write(buf, 0, n);
                continue;
            }
            if (d.finished()) {
                int rem = d.getRemaining();
                if (rem == 0) {
                    if (pos == gz.length) {
                        return out.toByteArray();
                    }
                    d.reset();
                    lastSent = Math.min(chunk, gz.length - pos);
                    d.setInput(gz, pos, lastSent);
                    pos += lastSent;
                } else {
                    d.reset();
                    d.setInput(gz, pos - rem, rem); // resend what follows the member
                }
            } else if (d.needsInput()) {
                if (pos == gz.length) {
                    throw new java.io.EOFException("unexpected end of input");
                }
                lastSent = Math.min(chunk, gz.length - pos);
                d.setInput(gz, pos, lastSent);
                pos += lastSent;
            } else {
                throw new AssertionError("no progress, not finished, not needing input");
            }
        }
    }

    /** A member with every optional header field: extra, name, comment, header CRC. */
    static byte[] fullHeaderMember(byte[] data) throws IOException {
        byte[] plain = jdkGzip(data);
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write(new byte[] {0x1f, (byte) 0x8b, 8, 0x02 | 0x04 | 0x08 | 0x10, 1, 2, 3, 4, 0, 3});
        h.write(new byte[] {5, 0, 'a', 'b', 'c', 'd', 'e'});
        h.write("name.txt\0".getBytes(StandardCharsets.US_ASCII));
        h.write("a comment\0".getBytes(StandardCharsets.US_ASCII));
        CRC32 crc = new CRC32();
        crc.update(h.toByteArray());
        h.write((int) crc.getValue() & 0xff);
        h.write((int) (crc.getValue() >>> 8) & 0xff);
        h.write(plain, 10, plain.length - 10);
        return h.toByteArray();
    }

    @Test
    void everyChunkAndOutputSizeGivesTheSameData() throws IOException {
        byte[] a = text(100_000, 41);
        byte[] b = text(3_000, 42);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(jdkGzip(a));
        file.write(fullHeaderMember(b));
        file.write(jdkGzip(new byte[0]));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(a);
        expected.write(b);
        int[][] shapes = {{1, 1}, {1, 65536}, {3, 7}, {64, 1}, {65536, 65536}, {1 << 20, 100}};
        WarpDriveGzipDecompressor d = new WarpDriveGzipDecompressor();
        try {
            for (int[] s : shapes) {
                d.reset();
                assertArrayEquals(expected.toByteArray(), drive(d, file.toByteArray(), s[0], s[1]),
                        "chunk " + s[0] + ", output " + s[1]);
            }
        } finally {
            d.end();
        }
    }

    @Test
    void finishedAtTheEndOfEachMemberWithTheRestRemaining() throws IOException {
        byte[] m1 = jdkGzip(text(1000, 43));
        byte[] m2 = jdkGzip(text(2000, 44));
        byte[] file = new byte[m1.length + m2.length];
        System.arraycopy(m1, 0, file, 0, m1.length);
        System.arraycopy(m2, 0, file, m1.length, m2.length);
        WarpDriveGzipDecompressor d = new WarpDriveGzipDecompressor();
        try {
            d.setInput(file, 0, file.length);
            byte[] out = new byte[10_000];
            assertEquals(1000, d.decompress(out, 0, out.length));
            assertTrue(d.finished());
            assertEquals(m2.length, d.getRemaining());
            assertEquals(m1.length, d.getBytesRead());
            assertEquals(0, d.decompress(out, 0, out.length), "stays at the member's end");
            assertFalse(d.needsInput());
            d.reset();
            d.setInput(file, m1.length, m2.length);
            assertEquals(2000, d.decompress(out, 0, out.length));
            assertTrue(d.finished());
            assertEquals(0, d.getRemaining());
        } finally {
            d.end();
        }
    }

    @Test
    void headerCrcIsChecked() throws IOException {
        byte[] m = fullHeaderMember(text(100, 45));
        int hcrc = 10 + 7 + 9 + 10;
        m[hcrc] ^= 1;
        WarpDriveGzipDecompressor d = new WarpDriveGzipDecompressor();
        try {
            IOException e = assertThrows(IOException.class, () -> drive(d, m, 5, 100));
            assertTrue(e.getMessage().contains("header CRC"), e.getMessage());
        } finally {
            d.end();
        }
    }

    @Test
    void reservedFlagsAndOtherMethodsAreRefused() {
        WarpDriveGzipDecompressor d = new WarpDriveGzipDecompressor();
        try {
            byte[] reserved = {0x1f, (byte) 0x8b, 8, 0x20, 0, 0, 0, 0, 0, 3};
            assertThrows(IOException.class, () -> drive(d, reserved, 10, 10));
            d.reset();
            byte[] method = {0x1f, (byte) 0x8b, 7, 0, 0, 0, 0, 0, 0, 3};
            assertThrows(IOException.class, () -> drive(d, method, 10, 10));
        } finally {
            d.end();
        }
    }

    @Test
    void directBuffersAcrossMembersInOneCall() throws IOException {
        byte[] a = text(70_000, 46);
        byte[] b = text(1_000, 47);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(jdkGzip(a));
        file.write(fullHeaderMember(b));
        ByteBuffer src = ByteBuffer.allocateDirect(file.size());
        src.put(file.toByteArray()).flip();
        ByteBuffer dst = ByteBuffer.allocateDirect(a.length + b.length + 10);
        WarpDriveGzipDecompressor d = new WarpDriveGzipDecompressor();
        try {
            d.decompress(src, dst);
            assertFalse(src.hasRemaining(), "all input consumed");
            assertEquals(a.length + b.length, dst.position());
            assertTrue(d.finished());
            byte[] got = new byte[dst.position()];
            dst.flip().get(got);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.write(a);
            expected.write(b);
            assertArrayEquals(expected.toByteArray(), got);
        } finally {
            d.end();
        }
    }

    @Test
    void directBuffersInPiecesKeepTheContext() throws IOException {
        byte[] a = text(200_000, 48);
        byte[] gz = jdkGzip(a);
        ByteBuffer src = ByteBuffer.allocateDirect(gz.length);
        src.put(gz).flip();
        ByteBuffer dst = ByteBuffer.allocateDirect(a.length);
        WarpDriveGzipDecompressor d = new WarpDriveGzipDecompressor();
        try {
            // the input arrives 1000 bytes at a time and the output has room for 4 KiB at a time
            int avail = 0;
            src.limit(0);
            for (int calls = 0; !d.finished(); calls++) {
                assertTrue(calls < 10_000, "no progress");
                if (!src.hasRemaining()) {
                    avail = Math.min(avail + 1000, gz.length);
                    src.limit(avail);
                }
                dst.limit(Math.min(dst.position() + 4096, dst.capacity()));
                d.decompress(src, dst);
                assertFalse(src.hasRemaining() && dst.hasRemaining() && !d.finished(),
                        "stopped with input and room left");
            }
            assertEquals(gz.length, src.position());
            byte[] got = new byte[a.length];
            dst.flip();
            dst.get(got);
            assertArrayEquals(a, got);
        } finally {
            d.end();
        }
    }

    @Test
    void heapBuffersToo() throws IOException {
        byte[] a = text(10_000, 49);
        ByteBuffer src = ByteBuffer.wrap(jdkGzip(a));
        ByteBuffer dst = ByteBuffer.allocate(a.length);
        WarpDriveGzipDecompressor d = new WarpDriveGzipDecompressor();
        try {
            d.decompress(src, dst);
            assertTrue(d.finished());
            assertArrayEquals(a, dst.array());
        } finally {
            d.end();
        }
    }

    @Test
    void afterEndDecompressThrows() {
        WarpDriveGzipDecompressor d = new WarpDriveGzipDecompressor();
        d.end();
        d.end();
        assertThrows(IOException.class, () -> d.decompress(new byte[4], 0, 4));
        assertThrows(IllegalStateException.class, d::reset);
    }
}
