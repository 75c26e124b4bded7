package io.voxgate.benchmarks.load;

import io.voxgate.testkit.twilio.SimulatorListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Pairs every media frame a simulated caller sends with the frame the echo agent sends back, and records the
 * round trip through the gateway (caller to agent and back, transcoding both ways) in microseconds.
 *
 * <p>Why a FIFO works: the echo agent returns each 20 ms frame at once and the gateway forwards it to the caller as
 * one 160-byte frame, in order, so the n-th frame received answers the n-th frame sent. Through pcm16 the bytes are not
 * identical (mu-law is requantised after resampling) but the count is frame for frame, so no payload matching is needed.
 *
 * <p>Threading: {@link #register} on the control thread before the call is placed; the hooks of one call on that
 * call's event loop only (the simulator confines each call to one loop), so each {@link CallProbe} is single-writer;
 * the shared recorders are wait-free for writers. Read a {@link CallProbe} only after its call's result completed.
 * Steady state allocates nothing: send times go into a preallocated ring per call.
 */
final class EchoLatencyProbe implements SimulatorListener {
    /** Frames a call may have in flight before the oldest is counted as overrun (20 s of audio). */
    static final int RING_FRAMES = 1_024;
    /** Longest latency recorded exactly; longer ones are clamped to it and counted. */
    static final long MAX_RECORDED_US = 10_000_000L;
    private static final long FRAME_NS = 20_000_000L;
    /** One byte of mu-law at 8 kHz, what Media Streams carries to the caller. */
    private static final long NS_PER_BYTE = 125_000L;

    private final Map<String, CallProbe> calls = new ConcurrentHashMap<>();
    private final Recorder roundTripUs = new Recorder(MAX_RECORDED_US, 3);
    private final Recorder heardUs = new Recorder(MAX_RECORDED_US, 3);
    private final Recorder setupUs = new Recorder(MAX_RECORDED_US * 6, 3);
    private final Recorder sendLagUs = new Recorder(MAX_RECORDED_US, 3);
    private final Recorder finalRoundTripUs = new Recorder(MAX_RECORDED_US, 3);
    private final Recorder aboveBacklogUs = new Recorder(MAX_RECORDED_US, 3);
    private final boolean pairFrames;
    /** Round trips ending after this are paired but not recorded; see {@link #stopRecording}. */
    private volatile long recordUntilNs = Long.MAX_VALUE;

    /** A probe that pairs frames when {@code pairFrames} (echo agent) and only counts them otherwise. */
    EchoLatencyProbe(final boolean pairFrames) {
        this.pairFrames = pairFrames;
    }

    /**
     * Starts watching call {@code callSid}, placed (webhook POST about to start) at {@code placedNs}, which will send
     * about {@code expectedFrames} frames (the round trips of that many are kept for {@link #aboveBacklogUs}).
     */
    CallProbe register(final String callSid, final long placedNs, final int expectedFrames) {
        final CallProbe probe = new CallProbe(placedNs, pairFrames ? expectedFrames : 0);
        calls.put(callSid, probe);
        return probe;
    }

    /** Stops watching call {@code callSid} once its result is in, so a long run keeps no ledger of ended calls. */
    void unregister(final String callSid) {
        calls.remove(callSid);
    }

    /**
     * Stops recording latencies from {@code nowNs} on (frames are still paired and counted), so that the generator's
     * own disturbance afterwards, a forced collection to measure the live heap, is not taken for the gateway's.
     */
    void stopRecording(final long nowNs) {
        recordUntilNs = nowNs;
    }

    @Override
    public void onMediaSent(final String callSid, final long chunk, final long nowNs) {
        final CallProbe probe = calls.get(callSid);
        if (probe != null) {
            probe.sent(nowNs);
        }
    }

    @Override
    public void onMediaReceived(final String callSid, final int bytes, final long nowNs) {
        final CallProbe probe = calls.get(callSid);
        if (probe != null) {
            probe.received(bytes, nowNs);
        }
    }

    /** Round-trip latencies recorded so far (µs); resets the recorder. */
    Histogram roundTripUs() {
        return roundTripUs.getIntervalHistogram();
    }

    /**
     * Per frame, from the moment the caller sent it to the moment the caller hears its echo (µs): the caller plays
     * what arrives in order at real time, so a frame is heard when it arrives or when the one before it has finished
     * playing, whichever is later. Audio sent ahead of real time (a paced gateway's lead, a burst after a stall) is
     * heard no earlier for arriving early; this is the latency a person on the call perceives. Resets the recorder.
     */
    Histogram heardUs() {
        return heardUs.getIntervalHistogram();
    }

    /** Setup times (µs, webhook POST to first echoed media) recorded so far; resets the recorder. */
    Histogram setupUs() {
        return setupUs.getIntervalHistogram();
    }

    /**
     * How late each frame left the caller against its 20 ms schedule (µs; the first frame of a call is the origin):
     * the generator's own health. When it lags, frames reach the gateway in bursts and the echo queues behind pacing.
     */
    Histogram sendLagUs() {
        return sendLagUs.getIntervalHistogram();
    }

    /** Per call, the last round trip recorded (µs): the pacing backlog the call carried then. Resets the recorder. */
    Histogram finalRoundTripUs() {
        return finalRoundTripUs.getIntervalHistogram();
    }

    /**
     * Per frame, the round trip less the pacing backlog its call carried at that moment, taken as the smallest round
     * trip of that frame or any later one of the call (µs). Why: the echo comes back at exactly the rate the caller
     * speaks, so once any stall (caller's or gateway's) lets more than the outbound lead pile up, the excess stays
     * queued for paced playout to the end of the call and every later frame carries it; this figure is the transit
     * time on top of that floor. Filled when the calls finish; resets the recorder.
     */
    Histogram aboveBacklogUs() {
        return aboveBacklogUs.getIntervalHistogram();
    }

    /** One call's frame ledger. Single writer: the call's event loop. */
    final class CallProbe {
        private final long placedNs;
        private final long[] sendTimesNs = new long[RING_FRAMES];
        private long head;
        private long tail;
        private long framesSent;
        private long framesReceived;
        private long framesUnpaired;
        private long framesOverrun;
        private long latenciesClamped;
        private long firstReceivedNs = -1;
        private long firstSentNs = -1;
        private long lastRoundTripUs = -1;
        /** When the caller's playout will have finished everything received so far; -1 before the first frame. */
        private long playedUntilNs = -1;

        private final int[] roundTripsUs;
        private int roundTripsKept;

        private CallProbe(final long placedNs, final int keep) {
            this.placedNs = placedNs;
            this.roundTripsUs = new int[keep];
        }

        private void sent(final long nowNs) {
            if (firstSentNs < 0) {
                firstSentNs = nowNs;
            }
            sendLagUs.recordValue(Math.min(MAX_RECORDED_US, Math.max(0, (nowNs - firstSentNs - framesSent * FRAME_NS) / 1_000)));
            framesSent++;
            if (!pairFrames) {
                return;
            }
            if (tail - head == RING_FRAMES) {
                head++;
                framesOverrun++;
            }
            sendTimesNs[(int) (tail++ % RING_FRAMES)] = nowNs;
        }

        private void received(final int bytes, final long nowNs) {
            framesReceived++;
            final long playNs = playedUntilNs < 0 || nowNs - playedUntilNs > 0 ? nowNs : playedUntilNs;
            playedUntilNs = playNs + bytes * NS_PER_BYTE;
            if (firstReceivedNs < 0) {
                firstReceivedNs = nowNs;
                setupUs.recordValue(Math.min(MAX_RECORDED_US * 6, Math.max(0, (nowNs - placedNs) / 1_000)));
            }
            if (!pairFrames) {
                return;
            }
            if (head == tail) {
                framesUnpaired++;
                return;
            }
            final long sentNs = sendTimesNs[(int) (head++ % RING_FRAMES)];
            final long us = (nowNs - sentNs) / 1_000;
            if (nowNs - recordUntilNs > 0) {
                return;
            }
            heardUs.recordValue(Math.min(MAX_RECORDED_US, Math.max(0, (playNs - sentNs) / 1_000)));
            if (us > MAX_RECORDED_US) {
                latenciesClamped++;
            }
            lastRoundTripUs = Math.min(MAX_RECORDED_US, Math.max(0, us));
            roundTripUs.recordValue(lastRoundTripUs);
            if (roundTripsKept < roundTripsUs.length) {
                roundTripsUs[roundTripsKept++] = (int) lastRoundTripUs;
            }
        }

        /** Records the call's last round trip; once, after the call is over, from the control thread. */
        void finish() {
            if (lastRoundTripUs >= 0) {
                finalRoundTripUs.recordValue(lastRoundTripUs);
            }
            int floorUs = Integer.MAX_VALUE;
            for (int i = roundTripsKept - 1; i >= 0; i--) {
                floorUs = Math.min(floorUs, roundTripsUs[i]);
                aboveBacklogUs.recordValue(roundTripsUs[i] - floorUs);
            }
        }

        /** Frames the caller sent. */
        long framesSent() {
            return framesSent;
        }

        /** Frames the caller received. */
        long framesReceived() {
            return framesReceived;
        }

        /** Frames received when none was waiting for its echo (the gateway sent more than it was given). */
        long framesUnpaired() {
            return framesUnpaired;
        }

        /** Frames whose send time was overwritten because more than {@link #RING_FRAMES} were in flight. */
        long framesOverrun() {
            return framesOverrun;
        }

        /** Round trips longer than {@link #MAX_RECORDED_US}, recorded as that. */
        long latenciesClamped() {
            return latenciesClamped;
        }

        /** Whether any media came back. */
        boolean answered() {
            return firstReceivedNs >= 0;
        }
    }
}
