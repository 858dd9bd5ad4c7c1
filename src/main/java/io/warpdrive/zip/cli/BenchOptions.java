package io.warpdrive.zip.cli;

import java.util.ArrayList;
import java.util.List;

/** The flags of {@code wdzip bench}. */
final class BenchOptions {
    static final List<Integer> DEFAULT_LEVELS = List.of(1, 6, 9);
    static final long DEFAULT_SIZE_MB = 40;
    private static final long MAX_SIZE_MB = 1024;

    List<Integer> levels = DEFAULT_LEVELS;
    long sizeBytes = DEFAULT_SIZE_MB * 1_000_000;
    double seconds = 1.0;
    int chunk = 64 * 1024;
    boolean json;
    boolean quiet;
    boolean perFile;
    String writeCorpus;
    final List<String> files = new ArrayList<>();

    static BenchOptions parse(String[] args) throws Options.UsageException {
        BenchOptions o = new BenchOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "-l": case "--levels":
                    o.levels = levels(value != null ? value : arg(args, ++i, a));
                    break;
                case "--size":
                    o.sizeBytes = (long) (number(value != null ? value : arg(args, ++i, a), a, 0.001, MAX_SIZE_MB)
                            * 1_000_000);
                    break;
                case "--time":
                    o.seconds = number(value != null ? value : arg(args, ++i, a), a, 0, 600);
                    break;
                case "--chunk":
                    o.chunk = (int) number(value != null ? value : arg(args, ++i, a), a, 1, 65536) * 1024;
                    break;
                case "--json":
                    o.json = true;
                    break;
                case "--per-file":
                    o.perFile = true;
                    break;
                case "--write-corpus":
                    o.writeCorpus = value != null ? value : arg(args, ++i, a);
                    break;
                case "-q": case "--quiet":
                    o.quiet = true;
                    break;
                case "--":
                    for (i++; i < args.length; i++) {
                        o.files.add(args[i]);
                    }
                    break;
                default:
                    if (a.startsWith("-") && a.length() > 1) {
                        throw new Options.UsageException("unknown option '" + args[i] + "'");
                    }
                    o.files.add(args[i]);
            }
        }
        return o;
    }

    private static String arg(String[] args, int i, String flag) throws Options.UsageException {
        if (i >= args.length) {
            throw new Options.UsageException("option '" + flag + "' requires an argument");
        }
        return args[i];
    }

    private static double number(String s, String flag, double min, double max) throws Options.UsageException {
        try {
            double v = Double.parseDouble(s);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new Options.UsageException("option '" + flag + "': '" + s + "' is not a number from " + min
                + " to " + max);
    }

    /** "1,6,9", "1-9" or a mix; levels 0-9, in the order given, no repeats. */
    static List<Integer> levels(String s) throws Options.UsageException {
        List<Integer> out = new ArrayList<>();
        try {
            for (String part : s.split(",")) {
                String p = part.trim();
                int dash = p.indexOf('-', 1);
                int lo = Integer.parseInt(dash > 0 ? p.substring(0, dash) : p);
                int hi = dash > 0 ? Integer.parseInt(p.substring(dash + 1)) : lo;
                for (int l = lo; l <= hi; l++) {
                    if (l < 0 || l > 9) {
                        throw new NumberFormatException();
                    }
                    if (!out.contains(l)) {
                        out.add(l);
                    }
                }
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            out.clear();
        }
        if (out.isEmpty()) {
            throw new Options.UsageException("levels must be 0-9, e.g. 1,6,9 or 1-9; got '" + s + "'");
        }
        return out;
    }
}
