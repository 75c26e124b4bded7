package io.voxgate.websocket.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;

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
    static final String DISCARD_HANDLER = "ws-discard";

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
            // Netty's decoder would now consume the rest of the offending frame one byte per call, which for a
            // large frame holds the event loop (and every other stream on it); drop the rest in bulk instead.
            if (ctx.pipeline().get(DISCARD_HANDLER) == null) {
                ctx.pipeline().addFirst(DISCARD_HANDLER, InboundDiscarder.INSTANCE);
            }
            WebSocketClosing.close(ctx.channel(), violation.statusCode(), violation.reason());
        }
        ctx.fireUserEventTriggered(violation);
    }

    /** Releases everything read after a violation; the close timeout then ends the connection. */
    @ChannelHandler.Sharable
    static final class InboundDiscarder extends ChannelInboundHandlerAdapter {
        static final InboundDiscarder INSTANCE = new InboundDiscarder();

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
