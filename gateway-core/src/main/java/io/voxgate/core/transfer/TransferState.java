package io.voxgate.core.transfer;

import java.util.Locale;

/**
 * Where a transfer stands. The call's thread moves it forward only: {@link #REQUESTED}, then perhaps
 * {@link #ACCEPTED} and {@link #TRYING}, then one final state. Only {@link #SUCCEEDED} ends the call; every other final
 * state keeps the call with its agent, and the agent is told.
 *
 * <p>Immutable; safe on any thread.
 */
public enum TransferState {
    /** Asked for; the edge has been handed it. */
    REQUESTED(false),
    /** The caller's side took it on (SIP 202 to the REFER, Twilio's 200 to the call update). */
    ACCEPTED(false),
    /** The caller's side reports the new call in progress (a 1xx sipfrag in a NOTIFY). */
    TRYING(false),
    /** The caller is with the target (a 2xx sipfrag, or Twilio ended the stream after the update): the call ends. */
    SUCCEEDED(true),
    /** The caller's side refused to transfer at all (a final non-2xx to the REFER, Twilio's error to the update). */
    REFUSED(true),
    /** The new call failed (a 3xx-6xx sipfrag in a NOTIFY). */
    FAILED(true),
    /** No final word within the deadline (REFER unanswered, or no final NOTIFY). */
    TIMED_OUT(true),
    /** The call cannot be transferred: its edge has no way to (no Twilio account set), the call is not active, or a
     * transfer is already under way. */
    NOT_POSSIBLE(true),
    /** The call ended another way (the caller hung up) before the transfer's outcome was known. */
    CALL_ENDED(true);

    private final boolean terminal;

    TransferState(final boolean terminal) {
        this.terminal = terminal;
    }

    /** Whether the transfer is over. */
    public boolean isFinal() {
        return terminal;
    }

    /**
     * Whether it is over and the caller stays with the gateway and its agent: every final state but
     * {@link #SUCCEEDED} and {@link #CALL_ENDED}.
     */
    public boolean isFailure() {
        return terminal && this != SUCCEEDED && this != CALL_ENDED;
    }

    /** The lower-case name used in the API, the metrics and the logs ({@code timed_out}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
