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

    /** Whether the member is still ticked. */
    public boolean active() {
        return phase != LEFT;
    }

    /** Stops ticking the member; harmless when it already left. */
    public void leave() {
        ticker.leave(this);
    }
}
