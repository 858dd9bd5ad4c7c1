package io.warpdrive.zip;

import io.warpdrive.zip.internal.JavaStats;
import io.warpdrive.zip.internal.Loader;
import io.warpdrive.zip.internal.NativeInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The library's state at a glance: whether the native library is loaded
 * (and why not), the accelerators it sees, and per-engine statistics.
 *
 * <p>Configuration is read once, when the native library loads, from these
 * system properties (each with an environment twin the native library reads
 * when the property is absent):
 * <ul>
 * <li>{@code warpdrive.library.path}: load the native library from this file only
 * <li>{@code warpdrive.sysfs} / {@code WD_SYSFS_ROOT}: UACCE class directory (default /sys/class/uacce)
 * <li>{@code warpdrive.dev} / {@code WD_DEV_ROOT}: device node directory (default /dev)
 * <li>{@code warpdrive.emulate} / {@code WD_EMULATE}: emulated devices, e.g. {@code hisi_zip:2}
 * <li>{@code warpdrive.fallback} / {@code WD_FALLBACK}: {@code false} to throw
 *     {@link AcceleratorException} instead of falling back to software
 * <li>{@code warpdrive.devices} / {@code WD_DEVICES}: device ids allowed, e.g. {@code 0,2-3}
 * <li>{@code warpdrive.threshold} / {@code WD_HW_THRESHOLD}: streams smaller than this many
 *     bytes at their first request stay in software (default 1024)
 * <li>{@code warpdrive.timeout} / {@code WD_HW_TIMEOUT}: milliseconds a device request may take
 *     before the stream falls back to software (default 2000)
 * <li>{@code warpdrive.threads} / {@code WD_THREADS}: software async worker threads
 * <li>{@code warpdrive.engine} / {@code WD_ENGINE}: {@code zlib} makes the software engine
 *     zlib only (java.util.zip's exact bytes at every level; ISA-L otherwise serves
 *     level 1, libdeflate levels 2-9, and our own decoder decompression)
 * </ul>
 */
public final class WarpDrive {
    private WarpDrive() {
    }

    /** Whether the native library is loaded; when false every Hw class is plain java.util.zip. */
    public static boolean nativeAvailable() {
        return Loader.available();
    }

    /** Why the native library is unavailable, in one sentence; null when it is available. */
    public static String nativeUnavailableReason() {
        return Loader.reason();
    }

    /** The native library's version, or null when it is unavailable. */
    public static String nativeVersion() {
        return NativeInfo.version();
    }

    /** The file the native library was loaded from, or null. */
    public static String nativeLibraryPath() {
        return Loader.path();
    }

    /** The accelerators present, including busy and isolated ones; empty without any. */
    public static List<Accelerator> accelerators() {
        List<Accelerator> out = new ArrayList<>();
        for (String line : NativeInfo.devices().split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length < 8) {
                continue;
            }
            try {
                out.add(new Accelerator(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                        Integer.parseInt(f[3]), "1".equals(f[4]), f[5],
                        List.copyOf(Arrays.asList(f[6].split(" "))), "1".equals(f[7])));
            } catch (NumberFormatException e) {
                // a line we cannot read is not a device we can use
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Per-engine statistics: each device, {@code software}, and
     * {@code java.util.zip} (streams served while the native library is unavailable).
     */
    public static List<EngineStats> statistics() {
        List<EngineStats> out = new ArrayList<>();
        for (String line : NativeInfo.stats().split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length < 6) {
                continue;
            }
            try {
                out.add(new EngineStats(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]),
                        Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5])));
            } catch (NumberFormatException e) {
                // skip
            }
        }
        long javaStreams = JavaStats.STREAMS.sum();
        if (javaStreams > 0) {
            out.add(new EngineStats("java.util.zip", javaStreams, 0, JavaStats.BYTES_IN.sum(),
                    JavaStats.BYTES_OUT.sum(), 0));
        }
        return Collections.unmodifiableList(out);
    }

    /** The statistics of one engine, or a row of zeros when it has served nothing. */
    public static EngineStats statistics(String engine) {
        for (EngineStats s : statistics()) {
            if (s.engine().equals(engine)) {
                return s;
            }
        }
        return new EngineStats(engine, 0, 0, 0, 0, 0);
    }
}
