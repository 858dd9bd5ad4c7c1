package io.warpdrive.zip.bench;

import io.warpdrive.zip.HwInflater;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
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
 * One operation decompresses the corpus slice, written by java.util.zip
 * at level 6, feeding input and taking output in chunks: MB/s = ops/s x 8.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InflateBench {
    @Param({"jdk", "warpdrive"})
    public String impl;
    @Param({"software"})
    public String engine;
    @Param({"65536"})
    public int chunk;
    @Param({"array"})
    public String api;

    private byte[] packed;
    private int plain;
    private byte[] out;
    private ByteBuffer din;
    private ByteBuffer dout;
    private Inflater inflater;

    @Setup(Level.Trial)
    public void setUp() {
        Engines.select(engine);
        byte[] data = Corpus.load(Corpus.DEFAULT_SIZE);
        plain = data.length;
        Deflater d = new Deflater(6);
        d.setInput(data);
        d.finish();
        byte[] buf = new byte[data.length + data.length / 8 + 1024];
        int n = 0;
        while (!d.finished()) {
            n += d.deflate(buf, n, buf.length - n);
        }
        d.end();
        packed = java.util.Arrays.copyOf(buf, n);
        out = new byte[chunk];
        din = ByteBuffer.allocateDirect(packed.length);
        din.put(packed).flip();
        dout = ByteBuffer.allocateDirect(chunk);
        inflater = impl.equals("jdk") ? new Inflater() : new HwInflater();
    }

    @Benchmark
    public long inflate() throws DataFormatException {
        Inflater f = inflater;
        f.reset();
        boolean direct = api.equals("direct");
        int in = 0;
        long total = 0;
        while (!f.finished()) {
            if (f.needsInput()) {
                int k = Math.min(chunk, packed.length - in);
                if (direct) {
                    f.setInput(din.duplicate().position(in).limit(in + k));
                } else {
                    f.setInput(packed, in, k);
                }
                in += k;
            }
            total += direct ? f.inflate(dout.clear()) : f.inflate(out, 0, out.length);
        }
        if (total != plain) {
            throw new IllegalStateException("inflated " + total + " of " + plain);
        }
        return total;
    }

    @TearDown(Level.Trial)
    public void report() {
        System.out.printf("%n[%s %s chunk %d %s] engine %s%n", impl, engine, chunk, api,
                inflater instanceof HwInflater ? ((HwInflater) inflater).engine() : "jdk");
        inflater.end();
    }
}
