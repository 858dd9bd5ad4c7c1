package io.warpdrive.zip.bench;

import io.warpdrive.zip.HwDeflater;
import java.nio.ByteBuffer;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One operation compresses the whole mixed corpus slice (Corpus.DEFAULT_SIZE
 * bytes) in chunks through the byte[] or direct-ByteBuffer API, as a stream
 * does: MB/s = ops/s x 8. The compressed size is printed at tear-down.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DeflateBench {
    @Param({"jdk", "warpdrive"})
    public String impl;
    @Param({"software"})
    public String engine;
    @Param({"1", "6", "9"})
    public int level;
    @Param({"65536"})
    public int chunk;
    @Param({"array"})
    public String api;

    private byte[] data;
    private byte[] out;
    private ByteBuffer din;
    private ByteBuffer dout;
    private Deflater deflater;
    private long lastSize;

    @Setup(Level.Trial)
    public void setUp() {
        Engines.select(engine);
        data = Corpus.load(Corpus.DEFAULT_SIZE);
        out = new byte[Math.max(chunk, 64)];
        din = ByteBuffer.allocateDirect(data.length);
        din.put(data).flip();
        dout = ByteBuffer.allocateDirect(out.length);
        deflater = impl.equals("jdk") ? new Deflater(level) : new HwDeflater(level);
    }

    @Benchmark
    public long deflate() {
        Deflater d = deflater;
        d.reset();
        long total = 0;
        boolean direct = api.equals("direct");
        for (int off = 0; off < data.length; off += chunk) {
            int n = Math.min(chunk, data.length - off);
            if (direct) {
                d.setInput(din.duplicate().position(off).limit(off + n));
            } else {
                d.setInput(data, off, n);
            }
            while (!d.needsInput()) {
                total += direct ? d.deflate(dout.clear()) : d.deflate(out, 0, out.length);
            }
        }
        d.finish();
        while (!d.finished()) {
            total += direct ? d.deflate(dout.clear()) : d.deflate(out, 0, out.length);
        }
        lastSize = total;
        return total;
    }

    @TearDown(Level.Trial)
    public void report() {
        System.out.printf("%n[%s %s level %d chunk %d %s] compressed %d -> %d bytes (ratio %.3f), engine %s%n",
                impl, engine, level, chunk, api, data.length, lastSize, (double) data.length / lastSize,
                deflater instanceof HwDeflater ? ((HwDeflater) deflater).engine() : "jdk");
        deflater.end();
    }
}
