package io.voxgate.app.metrics;

import io.voxgate.core.call.CallStats;

/**
 * Told the final figures of each call as it ends (the demo prints them per call, the load generator adds them up).
 *
 * <p>The call's own latency histograms ({@link CallStats#inboundLatencyUs()}, {@link CallStats#outboundLatencyUs()})
 * cover its whole life at one significant digit (within 6 %); the node-wide latency at full precision is in the
 * metrics ({@code voxgate_gateway_latency_*}). Threading: called on the ending call's thread, under the metrics lock;
 * must be quick. Ownership: {@code stats} is readable for the duration of the call only.
 */
@FunctionalInterface
public interface CallReportListener {
    /** No-op listener. */
    CallReportListener NONE = (callId, edge, stats) -> { };

    /** Call {@code callId} on {@code edge} ended with these statistics. */
    void onCallEnded(String callId, String edge, CallStats stats);
}
