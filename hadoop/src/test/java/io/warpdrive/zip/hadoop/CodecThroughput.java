package io.warpdrive.zip.hadoop;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.DefaultCodec;
import org.apache.hadoop.io.compress.GzipCodec;
import org.apache.hadoop.util.ReflectionUtils;

/**
 * Not a test: a rough single-thread comparison of our codecs with Hadoop's
 * (pure-Java, i.e. the JDK's zlib, when libhadoop is absent) through the
 * codec streams, for docs/hadoop.md. Run by hand:
 * {@code java -cp target/classes:target/test-classes:$(cat target/example.classpath)
 * io.warpdrive.zip.hadoop.CodecThroughput [MiB] [level]}.
 */
public final class CodecThroughput {
    private CodecThroughput() {
    }

    public static void main(String[] args) throws IOException {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        Configuration conf = new Configuration();
        if (args.length > 1) {
            conf.set("zlib.compress.level", args[1]);
        }
        byte[] data = HadoopTestData.text(mib << 20, 1);
        Class<?>[] codecs = {GzipCodec.class, WarpDriveGzipCodec.class, DefaultCodec.class, WarpDriveDeflateCodec.class};
        for (int round = 0; round < 2; round++) { // the first round warms up
            for (Class<?> c : codecs) {
                CompressionCodec codec = (CompressionCodec) ReflectionUtils.newInstance(c, conf);
                long t0 = System.nanoTime();
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length / 2);
                try (OutputStream out = codec.createOutputStream(bytes)) {
                    for (int off = 0; off < data.length; off += 65536) {
                        out.write(data, off, Math.min(65536, data.length - off));
                    }
                }
                long t1 = System.nanoTime();
                byte[] buf = new byte[65536];
                long n = 0;
                try (InputStream in = codec.createInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                    for (int k; (k = in.read(buf)) > 0; ) {
                        n += k;
                    }
                }
                long t2 = System.nanoTime();
                if (n != data.length) {
                    throw new IllegalStateException(c.getSimpleName() + " lost data");
                }
                if (round == 1) {
                    System.out.printf("%-22s ratio %.3f  compress %7.1f MB/s  decompress %7.1f MB/s%n",
                            c.getSimpleName(), (double) bytes.size() / data.length,
                            data.length / 1e6 / ((t1 - t0) / 1e9), data.length / 1e6 / ((t2 - t1) / 1e9));
                }
            }
        }
    }
}
