package io.warpdrive.zip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** Deterministic inputs and JDK reference codecs for tests. */
public final class TestData {
    private TestData() {
    }

    private static final String[] WORDS = {
        "the ", "queue ", "warp ", "drive ", "deflate ", "inflate ", "zlib ", "gzip ", "hisi_zip ",
        "context ", "session ", "of ", "and ", "\n", "1024 ", "4096 ", "{\"key\": ", "\"value\"}, ",
    };

    /** Text-like data: words with a little noise, compresses about 3:1. */
    public static byte[] text(int n, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[n];
        int i = 0;
        while (i < n) {
            if (r.nextInt(13) == 0) {
                b[i++] = (byte) r.nextInt(256);
                continue;
            }
            byte[] w = WORDS[r.nextInt(WORDS.length)].getBytes(StandardCharsets.US_ASCII);
            for (int k = 0; k < w.length && i < n; k++) {
                b[i++] = w[k];
            }
        }
        return b;
    }

    /** Incompressible bytes. */
    public static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Text, random runs and zero runs interleaved. */
    public static byte[] mixed(int n, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[n];
        int i = 0;
        while (i < n) {
            int run = Math.min(n - i, 1 + r.nextInt(20000));
            switch (r.nextInt(3)) {
                case 0:
                    System.arraycopy(text(run, r.nextLong()), 0, b, i, run);
                    break;
                case 1:
                    System.arraycopy(random(run, r.nextLong()), 0, b, i, run);
                    break;
                default:
                    break; // zeros
            }
            i += run;
        }
        return b;
    }

    /** Compresses with the JDK's Deflater. */
    public static byte[] jdkDeflate(byte[] in, int level, boolean nowrap) {
        Deflater d = new Deflater(level, nowrap);
        try {
            d.setInput(in);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    /** Decompresses a whole stream with the JDK's Inflater; fails on anything odd. */
    public static byte[] jdkInflate(byte[] in, boolean nowrap) throws DataFormatException {
        Inflater inf = new Inflater(nowrap);
        try {
            inf.setInput(in);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && !inf.finished() && (inf.needsInput() || inf.needsDictionary())) {
                    throw new DataFormatException("truncated stream (needsInput=" + inf.needsInput() + ")");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            inf.end();
        }
    }

    /** Compresses through any Deflater with the given output buffer size. */
    public static byte[] deflateAll(Deflater d, byte[] in, int outSize) {
        d.setInput(in);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[outSize];
        int guard = 0;
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
            if (++guard > 50_000_000) {
                throw new AssertionError("deflate makes no progress");
            }
        }
        return out.toByteArray();
    }
}
