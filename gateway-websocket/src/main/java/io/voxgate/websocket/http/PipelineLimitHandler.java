package io.voxgate.websocket.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Caps the requests a connection may pipeline: those awaiting their answer's write, and those that arrive together in
 * one read (answered one after another on the event loop, which carries calls too). A client that pipelines
 * requests and never reads the answers (20,000 unread {@code GET}s in one burst) would otherwise make the server
 * queue every answer in direct memory, and answer thousands in a row on a media loop; past the cap the connection
 * is closed, everything still buffered from it is dropped, and the refusal counted. A well-behaved client has one
 * request, or a handful, outstanding.
 *
 * <p>Sits after the HTTP codec: counts a request when it is decoded and an answer when its last part is written.
 * Leaves the pipeline at the WebSocket upgrade. Threading: one instance per connection, on its event loop.
 */
final class PipelineLimitHandler extends ChannelDuplexHandler {
    private final int maxOutstanding;
    private final HttpEdgeServer.Counters counters;
    private int outstanding;
    private int inThisRead;
    private boolean tripped;

    PipelineLimitHandler(final int maxOutstanding, final HttpEdgeServer.Counters counters) {
        this.maxOutstanding = maxOutstanding;
        this.counters = counters;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        if (tripped) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest && (++outstanding > maxOutstanding || ++inThisRead > maxOutstanding)) {
            tripped = true;
            counters.pipelineOverLimit.increment();
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx) {
        inThisRead = 0;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise) {
        if (msg instanceof LastHttpContent) {
            final ChannelPromise tracked = promise.unvoid();
            tracked.addListener(f -> outstanding--);
            ctx.write(msg, tracked);
            return;
        }
        ctx.write(msg, promise);
    }
}
