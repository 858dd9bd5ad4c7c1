package io.warpdrive.zip.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * Prose the text generator walks word by word (a bigram chain), mixed with made-up
     * rare words: about as compressible as English, with real-looking word statistics.
     */
    private static final String PASSAGE = String.join(" ",
            "It was late in the evening when the engineers of the small company met again to talk about the",
            "machine that would make their servers faster. Nobody had seen the hardware, but everyone had an opinion",
            "about it. The first thing they agreed on was that the library must never fail for lack of a device, and",
            "that every byte written must be read back exactly as it was. The second was harder: a user who installs",
            "the software on an ordinary computer should not lose any speed, and should in most cases gain a great deal.",
            "They wrote down the numbers they had measured on their own machines, and the numbers they hoped to reach,",
            "and for a while the room was quiet. Then the oldest of them, who had written compression code for thirty",
            "years, said that the trick was not in the hardware at all but in the way the data moved between the",
            "program and the engine: large requests, no copies, no waiting. If the queue is full, do the work yourself;",
            "if the device is slow, give it more to do at once; if it breaks, carry on in software from the last good",
            "block. The others listened, and one by one they went back to their desks to write the tests first, because",
            "a test that cannot fail is not a test, and a number that was not measured is only a wish. By morning the",
            "first version ran on the emulated device, and by the end of the week it ran everywhere they could find.");
    /** Letters in about English frequency, for the made-up rare words. */
    private static final String LETTERS = "eeeettaaooiinnsshhrrdlcumwfgypbvkjxqz";
    /** Share of rare words in the text, and how many there are (drawn log-uniformly: Zipf-like). */
    private static final double RARE_SHARE = 0.25;
    private static final int RARE_WORDS = 5000;

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

    /** Made-up words, longer as they get rarer. */
    private static String[] rareWords(SplittableRandom r, int n) {
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
            int len = 3 + r.nextInt(2 + Math.min(6, 31 - Integer.numberOfLeadingZeros(i + 1)));
            StringBuilder w = new StringBuilder(len);
            for (int k = 0; k < len; k++) {
                w.append(LETTERS.charAt(r.nextInt(LETTERS.length())));
            }
            v[i] = w.toString();
        }
        return v;
    }

    /** Rank drawn log-uniformly, so word k is about 1/k as likely as the first (Zipf). */
    private static String pick(SplittableRandom r, String[] v) {
        return v[(int) Math.exp(r.nextDouble() * Math.log(v.length))];
    }

    /** The passage's words and, for each, the words that follow it somewhere in the passage. */
    private static final class Chain {
        final String[] words = PASSAGE.split(" +");
        final Map<String, List<String>> next = new HashMap<>();

        Chain() {
            for (int i = 0; i + 1 < words.length; i++) {
                next.computeIfAbsent(words[i], k -> new ArrayList<>()).add(words[i + 1]);
            }
        }

        String after(SplittableRandom r, String w) {
            List<String> n = next.get(w);
            // now and then a jump, so the chain does not settle into the passage's loops
            if (n == null || r.nextInt(20) == 0) {
                return words[r.nextInt(words.length)];
            }
            return n.get(r.nextInt(n.size()));
        }
    }

    /** An identifier of one to three passage words in camelCase. */
    private static String[] identifiers(SplittableRandom r, int n) {
        String[] words = PASSAGE.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z ]", "").split(" +");
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
            StringBuilder id = new StringBuilder(words[r.nextInt(words.length)]);
            for (int k = r.nextInt(3); k > 0; k--) {
                String w = words[r.nextInt(words.length)];
                id.append(Character.toUpperCase(w.charAt(0))).append(w, 1, w.length());
            }
            v[i] = id.toString();
        }
        return v;
    }

    static byte[] text(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] rare = rareWords(r, RARE_WORDS);
        Chain chain = new Chain();
        Sink s = new Sink(size);
        String w = chain.words[0];
        int col = 0;
        while (!s.full()) {
            String out = r.nextDouble() < RARE_SHARE ? pick(r, rare) : w;
            w = chain.after(r, w);
            s.put(out);
            col += out.length() + 1;
            if (col > 72) {
                s.put(r.nextInt(10) == 0 ? "\n\n" : "\n");
                col = 0;
            } else {
                s.put(" ");
            }
        }
        return s.bytes();
    }

    static byte[] source(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] ids = identifiers(r, 1500);
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
        String[] words = identifiers(r, 800);
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
