package io.warpdrive.zip.cli;

import io.warpdrive.zip.HwDeflater;
import io.warpdrive.zip.HwInflater;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * {@code wdzip bench}: java.util.zip and warpdrive-zip on the same data in
 * the same JVM, through the byte[] API in fixed chunks, per level. Each case
 * (level, direction) runs, after an untimed warm-up, rounds over the inputs
 * in which each input goes through both sides back to back (which side
 * first alternates), until each side has run for the minimum time; each
 * input's best time per side counts. Decompression reads the same
 * java.util.zip stream on both sides. Every side's output is checked:
 * its first compressed streams are inflated by the JDK, every decompression
 * is compared with the input.
 */
final class Bench {
    /**
     * The measured figures of one side of one case. Each part keeps its best
     * time over the rounds: other load on the machine only ever adds time.
     */
    static final class Side {
        final String name;
        /** Time spent in all rounds, to know when the case has run long enough. */
        long spent;
        final long[] packedSize;
        final long[] best;
        final long[] partBytes;
        final Set<String> engines = new TreeSet<>();

        Side(String name, int parts) {
            this.name = name;
            this.packedSize = new long[parts];
            this.best = new long[parts];
            this.partBytes = new long[parts];
            Arrays.fill(best, Long.MAX_VALUE);
        }

        void record(int part, long bytes, long nanos) {
            spent += nanos;
            partBytes[part] = bytes;
            best[part] = Math.min(best[part], Math.max(1, nanos));
        }

        double mbPerSecond(int part) {
            return best[part] == Long.MAX_VALUE ? 0 : partBytes[part] / 1e6 / (best[part] / 1e9);
        }

        /** All parts' bytes over the sum of their best times. */
        double mbPerSecond() {
            long nanos = 0;
            long bytes = 0;
            for (int i = 0; i < best.length; i++) {
                if (best[i] != Long.MAX_VALUE) {
                    nanos += best[i];
                    bytes += partBytes[i];
                }
            }
            return nanos == 0 ? 0 : bytes / 1e6 / (nanos / 1e9);
        }

        long packed() {
            return Arrays.stream(packedSize).sum();
        }
    }

    /** One row of the report. */
    record Row(int level, String direction, Side jdk, Side wd, long plain) {
    }

    /** Per part, for the compression warm-up. */
    private static final int WARMUP_BYTES = 1 << 20;
    private static final long MAX_CASE_NANOS = 600_000_000_000L;

    private final BenchOptions opt;
    private final List<BenchCorpus.Part> parts;
    private final long total;
    private final byte[][] jdkPacked;
    private final int[] jdkPackedLen;
    private final byte[][] scratch;
    private final byte[][] plainOut;

    private Bench(BenchOptions opt, List<BenchCorpus.Part> parts) {
        this.opt = opt;
        this.parts = parts;
        this.total = parts.stream().mapToLong(p -> p.data().length).sum();
        int n = parts.size();
        jdkPacked = new byte[n][];
        jdkPackedLen = new int[n];
        scratch = new byte[n][];
        plainOut = new byte[n][];
        for (int i = 0; i < n; i++) {
            int len = parts.get(i).data().length;
            int bound = len + (len >> 3) + (1 << 16);
            jdkPacked[i] = new byte[bound];
            scratch[i] = new byte[bound];
            plainOut[i] = new byte[len];
        }
    }

    static int run(String[] args, Io io) {
        BenchOptions opt;
        try {
            opt = BenchOptions.parse(args);
        } catch (Options.UsageException e) {
            io.err.println(Reporter.PROGRAM + " bench: " + e.getMessage());
            io.err.println("Try '" + Reporter.PROGRAM + " --help' for more information.");
            return Reporter.ERROR;
        }
        if (opt.writeCorpus != null) {
            return writeCorpus(opt, io);
        }
        List<BenchCorpus.Part> parts;
        try (Progress progress = new Progress(io.err, io.errTty && !opt.quiet)) {
            progress.update(0, opt.files.isEmpty() ? "generating the corpus" : "reading the files");
            try {
                parts = opt.files.isEmpty() ? BenchCorpus.generate(opt.sizeBytes) : read(opt.files);
            } catch (IOException e) {
                io.err.println(Reporter.PROGRAM + " bench: " + e.getMessage());
                return Reporter.ERROR;
            }
            Bench b = new Bench(opt, parts);
            List<Row> rows;
            try {
                rows = b.measure(progress);
            } catch (DataFormatException | IllegalStateException e) {
                progress.close();
                io.err.println(Reporter.PROGRAM + " bench: output check failed: " + e.getMessage());
                return Reporter.ERROR;
            }
            progress.close();
            BenchReport.print(io.text(), opt, parts, rows);
            io.text().flush();
        }
        return Reporter.OK;
    }

    /** Writes the generated corpus as files, to compare with other tools (gzip, pigz) on the same bytes. */
    private static int writeCorpus(BenchOptions opt, Io io) {
        try {
            Path dir = Path.of(opt.writeCorpus);
            Files.createDirectories(dir);
            for (BenchCorpus.Part p : BenchCorpus.generate(opt.sizeBytes)) {
                Path f = dir.resolve(p.name());
                Files.write(f, p.data());
                io.text().println(f);
            }
            io.text().flush();
            return Reporter.OK;
        } catch (IOException e) {
            io.err.println(Reporter.PROGRAM + " bench: " + opt.writeCorpus + ": " + GzipFiles.reason(e));
            return Reporter.ERROR;
        }
    }

    private static List<BenchCorpus.Part> read(List<String> files) throws IOException {
        List<BenchCorpus.Part> parts = new ArrayList<>();
        long limit = Math.min(Integer.MAX_VALUE - (1 << 20), Runtime.getRuntime().maxMemory() / 8);
        long sum = 0;
        for (String f : files) {
            Path p = Path.of(f);
            long size = Files.size(p);
            sum += size;
            if (sum > limit) {
                throw new IOException(f + ": the bench holds its input in memory; " + (limit >> 20)
                        + " MiB in all is the most this JVM can take (raise -Xmx)");
            }
            parts.add(new BenchCorpus.Part(p.getFileName().toString(), Files.readAllBytes(p)));
        }
        return parts;
    }

    private List<Row> measure(Progress progress) throws DataFormatException {
        List<Row> rows = new ArrayList<>();
        int cases = opt.levels.size() * 2;
        int done = 0;
        for (int level : opt.levels) {
            String what = "level " + level + " compress";
            rows.add(runCase(level, true, progress, done, cases, what));
            done++;
            what = "level " + level + " decompress";
            rows.add(runCase(level, false, progress, done, cases, what));
            done++;
        }
        return rows;
    }

    private Row runCase(int level, boolean compress, Progress progress, int index, int cases, String what)
            throws DataFormatException {
        Side jdk = new Side("java.util.zip", parts.size());
        Side wd = new Side("warpdrive-zip", parts.size());
        long min = (long) (opt.seconds * 1e9);
        long caseStart = System.nanoTime();
        // Warm-up, untimed: compression on the first MiB of each part (a whole level-9
        // round would double the run), decompression on everything (it is quick).
        int warm = compress ? WARMUP_BYTES : Integer.MAX_VALUE;
        Side scratchSide = new Side("warm-up", parts.size());
        for (int i = 0; i < parts.size(); i++) {
            run(jdk, scratchSide, i, level, compress, warm, false);
            run(wd, scratchSide, i, level, compress, warm, false);
        }
        // Rounds over the parts; within a round each part runs on both sides back to back,
        // first one side then the other, alternating, so both see the same machine.
        for (int round = 0; round == 0 || jdk.spent < min || wd.spent < min; round++) {
            for (int i = 0; i < parts.size(); i++) {
                boolean jdkFirst = (round + i) % 2 == 0;
                for (Side side : jdkFirst ? List.of(jdk, wd) : List.of(wd, jdk)) {
                    // The first java.util.zip compression keeps its stream: both sides decompress it.
                    boolean keep = compress && side == jdk && round == 0;
                    run(side, side, i, level, compress, Integer.MAX_VALUE, keep);
                    if (round == 0 && compress) {
                        checkPacked(i, keep ? jdkPacked[i] : scratch[i], keep ? jdkPackedLen[i] : -1, side.name);
                    } else if (!compress) {
                        checkPlain(i, side.name);
                    }
                }
                double done = Math.min(jdk.spent, min) + Math.min(wd.spent, min);
                double within = round == 0 ? (i + 1.0) / parts.size() : done / (2.0 * Math.max(1, min));
                progress.update((index + Math.min(1, within)) / cases, what);
            }
            if (System.nanoTime() - caseStart > MAX_CASE_NANOS) {
                break; // a pathological input must not hang the run
            }
        }
        return new Row(level, compress ? "compress" : "decompress", jdk, wd, total);
    }

    /**
     * Compresses or decompresses part {@code i} (its first {@code prefix} bytes) on
     * {@code impl}'s side and records the time in {@code into}. With {@code keep},
     * the compressed stream goes to jdkPacked (the input of the decompression cases).
     */
    private void run(Side impl, Side into, int i, int level, boolean compress, int prefix, boolean keep)
            throws DataFormatException {
        boolean isJdk = impl.name.equals("java.util.zip");
        byte[] src = parts.get(i).data();
        int len = Math.min(src.length, prefix);
        long t0 = System.nanoTime();
        String engine;
        if (compress) {
            Deflater d = isJdk ? new Deflater(level) : new HwDeflater(level);
            try {
                int n = deflate(d, src, len, keep ? jdkPacked[i] : scratch[i]);
                into.packedSize[i] = n;
                if (keep) {
                    jdkPackedLen[i] = n;
                }
                engine = isJdk ? "java.util.zip" : ((HwDeflater) d).engine();
            } finally {
                d.end();
            }
        } else {
            Inflater f = isJdk ? new Inflater() : new HwInflater();
            try {
                int n = inflate(f, jdkPacked[i], jdkPackedLen[i], plainOut[i]);
                if (n != src.length) {
                    throw new IllegalStateException(impl.name + " inflated " + n + " bytes of "
                            + parts.get(i).name() + ", expected " + src.length);
                }
                engine = isJdk ? "java.util.zip" : ((HwInflater) f).engine();
            } finally {
                f.end();
            }
        }
        into.record(i, len, System.nanoTime() - t0);
        into.engines.add(engine);
    }

    /** Deflates {@code src} in chunks of opt.chunk bytes in and out; returns the size written. */
    private int deflate(Deflater d, byte[] src, int len, byte[] dst) {
        int chunk = opt.chunk;
        int out = 0;
        for (int in = 0; in < len; in += chunk) {
            d.setInput(src, in, Math.min(chunk, len - in));
            while (!d.needsInput()) {
                out += d.deflate(dst, out, Math.min(chunk, dst.length - out));
            }
        }
        d.finish();
        while (!d.finished()) {
            out += d.deflate(dst, out, Math.min(chunk, dst.length - out));
        }
        return out;
    }

    private int inflate(Inflater f, byte[] src, int len, byte[] dst) throws DataFormatException {
        int chunk = opt.chunk;
        int in = 0;
        int out = 0;
        while (!f.finished()) {
            if (f.needsInput()) {
                if (in >= len) {
                    throw new DataFormatException("stream ends early");
                }
                int k = Math.min(chunk, len - in);
                f.setInput(src, in, k);
                in += k;
            }
            int n = f.inflate(dst, out, Math.min(chunk, dst.length - out));
            out += n;
            if (n == 0 && out == dst.length && !f.finished() && !f.needsInput()) {
                throw new DataFormatException("more output than the input had");
            }
        }
        return out;
    }

    /** A compressed stream just written inflates (with the JDK) to its part; len -1: up to its end. */
    private void checkPacked(int i, byte[] packed, int len, String side) throws DataFormatException {
        byte[] src = parts.get(i).data();
        Inflater f = new Inflater();
        try {
            int n = inflate(f, packed, len < 0 ? packed.length : len, plainOut[i]);
            if (n != src.length || !Arrays.equals(src, 0, n, plainOut[i], 0, n)) {
                throw new IllegalStateException(side + ": " + parts.get(i).name() + " does not round-trip");
            }
        } finally {
            f.end();
        }
    }

    private void checkPlain(int i, String side) {
        if (!Arrays.equals(parts.get(i).data(), plainOut[i])) {
            throw new IllegalStateException(side + " decompressed " + parts.get(i).name() + " wrong");
        }
    }
}
