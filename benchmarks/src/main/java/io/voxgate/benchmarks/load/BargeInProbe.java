package io.voxgate.benchmarks.load;

import io.voxgate.testkit.twilio.SimulatorListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Measures barge-in under load on calls following a {@link BargeInScript}, both kinds of talk-over:
 * <ul>
 *   <li><b>Real interruptions</b>: from the caller's speech onset (the media message carrying the first frame of the
 *       interruption leaving the caller) to the gateway's {@code clear} arriving, and to the last frame of the
 *       interrupted turn arriving, in microseconds. The same measurement as the demo's (speech onset to Twilio
 *       {@code clear}), taken at the exact send time of the onset frame.</li>
 *   <li><b>Backchannels</b>: onset to {@code clear} (the pause), whether the turn came back after it (resumed), and the
 *       share of the replay the caller heard: bytes received in the talk-over's part of the cycle less what each
 *       {@code clear} dropped, by a playout model of Twilio's buffer (played at real time from arrival, emptied by
 *       {@code clear}), over the replay's length.</li>
 * </ul>
 *
 * <p>A talk-over is only a barge-in when the parrot was talking: one with no agent frame in the
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
    private final Recorder backchannelClearUs = new Recorder(MAX_RECORDED_US, 3);
    /** Per backchannel, the replay heard, in per mille. */
    private final Recorder backchannelHeardPerMille = new Recorder(10_000, 3);
    private final LongAdder bargeIns = new LongAdder();
    private final LongAdder withoutClear = new LongAdder();
    private final LongAdder notOverReplay = new LongAdder();
    private final LongAdder backchannels = new LongAdder();
    private final LongAdder backchannelsCleared = new LongAdder();
    private final LongAdder backchannelsResumed = new LongAdder();

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
            call.received(bytes, nowNs);
        }
    }

    @Override
    public void onClear(final String callSid, final long nowNs) {
        final CallState call = calls.get(callSid);
        if (call != null) {
            call.cleared(nowNs);
        }
    }

    /** Speech onset to {@code clear} received, µs, of the real interruptions that got one. */
    Histogram clearUs() {
        return clearUs.getIntervalHistogram();
    }

    /** Speech onset to the last frame of the interrupted turn received, µs (0 when none came after the onset). */
    Histogram oldTurnEndUs() {
        return oldTurnEndUs.getIntervalHistogram();
    }

    /** Backchannel onset to the pause's {@code clear} received, µs. */
    Histogram backchannelClearUs() {
        return backchannelClearUs.getIntervalHistogram();
    }

    /** Share of the replay heard per backchannel, per mille (1000 = all of it once; above 1000 = some of it twice). */
    Histogram backchannelHeardPerMille() {
        return backchannelHeardPerMille.getIntervalHistogram();
    }

    /** Real interruptions that talked over the parrot. */
    long bargeIns() {
        return bargeIns.sum();
    }

    /** Of those, the ones no {@code clear} answered before the interruption's window ended. */
    long withoutClear() {
        return withoutClear.sum();
    }

    /** Backchannels that talked over the parrot. */
    long backchannels() {
        return backchannels.sum();
    }

    /** Of those, the ones the gateway paused on (a {@code clear} arrived). */
    long backchannelsCleared() {
        return backchannelsCleared.sum();
    }

    /** Of those, the ones after which the turn came back. */
    long backchannelsResumed() {
        return backchannelsResumed.sum();
    }

    /** Talk-overs that found the parrot silent (its replay not started, or over): not barge-ins. */
    long notOverReplay() {
        return notOverReplay.sum();
    }

    /** One call's progress through its script. Single writer: the call's event loop. */
    private final class CallState {
        private final BargeInScript script;
        private int talkOver;
        private boolean inPart;
        private long onsetNs = -1;
        private long clearNs = -1;
        private long lastOldTurnNs = -1;
        private long lastReceivedNs = -1;
        private boolean talking;
        private boolean resumed;
        private long bytesInPart;
        private long bytesDroppedInPart;
        /** When the modelled Twilio buffer runs dry: what arrived plays at real time from its arrival. */
        private long playoutEndNs = Long.MIN_VALUE;

        private CallState(final BargeInScript script) {
            this.script = script;
        }

        private void sent(final long chunk, final long nowNs) {
            if (talkOver >= script.talkOvers()) {
                return;
            }
            if (!inPart && chunk == script.startChunk(talkOver)) {
                inPart = true;
                bytesInPart = 0;
                bytesDroppedInPart = 0;
            } else if (onsetNs < 0 && chunk == script.onsetChunk(talkOver)) {
                onsetNs = nowNs;
                clearNs = -1;
                lastOldTurnNs = -1;
                resumed = false;
                talking = lastReceivedNs >= 0 && nowNs - lastReceivedNs < TALKING_WINDOW_MS * 1_000_000L;
            } else if (onsetNs >= 0 && chunk == script.windowEndChunk(talkOver)) {
                if (!talking) {
                    notOverReplay.increment();
                } else if (script.kind(talkOver) == BargeInScript.Kind.INTERRUPTION) {
                    bargeIns.increment();
                    if (clearNs < 0) {
                        withoutClear.increment();
                    } else {
                        clearUs.recordValue(Math.min(MAX_RECORDED_US, (clearNs - onsetNs) / 1_000));
                    }
                    oldTurnEndUs.recordValue(lastOldTurnNs < 0 ? 0 : Math.min(MAX_RECORDED_US, (lastOldTurnNs - onsetNs) / 1_000));
                } else {
                    backchannels.increment();
                    if (clearNs >= 0) {
                        backchannelsCleared.increment();
                        backchannelClearUs.recordValue(Math.min(MAX_RECORDED_US, (clearNs - onsetNs) / 1_000));
                    }
                    if (resumed) {
                        backchannelsResumed.increment();
                    }
                    final long heard = bytesInPart - bytesDroppedInPart;
                    backchannelHeardPerMille.recordValue(Math.max(0, Math.min(10_000,
                        heard * 1_000 / (BargeInScript.REPLAY_MS * 8L))));
                }
                onsetNs = -1;
                inPart = false;
                talkOver++;
            }
        }

        private void received(final int bytes, final long nowNs) {
            lastReceivedNs = nowNs;
            if (onsetNs >= 0) {
                lastOldTurnNs = nowNs;
                resumed |= clearNs >= 0;
            }
            if (inPart) {
                bytesInPart += bytes;
            }
            playoutEndNs = Math.max(playoutEndNs, nowNs) + bytes * 125_000L;
        }

        private void cleared(final long nowNs) {
            if (onsetNs >= 0 && clearNs < 0) {
                clearNs = nowNs;
            }
            if (inPart && playoutEndNs > nowNs) {
                bytesDroppedInPart += (playoutEndNs - nowNs) / 125_000L;
            }
            playoutEndNs = Math.min(playoutEndNs, nowNs);
        }
    }
}
