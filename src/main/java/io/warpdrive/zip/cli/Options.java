package io.warpdrive.zip.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The gzip-style flags of {@code wdzip [OPTION]... [FILE]...}, parsed the way
 * gzip parses them: short flags may be grouped ({@code -dc9}), the last
 * level wins, {@code --} ends the options and a lone {@code -} is stdin.
 */
final class Options {
    /** gzip's default level. */
    static final int DEFAULT_LEVEL = 6;

    int level = DEFAULT_LEVEL;
    boolean toStdout;
    boolean decompress;
    boolean test;
    boolean keep;
    boolean force;
    boolean recursive;
    boolean quiet;
    int verbose;
    /** -N (true), -n (false), or neither (null: gzip's default for the direction). */
    Boolean name;
    String suffix = ".gz";
    boolean help;
    boolean version;
    final List<String> files = new ArrayList<>();

    /** Thrown for a flag wdzip does not know or a missing argument; exit status 1. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static Options parse(String[] args) throws UsageException {
        Options o = new Options();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (optionsEnded || a.equals("-") || !a.startsWith("-")) {
                o.files.add(a);
            } else if (a.equals("--")) {
                optionsEnded = true;
            } else if (a.startsWith("--")) {
                i = o.longOption(a, args, i);
            } else {
                i = o.shortOptions(a, args, i);
            }
        }
        if (o.suffix.isEmpty() || o.suffix.contains("/")) {
            throw new UsageException("invalid suffix '" + o.suffix + "'");
        }
        return o;
    }

    /** Whether the run writes no file: -c, -t, or stdin to stdout. */
    boolean writesStdout() {
        return toStdout || files.isEmpty();
    }

    private int shortOptions(String a, String[] args, int i) throws UsageException {
        for (int k = 1; k < a.length(); k++) {
            char c = a.charAt(k);
            if (c >= '1' && c <= '9') {
                level = c - '0';
                continue;
            }
            switch (c) {
                case 'c': toStdout = true; break;
                case 'd': decompress = true; break;
                case 't': test = true; break;
                case 'k': keep = true; break;
                case 'f': force = true; break;
                case 'r': recursive = true; break;
                case 'q': quiet = true; verbose = 0; break;
                case 'v': verbose++; quiet = false; break;
                case 'n': name = false; break;
                case 'N': name = true; break;
                case 'h': help = true; break;
                case 'V': version = true; break;
                case 'S':
                    if (k + 1 < a.length()) {
                        suffix = a.substring(k + 1);
                        return i;
                    }
                    if (i + 1 >= args.length) {
                        throw new UsageException("option requires an argument -- 'S'");
                    }
                    suffix = args[i + 1];
                    return i + 1;
                default:
                    throw new UsageException("invalid option -- '" + c + "'");
            }
        }
        return i;
    }

    private int longOption(String a, String[] args, int i) throws UsageException {
        String key = a;
        String value = null;
        int eq = a.indexOf('=');
        if (eq > 0) {
            key = a.substring(0, eq);
            value = a.substring(eq + 1);
        }
        switch (key) {
            case "--stdout": case "--to-stdout": toStdout = true; break;
            case "--decompress": case "--uncompress": decompress = true; break;
            case "--test": test = true; break;
            case "--keep": keep = true; break;
            case "--force": force = true; break;
            case "--recursive": recursive = true; break;
            case "--quiet": case "--silent": quiet = true; verbose = 0; break;
            case "--verbose": verbose++; quiet = false; break;
            case "--name": name = true; break;
            case "--no-name": name = false; break;
            case "--fast": level = 1; break;
            case "--best": level = 9; break;
            case "--help": help = true; break;
            case "--version": version = true; break;
            case "--suffix":
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException("option '--suffix' requires an argument");
                    }
                    value = args[++i];
                }
                suffix = value;
                return i;
            default:
                throw new UsageException("unrecognized option '" + a + "'");
        }
        if (value != null) {
            throw new UsageException("option '" + key + "' doesn't allow an argument");
        }
        return i;
    }
}
