package io.voxgate.testkit.twilio;

/**
 * Per-frame hooks for latency measurement (the load generator pairs "sent" with "received" for an echo agent).
 *
 * <p>Threading: called on the simulated call's event loop; implementations must be fast and thread-safe when one
 * listener serves calls on several loops. Times are {@code System.nanoTime()}.
 */
public interface SimulatorListener {
    /** No-op listener. */
    SimulatorListener NONE = new SimulatorListener() {
    };

    /** A media message carrying {@code chunk} (from 1) left the caller at {@code nowNs}. */
    default void onMediaSent(String callSid, long chunk, long nowNs) {
    }

    /** A media message of {@code bytes} mu-law bytes from the gateway arrived at {@code nowNs}. */
    default void onMediaReceived(String callSid, int bytes, long nowNs) {
    }

    /** A {@code clear} from the gateway arrived at {@code nowNs}. */
    default void onClear(String callSid, long nowNs) {
    }
}
