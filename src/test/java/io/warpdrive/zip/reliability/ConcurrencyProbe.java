package io.warpdrive.zip.reliability;

import io.warpdrive.zip.HwDeflater;
import io.warpdrive.zip.HwDeflaterOutputStream;
import io.warpdrive.zip.HwGZIPInputStream;
import io.warpdrive.zip.HwGZIPOutputStream;
import io.warpdrive.zip.HwInflater;
import io.warpdrive.zip.HwInflaterInputStream;
import io.warpdrive.zip.TestData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Child-JVM probe for {@link ConcurrencyTest}: many threads, each with
 * several streams open at once and written (then read) in interleaved
 * random pieces, so far more streams are live than the device has queues.
 * Every stream is checked against its input (decoded by java.util.zip and
 * by the Hw input streams). A watchdog prints every thread's stack and
 * exits with 2 if the work is not done within the bound.
 *
 * <p>Arguments: threads, streams per thread, rounds, bytes per stream,
 * bound in seconds. Prints {@code thread.<i>.ms} (completion time after
 * the common start), {@code medianMs}, {@code slowestMs}, {@code corrupt},
 * {@code errors} and the device statistics.
 */
public final class ConcurrencyProbe {
    private ConcurrencyProbe() {
    }

    private static final AtomicInteger CORRUPT = new AtomicInteger();
    private static final AtomicInteger ERRORS = new AtomicInteger();

    public static void main(String[] args) throws InterruptedException {
        int threads = Integer.parseInt(args[0]);
        int streams = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int bytes = Integer.parseInt(args[3]);
        long boundS = Long.parseLong(args[4]);
        long[] doneMs = new long[threads];
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    long t0 = System.nanoTime();
                    for (int round = 0; round < rounds; round++) {
                        work(new Random(id * 7919L + round), streams, bytes);
                    }
                    doneMs[id] = (System.nanoTime() - t0) / 1_000_000;
                } catch (Throwable e) {
                    ERRORS.incrementAndGet();
                    System.out.println("thread " + id + " threw:");
                    e.printStackTrace(System.out);
                } finally {
                    done.countDown();
                }
            }, "worker-" + t);
            th.setDaemon(true);
            th.start();
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        if (!done.await(boundS, TimeUnit.SECONDS)) {
            System.out.println("DEADLINE: " + done.getCount() + " threads still running after " + boundS + " s");
            long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
            System.out.println("deadlocked=" + (deadlocked == null ? 0 : deadlocked.length));
            for (ThreadInfo ti : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
                System.out.print(ti);
            }
            System.exit(2);
        }
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        for (int t = 0; t < threads; t++) {
            System.out.println("thread." + t + ".ms=" + doneMs[t]);
        }
        long[] sorted = doneMs.clone();
        Arrays.sort(sorted);
        System.out.println("medianMs=" + sorted[threads / 2]);
        System.out.println("slowestMs=" + sorted[threads - 1]);
        System.out.println("fastestMs=" + sorted[0]);
        System.out.println("wallMs=" + wallMs);
        System.out.println("corrupt=" + CORRUPT.get());
        System.out.println("errors=" + ERRORS.get());
        DeviceStats.now().print();
        System.exit(0);
    }

    /** One round: open every stream, write them all in interleaved pieces, then read them back the same way. */
    private static void work(Random r, int streams, int bytes) throws IOException {
        byte[][] data = new byte[streams][];
        ByteArrayOutputStream[] sinks = new ByteArrayOutputStream[streams];
        OutputStream[] outs = new OutputStream[streams];
        HwDeflater[] given = new HwDeflater[streams];
        int[] format = new int[streams]; // 0 gzip, 1 zlib, 2 raw
        int[] written = new int[streams];
        for (int s = 0; s < streams; s++) {
            data[s] = r.nextBoolean() ? TestData.text(bytes, r.nextLong()) : TestData.mixed(bytes, r.nextLong());
            sinks[s] = new ByteArrayOutputStream();
            format[s] = s % 3;
            int level = 1 + r.nextInt(9);
            if (format[s] == 0) {
                HwGZIPOutputStream gz = new HwGZIPOutputStream(sinks[s], 8192 << r.nextInt(4), r.nextBoolean());
                gz.setLevel(level);
                outs[s] = gz;
            } else {
                given[s] = new HwDeflater(level, format[s] == 2);
                outs[s] = new HwDeflaterOutputStream(sinks[s], given[s], 8192 << r.nextInt(4), r.nextBoolean());
            }
        }
        for (boolean left = true; left; ) { // interleaved writes, all streams live at once
            left = false;
            for (int s = 0; s < streams; s++) {
                int n = Math.min(data[s].length - written[s], 1 + r.nextInt(32768));
                if (n > 0) {
                    outs[s].write(data[s], written[s], n);
                    written[s] += n;
                    if (r.nextInt(6) == 0) {
                        outs[s].flush();
                    }
                    left = true;
                }
            }
        }
        for (int s = 0; s < streams; s++) {
            outs[s].close();
            if (given[s] != null) {
                given[s].end();
            }
        }
        readBack(r, data, sinks, format);
    }

    private static void readBack(Random r, byte[][] data, ByteArrayOutputStream[] sinks, int[] format)
            throws IOException {
        int streams = data.length;
        InputStream[] ins = new InputStream[streams];
        HwInflater[] given = new HwInflater[streams];
        ByteArrayOutputStream[] got = new ByteArrayOutputStream[streams];
        for (int s = 0; s < streams; s++) {
            byte[] c = sinks[s].toByteArray();
            byte[] oracle = format[s] == 0 ? new GZIPInputStream(new ByteArrayInputStream(c)).readAllBytes()
                    : new InflaterInputStream(new ByteArrayInputStream(c), new java.util.zip.Inflater(format[s] == 2))
                            .readAllBytes();
            if (!Arrays.equals(data[s], oracle)) {
                CORRUPT.incrementAndGet();
                System.out.println("stream " + s + " (format " + format[s] + "): java.util.zip reads other bytes");
            }
            if (format[s] == 0) {
                ins[s] = new HwGZIPInputStream(new ByteArrayInputStream(c), 4096 << r.nextInt(5));
            } else {
                given[s] = new HwInflater(format[s] == 2);
                ins[s] = new HwInflaterInputStream(new ByteArrayInputStream(c), given[s], 4096 << r.nextInt(5));
            }
            got[s] = new ByteArrayOutputStream();
        }
        byte[] buf = new byte[32768];
        for (boolean left = true; left; ) { // interleaved reads
            left = false;
            for (int s = 0; s < streams; s++) {
                if (ins[s] == null) {
                    continue;
                }
                int n = ins[s].read(buf, 0, 1 + r.nextInt(buf.length));
                if (n < 0) {
                    ins[s].close();
                    ins[s] = null;
                    if (given[s] != null) {
                        given[s].end();
                    }
                    continue;
                }
                got[s].write(buf, 0, n);
                left = true;
            }
        }
        for (int s = 0; s < streams; s++) {
            if (!Arrays.equals(data[s], got[s].toByteArray())) {
                CORRUPT.incrementAndGet();
                System.out.println("stream " + s + " (format " + format[s] + "): the Hw input stream reads other bytes");
            }
        }
    }
}
