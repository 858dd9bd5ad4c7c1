package io.warpdrive.zip.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpdrive.zip.compress.HwGzipCompressorInputStream;
import io.warpdrive.zip.compress.HwGzipCompressorOutputStream;
import io.warpdrive.zip.compress.WarpDriveCompressorStreamProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.apache.commons.compress.compressors.CompressorOutputStream;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commons-compress integration from the packaged jars, against GNU
 * gzip in both directions.
 */
class CompressIT {
    private static final String MODE = System.getProperty("wd.test.mode", "software");
    private static final String SERVICE =
            "META-INF/services/org.apache.commons.compress.compressors.CompressorStreamProvider";

    @TempDir
    Path tmp;

    private static byte[] text(int n, long seed) {
        Random r = new Random(seed);
        String[] words = {"gzip ", "pigz ", "member ", "trailer ", "crc ", "\n", "2024 "};
        byte[] b = new byte[n];
        int i = 0;
        while (i < n) {
            byte[] w = words[r.nextInt(words.length)].getBytes(StandardCharsets.US_ASCII);
            for (int k = 0; k < w.length && i < n; k++) {
                b[i++] = w[k];
            }
        }
        return b;
    }

    private static void assertRunEngine(String engine) {
        if (MODE.equals("emulated")) {
            assertTrue(engine.startsWith("hisi_zip-"), "expected the emulated device, got " + engine);
        } else {
            assertEquals("software", engine);
        }
    }

    /** Runs a command; returns its standard output, failing on a non-zero exit. */
    private static byte[] run(Path dir, String... cmd) throws IOException, InterruptedException {
        cmd[0] = Tools.require(cmd[0]);
        Path out = Files.createTempFile(dir, "out", ".bin");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + Files.readString(err));
        return Files.readAllBytes(out);
    }

    /**
     * The main jar registers the provider; the self-contained agent jar
     * does not, because it lives on the system class path where
     * commons-compress's factory would try, and fail, to load a provider
     * whose interface only the application's class loader has (AgentIT
     * runs that layout).
     */
    @Test
    void theMainJarRegistersTheProviderAndTheAgentJarDoesNot() throws IOException {
        Path jar = Path.of(System.getProperty("wd.jar", "target/missing.jar"));
        Path all = Path.of(System.getProperty("wd.jar.all", "target/missing-all.jar"));
        try (JarFile jf = new JarFile(jar.toFile())) {
            assertNotNull(jf.getEntry(SERVICE), jar + " lacks " + SERVICE);
            try (InputStream in = jf.getInputStream(jf.getEntry(SERVICE))) {
                String services = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(WarpDriveCompressorStreamProvider.class.getName(), services.strip());
            }
        }
        try (JarFile jf = new JarFile(all.toFile())) {
            assertNull(jf.getEntry(SERVICE), all + " must not register the provider");
            assertNotNull(jf.getEntry("io/warpdrive/zip/compress/HwGzipCompressorOutputStream.class"),
                    "the stream classes are still there for direct use");
        }
        assertTrue(WarpDriveCompressorStreamProvider.class.getProtectionDomain().getCodeSource().getLocation()
                .getPath().endsWith(".jar"), "this test runs against the packaged jar");
        assertInstanceOf(WarpDriveCompressorStreamProvider.class,
                CompressorStreamFactory.findAvailableCompressorOutputStreamProviders().get("WARPDRIVE-GZ"));
    }

    @Test
    void gnuGzipReadsOurOutputAndItsHeader() throws Exception {
        byte[] data = text(800_000, 1);
        GzipParameters p = new GzipParameters();
        p.setFileName("original-name.txt");
        p.setModificationInstant(Instant.ofEpochSecond(1_600_000_000L));
        p.setOS(GzipParameters.OS.UNIX);
        p.setCompressionLevel(9);
        Path gz = tmp.resolve("ours.gz");
        try (OutputStream os = Files.newOutputStream(gz);
             HwGzipCompressorOutputStream out = new HwGzipCompressorOutputStream(os, p)) {
            out.write(data);
            out.finish();
            assertRunEngine(out.engine());
        }
        run(tmp, "gzip", "-t", gz.toString());
        assertArrayEquals(data, run(tmp, "gzip", "-dc", gz.toString()));
        String listing = new String(run(tmp, "gzip", "-lN", gz.toString()), StandardCharsets.UTF_8);
        assertTrue(listing.contains("original-name.txt"), "gzip -lN shows the stored name: " + listing);
    }

    @Test
    void gnuGzipReadsSeveralOfOurMembersAsOneFile() throws Exception {
        byte[] a = text(300_000, 2);
        byte[] b = text(5_000, 3);
        CompressorStreamFactory f = new CompressorStreamFactory();
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        for (byte[] part : List.of(a, b)) {
            try (CompressorOutputStream<?> out = f.createCompressorOutputStream("warpdrive-gz", both)) {
                out.write(part);
                out.finish();
            }
        }
        Path gz = tmp.resolve("two.gz");
        Files.write(gz, both.toByteArray());
        ByteArrayOutputStream expect = new ByteArrayOutputStream();
        expect.write(a);
        expect.write(b);
        assertArrayEquals(expect.toByteArray(), run(tmp, "gzip", "-dc", gz.toString()));
    }

    @Test
    void weReadGnuGzipOutputWithItsFileNameTimeAndLevel() throws Exception {
        byte[] data = text(600_000, 4);
        Path file = tmp.resolve("sample.txt");
        Files.write(file, data);
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(1_500_000_000L)));
        run(tmp, "gzip", "-9", "-k", "-N", file.toString());
        try (HwGzipCompressorInputStream in = new HwGzipCompressorInputStream(
                Files.newInputStream(tmp.resolve("sample.txt.gz")))) {
            assertArrayEquals(data, in.readAllBytes());
            assertEquals("sample.txt", in.getMetaData().getFileName());
            assertEquals(1_500_000_000L, in.getMetaData().getModificationTime());
            assertEquals(9, in.getMetaData().getCompressionLevel(), "XFL 2");
            assertEquals(GzipParameters.OS.UNIX, in.getMetaData().getOS());
            assertRunEngine(in.engine());
        }
    }

    @Test
    void weReadConcatenatedGnuGzipMembersWhenAsked() throws Exception {
        byte[] a = text(200_000, 5);
        byte[] b = text(100_000, 6);
        Files.write(tmp.resolve("a"), a);
        Files.write(tmp.resolve("b"), b);
        byte[] ga = run(tmp, "gzip", "-c", "a");
        byte[] gb = run(tmp, "gzip", "-1", "-c", "b");
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(ga);
        both.write(gb);
        try (InputStream in = new CompressorStreamFactory(true).createCompressorInputStream("warpdrive-gz",
                new java.io.ByteArrayInputStream(both.toByteArray()))) {
            ByteArrayOutputStream expect = new ByteArrayOutputStream();
            expect.write(a);
            expect.write(b);
            assertArrayEquals(expect.toByteArray(), in.readAllBytes());
        }
    }
}
