package io.voxgate.websocket.vapi;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The kept-alive HTTP/1.1 connections from one event loop to the Vapi API, so that a call's {@code POST /call} skips
 * the TCP and TLS handshakes when an earlier exchange on the loop left a connection idle.
 *
 * <p>A connection carries one exchange at a time (no pipelining). Bounded: at most {@code maxIdle} idle connections
 * are kept, the most recently used handed out first; an idle connection is closed after {@code idleTimeoutMs} (well
 * inside the idle timeouts of the load balancers in front of an API, so the server rarely closes one under a
 * request), when the server closes it, or when anything arrives on it while no exchange runs. A connection whose
 * response said {@code Connection: close}, or whose exchange was abandoned, is closed instead of kept. With
 * {@code maxIdle} 0 every exchange opens its own connection.
 *
 * <p>Threading: confined to its event loop; {@link #acquire}, {@link #release} and {@link #closeIdle} run there, and
 * the connections are registered with it.
 */
final class VapiApiConnections {
    /** Name of the last handler of every connection: closes a connection that receives data while idle. */
    static final String IDLE_GUARD = "vapi-idle-guard";
    /** Largest API response accepted. */
    static final int MAX_RESPONSE_BYTES = 1 << 20;

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final String host;
    private final int port;
    private final int maxIdle;
    private final long idleTimeoutMs;
    private final VapiAgentStats stats;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final Map<Channel, ScheduledFuture<?>> idleTimers = new IdentityHashMap<>();

    VapiApiConnections(final EventLoop loop, final URI api, final SslContext sslContext,
                       final AddressResolverGroup<InetSocketAddress> resolver, final int maxIdle, final long idleTimeoutMs,
                       final VapiAgentStats stats) {
        this.loop = loop;
        this.host = api.getHost();
        this.port = ClientChannels.port(api);
        this.maxIdle = maxIdle;
        this.idleTimeoutMs = idleTimeoutMs;
        this.stats = stats;
        final boolean tls = ClientChannels.secure(api);
        final String tlsHost = host;
        final int tlsPort = port;
        this.bootstrap = new Bootstrap()
            .group(loop)
            .channel(ClientChannels.socketChannelClass(loop))
            .resolver(resolver)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(final Channel ch) {
                    final ChannelPipeline p = ch.pipeline();
                    if (tls) {
                        p.addLast(ClientChannels.sslHandler(sslContext, ch.alloc(), tlsHost, tlsPort));
                    }
                    p.addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_RESPONSE_BYTES));
                    p.addLast(IDLE_GUARD, new IdleGuard());
                    ch.closeFuture().addListener(f -> forget(ch));
                }
            });
    }

    /**
     * A connection for one exchange: the most recently used idle one (its future already done), or a new one
     * connecting within {@code connectTimeoutMs}. The caller adds its exchange handler before {@link #IDLE_GUARD}.
     */
    ChannelFuture acquire(final int connectTimeoutMs) {
        Channel ch;
        while ((ch = idle.pollLast()) != null) {
            cancelIdleTimer(ch);
            if (ch.isActive()) {
                stats.apiConnectionReused();
                return ch.newSucceededFuture();
            }
        }
        stats.apiConnectionOpened();
        return bootstrap.clone().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.max(1, connectTimeoutMs)).connect(host, port);
    }

    /**
     * Hands a connection back after its exchange: kept when {@code reusable}, still open and there is room, closed
     * otherwise. The exchange's handler must already be gone from the pipeline.
     */
    void release(final Channel ch, final boolean reusable) {
        if (!reusable || !ch.isActive() || idle.size() >= maxIdle) {
            ch.close();
            return;
        }
        idle.addLast(ch);
        idleTimers.put(ch, loop.schedule(() -> {
            if (idle.remove(ch)) {
                idleTimers.remove(ch);
                ch.close();
            }
        }, idleTimeoutMs, TimeUnit.MILLISECONDS));
    }

    /** Idle connections now. */
    int idleCount() {
        return idle.size();
    }

    /** Closes every idle connection (at shutdown). */
    void closeIdle() {
        Channel ch;
        while ((ch = idle.pollLast()) != null) {
            cancelIdleTimer(ch);
            ch.close();
        }
    }

    private void forget(final Channel ch) {
        if (idle.remove(ch)) {
            cancelIdleTimer(ch);
        }
    }

    private void cancelIdleTimer(final Channel ch) {
        final ScheduledFuture<?> timer = idleTimers.remove(ch);
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /**
     * Last in every connection's pipeline: an exchange handler before it consumes the response, so anything that
     * reaches this guard arrived while no exchange ran (it could be mistaken for the next exchange's answer).
     */
    private static final class IdleGuard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            ctx.close();
        }
    }
}
