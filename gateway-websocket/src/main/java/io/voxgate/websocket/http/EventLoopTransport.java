package io.voxgate.websocket.http;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The Netty I/O transport this process uses: native epoll, native io_uring or NIO, each a
 * {@link MultiThreadIoEventLoopGroup} with its {@link IoHandler}.
 *
 * <p>Event loop groups and channel classes must come from the same transport; every user (the HTTP edge server,
 * the Twilio simulator, WebSocket and DNS clients bootstrapped on a call's loop) asks this class for both, or asks
 * {@link #of(EventLoopGroup)} which transport a group it was handed belongs to, so they never mix.
 *
 * <p>{@link #choose(String) auto} is epoll where the native library loads, NIO otherwise; io_uring is used only
 * when asked for, because it depends on the kernel (5.9+) and on seccomp profiles that often forbid it.
 * Immutable; safe on any thread.
 */
public enum EventLoopTransport {
    /** Linux epoll through Netty's native library (x86_64 and aarch64 ship with the gateway). */
    EPOLL("epoll", EpollIoHandler.class, EpollIoHandler::newFactory, EpollServerSocketChannel.class,
        EpollSocketChannel.class, EpollDatagramChannel.class),
    /** Linux io_uring through Netty's native library; submissions batched per loop iteration. */
    IO_URING("io_uring", IoUringIoHandler.class, IoUringIoHandler::newFactory, IoUringServerSocketChannel.class,
        IoUringSocketChannel.class, IoUringDatagramChannel.class),
    /** The JDK's selector: available everywhere. */
    NIO("nio", NioIoHandler.class, NioIoHandler::newFactory, NioServerSocketChannel.class, NioSocketChannel.class,
        NioDatagramChannel.class);

    /** The words {@link #choose} accepts, {@code auto} first. */
    public static final List<String> CHOICES = List.of("auto", "epoll", "io_uring", "nio");

    private final String label;
    private final Class<? extends IoHandler> handlerType;
    private final Supplier<IoHandlerFactory> handlerFactory;
    private final Class<? extends ServerSocketChannel> serverChannelClass;
    private final Class<? extends SocketChannel> socketChannelClass;
    private final Class<? extends DatagramChannel> datagramChannelClass;

    EventLoopTransport(final String label, final Class<? extends IoHandler> handlerType,
                       final Supplier<IoHandlerFactory> handlerFactory,
                       final Class<? extends ServerSocketChannel> serverChannelClass,
                       final Class<? extends SocketChannel> socketChannelClass,
                       final Class<? extends DatagramChannel> datagramChannelClass) {
        this.label = label;
        this.handlerType = handlerType;
        this.handlerFactory = handlerFactory;
        this.serverChannelClass = serverChannelClass;
        this.socketChannelClass = socketChannelClass;
        this.datagramChannelClass = datagramChannelClass;
    }

    /** Native epoll when {@link Epoll#isAvailable()}, NIO otherwise (the {@code auto} choice). */
    public static EventLoopTransport detect() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** The NIO transport, available everywhere. */
    public static EventLoopTransport nio() {
        return NIO;
    }

    /**
     * The transport named {@code choice}: {@code auto} ({@link #detect()}), {@code epoll}, {@code io_uring} or
     * {@code nio}.
     *
     * @throws IllegalArgumentException when the word is none of these, or names a native transport this host cannot
     *                                  load (the message carries the reason), so a node never runs on another
     *                                  transport than the one its operator asked for
     */
    public static EventLoopTransport choose(final String choice) {
        final String word = choice == null ? "" : choice.trim().toLowerCase(Locale.ROOT);
        switch (word) {
            case "auto":
                return detect();
            case "nio":
                return NIO;
            case "epoll":
                if (!Epoll.isAvailable()) {
                    throw new IllegalArgumentException("epoll is not available here: " + Epoll.unavailabilityCause());
                }
                return EPOLL;
            case "io_uring":
                if (!IoUring.isAvailable()) {
                    throw new IllegalArgumentException("io_uring is not available here: " + IoUring.unavailabilityCause());
                }
                return IO_URING;
            default:
                throw new IllegalArgumentException("'" + choice + "' is not one of " + String.join(", ", CHOICES));
        }
    }

    /**
     * The transport whose loops make up {@code group} (a group or a single loop).
     *
     * @throws IllegalArgumentException when {@code group} is not a Netty 4.2 I/O group of a known transport
     */
    public static EventLoopTransport of(final EventLoopGroup group) {
        for (final EventLoopTransport transport : values()) {
            if (transport.owns(group)) {
                return transport;
            }
        }
        throw new IllegalArgumentException("event loop group of no known transport: " + group.getClass().getName());
    }

    /** {@code epoll}, {@code io_uring} or {@code nio}, for logs and metrics labels. */
    public String label() {
        return label;
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
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadNamePrefix, true),
            handlerFactory.get());
    }

    /** The listening socket class matching {@link #newGroup}. */
    public Class<? extends ServerSocketChannel> serverChannelClass() {
        return serverChannelClass;
    }

    /** The client socket class matching {@link #newGroup}. */
    public Class<? extends SocketChannel> socketChannelClass() {
        return socketChannelClass;
    }

    /** The UDP socket class matching {@link #newGroup}. */
    public Class<? extends DatagramChannel> datagramChannelClass() {
        return datagramChannelClass;
    }

    /** Whether {@code group} (a group or a single loop) runs this transport's I/O handler. */
    public boolean owns(final EventLoopGroup group) {
        return group instanceof IoEventLoopGroup && ((IoEventLoopGroup) group).isIoType(handlerType);
    }

    @Override
    public String toString() {
        return label;
    }
}
