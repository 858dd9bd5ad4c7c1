package io.warpdrive.zip.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged {@code wdzip} ({@code java -jar warpdrive-zip-*-all.jar}) as a
 * user runs it, against the system's gzip and pigz. Runs on the software
 * engine and, in the compat-emulated execution, with {@code WD_EMULATE=hisi_zip:2}
 * in every child's environment.
 */
class WdzipIT {
    private static final String JAR = System.getProperty("wd.jar.all");
    private static final boolean EMULATED = "emulated".equals(System.getProperty("wd.test.mode"));

    @TempDir
    Path dir;

    record Run(int status, byte[] out, String err) {
        String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "status " + status + ", stderr: " + err + ", stdout " + out.length + " bytes";
        }
    }

    // ---- helpers -----------------------------------------------------------------------

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private Run wdzip(byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", JAR));
        cmd.addAll(List.of(args));
        return exec(cmd, stdin, Map.of());
    }

    private Run exec(List<String> cmd, byte[] stdin, Map<String, String> env) {
        assertTrue(JAR != null && Files.isRegularFile(Path.of(JAR)), "wd.jar.all: " + JAR);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().remove("WD_EMULATE");
        if (EMULATED) {
            pb.environment().put("WD_EMULATE", "hisi_zip:2");
        }
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            } catch (IOException e) {
                // the child did not read all of it
            }
            boolean done = p.waitFor(180, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            assertTrue(done, "timed out: " + cmd);
            return new Run(p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
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

    private static String need(String name) {
        return Tools.require(name);
    }

    /** Text-like data: words with noise, about 3:1. */
    static byte[] data(int n, long seed) {
        String[] words = {"the ", "gzip ", "member ", "pigz ", "block ", "deflate ", "of ", "and ", "\n", "42 "};
        Random r = new Random(seed);
        ByteArrayOutputStream b = new ByteArrayOutputStream(n + 16);
        while (b.size() < n) {
            if (r.nextInt(9) == 0) {
                b.write(r.nextInt(256));
            } else {
                b.writeBytes(words[r.nextInt(words.length)].getBytes(StandardCharsets.US_ASCII));
            }
        }
        return Arrays.copyOf(b.toByteArray(), n);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private List<String> tree() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted()
                    .collect(Collectors.toList());
        }
    }

    private void assertEngine(String err) {
        assertTrue(err.contains(EMULATED ? "[engine hisi_zip-" : "[engine software"), err);
    }

    // ---- interop -----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {1, 6, 9})
    void gzipAndPigzReadWhatWdzipWrites(int level) throws IOException {
        byte[] d = data(3_000_000, level);
        Files.write(dir.resolve("f"), d);
        Run r = wdzip(null, "-" + level, "-v", "f");
        assertEquals(0, r.status(), r.toString());
        assertEngine(r.err());
        assertEquals(List.of("f.gz"), tree());
        byte[] gz = Files.readAllBytes(dir.resolve("f.gz"));
        for (String t : new String[] {"gzip", "pigz"}) {
            Run back = exec(List.of(need(t), "-dc", "f.gz"), null, Map.of());
            assertEquals(0, back.status(), t + ": " + back);
            assertArrayEquals(d, back.out(), t);
            assertEquals(0, exec(List.of(need(t), "-t", "f.gz"), null, Map.of()).status(), t + " -t");
        }
        Run list = exec(List.of(need("gzip"), "-lN", "f.gz"), null, Map.of());
        assertTrue(list.outText().contains(" f\n") || list.outText().trim().endsWith(" f"), "stored name: " + list);
        Run cat = exec(List.of(need("gzip"), "-dc"), concat(gz, gz), Map.of());
        assertArrayEquals(concat(d, d), cat.out(), "gzip reads concatenated wdzip members");
    }

    @Test
    void wdzipReadsWhatGzipAndPigzWrite() throws IOException {
        byte[] d = data(2_500_000, 7);
        Map<String, List<String>> writers = new HashMap<>();
        writers.put("gzip-1", List.of(need("gzip"), "-1", "-c"));
        writers.put("gzip-9", List.of(need("gzip"), "-9", "-c"));
        writers.put("pigz", List.of(need("pigz"), "-c"));
        writers.put("pigz-independent", List.of(need("pigz"), "--independent", "-b", "128", "-c"));
        writers.put("pigz-11", List.of(need("pigz"), "-11", "-c"));
        writers.put("pigz-p1", List.of(need("pigz"), "-p", "1", "-c"));
        List<byte[]> all = new ArrayList<>();
        for (Map.Entry<String, List<String>> w : writers.entrySet()) {
            Run gz = exec(w.getValue(), d, Map.of());
            assertEquals(0, gz.status(), w.getKey() + ": " + gz);
            all.add(gz.out());
            Run back = wdzip(gz.out(), "-d");
            assertEquals(0, back.status(), w.getKey() + ": " + back);
            assertArrayEquals(d, back.out(), w.getKey());
        }
        Run cat = wdzip(concat(all.toArray(new byte[0][])), "-dc");
        assertEquals(0, cat.status(), cat.toString());
        byte[][] expect = new byte[all.size()][];
        Arrays.fill(expect, d);
        assertArrayEquals(concat(expect), cat.out(), "concatenated members of every writer");
    }

    @Test
    void filesWrittenByGzipDecompressInPlace() throws IOException {
        byte[] d = data(400_000, 8);
        Path f = dir.resolve("g");
        Files.write(f, d);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertEquals(0, exec(List.of(need("gzip"), "g"), null, Map.of()).status());
        Run r = wdzip(null, "-dv", "g.gz");
        assertEquals(0, r.status(), r.toString());
        assertEngine(r.err());
        assertEquals(List.of("g"), tree());
        assertArrayEquals(d, Files.readAllBytes(f));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void stdinToStdoutThroughTheJar() {
        byte[] d = data(1_000_000, 9);
        Run c = wdzip(d);
        assertEquals(0, c.status(), c.toString());
        assertEquals("", c.err());
        Run back = exec(List.of(need("pigz"), "-d"), c.out(), Map.of());
        assertArrayEquals(d, back.out());
        back = wdzip(c.out(), "-d", "-");
        assertEquals(0, back.status(), back.toString());
        assertArrayEquals(d, back.out());
    }

    // ---- gzip behaviour ---------------------------------------------------------------

    @Test
    void testFlagOnGoodDamagedAndPaddedFiles() throws IOException {
        byte[] gz = exec(List.of(need("gzip"), "-c"), data(500_000, 10), Map.of()).out();
        Files.write(dir.resolve("good.gz"), gz);
        Files.write(dir.resolve("short.gz"), Arrays.copyOf(gz, gz.length - 100));
        byte[] flipped = gz.clone();
        flipped[gz.length / 2] ^= 0x10;
        Files.write(dir.resolve("flipped.gz"), flipped);
        Files.write(dir.resolve("garbage.gz"), concat(gz, "xyz".getBytes(StandardCharsets.US_ASCII)));
        Files.write(dir.resolve("zeros.gz"), concat(gz, new byte[512]));
        for (String[] c : new String[][] {{"good.gz", "0"}, {"short.gz", "1"}, {"flipped.gz", "1"},
            {"garbage.gz", "2"}, {"zeros.gz", "0"}}) {
            Run ours = wdzip(null, "-t", c[0]);
            Run theirs = exec(List.of(need("gzip"), "-t", c[0]), null, Map.of());
            assertEquals(Integer.parseInt(c[1]), ours.status(), c[0] + ": " + ours);
            assertEquals(theirs.status(), ours.status(), c[0] + " as gzip: " + theirs);
        }
        assertEquals(List.of("flipped.gz", "garbage.gz", "good.gz", "short.gz", "zeros.gz"), tree());
    }

    @Test
    void recursiveOnATreeAgreesWithGzip() throws IOException {
        for (String f : new String[] {"t/a", "t/b/c", "t/b/d/e", "t/empty"}) {
            Files.createDirectories(dir.resolve(f).getParent());
            Files.write(dir.resolve(f), f.endsWith("empty") ? new byte[0] : data(100_000 + f.length(), f.length()));
        }
        Run r = wdzip(null, "-r", "t");
        assertEquals(0, r.status(), r.toString());
        assertEquals(List.of("t", "t/a.gz", "t/b", "t/b/c.gz", "t/b/d", "t/b/d/e.gz", "t/empty.gz"), tree());
        assertEquals(0, exec(List.of(need("gzip"), "-dr", "t"), null, Map.of()).status());
        assertEquals(List.of("t", "t/a", "t/b", "t/b/c", "t/b/d", "t/b/d/e", "t/empty"), tree());
        assertArrayEquals(data(100_000 + 5, 5), Files.readAllBytes(dir.resolve("t/b/c")));
        assertEquals(0, exec(List.of(need("gzip"), "-r", "t"), null, Map.of()).status());
        r = wdzip(null, "-dr", "t");
        assertEquals(0, r.status(), r.toString());
        assertArrayEquals(data(100_000 + 7, 7), Files.readAllBytes(dir.resolve("t/b/d/e")));
    }

    @Test
    void corruptInputLeavesNoPartialOutput() throws IOException {
        byte[] gz = exec(List.of(need("gzip"), "-c"), data(3_000_000, 11), Map.of()).out();
        byte[] bad = gz.clone();
        bad[gz.length * 3 / 4] ^= 0x21;
        Files.write(dir.resolve("bad.gz"), bad);
        Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        Run r = wdzip(null, "-d", "bad.gz", "cut.gz");
        assertEquals(1, r.status(), r.toString());
        assertEquals(List.of("bad.gz", "cut.gz"), tree());
    }

    @Test
    void unwritableDirectoryFailsCleanly() throws IOException {
        Path ro = dir.resolve("ro");
        Files.createDirectories(ro);
        Files.write(ro.resolve("f"), data(10_000, 12));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> cmd = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // root writes anywhere: run as nobody, who can read the jar and the input
            String setpriv = need("setpriv");
            assumeTrue(Files.isReadable(Path.of(JAR)), "jar readable");
            cmd.addAll(List.of(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        cmd.addAll(List.of(java(), "-jar", JAR, "ro/f"));
        try {
            Run r = exec(cmd, null, Map.of());
            assumeTrue(!r.err().contains("Unable to access jarfile"), "nobody cannot read the jar: " + r.err());
            assertEquals(1, r.status(), r.toString());
            assertTrue(r.err().contains("ro/f: Permission denied"), r.err());
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertEquals(List.of("ro", "ro/f"), tree());
    }

    @Test
    void compressedDataIsNotWrittenToATerminal() throws IOException {
        String script = need("script");
        Files.write(dir.resolve("f"), data(1000, 13));
        String q = "'" + java() + "' -jar '" + JAR + "' -c f";
        Run r = exec(List.of(script, "-qec", q, "/dev/null"), new byte[0], Map.of());
        assertEquals(1, r.status(), r.toString());
        assertTrue(new String(r.out(), StandardCharsets.UTF_8).contains("compressed data not written to a terminal"),
                new String(r.out(), StandardCharsets.UTF_8));
        r = exec(List.of(script, "-qec", q.replace(" -c f", " -cf f"), "/dev/null"), new byte[0], Map.of());
        assertEquals(0, r.status(), r.toString());
    }

    // ---- devices, bench, launcher -----------------------------------------------------

    @Test
    void devicesSaysWhatServes() {
        Run r = wdzip(null, "devices");
        assertEquals(0, r.status(), r.toString());
        String out = r.outText();
        if (EMULATED) {
            assertEquals(2, out.lines().filter(l -> l.matches("hisi_zip-[01] .* ready")).count(), out);
            assertTrue(out.contains("Streams are served by hisi_zip-0, hisi_zip-1."), out);
        } else {
            assertTrue(out.contains("No accelerator found"), out);
            assertTrue(out.contains("software engine"), out);
        }
        Run hidden = exec(List.of(java(), "-Dwarpdrive.library.path=/nonexistent/libwarpdrive.so", "-jar", JAR,
                "devices"), null, Map.of());
        assertEquals(0, hidden.status(), hidden.toString());
        assertTrue(hidden.outText().contains("Streams are served by java.util.zip because"), hidden.outText());
        assertEquals("", hidden.err(), "no log noise without -v");
    }

    @Test
    void benchRunsBothSidesAndNamesTheEngine() {
        Run r = wdzip(null, "bench", "--size", "2", "--time", "0.1", "-l", "1,6");
        assertEquals(0, r.status(), r.toString());
        String out = r.outText();
        assertEquals(4, out.lines().filter(l -> l.matches(" +[16]  (compress|decompress) .*MB/s.*MB/s.*x.*"
                + (EMULATED ? "hisi_zip-\\d.*" : "software"))).count(), out);
        assertEquals("", r.err());
    }

    @Test
    void launcherScriptRunsTheJarFromAnyDirectory() {
        Path root = Path.of(JAR).toAbsolutePath().getParent().getParent();
        Path launcher = root.resolve("wdzip");
        assumeTrue(Files.isExecutable(launcher), "no launcher beside the build");
        Run r = exec(List.of(launcher.toString(), "--version"), null, Map.of());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.outText().startsWith("wdzip (warpdrive-zip) "), r.outText());
        Run c = exec(List.of(launcher.toString(), "-c"), data(10_000, 14), Map.of());
        assertArrayEquals(data(10_000, 14), wdzip(c.out(), "-d").out());
    }

    @Test
    void versionAndHelp() {
        Run v = wdzip(null, "--version");
        assertEquals(0, v.status());
        assertFalse(v.outText().contains("development build"), "the jar knows its version: " + v.outText());
        Run h = wdzip(null, "--help");
        assertEquals(0, h.status());
        assertTrue(h.outText().contains("WD_EMULATE"), h.outText());
    }
}
