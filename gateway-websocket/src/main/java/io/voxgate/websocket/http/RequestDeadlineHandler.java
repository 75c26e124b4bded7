package io.voxgate.websocket.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The deadline for a whole request, headers and body: armed by the first byte of a request, disarmed when the answer
 * goes out (routes answer complete requests only). A request still incomplete at the deadline gets 408 and the
 * connection is closed, so a peer trickling a header byte now and then (slowloris) cannot hold a connection, which
 * the idle timeout alone would let it do forever.
 *
 * <p>Sits first in the pipeline (it sees raw bytes in and encoded bytes out) and leaves it at the WebSocket upgrade.
 * Threading: one instance per connection, on its event loop.
 */
final class RequestDeadlineHandler extends ChannelDuplexHandler {
    private final long deadlineMs;
    private final HttpEdgeServer.Counters counters;
    private ScheduledFuture<?> deadline;

    RequestDeadlineHandler(final long deadlineMs, final HttpEdgeServer.Counters counters) {
        this.deadlineMs = deadlineMs;
        this.counters = counters;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        if (deadline == null && msg instanceof ByteBuf && ((ByteBuf) msg).isReadable()) {
            deadline = ctx.executor().schedule(() -> expire(ctx), deadlineMs, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise) {
        disarm();
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) {
        disarm();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(final ChannelHandlerContext ctx) {
        disarm();
    }

    private void expire(final ChannelHandlerContext ctx) {
        deadline = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        counters.requestsTimedOut.increment();
        final FullHttpResponse timeout = HttpResponses.status(HttpResponseStatus.REQUEST_TIMEOUT);
        timeout.headers().set(HttpHeaderNames.CONTENT_LENGTH, timeout.content().readableBytes());
        timeout.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        // From the tail, so the HTTP encoder after this handler turns the response into bytes.
        ctx.channel().writeAndFlush(timeout).addListener(ChannelFutureListener.CLOSE);
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
