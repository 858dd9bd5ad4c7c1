package io.warpdrive.zip.cli;

import io.warpdrive.zip.Mode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@code wdzip devices} in each of the suite's runs. */
class DevicesTest {

    @Test
    void saysWhatServesInThisRun() {
        Cli.Result r = Cli.run("devices");
        assertEquals(0, r.status(), r.toString());
        String out = r.outText();
        if (Mode.noNative()) {
            assertTrue(out.contains("Streams are served by java.util.zip because "), out);
            assertTrue(out.contains("warpdrive.library.path"), out);
        } else if (Mode.emulated()) {
            assertTrue(out.contains("Emulated devices: hisi_zip:2"), out);
            long rows = Arrays.stream(out.split("\n")).filter(l -> l.matches(
                    "hisi_zip-[01] +[01] +\\d+ +\\d+ +SVA +hisi_qm_v3 +.*deflate.* +ready")).count();
            assertEquals(2, rows, out);
            assertTrue(out.contains("NAME") && out.contains("NUMA") && out.contains("ALGORITHMS"), out);
            assertTrue(out.contains("Streams are served by hisi_zip-0, hisi_zip-1."), out);
        } else {
            assertTrue(out.contains("No accelerator found (looked in /sys/class/uacce)."), out);
            assertTrue(out.contains("Streams are served by the software engine"), out);
            assertFalse(out.contains("hisi_zip-"), out);
        }
    }

    @Test
    void takesNoArguments() {
        Cli.Result r = Cli.run("devices", "extra");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("devices takes no arguments"), r.err());
    }

    @Test
    void deviceMaskSyntaxIsUnderstood() {
        assertTrue(Devices.inMask("0,2-3", 0));
        assertFalse(Devices.inMask("0,2-3", 1));
        assertTrue(Devices.inMask("0,2-3", 3));
        assertFalse(Devices.inMask("0,2-3", 4));
        assertTrue(Devices.inMask(" 5 ", 5));
        assertFalse(Devices.inMask("x", 0));
    }
}
