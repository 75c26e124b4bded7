package io.voxgate.sip.rtp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The UDP sockets of the SIP edge on the node's media event loops, which the launcher creates once for both edges
 * (it chooses epoll, io_uring or NIO in one place); the datagram channel class follows the loops' I/O handler. Each call's RTP
 * and RTCP sockets are registered on one loop, which is the call's thread.
 *
 * <p>Sockets receive into fixed {@value #RECEIVE_BUFFER_BYTES}-byte buffers, so an oversized datagram arrives
 * truncated and is dropped as oversized by {@link RtpPacketFlyweight} rather than costing a large allocation.
 *
 * <p>Threading: {@link #bind} on any thread (it never waits; admission calls it on the call's own loop).
 * The loops are not owned: whoever made them shuts them down.
 */
public final class RtpTransport {
    /** Receive buffer per datagram: larger than any valid packet, see {@link RtpPacketFlyweight#MAX_PACKET_LENGTH}. */
    public static final int RECEIVE_BUFFER_BYTES = 2048;

    private final EventLoopGroup group;
    private final Class<? extends DatagramChannel> channelClass;
    private final String label;

    /** UDP sockets on the loops of {@code group} (epoll, io_uring or NIO). */
    public RtpTransport(final EventLoopGroup group) {
        this.group = Objects.requireNonNull(group, "group");
        if (runs(group, EpollIoHandler.class)) {
            this.channelClass = EpollDatagramChannel.class;
            this.label = "epoll";
        } else if (runs(group, IoUringIoHandler.class)) {
            this.channelClass = IoUringDatagramChannel.class;
            this.label = "io_uring";
        } else {
            this.channelClass = NioDatagramChannel.class;
            this.label = "nio";
        }
    }

    private static boolean runs(final EventLoopGroup group, final Class<? extends IoHandler> handler) {
        return group instanceof IoEventLoopGroup && ((IoEventLoopGroup) group).isIoType(handler);
    }

    /** Every media event loop, once each. */
    public List<EventLoop> loops() {
        final List<EventLoop> loops = new ArrayList<>();
        for (final EventExecutor executor : group) {
            loops.add((EventLoop) executor);
        }
        return loops;
    }

    /** The loops' transport: {@code epoll}, {@code io_uring} or {@code nio}, for logs. */
    public String label() {
        return label;
    }

    /**
     * Starts binding a UDP socket on {@code loop}, without waiting: the future completes on {@code loop}, failed
     * when the port cannot be bound (in use by another process; the channel is then closed).
     */
    public ChannelFuture bind(final EventLoop loop, final InetAddress address, final int port, final DatagramHandler handler) {
        final Bootstrap b = new Bootstrap().group(loop).channel(channelClass)
            .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER_BYTES))
            .option(ChannelOption.SO_RCVBUF, 256 * 1024)
            .handler(new RtpChannelHandler(handler));
        return b.bind(new InetSocketAddress(address, port));
    }
}
