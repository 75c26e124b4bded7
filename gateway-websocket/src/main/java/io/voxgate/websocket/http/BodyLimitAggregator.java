package io.voxgate.websocket.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Netty's request aggregator with its 413 answer counted: Netty already refuses an oversized body (by
 * {@code Content-Length} up front, or while a chunked body streams in) and closes when it must.
 *
 * <p>Threading: one instance per connection, on its event loop.
 */
final class BodyLimitAggregator extends HttpObjectAggregator {
    private final HttpEdgeServer.Counters counters;

    BodyLimitAggregator(final int maxContentLength, final HttpEdgeServer.Counters counters) {
        super(maxContentLength);
        this.counters = counters;
    }

    @Override
    protected void handleOversizedMessage(final ChannelHandlerContext ctx, final HttpMessage oversized) throws Exception {
        counters.tooLarge.increment();
        super.handleOversizedMessage(ctx, oversized);
    }
}
