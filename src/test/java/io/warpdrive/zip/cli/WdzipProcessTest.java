package io.warpdrive.zip.cli;

import io.warpdrive.zip.Mode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wdzip as a process (a child JVM on the test classpath): pipes, exit codes, signals, the system gzip. */
class WdzipProcessTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void pipesRoundTripAndTheSystemGzipAgrees() throws IOException {
        byte[] d = GzipCodecTest.data(1_500_000, 1);
        Cli.Result c = Cli.process(dir, null, d, "-9");
        assertEquals(0, c.status(), c.toString());
        assertEquals("", c.err());
        Cli.Result back = Cli.process(dir, null, c.out(), "-d");
        assertEquals(0, back.status(), back.toString());
        assertArrayEquals(d, back.out());
        String gzip = Cli.which("gzip");
        assumeTrue(gzip != null, "no gzip installed");
        Cli.Result sys = Cli.exec(List.of(gzip, "-dc"), dir, null, c.out());
        assertEquals(0, sys.status(), sys.toString());
        assertArrayEquals(d, sys.out());
        Cli.Result theirs = Cli.exec(List.of(gzip, "-c"), dir, null, d);
        back = Cli.process(dir, null, GzipCodecTest.concat(theirs.out(), c.out()), "-dc");
        assertEquals(0, back.status(), back.toString());
        assertArrayEquals(GzipCodecTest.concat(d, d), back.out());
    }

    @Test
    void exitCodesAndNoLeftoversOnErrors() throws IOException {
        byte[] gz = Cli.run(GzipCodecTest.data(800_000, 2)).out();
        Files.write(dir.resolve("ok.gz"), gz);
        Files.write(dir.resolve("junk.gz"), GzipCodecTest.concat(gz, "junk".getBytes()));
        byte[] bad = gz.clone();
        bad[bad.length / 3] ^= 0x7f;
        Files.write(dir.resolve("bad.gz"), bad);
        assertEquals(0, Cli.process(dir, null, null, "-t", "ok.gz").status());
        Cli.Result r = Cli.process(dir, null, null, "-dk", "junk.gz");
        assertEquals(2, r.status(), r.toString());
        r = Cli.process(dir, null, null, "-d", "bad.gz");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().startsWith("wdzip: bad.gz: invalid compressed data--"), r.err());
        assertEquals(List.of("bad.gz", "junk", "junk.gz", "ok.gz"), names());
    }

    @Test
    void anInterruptedRunLeavesNoTemporaryFile() throws Exception {
        assumeTrue(!Mode.emulated(), "one run is enough");
        Path big = dir.resolve("big");
        byte[] block = new byte[1 << 20];
        Random rnd = new Random(5);
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; i < 80; i++) {
                rnd.nextBytes(block);
                out.write(block);
            }
        }
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Wdzip.class.getName(), "-9", "big");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && names().stream().noneMatch(n -> n.endsWith(".wdzip-tmp"))) {
            Thread.sleep(20);
        }
        assertTrue(names().stream().anyMatch(n -> n.endsWith(".wdzip-tmp")), "the temporary file appeared: " + names());
        p.destroy(); // SIGTERM, as kill or Ctrl-C would
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(List.of("big"), names(), "only the input is left");
    }

    @Test
    void aClosedPipeEndsTheRunQuietly() throws Exception {
        Path big = dir.resolve("big");
        Files.write(big, GzipCodecTest.data(20_000_000, 6));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Wdzip.class.getName(), "-c1", "big", "big");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).start();
        byte[] head = p.getInputStream().readNBytes(10); // like `wdzip -c big | head -c 10`
        p.getInputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(10, head.length);
        assertEquals(1, p.exitValue());
        assertEquals("", new String(p.getErrorStream().readAllBytes()), "no message, as gzip dies of SIGPIPE");
        assertEquals(List.of("big"), names());
    }

    @Test
    void devicesInASoftwareAndAnEmulatedChild() {
        Cli.Result sw = Cli.process(dir, null, null, "devices");
        Cli.Result emu = Cli.process(dir, Map.of("WD_EMULATE", "hisi_zip:2"), null, "devices");
        assertEquals(0, sw.status(), sw.toString());
        assertEquals(0, emu.status(), emu.toString());
        if (Mode.noNative()) {
            assertTrue(sw.outText().contains("java.util.zip because"), sw.outText());
            assertTrue(emu.outText().contains("java.util.zip because"), emu.outText());
            return;
        }
        assertTrue(sw.outText().contains("No accelerator found"), sw.outText());
        assertTrue(sw.outText().contains("software engine"), sw.outText());
        long devices = Arrays.stream(emu.outText().split("\n")).filter(l -> l.startsWith("hisi_zip-")).count();
        assertEquals(2, devices, emu.outText());
        assertFalse(emu.outText().contains("No accelerator"), emu.outText());
    }

    @Test
    void anEmulatedChildSaysSoInVerboseOutput() throws IOException {
        Files.write(dir.resolve("f"), GzipCodecTest.data(400_000, 3));
        Cli.Result r = Cli.process(dir, Map.of("WD_EMULATE", "hisi_zip:2"), null, "-v", "f");
        assertEquals(0, r.status(), r.toString());
        assertTrue(java.util.regex.Pattern.compile("(?m)^f:\\t +\\d+\\.\\d% -- replaced with f\\.gz  \\[engine "
                + (Mode.noNative() ? "java\\.util\\.zip" : "hisi_zip-\\d") + ", \\d+\\.\\d MB/s\\]$")
                .matcher(r.err()).find(), r.err());
    }
}
