package io.voxgate.websocket.twilio;

import org.agrona.DirectBuffer;

/**
 * The call a started media stream drives: caller audio and digits in, the timer tick, the end. Production binds it
 * to a {@code CallSession}; tests bind it to scripted calls.
 *
 * <p>Threading: every method on the stream's event loop. Ownership: audio is borrowed for the call only.
 */
interface StreamCall {

    /** One inbound media payload of 8 kHz mu-law, decoded. */
    void onCallerAudio(DirectBuffer audio, int offset, int length, long nowNs);

    /** A DTMF digit: {@code 0-9 * # A-D}. */
    void onCallerDigit(char digit, long nowNs);

    /** The periodic tick (every {@link TwilioEdgeConfig#tickIntervalMs()}), called only when {@link #nextTickNs} is due. */
    void onTick(long nowNs);

    /**
     * When {@link #onTick} next has work (a paced release, a hang-up after playout): a time at or before now means
     * now, {@link Long#MAX_VALUE} means nothing is pending. Lets the loop's tick skip the calls with nothing due.
     */
    long nextTickNs();

    /** The stream ended ({@code stop}, close, drop, hang-up): release everything. Called once. */
    void end(String reason, long nowNs);
}
