package io.voxgate.sip;

import io.netty.channel.EventLoop;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one 20 ms timer of a media event loop, shared by every SIP call whose media runs on that loop: each run
 * ticks every call once, and each call's {@link PlayoutTickClock} decides how many frames it plays. One timer per
 * loop instead of one per call keeps the scheduler's cost flat at hundreds of calls (one queue entry, one wake-up
 * per period), and puts every call of a loop on the loop's phase, so a call's nominal tick time is the wake-up time.
 *
 * <p>The calls are kept in an array with swap-removal: ticking allocates nothing; the array only grows (doubling)
 * when a call is added beyond its capacity, at call setup. The timer runs only while the loop has calls.
 *
 * <p>Threading: confined to {@link #loop}: {@link #add}, {@link #remove} and the ticks all run there. Time is in
 * {@code System.nanoTime} nanoseconds, the clock Netty schedules on.
 */
final class SipLoopTicker implements Runnable {
    private static final int INITIAL_CAPACITY = 64;

    private final EventLoop loop;
    private final long periodNs;
    private SipCall[] calls = new SipCall[INITIAL_CAPACITY];
    private int count;
    private ScheduledFuture<?> timer;
    /** When the running timer first fired (or will): its wake-ups follow at whole periods after it. */
    private long phaseNs;

    SipLoopTicker(final EventLoop loop, final long periodNs) {
        this.loop = loop;
        this.periodNs = periodNs;
    }

    /** The loop whose calls this ticks. */
    EventLoop loop() {
        return loop;
    }

    /**
     * Ticks {@code call} from now on.
     *
     * @return the time of the call's first tick: the loop timer's first wake-up after {@code nowNs}
     */
    long add(final SipCall call, final long nowNs) {
        if (count == calls.length) {
            calls = Arrays.copyOf(calls, count * 2);
        }
        calls[count] = call;
        call.tickerSlot = count;
        count++;
        if (timer == null) {
            // Taken before scheduling, so Netty's own deadline is no earlier than this: the wake-up never precedes
            // the call's nominal tick time.
            phaseNs = nowNs + periodNs;
            timer = loop.scheduleAtFixedRate(this, periodNs, periodNs, TimeUnit.NANOSECONDS);
            return phaseNs;
        }
        return phaseNs + (Math.floorDiv(nowNs - phaseNs, periodNs) + 1) * periodNs;
    }

    /** Stops ticking {@code call}; harmless when it is not ticked. */
    void remove(final SipCall call) {
        final int slot = call.tickerSlot;
        if (slot < 0 || slot >= count || calls[slot] != call) {
            return;
        }
        final int last = count - 1;
        final SipCall moved = calls[last];
        calls[slot] = moved;
        moved.tickerSlot = slot;
        calls[last] = null;
        call.tickerSlot = -1;
        count = last;
        if (count == 0) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Calls ticked. */
    int calls() {
        return count;
    }

    @Override
    public void run() {
        // Downwards: a call that ends in its tick is swapped with the last one, which has already been ticked.
        for (int i = count - 1; i >= 0; i--) {
            calls[i].tick();
        }
    }
}
