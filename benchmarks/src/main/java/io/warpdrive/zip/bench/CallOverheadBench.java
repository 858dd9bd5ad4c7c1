package io.warpdrive.zip.bench;

import io.warpdrive.zip.HwDeflater;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
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
 * The cost of one call: setInput + deflate(NO_FLUSH) of `size` bytes into a
 * 64 KiB buffer, the stream continuing (reset every 64 MiB). Compare
 * `warpdrive` here with the same engine called from C
 * (src/main/c: make bench; target/native/bench/bench_stream FILE):
 * the difference is what the Java-to-C path costs per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CallOverheadBench {
    @Param({"jdk", "warpdrive"})
    public String impl;
    @Param({"software"})
    public String engine;
    @Param({"1", "6"})
    public int level;
    @Param({"512", "65536"})
    public int size;

    private byte[] data;
    private byte[] out = new byte[1 << 17];
    private Deflater deflater;
    private int pos;
    private long fed;

    @Setup(Level.Trial)
    public void setUp() {
        Engines.select(engine);
        data = Corpus.load(Corpus.DEFAULT_SIZE);
        deflater = impl.equals("jdk") ? new Deflater(level) : new HwDeflater(level);
    }

    @Benchmark
    public int call() {
        if (pos + size > data.length) {
            pos = 0;
        }
        if (fed > (64L << 20)) {
            deflater.reset();
            fed = 0;
        }
        deflater.setInput(data, pos, size);
        int n = deflater.deflate(out, 0, out.length);
        pos += size;
        fed += size;
        return n;
    }
}
