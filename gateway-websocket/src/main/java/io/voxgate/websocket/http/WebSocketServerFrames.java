package io.voxgate.websocket.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import io.voxgate.websocket.frame.WebSocketFrameReader;
import io.voxgate.websocket.frame.WebSocketFrameWriter;
import org.agrona.DirectBuffer;

/**
 * The server's side of an open WebSocket stream, the one handler between the socket and the route's frame handler:
 * reads the client's frames in place from the received bytes ({@link WebSocketFrameReader}) and calls the route's
 * {@link WebSocketMessages} directly, and speaks the rest of RFC 6455 itself.
 *
 * <ul>
 *   <li>A ping is answered with a pong carrying its payload, flushed once at the end of the read; a peer that floods
 *       pings without reading is stopped by the connection's {@link WritabilityReadGate}, which counts it.</li>
 *   <li>The peer's close frame is answered with a close frame of the same status code (never its reason) and the
 *       connection is closed once that is written; after our own close frame, the peer's answer closes it at once.</li>
 *   <li>A frame or message over the size limit, or a malformed frame, closes the stream with the status the reader
 *       names (1009, 1002, 1007) and a reason through {@link WebSocketClosing}, drops everything read after it, and
 *       is reported to the route's handler as a {@link WebSocketViolation}.</li>
 *   <li>Closing the channel without a close frame sent first (the server shutting down) sends 1001 first.</li>
 * </ul>
 *
 * A partial frame is kept until the rest arrives; the reader refuses a header announcing more than the limit before
 * any of its payload is kept, so what is kept is bounded by the limit.
 *
 * <p>Threading: one instance per connection, confined to its event loop. Ownership: releases every buffer it reads;
 * the views it lends the route's handler are valid only during the call.
 */
final class WebSocketServerFrames extends ChannelDuplexHandler implements WebSocketFrameReader.FrameSink {
    private static final int GOING_AWAY = WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code();

    private final WebSocketFrameReader reader;
    private final WebSocketMessages messages;
    private ChannelHandlerContext ctx;
    private ByteBuf partial;
    private boolean closeSent;
    private boolean flushPending;

    WebSocketServerFrames(final int maxMessageBytes, final WebSocketMessages messages) {
        this.reader = WebSocketFrameReader.clientFrames(maxMessageBytes);
        this.messages = messages;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        if (reader.failure() != null || reader.closed()) {
            // Nothing after a violation or the peer's close frame is read: drop it in bulk (the close timeout ends the
            // connection if the peer keeps sending).
            in.release();
            return;
        }
        if (partial != null) {
            // The rest of a frame split across reads: the only copy on this path, and only of the split frame's bytes.
            partial.writeBytes(in);
            in.release();
            in = partial;
        }
        try {
            if (reader.read(in, this) < 0) {
                onViolation(reader.failureStatus(), reader.failure());
            }
        } finally {
            keepRest(in);
        }
    }

    private void keepRest(final ByteBuf in) {
        if (in == partial) {
            if (partial.isReadable()) {
                partial.discardReadBytes();
            } else {
                partial.release();
                partial = null;
            }
        } else {
            if (in.isReadable()) {
                partial = ctx.alloc().buffer(Math.max(in.readableBytes(), 1024));
                partial.writeBytes(in);
            }
            in.release();
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx) {
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void onText(final DirectBuffer utf8, final int offset, final int length) {
        messages.onText(utf8, offset, length);
    }

    @Override
    public void onBinary(final DirectBuffer payload, final int offset, final int length, final boolean last) {
        messages.onBinary(payload, offset, length, last);
    }

    @Override
    public void onPing(final DirectBuffer payload, final int offset, final int length) {
        if (!closeSent) {
            ctx.write(WebSocketFrameWriter.pongFrame(ctx.alloc(), payload, offset, length), ctx.voidPromise());
            flushPending = true;
        }
    }

    @Override
    public void onClose(final int statusCode) {
        if (closeSent) {
            // The peer answered our close frame: the closing handshake is complete (RFC 6455 §7.1.1).
            ctx.close();
            return;
        }
        closeSent = true;
        ctx.writeAndFlush(WebSocketFrameWriter.closeFrame(ctx.alloc(), statusCode, null)).addListener(ChannelFutureListener.CLOSE);
    }

    private void onViolation(final int statusCode, final String reason) {
        if (ctx.channel().isActive()) {
            WebSocketClosing.close(ctx.channel(), statusCode, reason);
        }
        ctx.fireUserEventTriggered(new WebSocketViolation(statusCode, reason));
    }

    /**
     * Sends our close frame unless one was already sent (then the returned future is already done).
     *
     * @param reason at most 123 UTF-8 bytes, ours (never peer input)
     */
    ChannelFuture sendClose(final int statusCode, final String reason) {
        if (closeSent || !ctx.channel().isActive()) {
            return ctx.newSucceededFuture();
        }
        closeSent = true;
        return ctx.writeAndFlush(WebSocketFrameWriter.closeFrame(ctx.alloc(), statusCode, reason));
    }

    @Override
    public void close(final ChannelHandlerContext ctx, final ChannelPromise promise) {
        if (closeSent || !ctx.channel().isActive()) {
            ctx.close(promise);
            return;
        }
        closeSent = true;
        ctx.writeAndFlush(WebSocketFrameWriter.closeFrame(ctx.alloc(), GOING_AWAY, "going away"))
            .addListener(written -> ctx.close(promise));
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) {
        releasePartial();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(final ChannelHandlerContext ctx) {
        releasePartial();
    }

    private void releasePartial() {
        if (partial != null) {
            ReferenceCountUtil.release(partial);
            partial = null;
        }
    }
}
