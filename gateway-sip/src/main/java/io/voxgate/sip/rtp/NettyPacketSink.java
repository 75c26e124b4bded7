package io.voxgate.sip.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Sends packets written by an RTP or RTCP stage on a call's UDP channel: {@link #claim} takes a pooled direct
 * buffer and exposes its memory as an Agrona view, {@link #commit} writes it to the current target. The
 * channel's pipeline releases the buffer once sent, so each claimed buffer has one owner at a time: this sink
 * until commit, Netty afterwards.
 *
 * <p>Threading: confined to the call's event loop. Netty allocates one envelope per datagram; the buffer
 * comes from its pool.
 */
public final class NettyPacketSink implements RtpSendStage.PacketSink {
    private final Channel channel;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private ByteBuf claimed;
    private InetSocketAddress target;
    private long packetsDroppedUnwritable;

    /** A sink on {@code channel}; set the {@link #target} before the first packet. */
    public NettyPacketSink(final Channel channel) {
        this.channel = channel;
    }

    /**
     * Where packets go from now on. The unspecified address (0.0.0.0 or ::, the RFC 2543 hold form) means nowhere:
     * the kernel would deliver a datagram sent to it to this host.
     */
    public void target(final InetSocketAddress target) {
        this.target = target == null || target.getAddress() == null || target.getAddress().isAnyLocalAddress() ? null : target;
    }

    @Override
    public MutableDirectBuffer claim(final int length) {
        if (claimed != null) {
            claimed.release();
            claimed = null;
        }
        if (target == null || !channel.isActive()) {
            packetsDroppedUnwritable++;
            return null;
        }
        claimed = channel.alloc().directBuffer(length, length);
        if (claimed.hasMemoryAddress()) {
            view.wrap(claimed.memoryAddress(), length);
        } else {
            view.wrap(claimed.nioBuffer(0, length));
        }
        return view;
    }

    @Override
    public void commit(final int length) {
        final ByteBuf buf = claimed;
        claimed = null;
        if (buf == null) {
            return;
        }
        buf.writerIndex(length);
        channel.writeAndFlush(new DatagramPacket(buf, target), channel.voidPromise());
    }

    /** Packets not sent because the channel was closed or no target was known. */
    public long packetsDroppedUnwritable() {
        return packetsDroppedUnwritable;
    }
}
