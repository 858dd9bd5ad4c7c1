package io.warpdrive.zip.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpdrive.zip.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Randomized round trips ({@link FaultRoundTrips}) on an emulated device
 * that fails: requests completing with an error status, requests that
 * never complete (with a short completion timeout), and devices that
 * disappear. Every stream must decode to its input with java.util.zip and
 * with HwInflater, the device must really have served requests, and the
 * statistics must count the fallbacks the faults caused.
 *
 * <p>Each configuration runs in its own JVM (the native library reads it
 * when it loads), once per build: in the suite's default (software)
 * execution. {@code -Dwd.reliability.roundTrips=N} sets the total
 * (default 10,000, split 4:3:3); {@code -Dwd.reliability.seed=S} the seed.
 */
class FaultInjectionTest {
    private static final int TOTAL = Integer.getInteger("wd.reliability.roundTrips", 10_000);
    private static final long SEED = Long.getLong("wd.reliability.seed", 20261207L);
    /** A timed-out request costs this long; short so a test with many of them stays fast. */
    private static final String TIMEOUT_MS = "20";
    /** Per child; 10,000 round trips take about 40 s on 2 shared cores. */
    private static final long CHILD_LIMIT_S = 600;

    @BeforeAll
    static void oncePerBuild() {
        Assumptions.assumeTrue(Mode.NAME.equals("software"), "runs in the default execution only");
    }

    private static Map<String, String> run(String emulate, int count, long seed, String... extra)
            throws Exception {
        List<String> opts = new ArrayList<>(List.of("-Xmx512m", "-Dwarpdrive.emulate=" + emulate,
                "-Dwarpdrive.timeout=" + TIMEOUT_MS));
        opts.addAll(List.of(extra));
        ChildJvm.Result r = ChildJvm.run(FaultRoundTrips.class, opts, Map.of("WD_EMU_SEED", Long.toString(seed)),
                CHILD_LIMIT_S, Integer.toString(count), Long.toString(seed));
        System.out.println(emulate + ":\n" + r.out);
        r.assertOk();
        assertEquals(count, r.get("roundTrips"));
        assertEquals(0, r.get("failures"), r.out);
        assertTrue(r.get("deviceRequests") > 0, () -> "the device served nothing:\n" + r.out);
        assertTrue(r.get("fallbacks") > 0, () -> "no fault hit a stream:\n" + r.out);
        return r.values;
    }

    @Test
    void errorStatusesFallBackWithoutLosingAByte() throws Exception {
        run("hisi_zip:2:errors=0.03", TOTAL * 4 / 10, SEED);
    }

    @Test
    void timeoutsFallBackWithoutLosingAByte() throws Exception {
        run("hisi_zip:2:timeouts=0.01", TOTAL * 3 / 10, SEED + 1);
    }

    /**
     * Devices disappear part way (after a few thousand requests each), with
     * errors and timeouts before that; afterwards everything is software.
     */
    @Test
    void devicesThatDisappearFallBackWithoutLosingAByte() throws Exception {
        int count = TOTAL - TOTAL * 4 / 10 - TOTAL * 3 / 10;
        Map<String, String> v = run("hisi_zip:2:errors=0.01:timeouts=0.005:remove_after=" + Math.max(100, count),
                count, SEED + 2);
        assertEquals("2", v.get("devicesListed"));
        assertEquals("2", v.get("devicesIsolated"), "a removed device is listed as isolated");
    }

    /**
     * Regression: a device-to-software takeover of a decompression replays
     * the retained input through the software engine, which may stop a few
     * bytes short of what the device delivered from it (ISA-L did, when it
     * was that engine); those bytes used to be delivered again (this seed: a
     * 307,750-byte zlib stream decoded to 307,751).
     */
    @Test
    void decompressionTakeoverKeepsEveryByte() throws Exception {
        run("hisi_zip:2:errors=0.05", 1000, 1);
    }

    /** The same faults with zlib as the software engine (java.util.zip's exact bytes). */
    @Test
    void errorStatusesOnTheZlibEngine() throws Exception {
        run("hisi_zip:2:errors=0.03", 1000, SEED + 3, "-Dwarpdrive.engine=zlib");
    }
}
