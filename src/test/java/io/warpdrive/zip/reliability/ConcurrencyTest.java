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
 * Pool exhaustion: 16 threads × 4 streams open at once (written and read
 * in interleaved pieces), on the software engine and on one emulated
 * device with only 2 queues. Passes when no stream is corrupt, nothing
 * throws, everything ends within a hard bound (the child's watchdog dumps
 * every thread and fails past it), and progress is fair: every thread does
 * the same work, so the slowest may take at most {@value #FAIRNESS}× the
 * median (plus {@value #SLACK_MS} ms for a scheduler hiccup on a shared
 * 2-core machine).
 *
 * <p>{@code -Dwd.reliability.threads}, {@code .streams}, {@code .rounds}
 * scale it up; runs once per build, in the default execution.
 */
class ConcurrencyTest {
    private static final int THREADS = Integer.getInteger("wd.reliability.threads", 16);
    private static final int STREAMS = Integer.getInteger("wd.reliability.streams", 4);
    private static final int ROUNDS = Integer.getInteger("wd.reliability.rounds", 2);
    private static final int BYTES = 128 * 1024;
    /** The watchdog's bound; the work takes about 4 s on 2 shared cores. */
    private static final long BOUND_S = Long.getLong("wd.reliability.boundSeconds", 120);
    static final int FAIRNESS = 3;
    static final int SLACK_MS = 1000;

    @BeforeAll
    static void oncePerBuild() {
        Assumptions.assumeTrue(Mode.NAME.equals("software"), "runs in the default execution only");
    }

    private static ChildJvm.Result run(String... jvmOptions) throws Exception {
        ChildJvm.Result r = ChildJvm.run(ConcurrencyProbe.class, List.of(jvmOptions), Map.of(), BOUND_S + 60,
                Integer.toString(THREADS), Integer.toString(STREAMS), Integer.toString(ROUNDS),
                Integer.toString(BYTES), Long.toString(BOUND_S));
        System.out.println(String.join(" ", jvmOptions) + ":\n" + r.out);
        r.assertOk();
        assertEquals(0, r.get("corrupt"), r.out);
        assertEquals(0, r.get("errors"), r.out);
        for (int t = 0; t < THREADS; t++) {
            assertTrue(r.get("thread." + t + ".ms") > 0, "thread " + t + " did not finish");
        }
        long median = r.get("medianMs");
        long slowest = r.get("slowestMs");
        assertTrue(slowest <= FAIRNESS * median + SLACK_MS,
                () -> "unfair progress: slowest " + slowest + " ms, median " + median + " ms\n" + r.out);
        return r;
    }

    @Test
    void manyStreamsOnTheSoftwareEngine() throws Exception {
        run("-Xmx512m");
    }

    @Test
    void manyStreamsOnTwoDeviceQueues() throws Exception {
        ChildJvm.Result r = run("-Xmx512m", "-Dwarpdrive.emulate=hisi_zip:1:queues=2");
        assertTrue(r.get("deviceRequests") > 0, () -> "the device served nothing:\n" + r.out);
        assertEquals(0, r.get("fallbacks"), "a busy pool is not a device failure");
    }
}
