package io.warpdrive.zip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which of the suite's three runs this is (see pom.xml and
 * io.warpdrive.zip.Mode, which is package-private there): the software
 * engine, the emulated hisi_zip device, or the native library hidden.
 */
final class CliMode {
    private CliMode() {
    }

    static final String NAME = System.getProperty("wd.test.mode", "software");

    static boolean emulated() {
        return NAME.equals("emulated");
    }

    static boolean noNative() {
        return NAME.equals("nonative");
    }

    /** The engine wdzip must name for a stream of at least 64 KiB in this run. */
    static void assertBigStreamEngine(String engine) {
        if (noNative()) {
            assertEquals("java.util.zip", engine);
        } else if (emulated()) {
            assertTrue(engine.matches("hisi_zip-\\d+(\\+hisi_zip-\\d+)*"), "expected the emulated device, got " + engine);
        } else {
            assertEquals("software", engine);
        }
    }
}
