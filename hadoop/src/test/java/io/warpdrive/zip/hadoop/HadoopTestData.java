package io.warpdrive.zip.hadoop;

import io.warpdrive.zip.EngineStats;
import io.warpdrive.zip.WarpDrive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;

/** Data, configuration and engine checks the codec tests share. */
final class HadoopTestData {
    private static final String[] WORDS = {"accelerator", "deflate", "gzip", "hadoop", "queue", "kunpeng",
        "stream", "the", "of", "a", "warpdrive", "block", "record", "codec", "pool", "member"};

    private HadoopTestData() {
    }

    /** Text-like bytes that compress about 3:1, the same for the same seed. */
    static byte[] text(int size, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(size + 64);
        while (sb.length() < size) {
            sb.append(WORDS[r.nextInt(WORDS.length)]);
            sb.append(r.nextInt(8) == 0 ? Integer.toString(r.nextInt(100000)) : "");
            sb.append(r.nextInt(12) == 0 ? '\n' : ' ');
        }
        return sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    /** Random bytes: incompressible. */
    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    /** A configuration that lists our codecs, so they serve .gz and .deflate. */
    static Configuration conf() {
        Configuration conf = new Configuration();
        conf.set("io.compression.codecs", WarpDriveGzipCodec.class.getName() + ","
                + WarpDriveDeflateCodec.class.getName());
        return conf;
    }

    /** Whether the run is on the emulated device (the second surefire execution). */
    static boolean emulated() {
        String e = System.getProperty("warpdrive.emulate");
        return e != null && !e.isEmpty();
    }

    /**
     * Bytes consumed so far by streams of our Hw classes, on every engine:
     * devices, software, and java.util.zip when the native library is hidden
     * (Hadoop's own codecs, on plain java.util.zip, are not counted).
     */
    static long servedBytesIn() {
        long sum = 0;
        for (EngineStats s : WarpDrive.statistics()) {
            sum += s.bytesIn();
        }
        return sum;
    }

    /** The surefire execution: software, emulated or nonative (see the pom). */
    static String mode() {
        return System.getProperty("wd.test.mode", "software");
    }
}
