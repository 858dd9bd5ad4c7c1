package io.warpdrive.zip.compress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Deterministic test inputs and small stream helpers. */
final class Samples {
    private static final String[] WORDS = {
        "gzip ", "member ", "header ", "deflate ", "warp ", "drive ", "commons ", "compress ", "\n", "42 ",
    };

    private Samples() {
    }

    /** Text-like bytes with some noise: compressible about 3:1. */
    static byte[] text(int n, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[n];
        int i = 0;
        while (i < n) {
            if (r.nextInt(11) == 0) {
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

    /** Everything left in a stream, read in odd-sized pieces so no single call does it all. */
    static byte[] drain(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[7919];
        for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
