package io.warpdrive.zip.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpdrive.zip.Mode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Native resources are released: RSS stays flat over many create/use/end
 * cycles and over many create-and-forget cycles (the Cleaner path), and on
 * the emulated device opening and closing streams leaves the process with
 * the file descriptors and mappings it had.
 *
 * <p>Each case runs in a child JVM with a fixed, pre-touched 64 MiB heap so
 * heap growth cannot pass for native growth. RSS is read after a warm-up
 * (a tenth of the cycles, at most 100,000) and at the end, after a
 * collection; it may grow at most {@value #RSS_BOUND_KB} KiB. Counts:
 * {@code -Dwd.reliability.endCycles} (default 500,000) and
 * {@code -Dwd.reliability.forgetCycles} (default 100,000); the full
 * million of each is recorded in docs/reliability.md.
 */
class ResourceTest {
    private static final long END_CYCLES = Long.getLong("wd.reliability.endCycles", 500_000);
    private static final long FORGET_CYCLES = Long.getLong("wd.reliability.forgetCycles", 100_000);
    private static final long RSS_BOUND_KB = 64 * 1024;
    private static final List<String> JVM = List.of("-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC");

    @BeforeAll
    static void oncePerBuild() {
        Assumptions.assumeTrue(Mode.NAME.equals("software"), "runs in the default execution only");
    }

    private static ChildJvm.Result cycles(String mode, long n) throws Exception {
        ChildJvm.Result r = ChildJvm.run(ResourceProbe.class, JVM, Map.of(), 600, mode, Long.toString(n));
        System.out.println(mode + " " + n + ":\n" + r.out);
        r.assertOk();
        assertEquals(n, r.get("cycles"));
        long growth = r.get("rssGrowthKb");
        assertTrue(growth < RSS_BOUND_KB, () -> "RSS grew by " + growth + " KiB:\n" + r.out);
        assertEquals(0, r.get("liveStreams"), "every native stream released");
        return r;
    }

    @Test
    void createUseEndCyclesKeepRssFlat() throws Exception {
        cycles("end", END_CYCLES);
    }

    @Test
    void createAndForgetCyclesAreReleasedByTheCleaner() throws Exception {
        cycles("forget", FORGET_CYCLES);
    }

    /**
     * 32 device streams open at once, written, read back and closed, 20
     * times: after the first round (which fills the queue pool) the counts
     * of /proc/self/fd entries and /proc/self/maps lines must not change.
     */
    @Test
    void deviceStreamsGiveBackTheirDescriptorsAndMappings() throws Exception {
        List<String> opts = new java.util.ArrayList<>(JVM);
        opts.add("-Dwarpdrive.emulate=hisi_zip:1");
        ChildJvm.Result r = ChildJvm.run(ResourceProbe.class, opts, Map.of(), 300, "handles", "20");
        System.out.println(r.out);
        r.assertOk();
        assertTrue(r.get("deviceStreams") >= 20 * 32, () -> "the device did not serve the streams:\n" + r.out);
        assertEquals(r.get("fdFirst"), r.get("fdLast"), () -> "file descriptors leaked:\n" + r.out);
        assertEquals(r.get("mapsFirst"), r.get("mapsLast"), () -> "mappings leaked:\n" + r.out);
    }
}
