package io.warpdrive.zip.cli;

import io.warpdrive.zip.Mode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wdzip's gzip behaviour, run in this JVM on real files (the process tests are in WdzipProcessTest). */
class WdzipTest {
    private static final FileTime MTIME = FileTime.fromMillis(1_577_934_245_123L);

    @TempDir
    Path dir;

    private Path file(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        Files.setLastModifiedTime(p, MTIME);
        return p;
    }

    private static byte[] jdkGunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    /** Every name in the directory tree, relative, sorted; temporary files would show here. */
    private List<String> tree() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted()
                    .collect(Collectors.toList());
        }
    }

    @Test
    void compressesInPlaceKeepingModeAndTimesAndStoringNameAndMtime() throws IOException {
        byte[] d = GzipCodecTest.data(300_000, 1);
        Path a = file("a.txt", d);
        Files.setPosixFilePermissions(a, PosixFilePermissions.fromString("rw-r-----"));
        Cli.Result r = Cli.run(a.toString());
        assertEquals(0, r.status(), r.toString());
        assertEquals(List.of("a.txt.gz"), tree());
        Path gz = dir.resolve("a.txt.gz");
        byte[] packed = Files.readAllBytes(gz);
        assertArrayEquals(d, jdkGunzip(packed));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(gz)));
        assertEquals(MTIME, Files.getLastModifiedTime(gz));
        assertEquals(Gzip.FNAME, packed[3]);
        assertEquals(MTIME.toMillis() / 1000, Gzip.getLe32(packed, 4));
        assertEquals("a.txt\0", new String(packed, 10, 6, java.nio.charset.StandardCharsets.US_ASCII));

        r = Cli.run("-d", gz.toString());
        assertEquals(0, r.status(), r.toString());
        assertEquals(List.of("a.txt"), tree());
        assertArrayEquals(d, Files.readAllBytes(a));
        assertEquals(MTIME, Files.getLastModifiedTime(a));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(a)));
    }

    @Test
    void keepStdoutAndNoName() throws IOException {
        byte[] d = GzipCodecTest.data(5000, 2);
        Path a = file("a", d);
        Cli.Result r = Cli.run("-k", "-1", a.toString());
        assertEquals(0, r.status(), r.toString());
        assertEquals(List.of("a", "a.gz"), tree());
        assertEquals(Gzip.XFL_FAST, Files.readAllBytes(dir.resolve("a.gz"))[8]);

        r = Cli.run("-cn", a.toString());
        assertEquals(0, r.status(), r.toString());
        assertEquals(0, r.out()[3], "-n: no FNAME");
        assertEquals(0, Gzip.getLe32(r.out(), 4), "-n: no MTIME");
        assertArrayEquals(d, jdkGunzip(r.out()));
        assertEquals(List.of("a", "a.gz"), tree());

        r = Cli.run("-dc", dir.resolve("a.gz").toString());
        assertArrayEquals(d, r.out());
        assertEquals(List.of("a", "a.gz"), tree());
    }

    @Test
    void stdinToStdoutBothWays() throws IOException {
        byte[] d = GzipCodecTest.data(200_000, 3);
        Cli.Result r = Cli.run(d);
        assertEquals(0, r.status(), r.toString());
        assertArrayEquals(d, jdkGunzip(r.out()));
        Cli.Result back = Cli.run(r.out(), "-d");
        assertEquals(0, back.status(), back.toString());
        assertArrayEquals(d, back.out());
        back = Cli.run(r.out(), "-d", "-");
        assertArrayEquals(d, back.out());
        assertEquals(0, Cli.run(r.out(), "-t").status());
    }

    @Test
    void testReportsGoodBadAndGarbage() throws IOException {
        byte[] gz = Cli.run(GzipCodecTest.data(100_000, 4)).out();
        Path good = file("good.gz", gz);
        Path bad = file("bad.gz", Arrays.copyOf(gz, gz.length - 5));
        Path junk = file("junk.gz", GzipCodecTest.concat(gz, "junk".getBytes()));
        Cli.Result r = Cli.run("-tv", good.toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.err().contains("good.gz:\t OK"), r.err());
        r = Cli.run("-t", bad.toString());
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("bad.gz: unexpected end of file"), r.err());
        r = Cli.run("-t", junk.toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("junk.gz: decompression OK, trailing garbage ignored"), r.err());
        r = Cli.run("-t", bad.toString(), junk.toString());
        assertEquals(1, r.status(), "an error outranks a warning");
        assertEquals(List.of("bad.gz", "good.gz", "junk.gz"), tree(), "-t writes nothing");
    }

    @Test
    void corruptInputLeavesNoOutputAndKeepsTheInput() throws IOException {
        byte[] gz = Cli.run(GzipCodecTest.data(2_000_000, 5)).out();
        byte[] corrupt = gz.clone();
        corrupt[corrupt.length / 2] ^= 0x55;
        corrupt[corrupt.length / 2 + 1] ^= 0x55;
        file("c.gz", corrupt);
        file("t.gz", Arrays.copyOf(gz, gz.length * 3 / 4));
        Cli.Result r = Cli.run("-d", dir.resolve("c.gz").toString(), dir.resolve("t.gz").toString());
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("c.gz: invalid compressed data"), r.err());
        assertTrue(r.err().contains("t.gz: unexpected end of file"), r.err());
        assertEquals(List.of("c.gz", "t.gz"), tree());
    }

    @Test
    void trailingGarbageStillDecompressesWithAWarning() throws IOException {
        byte[] d = GzipCodecTest.data(1000, 6);
        byte[] gz = Cli.run(d).out();
        file("g.gz", GzipCodecTest.concat(gz, "trailing".getBytes()));
        Cli.Result r = Cli.run("-d", dir.resolve("g.gz").toString());
        assertEquals(2, r.status(), r.toString());
        assertEquals(List.of("g"), tree());
        assertArrayEquals(d, Files.readAllBytes(dir.resolve("g")));
        r = Cli.run("-dq", "-c", dir.resolve("g").toString());
        assertEquals(1, r.status(), "not gzip: an error even with -q");
    }

    @Test
    void existingOutputNeedsForce() throws IOException {
        Path a = file("a", GzipCodecTest.data(1000, 7));
        file("a.gz", new byte[] {1, 2, 3});
        Cli.Result r = Cli.run(a.toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("a.gz already exists;\tnot overwritten"), r.err());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dir.resolve("a.gz")));
        r = Cli.run("-f", a.toString());
        assertEquals(0, r.status(), r.toString());
        assertEquals(List.of("a.gz"), tree());
    }

    @Test
    void suffixesLinksAndDirectoriesAsGzip() throws IOException {
        Path a = file("a.gz", new byte[] {1});
        Cli.Result r = Cli.run(a.toString());
        assertEquals(0, r.status(), "gzip leaves the status alone here");
        assertTrue(r.err().contains("already has .gz suffix -- unchanged"), r.err());
        Path t = file("t", GzipCodecTest.data(100, 8));
        Files.createSymbolicLink(dir.resolve("s"), t);
        r = Cli.run(dir.resolve("s").toString());
        assertEquals(1, r.status(), r.toString());
        Files.createLink(dir.resolve("h"), t);
        r = Cli.run(t.toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("has 1 other link -- file ignored"), r.err());
        Files.createDirectories(dir.resolve("sub"));
        r = Cli.run(dir.resolve("sub").toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("is a directory -- ignored"), r.err());
        r = Cli.run(dir.resolve("missing").toString());
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("missing: No such file or directory"), r.err());
        r = Cli.run("-d", dir.resolve("t").toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("t: unknown suffix -- ignored"), r.err());
        assertEquals(List.of("a.gz", "h", "s", "sub", "t"), tree());
        r = Cli.run("-f", dir.resolve("s").toString());
        assertEquals(0, r.status(), "-f follows the link: " + r);
        assertTrue(Files.exists(dir.resolve("s.gz")));
    }

    @Test
    void recursiveCompressesAndDecompressesATree() throws IOException {
        byte[] x = GzipCodecTest.data(70_000, 9);
        file("r/x", x);
        file("r/deep/y", new byte[0]);
        file("r/deep/z.gz", Cli.run(x).out());
        Cli.Result r = Cli.run("-r", dir.resolve("r").toString());
        assertEquals(0, r.status(), r.toString());
        assertEquals(List.of("r", "r/deep", "r/deep/y.gz", "r/deep/z.gz", "r/x.gz"), tree());
        r = Cli.run("-dr", dir.resolve("r").toString());
        assertEquals(0, r.status(), r.toString());
        assertEquals(List.of("r", "r/deep", "r/deep/y", "r/deep/z", "r/x"), tree());
        assertArrayEquals(x, Files.readAllBytes(dir.resolve("r/x")));
        assertArrayEquals(x, Files.readAllBytes(dir.resolve("r/deep/z")));
    }

    @Test
    void recursiveWithForceFollowsLinksButNotRoundALoop() throws IOException {
        file("d/e/x", GzipCodecTest.data(1000, 12));
        Files.createSymbolicLink(dir.resolve("d/e/up"), Path.of(".."));
        Cli.Result r = Cli.run("-rf", dir.resolve("d").toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("up: directory loop -- ignored"), r.err());
        assertEquals(List.of("d", "d/e", "d/e/up", "d/e/x.gz"), tree());
    }

    @Test
    void decompressionNamesTgzZAndFindsTheSuffix() throws IOException {
        byte[] gz = Cli.run(new byte[] {42}).out();
        file("a.tgz", gz);
        file("b-z", gz);
        file("c.gz", gz);
        file("d.x", gz);
        assertEquals(0, Cli.run("-d", dir.resolve("a.tgz").toString(), dir.resolve("b-z").toString(),
                dir.resolve("c").toString()).status());
        assertEquals(0, Cli.run("-d", "-S", ".x", dir.resolve("d.x").toString()).status());
        assertEquals(List.of("a.tar", "b", "c", "d"), tree());
    }

    @Test
    void capitalNRestoresTheStoredName() throws IOException {
        Path a = file("orig.txt", GzipCodecTest.data(10, 10));
        Cli.run(a.toString());
        Files.move(dir.resolve("orig.txt.gz"), dir.resolve("renamed.gz"));
        Cli.Result r = Cli.run("-dN", dir.resolve("renamed.gz").toString());
        assertEquals(0, r.status(), r.toString());
        assertEquals(List.of("orig.txt"), tree());
        assertEquals(MTIME.toMillis() / 1000, Files.getLastModifiedTime(dir.resolve("orig.txt")).toMillis() / 1000);
    }

    @Test
    void refusesTerminalsUnlessForced() {
        Cli.Result r = Cli.run(new byte[] {1}, false, true);
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("compressed data not written to a terminal"), r.err());
        assertEquals(0, r.out().length);
        r = Cli.run(new byte[] {1}, false, true, "-f");
        assertEquals(0, r.status(), r.toString());
        r = Cli.run(new byte[0], true, false, "-d");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("compressed data not read from a terminal"), r.err());
        byte[] gz = Cli.run(new byte[] {1}).out();
        r = Cli.run(gz, false, true, "-d");
        assertEquals(0, r.status(), "decompressed data may go to a terminal: " + r);
    }

    @Test
    void forcedDecompressToStdoutPassesOtherDataThrough() {
        byte[] plain = "not gzip at all\n".getBytes();
        Cli.Result r = Cli.run(plain, "-dcf");
        assertEquals(0, r.status(), r.toString());
        assertArrayEquals(plain, r.out());
        r = Cli.run(plain, "-dc");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("stdin: not in gzip format"), r.err());
    }

    @Test
    void verboseNamesTheEngineAndThroughput() throws IOException {
        Path a = file("v", GzipCodecTest.data(500_000, 11));
        Cli.Result r = Cli.run("-v", a.toString());
        assertEquals(0, r.status(), r.toString());
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("v:\\t +\\d+\\.\\d% -- replaced with .*v\\.gz  \\[engine (\\S+), \\d+\\.\\d MB/s\\]")
                .matcher(r.err());
        assertTrue(m.find(), r.err());
        Mode.assertBigStreamEngine(m.group(1));
        r = Cli.run("-dv", dir.resolve("v.gz").toString());
        m = java.util.regex.Pattern.compile("\\[engine (\\S+), \\d+\\.\\d MB/s\\]").matcher(r.err());
        assertTrue(m.find(), r.err());
        Mode.assertBigStreamEngine(m.group(1));
    }

    @Test
    void helpDocumentsEveryFlagSubcommandAndSetting() {
        Cli.Result r = Cli.run("--help");
        assertEquals(0, r.status());
        String h = r.outText();
        for (String s : new String[] {"-c, --stdout", "-d, --decompress", "-f, --force", "-k, --keep",
            "-n, --no-name", "-N, --name", "-q, --quiet", "-r, --recursive", "-S, --suffix", "-t, --test",
            "-v, --verbose", "-V, --version", "-1, --fast", "-9, --best", "devices", "bench", "--levels",
            "--json", "--size", "--time", "warpdrive.emulate", "WD_EMULATE", "hisi_zip:2", "warpdrive.devices",
            "WD_DEVICES", "warpdrive.fallback", "WD_FALLBACK", "warpdrive.sysfs", "WD_SYSFS_ROOT",
            "warpdrive.dev ", "WD_DEV_ROOT", "warpdrive.threshold", "WD_HW_THRESHOLD", "warpdrive.library.path",
            "Exit status"}) {
            assertTrue(h.contains(s), "--help lacks " + s);
        }
        assertEquals(h, Cli.run("-h").outText());
        r = Cli.run("--version");
        assertEquals(0, r.status());
        assertTrue(r.outText().startsWith("wdzip (warpdrive-zip) "), r.outText());
        assertTrue(r.outText().contains(Mode.noNative() ? "unavailable" : "native library"), r.outText());
    }

    @Test
    void usageErrorsExitOne() {
        Cli.Result r = Cli.run("-Z");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("invalid option -- 'Z'"), r.err());
        assertTrue(r.err().contains("--help"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
