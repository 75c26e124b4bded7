package io.voxgate.sip;

import org.agrona.DirectBuffer;

/**
 * The call model as a SIP call drives it: the core call session (agent, pipelines, pacing, barge-in) behind
 * the calls the RTP side makes.
 *
 * <p>Threading: every method is called on the call's event loop.
 */
interface SipCallSession {

    /** Starts the agent once offer/answer completed. */
    void start(long nowNs);

    /** One 20 ms frame of caller audio in the caller format, borrowed. */
    void onCallerAudio(DirectBuffer audio, int offset, int length, long nowNs);

    /** A digit the caller pressed. */
    void onCallerDigit(char digit, long nowNs);

    /** The 20 ms pacing tick: the session releases at most one frame to the caller leg. */
    void onTick(long nowNs);

    /** The caller's side ended the call (BYE, CANCEL, timer): close the agent, do not hang up again. */
    void end(String reason, long nowNs);
}
