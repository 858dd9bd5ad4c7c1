package io.warpdrive.zip;

/**
 * Counters of one engine since the process started.
 *
 * @param engine    a device name, {@code software}, or {@code java.util.zip}
 * @param streams   streams it served (a stream that moved counts for both engines)
 * @param requests  calls it handled
 * @param bytesIn   bytes it consumed
 * @param bytesOut  bytes it produced
 * @param fallbacks streams it failed and handed to the software engine
 */
public record EngineStats(String engine, long streams, long requests, long bytesIn, long bytesOut,
                          long fallbacks) {
}
