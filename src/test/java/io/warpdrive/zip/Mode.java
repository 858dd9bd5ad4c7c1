package io.warpdrive.zip;

import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The suite runs four times (see pom.xml): on the native software engine
 * (ISA-L for level 1, libdeflate for levels 2-9, our own decoder for
 * decompression, zlib otherwise), on the software
 * engine restricted to zlib, on the emulated hisi_zip device, and with the
 * native library hidden. This says which run this is and what to expect.
 */
public final class Mode {
    private Mode() {
    }

    public static final String NAME = System.getProperty("wd.test.mode", "software");

    /**
     * How many rounds a randomized test runs: its CI count times
     * {@code -Dwd.test.scale} (default 1), for long runs by hand.
     */
    public static int rounds(int ci) {
        return ci * Math.max(1, Integer.getInteger("wd.test.scale", 1));
    }

    /** The seed of a randomized test, or {@code -Dwd.test.seed} when given. */
    public static long seed(long ci) {
        return Long.getLong("wd.test.seed", ci);
    }

    public static boolean emulated() {
        return NAME.equals("emulated");
    }

    public static boolean noNative() {
        return NAME.equals("nonative");
    }

    /** The software engine restricted to zlib. */
    public static boolean zlibOnly() {
        return NAME.equals("zlib");
    }

    /**
     * True when every stream's bytes and per-call results must equal the
     * JDK's: zlib runs the way the JDK runs it. ISA-L and device output is
     * valid DEFLATE with the same contracts, but other bytes and call splits.
     */
    public static boolean exactZlib() {
        return zlibOnly() || noNative();
    }

    /**
     * True when decompression must match the JDK call by call: input taken,
     * output given, states and counters after every call. The software
     * engine's own decoder takes and gives bytes as zlib does; the device
     * decodes ahead of what it delivers.
     */
    public static boolean exactInflate() {
        return !emulated();
    }

    /**
     * Whether a compression stream at this level (default strategy, no
     * dictionary) is zlib's, byte for byte: on the software engine level 1
     * is ISA-L's and levels 2-9 are libdeflate's, so only level 0 is.
     */
    public static boolean exactDeflate(int level) {
        return exactDeflate(level, Deflater.DEFAULT_STRATEGY, false);
    }

    /** As {@link #exactDeflate(int)}, for a strategy and with or without a dictionary. */
    public static boolean exactDeflate(int level, int strategy, boolean dictionary) {
        return exactZlib() || (NAME.equals("software")
                && (level == 0 || strategy != Deflater.DEFAULT_STRATEGY || dictionary));
    }

    /** Checks that the library is in the state this run promises. */
    public static void assertLoadedAsExpected() {
        if (noNative()) {
            assertFalse(WarpDrive.nativeAvailable(), "native library should be hidden in this run");
            assertTrue(WarpDrive.nativeUnavailableReason() != null);
        } else {
            assertTrue(WarpDrive.nativeAvailable(), () -> "native library unavailable: "
                    + WarpDrive.nativeUnavailableReason());
        }
    }

    /**
     * The engine a big compressing stream reports with this level and
     * strategy: devices do not store (level 0) or take strategies, so those
     * streams run on the software engine even in the emulated run.
     */
    public static void assertBigStreamEngine(String engine, int level, int strategy) {
        if (emulated() && (level == 0 || strategy != 0)) {
            assertEquals("software", engine);
        } else {
            assertBigStreamEngine(engine);
        }
    }

    /** The engine a stream of at least 64 KiB reports in this run. */
    public static void assertBigStreamEngine(String engine) {
        if (noNative()) {
            assertEquals("java.util.zip", engine);
        } else if (emulated()) {
            assertTrue(engine.startsWith("hisi_zip-"), "expected the emulated device, got " + engine);
        } else {
            assertEquals("software", engine);
        }
    }
}
