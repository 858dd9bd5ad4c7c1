package io.warpdrive.zip.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpdrive.zip.HwGZIPInputStream;
import io.warpdrive.zip.TestData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Bad gzip input through {@link HwGZIPInputStream} against
 * {@link GZIPInputStream}: headers with every optional field, wrong header
 * CRCs and trailers, cuts everywhere, malformed members. Both must deliver
 * the same bytes and end with the same exception class and message.
 */
class BadGzipInputTest {
    private static final byte[] TEXT = TestData.text(300_000, 41);

    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    /** A gzip member with the given header flags (RFC 1952 2.3), a raw body and a trailer. */
    private static byte[] gzip(int flags, byte[] data, int crcDelta, int isizeDelta) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes(BadInputTest.bytes(0x1f, 0x8b, 8, flags, 1, 2, 3, 4, 0, 3));
        if ((flags & FEXTRA) != 0) {
            byte[] extra = BadInputTest.bytes('A', 'B', 3, 0, 'x', 'y', 'z');
            h.writeBytes(BadInputTest.bytes(extra.length, 0));
            h.writeBytes(extra);
        }
        if ((flags & FNAME) != 0) {
            h.writeBytes("name.txt\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        if ((flags & FCOMMENT) != 0) {
            h.writeBytes("a comment\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        if ((flags & FHCRC) != 0) {
            CRC32 crc = new CRC32();
            crc.update(h.toByteArray());
            int v = (int) crc.getValue();
            h.writeBytes(BadInputTest.bytes(v & 0xff, (v >>> 8) & 0xff));
        }
        h.writeBytes(TestData.jdkDeflate(data, 6, true));
        CRC32 crc = new CRC32();
        crc.update(data);
        int c = (int) crc.getValue() + crcDelta;
        int n = data.length + isizeDelta;
        h.writeBytes(BadInputTest.bytes(c, c >>> 8, c >>> 16, c >>> 24, n, n >>> 8, n >>> 16, n >>> 24));
        return h.toByteArray();
    }

    /** Reads a whole gzip input in random-size reads; the output and how it ended. */
    private static BadInputTest.Outcome gunzip(boolean ours, byte[] in, long seed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Random r = new Random(seed);
        BadInputTest.Outcome o = BadInputTest.Outcome.of(() -> {
            try (InputStream s = ours ? new HwGZIPInputStream(new ByteArrayInputStream(in), 1 + r.nextInt(70000))
                    : new GZIPInputStream(new ByteArrayInputStream(in), 1 + r.nextInt(70000))) {
                byte[] buf = new byte[65536];
                int n;
                while ((n = s.read(buf, 0, 1 + r.nextInt(buf.length))) >= 0) {
                    out.write(buf, 0, n);
                }
                return "eof";
            }
        });
        return new BadInputTest.Outcome(o.exception(), o.message(), o.result() + " out=" + Arrays.hashCode(out.toByteArray())
                + "/" + out.size());
    }

    private static void sameGunzip(String what, byte[] in) {
        for (long seed = 0; seed < 2; seed++) {
            assertEquals(gunzip(false, in, seed), gunzip(true, in, seed), what + " seed " + seed);
        }
    }

    @Test
    void gzipHeadersWithEveryOptionalField() {
        byte[] data = Arrays.copyOf(TEXT, 70_000);
        for (int flags = 0; flags < 32; flags += 2) {
            byte[] good = gzip(flags, data, 0, 0);
            BadInputTest.Outcome jdk = gunzip(false, good, 0);
            assertEquals("eof out=" + Arrays.hashCode(data) + "/" + data.length, jdk.result(), "flags " + flags);
            sameGunzip("flags " + flags, good);
            sameGunzip("flags " + flags + " wrong CRC", gzip(flags, data, 1, 0));
            sameGunzip("flags " + flags + " wrong ISIZE", gzip(flags, data, 0, -1));
            sameGunzip("flags " + flags + " oversized ISIZE", gzip(flags, data, 0, 1 << 20));
            if ((flags & FHCRC) != 0) {
                byte[] bad = good.clone();
                int hcrcAt = headerLength(flags) - 2;
                bad[hcrcAt] ^= 1;
                BadInputTest.Outcome o = gunzip(false, bad, 0);
                assertEquals("java.util.zip.ZipException", o.exception(), "the JDK checks the header CRC");
                sameGunzip("flags " + flags + " wrong header CRC", bad);
            }
            // cut inside the header, the body and the trailer
            for (int len = 0; len < good.length; len += len < 40 ? 1 : 997) {
                sameGunzip("flags " + flags + " cut at " + len, Arrays.copyOf(good, len));
            }
            for (int k = 1; k <= 8; k++) {
                sameGunzip("flags " + flags + " trailer cut by " + k, Arrays.copyOf(good, good.length - k));
            }
        }
    }

    private static int headerLength(int flags) {
        int n = 10;
        n += (flags & FEXTRA) != 0 ? 2 + 7 : 0;
        n += (flags & FNAME) != 0 ? 9 : 0;
        n += (flags & FCOMMENT) != 0 ? 10 : 0;
        n += (flags & FHCRC) != 0 ? 2 : 0;
        return n;
    }

    @Test
    void malformedGzipHeadersAndMembers() {
        byte[] data = Arrays.copyOf(TEXT, 40_000);
        byte[] good = gzip(FNAME, data, 0, 0);
        byte[] badMagic = good.clone();
        badMagic[1] = (byte) 0x8c;
        sameGunzip("bad magic", badMagic);
        byte[] badMethod = good.clone();
        badMethod[2] = 7;
        sameGunzip("bad method", badMethod);
        byte[] reserved = good.clone();
        reserved[3] |= (byte) 0xe0;
        sameGunzip("reserved flags", reserved);
        byte[] longExtra = gzip(FEXTRA, data, 0, 0);
        longExtra[10] = (byte) 0xff; // XLEN says 255 bytes follow, the header has 7
        longExtra[11] = (byte) 0x7f;
        sameGunzip("extra longer than the input", longExtra);
        byte[] noNameEnd = Arrays.copyOf(good, 14); // inside FNAME, no terminating zero
        sameGunzip("unterminated name", noNameEnd);
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        two.writeBytes(good);
        two.writeBytes(gzip(FEXTRA | FCOMMENT | FHCRC, data, 0, 0));
        sameGunzip("two members", two.toByteArray());
        byte[] garbage = Arrays.copyOf(two.toByteArray(), two.size() + 30);
        garbage[two.size()] = 0x1f;
        sameGunzip("two members and garbage", garbage);
        ByteArrayOutputStream corruptSecond = new ByteArrayOutputStream();
        corruptSecond.writeBytes(good);
        byte[] second = gzip(0, data, 0, 0);
        second[30] ^= 0x55;
        corruptSecond.writeBytes(second);
        sameGunzip("corrupt second member", corruptSecond.toByteArray());
        byte[] corruptBody = good.clone();
        corruptBody[200] ^= 0x21;
        sameGunzip("corrupt body", corruptBody);
        assertFalse(Arrays.equals(good, corruptBody));
        assertTrue(gunzip(false, corruptBody, 0).exception() != null, "the JDK rejects the corrupt body");
    }
}
