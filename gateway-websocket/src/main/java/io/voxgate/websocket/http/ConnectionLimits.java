package io.voxgate.websocket.http;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * How many connections the server holds, in total and per source address, so neither one host nor a crowd can
 * exhaust file descriptors, memory or loop time with idle connections. A connection over either limit is closed
 * before anything is read from it, and counted.
 *
 * <p>Sources for which {@code exempt} holds (the trusted proxies, which carry every caller's traffic) are held to
 * the total only. Threading: safe on any thread; a connection is admitted on its event loop and released by its
 * close future.
 */
final class ConnectionLimits {
    private final int maxConnections;
    private final int maxPerSource;
    private final Predicate<InetAddress> exempt;
    private final HttpEdgeServer.Counters counters;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentMap<InetAddress, AtomicInteger> perSource = new ConcurrentHashMap<>();

    ConnectionLimits(final int maxConnections, final int maxPerSource, final Predicate<InetAddress> exempt,
                     final HttpEdgeServer.Counters counters) {
        this.maxConnections = maxConnections;
        this.maxPerSource = maxPerSource;
        this.exempt = exempt;
        this.counters = counters;
    }

    /** Admits {@code channel} and arranges its release when it closes; {@code false} (counted) when over a limit. */
    boolean admit(final Channel channel) {
        if (total.incrementAndGet() > maxConnections) {
            total.decrementAndGet();
            counters.connectionsRefusedTotal.increment();
            return false;
        }
        final InetAddress source = sourceOf(channel.remoteAddress());
        if (source == null || exempt.test(source)) {
            channel.closeFuture().addListener(f -> total.decrementAndGet());
            return true;
        }
        final int[] held = new int[1];
        perSource.compute(source, (s, count) -> {
            final AtomicInteger c = count == null ? new AtomicInteger() : count;
            held[0] = c.incrementAndGet();
            return c;
        });
        if (held[0] > maxPerSource) {
            release(source);
            counters.connectionsRefusedPerSource.increment();
            return false;
        }
        channel.closeFuture().addListener(f -> release(source));
        return true;
    }

    /** Connections held now. */
    int open() {
        return total.get();
    }

    private void release(final InetAddress source) {
        // The entry goes with its last connection, atomically, so the map holds only sources connected now.
        perSource.computeIfPresent(source, (s, count) -> count.decrementAndGet() <= 0 ? null : count);
        total.decrementAndGet();
    }

    private static InetAddress sourceOf(final SocketAddress address) {
        return address instanceof InetSocketAddress ? ((InetSocketAddress) address).getAddress() : null;
    }
}
