package io.voxgate.app.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * An action on one running call, served under {@code /calls/{id}/<name>} by the {@link CallsApi}, which has already
 * checked the bearer token and found the call.
 *
 * <p>Threading: runs on the admin listener's loop; must not block.
 */
@FunctionalInterface
public interface CallAction {
    /** Answers {@code request} for call {@code callId} on {@code edge}. */
    void handle(ChannelHandlerContext ctx, FullHttpRequest request, String edge, String callId);
}
