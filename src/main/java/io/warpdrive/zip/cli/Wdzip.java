package io.warpdrive.zip.cli;

import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code wdzip}: a gzip-compatible command line on warpdrive-zip, with two
 * subcommands of its own, {@code devices} and {@code bench}. Run it with
 * {@code java -jar warpdrive-zip-<version>-all.jar} or the {@code wdzip}
 * script at the root of the source tree; {@code wdzip --help} lists every
 * flag and setting. Exit status as gzip's: 0 ok, 1 error, 2 warning.
 */
public final class Wdzip {
    /** Held so the level set on it survives garbage collection. */
    private static final Logger LIBRARY_LOG = Logger.getLogger("io.warpdrive.zip");

    private Wdzip() {
    }

    /** Runs wdzip with the process's standard streams and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, Io.system()));
    }

    /** Runs wdzip on the given streams and returns the exit status. */
    static int run(String[] args, Io io) {
        boolean verbose = Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose");
        // The library logs once that it fell back to java.util.zip; a gzip drop-in keeps stderr
        // for gzip's messages and says so only when asked (-v, devices, --version).
        LIBRARY_LOG.setLevel(verbose ? Level.INFO : Level.OFF);
        try {
            if (args.length > 0 && args[0].equals("devices")) {
                return Devices.run(Arrays.copyOfRange(args, 1, args.length), io);
            }
            if (args.length > 0 && args[0].equals("bench")) {
                return Bench.run(Arrays.copyOfRange(args, 1, args.length), io);
            }
            return gzip(args, io);
        } catch (RuntimeException e) {
            io.err.println(Reporter.PROGRAM + ": " + e);
            io.err.flush();
            return Reporter.ERROR;
        }
    }

    private static int gzip(String[] args, Io io) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (Options.UsageException e) {
            io.err.println(Reporter.PROGRAM + ": " + e.getMessage());
            io.err.println("Try '" + Reporter.PROGRAM + " --help' for more information.");
            io.err.flush();
            return Reporter.ERROR;
        }
        if (o.help || o.version) {
            io.text().print(o.help ? Usage.HELP : Usage.version());
            io.text().flush();
            return Reporter.OK;
        }
        Reporter rep = new Reporter(io.err, o.quiet);
        new GzipFiles(o, io, rep).run();
        return rep.status();
    }
}
