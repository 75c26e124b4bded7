package io.voxgate.websocket.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Stops reading from a connection while its outbound buffer is over the high water mark and resumes once it drains
 * below the low one: a peer that does not read what it is sent cannot make the server queue more for it by sending
 * more. Each pause is counted.
 *
 * <p>Threading: sharable and stateless; runs on each connection's event loop.
 */
@ChannelHandler.Sharable
final class WritabilityReadGate extends ChannelInboundHandlerAdapter {
    private final HttpEdgeServer.Counters counters;

    WritabilityReadGate(final HttpEdgeServer.Counters counters) {
        this.counters = counters;
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx) {
        final boolean writable = ctx.channel().isWritable();
        if (!writable) {
            counters.readsPausedUnwritable.increment();
        }
        ctx.channel().config().setAutoRead(writable);
        ctx.fireChannelWritabilityChanged();
    }
}
