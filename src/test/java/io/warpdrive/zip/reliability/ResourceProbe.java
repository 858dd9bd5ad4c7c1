package io.warpdrive.zip.reliability;

import io.warpdrive.zip.HwDeflater;
import io.warpdrive.zip.HwGZIPInputStream;
import io.warpdrive.zip.HwGZIPOutputStream;
import io.warpdrive.zip.HwInflater;
import io.warpdrive.zip.TestData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Child-JVM probe for {@link ResourceTest}. Modes:
 * <ul>
 * <li>{@code end N}: N cycles of create, deflate 100 bytes, inflate them
 *     back, end(); prints VmRSS after a warm-up and at the end;
 * <li>{@code forget N}: the same without end(), so only the Cleaner
 *     releases the native streams;
 * <li>{@code handles N}: on the emulated device, N rounds of opening many
 *     large streams (so they reach the device), using and closing them;
 *     prints /proc/self/fd entries and /proc/self/maps lines after the
 *     first round and after the last.
 * </ul>
 * The JVM runs with a fixed, pre-touched heap so Java heap growth does not
 * show up as RSS growth.
 */
public final class ResourceProbe {
    private ResourceProbe() {
    }

    private static final int SMALL = 100;
    /** Modes jdk-end and jdk-forget run the same cycles on java.util.zip, for comparison. */
    private static boolean jdk;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        long n = Long.parseLong(args[1]);
        long t0 = System.nanoTime();
        if (mode.equals("handles")) {
            handles(n);
        } else {
            jdk = mode.startsWith("jdk-");
            cycles(n, mode.endsWith("end"));
        }
        System.out.println("millis=" + (System.nanoTime() - t0) / 1_000_000);
        DeviceStats.now().print();
    }

    private static void cycles(long n, boolean end) throws DataFormatException, InterruptedException {
        byte[] data = TestData.text(SMALL, 3);
        byte[] comp = new byte[256];
        byte[] back = new byte[SMALL + 1];
        long warm = Math.max(1, Math.min(n / 10, 100_000));
        for (long i = 0; i < warm; i++) {
            cycle(data, comp, back, end);
        }
        settle();
        long rssWarm = rssKb();
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            cycle(data, comp, back, end);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long rssPeakBeforeSettle = rssKb();
        settle();
        long rssEnd = rssKb();
        System.out.println("cycles=" + n);
        System.out.println("cycleMillis=" + ms);
        System.out.println("rssWarmKb=" + rssWarm);
        System.out.println("rssUnsettledKb=" + rssPeakBeforeSettle);
        System.out.println("rssEndKb=" + rssEnd);
        System.out.println("rssGrowthKb=" + (rssEnd - rssWarm));
        System.out.println("vmHwmKb=" + status("VmHWM:"));
        System.out.println("liveStreams=" + io.warpdrive.zip.internal.NativeStream.live());
    }

    /** Deflates 100 bytes, inflates them back and checks them; ends both only when told to. */
    private static void cycle(byte[] data, byte[] comp, byte[] back, boolean end) throws DataFormatException {
        Deflater d = jdk ? new Deflater() : new HwDeflater();
        d.setInput(data);
        d.finish();
        int c = d.deflate(comp);
        if (!d.finished()) {
            throw new AssertionError("100 bytes did not fit in " + comp.length);
        }
        Inflater inf = jdk ? new Inflater() : new HwInflater();
        inf.setInput(comp, 0, c);
        int k = inf.inflate(back);
        if (k != data.length || !inf.finished() || !Arrays.equals(data, 0, k, back, 0, k)) {
            throw new AssertionError("round trip of " + data.length + " bytes gave " + k);
        }
        if (end) {
            d.end();
            inf.end();
        }
    }

    /** Lets the collector find forgotten objects and the Cleaner release their native streams. */
    private static void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
    }

    private static void handles(long rounds) throws IOException {
        byte[] data = TestData.text(256 * 1024, 5);
        round(data);
        // The JDK opens a socket of its own the first time NIO file channels are used (the
        // "pre-close" descriptor): the measuring code runs once before the baseline.
        fdTargets();
        maps();
        long fd0 = fds();
        java.util.Set<String> fdNames0 = fdTargets();
        long maps0 = maps();
        for (long i = 1; i < rounds; i++) {
            round(data);
        }
        java.util.Set<String> added = fdTargets();
        added.removeAll(fdNames0);
        System.out.println("fdsAdded " + added);
        System.out.println("rounds=" + rounds);
        System.out.println("fdFirst=" + fd0);
        System.out.println("fdLast=" + fds());
        System.out.println("mapsFirst=" + maps0);
        System.out.println("mapsLast=" + maps());
    }

    /** 32 gzip streams open at once, each large enough for the device, written, read back and closed. */
    private static void round(byte[] data) throws IOException {
        int streams = 32;
        ByteArrayOutputStream[] sinks = new ByteArrayOutputStream[streams];
        HwGZIPOutputStream[] outs = new HwGZIPOutputStream[streams];
        for (int s = 0; s < streams; s++) {
            sinks[s] = new ByteArrayOutputStream();
            outs[s] = new HwGZIPOutputStream(sinks[s]);
        }
        for (int off = 0; off < data.length; off += 65536) {
            for (HwGZIPOutputStream o : outs) {
                o.write(data, off, Math.min(65536, data.length - off));
            }
        }
        for (HwGZIPOutputStream o : outs) {
            o.close();
        }
        for (ByteArrayOutputStream sink : sinks) {
            try (HwGZIPInputStream in = new HwGZIPInputStream(new ByteArrayInputStream(sink.toByteArray()))) {
                if (!Arrays.equals(data, in.readAllBytes())) {
                    throw new AssertionError("a stream read back other bytes");
                }
            }
        }
    }

    static long rssKb() {
        return status("VmRSS:");
    }

    private static long status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).replace("kB", "").strip());
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no " + key + " in /proc/self/status");
    }

    private static long fds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** "fd -> target" of every open descriptor. */
    private static java.util.Set<String> fdTargets() throws IOException {
        java.util.Set<String> out = new java.util.TreeSet<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    out.add(p.getFileName() + " -> " + Files.readSymbolicLink(p));
                } catch (IOException e) {
                    // closed while listed (the listing's own descriptor)
                }
            }
        }
        return out;
    }

    private static long maps() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/maps"));
        return lines.size();
    }
}
