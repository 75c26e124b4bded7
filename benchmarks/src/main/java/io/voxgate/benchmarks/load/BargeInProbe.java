package io.voxgate.benchmarks.load;

import io.voxgate.testkit.twilio.SimulatorListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Measures barge-in under load on calls following a {@link BargeInScript}: from the caller's speech onset (the media
 * message carrying the first frame of the interruption leaving the caller) to the gateway's {@code clear} arriving, and
 * to the last frame of the interrupted turn arriving, in microseconds. The same measurement as the demo's (speech onset
 * to Twilio {@code clear}), taken at the exact send time of the onset frame.
 *
 * <p>An interruption is only a barge-in when the parrot was talking: one with no agent frame in the
 * {@value #TALKING_WINDOW_MS} ms before it is counted as {@link #notOverReplay} and left out of the figures.
 *
 * <p>Threading: {@link #register} on the control thread before the call is placed; the hooks of one call on that call's
 * event loop only, so each call's state is single-writer; the recorders and counters are safe for concurrent writers.
 */
final class BargeInProbe implements SimulatorListener {
    static final long TALKING_WINDOW_MS = 100;
    private static final long MAX_RECORDED_US = 10_000_000L;

    private final Map<String, CallState> calls = new ConcurrentHashMap<>();
    private final Recorder clearUs = new Recorder(MAX_RECORDED_US, 3);
    private final Recorder oldTurnEndUs = new Recorder(MAX_RECORDED_US, 3);
    private final LongAdder bargeIns = new LongAdder();
    private final LongAdder withoutClear = new LongAdder();
    private final LongAdder notOverReplay = new LongAdder();

    /** Watches call {@code callSid}, which says {@code script}. */
    void register(final String callSid, final BargeInScript script) {
        calls.put(callSid, new CallState(script));
    }

    /** Stops watching call {@code callSid} (after it ended). */
    void unregister(final String callSid) {
        calls.remove(callSid);
    }

    @Override
    public void onMediaSent(final String callSid, final long chunk, final long nowNs) {
        final CallState call = calls.get(callSid);
        if (call != null) {
            call.sent(chunk, nowNs);
        }
    }

    @Override
    public void onMediaReceived(final String callSid, final int bytes, final long nowNs) {
        final CallState call = calls.get(callSid);
        if (call != null) {
            call.received(nowNs);
        }
    }

    @Override
    public void onClear(final String callSid, final long nowNs) {
        final CallState call = calls.get(callSid);
        if (call != null && call.onsetNs >= 0 && call.clearNs < 0) {
            call.clearNs = nowNs;
        }
    }

    /** Speech onset to {@code clear} received, µs, of the barge-ins that got one. */
    Histogram clearUs() {
        return clearUs.getIntervalHistogram();
    }

    /** Speech onset to the last frame of the interrupted turn received, µs (0 when none came after the onset). */
    Histogram oldTurnEndUs() {
        return oldTurnEndUs.getIntervalHistogram();
    }

    /** Interruptions that talked over the parrot. */
    long bargeIns() {
        return bargeIns.sum();
    }

    /** Of those, the ones no {@code clear} answered before the interruption's window ended. */
    long withoutClear() {
        return withoutClear.sum();
    }

    /** Interruptions that found the parrot silent (its replay not started, or over): not barge-ins. */
    long notOverReplay() {
        return notOverReplay.sum();
    }

    /** One call's progress through its script. Single writer: the call's event loop. */
    private final class CallState {
        private final BargeInScript script;
        private int cycle;
        private long onsetNs = -1;
        private long clearNs = -1;
        private long lastOldTurnNs = -1;
        private long lastReceivedNs = -1;
        private boolean talking;

        private CallState(final BargeInScript script) {
            this.script = script;
        }

        private void sent(final long chunk, final long nowNs) {
            if (cycle >= script.cycles()) {
                return;
            }
            if (onsetNs < 0 && chunk == script.onsetChunk(cycle)) {
                onsetNs = nowNs;
                clearNs = -1;
                lastOldTurnNs = -1;
                talking = lastReceivedNs >= 0 && nowNs - lastReceivedNs < TALKING_WINDOW_MS * 1_000_000L;
            } else if (onsetNs >= 0 && chunk == script.windowEndChunk(cycle)) {
                if (!talking) {
                    notOverReplay.increment();
                } else {
                    bargeIns.increment();
                    if (clearNs < 0) {
                        withoutClear.increment();
                    } else {
                        clearUs.recordValue(Math.min(MAX_RECORDED_US, (clearNs - onsetNs) / 1_000));
                    }
                    oldTurnEndUs.recordValue(lastOldTurnNs < 0 ? 0 : Math.min(MAX_RECORDED_US, (lastOldTurnNs - onsetNs) / 1_000));
                }
                onsetNs = -1;
                cycle++;
            }
        }

        private void received(final long nowNs) {
            lastReceivedNs = nowNs;
            if (onsetNs >= 0) {
                lastOldTurnNs = nowNs;
            }
        }
    }
}
