package io.voxgate.websocket.twilio;

import io.netty.handler.codec.http.HttpMethod;
import io.voxgate.core.call.CallAdmission;
import io.voxgate.core.call.CallOpener;
import io.voxgate.core.call.CallSession;
import io.voxgate.core.tick.LoopTickers;
import io.voxgate.websocket.http.HttpEdgeServer;
import io.voxgate.websocket.twilio.rest.TwilioCallUpdates;
import io.voxgate.websocket.twilio.stream.MediaStreamRoute;
import io.voxgate.websocket.twilio.webhook.AdmittedCalls;
import io.voxgate.websocket.twilio.webhook.CallTokens;
import io.voxgate.websocket.twilio.webhook.StreamStatusRoute;
import io.voxgate.websocket.twilio.webhook.TwilioSignatures;
import io.voxgate.websocket.twilio.webhook.VoiceWebhookRoute;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The Twilio edge: registers the voice webhook ({@value TwilioEdgeConfig#VOICE_INBOUND_PATH}), the stream status
 * callback ({@value TwilioEdgeConfig#STREAM_STATUS_PATH}) and the Media Streams endpoint
 * ({@value TwilioEdgeConfig#MEDIA_PATH_PREFIX}{@code {CallSid}}) on an {@link HttpEdgeServer}, and opens a
 * {@link CallSession} for each accepted stream through the node's {@link CallOpener}.
 *
 * <p>Threading: build on any thread before the server starts; everything else runs on the server's event loops, one
 * loop per stream (the stream's call is confined to it), and the streams of one loop are ticked by that loop's
 * {@link io.voxgate.core.tick.LoopTicker}, shared with the SIP calls on it. {@link #stats()} is readable from any
 * thread.
 */
public final class TwilioEdge {
    /** The edge name calls and agents see ({@link io.voxgate.core.agent.AgentCall#edge()}). */
    public static final String EDGE = "twilio";

    private final TwilioEdgeConfig config;
    private final Supplier<CallAdmission.Verdict> admission;
    private final CallOpener opener;
    private final LoopTickers tickers;
    private final TwilioEdgeStats stats = new TwilioEdgeStats();
    private final TwilioSignatures signatures;
    private final CallTokens callTokens;
    private final AdmittedCalls admittedCalls;
    private TwilioCallUpdates callUpdates;

    /**
     * The Twilio edge of a node: each accepted stream becomes a call opened by {@code opener}; the webhook refuses a
     * new call (503) when the opener's registry is full or draining.
     *
     * @param config  the edge's settings
     * @param opener  the node's call opener (its registry is shared with the other edges)
     * @param tickers the node's per-loop media clocks (shared with the other edges)
     */
    public TwilioEdge(final TwilioEdgeConfig config, final CallOpener opener, final LoopTickers tickers) {
        this(config, Objects.requireNonNull(opener, "opener").registry()::precheck, opener, tickers);
    }

    /** As above, with the webhook asking {@code admission} instead of the registry (tests). */
    TwilioEdge(final TwilioEdgeConfig config, final Supplier<CallAdmission.Verdict> admission, final CallOpener opener,
               final LoopTickers tickers) {
        this.config = Objects.requireNonNull(config, "config");
        this.admission = Objects.requireNonNull(admission, "admission");
        // Twilio keeps audio buffered at its end: the node's outbound lead applies as configured.
        this.opener = Objects.requireNonNull(opener, "opener").forEdge(EDGE, UnaryOperator.identity());
        this.tickers = Objects.requireNonNull(tickers, "tickers");
        this.signatures = new TwilioSignatures(config, config.authToken());
        this.callTokens = new CallTokens(config.callTokenSecret(), config.callTokenTtlSeconds());
        // A record outlives its token, so a stream that comes too late is told its token expired.
        this.admittedCalls = new AdmittedCalls(config.maxAdmittedCalls(), 2 * config.callTokenTtlSeconds(),
            config.streamAuthentication().webhookRequired());
    }

    /**
     * Lets this edge's calls be transferred through Twilio's Calls REST API; before {@link #register}. Without it a
     * transfer of a Twilio call ends as not possible.
     *
     * @return this edge
     */
    public TwilioEdge callUpdates(final TwilioCallUpdates updates) {
        this.callUpdates = updates;
        return this;
    }

    /**
     * Adds this edge's three routes to {@code server}.
     *
     * @return {@code server}
     */
    public HttpEdgeServer.Builder register(final HttpEdgeServer.Builder server) {
        return server
            .route(TwilioEdgeConfig.VOICE_INBOUND_PATH,
                new VoiceWebhookRoute(config, admission, signatures, callTokens, admittedCalls, stats.webhook()), HttpMethod.POST)
            .route(TwilioEdgeConfig.STREAM_STATUS_PATH, new StreamStatusRoute(signatures, stats.webhook()), HttpMethod.POST)
            .webSocketRoute(TwilioEdgeConfig.MEDIA_PATH_PREFIX,
                new MediaStreamRoute(config, signatures, admittedCalls, callTokens, opener, tickers, stats.stream(),
                    callUpdates));
    }

    /** The edge's configuration. */
    public TwilioEdgeConfig config() {
        return config;
    }

    /** The edge's counters. */
    public TwilioEdgeStats stats() {
        return stats;
    }

    /** The tokens the webhook issues (tests mint and check them). */
    CallTokens callTokens() {
        return callTokens;
    }
}
