package io.voxgate.websocket.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.uring.IoUring;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventLoopTransportTest {
    private static final byte[] PAYLOAD = "twenty ms of audio".getBytes(StandardCharsets.US_ASCII);

    /** The transports this host can load: NIO always, the native ones where their library loads. */
    private static List<EventLoopTransport> loadable() {
        final List<EventLoopTransport> out = new ArrayList<>();
        out.add(EventLoopTransport.NIO);
        if (Epoll.isAvailable()) {
            out.add(EventLoopTransport.EPOLL);
        }
        if (IoUring.isAvailable()) {
            out.add(EventLoopTransport.IO_URING);
        }
        return out;
    }

    @Test
    void shouldChooseEpollForAutoWhereItLoadsAndNeverIoUring() {
        assertEquals(Epoll.isAvailable() ? EventLoopTransport.EPOLL : EventLoopTransport.NIO, EventLoopTransport.choose("auto"));
        assertEquals(EventLoopTransport.NIO, EventLoopTransport.choose("nio"));
    }

    @Test
    void shouldRefuseAWordThatNamesNoTransport() {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> EventLoopTransport.choose("kqueue"));
        assertTrue(refused.getMessage().contains("auto, epoll, io_uring, nio"), refused.getMessage());
    }

    @Test
    void shouldRefuseANativeTransportThisHostCannotLoad() {
        if (!IoUring.isAvailable()) {
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> EventLoopTransport.choose("io_uring"));
            assertTrue(refused.getMessage().startsWith("io_uring is not available here"), refused.getMessage());
        } else {
            assertEquals(EventLoopTransport.IO_URING, EventLoopTransport.choose("io_uring"));
        }
    }

    @Test
    void shouldKnowTheTransportOfItsOwnGroupsAndLoops() {
        for (final EventLoopTransport transport : loadable()) {
            final EventLoopGroup group = transport.newGroup(1, "transport-test");
            try {
                assertSame(transport, EventLoopTransport.of(group));
                assertSame(transport, EventLoopTransport.of(group.next()));
                for (final EventLoopTransport other : EventLoopTransport.values()) {
                    assertEquals(other == transport, other.owns(group), other + " owns a " + transport + " group");
                }
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    @Test
    void shouldCarryTcpBytesOverEveryLoadableTransport() throws Exception {
        for (final EventLoopTransport transport : loadable()) {
            final EventLoopGroup group = transport.newGroup(1, "transport-test");
            try {
                final Channel server = new ServerBootstrap().group(group).channel(transport.serverChannelClass())
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
                            ctx.writeAndFlush(msg);
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
                final CompletableFuture<byte[]> echoed = new CompletableFuture<>();
                final Channel client = new Bootstrap().group(group).channel(transport.socketChannelClass())
                    .handler(new SimpleChannelInboundHandler<ByteBuf>() {
                        @Override
                        protected void channelRead0(final ChannelHandlerContext ctx, final ByteBuf msg) {
                            echoed.complete(ByteBufUtil.getBytes(msg));
                        }
                    }).connect(server.localAddress()).sync().channel();
                client.writeAndFlush(Unpooled.wrappedBuffer(PAYLOAD)).sync();

                assertArrayEquals(PAYLOAD, echoed.get(10, TimeUnit.SECONDS), transport + " over TCP");
                client.close().sync();
                server.close().sync();
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    @Test
    void shouldCarryUdpDatagramsOverEveryLoadableTransport() throws Exception {
        for (final EventLoopTransport transport : loadable()) {
            final EventLoopGroup group = transport.newGroup(1, "transport-test");
            try {
                final CompletableFuture<byte[]> received = new CompletableFuture<>();
                final Channel receiver = new Bootstrap().group(group).channel(transport.datagramChannelClass())
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket msg) {
                            received.complete(ByteBufUtil.getBytes(msg.content()));
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
                final Channel sender = new Bootstrap().group(group).channel(transport.datagramChannelClass())
                    .handler(new ChannelInboundHandlerAdapter()).bind("127.0.0.1", 0).sync().channel();
                sender.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(PAYLOAD),
                    (InetSocketAddress) receiver.localAddress())).sync();

                assertArrayEquals(PAYLOAD, received.get(10, TimeUnit.SECONDS), transport + " over UDP");
                assertFalse(received.isCompletedExceptionally());
                sender.close().sync();
                receiver.close().sync();
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }
}
