package io.voxgate.websocket.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * A WebSocket endpoint registered on {@link HttpEdgeServer} for every path under a prefix (e.g. {@code /media/}).
 *
 * <p>The server calls {@link #decide} with the upgrade request before anything is answered, so the route can
 * check signatures and refuse (e.g. 403) before the {@code 101 Switching Protocols}. When it accepts, the server
 * completes the handshake and installs the returned frame handler at the end of the pipeline, after the server's
 * frame reader (which answers pings and close frames and enforces the frame and message size limit with a 1009
 * close). The frame handler is then told {@link WebSocketMessages#onOpen()}, and receives text messages (fragments
 * joined up to the limit) and binary frames as views over the received bytes, called directly: no frame objects,
 * nothing to release.
 *
 * <p>Threading: called on the connection's event loop; it must not block. Ownership: {@code request} is borrowed
 * for the duration of the call.
 */
@FunctionalInterface
public interface WebSocketRoute {

    /** Accepts the upgrade with a frame handler, or refuses it with an HTTP status. */
    WebSocketUpgrade decide(ChannelHandlerContext ctx, FullHttpRequest request);
}
