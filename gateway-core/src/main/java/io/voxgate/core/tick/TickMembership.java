package io.voxgate.core.tick;

/**
 * Where one {@link TickMember} sits in its {@link LoopTicker}: the ticker keeps its table positions here, so leaving
 * needs no search and ticking allocates nothing. Made when the member joins (call setup).
 *
 * <p>Threading: confined to the ticker's event loop, like the ticker.
 */
public final class TickMembership {
    /** The phase of a member ticked at every wake-up. */
    static final int EVERY_WAKE_UP = -1;
    /** The due time of a member of every wake-up that never set one: always due. */
    static final long EVERY_WAKE_UP_DUE = Long.MIN_VALUE;
    /** The phase of a member that has left. */
    static final int LEFT = -2;

    final LoopTicker ticker;
    final TickMember member;
    int phase;
    int slot;
    final long firstTickNs;

    TickMembership(final LoopTicker ticker, final TickMember member, final int phase, final long firstTickNs) {
        this.ticker = ticker;
        this.member = member;
        this.phase = phase;
        this.firstTickNs = firstTickNs;
    }

    /**
     * For a member ticked once per period: the nominal time of its first tick, its phase's first wake-up after it
     * joined. Its frame clock counts periods from here, so its RTP clock never drifts from the loop's timer.
     */
    public long firstTickNs() {
        return firstTickNs;
    }

    /**
     * For a member ticked at every wake-up: tick it only from the first wake-up at or after {@code dueNs} (until it
     * sets another time), plus once per period whatever the time, as a safety net. Until a member calls this it is
     * ticked at every wake-up. A member that knows when it next has work (a stream whose paced audio is released
     * ahead, whose idle deadline is seconds away) saves the walk over it at the wake-ups in between; it must call
     * this again whenever that time may have moved earlier. Harmless for a phased member or one that left.
     */
    public void tickAt(final long dueNs) {
        ticker.tickAt(this, dueNs);
    }

    /** Whether the member is still ticked. */
    public boolean active() {
        return phase != LEFT;
    }

    /** Stops ticking the member; harmless when it already left. */
    public void leave() {
        ticker.leave(this);
    }
}
