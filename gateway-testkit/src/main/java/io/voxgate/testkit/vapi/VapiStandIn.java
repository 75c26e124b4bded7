package io.voxgate.testkit.vapi;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.voxgate.websocket.http.EventLoopTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for Vapi (protocols.md §5.1-5.3): {@code POST /call} checks the bearer key and the
 * assistant and answers {@code 201} with the documented call shape, whose {@code transport.websocketCallUrl}
 * ({@code ws://host:port/<callId>/transport}) opens a transport socket that runs the assistant's
 * {@link StandInScript}. Used by tests, by {@code ./voxgate demo} and by the load generator, so the gateway can
 * be exercised end to end without a Vapi account. With {@link Builder#tls} it speaks {@code https} and {@code wss}. It
 * counts the TCP connections it accepts, so a test can tell a kept-alive API connection from one per call.
 *
 * <p>Threading: the server runs on its own event loop group (or one given to it); every accessor is safe on
 * any thread. Ownership: {@link #close()} stops the server and, when the group was created here, the group.
 */
public final class VapiStandIn implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VapiStandIn.class);

    private final String apiKey;
    private final Map<String, StandInScript> scripts;
    private final StandInScript inlineScript;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Map<String, Integer> rejectedSoFar = new LinkedHashMap<>();
    private final List<StandInCall> calls = new ArrayList<>();
    private final Channel serverChannel;
    private final String host;
    private final int port;
    private final String scheme;
    private long createRequests;
    private long connectionsAccepted;
    private long connectionsOpen;

    private VapiStandIn(final Builder b) throws InterruptedException {
        this.apiKey = b.apiKey;
        this.scripts = new LinkedHashMap<>(b.scripts);
        this.inlineScript = b.inlineScript;
        this.ownsGroup = b.group == null;
        this.group = ownsGroup ? EventLoopTransport.nio().newGroup(1, "vapi-stand-in") : b.group;
        this.scheme = b.tls == null ? "http" : "https";
        final SslContext tls = b.tls;
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(group)
            .channel(EventLoopTransport.of(group).serverChannelClass())
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(final SocketChannel ch) {
                    connectionAccepted();
                    ch.closeFuture().addListener(f -> connectionClosed());
                    if (tls != null) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                    }
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                        new StandInHttpHandler(VapiStandIn.this));
                }
            });
        try {
            this.serverChannel = bootstrap.bind(new InetSocketAddress(b.bindAddress, b.port)).sync().channel();
        } catch (final InterruptedException | RuntimeException ex) {
            if (ownsGroup) {
                group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            }
            throw ex;
        }
        final InetSocketAddress local = (InetSocketAddress) serverChannel.localAddress();
        final String hostText = local.getAddress().getHostAddress();
        this.host = hostText.indexOf(':') >= 0 ? "[" + hostText + "]" : hostText;
        this.port = local.getPort();
        LOG.info("vapi stand-in listening on {}:{} with assistants {}", host, port, scripts.keySet());
    }

    /** A builder: API key {@code test-key}, loopback, any free port, no assistants. */
    public static Builder builder() {
        return new Builder();
    }

    /** The port the stand-in listens on. */
    public int port() {
        return port;
    }

    /** The REST base to configure as {@code --vapi-api-url}, e.g. {@code http://127.0.0.1:40123}. */
    public String apiUrl() {
        return scheme + "://" + host + ":" + port;
    }

    /** TCP connections accepted so far (API requests and transport sockets alike). */
    public synchronized long connectionsAccepted() {
        return connectionsAccepted;
    }

    /** TCP connections open now. */
    public synchronized long connectionsOpen() {
        return connectionsOpen;
    }

    /** {@code POST /call} requests received, accepted or not. */
    public synchronized long createRequests() {
        return createRequests;
    }

    /** The calls created so far, oldest first. */
    public synchronized List<StandInCall> calls() {
        return new ArrayList<>(calls);
    }

    /** Waits until the {@code index}-th call (0-based) was created and returns it, or {@code null} on timeout. */
    public synchronized StandInCall awaitCall(final int index, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (calls.size() <= index) {
            final long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return calls.get(index);
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    String apiKey() {
        return apiKey;
    }

    /** The script for a saved assistant, or {@code null} when the stand-in does not know it. */
    StandInScript scriptFor(final String assistantId) {
        return assistantId == null ? inlineScript : scripts.get(assistantId);
    }

    private synchronized void connectionAccepted() {
        connectionsAccepted++;
        connectionsOpen++;
    }

    private synchronized void connectionClosed() {
        connectionsOpen--;
    }

    synchronized void createRequested() {
        createRequests++;
    }

    /** Whether this request must be rejected by the script's reject rule (counts it when it is). */
    synchronized boolean rejectNow(final String key, final StandInScript script) {
        if (script.rejectStatus() == 0) {
            return false;
        }
        final int soFar = rejectedSoFar.getOrDefault(key, 0);
        if (soFar >= script.rejectCount()) {
            return false;
        }
        rejectedSoFar.put(key, soFar + 1);
        return true;
    }

    synchronized void add(final StandInCall call) {
        calls.add(call);
        notifyAll();
    }

    synchronized StandInCall find(final String callId) {
        for (final StandInCall call : calls) {
            if (call.id().equals(callId)) {
                return call;
            }
        }
        return null;
    }

    String socketUrl(final String callId) {
        return ("https".equals(scheme) ? "wss" : "ws") + "://" + host + ":" + port + "/" + callId + "/transport";
    }

    /** Collects the stand-in's settings. Not thread-safe; use on one thread. */
    public static final class Builder {
        private String apiKey = "test-key";
        private final Map<String, StandInScript> scripts = new LinkedHashMap<>();
        private StandInScript inlineScript = StandInScript.echo();
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port;
        private EventLoopGroup group;
        private SslContext tls;

        private Builder() {
        }

        /** The bearer key {@code POST /call} must carry. */
        public Builder apiKey(final String key) {
            this.apiKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** A saved assistant and how it behaves; other assistant ids get 404. */
        public Builder assistant(final String assistantId, final StandInScript script) {
            scripts.put(Objects.requireNonNull(assistantId, "assistantId"), Objects.requireNonNull(script, "script"));
            return this;
        }

        /** How calls with an inline {@code assistant} behave (default echo). */
        public Builder inlineAssistant(final StandInScript script) {
            this.inlineScript = Objects.requireNonNull(script, "script");
            return this;
        }

        /** The address to listen on (default loopback). */
        public Builder bindAddress(final InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The port to listen on (default 0: any free port). */
        public Builder port(final int listenPort) {
            if (listenPort < 0 || listenPort > 65_535) {
                throw new IllegalArgumentException("port must be in [0, 65535], was " + listenPort);
            }
            this.port = listenPort;
            return this;
        }

        /** Runs on {@code eventLoopGroup} instead of a group of its own (the stand-in then does not shut it down). */
        public Builder eventLoopGroup(final EventLoopGroup eventLoopGroup) {
            this.group = eventLoopGroup;
            return this;
        }

        /** Serves TLS with {@code serverContext}: the API URL becomes {@code https://}, socket URLs {@code wss://}. */
        public Builder tls(final SslContext serverContext) {
            this.tls = Objects.requireNonNull(serverContext, "serverContext");
            return this;
        }

        /**
         * Binds and starts the stand-in.
         *
         * @throws InterruptedException when interrupted while binding
         */
        public VapiStandIn start() throws InterruptedException {
            return new VapiStandIn(this);
        }
    }
}
