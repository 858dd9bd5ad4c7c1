package io.warpdrive.zip.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs wdzip in this JVM (fast) or as a child JVM on the test classpath (the real thing). */
final class Cli {
    private Cli() {
    }

    /** What one run left: exit status, stdout bytes, stderr text. */
    record Result(int status, byte[] out, String err) {
        String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "status " + status + ", stderr: " + err + ", stdout: "
                    + (out.length > 2000 ? out.length + " bytes" : outText());
        }
    }

    static Result run(String... args) {
        return run(new byte[0], false, false, args);
    }

    static Result run(byte[] stdin, String... args) {
        return run(stdin, false, false, args);
    }

    /** In this JVM, with stdin/stdout posing as terminals when asked. */
    static Result run(byte[] stdin, boolean inTty, boolean outTty, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errPs = new PrintStream(err, true, StandardCharsets.UTF_8);
        int status = Wdzip.run(args, new Io(new ByteArrayInputStream(stdin), out, errPs, inTty, outTty, false));
        errPs.flush();
        return new Result(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * In a child JVM on this test classpath, with {@code env} added to the
     * environment (a null value removes a variable). Of this run's settings only
     * a hidden native library is passed on; a child is emulated when its env says so.
     */
    static Result process(Path cwd, Map<String, String> env, byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        String lib = System.getProperty("warpdrive.library.path");
        if (lib != null) {
            cmd.add("-Dwarpdrive.library.path=" + lib);
        }
        cmd.add(Wdzip.class.getName());
        cmd.addAll(List.of(args));
        return exec(cmd, cwd, env, stdin);
    }

    /** Runs a command, feeding stdin and collecting both outputs; fails the test after two minutes. */
    static Result exec(List<String> cmd, Path cwd, Map<String, String> env, byte[] stdin) {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd == null ? null : cwd.toFile());
        pb.environment().remove("WD_EMULATE");
        if (env != null) {
            env.forEach((k, v) -> {
                if (v == null) {
                    pb.environment().remove(k);
                } else {
                    pb.environment().put(k, v);
                }
            });
        }
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin == null ? new byte[0] : stdin);
            } catch (IOException e) {
                // the child may exit without reading its input
            }
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            assertTrue(done, "timed out: " + cmd);
            return new Result(p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The system tool's path, or null when it is not installed. */
    static String which(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            File f = new File(dir, tool);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }
}
