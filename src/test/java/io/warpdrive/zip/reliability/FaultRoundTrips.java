package io.warpdrive.zip.reliability;

import io.warpdrive.zip.HwDeflateParameters;
import io.warpdrive.zip.HwDeflater;
import io.warpdrive.zip.HwDeflaterOutputStream;
import io.warpdrive.zip.HwGZIPInputStream;
import io.warpdrive.zip.HwGZIPOutputStream;
import io.warpdrive.zip.HwInflater;
import io.warpdrive.zip.TestData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

/**
 * Child-JVM probe for {@link FaultInjectionTest}: randomized round trips
 * (sizes skewed small, every format, level and flush mode, random buffer
 * sizes) on whatever device configuration the JVM was started with. Each
 * stream is decoded by java.util.zip (the oracle) and by HwInflater /
 * HwGZIPInputStream; both must give back the input exactly.
 *
 * <p>Arguments: count, seed. Prints {@code roundTrips}, {@code failures},
 * the device statistics and {@code millis}; each failure prints its trip
 * seed, which {@link #roundTrip} replays alone.
 */
public final class FaultRoundTrips {
    private FaultRoundTrips() {
    }

    private static final int RAW = 0;
    private static final int ZLIB = 1;
    private static final int GZIP = 2;
    private static final String[] FORMATS = {"raw", "zlib", "gzip"};
    private static final int MAX_SIZE_BITS = 18; // up to 256 KiB
    private static final int MAX_PRINTED_FAILURES = 5;
    /** zlib's manual: "make sure that avail_out is greater than six" for a sync or full flush. */
    private static final int MIN_FLUSH_ROOM = 7;

    /** -Dwd.reliability.trace=true prints every trip before it runs (to find one that hangs). */
    private static final boolean TRACE = Boolean.getBoolean("wd.reliability.trace");

    /** -Dwd.reliability.jdkDeflater=true: the Deflater API trips use java.util.zip (to check the driver loop). */
    private static final boolean JDK_DEFLATER = Boolean.getBoolean("wd.reliability.jdkDeflater");

    public static void main(String[] args) {
        int count = Integer.parseInt(args[0]);
        long seed = Long.parseLong(args[1]);
        long t0 = System.nanoTime();
        int failures = 0;
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            long tripSeed = seed * 1_000_003L + i;
            String what = "";
            try {
                Trip t = new Trip(new Random(tripSeed));
                what = t.toString();
                if (TRACE) {
                    System.out.println("trip=" + i + " seed=" + tripSeed + " " + what);
                }
                bytes += t.data.length;
                String err = t.run();
                if (err != null) {
                    failures++;
                    if (failures <= MAX_PRINTED_FAILURES) {
                        System.out.println("FAIL trip=" + i + " seed=" + tripSeed + " " + what + ": " + err);
                    }
                }
            } catch (Throwable e) { // a crash-free library still must not throw on valid data
                failures++;
                if (failures <= MAX_PRINTED_FAILURES) {
                    System.out.println("FAIL trip=" + i + " seed=" + tripSeed + " " + what + ": threw");
                    e.printStackTrace(System.out);
                }
            }
        }
        System.out.println("roundTrips=" + count);
        System.out.println("failures=" + failures);
        System.out.println("inputBytes=" + bytes);
        DeviceStats.now().print();
        System.out.println("millis=" + (System.nanoTime() - t0) / 1_000_000);
        System.exit(failures == 0 ? 0 : 1);
    }

    /** One randomized round trip, all its choices made up front from the seed. */
    static final class Trip {
        final Random r;
        final byte[] data;
        final int format;
        final int level;
        final boolean streamApi;
        final int outSize;

        Trip(Random r) {
            this.r = r;
            int bits = r.nextInt(MAX_SIZE_BITS + 1);
            int size = bits == 0 ? 0 : r.nextInt(1 << bits) + (1 << (bits - 1));
            switch (r.nextInt(3)) {
                case 0:
                    data = TestData.text(size, r.nextLong());
                    break;
                case 1:
                    data = TestData.mixed(size, r.nextLong());
                    break;
                default:
                    data = TestData.random(size, r.nextLong());
                    break;
            }
            format = r.nextInt(3);
            level = r.nextInt(11) - 1; // -1 (default) and 0-9
            streamApi = format == GZIP || r.nextBoolean();
            outSize = bufferSize(r, data.length);
        }

        /** Output/read buffer sizes from 1 byte to 64 KiB, tiny ones only for small data. */
        static int bufferSize(Random r, int dataLen) {
            int min = dataLen > 16384 ? 512 : 1;
            return Math.max(min, 1 + r.nextInt(1 << r.nextInt(17)));
        }

        @Override
        public String toString() {
            return FORMATS[format] + " size=" + data.length + " level=" + level
                    + (streamApi ? " stream" : " deflater") + " out=" + outSize;
        }

        /** Null when both decoders give the input back; otherwise what went wrong. */
        String run() throws IOException, DataFormatException {
            byte[] c = streamApi ? compressWithStream() : compressWithDeflater();
            byte[] jdk = format == GZIP ? gunzip(new GZIPInputStream(new ByteArrayInputStream(c)))
                    : jdkInflate(c, format == RAW);
            if (!Arrays.equals(data, jdk)) {
                return "java.util.zip decoded " + jdk.length + " bytes, differing from the input";
            }
            byte[] hw = format == GZIP
                    ? gunzip(new HwGZIPInputStream(new ByteArrayInputStream(c), bufferSize(r, c.length)))
                    : hwInflate(c, format == RAW);
            if (!Arrays.equals(data, hw)) {
                dump(c);
                return "HwInflater decoded " + hw.length + " bytes, differing from the input";
            }
            return null;
        }

        /** -Dwd.reliability.dump=DIR keeps a failing trip's input and stream for replay. */
        private void dump(byte[] c) throws IOException {
            String dir = System.getProperty("wd.reliability.dump");
            if (dir != null) {
                java.nio.file.Files.write(java.nio.file.Path.of(dir, "input"), data);
                java.nio.file.Files.write(java.nio.file.Path.of(dir, "stream." + FORMATS[format]), c);
            }
        }

        private int randomFlush() {
            switch (r.nextInt(4)) {
                case 0:
                    return Deflater.SYNC_FLUSH;
                case 1:
                    return Deflater.FULL_FLUSH;
                default:
                    return Deflater.NO_FLUSH;
            }
        }

        /** setInput in random pieces (array, heap or direct buffer), random flushes and level changes. */
        private byte[] compressWithDeflater() {
            Deflater d = JDK_DEFLATER ? new Deflater(level, format == RAW) : new HwDeflater(level, format == RAW);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[outSize];
            try {
                int off = 0;
                while (off < data.length) {
                    int n = Math.min(data.length - off, 1 + r.nextInt(Math.max(1, data.length / 3)));
                    setInput(d, off, n);
                    if (r.nextInt(8) == 0) {
                        d.setLevel(r.nextInt(10));
                    }
                    int flush = randomFlush();
                    // The JDK contract: after a flush, call again while the output comes back full.
                    // Each such call writes one more flush marker, so zlib's manual asks for more
                    // than six bytes of room (ISA-L's marker is 6 bytes, zlib's 5); with less the
                    // loop never ends, on the JDK as here.
                    byte[] b = flush == Deflater.NO_FLUSH || buf.length >= MIN_FLUSH_ROOM ? buf
                            : new byte[MIN_FLUSH_ROOM];
                    int k;
                    do {
                        k = d.deflate(b, 0, b.length, flush);
                        out.write(b, 0, k);
                    } while (!d.needsInput() || (flush != Deflater.NO_FLUSH && k == b.length));
                    off += n;
                }
                d.finish();
                while (!d.finished()) {
                    out.write(buf, 0, d.deflate(buf));
                }
            } finally {
                d.end();
            }
            return out.toByteArray();
        }

        private void setInput(Deflater d, int off, int n) {
            switch (r.nextInt(3)) {
                case 0:
                    d.setInput(data, off, n);
                    break;
                case 1:
                    d.setInput(ByteBuffer.wrap(data, off, n));
                    break;
                default:
                    ByteBuffer b = ByteBuffer.allocateDirect(n);
                    b.put(data, off, n).flip();
                    d.setInput(b);
                    break;
            }
        }

        /** Writes in random pieces with random flush() calls (sync-flushing streams make them SYNC_FLUSH). */
        private byte[] compressWithStream() throws IOException {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            boolean sync = r.nextBoolean();
            int size = Math.max(512, outSize);
            boolean parallel = format != RAW && r.nextInt(4) == 0;
            HwDeflateParameters params = new HwDeflateParameters().level(level).bufferSize(size)
                    .syncFlush(sync).parallelism(parallel ? 2 : 1);
            HwDeflater own = null;
            java.io.OutputStream os;
            if (format == GZIP) {
                os = new HwGZIPOutputStream(bos, params);
            } else if (parallel) {
                os = new HwDeflaterOutputStream(bos, params);
            } else {
                own = new HwDeflater(level, format == RAW);
                os = new HwDeflaterOutputStream(bos, own, size, sync);
            }
            try (java.io.OutputStream o = os) {
                int off = 0;
                while (off < data.length) {
                    int n = Math.min(data.length - off, 1 + r.nextInt(Math.max(1, data.length / 3)));
                    o.write(data, off, n);
                    if (r.nextInt(3) == 0) {
                        o.flush();
                    }
                    off += n;
                }
            } finally {
                if (own != null) { // a Deflater given to a stream stays its caller's to end
                    own.end();
                }
            }
            return bos.toByteArray();
        }

        private static byte[] gunzip(InputStream in) throws IOException {
            try (InputStream i = in) {
                return i.readAllBytes();
            }
        }

        /** The oracle: the JDK's Inflater over the whole stream, which must end exactly at its end. */
        private static byte[] jdkInflate(byte[] c, boolean nowrap) throws DataFormatException {
            Inflater inf = new Inflater(nowrap);
            try {
                inf.setInput(c);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[65536];
                while (!inf.finished()) {
                    int n = inf.inflate(buf);
                    if (n == 0 && !inf.finished() && (inf.needsInput() || inf.needsDictionary())) {
                        throw new DataFormatException("java.util.zip: stream truncated");
                    }
                    out.write(buf, 0, n);
                }
                if (inf.getRemaining() != 0) {
                    throw new DataFormatException("java.util.zip: " + inf.getRemaining() + " bytes after the end");
                }
                return out.toByteArray();
            } finally {
                inf.end();
            }
        }

        /** HwInflater fed in random pieces into random-size outputs. */
        private byte[] hwInflate(byte[] c, boolean nowrap) throws DataFormatException {
            HwInflater inf = new HwInflater(nowrap);
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[bufferSize(r, data.length)];
                int off = 0;
                while (!inf.finished()) {
                    if (inf.needsInput() && off < c.length) {
                        int n = Math.min(c.length - off, 1 + r.nextInt(Math.max(1, c.length / 2)));
                        inf.setInput(c, off, n);
                        off += n;
                    }
                    int k = inf.inflate(buf);
                    // all input taken is not the end: output may still wait inside
                    if (k == 0 && !inf.finished() && inf.needsInput() && off == c.length) {
                        throw new DataFormatException("HwInflater: stream truncated");
                    }
                    out.write(buf, 0, k);
                }
                if (off != c.length || inf.getRemaining() != 0) {
                    throw new DataFormatException("HwInflater: finished before the end of its input");
                }
                return out.toByteArray();
            } finally {
                inf.end();
            }
        }
    }
}
