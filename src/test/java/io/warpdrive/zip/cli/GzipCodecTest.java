package io.warpdrive.zip.cli;

import io.warpdrive.zip.Mode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** GzipWriter and GzipReader against the JDK's gzip streams and hand-made members. */
class GzipCodecTest {

    static byte[] data(int n, long seed) {
        byte[] text = BenchCorpus.text(Math.max(n, 1), seed);
        return Arrays.copyOf(text, n);
    }

    static byte[] gzip(byte[] data, int level, byte[] name, long mtime) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        GzipWriter.compress(new ByteArrayInputStream(data), bos, level, name, mtime);
        return bos.toByteArray();
    }

    static byte[] jdkGzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        }
        return bos.toByteArray();
    }

    static byte[] gunzip(byte[] gz) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        new GzipReader(new ByteArrayInputStream(gz)).decompress(bos);
        return bos.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            bos.writeBytes(p);
        }
        return bos.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, 65535, 65536, 65537, 1_000_000})
    void writerOutputIsReadByTheJdkAndByTheReader(int n) throws IOException {
        byte[] d = data(n, n);
        for (int level : new int[] {1, 6, 9}) {
            byte[] gz = gzip(d, level, null, 0);
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
                assertArrayEquals(d, in.readAllBytes(), "JDK reading level " + level);
            }
            assertArrayEquals(d, gunzip(gz), "reader, level " + level);
        }
    }

    @Test
    void headerCarriesNameMtimeXflAndUnix() throws IOException {
        byte[] gz = gzip(new byte[10], 9, "file.txt".getBytes(StandardCharsets.US_ASCII), 1_600_000_000L);
        assertEquals(0x1f, gz[0] & 0xff);
        assertEquals(0x8b, gz[1] & 0xff);
        assertEquals(8, gz[2]);
        assertEquals(Gzip.FNAME, gz[3]);
        assertEquals(1_600_000_000L, Gzip.getLe32(gz, 4));
        assertEquals(Gzip.XFL_BEST, gz[8]);
        assertEquals(Gzip.OS_UNIX, gz[9]);
        assertEquals("file.txt\0", new String(gz, 10, 9, StandardCharsets.US_ASCII));
        assertEquals(Gzip.XFL_FAST, gzip(new byte[0], 1, null, 0)[8]);
        assertEquals(0, gzip(new byte[0], 6, null, 0)[3], "no name, no FNAME flag");
        assertEquals(0, Gzip.getLe32(gzip(new byte[0], 6, null, 1L << 33), 4), "mtime out of range stores 0");
        GzipReader r = new GzipReader(new ByteArrayInputStream(gz));
        GzipReader.Header h = r.readFirstHeader();
        assertEquals("file.txt", new String(h.name(), StandardCharsets.US_ASCII));
        assertEquals(1_600_000_000L, h.mtime());
    }

    @Test
    void bigStreamsNameTheEngineOfThisRun() throws IOException {
        byte[] d = data(1 << 20, 3);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        Gzip.Transfer t = GzipWriter.compress(new ByteArrayInputStream(d), bos, 6, null, 0);
        assertEquals(d.length, t.bytesIn());
        assertEquals(bos.size(), t.bytesOut());
        Mode.assertBigStreamEngine(t.engine());
        Gzip.Transfer back = new GzipReader(new ByteArrayInputStream(bos.toByteArray()))
                .decompress(java.io.OutputStream.nullOutputStream());
        assertEquals(d.length, back.bytesOut());
        assertEquals(bos.size(), back.bytesIn());
        Mode.assertBigStreamEngine(back.engine());
    }

    @Test
    void concatenatedMembersAreReadInSequence() throws IOException {
        byte[] a = data(70_000, 1);
        byte[] b = data(5, 2);
        byte[] c = new byte[0];
        byte[] all = concat(gzip(a, 1, null, 0), jdkGzip(b), gzip(c, 9, "x".getBytes(StandardCharsets.US_ASCII), 7));
        GzipReader r = new GzipReader(new ByteArrayInputStream(all));
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        r.decompress(bos);
        assertArrayEquals(concat(a, b, c), bos.toByteArray());
        assertFalse(r.trailingGarbage());
    }

    @Test
    void trailingZerosAreIgnoredAndOtherBytesFlagged() throws IOException {
        byte[] d = data(1000, 5);
        for (byte[] tail : new byte[][] {new byte[100], {0}}) {
            GzipReader r = new GzipReader(new ByteArrayInputStream(concat(gzip(d, 6, null, 0), tail)));
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            r.decompress(bos);
            assertArrayEquals(d, bos.toByteArray());
            assertFalse(r.trailingGarbage());
        }
        for (byte[] tail : new byte[][] {"junk".getBytes(StandardCharsets.US_ASCII), {0, 0, 1}, {0x1f}, {0x1f, 0}}) {
            GzipReader r = new GzipReader(new ByteArrayInputStream(concat(gzip(d, 6, null, 0), tail)));
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            r.decompress(bos);
            assertArrayEquals(d, bos.toByteArray());
            assertTrue(r.trailingGarbage(), Arrays.toString(tail));
        }
    }

    @Test
    void damagedInputIsReportedInGzipsWords() throws IOException {
        byte[] d = data(200_000, 9);
        byte[] gz = gzip(d, 6, null, 0);
        assertEquals("unexpected end of file", failure(Arrays.copyOf(gz, gz.length / 2)));
        assertEquals("unexpected end of file", failure(Arrays.copyOf(gz, gz.length - 3)));
        assertEquals("unexpected end of file", failure(new byte[0]));
        assertEquals("unexpected end of file", failure(new byte[] {0x1f, (byte) 0x8b, 8}));
        assertEquals("unexpected end of file", failure(concat(gz, new byte[] {0x1f, (byte) 0x8b, 8, 0})));
        assertEquals("not in gzip format", failure("hello".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("not in gzip format", failure(new byte[] {0x1f}));
        byte[] crc = gz.clone();
        crc[crc.length - 8] ^= 1;
        assertEquals("invalid compressed data--crc error", failure(crc));
        byte[] len = gz.clone();
        len[len.length - 1] ^= 1;
        assertEquals("invalid compressed data--length error", failure(len));
        byte[] method = gz.clone();
        method[2] = 7;
        assertEquals("unknown method 7 -- not supported", failure(method));
        byte[] flags = gz.clone();
        flags[3] = (byte) 0x20;
        assertEquals("has flags 0x20 -- not supported", failure(flags));
        byte[] body = gz.clone();
        body[12] = (byte) 0xff; // BTYPE 11: reserved
        body[10] = (byte) 0xff;
        assertEquals("invalid compressed data--format violated", failure(body));
    }

    private static String failure(byte[] gz) {
        return assertThrows(Gzip.FormatException.class, () -> gunzip(gz)).getMessage();
    }

    @Test
    void optionalHeaderFieldsAreSkippedAndTheHeaderCrcChecked() throws IOException {
        byte[] d = data(3000, 11);
        byte[] member = gzip(d, 6, null, 0);
        byte[] body = Arrays.copyOfRange(member, Gzip.FIXED_HEADER, member.length);
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write(new byte[] {0x1f, (byte) 0x8b, 8,
            (byte) (Gzip.FEXTRA | Gzip.FNAME | Gzip.FCOMMENT | Gzip.FHCRC | 1), 1, 2, 3, 4, 0, 3});
        h.write(new byte[] {5, 0, 'a', 'b', 'c', 'd', 'e'});
        h.write("name.txt\0a comment\0".getBytes(StandardCharsets.US_ASCII));
        CRC32 crc = new CRC32();
        crc.update(h.toByteArray());
        int c = (int) crc.getValue();
        byte[] good = concat(h.toByteArray(), new byte[] {(byte) c, (byte) (c >> 8)}, body);
        assertArrayEquals(d, gunzip(good));
        GzipReader.Header hd = new GzipReader(new ByteArrayInputStream(good)).readFirstHeader();
        assertEquals("name.txt", new String(hd.name(), StandardCharsets.US_ASCII));
        assertEquals(0x04030201L, hd.mtime());
        byte[] bad = concat(h.toByteArray(), new byte[] {(byte) (c + 1), (byte) (c >> 8)}, body);
        assertEquals("invalid compressed data--header crc error", failure(bad));
    }

    @Test
    void readerTakesInputThatArrivesInDribs() throws IOException {
        byte[] d = data(300_000, 13);
        byte[] gz = concat(gzip(d, 6, null, 0), gzip(d, 1, null, 0));
        Random rnd = new Random(1);
        InputStream slow = new ByteArrayInputStream(gz) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + rnd.nextInt(3000)));
            }
        };
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        new GzipReader(slow).decompress(bos);
        assertArrayEquals(concat(d, d), bos.toByteArray());
    }

    @Test
    void copyRawGivesBackInputThatIsNotGzip() throws IOException {
        byte[] plain = data(100_000, 17);
        GzipReader r = new GzipReader(new ByteArrayInputStream(plain));
        assertThrows(GzipReader.NotGzipException.class, r::readFirstHeader);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        assertEquals(plain.length, r.copyRaw(bos));
        assertArrayEquals(plain, bos.toByteArray());
    }
}
