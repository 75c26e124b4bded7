package io.voxgate.core.agent;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.transfer.TransferRequest;
import io.voxgate.core.transfer.TransferState;
import org.agrona.DirectBuffer;

/**
 * The port through which a call talks to a voice agent: an embedded agent, or a remote one such as Vapi.
 *
 * <p>Lifecycle: {@link #connect} once; then caller audio and digits flow in while agent audio, interruptions
 * and events flow out through the {@link AgentListener}; {@link #close} once (idempotent) ends it. An agent
 * that ends by itself reports {@link AgentListener#onAgentClosed} and needs no {@code close}.
 *
 * <p>Threading: every method is called on the call's thread ({@link AgentCall#executor()}), and the agent
 * invokes its listener only on that thread. An agent with I/O threads of its own hops back through that
 * executor (an adapter bootstrapped on the call's Netty event loop is already there).
 *
 * <p>Ownership: audio handed to {@link #onCallerAudio} is borrowed for the duration of the call only; an
 * agent that keeps it copies it.
 */
public interface VoiceAgent {

    /** The format in which this agent exchanges audio with the gateway, in both directions. */
    AudioFormat audioFormat();

    /**
     * Starts connecting; completion is reported by {@link AgentListener#onAgentConnected} or, on failure,
     * {@link AgentListener#onAgentClosed}. Called once.
     */
    void connect(AgentCall call, AgentListener listener, long nowNs);

    /** Caller audio in {@link #audioFormat()}, one frame, borrowed for this call only. */
    void onCallerAudio(DirectBuffer audio, int offset, int length, long nowNs);

    /** A DTMF digit the caller pressed: {@code 0-9 * # A-D}. */
    void onCallerDigit(char digit, long nowNs);

    /**
     * How a transfer of this call goes: each state it reaches, {@code detail} saying why in a few safe words (e.g.
     * {@code "486 Busy Here"}, {@code "no final NOTIFY in 32000 ms"}). A final failure ({@link TransferState#isFailure()})
     * means the caller is still here, listening to this agent, which should say so; a success is followed by the
     * call's end. The default ignores it (an embedded agent has nobody to tell).
     */
    default void onTransferUpdate(final TransferRequest request, final TransferState state, final String detail,
                                  final long nowNs) {
    }

    /** The caller hung up or the gateway ends the call; idempotent, and no listener calls follow it. */
    void close(String reason, long nowNs);
}
