package io.warpdrive.zip.compat;

import static org.junit.jupiter.api.Assertions.fail;

import io.warpdrive.zip.compat.Corpus.Flush;
import io.warpdrive.zip.compat.Corpus.Input;
import io.warpdrive.zip.compat.Interop.Format;
import io.warpdrive.zip.compat.Interop.Product;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The packaged wdzip as a writer and a reader of the interop matrices. A
 * JVM start costs half a second, so each run handles many files at once
 * (one per level when compressing, one for every product when
 * decompressing); {@code -v} tells which engine served each file.
 */
final class Cli {
    /** {@code -v}'s line per file: {@code name:\t 71.2% -- created name.gz  [engine hisi_zip-0, 16.5 MB/s]}. */
    private static final Pattern VERBOSE = Pattern.compile("(?m)^(\\S+):\\s.*\\[engine ([^,\\]]+)");

    private Cli() {
    }

    /** What one wdzip run left for one file: the output (or null) and, from {@code -v}, the engine. */
    record Outcome(byte[] bytes, String engine, String problem) {
    }

    /** wdzip -k -v -LEVEL on every corpus input, one run per level. */
    static List<Product> compress(Path dir) throws IOException, InterruptedException {
        List<Product> out = new ArrayList<>();
        for (int level : Corpus.LEVELS) {
            Path d = Files.createDirectories(dir.resolve("level" + level));
            List<String> args = new ArrayList<>(List.of("-k", "-v", "-" + level));
            for (Input in : Corpus.inputs()) {
                Files.write(d.resolve(in.name()), in.data());
                args.add(in.name());
            }
            Map<String, Outcome> got = run(d, args, ".gz");
            for (Input in : Corpus.inputs()) {
                Outcome o = got.get(in.name());
                Throwable err = o.bytes == null ? new AssertionError("wdzip -" + level + ": " + o.problem) : null;
                out.add(new Product("wdzip", Format.GZIP, in, level, Flush.NONE, o.bytes, o.engine, err));
            }
        }
        return out;
    }

    /** wdzip -d -k -v on every file (named like {@code p12.gz}); the outcome per file name. */
    static Map<String, Outcome> decompress(Path dir, List<String> files) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-d", "-k", "-v"));
        args.addAll(files);
        return run(dir, args, null);
    }

    /**
     * Runs wdzip in {@code dir} on the files at the end of {@code args}; each
     * output is the file name plus {@code suffix}, or minus {@code .gz} when
     * {@code suffix} is null.
     */
    private static Map<String, Outcome> run(Path dir, List<String> args, String suffix)
            throws IOException, InterruptedException {
        Tools.Result r = Tools.wdzip(dir, args.toArray(String[]::new));
        Map<String, String> engines = new HashMap<>();
        Matcher m = VERBOSE.matcher(r.err());
        while (m.find()) {
            engines.put(m.group(1), m.group(2));
        }
        Map<String, Outcome> out = new HashMap<>();
        for (String name : args) {
            if (name.startsWith("-")) {
                continue;
            }
            Path result = dir.resolve(suffix != null ? name + suffix : name.substring(0, name.length() - 3));
            if (Files.exists(result)) {
                out.put(name, new Outcome(Files.readAllBytes(result), engines.get(name), null));
            } else {
                String said = r.err().lines().filter(l -> l.contains(name)).collect(Collectors.joining("\n"));
                out.put(name, new Outcome(null, null, "wdzip left no output for " + name + " (exit " + r.status()
                        + "; it said: " + (said.isEmpty() ? r.err().strip() : said) + ")"));
            }
        }
        if (r.status() != 0 && out.values().stream().allMatch(o -> o.bytes != null)) {
            fail("wdzip " + String.join(" ", args.subList(0, Math.min(args.size(), 4))) + "... : " + r);
        }
        return out;
    }
}
