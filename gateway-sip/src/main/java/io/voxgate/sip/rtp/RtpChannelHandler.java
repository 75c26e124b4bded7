package io.voxgate.sip.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Hands each received datagram to a {@link DatagramHandler} as a writable Agrona view over the Netty buffer's memory
 * (no copy; SRTP decrypts there), then releases the buffer ({@link SimpleChannelInboundHandler} owns and releases it).
 *
 * <p>Threading: runs on the channel's event loop, which is the call's thread. Allocates nothing itself.
 */
final class RtpChannelHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final DatagramHandler handler;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer copy = new UnsafeBuffer(new byte[RtpTransport.RECEIVE_BUFFER_BYTES]);

    RtpChannelHandler(final DatagramHandler handler) {
        super(DatagramPacket.class, true);
        this.handler = handler;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket packet) {
        final long nowNs = System.nanoTime();
        final ByteBuf content = packet.content();
        final int length = content.readableBytes();
        if (content.hasMemoryAddress()) {
            view.wrap(content.memoryAddress() + content.readerIndex(), length);
            handler.onDatagram(view, 0, length, packet.sender(), nowNs);
        } else if (content.hasArray()) {
            view.wrap(content.array(), content.arrayOffset() + content.readerIndex(), length);
            handler.onDatagram(view, 0, length, packet.sender(), nowNs);
        } else {
            final int n = Math.min(length, copy.capacity());
            content.getBytes(content.readerIndex(), copy.byteArray(), 0, n);
            handler.onDatagram(copy, 0, n, packet.sender(), nowNs);
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        // ICMP port-unreachable and similar socket errors surface here; the media timeout decides the call's fate.
    }
}
