package io.warpdrive.zip.compat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The inputs, levels and flush plans every interop cell runs on. Inputs are
 * generated from fixed seeds so a failing cell can be reproduced exactly;
 * each is built once per test JVM.
 */
final class Corpus {
    /** The levels of every cell: fastest, default, best. */
    static final int[] LEVELS = {1, 6, 9};

    /** The same and level 0 (stored blocks only), for in-process peers and Python, where it costs nothing. */
    static final int[] LEVELS_AND_STORED = {0, 1, 6, 9};

    /** Size of the multi-MiB input: several device batches and pigz blocks. */
    static final int BIG = 3 * 1024 * 1024 + 4321;

    /** One input: a short name for cell names and its bytes. */
    record Input(String name, byte[] data) {
        boolean big() {
            return data.length >= BIG;
        }

        @Override
        public String toString() {
            return name + " (" + data.length + " B)";
        }
    }

    private static final List<Input> INPUTS = List.of(
            new Input("text", text(200_000, 1)),
            new Input("binary", random(100_000, 2)),
            new Input("compressed", gzipped(text(400_000, 3))),
            new Input("empty", new byte[0]),
            new Input("1-byte", new byte[] {'x'}),
            new Input("mixed-3MiB", mixed(BIG, 4)));

    private Corpus() {
    }

    static List<Input> inputs() {
        return INPUTS;
    }

    /**
     * Where a writer flushes: after the bytes before each point it issues
     * {@code mode} ({@link Deflater#SYNC_FLUSH} or {@link Deflater#FULL_FLUSH});
     * {@link #NONE} never flushes. A point may equal the input length (a
     * flush just before finishing), so empty and 1-byte inputs flush too.
     */
    record Flush(String name, int mode, boolean random) {
        static final Flush NONE = new Flush("no-flush", Deflater.NO_FLUSH, false);
        static final Flush SYNC_FIXED = new Flush("SYNC_FLUSH-every-64000", Deflater.SYNC_FLUSH, false);
        static final Flush FULL_RANDOM = new Flush("FULL_FLUSH-random", Deflater.FULL_FLUSH, true);
        static final Flush SYNC_RANDOM = new Flush("SYNC_FLUSH-random", Deflater.SYNC_FLUSH, true);

        /** Offsets, ascending, at which to flush an input of {@code len} bytes. */
        int[] points(int len) {
            if (mode == Deflater.NO_FLUSH) {
                return new int[0];
            }
            if (!random) {
                return IntStream.concat(IntStream.iterate(64_000, p -> p < len, p -> p + 64_000), IntStream.of(len))
                        .toArray();
            }
            Random r = new Random(len * 31L + mode);
            int n = 1 + r.nextInt(8);
            return IntStream.concat(r.ints(n, 0, len + 1), IntStream.of(len)).sorted().toArray();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Splits {@code data} at the plan's points: the pieces to write with a flush after each but the last. */
    static List<byte[]> pieces(byte[] data, Flush flush) {
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        for (int p : flush.points(data.length)) {
            out.add(Arrays.copyOfRange(data, from, p));
            from = p;
        }
        out.add(Arrays.copyOfRange(data, from, data.length));
        return out;
    }

    static byte[] text(int n, long seed) {
        String[] words = {"the ", "deflate ", "stream ", "of ", "gzip ", "member ", "and ", "zlib ", "\n", "2026 ",
            "block ", "window ", "Huffman ", "literal ", "length ", "distance ", "; "};
        Random r = new Random(seed);
        ByteArrayOutputStream b = new ByteArrayOutputStream(n + 16);
        while (b.size() < n) {
            b.writeBytes(words[r.nextInt(words.length)].getBytes(StandardCharsets.US_ASCII));
        }
        return Arrays.copyOf(b.toByteArray(), n);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] gzipped(byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** Text, random bytes, runs of one byte and short repeats, in 64 KiB-ish slices. */
    private static byte[] mixed(int n, long seed) {
        Random r = new Random(seed);
        ByteArrayOutputStream b = new ByteArrayOutputStream(n + 100_000);
        while (b.size() < n) {
            int len = 1_000 + r.nextInt(100_000);
            switch (r.nextInt(4)) {
                case 0 -> b.writeBytes(text(len, r.nextLong()));
                case 1 -> b.writeBytes(random(len / 4, r.nextLong()));
                case 2 -> b.writeBytes(new byte[len]);
                default -> {
                    byte[] unit = random(1 + r.nextInt(300), r.nextLong());
                    for (int i = 0; i < len; i += unit.length) {
                        b.write(unit, 0, Math.min(unit.length, len - i));
                    }
                }
            }
        }
        return Arrays.copyOf(b.toByteArray(), n);
    }
}
