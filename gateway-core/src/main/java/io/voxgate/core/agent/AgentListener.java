package io.voxgate.core.agent;

import io.voxgate.core.transfer.TransferRequest;
import org.agrona.DirectBuffer;

/**
 * What a {@link VoiceAgent} reports back to its call.
 *
 * <p>Threading: invoked only on the call's thread. Ownership: audio buffers are borrowed for the duration
 * of the call; the listener copies what it keeps.
 */
public interface AgentListener {

    /** The agent is ready to receive audio; audio buffered before now is delivered next, in order. */
    void onAgentConnected(long nowNs);

    /** Agent audio in the agent's {@link VoiceAgent#audioFormat()}, any length, borrowed. */
    void onAgentAudio(DirectBuffer audio, int offset, int length, long nowNs);

    /** The agent detected the caller talking over it: drop whatever it said that has not been heard yet. */
    void onAgentInterruption(long nowNs);

    /**
     * The agent asks the gateway to play DTMF digits to the caller, in order, as the caller's edge can (SIP: RFC 4733
     * telephone-events). {@code digits} holds only {@code 0-9 * # A-D} (see {@link DtmfDigits}); a request that holds
     * anything else, or too many digits, is dropped whole and counted, never thrown back at the agent. Whether the
     * digits could be sent is a counter of the call, not an answer to the agent: some edges cannot send DTMF at all
     * (Twilio Media Streams).
     */
    void onAgentDigits(String digits, long nowNs);

    /**
     * The agent asks for the caller to be transferred as {@code request} says (the adapter built it with
     * {@link TransferRequest#of}, which checks the target, and answers the agent itself when that fails). The outcome
     * comes back through {@link VoiceAgent#onTransferUpdate}. The default ignores it (a listener that only records
     * audio).
     */
    default void onAgentTransferRequest(final TransferRequest request, final long nowNs) {
    }

    /** Something the agent said about the conversation (transcript, model output, status); off the media path. */
    void onAgentEvent(AgentEvent event);

    /** The agent ended the call or failed; {@code reason} is short and safe to log. */
    void onAgentClosed(String reason, long nowNs);

    /**
     * The agent's connection failed mid-call (socket dropped, its server failing, a timeout) without the agent
     * hanging up: the call may replace the agent instead of ending. Like {@link #onAgentClosed}, no listener call of
     * this agent follows it. The default treats it as a close.
     */
    default void onAgentLost(final String reason, final long nowNs) {
        onAgentClosed(reason, nowNs);
    }
}
