package io.voxgate.sip.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RtpTransportTest {
    private static final byte[] PACKET = "an RTP packet's bytes".getBytes(StandardCharsets.US_ASCII);

    /** Binds an RTP socket on a one-loop group of {@code handler}'s kind and sends it one datagram from a JDK socket. */
    private static String receiveOneOn(final IoHandlerFactory handler) throws Exception {
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, handler);
        try {
            final RtpTransport transport = new RtpTransport(group);
            final CompletableFuture<byte[]> received = new CompletableFuture<>();
            final Channel channel = transport.bind(transport.loops().get(0), InetAddress.getLoopbackAddress(), 0,
                (buffer, offset, length, sender, nowNs) -> {
                    final byte[] bytes = new byte[length];
                    buffer.getBytes(offset, bytes);
                    received.complete(bytes);
                }).sync().channel();
            try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                peer.send(new DatagramPacket(PACKET, PACKET.length, (InetSocketAddress) channel.localAddress()));
                assertArrayEquals(PACKET, received.get(10, TimeUnit.SECONDS));
            } finally {
                channel.close().sync();
            }
            return transport.label();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void shouldReceiveOnNioLoops() throws Exception {
        assertEquals("nio", receiveOneOn(NioIoHandler.newFactory()));
    }

    @Test
    void shouldReceiveOnEpollLoopsWithTheNativeChannel() throws Exception {
        if (Epoll.isAvailable()) {
            assertEquals("epoll", receiveOneOn(EpollIoHandler.newFactory()));
        }
    }

    @Test
    void shouldReceiveOnIoUringLoopsWithTheNativeChannel() throws Exception {
        if (IoUring.isAvailable()) {
            assertEquals("io_uring", receiveOneOn(IoUringIoHandler.newFactory()));
        }
    }
}
