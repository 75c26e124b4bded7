package io.voxgate.app.metrics;

import io.voxgate.core.call.CallStats;
import org.HdrHistogram.Histogram;

/**
 * Told the final figures of each call as it ends (the demo prints them per call).
 *
 * <p>Threading: called on the ending call's thread, under the metrics lock; must be quick. Ownership: every
 * argument is readable for the duration of the call only. The histograms (microseconds) hold what was recorded
 * since the last {@code /metrics} scrape.
 */
@FunctionalInterface
public interface CallReportListener {
    /** No-op listener. */
    CallReportListener NONE = (callId, edge, stats, inboundUs, outboundUs, bargeInReactionUs) -> { };

    /** Call {@code callId} on {@code edge} ended with these statistics. */
    void onCallEnded(String callId, String edge, CallStats stats, Histogram inboundUs, Histogram outboundUs,
                     Histogram bargeInReactionUs);
}
