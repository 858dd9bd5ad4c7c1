package io.warpdrive.zip.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which of the three surefire runs this is (software engine, emulated
 * device, native library hidden), as io.warpdrive.zip.Mode says it for the
 * tests of that package, and the engine a big stream must report in it.
 */
final class RunMode {
    static final String NAME = System.getProperty("wd.test.mode", "software");

    private RunMode() {
    }

    /** The engine a stream of at least 64 KiB reports in this run. */
    static void assertBigStreamEngine(String engine) {
        if (NAME.equals("nonative")) {
            assertEquals("java.util.zip", engine);
        } else if (NAME.equals("emulated")) {
            assertTrue(engine.startsWith("hisi_zip-"), "expected the emulated device, got " + engine);
        } else {
            assertEquals("software", engine);
        }
    }

    /**
     * The engine a big compressing stream reports with this level and
     * strategy: devices do not store (level 0) or take strategies, so
     * those streams run on the software engine even in the emulated run.
     */
    static void assertBigStreamEngine(String engine, int level, int strategy) {
        if (NAME.equals("emulated") && (level == 0 || strategy != 0)) {
            assertEquals("software", engine);
        } else {
            assertBigStreamEngine(engine);
        }
    }
}
