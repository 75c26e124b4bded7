package io.voxgate.app.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * A sub-resource of one call on the calls API, {@code /calls/{id}/{name}} (transfer, recording): the calls API checks
 * the bearer token, finds the call's edge and the method, then hands the request over.
 *
 * <p>Threading: runs on the admin listener's loop; crosses into the call only through its command ring.
 */
@FunctionalInterface
public interface CallAction {

    /** Answers {@code request} for call {@code callId} on {@code edge}, which was running when the request arrived. */
    void handle(ChannelHandlerContext ctx, FullHttpRequest request, String edge, String callId);
}
