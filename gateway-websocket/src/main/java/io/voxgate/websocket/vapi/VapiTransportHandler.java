package io.voxgate.websocket.vapi;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.voxgate.websocket.frame.WebSocketFrameReader;
import java.util.List;

/**
 * Reads the open Vapi transport socket: whole WebSocket frames are decoded in place by a
 * {@link WebSocketFrameReader} and delivered to the agent; nothing is emitted down the pipeline.
 *
 * <p>Threading: runs on the call's event loop. Ownership: {@link ByteToMessageDecoder} owns and releases the
 * received bytes; the agent sees them only as borrowed views during its callbacks.
 */
final class VapiTransportHandler extends ByteToMessageDecoder {
    private final VapiAgent agent;
    private final WebSocketFrameReader reader;

    VapiTransportHandler(final VapiAgent agent, final WebSocketFrameReader reader) {
        this.agent = agent;
        this.reader = reader;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        agent.onSocketOpen(ctx.channel());
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out) {
        final boolean wellFormed = reader.failure() == null;
        if (reader.read(in, agent) < 0 && wellFormed) {
            agent.onProtocolError(reader.failure());
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception {
        super.channelInactive(ctx);
        agent.onSocketInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        agent.onSocketException(cause);
        ctx.close();
    }
}
