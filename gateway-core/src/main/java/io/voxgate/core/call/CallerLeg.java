package io.voxgate.core.call;

import io.voxgate.core.transfer.TransferRequest;
import org.agrona.DirectBuffer;

/**
 * The caller's side of a call as an edge presents it to the {@link CallSession}: where paced audio goes, how
 * audio already buffered at the far end is cleared, how DTMF digits reach the caller, and how the call is hung up.
 *
 * <p>Implemented by each edge (Twilio Media Streams, SIP/RTP). Threading: called only on the call's thread.
 * Ownership: audio passed to {@link #sendToCaller} is borrowed for the call only; the edge copies it into its
 * own wire buffer (one copy per hop).
 */
public interface CallerLeg {

    /** Plays one paced frame of audio in the caller's format. */
    void sendToCaller(DirectBuffer audio, int offset, int length, long nowNs);

    /**
     * Barge-in was accepted: the far end must drop what it has buffered and not yet played (Twilio {@code clear});
     * an edge that buffers nothing remotely (RTP) does nothing here because the pacer already dropped the turn.
     */
    void clearCallerPlayback(long nowNs);

    /**
     * A barge-in is suspected: the caller must stop hearing the agent now, but nothing is decided yet. An edge whose
     * far end buffers audio (Twilio) clears that buffer; an RTP edge needs to do nothing, because the session stops
     * releasing and the edge sends comfort silence on its grid until the turn resumes.
     *
     * @param unplayedByClock released bytes the session's playout clock says have not played yet
     * @return how many of the bytes most recently given to {@link #sendToCaller} the caller will now never hear, at
     *         most {@code unplayedByClock}; the session puts them back in front of the agent's turn. An edge that
     *         plays everything it was sent returns 0 (the default, which does nothing).
     */
    default int pauseCallerPlayback(final long nowNs, final int unplayedByClock) {
        return 0;
    }

    /**
     * Plays DTMF digits to the caller, in order, after whatever the edge is already sending. The session has checked
     * them: one to {@link CallSession#MAX_AGENT_DIGITS} characters of {@code 0-9 * # A-D}. All or nothing: an edge
     * that cannot take every digit takes none.
     *
     * @return whether the edge accepted the digits for sending; false when it cannot send DTMF (Twilio Media Streams),
     *         the peer negotiated no way to carry them, its digit queue has no room, or the leg has ended. The edge
     *         counts its own refusals.
     */
    boolean sendDigits(String digits, long nowNs);

    /**
     * Starts handing the caller to {@code request}'s target (SIP: REFER in the dialog; Twilio: the call updated with
     * {@code <Dial>}). Returns at once; the edge reports how it goes with {@link CallSession#onTransferProgress} on the
     * call's thread, ending in a final {@link io.voxgate.core.transfer.TransferState}. When that is
     * {@code SUCCEEDED} the session ends the call and calls {@link #hangUp} (SIP: the BYE after the 2xx sipfrag).
     *
     * @return whether the edge started it; false (the default) when it cannot transfer at all
     */
    default boolean startTransfer(final TransferRequest request, final long nowNs) {
        return false;
    }

    /**
     * The session's next timed work ({@link CallSession#nextReleaseNs()}: paced audio due for release, the end of a
     * pause, a reconnect attempt, a hang-up after the last words) may have moved earlier outside the leg's own events,
     * typically agent audio held for paced release. An edge that ticks the call only when that time comes
     * ({@link io.voxgate.core.tick.TickMembership#tickAt}) wakes it no later than {@code nextReleaseNs}; the default
     * (an edge ticked every period anyway) ignores it.
     */
    default void nextReleaseChanged(final long nextReleaseNs) {
    }

    /** The session ended the call (agent hang-up, timeout, drain): hang up the caller's leg with {@code reason}. */
    void hangUp(String reason, long nowNs);
}
