package io.warpdrive.zip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the native library: the bundled copy, an explicit path, and no library at all. */
class LoaderTest {

    @Test
    void theRunLoadedWhatItPromised() {
        Mode.assertLoadedAsExpected();
        if (Mode.noNative()) {
            assertTrue(WarpDrive.nativeUnavailableReason().contains("warpdrive.library.path"),
                    WarpDrive.nativeUnavailableReason());
            assertNull(WarpDrive.nativeVersion());
            assertTrue(WarpDrive.accelerators().isEmpty());
        } else {
            assertNull(WarpDrive.nativeUnavailableReason());
            assertNotNull(WarpDrive.nativeLibraryPath());
            assertEquals("0.1.0-SNAPSHOT", WarpDrive.nativeVersion());
        }
    }

    @Test
    void emulatedDevicesAreListed() {
        if (!Mode.emulated()) {
            assertTrue(WarpDrive.accelerators().isEmpty(), "this machine has no accelerator");
            return;
        }
        List<Accelerator> acc = WarpDrive.accelerators();
        assertEquals(2, acc.size(), acc.toString());
        for (Accelerator a : acc) {
            assertTrue(a.name().startsWith("hisi_zip-"));
            assertTrue(a.algorithms().contains("deflate"), a.toString());
            assertTrue(a.sva());
        }
    }

    /**
     * The library jar without its natives/ folder, in a child JVM: nothing
     * throws, the reason is given, and every Hw class works as java.util.zip.
     */
    @Test
    void withTheBundledLibraryHiddenEverythingFallsBackToJavaUtilZip(@TempDir Path tmp)
            throws IOException, InterruptedException {
        Path classes = Path.of("target", "classes").toAbsolutePath();
        Path copy = tmp.resolve("classes");
        try (Stream<Path> all = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path rel = classes.relativize(p);
                if (rel.toString().startsWith("natives")) {
                    continue;
                }
                Path dst = copy.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(p, dst);
                }
            }
        }
        String cp = copy + File.pathSeparator + testClasspathWithoutClasses(classes);
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, "-Djava.util.logging.config.file=/dev/null",
                HiddenLibraryProbe.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("WD_EMULATE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("available=false"), out);
        assertTrue(out.contains("reason=no bundled native library for"), out);
        assertTrue(out.contains("engine=java.util.zip"), out);
        assertTrue(out.contains("roundtrip=ok"), out);
        assertFalse(out.contains("Exception"), out);
    }

    private static String testClasspathWithoutClasses(Path classes) {
        StringBuilder sb = new StringBuilder();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (Path.of(e).toAbsolutePath().equals(classes)) {
                continue;
            }
            sb.append(sb.length() == 0 ? "" : File.pathSeparator).append(e);
        }
        return sb.toString();
    }
}
