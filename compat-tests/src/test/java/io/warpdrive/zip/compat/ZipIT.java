package io.warpdrive.zip.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.warpdrive.zip.HwZipOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * HwZipOutputStream's archives, checked by readers we did not write:
 * Info-ZIP's {@code unzip -t}, the JDK's ZipFile and ZipInputStream, and
 * commons-compress's ZipFile. STORED and DEFLATED entries, levels changed
 * between entries, empty entries and directories, an entry over 4 MiB,
 * thousands of entries, every corpus input at levels 1, 6 and 9, and a jar
 * that {@code java -jar} runs.
 */
class ZipIT {
    private static final String MODE = System.getProperty("wd.test.mode", "software");

    @TempDir
    Path tmp;

    /** One entry to write: its name, contents, method and the level in force for it. */
    private record Item(String name, byte[] data, int method, int level) {
    }

    private static byte[] text(int n, long seed) {
        Random r = new Random(seed);
        String[] words = {"zip ", "entry ", "central ", "directory ", "local ", "header ", "\n", "0x04034b50 "};
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

    private static byte[] textAndNoise(int n, long seed) {
        byte[] b = text(n, seed);
        Random r = new Random(seed + 1);
        for (int off = 0; off < n; off += 200_000) {
            byte[] noise = new byte[Math.min(50_000, n - off)];
            r.nextBytes(noise);
            System.arraycopy(noise, 0, b, off, noise.length);
        }
        return b;
    }

    /** Writes the items with HwZipOutputStream; returns the engine that served the biggest DEFLATED entry. */
    private static String write(Path zip, List<Item> items) throws IOException {
        String bigEngine = null;
        int biggest = -1;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(zip), 1 << 16);
             HwZipOutputStream zos = new HwZipOutputStream(os)) {
            zos.setComment("written by warpdrive-zip");
            for (Item it : items) {
                ZipEntry e = new ZipEntry(it.name);
                e.setMethod(it.method);
                if (it.method == ZipEntry.STORED) {
                    CRC32 crc = new CRC32();
                    crc.update(it.data);
                    e.setSize(it.data.length);
                    e.setCompressedSize(it.data.length);
                    e.setCrc(crc.getValue());
                }
                zos.setLevel(it.level);
                zos.putNextEntry(e);
                zos.write(it.data);
                if (it.method == ZipEntry.DEFLATED && it.data.length > biggest) {
                    biggest = it.data.length;
                    bigEngine = zos.engine();
                }
                zos.closeEntry();
            }
        }
        return bigEngine;
    }

    private static void assertRunEngine(String engine) {
        if (MODE.equals("emulated")) {
            assertTrue(engine.startsWith("hisi_zip-"), "expected the emulated device, got " + engine);
        } else {
            assertEquals("software", engine);
        }
    }

    /** {@code unzip -t}: every entry's CRC and length checked by Info-ZIP. */
    private static String unzipTest(Path zip) throws IOException, InterruptedException {
        Path log = Files.createTempFile(zip.getParent(), "unzip", ".log");
        Process p = new ProcessBuilder(Tools.require("unzip"), "-t", zip.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "unzip -t timed out");
        String out = Files.readString(log, StandardCharsets.ISO_8859_1);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("No errors detected"), out);
        return out;
    }

    /** The JDK's ZipFile, its streaming ZipInputStream, and commons-compress's ZipFile all read back every item. */
    private static void assertEveryReaderAgrees(Path zip, List<Item> items) throws IOException {
        Map<String, Item> byName = new LinkedHashMap<>();
        items.forEach(it -> byName.put(it.name, it));
        try (ZipFile jdk = new ZipFile(zip.toFile(), StandardCharsets.UTF_8)) {
            assertEquals(items.size(), jdk.size());
            assertEquals("written by warpdrive-zip", jdk.getComment());
            for (Item it : items) {
                ZipEntry e = jdk.getEntry(it.name);
                assertNotNull(e, it.name);
                assertEquals(it.method, e.getMethod(), it.name);
                assertEquals(it.data.length, e.getSize(), it.name);
                try (InputStream in = jdk.getInputStream(e)) {
                    assertArrayEquals(it.data, in.readAllBytes(), it.name);
                }
            }
        }
        int seen = 0;
        try (ZipInputStream zin = new ZipInputStream(Files.newInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry e; (e = zin.getNextEntry()) != null; seen++) {
                assertArrayEquals(byName.get(e.getName()).data, zin.readAllBytes(), e.getName());
            }
        }
        assertEquals(items.size(), seen);
        try (org.apache.commons.compress.archivers.zip.ZipFile cc =
                     org.apache.commons.compress.archivers.zip.ZipFile.builder().setPath(zip).get()) {
            for (Item it : items) {
                ZipArchiveEntry e = cc.getEntry(it.name);
                assertNotNull(e, it.name);
                assertEquals(it.method, e.getMethod(), it.name);
                try (InputStream in = cc.getInputStream(e)) {
                    assertArrayEquals(it.data, in.readAllBytes(), it.name);
                }
            }
        }
    }

    @Test
    void storedDeflatedEmptyAndBigEntriesPassUnzipAndOpenEverywhere() throws Exception {
        int d = ZipEntry.DEFLATED;
        int s = ZipEntry.STORED;
        int dflt = Deflater.DEFAULT_COMPRESSION;
        byte[] big = textAndNoise(5 * 1024 * 1024 + 12_345, 1);
        List<Item> items = List.of(
                new Item("big/five-mib.bin", big, d, dflt),
                new Item("stored/text.txt", text(100_000, 2), s, dflt),
                new Item("stored/empty", new byte[0], s, dflt),
                new Item("deflated/empty.txt", new byte[0], d, dflt),
                new Item("dir/", new byte[0], s, dflt),
                new Item("deflated/small.txt", text(700, 3), d, dflt),
                new Item("unicode/日本語-données.txt", text(90_000, 4), d, dflt),
                new Item("stored/big.bin", textAndNoise(4_300_000, 5), s, dflt));
        Path zip = tmp.resolve("mixed.zip");
        assertRunEngine(write(zip, items));
        String report = unzipTest(zip);
        assertTrue(report.contains("big/five-mib.bin"), report);
        assertEveryReaderAgrees(zip, items);
    }

    @Test
    void setLevelAppliesToTheEntriesThatFollow() throws Exception {
        byte[] data = text(300_000, 6);
        List<Item> items = new ArrayList<>();
        for (int level : new int[] {0, 1, 6, 9, Deflater.DEFAULT_COMPRESSION}) {
            items.add(new Item("level" + level + ".txt", data, ZipEntry.DEFLATED, level));
        }
        Path zip = tmp.resolve("levels.zip");
        write(zip, items);
        unzipTest(zip);
        assertEveryReaderAgrees(zip, items);
        try (ZipFile jdk = new ZipFile(zip.toFile())) {
            long stored = jdk.getEntry("level0.txt").getCompressedSize();
            assertTrue(stored >= data.length, "level 0 keeps the bytes as they are: " + stored);
            for (int level : new int[] {1, 6, 9, Deflater.DEFAULT_COMPRESSION}) {
                long c = jdk.getEntry("level" + level + ".txt").getCompressedSize();
                assertTrue(c < data.length / 2, "level " + level + " compresses: " + c);
            }
        }
    }

    @Test
    void thousandsOfEntriesPassUnzipAndOpenEverywhere() throws Exception {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int method = i % 3 == 0 ? ZipEntry.STORED : ZipEntry.DEFLATED;
            items.add(new Item(String.format("many/%04d.txt", i), text(i % 7 == 0 ? 0 : 200 + i % 1900, 100 + i),
                    method, i % 10 == 9 ? Deflater.BEST_COMPRESSION : Deflater.DEFAULT_COMPRESSION));
        }
        Path zip = tmp.resolve("many.zip");
        write(zip, items);
        String report = unzipTest(zip);
        assertTrue(report.contains("many/2999.txt"), "every entry tested");
        assertEveryReaderAgrees(zip, items);
    }

    @Test
    void theArchiveMatchesWhatTheJdkWriterProducesEntryForEntry() throws Exception {
        byte[] data = textAndNoise(1_000_000, 7);
        Path ours = tmp.resolve("ours.zip");
        write(ours, List.of(new Item("a.bin", data, ZipEntry.DEFLATED, Deflater.DEFAULT_COMPRESSION)));
        Path theirs = tmp.resolve("theirs.zip");
        try (java.util.zip.ZipOutputStream zos = new java.util.zip.ZipOutputStream(Files.newOutputStream(theirs))) {
            zos.putNextEntry(new ZipEntry("a.bin"));
            zos.write(data);
            zos.closeEntry();
        }
        try (ZipFile a = new ZipFile(ours.toFile()); ZipFile b = new ZipFile(theirs.toFile())) {
            ZipEntry ea = a.getEntry("a.bin");
            ZipEntry eb = b.getEntry("a.bin");
            assertEquals(eb.getCrc(), ea.getCrc());
            assertEquals(eb.getSize(), ea.getSize());
            assertEquals(eb.getMethod(), ea.getMethod());
            if (!MODE.equals("emulated")) {
                // level 6 on the software engine is libdeflate's: other bytes, about zlib's size
                assertTrue(ea.getCompressedSize() <= eb.getCompressedSize() * 103 / 100,
                        () -> "compressed " + ea.getCompressedSize() + " bytes, the JDK " + eb.getCompressedSize());
            }
        }
    }

    /**
     * Every corpus input as a DEFLATED entry, one archive per level (1, 6, 9):
     * {@code unzip -t} passes it, and {@code unzip -p}, the JDK's ZipFile and
     * ZipInputStream and commons-compress's ZipFile return each entry's exact bytes.
     */
    @TestFactory
    Stream<DynamicNode> theCorpusAtEachLevelReadsBackExactly() throws Exception {
        List<DynamicNode> nodes = new ArrayList<>();
        for (int level : Corpus.LEVELS) {
            List<Item> items = Corpus.inputs().stream()
                    .map(in -> new Item(in.name(), in.data(), ZipEntry.DEFLATED, level)).toList();
            Path zip = tmp.resolve("corpus-level" + level + ".zip");
            String writer = "HwZipOutputStream [level " + level + "]";
            String engine;
            try {
                engine = write(zip, items);
            } catch (IOException e) {
                throw new AssertionError(writer + " writing the corpus: " + e, e);
            }
            nodes.add(DynamicTest.dynamicTest(writer + " -> unzip -t", () -> unzipTest(zip)));
            nodes.add(DynamicTest.dynamicTest(writer + " served by the expected engine",
                    () -> assertRunEngine(engine)));
            for (Corpus.Input in : Corpus.inputs()) {
                String cell = writer + " entry " + in + " -> ";
                nodes.add(DynamicTest.dynamicTest(cell + "unzip -p", () -> {
                    Tools.Result r = Tools.tool(tmp, null, "unzip", "-p", zip.toString(), in.name());
                    assertEquals(0, r.status(), cell + "unzip -p: " + r);
                    assertArrayEquals(in.data(), r.out(), cell + "unzip -p");
                }));
                nodes.add(DynamicTest.dynamicTest(cell + "JDK ZipFile", () -> {
                    try (ZipFile zf = new ZipFile(zip.toFile());
                         InputStream e = zf.getInputStream(zf.getEntry(in.name()))) {
                        assertArrayEquals(in.data(), e.readAllBytes(), cell + "JDK ZipFile");
                    }
                }));
                nodes.add(DynamicTest.dynamicTest(cell + "JDK ZipInputStream", () -> {
                    try (ZipInputStream zin = new ZipInputStream(Files.newInputStream(zip))) {
                        for (ZipEntry e; (e = zin.getNextEntry()) != null; ) {
                            if (e.getName().equals(in.name())) {
                                assertArrayEquals(in.data(), zin.readAllBytes(), cell + "JDK ZipInputStream");
                                return;
                            }
                        }
                        fail(cell + "JDK ZipInputStream: no such entry");
                    }
                }));
                nodes.add(DynamicTest.dynamicTest(cell + "commons-compress ZipFile", () -> {
                    try (org.apache.commons.compress.archivers.zip.ZipFile cc =
                                 org.apache.commons.compress.archivers.zip.ZipFile.builder().setPath(zip).get();
                         InputStream e = cc.getInputStream(cc.getEntry(in.name()))) {
                        assertArrayEquals(in.data(), e.readAllBytes(), cell + "commons-compress ZipFile");
                    }
                }));
            }
        }
        return nodes.stream();
    }

    /**
     * A jar written entry by entry with HwZipOutputStream (a manifest naming
     * Main-Class, a class compiled here, a resource the class reads back) is
     * one the JVM runs with {@code java -jar}.
     */
    @Test
    void aJarWrittenWithHwZipOutputStreamRunsWithJavaJar() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/demo")).resolve("Main.java");
        Files.writeString(src, """
                package demo;

                public class Main {
                    public static void main(String[] args) throws Exception {
                        try (var in = Main.class.getResourceAsStream("/demo/words.txt")) {
                            byte[] b = in.readAllBytes();
                            var crc = new java.util.zip.CRC32();
                            crc.update(b);
                            System.out.println("ran from the jar: " + b.length + " bytes, crc "
                                    + Long.toHexString(crc.getValue()));
                        }
                    }
                }
                """);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d",
                classes.toString(), src.toString());
        assertEquals(0, rc, "javac");
        byte[] words = text(1_500_000, 8);
        String manifest = "Manifest-Version: 1.0\r\nMain-Class: demo.Main\r\nCreated-By: warpdrive-zip ZipIT\r\n\r\n";
        List<Item> items = List.of(
                new Item("META-INF/", new byte[0], ZipEntry.STORED, Deflater.DEFAULT_COMPRESSION),
                new Item("META-INF/MANIFEST.MF", manifest.getBytes(StandardCharsets.UTF_8), ZipEntry.DEFLATED,
                        Deflater.DEFAULT_COMPRESSION),
                new Item("demo/", new byte[0], ZipEntry.STORED, Deflater.DEFAULT_COMPRESSION),
                new Item("demo/Main.class", Files.readAllBytes(classes.resolve("demo/Main.class")), ZipEntry.DEFLATED,
                        Deflater.BEST_COMPRESSION),
                new Item("demo/words.txt", words, ZipEntry.DEFLATED, Deflater.BEST_SPEED));
        Path jar = tmp.resolve("demo.jar");
        assertRunEngine(write(jar, items));
        unzipTest(jar);
        try (JarFile jf = new JarFile(jar.toFile(), true)) {
            assertEquals("demo.Main", jf.getManifest().getMainAttributes().getValue("Main-Class"));
        }
        CRC32 crc = new CRC32();
        crc.update(words);
        Tools.Result r = Tools.run(tmp, null, List.of(Tools.java(), "-jar", jar.toString()));
        assertEquals(0, r.status(), "java -jar " + jar + ": " + r);
        assertEquals("ran from the jar: " + words.length + " bytes, crc " + Long.toHexString(crc.getValue()),
                new String(r.out(), StandardCharsets.UTF_8).strip());
    }

    /**
     * The agent path: an unmodified program writing with
     * {@code java.util.zip.ZipOutputStream}, run under {@code -javaagent:}
     * the self-contained jar, writes through HwZipOutputStream an archive
     * that {@code unzip -t} passes and the JDK's ZipFile reads back exactly.
     */
    @Test
    void aZipWrittenThroughTheAgentPassesUnzipAndReadsBack() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("agent-src/demo")).resolve("WriteZip.java");
        Files.writeString(src, """
                package demo;

                import java.io.FileOutputStream;
                import java.nio.file.Files;
                import java.nio.file.Path;
                import java.util.zip.ZipEntry;
                import java.util.zip.ZipOutputStream;

                public class WriteZip {
                    public static void main(String[] args) throws Exception {
                        try (ZipOutputStream zos = new ZipOutputStream(new FileOutputStream(args[0]))) {
                            System.out.println(zos.getClass().getName());
                            for (int i = 1; i < args.length; i++) {
                                zos.putNextEntry(new ZipEntry(args[i]));
                                zos.write(Files.readAllBytes(Path.of(args[i])));
                                zos.closeEntry();
                            }
                        }
                    }
                }
                """);
        Path classes = Files.createDirectories(tmp.resolve("agent-classes"));
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d",
                classes.toString(), src.toString()), "javac");
        List<String> cmd = new ArrayList<>(List.of(Tools.java(), "-javaagent:" + System.getProperty("wd.jar.all"),
                "-cp", classes.toString(), "demo.WriteZip", "agent.zip"));
        for (Corpus.Input in : Corpus.inputs()) {
            Files.write(tmp.resolve(in.name()), in.data());
            cmd.add(in.name());
        }
        Tools.Result r = Tools.run(tmp, null, cmd);
        assertEquals(0, r.status(), "the program under the agent: " + r);
        assertEquals("io.warpdrive.zip.HwZipOutputStream", new String(r.out(), StandardCharsets.UTF_8).strip(),
                "the agent rewrote new ZipOutputStream(...)");
        Path zip = tmp.resolve("agent.zip");
        unzipTest(zip);
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            for (Corpus.Input in : Corpus.inputs()) {
                try (InputStream e = zf.getInputStream(zf.getEntry(in.name()))) {
                    assertArrayEquals(in.data(), e.readAllBytes(), "agent-written entry " + in);
                }
            }
        }
    }

    /**
     * More than 65,535 entries: the archive needs ZIP64 end records, which
     * {@code unzip -t}, the JDK's ZipFile and commons-compress must find.
     */
    @Test
    void moreThan65535EntriesNeedZip64AndStillOpenEverywhere() throws Exception {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 70_000; i++) {
            byte[] data = ("entry " + i + "\n").repeat(1 + i % 5).getBytes(StandardCharsets.US_ASCII);
            items.add(new Item(String.format("z64/%05d.txt", i), data,
                    i % 4 == 0 ? ZipEntry.STORED : ZipEntry.DEFLATED, Deflater.DEFAULT_COMPRESSION));
        }
        Path zip = tmp.resolve("zip64.zip");
        write(zip, items);
        byte[] all = Files.readAllBytes(zip);
        byte[] tail = java.util.Arrays.copyOfRange(all, Math.max(0, all.length - 200), all.length);
        assertTrue(new String(tail, StandardCharsets.ISO_8859_1).contains("PK\u0006\u0006"),
                "a ZIP64 end of central directory record (PK 6 6) near the end");
        String report = unzipTest(zip); // Info-ZIP checks every entry's CRC and length
        assertTrue(report.contains("z64/69999.txt"), "every entry tested");
        // The Java readers on a sample: opening the archive is what needs the ZIP64 records.
        try (ZipFile jdk = new ZipFile(zip.toFile());
             org.apache.commons.compress.archivers.zip.ZipFile cc =
                     org.apache.commons.compress.archivers.zip.ZipFile.builder().setPath(zip).get()) {
            assertEquals(items.size(), jdk.size(), "JDK ZipFile entries");
            for (int i = 0; i < items.size(); i += 997) {
                Item it = items.get(i);
                try (InputStream a = jdk.getInputStream(jdk.getEntry(it.name));
                     InputStream c = cc.getInputStream(cc.getEntry(it.name))) {
                    assertArrayEquals(it.data, a.readAllBytes(), "JDK ZipFile " + it.name);
                    assertArrayEquals(it.data, c.readAllBytes(), "commons-compress ZipFile " + it.name);
                }
            }
        }
    }
}
