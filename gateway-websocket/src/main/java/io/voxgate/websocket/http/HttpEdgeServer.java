package io.voxgate.websocket.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.NettyRuntime;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's HTTP/1.1 and WebSocket server: one listening socket that serves every plain endpoint
 * ({@code /voice/inbound}, {@code /healthz}, {@code /metrics}, {@code /webhook/vapi} ...) and every WebSocket
 * endpoint ({@code /media/...}) through a route table fixed when the server is built. This package knows no
 * endpoint; the edges and the launcher register theirs on the {@link Builder}.
 *
 * <p>Limits, each answered the same way for every route: a request body over {@link Builder#maxRequestBodyBytes}
 * gets 413; an unknown path 404; a known path with another method 405 with {@code Allow}; a malformed request 400
 * and the connection is closed; a connection idle for {@link Builder#idleTimeoutMs} before upgrading is closed; a
 * request not complete (headers and body) within {@link Builder#requestTimeoutMs} of its first byte gets 408 and the
 * connection is closed; a connection over {@link Builder#maxConnections} (in total or from its source address) is
 * closed on accept; a connection with more than {@link Builder#maxPipelinedRequests} requests awaiting their answer is
 * closed; no connection is read while it cannot be written. Every refusal is counted.
 * A WebSocket frame (or fragmented message) over {@link Builder#maxWebSocketFrameBytes} closes that one stream
 * with close code 1009 and a reason; other connections are untouched.
 *
 * <p>Lifecycle: {@link #start()} binds (synchronously; port 0 picks a free port, see {@link #port()});
 * {@link #stopAccepting()} closes the listener and leaves open connections to the launcher's drain;
 * {@link #close()} then closes the remaining connections (WebSocket ones receive close code 1001) and shuts down
 * the event loops this server created.
 *
 * <p>Threading: build and start on any thread; routes run on their connection's event loop. The counters are
 * safe to read from any thread. Transport: the one its event loops were made with, native epoll by default ({@link EventLoopTransport}).
 */
public final class HttpEdgeServer implements AutoCloseable {
    /** Default request body limit: webhooks are a few hundred bytes of form data; 64 KiB leaves a wide margin. */
    public static final int DEFAULT_MAX_REQUEST_BODY_BYTES = 64 * 1024;
    /** Default WebSocket frame limit: a 20 ms Twilio media message is about 300 bytes; 64 KiB is generous. */
    public static final int DEFAULT_MAX_WEBSOCKET_FRAME_BYTES = 64 * 1024;
    /** Default idle limit before a WebSocket upgrade: webhook clients send their request at once. */
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 30_000;
    /** Default deadline for a whole request, headers and body: webhook clients send theirs at once. */
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
    /** Default connection limit: a call holds one stream connection; 4096 is four times the default call limit. */
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;
    /**
     * Default connections per source address: Twilio spreads a node's streams over many media servers, so 256 from
     * one address is far beyond what one of them holds; trusted proxies are exempt.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_SOURCE = 256;
    /** Default requests a connection may have awaiting their answer: clients rarely pipeline at all. */
    public static final int DEFAULT_MAX_PIPELINED_REQUESTS = 16;
    /** Default wait for the peer's close frame after ours before the TCP connection is closed (RFC 6455 §7.1.1). */
    public static final long DEFAULT_CLOSE_HANDSHAKE_TIMEOUT_MS = 1_000;

    static final int MAX_INITIAL_LINE_BYTES = 4096;
    static final int MAX_HEADER_BYTES = 8192;
    static final String IDLE_HANDLER = "http-idle";
    static final String AGGREGATOR = "http-aggregator";
    static final String DEADLINE_HANDLER = "http-deadline";
    static final String PIPELINE_HANDLER = "http-pipeline-limit";

    private static final Logger LOG = LoggerFactory.getLogger(HttpEdgeServer.class);

    private final InetSocketAddress bindAddress;
    private final EventLoopTransport transport;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final boolean ownsGroups;
    private final int maxRequestBodyBytes;
    private final long idleTimeoutMs;
    private final long requestTimeoutMs;
    private final int maxPipelinedRequests;
    private final ConnectionLimits connectionLimits;
    private final WritabilityReadGate readGate;
    private final HttpRouterHandler router;
    private final ChannelGroup connections = new DefaultChannelGroup("voxgate-http", GlobalEventExecutor.INSTANCE);
    private final Counters counters = new Counters();
    private volatile Channel serverChannel;

    private HttpEdgeServer(final Builder builder) {
        this.bindAddress = new InetSocketAddress(builder.bindAddress, builder.port);
        this.transport = builder.transport;
        this.ownsGroups = builder.workerGroup == null;
        this.bossGroup = ownsGroups ? transport.newGroup(1, "voxgate-http-accept") : builder.bossGroup;
        this.workerGroup = ownsGroups ? transport.newGroup(workerThreads(builder.workerThreads), "voxgate-http") : builder.workerGroup;
        this.maxRequestBodyBytes = builder.maxRequestBodyBytes;
        this.idleTimeoutMs = builder.idleTimeoutMs;
        this.requestTimeoutMs = builder.requestTimeoutMs;
        this.maxPipelinedRequests = builder.maxPipelinedRequests;
        this.connectionLimits = new ConnectionLimits(builder.maxConnections, builder.maxConnectionsPerSource,
            builder.perSourceExempt, counters);
        this.readGate = new WritabilityReadGate(counters);
        this.router = new HttpRouterHandler(builder.routes, builder.plainPrefixRoutes, builder.webSocketRoutes,
            builder.maxWebSocketFrameBytes, builder.closeHandshakeTimeoutMs, builder.trustedProxies, counters);
    }

    /**
     * One loop per core unless told otherwise. Netty's own default (two per core) suits handlers that block now and
     * then; the media path never blocks, and with fewer loops each wakeup serves more connections (one epoll_wait
     * for many frames, fewer context switches), which is what CPU per call is made of at a thousand calls.
     */
    private static int workerThreads(final int configured) {
        return configured > 0 ? configured : NettyRuntime.availableProcessors();
    }

    /** A builder with the documented defaults, binding {@code 0.0.0.0:8080}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the listening socket and returns once it is bound.
     *
     * @return this server
     * @throws IllegalStateException when already started, or when the bind fails (the message names the address)
     */
    public HttpEdgeServer start() {
        if (serverChannel != null) {
            throw new IllegalStateException("HTTP edge server already started on " + serverChannel.localAddress());
        }
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(bossGroup, workerGroup)
            .channel(transport.serverChannelClass())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(final SocketChannel ch) {
                    if (!connectionLimits.admit(ch)) {
                        ch.close();
                        return;
                    }
                    connections.add(ch);
                    final ChannelPipeline p = ch.pipeline();
                    p.addLast("read-gate", readGate);
                    p.addLast(DEADLINE_HANDLER, new RequestDeadlineHandler(requestTimeoutMs, counters));
                    p.addLast(IDLE_HANDLER, new IdleStateHandler(0, 0, idleTimeoutMs, TimeUnit.MILLISECONDS));
                    p.addLast("http-codec", new HttpServerCodec(MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES, 8192));
                    p.addLast(PIPELINE_HANDLER, new PipelineLimitHandler(maxPipelinedRequests, counters));
                    p.addLast(AGGREGATOR, new BodyLimitAggregator(maxRequestBodyBytes, counters));
                    p.addLast("http-router", router);
                }
            });
        final ChannelFuture bound = bootstrap.bind(bindAddress).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            if (ownsGroups) {
                shutdownGroups();
            }
            throw new IllegalStateException("cannot listen on " + bindAddress + ": " + bound.cause().getMessage(), bound.cause());
        }
        serverChannel = bound.channel();
        LOG.info("HTTP edge listening on {} ({} transport)", serverChannel.localAddress(), transport.label());
        return this;
    }

    /** The bound port (the chosen one when built with port 0). */
    public int port() {
        return localAddress().getPort();
    }

    /** The bound address. */
    public InetSocketAddress localAddress() {
        final Channel ch = serverChannel;
        if (ch == null) {
            throw new IllegalStateException("HTTP edge server not started");
        }
        return (InetSocketAddress) ch.localAddress();
    }

    /** The transport in use. */
    public EventLoopTransport transport() {
        return transport;
    }

    /** The event loops connections run on (shared with clients bootstrapped on a call's loop). */
    public EventLoopGroup workerGroup() {
        return workerGroup;
    }

    /** Connections open now (HTTP and WebSocket). */
    public int openConnections() {
        return connections.size();
    }

    /**
     * Closes the listening socket; open connections carry on (the launcher drains calls, then calls {@link #close()}).
     * Idempotent; returns once the listener is closed.
     */
    public void stopAccepting() {
        final Channel ch = serverChannel;
        if (ch != null && ch.isOpen()) {
            ch.close().awaitUninterruptibly();
            LOG.info("HTTP edge stopped accepting on {}", ch.localAddress());
        }
    }

    /**
     * Stops accepting, closes every open connection (WebSocket streams get close code 1001 first) and shuts down the
     * event loops this server created (not ones passed to the builder). Idempotent; waits a few seconds at most.
     */
    @Override
    public void close() {
        stopAccepting();
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (ownsGroups) {
            shutdownGroups();
        }
    }

    private void shutdownGroups() {
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Requests routed to a plain endpoint. */
    public long requestsRouted() {
        return counters.routed.sum();
    }

    /** Requests answered 404 (no route for the path). */
    public long requestsNotFound() {
        return counters.notFound.sum();
    }

    /** Requests answered 405 (route exists, method not allowed). */
    public long requestsMethodNotAllowed() {
        return counters.methodNotAllowed.sum();
    }

    /** Requests answered 413 (body over the limit). */
    public long requestsTooLarge() {
        return counters.tooLarge.sum();
    }

    /** Requests answered 400 (undecodable HTTP, or a plain GET on a WebSocket path). */
    public long requestsMalformed() {
        return counters.malformed.sum();
    }

    /** Requests whose route threw (a bug; answered 500). */
    public long routeFailures() {
        return counters.routeFailures.sum();
    }

    /** Requests answered 408 and closed: headers and body not complete within the request timeout. */
    public long requestsTimedOut() {
        return counters.requestsTimedOut.sum();
    }

    /** Connections closed on accept: the server held {@code maxConnections} already. */
    public long connectionsRefusedTotal() {
        return counters.connectionsRefusedTotal.sum();
    }

    /** Connections closed on accept: their source address held {@code maxConnectionsPerSource} already. */
    public long connectionsRefusedPerSource() {
        return counters.connectionsRefusedPerSource.sum();
    }

    /** Connections closed for having more than {@code maxPipelinedRequests} requests awaiting their answer. */
    public long connectionsClosedPipelineLimit() {
        return counters.pipelineOverLimit.sum();
    }

    /** Times reading from a connection paused because it could not be written (its peer did not read). */
    public long readsPausedUnwritable() {
        return counters.readsPausedUnwritable.sum();
    }

    /** WebSocket upgrades completed. */
    public long webSocketUpgrades() {
        return counters.upgrades.sum();
    }

    /** WebSocket upgrades a route refused. */
    public long webSocketRefusals() {
        return counters.refusals.sum();
    }

    /** Server-wide counters, updated from every event loop. */
    static final class Counters {
        final LongAdder routed = new LongAdder();
        final LongAdder notFound = new LongAdder();
        final LongAdder methodNotAllowed = new LongAdder();
        final LongAdder tooLarge = new LongAdder();
        final LongAdder malformed = new LongAdder();
        final LongAdder routeFailures = new LongAdder();
        final LongAdder upgrades = new LongAdder();
        final LongAdder refusals = new LongAdder();
        final LongAdder requestsTimedOut = new LongAdder();
        final LongAdder connectionsRefusedTotal = new LongAdder();
        final LongAdder connectionsRefusedPerSource = new LongAdder();
        final LongAdder pipelineOverLimit = new LongAdder();
        final LongAdder readsPausedUnwritable = new LongAdder();
    }

    /**
     * Configures an {@link HttpEdgeServer}. Not thread-safe; use it on one thread, then {@link #build()}.
     */
    public static final class Builder {
        private String bindAddress = "0.0.0.0";
        private int port = 8080;
        private int maxRequestBodyBytes = DEFAULT_MAX_REQUEST_BODY_BYTES;
        private int maxWebSocketFrameBytes = DEFAULT_MAX_WEBSOCKET_FRAME_BYTES;
        private long idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
        private long closeHandshakeTimeoutMs = DEFAULT_CLOSE_HANDSHAKE_TIMEOUT_MS;
        private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerSource = DEFAULT_MAX_CONNECTIONS_PER_SOURCE;
        private int maxPipelinedRequests = DEFAULT_MAX_PIPELINED_REQUESTS;
        private Predicate<InetAddress> perSourceExempt = address -> false;
        private TrustedProxies trustedProxies = TrustedProxies.NONE;
        private int workerThreads;
        private EventLoopTransport transport = EventLoopTransport.detect();
        private EventLoopGroup bossGroup;
        private EventLoopGroup workerGroup;
        private final Map<String, HttpRouterHandler.PlainRoute> routes = new LinkedHashMap<>();
        private final List<HttpRouterHandler.PrefixRoute> webSocketRoutes = new ArrayList<>();
        private final List<HttpRouterHandler.PlainPrefixRoute> plainPrefixRoutes = new ArrayList<>();

        private Builder() {
        }

        /** The address to bind, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}. */
        public Builder bindAddress(final String address) {
            this.bindAddress = Objects.requireNonNull(address, "bindAddress");
            return this;
        }

        /**
         * The port to bind, {@code 0} for any free port.
         *
         * @throws IllegalArgumentException outside {@code [0, 65535]}
         */
        public Builder port(final int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The largest request body accepted; larger ones get 413.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxRequestBodyBytes(final int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxRequestBodyBytes must be positive, was " + bytes);
            }
            this.maxRequestBodyBytes = bytes;
            return this;
        }

        /**
         * The largest WebSocket frame or aggregated message accepted; a larger one closes its stream with 1009.
         *
         * @throws IllegalArgumentException when below 1024
         */
        public Builder maxWebSocketFrameBytes(final int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxWebSocketFrameBytes must be >= 1024, was " + bytes);
            }
            this.maxWebSocketFrameBytes = bytes;
            return this;
        }

        /**
         * How long a connection may stay silent before it upgrades (plain HTTP only).
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder idleTimeoutMs(final long ms) {
            if (ms <= 0) {
                throw new IllegalArgumentException("idleTimeoutMs must be positive, was " + ms);
            }
            this.idleTimeoutMs = ms;
            return this;
        }

        /**
         * How long {@link WebSocketClosing} waits for the peer's close frame before closing the TCP connection.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder closeHandshakeTimeoutMs(final long ms) {
            if (ms < 0) {
                throw new IllegalArgumentException("closeHandshakeTimeoutMs must be >= 0, was " + ms);
            }
            this.closeHandshakeTimeoutMs = ms;
            return this;
        }

        /**
         * The deadline for a request's headers and body, from its first byte; a request still incomplete then gets
         * 408 and its connection is closed.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder requestTimeoutMs(final long ms) {
            if (ms <= 0) {
                throw new IllegalArgumentException("requestTimeoutMs must be positive, was " + ms);
            }
            this.requestTimeoutMs = ms;
            return this;
        }

        /**
         * Connections held at most, in total and per source address; a connection over either is closed on accept.
         *
         * @throws IllegalArgumentException when either is not positive
         */
        public Builder maxConnections(final int total, final int perSource) {
            if (total <= 0 || perSource <= 0) {
                throw new IllegalArgumentException("connection limits must be positive, were " + total + " and " + perSource);
            }
            this.maxConnections = total;
            this.maxConnectionsPerSource = perSource;
            return this;
        }

        /**
         * The proxies whose forwarded headers are kept ({@code X-Forwarded-*}, {@code Forwarded}); the server removes
         * them from every other peer's requests. The proxies are also held to the total connection limit only.
         */
        public Builder trustedProxies(final TrustedProxies proxies) {
            this.trustedProxies = Objects.requireNonNull(proxies, "proxies");
            this.perSourceExempt = proxies;
            return this;
        }

        /** Source addresses held to the total connection limit only (the trusted proxies). */
        public Builder perSourceExempt(final Predicate<InetAddress> exempt) {
            this.perSourceExempt = Objects.requireNonNull(exempt, "exempt");
            return this;
        }

        /**
         * Requests a connection may have awaiting their answer's write; one more closes the connection.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxPipelinedRequests(final int requests) {
            if (requests <= 0) {
                throw new IllegalArgumentException("maxPipelinedRequests must be positive, was " + requests);
            }
            this.maxPipelinedRequests = requests;
            return this;
        }

        /**
         * Loop threads of the event loop group the server creates; {@code 0} (default) means one per core.
         * Ignored when {@link #eventLoops} is given.
         */
        public Builder workerThreads(final int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("workerThreads must be >= 0, was " + threads);
            }
            this.workerThreads = threads;
            return this;
        }

        /**
         * Runs on event loops owned by the caller (who shuts them down after {@link HttpEdgeServer#close()}); both
         * groups must belong to {@code transport}.
         *
         * @throws IllegalArgumentException when a group belongs to another transport
         */
        public Builder eventLoops(final EventLoopTransport transport, final EventLoopGroup bossGroup,
                                  final EventLoopGroup workerGroup) {
            Objects.requireNonNull(transport, "transport");
            if (!transport.owns(bossGroup) || !transport.owns(workerGroup)) {
                throw new IllegalArgumentException("event loop groups do not belong to the " + transport + " transport");
            }
            this.transport = transport;
            this.bossGroup = bossGroup;
            this.workerGroup = workerGroup;
            return this;
        }

        /**
         * Uses {@code transport} for the event loops the server creates (e.g. {@link EventLoopTransport#nio()}).
         */
        public Builder transport(final EventLoopTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Registers a plain endpoint for the exact {@code path} (query string ignored) and {@code methods}.
         *
         * @throws IllegalArgumentException when the path does not start with {@code /}, no method is given, or the path
         *                                  is already registered
         */
        public Builder route(final String path, final HttpRoute route, final HttpMethod... methods) {
            requirePath(path);
            Objects.requireNonNull(route, "route");
            if (methods.length == 0) {
                throw new IllegalArgumentException("route " + path + " needs at least one method");
            }
            if (routes.containsKey(path)) {
                throw new IllegalArgumentException("route " + path + " is already registered");
            }
            final Set<HttpMethod> allowed = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(methods)));
            routes.put(path, new HttpRouterHandler.PlainRoute(route, allowed));
            return this;
        }

        /**
         * Registers a plain endpoint for every path starting with {@code pathPrefix} (e.g. {@code /calls/}) and
         * {@code methods}; the route reads the rest of the path itself. An exact route wins over a prefix, a longer
         * prefix over a shorter one, and a plain prefix over a WebSocket one.
         *
         * @throws IllegalArgumentException when the prefix does not start with {@code /}, no method is given, or the
         *                                  prefix is already registered
         */
        public Builder routePrefix(final String pathPrefix, final HttpRoute route, final HttpMethod... methods) {
            requirePath(pathPrefix);
            Objects.requireNonNull(route, "route");
            if (methods.length == 0) {
                throw new IllegalArgumentException("route " + pathPrefix + " needs at least one method");
            }
            for (final HttpRouterHandler.PlainPrefixRoute existing : plainPrefixRoutes) {
                if (existing.prefix().equals(pathPrefix)) {
                    throw new IllegalArgumentException("route " + pathPrefix + " is already registered");
                }
            }
            final Set<HttpMethod> allowed = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(methods)));
            plainPrefixRoutes.add(new HttpRouterHandler.PlainPrefixRoute(pathPrefix,
                new HttpRouterHandler.PlainRoute(route, allowed)));
            return this;
        }

        /**
         * Registers a WebSocket endpoint for every path starting with {@code pathPrefix} (e.g. {@code /media/}); the
         * longest matching prefix wins, and a plain route with the exact path wins over a prefix.
         *
         * @throws IllegalArgumentException when the prefix does not start with {@code /} or is already registered
         */
        public Builder webSocketRoute(final String pathPrefix, final WebSocketRoute route) {
            requirePath(pathPrefix);
            Objects.requireNonNull(route, "route");
            for (final HttpRouterHandler.PrefixRoute existing : webSocketRoutes) {
                if (existing.prefix().equals(pathPrefix)) {
                    throw new IllegalArgumentException("WebSocket route " + pathPrefix + " is already registered");
                }
            }
            webSocketRoutes.add(new HttpRouterHandler.PrefixRoute(pathPrefix, route));
            return this;
        }

        /** The configured server, not yet listening. */
        public HttpEdgeServer build() {
            return new HttpEdgeServer(this);
        }

        private static void requirePath(final String path) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("route path must start with '/', was " + path);
            }
        }
    }
}
