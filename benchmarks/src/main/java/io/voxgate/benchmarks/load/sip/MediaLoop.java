package io.voxgate.benchmarks.load.sip;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One event loop's share of the load calls' RTP: a single periodic task per loop sends the frame of every call
 * whose 20 ms slot is due (never a timer per call per frame), and the loop's own histograms take every round trip
 * and send lag measured on it, so recording needs no lock.
 *
 * <p>Threading: everything except construction and {@link #start} runs on {@link #loop}; the figures are read
 * through {@link #copyFigures} (which hops onto the loop).
 */
final class MediaLoop {
    /** How often the loop looks for due frames: a quarter of a frame, so a frame leaves at most 5 ms late. */
    static final long TICK_NS = 5_000_000L;

    final EventLoop loop;
    /** This loop's silence detector (it keeps scratch state, so one per thread). */
    final SilenceDetector silence;
    private final List<SipLoadCall> sending = new ArrayList<>();
    private Histogram roundTripUs = new Histogram(3);
    private Histogram sendLagUs = new Histogram(3);
    private ScheduledFuture<?> ticker;

    MediaLoop(final EventLoop loop, final int toneAmplitude) {
        this.loop = loop;
        this.silence = new SilenceDetector(toneAmplitude);
    }

    /** Starts the periodic send task. */
    void start() {
        ticker = loop.scheduleAtFixedRate(this::tick, TICK_NS, TICK_NS, TimeUnit.NANOSECONDS);
    }

    /** Stops it. */
    void stop() {
        if (ticker != null) {
            ticker.cancel(false);
        }
    }

    private void tick() {
        final long nowNs = System.nanoTime();
        for (int i = sending.size() - 1; i >= 0; i--) {
            final SipLoadCall call = sending.get(i);
            if (!call.sendDue(nowNs)) {
                removeAt(i);
            }
        }
    }

    /** Adds a call to the send rotation (on the loop). */
    void add(final SipLoadCall call) {
        sending.add(call);
    }

    /** Removes a call from the rotation if it is in it (on the loop). */
    void remove(final SipLoadCall call) {
        final int i = sending.indexOf(call);
        if (i >= 0) {
            removeAt(i);
        }
    }

    private void removeAt(final int i) {
        final int last = sending.size() - 1;
        sending.set(i, sending.get(last));
        sending.remove(last);
    }

    /** Records one round trip, ns (on the loop). */
    void roundTrip(final long ns) {
        roundTripUs.recordValue(Math.max(0, ns / 1_000));
    }

    /** Records how late a frame left against its 20 ms slot, ns (on the loop). */
    void sendLag(final long ns) {
        sendLagUs.recordValue(Math.max(0, ns / 1_000));
    }

    /** Copies of the histograms, taken on the loop: {@code [roundTripUs, sendLagUs]}. */
    Histogram[] copyFigures() {
        return new Histogram[] {roundTripUs.copy(), sendLagUs.copy()};
    }

    /** Forgets the figures (after a warm-up; on the loop). */
    void resetFigures() {
        roundTripUs = new Histogram(3);
        sendLagUs = new Histogram(3);
    }
}
