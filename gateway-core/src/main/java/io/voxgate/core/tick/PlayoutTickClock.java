package io.voxgate.core.tick;

/**
 * The 20 ms frame clock of one SIP call, read against real time at every timer wake-up: it says how many frame
 * ticks are due, lets a call that woke a little late catch up by running them back to back, and resynchronises
 * to real time (counting the ticks it skipped) when the call is further behind than {@link #MAX_CATCH_UP_TICKS}.
 *
 * <p>Why: the jitter buffer stamps arrivals with real time but plays out on the tick's time. A clock that only
 * ever steps one nominal period per wake-up falls behind for good once its event loop lags (CPU shortage): every
 * packet then looks early, the buffer grows until it flushes, and the extra work per frame keeps the loop late.
 * Bounding the lag to a few frames turns an overload into a counted, one-off skip instead.
 *
 * <p>Use per wake-up: {@link #due} once; then for each of the returned ticks, {@link #tickNs()} is that tick's
 * nominal time and {@link #advance()} moves to the next. After a resync, {@link #lastSkipped()} tells how many
 * ticks were skipped immediately before the one returned.
 *
 * <p>Threading: confined to the call's event loop. Time is an argument, in the caller's nanosecond clock.
 */
public final class PlayoutTickClock {
    /**
     * Most ticks run back to back in one wake-up. A wake-up up to 60 ms late is ordinary scheduling noise on a
     * busy host (a time slice, a short GC pause): three frames sent back to back stay within the far end's jitter
     * buffer (40 ms initial delay here, commonly 40 to 60 ms elsewhere) and the caller's three frames are still
     * in ours, so nothing is lost. Further behind, a catch-up burst would arrive after the far end's playout point
     * and be late-dropped there anyway, while each caught-up tick costs a full tick of CPU on a loop that is
     * already short of it: skipping is both cheaper and no worse for the audio.
     */
    public static final int MAX_CATCH_UP_TICKS = 3;

    private final long periodNs;
    private final int maxCatchUpTicks;
    private long nextTickNs;
    private long ticksRun;
    private long ticksSkipped;
    private long resyncs;
    private long lastSkipped;

    /**
     * A clock.
     *
     * @param periodNs        the frame period
     * @param maxCatchUpTicks most ticks run in one wake-up before the clock resynchronises
     * @param firstTickNs     the first tick's time
     */
    public PlayoutTickClock(final long periodNs, final int maxCatchUpTicks, final long firstTickNs) {
        if (periodNs <= 0) {
            throw new IllegalArgumentException("periodNs must be positive, was " + periodNs);
        }
        if (maxCatchUpTicks < 1) {
            throw new IllegalArgumentException("maxCatchUpTicks must be at least 1, was " + maxCatchUpTicks);
        }
        this.periodNs = periodNs;
        this.maxCatchUpTicks = maxCatchUpTicks;
        this.nextTickNs = firstTickNs;
    }

    /**
     * Ticks to run at {@code nowNs}: 0 when the next tick's time has not come, up to {@link #MAX_CATCH_UP_TICKS}
     * when the wake-up is a little late, and 1 after skipping every older due tick when it is later than that.
     */
    public int due(final long nowNs) {
        lastSkipped = 0;
        if (nowNs - nextTickNs < 0) {
            return 0;
        }
        final long due = (nowNs - nextTickNs) / periodNs + 1;
        if (due <= maxCatchUpTicks) {
            return (int) due;
        }
        // Resynchronise: run only the newest due tick, whose time lies within one period before now.
        lastSkipped = due - 1;
        ticksSkipped += lastSkipped;
        resyncs++;
        nextTickNs += lastSkipped * periodNs;
        return 1;
    }

    /** The nominal time of the tick to run now. */
    public long tickNs() {
        return nextTickNs;
    }

    /** The current tick has run: the next is one period later. */
    public void advance() {
        nextTickNs += periodNs;
        ticksRun++;
    }

    /** Ticks skipped by the last {@link #due} (0 unless it resynchronised); they precede {@link #tickNs()}. */
    public long lastSkipped() {
        return lastSkipped;
    }

    /** Ticks run. */
    public long ticksRun() {
        return ticksRun;
    }

    /** Ticks skipped by resynchronisation, in total. */
    public long ticksSkipped() {
        return ticksSkipped;
    }

    /** Times the clock resynchronised to real time. */
    public long resyncs() {
        return resyncs;
    }
}
