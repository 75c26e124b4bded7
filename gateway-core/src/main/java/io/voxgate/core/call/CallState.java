package io.voxgate.core.call;

/**
 * Where a call is in its life. The only legal moves are
 * {@code CREATED -> CONNECTING_AGENT -> ACTIVE -> ENDING -> ENDED}, plus {@code ENDING} from {@code CREATED} and
 * {@code CONNECTING_AGENT} (a call may end before its agent answers). {@code ENDING} exists so that teardown is
 * re-entrant safe: an edge that reacts to {@link CallerLeg#hangUp} by reporting the hang-up back finds the call
 * already ending and nothing happens twice.
 *
 * <p>Immutable; safe on any thread.
 */
public enum CallState {
    /** Built at call setup; the agent is not contacted yet. */
    CREATED,
    /** The agent is connecting; caller audio waits in the pre-connect buffer. */
    CONNECTING_AGENT,
    /** Audio flows both ways. */
    ACTIVE,
    /**
     * On the way out: the agent hung up and its last words are still playing out to the caller (paced by
     * {@link CallSession#onTick}), or teardown is in progress (the agent being closed, the caller's leg hung up).
     * Caller audio is no longer carried.
     */
    ENDING,
    /** Over; nothing flows and the call has left the registry. */
    ENDED;

    /** Whether a call in this state may move to {@code next}. */
    public boolean canMoveTo(final CallState next) {
        switch (this) {
            case CREATED:
                return next == CONNECTING_AGENT || next == ENDING;
            case CONNECTING_AGENT:
                return next == ACTIVE || next == ENDING;
            case ACTIVE:
                return next == ENDING;
            case ENDING:
                return next == ENDED;
            default:
                return false;
        }
    }

    /** Whether the call is over or on its way out. */
    public boolean isTerminating() {
        return this == ENDING || this == ENDED;
    }
}
