package io.voxgate.websocket.twilio;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.NanoClock;

/**
 * The one periodic tick of an event loop, shared by every media stream on that loop: it releases paced agent
 * audio held back by the pacer's lead and checks the streams' timeouts.
 *
 * <p>Why one per loop and not one per stream: a timer per stream costs a priority-queue insertion and removal per
 * run and, with the streams' phases spread over the period, wakes the loop once per stream per period (at 10 ms,
 * 100 wakeups a second per call). One timer per loop costs the same whatever the number of calls, so the period
 * can be short enough that a held frame leaves at most one period after it becomes eligible (the gateway-added
 * latency budget is 5 ms per direction). Audio that is eligible when it arrives does not wait for the tick at all:
 * the call releases it at once and the stream flushes it at the end of the event.
 *
 * <p>The timer runs only while the loop has streams: it starts with the first {@link #add} and is cancelled when
 * the last member is removed, so an idle gateway is not woken every period.
 *
 * <p>Threading: confined to its event loop; {@link #add}, {@link #remove} and the tick all run on it, so the member
 * array needs no lock. A member may remove itself (or end) from inside its own {@link Member#onTick}. Ownership:
 * members are referenced, not owned; each removes itself when its stream ends. Steady state allocates nothing:
 * the member array grows only in {@link #add}, at stream start. Units: nanoseconds of the given clock.
 */
final class LoopTick implements Runnable {
    /** A stream served by the tick. */
    interface Member {
        /** One tick at {@code nowNs}: release what is due, check timeouts, flush what was written. */
        void onTick(long nowNs);

        /** {@link #onTick} threw (a bug): the member ends itself; the other members keep their tick. */
        void onTickFailed(RuntimeException failure);
    }

    private static final int INITIAL_CAPACITY = 64;

    private final EventExecutor loop;
    private final long intervalNs;
    private final NanoClock clock;
    private Member[] members = new Member[INITIAL_CAPACITY];
    private int size;
    private ScheduledFuture<?> timer;
    private long ticks;
    private long memberFailures;

    /**
     * A tick for the streams of {@code loop}, not running until the first member is added.
     *
     * @param loop       the event loop whose streams it serves; the timer runs on it
     * @param intervalNs the period, {@code > 0}
     * @param clock      the time base of the streams' {@code nowNs}
     * @throws IllegalArgumentException when {@code intervalNs} is not positive
     */
    LoopTick(final EventExecutor loop, final long intervalNs, final NanoClock clock) {
        if (intervalNs <= 0) {
            throw new IllegalArgumentException("intervalNs must be positive, was " + intervalNs);
        }
        this.loop = loop;
        this.intervalNs = intervalNs;
        this.clock = clock;
    }

    /** Serves {@code member} from the next tick on; starts the timer if it was the loop's first stream. */
    void add(final Member member) {
        if (size == members.length) {
            members = Arrays.copyOf(members, size * 2);
        }
        members[size++] = member;
        if (timer == null) {
            timer = loop.scheduleAtFixedRate(this, intervalNs, intervalNs, TimeUnit.NANOSECONDS);
        }
    }

    /** Stops serving {@code member} (no-op when absent); stops the timer when no member is left. */
    void remove(final Member member) {
        for (int i = size - 1; i >= 0; i--) {
            if (members[i] == member) {
                members[i] = members[--size];
                members[size] = null;
                break;
            }
        }
        if (size == 0 && timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** The timer's run: one tick at the clock's now. */
    @Override
    public void run() {
        tick(clock.nanoTime());
    }

    /**
     * Ticks every member once. Walks the array from the end: a member that removes itself moves the last member,
     * already ticked, into its slot, so no member is skipped and none is ticked twice.
     */
    void tick(final long nowNs) {
        ticks++;
        for (int i = size - 1; i >= 0; i--) {
            if (i >= size) {
                continue;
            }
            final Member member = members[i];
            try {
                member.onTick(nowNs);
            } catch (final RuntimeException failure) {
                // A periodic task that throws is never run again by Netty: one stream's bug must not stop the others.
                memberFailures++;
                member.onTickFailed(failure);
            }
        }
    }

    /** Streams served now. */
    int size() {
        return size;
    }

    /** Whether the timer is scheduled (there are members). */
    boolean running() {
        return timer != null;
    }

    /** Ticks run since creation. */
    long ticks() {
        return ticks;
    }

    /** Member ticks that threw. */
    long memberFailures() {
        return memberFailures;
    }
}
