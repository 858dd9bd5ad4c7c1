package io.warpdrive.zip.cli;

import io.warpdrive.zip.Mode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wdzip bench}: options, the generated corpus, and short real runs. */
class BenchTest {

    @Test
    void levelListsParse() throws Exception {
        assertEquals(List.of(1, 6, 9), BenchOptions.parse(new String[0]).levels);
        assertEquals(List.of(1, 6), BenchOptions.levels("1,6"));
        assertEquals(List.of(1, 2, 3, 9), BenchOptions.levels("1-3,9,2"));
        for (String bad : new String[] {"", "10", "a", "3-1x", "-1", ","}) {
            assertThrows(Options.UsageException.class, () -> BenchOptions.levels(bad), bad);
        }
        BenchOptions o = BenchOptions.parse(new String[] {"-l", "2", "--size=3", "--time", "0.5", "--chunk", "8",
            "--json", "--per-file", "f1", "--", "-f2"});
        assertEquals(List.of(2), o.levels);
        assertEquals(3_000_000, o.sizeBytes);
        assertEquals(0.5, o.seconds);
        assertEquals(8192, o.chunk);
        assertTrue(o.json && o.perFile);
        assertEquals(List.of("f1", "-f2"), o.files);
        assertThrows(Options.UsageException.class, () -> BenchOptions.parse(new String[] {"--size", "-3"}));
        assertThrows(Options.UsageException.class, () -> BenchOptions.parse(new String[] {"--bogus"}));
        assertThrows(Options.UsageException.class, () -> BenchOptions.parse(new String[] {"-l"}));
    }

    @Test
    void corpusIsDeterministicAndSpansTheKinds() {
        List<BenchCorpus.Part> a = BenchCorpus.generate(2_000_000);
        List<BenchCorpus.Part> b = BenchCorpus.generate(2_000_000);
        assertEquals(List.of("text", "source", "json-xml", "binary", "compressed"),
                a.stream().map(BenchCorpus.Part::name).toList());
        long total = 0;
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).data(), b.get(i).data(), a.get(i).name());
            total += a.get(i).data().length;
        }
        assertEquals(1_900_000, total, 100_000);
        double text = ratio(a.get(0).data());
        double json = ratio(a.get(2).data());
        double binary = ratio(a.get(3).data());
        double packed = ratio(a.get(4).data());
        assertTrue(text > 2.5 && text < 5, "text ratio " + text);
        assertTrue(json > text, "json " + json);
        assertTrue(binary > 1.3 && binary < text, "binary " + binary);
        assertTrue(packed < 1.01, "compressed " + packed);
    }

    private static double ratio(byte[] d) {
        Deflater def = new Deflater(6);
        def.setInput(d);
        def.finish();
        byte[] out = new byte[d.length + 1024];
        int n = 0;
        while (!def.finished()) {
            n += def.deflate(out, n, out.length - n);
        }
        def.end();
        return (double) d.length / n;
    }

    @Test
    void aShortRunPrintsATableWithTheEngineOfThisRun() {
        Cli.Result r = Cli.run("bench", "--size", "0.5", "--time", "0", "-l", "1,6", "-q");
        assertEquals(0, r.status(), r.toString());
        String out = r.outText();
        assertTrue(out.contains("level  direction"), out);
        Pattern row = Pattern.compile("(?m)^ +([16])  (compress|decompress) +\\d+\\.\\d MB/s +\\d+\\.\\d MB/s"
                + " +\\d+\\.\\d\\dx +(\\S+) +(\\S+) +(\\S+)  (\\S+)$");
        Matcher m = row.matcher(out);
        int rows = 0;
        while (m.find()) {
            rows++;
            Mode.assertBigStreamEngine(m.group(6));
            if (m.group(2).equals("compress")) {
                // engines may differ from zlib (the device, ISA-L); none may be far off
                double size = Double.parseDouble(m.group(5));
                assertTrue(size > 0.5 && size < 1.5, m.group());
            }
        }
        assertEquals(4, rows, out);
        assertEquals("", r.err(), "no progress bar when stderr is not a terminal");
    }

    @Test
    void jsonAndFiles(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("in.txt");
        Files.write(f, GzipCodecTest.data(300_000, 1));
        Cli.Result r = Cli.run("bench", "--json", "--time", "0", "-l", "9", f.toString());
        assertEquals(0, r.status(), r.toString());
        String out = r.outText().strip();
        assertTrue(out.startsWith("{") && out.endsWith("}"), out);
        assertTrue(out.contains("{\"name\": \"in.txt\", \"bytes\": 300000}"), out);
        assertTrue(out.contains("\"generated\": false"), out);
        Matcher m = Pattern.compile("\\{\"level\": 9, \"direction\": \"(\\w+)\", \"bytes\": 300000, \"jdkMBps\": [\\d.]+,"
                + " \"wdMBps\": [\\d.]+, \"speed\": [\\d.]+, \"jdkCompressed\": (-?\\d+), \"wdCompressed\": (-?\\d+),"
                + " \"engine\": \"([^\"]+)\"}").matcher(out);
        assertTrue(m.find(), out);
        assertEquals("compress", m.group(1));
        assertTrue(Long.parseLong(m.group(2)) > 1000);
        Mode.assertBigStreamEngine(m.group(4));
        assertTrue(m.find(), out);
        assertEquals("decompress", m.group(1));
        assertFalse(m.find(), out);
    }

    @Test
    void writeCorpusAndErrors(@TempDir Path dir) throws IOException {
        Cli.Result r = Cli.run("bench", "--size", "0.1", "--write-corpus", dir.resolve("c").toString());
        assertEquals(0, r.status(), r.toString());
        assertEquals(List.of("binary", "compressed", "json-xml", "source", "text"),
                Files.list(dir.resolve("c")).map(p -> p.getFileName().toString()).sorted().toList());
        assertArrayEquals(BenchCorpus.generate(100_000).get(0).data(), Files.readAllBytes(dir.resolve("c/text")));
        r = Cli.run("bench", dir.resolve("missing").toString());
        assertEquals(1, r.status(), r.toString());
        r = Cli.run("bench", "-l", "12");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("levels must be 0-9"), r.err());
    }
}
