package io.warpdrive.zip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The suite runs three times (see pom.xml): on the native software engine,
 * on the emulated hisi_zip device, and with the native library hidden.
 * This says which run this is and what engine a stream should report.
 */
final class Mode {
    private Mode() {
    }

    static final String NAME = System.getProperty("wd.test.mode", "software");

    static boolean emulated() {
        return NAME.equals("emulated");
    }

    static boolean noNative() {
        return NAME.equals("nonative");
    }

    /**
     * True when compressed bytes and per-call results must equal the JDK's
     * exactly: the software engine and java.util.zip both run zlib the way
     * the JDK does. Device output is valid DEFLATE but not zlib's bytes.
     */
    static boolean exactZlib() {
        return !emulated();
    }

    /** Checks that the library is in the state this run promises. */
    static void assertLoadedAsExpected() {
        if (noNative()) {
            assertFalse(WarpDrive.nativeAvailable(), "native library should be hidden in this run");
            assertTrue(WarpDrive.nativeUnavailableReason() != null);
        } else {
            assertTrue(WarpDrive.nativeAvailable(), () -> "native library unavailable: "
                    + WarpDrive.nativeUnavailableReason());
        }
    }

    /** The engine a stream of at least 64 KiB reports in this run. */
    static void assertBigStreamEngine(String engine) {
        if (noNative()) {
            assertEquals("java.util.zip", engine);
        } else if (emulated()) {
            assertTrue(engine.startsWith("hisi_zip-"), "expected the emulated device, got " + engine);
        } else {
            assertEquals("software", engine);
        }
    }
}
