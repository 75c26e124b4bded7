package io.voxgate.websocket.twilio;

import io.netty.channel.EventLoop;
import io.voxgate.core.call.CallerLeg;

/**
 * Opens the call for a stream whose {@code start} was accepted, or refuses it.
 *
 * <p>Threading: called on the stream's event loop, which becomes the call's thread.
 */
interface StreamCallFactory {

    /**
     * Opens the call.
     *
     * @param start what {@code start} said
     * @param leg   the caller's side of the call, bound to this stream
     * @param loop  the stream's event loop: the call's thread
     * @return the call, or a refusal with the close code and reason to end the stream with
     */
    StreamCallOpening open(StreamStart start, CallerLeg leg, EventLoop loop, long nowNs);
}
