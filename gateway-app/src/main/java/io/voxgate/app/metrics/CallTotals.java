package io.voxgate.app.metrics;

import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallStats;
import java.util.HashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Frame, drop, barge-in and latency totals over every call, ended or running, per edge.
 *
 * <p>Ended calls are folded in by the {@link CallRegistry} as they leave it ({@link #visit}); running calls are
 * added at scrape time by {@link #snapshot}. Latency comes from the registry's per-thread recorders
 * ({@link CallRegistry#latency()}), drained into cumulative per-edge histograms at each scrape, so no interval is
 * counted twice and a call's latency counts whether it is running or ended. Threading: every method takes this
 * object's lock; it is touched once per ended call and once per scrape, never per frame.
 */
final class CallTotals implements CallRegistry.CallVisitor {
    /** One edge's totals; plain fields guarded by the owner's lock. */
    static final class EdgeTotals {
        long callsEnded;
        long framesFromCaller;
        long framesToAgent;
        long framesFromAgent;
        long framesToCaller;
        long droppedPreConnect;
        long droppedNotConnected;
        long droppedEnded;
        long droppedAtEnd;
        long droppedOverflow;
        long flushed;
        long bargeInsFromAgent;
        long bargeInsFromVad;
        long bargeInsFromCommand;
        long bargeInsIgnored;
        long bargeInPauses;
        long bargeInsResumed;
        long audioResumedMs;
        long bargeInPausedMs;
        long digitsToAgent;
        long digitsToCaller;
        final Histogram inboundUs = histogram();
        final Histogram outboundUs = histogram();
        final Histogram bargeInReactionUs = histogram();
        final Histogram onsetToPauseUs = histogram();
        final Histogram onsetToClearUs = histogram();
        final Histogram pauseUs = histogram();
        final Histogram agentConnectUs = histogram();

        private static Histogram histogram() {
            return new Histogram(CallStats.MAX_RECORDED_US, 2);
        }

        void add(final CallStats stats, final boolean ended) {
            framesFromCaller += stats.framesFromCaller();
            framesToAgent += stats.framesToAgent();
            framesFromAgent += stats.framesFromAgent();
            framesToCaller += stats.framesToCaller();
            droppedPreConnect += stats.framesDroppedPreConnect();
            droppedNotConnected += stats.framesDroppedNotConnected();
            droppedEnded += stats.framesDroppedEnded();
            droppedAtEnd += stats.framesDroppedAtEnd();
            droppedOverflow += stats.framesDroppedOverflow();
            flushed += stats.framesFlushed();
            bargeInsFromAgent += stats.bargeInsFromAgent();
            bargeInsFromVad += stats.bargeInsFromVad();
            bargeInsFromCommand += stats.bargeInsFromCommand();
            bargeInsIgnored += stats.bargeInsIgnoredSilent() + stats.bargeInsIgnoredRepeat();
            bargeInPauses += stats.bargeInPauses();
            bargeInsResumed += stats.bargeInsResumed();
            audioResumedMs += stats.audioResumedMs();
            bargeInPausedMs += stats.bargeInPausedMs();
            digitsToAgent += stats.digitsToAgent();
            digitsToCaller += stats.digitsToCaller();
            if (ended) {
                callsEnded++;
                final long connectNs = stats.agentConnectNs();
                if (connectNs > 0) {
                    agentConnectUs.recordValue(Math.min(CallStats.MAX_RECORDED_US, connectNs / 1_000));
                }
            }
        }

        void addAll(final EdgeTotals other) {
            callsEnded += other.callsEnded;
            framesFromCaller += other.framesFromCaller;
            framesToAgent += other.framesToAgent;
            framesFromAgent += other.framesFromAgent;
            framesToCaller += other.framesToCaller;
            droppedPreConnect += other.droppedPreConnect;
            droppedNotConnected += other.droppedNotConnected;
            droppedEnded += other.droppedEnded;
            droppedAtEnd += other.droppedAtEnd;
            droppedOverflow += other.droppedOverflow;
            flushed += other.flushed;
            bargeInsFromAgent += other.bargeInsFromAgent;
            bargeInsFromVad += other.bargeInsFromVad;
            bargeInsFromCommand += other.bargeInsFromCommand;
            bargeInsIgnored += other.bargeInsIgnored;
            bargeInPauses += other.bargeInPauses;
            bargeInsResumed += other.bargeInsResumed;
            audioResumedMs += other.audioResumedMs;
            bargeInPausedMs += other.bargeInPausedMs;
            digitsToAgent += other.digitsToAgent;
            digitsToCaller += other.digitsToCaller;
            inboundUs.add(other.inboundUs);
            outboundUs.add(other.outboundUs);
            bargeInReactionUs.add(other.bargeInReactionUs);
            onsetToPauseUs.add(other.onsetToPauseUs);
            onsetToClearUs.add(other.onsetToClearUs);
            pauseUs.add(other.pauseUs);
            agentConnectUs.add(other.agentConnectUs);
        }
    }

    private final Map<String, EdgeTotals> ended = new HashMap<>();
    private CallReportListener reports = CallReportListener.NONE;

    synchronized void reportTo(final CallReportListener listener) {
        this.reports = listener;
    }

    @Override
    public synchronized void visit(final String callId, final String edge, final CallStats stats) {
        final EdgeTotals totals = ended.computeIfAbsent(edge, e -> new EdgeTotals());
        totals.add(stats, true);
        reports.onCallEnded(callId, edge, stats);
    }

    /** Totals per edge over ended calls plus the calls running in {@code registry} now; a fresh copy. */
    synchronized Map<String, EdgeTotals> snapshot(final CallRegistry registry) {
        registry.latency().drainTo((edge, inboundUs, outboundUs, bargeInReactionUs) -> {
            final EdgeTotals totals = ended.computeIfAbsent(edge, e -> new EdgeTotals());
            totals.inboundUs.add(inboundUs);
            totals.outboundUs.add(outboundUs);
            totals.bargeInReactionUs.add(bargeInReactionUs);
        });
        registry.latency().drainPausesTo((edge, onsetToPauseUs, onsetToClearUs, pauseUs) -> {
            final EdgeTotals totals = ended.computeIfAbsent(edge, e -> new EdgeTotals());
            totals.onsetToPauseUs.add(onsetToPauseUs);
            totals.onsetToClearUs.add(onsetToClearUs);
            totals.pauseUs.add(pauseUs);
        });
        final Map<String, EdgeTotals> live = new HashMap<>();
        registry.forEachCall((callId, edge, stats) -> live.computeIfAbsent(edge, e -> new EdgeTotals()).add(stats, false));
        final Map<String, EdgeTotals> out = new HashMap<>();
        for (final Map.Entry<String, EdgeTotals> e : ended.entrySet()) {
            out.computeIfAbsent(e.getKey(), k -> new EdgeTotals()).addAll(e.getValue());
        }
        for (final Map.Entry<String, EdgeTotals> e : live.entrySet()) {
            out.computeIfAbsent(e.getKey(), k -> new EdgeTotals()).addAll(e.getValue());
        }
        return out;
    }
}
