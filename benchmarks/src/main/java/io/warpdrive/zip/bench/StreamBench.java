package io.warpdrive.zip.bench;

import io.warpdrive.zip.HwDeflateParameters;
import io.warpdrive.zip.HwDeflater;
import io.warpdrive.zip.HwGZIPOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The stream classes: gzip at level 6 in 64 KiB writes (java.util.zip with
 * a 64 KiB buffer against HwGZIPOutputStream, serial or parallel), and the
 * DeflaterOutputStream pattern of 512-byte writes through a 512-byte buffer.
 * One operation writes the corpus slice: MB/s = ops/s x 8.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class StreamBench {
    @Param({"software"})
    public String engine;
    /** Blocks compressed at once by the parallel mode (1: serial). */
    @Param({"1", "2", "4"})
    public int parallelism;

    private byte[] data;

    /** Counts and drops what is written. */
    static final class Sink extends OutputStream {
        long n;

        @Override
        public void write(int b) {
            n++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            n += len;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Engines.select(engine);
        data = Corpus.load(Corpus.DEFAULT_SIZE);
    }

    private long write(OutputStream os, Sink sink, int piece) throws IOException {
        try (os) {
            for (int off = 0; off < data.length; off += piece) {
                os.write(data, off, Math.min(piece, data.length - off));
            }
        }
        return sink.n;
    }

    @Benchmark
    public long gzipJdk() throws IOException {
        Sink s = new Sink();
        return write(new GZIPOutputStream(s, 65536), s, 65536);
    }

    @Benchmark
    public long gzipWarpdrive() throws IOException {
        Sink s = new Sink();
        return write(new HwGZIPOutputStream(s, new HwDeflateParameters().level(6).parallelism(parallelism)), s,
                65536);
    }

    @Benchmark
    public long smallWritesJdk() throws IOException {
        Sink s = new Sink();
        Deflater d = new Deflater();
        try {
            return write(new DeflaterOutputStream(s, d, 512), s, 512);
        } finally {
            d.end();
        }
    }

    @Benchmark
    public long smallWritesWarpdrive() throws IOException {
        Sink s = new Sink();
        Deflater d = new HwDeflater();
        try {
            return write(new DeflaterOutputStream(s, d, 512), s, 512);
        } finally {
            d.end();
        }
    }
}
