package io.warpdrive.zip.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The benchmark input: an equal share of every file of the corpus made by
 * benchmarks/make-corpus (directory from -Dcorpus.dir, default
 * benchmarks/corpus), so one measurement sees text, source, binaries,
 * XML/JSON and already-compressed data in proportion.
 */
final class Corpus {
    private Corpus() {
    }

    /** Default size of the mixed input, in bytes. */
    static final int DEFAULT_SIZE = 8_000_000;

    static byte[] load(int size) {
        Path dir = Path.of(System.getProperty("corpus.dir", "benchmarks/corpus"));
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("no corpus in " + dir.toAbsolutePath()
                    + ": run benchmarks/make-corpus (or set -Dcorpus.dir)", e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("corpus directory " + dir + " is empty: run benchmarks/make-corpus");
        }
        byte[] out = new byte[size];
        int share = size / files.size();
        int pos = 0;
        try {
            for (int i = 0; i < files.size(); i++) {
                byte[] f = Files.readAllBytes(files.get(i));
                int want = i == files.size() - 1 ? size - pos : share;
                for (int k = 0; k < want; k += f.length) {
                    System.arraycopy(f, 0, out, pos + k, Math.min(f.length, want - k));
                }
                pos += want;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
