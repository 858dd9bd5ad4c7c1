package io.warpdrive.zip.cli;

import io.warpdrive.zip.WarpDrive;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints the bench's results: a table for people, or JSON with {@code --json}. */
final class BenchReport {
    private BenchReport() {
    }

    static void print(PrintStream out, BenchOptions opt, List<BenchCorpus.Part> parts, List<Bench.Row> rows) {
        if (opt.json) {
            json(out, opt, parts, rows);
        } else {
            table(out, opt, parts, rows);
        }
    }

    private static String corpus(BenchOptions opt, List<BenchCorpus.Part> parts) {
        StringBuilder sb = new StringBuilder(opt.files.isEmpty() ? "generated corpus" : "files");
        long total = parts.stream().mapToLong(p -> p.data().length).sum();
        sb.append(String.format(Locale.ROOT, " %.1f MB (", total / 1e6));
        for (int i = 0; i < parts.size(); i++) {
            BenchCorpus.Part p = parts.get(i);
            sb.append(i == 0 ? "" : ", ").append(p.name())
                    .append(String.format(Locale.ROOT, " %.1f", p.data().length / 1e6));
        }
        return sb.append(")").toString();
    }

    private static String machine() {
        return String.format(Locale.ROOT, "%d CPUs, Java %s, %s %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    private static String nativeLine() {
        return WarpDrive.nativeAvailable() ? "native library " + WarpDrive.nativeVersion()
                : "native library unavailable: " + WarpDrive.nativeUnavailableReason();
    }

    private static void table(PrintStream out, BenchOptions opt, List<BenchCorpus.Part> parts,
                              List<Bench.Row> rows) {
        out.println("wdzip bench: " + corpus(opt, parts));
        out.printf(Locale.ROOT, "%d KiB chunks through the byte[] API, >= %.1f s per side and case; %s; %s%n",
                opt.chunk / 1024, opt.seconds, machine(), nativeLine());
        out.println();
        List<String[]> t = new ArrayList<>();
        t.add(new String[] {"level", "direction", "java.util.zip", "warpdrive-zip", "speed", "ratio jdk",
            "ratio wd", "size wd/jdk", "engine"});
        for (Bench.Row r : rows) {
            boolean c = r.direction().equals("compress");
            t.add(new String[] {Integer.toString(r.level()), r.direction(),
                String.format(Locale.ROOT, "%.1f MB/s", r.jdk().mbPerSecond()),
                String.format(Locale.ROOT, "%.1f MB/s", r.wd().mbPerSecond()),
                String.format(Locale.ROOT, "%.2fx", speed(r)),
                c ? String.format(Locale.ROOT, "%.3f", ratio(r.plain(), r.jdk().packed())) : "-",
                c ? String.format(Locale.ROOT, "%.3f", ratio(r.plain(), r.wd().packed())) : "-",
                c ? String.format(Locale.ROOT, "%.3f", size(r)) : "-",
                String.join("+", r.wd().engines)});
        }
        aligned(out, t);
        if (opt.perFile) {
            out.println();
            perFile(out, parts, rows);
        }
        out.println();
        out.println("MB/s: 10^6 uncompressed bytes per second. speed: warpdrive-zip / java.util.zip."
                + " ratio: uncompressed / compressed.");
        out.println("size: warpdrive-zip's compressed size / java.util.zip's. Both sides decompress the"
                + " stream java.util.zip wrote at that level.");
    }

    private static void perFile(PrintStream out, List<BenchCorpus.Part> parts, List<Bench.Row> rows) {
        List<String[]> t = new ArrayList<>();
        t.add(new String[] {"level", "direction", "input", "java.util.zip", "warpdrive-zip", "speed", "ratio jdk",
            "ratio wd", "size wd/jdk", "engine"});
        for (Bench.Row r : rows) {
            boolean c = r.direction().equals("compress");
            for (int i = 0; i < parts.size(); i++) {
                long plain = parts.get(i).data().length;
                long jp = r.jdk().packedSize[i];
                long wp = r.wd().packedSize[i];
                double js = r.jdk().mbPerSecond(i);
                t.add(new String[] {Integer.toString(r.level()), r.direction(), parts.get(i).name(),
                    String.format(Locale.ROOT, "%.1f MB/s", js),
                    String.format(Locale.ROOT, "%.1f MB/s", r.wd().mbPerSecond(i)),
                    String.format(Locale.ROOT, "%.2fx", js == 0 ? 0 : r.wd().mbPerSecond(i) / js),
                    c ? String.format(Locale.ROOT, "%.3f", ratio(plain, jp)) : "-",
                    c ? String.format(Locale.ROOT, "%.3f", ratio(plain, wp)) : "-",
                    c ? String.format(Locale.ROOT, "%.3f", jp == 0 ? 0 : (double) wp / jp) : "-",
                    String.join("+", r.wd().engines)});
            }
        }
        aligned(out, t);
    }

    /** Numbers right-aligned, words left-aligned. */
    private static void aligned(PrintStream out, List<String[]> t) {
        int cols = t.get(0).length;
        int[] w = new int[cols];
        for (String[] r : t) {
            for (int c = 0; c < cols; c++) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        for (String[] r : t) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                boolean left = t.get(0)[c].equals("direction") || t.get(0)[c].equals("input") || c == cols - 1;
                sb.append(String.format(Locale.ROOT, "%" + (left ? "-" : "") + w[c] + "s", r[c]));
                sb.append(c == cols - 1 ? "" : "  ");
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    static double speed(Bench.Row r) {
        return r.jdk().mbPerSecond() == 0 ? 0 : r.wd().mbPerSecond() / r.jdk().mbPerSecond();
    }

    static double ratio(long plain, long packed) {
        return packed == 0 ? 0 : (double) plain / packed;
    }

    static double size(Bench.Row r) {
        return r.jdk().packed() == 0 ? 0 : (double) r.wd().packed() / r.jdk().packed();
    }

    private static void json(PrintStream out, BenchOptions opt, List<BenchCorpus.Part> parts,
                             List<Bench.Row> rows) {
        StringBuilder sb = new StringBuilder("{\n  \"corpus\": [");
        for (int i = 0; i < parts.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append("{\"name\": ").append(quote(parts.get(i).name()))
                    .append(", \"bytes\": ").append(parts.get(i).data().length).append('}');
        }
        sb.append("],\n  \"generated\": ").append(opt.files.isEmpty())
                .append(",\n  \"chunk\": ").append(opt.chunk)
                .append(",\n  \"minSeconds\": ").append(opt.seconds)
                .append(",\n  \"cpus\": ").append(Runtime.getRuntime().availableProcessors())
                .append(",\n  \"java\": ").append(quote(System.getProperty("java.version")))
                .append(",\n  \"nativeAvailable\": ").append(WarpDrive.nativeAvailable())
                .append(",\n  \"results\": [");
        for (int i = 0; i < rows.size(); i++) {
            Bench.Row r = rows.get(i);
            boolean c = r.direction().equals("compress");
            sb.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                    "    {\"level\": %d, \"direction\": \"%s\", \"bytes\": %d, \"jdkMBps\": %.2f, \"wdMBps\": %.2f,"
                            + " \"speed\": %.4f, \"jdkCompressed\": %d, \"wdCompressed\": %d, \"engine\": %s}",
                    r.level(), r.direction(), r.plain(), r.jdk().mbPerSecond(), r.wd().mbPerSecond(), speed(r),
                    c ? r.jdk().packed() : -1, c ? r.wd().packed() : -1,
                    quote(String.join("+", r.wd().engines))));
        }
        sb.append("\n  ]\n}");
        out.println(sb);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                sb.append('\\').append(ch);
            } else if (ch < 0x20) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.append('"').toString();
    }
}
