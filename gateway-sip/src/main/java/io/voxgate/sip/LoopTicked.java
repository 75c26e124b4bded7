package io.voxgate.sip;

/**
 * Something a {@link SipLoopTicker} ticks once per period: a SIP call's media. The ticker keeps where the member
 * sits in its tables here, so removal needs no search and ticking allocates nothing.
 *
 * <p>Threading: confined to the ticker's event loop, like the ticker.
 */
abstract class LoopTicked {
    /** The member's phase of the ticker's period, or -1 while not ticked. */
    int tickerPhase = -1;
    /** The member's index among the calls of its phase, or -1 while not ticked. */
    int tickerSlot = -1;

    /** One wake-up of the member's phase. */
    abstract void tick();
}
