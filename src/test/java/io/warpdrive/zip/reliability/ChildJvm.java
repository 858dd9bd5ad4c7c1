package io.warpdrive.zip.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a probe's {@code main} in a child JVM on the test class path. The
 * native library reads its configuration (emulated device, fault rates,
 * timeouts) once, when it loads, so each configuration needs its own JVM.
 * Probes print {@code key=value} lines; {@link Result#get} reads them.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /** What a child printed and how it ended. */
    static final class Result {
        final int exit;
        final String out;
        final Map<String, String> values = new HashMap<>();

        Result(int exit, String out) {
            this.exit = exit;
            this.out = out;
            for (String line : out.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).indexOf(' ') < 0) {
                    values.putIfAbsent(line.substring(0, eq), line.substring(eq + 1).strip());
                }
            }
        }

        /** The value printed as {@code key=value}; fails the test when absent. */
        long get(String key) {
            String v = values.get(key);
            if (v == null) {
                fail("child printed no " + key + ":\n" + out);
            }
            return Long.parseLong(v);
        }

        /** Fails with the child's output unless it exited with 0. */
        Result assertOk() {
            assertEquals(0, exit, () -> "child JVM failed:\n" + out);
            return this;
        }
    }

    /**
     * Runs {@code main} with the given JVM options (e.g. {@code -Xmx64m},
     * {@code -Dwarpdrive.emulate=...}) and arguments; the environment's
     * WD_* settings are removed so only the options given here apply.
     * A child still running after {@code timeoutSeconds} is killed and the
     * test fails with what it printed.
     */
    static Result run(Class<?> main, List<String> jvmOptions, Map<String, String> env, long timeoutSeconds,
                      String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Xss2m");
        cmd.add("-Djava.util.logging.config.file=/dev/null");
        cmd.addAll(jvmOptions);
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("WD_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e + ")";
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            String printed;
            try {
                printed = out.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                printed = "(output unreadable: " + e + ")";
            }
            fail("child JVM " + main.getSimpleName() + " still running after " + timeoutSeconds + " s:\n"
                    + printed);
        }
        try {
            return new Result(p.exitValue(), out.get(30, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("cannot read the child's output", e);
        }
    }
}
