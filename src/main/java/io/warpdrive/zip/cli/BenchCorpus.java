package io.warpdrive.zip.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The bench's built-in corpus: five kinds of data a server compresses,
 * generated from fixed seeds so every run and every machine gets the same
 * bytes. Shares of the total: text 25%, source code 25%, JSON/XML 20%,
 * binary records 20%, already-compressed (high-entropy) data 10%.
 */
final class BenchCorpus {
    /** One named input of the bench. */
    record Part(String name, byte[] data) {
    }

    private static final String[] SYLLABLES = {
        "the", "an", "re", "in", "er", "on", "at", "en", "es", "or", "ti", "ing", "al", "ar", "st", "com",
        "pre", "ver", "con", "ly", "ment", "tion", "ex", "pro", "de", "ma", "lo", "ca", "ne", "si", "ble", "ter",
    };
    private static final String[] TYPES = {"int", "long", "String", "byte[]", "boolean", "List<String>", "Path"};
    private static final String[] KEYWORDS = {"if", "while", "for", "return", "throw new", "final", "try"};

    private BenchCorpus() {
    }

    /** The corpus at {@code totalBytes} (about; each part is cut to its share). */
    static List<Part> generate(long totalBytes) {
        List<Part> parts = new ArrayList<>();
        parts.add(new Part("text", text((int) (totalBytes / 4), 1)));
        parts.add(new Part("source", source((int) (totalBytes / 4), 2)));
        parts.add(new Part("json-xml", records((int) (totalBytes / 5), 3)));
        parts.add(new Part("binary", binary((int) (totalBytes / 5), 4)));
        parts.add(new Part("compressed", entropy((int) (totalBytes / 10), 5)));
        return parts;
    }

    /** A vocabulary of made-up words, drawn with a skew so a few are common (as in prose). */
    private static String[] vocabulary(SplittableRandom r, int n) {
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
            StringBuilder w = new StringBuilder();
            int syl = 1 + r.nextInt(1 + i % 4);
            for (int s = 0; s < syl; s++) {
                w.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
            }
            v[i] = w.toString();
        }
        return v;
    }

    private static String pick(SplittableRandom r, String[] v) {
        double x = r.nextDouble();
        return v[(int) (x * x * x * v.length)];
    }

    static byte[] text(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] vocab = vocabulary(r, 4000);
        Sink s = new Sink(size);
        int col = 0;
        boolean capital = true;
        while (!s.full()) {
            String w = pick(r, vocab);
            if (capital) {
                w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
                capital = false;
            }
            s.put(w);
            col += w.length();
            int p = r.nextInt(20);
            if (p == 0) {
                s.put(".");
                capital = true;
            } else if (p == 1) {
                s.put(",");
            }
            if (col > 64 + r.nextInt(12)) {
                s.put(r.nextInt(8) == 0 ? "\n\n" : "\n");
                col = 0;
            } else {
                s.put(" ");
                col++;
            }
        }
        return s.bytes();
    }

    static byte[] source(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] ids = vocabulary(r, 1500);
        Sink s = new Sink(size);
        int depth = 1;
        while (!s.full()) {
            String indent = "    ".repeat(depth);
            String a = pick(r, ids);
            String b = pick(r, ids);
            switch (r.nextInt(8)) {
                case 0:
                    s.put(indent + "/** Returns the " + a + " of the " + b + ", or null when there is none. */\n");
                    break;
                case 1:
                    s.put(indent + "private static final " + TYPES[r.nextInt(TYPES.length)] + " "
                            + a.toUpperCase() + "_" + r.nextInt(100) + " = " + r.nextInt(65536) + ";\n");
                    break;
                case 2:
                    if (depth < 5) {
                        s.put(indent + KEYWORDS[r.nextInt(3)] + " (" + a + "." + b + "() != " + r.nextInt(16)
                                + ") {\n");
                        depth++;
                    }
                    break;
                case 3:
                    if (depth > 1) {
                        depth--;
                        s.put("    ".repeat(depth) + "}\n");
                    }
                    break;
                default:
                    s.put(indent + TYPES[r.nextInt(TYPES.length)] + " " + a + " = " + b + "." + pick(r, ids)
                            + "(" + pick(r, ids) + ", " + r.nextInt(1000) + ");\n");
                    break;
            }
        }
        return s.bytes();
    }

    static byte[] records(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] words = vocabulary(r, 800);
        Sink s = new Sink(size);
        long id = 100000;
        while (!s.full()) {
            id += 1 + r.nextInt(3);
            String name = pick(r, words);
            if (r.nextBoolean()) {
                s.put("{\"id\": " + id + ", \"name\": \"" + name + "\", \"email\": \"" + name + "@" + pick(r, words)
                        + ".example.com\", \"score\": " + r.nextInt(1000) + "." + r.nextInt(100)
                        + ", \"active\": " + r.nextBoolean() + ", \"tags\": [\"" + pick(r, words) + "\", \""
                        + pick(r, words) + "\"]}\n");
            } else {
                s.put("<item id=\"" + id + "\"><name>" + name + "</name><city>" + pick(r, words)
                        + "</city><count>" + r.nextInt(500) + "</count></item>\n");
            }
        }
        return s.bytes();
    }

    /** Fixed-size little-endian records: counters, timestamps, random-walk floats, flags, padding. */
    static byte[] binary(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] b = new byte[size];
        long time = 1_700_000_000_000L;
        float x = 0;
        float y = 0;
        int i = 0;
        int id = 0;
        while (i + 32 <= size) {
            time += r.nextInt(1000);
            x += (float) (r.nextDouble() - 0.5);
            y += (float) (r.nextDouble() - 0.5);
            i = putLe(b, i, id++, 4);
            i = putLe(b, i, time, 8);
            i = putLe(b, i, Float.floatToIntBits(x), 4);
            i = putLe(b, i, Float.floatToIntBits(y), 4);
            i = putLe(b, i, r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(256), 4);
            b[i++] = (byte) r.nextInt(4);
            i += 7; // padding stays zero
        }
        return b;
    }

    /** Stands for JPEG, zip or gzip payloads: bytes no deflater can shrink. */
    static byte[] entropy(int size, long seed) {
        byte[] b = new byte[size];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < size; i += 8) {
            long v = r.nextLong();
            for (int k = 0; k < 8 && i + k < size; k++) {
                b[i + k] = (byte) (v >>> (8 * k));
            }
        }
        return b;
    }

    private static int putLe(byte[] b, int off, long v, int n) {
        for (int k = 0; k < n; k++) {
            b[off + k] = (byte) (v >>> (8 * k));
        }
        return off + n;
    }

    /** A fixed-size byte buffer that ASCII text is appended to until it is full. */
    private static final class Sink {
        private final byte[] b;
        private int n;

        Sink(int size) {
            b = new byte[size];
        }

        boolean full() {
            return n == b.length;
        }

        void put(String s) {
            byte[] x = s.getBytes(StandardCharsets.US_ASCII);
            int k = Math.min(x.length, b.length - n);
            System.arraycopy(x, 0, b, n, k);
            n += k;
        }

        byte[] bytes() {
            return b;
        }
    }
}
