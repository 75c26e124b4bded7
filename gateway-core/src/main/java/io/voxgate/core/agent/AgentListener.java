package io.voxgate.core.agent;

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

    /** Something the agent said about the conversation (transcript, model output, status); off the media path. */
    void onAgentEvent(AgentEvent event);

    /** The agent ended the call or failed; {@code reason} is short and safe to log. */
    void onAgentClosed(String reason, long nowNs);
}
