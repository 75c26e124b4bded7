package io.voxgate.websocket.vapi;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Reads the open Vapi transport socket: whole WebSocket frames are decoded in place by a
 * {@link VapiFrameDecoder} and delivered to the agent; nothing is emitted down the pipeline.
 *
 * <p>Threading: runs on the call's event loop. Ownership: {@link ByteToMessageDecoder} owns and releases the
 * received bytes; the agent sees them only as borrowed views during its callbacks.
 */
final class VapiTransportHandler extends ByteToMessageDecoder {
    private final VapiAgent agent;
    private final VapiFrameDecoder decoder;

    VapiTransportHandler(final VapiAgent agent, final VapiFrameDecoder decoder) {
        this.agent = agent;
        this.decoder = decoder;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        agent.onSocketOpen(ctx.channel());
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out) {
        if (decoder.decode(in, agent) < 0) {
            in.skipBytes(in.readableBytes());
            agent.onProtocolError(decoder.protocolError());
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception {
        super.channelInactive(ctx);
        agent.onSocketInactive();
    }

    @Override
    protected void handlerRemoved0(final ChannelHandlerContext ctx) {
        decoder.release();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        agent.onSocketException(cause);
        ctx.close();
    }
}
