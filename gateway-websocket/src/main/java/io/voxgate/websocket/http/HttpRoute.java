package io.voxgate.websocket.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * A plain HTTP endpoint registered on {@link HttpEdgeServer} for one exact path and a set of methods.
 *
 * <p>Threading: called on the connection's event loop; it must not block. Ownership: {@code request} is
 * borrowed and released by the server when this method returns, so a route that answers later copies what it
 * needs first. The route answers exactly once, normally through {@link HttpResponses#send}, which honours
 * keep-alive. An exception thrown here is a bug: the server logs it and answers 500.
 */
@FunctionalInterface
public interface HttpRoute {

    /** Handles {@code request} and writes one response on {@code ctx}. */
    void handle(ChannelHandlerContext ctx, FullHttpRequest request);
}
