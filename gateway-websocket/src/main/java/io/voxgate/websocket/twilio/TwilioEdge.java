package io.voxgate.websocket.twilio;

import io.netty.handler.codec.http.HttpMethod;
import io.voxgate.core.agent.VoiceAgentFactory;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSession;
import io.voxgate.core.call.CallSessionConfig;
import io.netty.util.concurrent.EventExecutor;
import io.voxgate.websocket.http.HttpEdgeServer;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The Twilio edge: registers the voice webhook ({@value TwilioEdgeConfig#VOICE_INBOUND_PATH}), the stream status
 * callback ({@value TwilioEdgeConfig#STREAM_STATUS_PATH}) and the Media Streams endpoint
 * ({@value TwilioEdgeConfig#MEDIA_PATH_PREFIX}{@code {CallSid}}) on an {@link HttpEdgeServer}, and bridges each
 * accepted stream to a call.
 *
 * <p>Threading: build on any thread before the server starts; everything else runs on the server's event loops, one
 * loop per stream (the stream's call is confined to it), and the streams of one loop share its {@code LoopTick}.
 * {@link #stats()} is readable from any thread.
 */
public final class TwilioEdge {
    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]{2,64}");

    private final TwilioEdgeConfig config;
    private final CallAdmission admission;
    private final StreamCallFactory callFactory;
    private final TwilioEdgeStats stats = new TwilioEdgeStats();
    private final TwilioSignatures signatures;
    private final CallTokens callTokens;
    private final AdmittedCalls admittedCalls;
    private final ConcurrentMap<EventExecutor, LoopTick> loopTicks = new ConcurrentHashMap<>();

    /**
     * The Twilio edge of a node: each accepted stream becomes a {@link CallSession} with an agent from {@code agents},
     * admitted by {@code registry}.
     *
     * @param config        the edge's settings
     * @param admission     the webhook's admission check, e.g. {@link CallAdmission#of(CallRegistry)}
     * @param agents        makes the agent of each call (on the call's thread)
     * @param registry      the node's call registry (shared with the other edges)
     * @param sessionConfig the call sessions' settings
     */
    public TwilioEdge(final TwilioEdgeConfig config, final CallAdmission admission, final VoiceAgentFactory agents,
                      final CallRegistry registry, final CallSessionConfig sessionConfig) {
        this(config, admission, new CallSessionStreams(Objects.requireNonNull(agents, "agents"),
            Objects.requireNonNull(registry, "registry"), Objects.requireNonNull(sessionConfig, "sessionConfig"),
            config.nanoClock()));
    }

    TwilioEdge(final TwilioEdgeConfig config, final CallAdmission admission, final StreamCallFactory callFactory) {
        this.config = Objects.requireNonNull(config, "config");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.callFactory = Objects.requireNonNull(callFactory, "callFactory");
        this.signatures = new TwilioSignatures(config);
        this.callTokens = new CallTokens(config.callTokenSecret(), config.callTokenTtlSeconds());
        // A record outlives its token, so a stream that comes too late is told its token expired.
        this.admittedCalls = new AdmittedCalls(config.maxAdmittedCalls(), 2 * config.callTokenTtlSeconds(),
            config.streamAuthentication().webhookRequired());
    }

    /**
     * Adds this edge's three routes to {@code server}.
     *
     * @return {@code server}
     */
    public HttpEdgeServer.Builder register(final HttpEdgeServer.Builder server) {
        return server
            .route(TwilioEdgeConfig.VOICE_INBOUND_PATH, new VoiceWebhookRoute(this), HttpMethod.POST)
            .route(TwilioEdgeConfig.STREAM_STATUS_PATH, new StreamStatusRoute(this), HttpMethod.POST)
            .webSocketRoute(TwilioEdgeConfig.MEDIA_PATH_PREFIX, new MediaStreamRoute(this));
    }

    /** The edge's configuration. */
    public TwilioEdgeConfig config() {
        return config;
    }

    /** The edge's counters. */
    public TwilioEdgeStats stats() {
        return stats;
    }

    CallAdmission admission() {
        return admission;
    }

    StreamCallFactory callFactory() {
        return callFactory;
    }

    TwilioSignatures signatures() {
        return signatures;
    }

    CallTokens callTokens() {
        return callTokens;
    }

    AdmittedCalls admittedCalls() {
        return admittedCalls;
    }

    /** The tick shared by the streams of {@code loop}; made on first use (a stream start), then reused. */
    LoopTick loopTick(final EventExecutor loop) {
        return loopTicks.computeIfAbsent(loop,
            l -> new LoopTick(l, TimeUnit.MILLISECONDS.toNanos(config.tickIntervalMs()), config.nanoClock()));
    }

    /** Whether {@code sid} has the shape of a Twilio SID (letters and digits; safe in URLs, JSON and logs). */
    static boolean isSid(final String sid) {
        return SID.matcher(sid).matches();
    }
}
