package io.voxgate.websocket.vapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.voxgate.core.agent.AgentCall;
import io.voxgate.core.agent.VoiceAgent;
import io.voxgate.core.agent.VoiceAgentFactory;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.websocket.http.EventLoopTransport;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one Vapi agent per call (see the adapter's contract in {@link VoiceAgentFactory} and protocols.md §5):
 * each agent creates a Vapi call with {@code POST /call} and talks to it over the call's transport socket.
 *
 * <p>Setup work is done here once: the TLS context, the non-blocking DNS resolvers, the failure prompt in the
 * configured format; and each event loop gets one pool of kept-alive connections to the Vapi API
 * ({@link VapiApiConnections}), so call setups after the first skip the TCP and TLS handshakes.
 *
 * <p>Threading: {@link #create} may be called from any number of event loops at once; the call's
 * {@link AgentCall#executor()} must be the Netty {@link EventLoop} that owns the call, because the agent's client
 * channels are registered with it. Ownership: {@link #close()} releases the resolvers and idle connections; the
 * launcher calls it at shutdown, after the calls have ended.
 */
public final class VapiAgentFactory implements VoiceAgentFactory, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VapiAgentFactory.class);

    private final VapiConfig config;
    private final VapiAgentStats stats;
    private final VapiCallRecords records;
    private final SslContext sslContext;
    private final LongSupplier nanoClock;
    private final ObjectMapper json = new ObjectMapper();
    private final byte[] failurePrompt;
    /** One resolver group per transport in use: a resolver's channels must register with the asking loop. */
    private final Map<EventLoopTransport, DnsAddressResolverGroup> resolvers = new EnumMap<>(EventLoopTransport.class);
    private final Map<EventLoop, VapiApiConnections> apiConnections = new ConcurrentHashMap<>();

    /** A factory using the JDK's trust store for {@code https}/{@code wss} and {@link System#nanoTime()}. */
    public VapiAgentFactory(final VapiConfig config, final VapiAgentStats stats, final VapiCallRecords records) {
        this(config, stats, records, defaultSslContext(), System::nanoTime);
    }

    /**
     * A factory with a given TLS client context and monotonic clock (ns; the one the call's {@code nowNs} comes
     * from).
     */
    public VapiAgentFactory(final VapiConfig config, final VapiAgentStats stats, final VapiCallRecords records,
                            final SslContext sslContext, final LongSupplier nanoClock) {
        this.config = Objects.requireNonNull(config, "config");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.records = Objects.requireNonNull(records, "records");
        this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.failurePrompt = FailurePrompt.specialInformationTone(config.audioFormat());
    }

    /**
     * A new agent for {@code call}.
     *
     * @throws IllegalArgumentException when the call's executor is not a Netty event loop
     */
    @Override
    public VoiceAgent create(final AgentCall call) {
        if (!(call.executor() instanceof EventLoop)) {
            throw new IllegalArgumentException("the Vapi agent needs the call's Netty EventLoop as AgentCall.executor(), got "
                + call.executor().getClass().getName());
        }
        stats.agentCreated();
        return new VapiAgent(this, call, (EventLoop) call.executor(), json);
    }

    /** The format every agent of this factory speaks. */
    public AudioFormat audioFormat() {
        return config.audioFormat();
    }

    /** The counters of every agent made here. */
    public VapiAgentStats stats() {
        return stats;
    }

    /** The store the agents bind their Vapi call ids in. */
    public VapiCallRecords records() {
        return records;
    }

    /** How long the failure prompt plays, ns. */
    public long failurePromptDurationNs() {
        return config.audioFormat().durationNs(failurePrompt.length);
    }

    @Override
    public synchronized void close() {
        for (final Map.Entry<EventLoop, VapiApiConnections> e : apiConnections.entrySet()) {
            try {
                e.getKey().execute(e.getValue()::closeIdle);
            } catch (final RejectedExecutionException ex) {
                LOG.debug("event loop already shut down; it closes its own idle Vapi connections", ex);
            }
        }
        apiConnections.clear();
        resolvers.values().forEach(DnsAddressResolverGroup::close);
        resolvers.clear();
    }

    @Override
    public String toString() {
        return "VapiAgentFactory{" + config + "}";
    }

    VapiConfig config() {
        return config;
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }

    ObjectMapper json() {
        return json;
    }

    SslContext sslContext() {
        return sslContext;
    }

    /** The failure prompt in the agents' format; shared, never written after construction. */
    byte[] failurePrompt() {
        return failurePrompt;
    }

    byte[] createCallBody(final AgentCall call) {
        try {
            return json.writeValueAsBytes(VapiAgent.createCallRequest(json, config, call));
        } catch (final JsonProcessingException ex) {
            throw new IllegalStateException("a JSON tree always serialises", ex);
        }
    }

    /** The pool of API connections of {@code loop}, made on first use; used on {@code loop} only. */
    VapiApiConnections apiConnections(final EventLoop loop) {
        final VapiApiConnections existing = apiConnections.get(loop);
        if (existing != null) {
            return existing;
        }
        // Only the loop itself asks for its pool, so no other thread can be making it now.
        final VapiApiConnections made = new VapiApiConnections(loop, config.apiUrl(), sslContext, resolverGroup(loop),
            config.apiMaxIdleConnections(), config.apiIdleTimeoutMs(), stats);
        apiConnections.put(loop, made);
        return made;
    }

    /** The DNS resolvers for channels of {@code loop}'s transport (one resolver per loop inside the group). */
    synchronized AddressResolverGroup<InetSocketAddress> resolverGroup(final EventLoop loop) {
        return resolvers.computeIfAbsent(EventLoopTransport.of(loop), transport -> new DnsAddressResolverGroup(
            new DnsNameResolverBuilder().datagramChannelType(transport.datagramChannelClass())
                .socketChannelType(transport.socketChannelClass())));
    }

    private static SslContext defaultSslContext() {
        try {
            return SslContextBuilder.forClient().build();
        } catch (final SSLException ex) {
            throw new IllegalStateException("cannot build the TLS client context for Vapi: " + ex.getMessage(), ex);
        }
    }
}
