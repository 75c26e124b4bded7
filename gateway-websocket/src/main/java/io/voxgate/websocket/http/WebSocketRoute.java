package io.voxgate.websocket.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * A WebSocket endpoint registered on {@link HttpEdgeServer} for every path under a prefix (e.g. {@code /media/}).
 *
 * <p>The server calls {@link #decide} with the upgrade request before anything is answered, so the route can
 * check signatures and refuse (e.g. 403) before the {@code 101 Switching Protocols}. When it accepts, the server
 * completes the handshake and installs the returned frame handler at the end of the pipeline, after Netty's
 * WebSocket protocol handler (which answers pings and close frames and enforces the frame size limit with a
 * 1009 close). The frame handler then receives {@code WebSocketServerProtocolHandler.HandshakeComplete} as a
 * user event, followed by data frames ({@code TextWebSocketFrame}, {@code BinaryWebSocketFrame}), which it owns
 * and must release; fragmented messages arrive already aggregated up to the frame size limit.
 *
 * <p>Threading: called on the connection's event loop; it must not block. Ownership: {@code request} is borrowed
 * for the duration of the call.
 */
@FunctionalInterface
public interface WebSocketRoute {

    /** Accepts the upgrade with a frame handler, or refuses it with an HTTP status. */
    WebSocketUpgrade decide(ChannelHandlerContext ctx, FullHttpRequest request);
}
