package io.voxgate.core.tick;

/**
 * A call's media as a {@link LoopTicker} ticks it: a SIP call's 20 ms frame clock, or a Twilio stream's pacing.
 *
 * <p>Threading: every method is called on the ticker's event loop.
 */
public interface TickMember {

    /** The call's id, for the one log line of a tick that threw. */
    String callId();

    /** One wake-up at {@code nowNs}, the time the ticker read once for every member it ticks now. */
    void onTick(long nowNs);

    /**
     * {@link #onTick} threw (a bug): end the call. The ticker has already removed the member, counted and logged the
     * failure; it calls this once, and the loop's other members keep their tick.
     */
    void onTickFailed(RuntimeException failure, long nowNs);
}
