package io.warpdrive.zip.compat;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The external programs the compat tests talk to, found on {@code PATH} and
 * run with files for input and output (no pipes to drain, no deadlocks).
 *
 * <p>CI installs every one of them ({@code .ci/run}), so a missing tool
 * fails the test with a message saying what to install. Only
 * {@code -Dwd.compat.allowMissingTools=true} turns that failure into a
 * skip, for a machine where a tool cannot be installed.
 */
final class Tools {
    /** System property that turns a missing tool from a failure into a skipped test. */
    static final String ALLOW_MISSING = "wd.compat.allowMissingTools";

    /** Debian package of each tool, for the failure message. */
    private static final Map<String, String> PACKAGES = Map.of("gzip", "gzip", "pigz", "pigz", "unzip", "unzip",
            "zip", "zip", "zlib-flate", "qpdf", "python3", "python3", "setpriv", "util-linux", "script", "bsdutils");

    private static final long TIMEOUT_SECONDS = 180;

    /** Whether the current test run is the emulated-device execution. */
    static final boolean EMULATED = "emulated".equals(System.getProperty("wd.test.mode"));

    private Tools() {
    }

    /** The tool's path; fails (or, when allowed, skips) the calling test when it is not installed. */
    static String require(String name) {
        String path = find(name);
        if (path == null) {
            String msg = name + " is not on PATH: install it (apt-get install " + PACKAGES.getOrDefault(name, name)
                    + "; .ci/run does) or run with -D" + ALLOW_MISSING + "=true to skip the checks that need it";
            if (Boolean.getBoolean(ALLOW_MISSING)) {
                Assumptions.abort(msg);
            }
            fail(msg);
        }
        return path;
    }

    static String find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.isFile() && f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    /** The java launcher of the JDK running the tests. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** What a finished process left: its exit status, standard output and standard error. */
    record Result(int status, byte[] out, String err) {
        @Override
        public String toString() {
            return "exit " + status + ", " + out.length + " bytes out, stderr: " + err.strip();
        }
    }

    /**
     * Runs {@code cmd} in {@code dir} with {@code stdin} (a file, or null for
     * none) and, in the emulated mode, {@code WD_EMULATE=hisi_zip:2} in its
     * environment (our CLI reads it; other tools ignore it).
     */
    static Result run(Path dir, Path stdin, List<String> cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "stdout", ".bin");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                : ProcessBuilder.Redirect.from(stdin.toFile()));
        pb.environment().remove("WD_EMULATE");
        if (EMULATED) {
            pb.environment().put("WD_EMULATE", "hisi_zip:2");
        }
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " timed out after " + TIMEOUT_SECONDS + " s");
        }
        Result r = new Result(p.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** {@link #run} with the first word resolved by {@link #require}. */
    static Result tool(Path dir, Path stdin, String... cmd) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of(cmd));
        c.set(0, require(cmd[0]));
        return run(dir, stdin, c);
    }

    /** The packaged wdzip: {@code java -jar warpdrive-zip-*-all.jar args...}. */
    static Result wdzip(Path dir, String... args) throws IOException, InterruptedException {
        String jar = System.getProperty("wd.jar.all");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            fail("wd.jar.all does not name the packaged -all jar: " + jar + " (run through mvn verify)");
        }
        List<String> c = new ArrayList<>(List.of(java(), "-jar", jar));
        c.addAll(List.of(args));
        return run(dir, null, c);
    }
}
