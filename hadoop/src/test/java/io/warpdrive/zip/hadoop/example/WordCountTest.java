package io.warpdrive.zip.hadoop.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpdrive.zip.EngineStats;
import io.warpdrive.zip.WarpDrive;
import io.warpdrive.zip.hadoop.WarpDriveGzipCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.GzipCodec;
import org.apache.hadoop.util.ReflectionUtils;
import org.apache.hadoop.util.ToolRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example job in local mode: gzip input written by Hadoop's codec, gzip output written by ours. */
class WordCountTest {
    private static final String[] WORDS = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"};

    @TempDir
    Path tmp;

    @Test
    void countsWordsFromGzipInputIntoGzipOutput() throws Exception {
        Path input = Files.createDirectories(tmp.resolve("in"));
        Map<String, Integer> expected = new TreeMap<>();
        Configuration conf = new Configuration();
        CompressionCodec hadoopGzip = ReflectionUtils.newInstance(GzipCodec.class, conf);
        Random r = new Random(60);
        for (int f = 0; f < 2; f++) {
            StringBuilder text = new StringBuilder();
            for (int line = 0; line < 20_000; line++) {
                for (int w = r.nextInt(8); w >= 0; w--) {
                    String word = WORDS[r.nextInt(WORDS.length)] + r.nextInt(50);
                    expected.merge(word, 1, Integer::sum);
                    text.append(word).append(w == 0 ? "\n" : " ");
                }
            }
            try (OutputStream out = hadoopGzip.createOutputStream(Files.newOutputStream(input.resolve("part" + f + ".gz")))) {
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        Path output = tmp.resolve("out");
        Configuration job = new Configuration();
        job.set("mapreduce.framework.name", "local");
        job.set("fs.defaultFS", "file:///");
        job.set("hadoop.tmp.dir", tmp.resolve("hadoop-tmp").toString());
        job.set("mapreduce.job.reduces", "2");
        long before = servedBytesIn();
        int rc = ToolRunner.run(job, new WordCount(), new String[] {input.toUri().toString(), output.toUri().toString()});
        assertEquals(0, rc, "job failed (see the test's output)");

        List<Path> parts;
        try (Stream<Path> files = Files.list(output)) {
            parts = files.filter(p -> p.getFileName().toString().startsWith("part-r-")).sorted().collect(Collectors.toList());
        }
        assertEquals(2, parts.size(), "two reducers: " + parts);
        Map<String, Integer> counted = new HashMap<>();
        long outputBytes = 0;
        for (Path part : parts) {
            assertTrue(part.toString().endsWith(new WarpDriveGzipCodec().getDefaultExtension()), part.toString());
            // read with the JDK: the job's output is plain gzip
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(part)), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    String[] kv = line.split("\t");
                    counted.put(kv[0], Integer.parseInt(kv[1]));
                    outputBytes += line.length() + 1;
                }
            }
        }
        assertEquals(expected, new TreeMap<>(counted));

        // Local mode runs the tasks in this JVM, so WarpDrive's counters saw the job: the
        // input read through our codec, map output and job output compressed by it.
        long inputGz = 0;
        try (Stream<Path> files = Files.list(input)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                inputGz += Files.size(p);
            }
        }
        long consumed = servedBytesIn() - before;
        // (gzip framing, 18 bytes a file, is not the engine's to consume)
        assertTrue(consumed >= inputGz - 18 * 2 + outputBytes, "WarpDrive consumed " + consumed
                + " bytes; the gzip input is " + inputGz + ", the output " + outputBytes + ": " + WarpDrive.statistics());
    }

    private static long servedBytesIn() {
        long sum = 0;
        for (EngineStats s : WarpDrive.statistics()) {
            sum += s.bytesIn(); // every engine of our Hw classes, java.util.zip too when the native library is hidden
        }
        return sum;
    }
}
