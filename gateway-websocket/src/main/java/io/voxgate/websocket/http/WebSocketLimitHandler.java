package io.voxgate.websocket.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/**
 * Turns the WebSocket decoder's and aggregator's failures into an orderly close of that one stream: close frame
 * with the status the failure calls for (1009 for an oversized frame or message, else the decoder's status) and a
 * reason, then a {@link WebSocketViolation} user event to the route's handler. Without it Netty would close the
 * TCP connection at once (and the rest of an oversized frame still in flight would turn that into a reset).
 *
 * <p>Threading: sharable and stateless; runs on the connection's event loop.
 */
@ChannelHandler.Sharable
final class WebSocketLimitHandler extends ChannelInboundHandlerAdapter {
    static final WebSocketLimitHandler INSTANCE = new WebSocketLimitHandler();

    private WebSocketLimitHandler() {
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        final WebSocketViolation violation;
        if (cause instanceof CorruptedWebSocketFrameException) {
            final WebSocketCloseStatus status = ((CorruptedWebSocketFrameException) cause).closeStatus();
            violation = new WebSocketViolation(status.code(), cause.getMessage() == null ? status.reasonText() : cause.getMessage());
        } else if (cause instanceof TooLongFrameException) {
            violation = new WebSocketViolation(WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "message too big");
        } else {
            ctx.fireExceptionCaught(cause);
            return;
        }
        if (ctx.channel().isActive()) {
            WebSocketClosing.close(ctx.channel(), violation.statusCode(), violation.reason());
        }
        ctx.fireUserEventTriggered(violation);
    }
}
