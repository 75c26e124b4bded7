package io.voxgate.websocket.http;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The Netty transport this process uses for TCP: native epoll when the platform offers it, NIO otherwise.
 *
 * <p>Event loop groups and channel classes must come from the same transport; every TCP user (the HTTP edge
 * server, the Twilio simulator, WebSocket clients bootstrapped on a call's loop) asks this class for both, so
 * they never mix. Immutable; safe on any thread.
 */
public final class EventLoopTransport {
    private static final EventLoopTransport EPOLL = new EventLoopTransport(true);
    private static final EventLoopTransport NIO = new EventLoopTransport(false);

    private final boolean epoll;

    private EventLoopTransport(final boolean epoll) {
        this.epoll = epoll;
    }

    /** Native epoll when {@link Epoll#isAvailable()}, NIO otherwise. */
    public static EventLoopTransport detect() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** The NIO transport, available everywhere. */
    public static EventLoopTransport nio() {
        return NIO;
    }

    /** {@code epoll} or {@code nio}, for logs and metrics labels. */
    public String name() {
        return epoll ? "epoll" : "nio";
    }

    /**
     * A new event loop group of this transport; the caller owns it and shuts it down.
     *
     * @param threads          loop threads, {@code 0} for Netty's default (twice the cores)
     * @param threadNamePrefix names the threads, e.g. {@code voxgate-http}
     * @throws IllegalArgumentException when {@code threads} is negative
     */
    public EventLoopGroup newGroup(final int threads, final String threadNamePrefix) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, was " + threads);
        }
        final DefaultThreadFactory factory = new DefaultThreadFactory(threadNamePrefix, true);
        return epoll ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    }

    /** The listening socket class matching {@link #newGroup}. */
    public Class<? extends ServerSocketChannel> serverChannelClass() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The client socket class matching {@link #newGroup}. */
    public Class<? extends SocketChannel> socketChannelClass() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** Whether {@code group} belongs to this transport. */
    public boolean owns(final EventLoopGroup group) {
        return epoll ? group instanceof EpollEventLoopGroup : group instanceof NioEventLoopGroup;
    }

    @Override
    public String toString() {
        return name();
    }
}
