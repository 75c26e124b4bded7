package io.voxgate.core.call;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The node's gateway-added latency per edge, at full precision (two significant digits, 1 us to
 * {@link CallStats#MAX_RECORDED_US}): one set of HdrHistogram {@link SingleWriterRecorder}s per call thread and edge,
 * shared by every call that thread runs, drained by the metrics scrape.
 *
 * <p>Why per thread and not per call: a recorder holds about 18 KiB of counts, twice that once a scrape has swapped
 * its interval histogram, and a call has six; at a thousand calls that was more than 100 KiB of heap per call for
 * figures the metrics add up per edge anyway. A call is confined to one thread (its event loop), so a recorder owned
 * by that thread still has a single writer and records without allocating or locking; the per-call figures a call
 * report needs are kept, coarser, in {@link CallStats} itself.
 *
 * <p>Threading: {@link #forCurrentThread} on a call's thread (the first call per thread and edge allocates and
 * registers that thread's recorders; later ones only read a thread-local map); the returned {@link Recorders} are
 * written by that thread only. {@link #drainTo} on any thread, serialised by this object's lock, which the writers
 * never take. Units: microseconds.
 */
public final class CallLatencyRecorders {
    private static final int SIGNIFICANT_DIGITS = 2;

    /** Receives one drained interval of one thread's recorders for one edge. */
    @FunctionalInterface
    public interface IntervalSink {
        /**
         * What one thread recorded for {@code edge} since the previous drain.
         *
         * <p>Ownership: the histograms are lent for the duration of this call only.
         */
        void accept(String edge, Histogram inboundUs, Histogram outboundUs, Histogram bargeInReactionUs);
    }

    /** Receives one drained interval of one thread's barge-in pause recorders for one edge. */
    @FunctionalInterface
    public interface PauseIntervalSink {
        /**
         * What one thread recorded for {@code edge} since the previous drain: from a VAD onset over the agent to the
         * caller no longer hearing it, and to the edge being told to stop (Twilio's {@code clear}), and how long
         * each pause lasted until it was confirmed or resumed.
         *
         * <p>Ownership: the histograms are lent for the duration of this call only.
         */
        void accept(String edge, Histogram onsetToPauseUs, Histogram onsetToClearUs, Histogram pauseUs);
    }

    /** One thread's recorders for one edge: written by that thread only. */
    static final class Recorders {
        private final String edge;
        private final SingleWriterRecorder inboundUs = recorder();
        private final SingleWriterRecorder outboundUs = recorder();
        private final SingleWriterRecorder bargeInReactionUs = recorder();
        private final SingleWriterRecorder onsetToPauseUs = recorder();
        private final SingleWriterRecorder onsetToClearUs = recorder();
        private final SingleWriterRecorder pauseUs = recorder();

        Recorders(final String edge) {
            this.edge = edge;
        }

        private static SingleWriterRecorder recorder() {
            return new SingleWriterRecorder(1, CallStats.MAX_RECORDED_US, SIGNIFICANT_DIGITS);
        }

        void recordInbound(final long us) {
            inboundUs.recordValue(us);
        }

        void recordOutbound(final long us) {
            outboundUs.recordValue(us);
        }

        void recordBargeInReaction(final long us) {
            bargeInReactionUs.recordValue(us);
        }

        void recordPauseReaction(final long toPauseUs, final long toClearUs) {
            onsetToPauseUs.recordValue(toPauseUs);
            onsetToClearUs.recordValue(toClearUs);
        }

        void recordPause(final long us) {
            pauseUs.recordValue(us);
        }
    }

    private final ThreadLocal<Map<String, Recorders>> byThread = ThreadLocal.withInitial(HashMap::new);
    private final CopyOnWriteArrayList<Recorders> all = new CopyOnWriteArrayList<>();
    private final Histogram inboundScratch = new Histogram(CallStats.MAX_RECORDED_US, SIGNIFICANT_DIGITS);
    private final Histogram outboundScratch = new Histogram(CallStats.MAX_RECORDED_US, SIGNIFICANT_DIGITS);
    private final Histogram bargeInScratch = new Histogram(CallStats.MAX_RECORDED_US, SIGNIFICANT_DIGITS);
    private final Histogram onsetToPauseScratch = new Histogram(CallStats.MAX_RECORDED_US, SIGNIFICANT_DIGITS);
    private final Histogram onsetToClearScratch = new Histogram(CallStats.MAX_RECORDED_US, SIGNIFICANT_DIGITS);
    private final Histogram pauseScratch = new Histogram(CallStats.MAX_RECORDED_US, SIGNIFICANT_DIGITS);

    /** The calling thread's recorders for {@code edge}, made and registered on first use. */
    Recorders forCurrentThread(final String edge) {
        return byThread.get().computeIfAbsent(edge, e -> {
            final Recorders recorders = new Recorders(e);
            all.add(recorders);
            return recorders;
        });
    }

    /**
     * Hands {@code sink} what every thread recorded since the previous drain, one thread and edge at a time, so no
     * value is ever reported twice.
     */
    public synchronized void drainTo(final IntervalSink sink) {
        for (final Recorders r : all) {
            r.inboundUs.getIntervalHistogramInto(inboundScratch);
            r.outboundUs.getIntervalHistogramInto(outboundScratch);
            r.bargeInReactionUs.getIntervalHistogramInto(bargeInScratch);
            sink.accept(r.edge, inboundScratch, outboundScratch, bargeInScratch);
        }
    }

    /** Like {@link #drainTo}, for the barge-in pause recorders: each value is reported once. */
    public synchronized void drainPausesTo(final PauseIntervalSink sink) {
        for (final Recorders r : all) {
            r.onsetToPauseUs.getIntervalHistogramInto(onsetToPauseScratch);
            r.onsetToClearUs.getIntervalHistogramInto(onsetToClearScratch);
            r.pauseUs.getIntervalHistogramInto(pauseScratch);
            sink.accept(r.edge, onsetToPauseScratch, onsetToClearScratch, pauseScratch);
        }
    }
}
