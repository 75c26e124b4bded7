package io.voxgate.app.runtime;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.NettyRuntime;
import io.voxgate.app.admin.BearerToken;
import io.voxgate.app.admin.CallsApi;
import io.voxgate.app.admin.RecordingApi;
import io.voxgate.app.admin.TransferApi;
import io.voxgate.app.cdr.CdrPoster;
import io.voxgate.app.cdr.CdrWriter;
import io.voxgate.app.cluster.CallCommandRouter;
import io.voxgate.app.cluster.ClusterSettings;
import io.voxgate.app.cluster.CommandResult;
import io.voxgate.app.cluster.RedisControlState;
import io.voxgate.app.cluster.RedisLink;
import io.voxgate.app.config.GatewayConfig;
import io.voxgate.app.config.Secrets;
import io.voxgate.app.metrics.CallReportListener;
import io.voxgate.app.metrics.GatewayMetrics;
import io.voxgate.app.recording.RecordingWriter;
import io.voxgate.core.agent.EmbeddedAgents;
import io.voxgate.core.agent.VoiceAgentFactory;
import io.voxgate.core.call.AgentRecovery;
import io.voxgate.core.call.CallAdmissionGate;
import io.voxgate.core.call.CallCommand;
import io.voxgate.core.call.CallCommandProxy;
import io.voxgate.core.call.CallOpener;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSessionConfig;
import io.voxgate.core.codec.OpusCodecs;
import io.voxgate.core.record.RecordMode;
import io.voxgate.core.record.RecordingRing;
import io.voxgate.core.tick.LoopTickers;
import io.voxgate.sip.SipEdge;
import io.voxgate.sip.SipEdgeConfig;
import io.voxgate.sip.hep.HepSender;
import io.voxgate.sip.rtp.RtpTotals;
import io.voxgate.sip.sdp.CodecPreferences;
import io.voxgate.sip.sdp.RtpAudioCodec;
import io.voxgate.sip.signaling.SignalingPolicy;
import io.voxgate.websocket.http.EventLoopTransport;
import io.voxgate.websocket.http.HttpEdgeServer;
import io.voxgate.websocket.http.HttpResponses;
import io.voxgate.websocket.twilio.TwilioEdge;
import io.voxgate.websocket.twilio.TwilioEdgeConfig;
import io.voxgate.websocket.twilio.rest.TwilioCallUpdates;
import io.voxgate.websocket.twilio.stream.StreamAuthentication;
import io.voxgate.websocket.vapi.BargeInTarget;
import io.voxgate.websocket.vapi.VapiAgentFactory;
import io.voxgate.websocket.vapi.VapiAgentStats;
import io.voxgate.websocket.vapi.VapiAssistant;
import io.voxgate.websocket.vapi.VapiCallRecords;
import io.voxgate.websocket.vapi.VapiConfig;
import io.voxgate.websocket.vapi.VapiWebhookConfig;
import io.voxgate.websocket.vapi.VapiWebhookEndpoint;
import io.voxgate.websocket.vapi.VapiWebhookStats;
import io.voxgate.websocket.vapi.WebhookResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Voxgate node: the public HTTP/WebSocket listener with the Twilio edge, health and the Vapi webhook;
 * the admin listener (loopback by default, one loop of its own) with {@code /metrics}, health and the calls API; the SIP edge when a
 * SIP port is configured; the agent factory the configuration chose; the shared call registry and its expiry sweep.
 *
 * <p>Both edges share one way into a call and one media clock: one {@link CallOpener} over the registry and the
 * agents, one set of per-loop tickers, and ONE group of media event loops (epoll, io_uring or NIO, chosen here once
 * from {@code --io-transport}) that carries the Twilio streams and the SIP calls alike, so a loop carries calls of
 * both edges.
 *
 * <p>Lifecycle: {@link #start} binds everything or fails before anything listens; {@link #drain} refuses new
 * calls, lets running ones finish until the deadline and then ends them; {@link #close} stops at once.
 * Threading: start, drain and close from one control thread; the routes run on the server's event loops.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final long SWEEP_INTERVAL_MS = 500;
    /** The digest realm challenged with; one node, one realm. */
    private static final String SIP_DIGEST_REALM = "voxgate";
    /** The router's command for a Vapi {@code user-interrupted} that arrived at a node not running the call. */
    static final String BARGE_IN = "barge-in";
    /** Longest gateway call id a webhook may name for routing. */
    private static final int MAX_CALL_ID_CHARS = 256;

    private final GatewayConfig config;
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final CallRegistry registry;
    private final LoopTickers tickers = new LoopTickers(SystemNanoClock.INSTANCE);
    private final EventLoopGroup acceptLoop;
    private final EventLoopGroup mediaLoops;
    private final ScheduledExecutorService sweeper;
    /** Scrapes walk every call and the JVM's beans: never on an event loop, which may be a media loop. */
    private final ExecutorService scraper;
    private final VapiAgentFactory vapi;
    private final TwilioEdge twilio;
    private final TwilioCallUpdates twilioCalls;
    private final VapiAgentFactory vapiFallback;
    private final HttpEdgeServer http;
    private final HttpEdgeServer admin;
    private final SipEdge sip;
    private final HepSender hep;
    private final CdrWriter cdr;
    private final RecordingWriter recordingWriter;
    /** The link to the cluster's Redis, its state and the command router's cluster side: null for a single node. */
    private final RedisLink redis;
    private final RedisControlState cluster;
    private final CallCommandRouter router;

    private Gateway(final GatewayConfig config, final String publicUrl, final Secrets secrets) {
        this.config = config;
        final ClusterSettings clusterSettings = config.redisUrl()
            .map(url -> ClusterSettings.of(url, config.nodeId(), config.maxCallsCluster())).orElse(null);
        this.redis = clusterSettings == null ? null : new RedisLink(clusterSettings.redis());
        this.cluster = clusterSettings == null ? null : new RedisControlState(clusterSettings, redis,
            this::draining, this::locallyReady, this::callsRunning, publicUrl);
        this.registry = new CallRegistry(config.maxCalls(), metrics.callEndObserver(),
            cluster == null ? CallAdmissionGate.OPEN : cluster);
        this.router = new CallCommandRouter(registry, clusterSettings, redis).register(BARGE_IN, this::bargeInHere);
        metrics.bind(registry);
        final VapiCallRecords vapiRecords = new VapiCallRecords();
        final VoiceAgentFactory agents;
        if ("vapi".equals(config.agent())) {
            final VapiAgentStats vapiStats = new VapiAgentStats();
            final VapiConfig.Builder vapiConfig = VapiConfig.builder()
                .apiUrl(config.vapiApiUrl().toString())
                .apiKey(secrets.vapiApiKey().orElse(null))
                .assistantId(secrets.vapiAssistantId().orElse(null))
                .audioFormat(config.agentFormat());
            config.vapiAssistantFile().ifPresent(file -> vapiConfig.assistantJson(readAssistant(file)));
            config.vapiDtmfMessage().ifPresent(vapiConfig::dtmfMessage);
            vapi = new VapiAgentFactory(vapiConfig.build(), vapiStats, vapiRecords);
            agents = vapi;
            final String fallbackAgent = config.agentFallback()[1];
            // A second assistant for calls whose first one could not be reconnected: same account, same counters.
            vapiFallback = fallbackAgent.startsWith("vapi:")
                ? new VapiAgentFactory(vapiConfig.assistantId(fallbackAgent.substring("vapi:".length())).build(), vapiStats,
                    vapiRecords)
                : null;
            metrics.counter("voxgate_vapi_agents_connected", "Vapi calls whose transport socket opened", vapiStats::agentsConnected);
            metrics.counter("voxgate_vapi_create_retries", "Vapi POST /call retries", vapiStats::createRetries);
            metrics.counter("voxgate_vapi_transfers_requested", "Transfers the assistant asked for (transfer-update)",
                vapiStats::transfersRequested);
            metrics.counter("voxgate_vapi_transfers_refused_invalid", "Assistant transfers to a target that is no sip:/tel: URI",
                vapiStats::transfersRefusedInvalid);
            metrics.counter("voxgate_vapi_transfer_failures_told", "Failed transfers told to the assistant (system message)",
                vapiStats::transferFailuresTold);
            metrics.counter("voxgate_vapi_creates_lost", "Vapi POST /call requests with no answer (timeout, connection lost), not repeated",
                vapiStats::createsLost);
            metrics.counter("voxgate_vapi_api_connections_opened", "Connections opened to the Vapi API (TCP and TLS handshakes)",
                vapiStats::apiConnectionsOpened);
            metrics.counter("voxgate_vapi_api_connections_reused", "Vapi API requests sent on a kept-alive connection",
                vapiStats::apiConnectionsReused);
            metrics.counter("voxgate_vapi_orphan_calls", "Vapi calls created for a caller who hung up before their socket opened",
                vapiStats::orphanCalls);
            metrics.counter("voxgate_vapi_orphan_calls_ended", "Orphan Vapi calls ended at once (end-call on their socket)",
                vapiStats::orphanCallsEnded);
        } else {
            vapi = null;
            vapiFallback = null;
            agents = EmbeddedAgents.factory(config.agent(), config.agentFormat());
        }
        // The echo agent returns the caller's own voice: local VAD would take every new utterance for a barge-in.
        final CallSessionConfig sessions = CallSessionConfig.defaults()
            .withOutboundLeadMs(config.outboundLeadMs())
            .withBargeInVad(config.bargeInVad() && !"echo".equals(config.agent()))
            .withBargeInConfirmMs(config.bargeInConfirmMs());
        final RecordingRing recordings = config.record() == RecordMode.NONE ? null
            : new RecordingRing(config.recordingDir().orElseThrow().toString(), RecordingRing.DEFAULT_CAPACITY_BYTES);
        final CallOpener opener = new CallOpener(registry, agents, sessions, SystemNanoClock.INSTANCE)
            .withRecovery(agentRecovery(config))
            .recordingTo(recordings, config.record());
        metrics.counter("voxgate_agent_connections_lost", "Agent connections that failed mid-call (not a hang-up)",
            registry.agentRecovery()::lost);
        metrics.counter("voxgate_agent_reconnects", "Calls whose agent came back within --agent-reconnect-ms",
            registry.agentRecovery()::reconnected);
        metrics.counter("voxgate_agent_reconnects_failed", "Calls whose agent did not come back within --agent-reconnect-ms",
            registry.agentRecovery()::reconnectsFailed);
        metrics.counter("voxgate_agent_fallback_hangups", "Calls hung up after a failed reconnect (--agent-fallback hangup)",
            () -> registry.agentRecovery().fallbacks(AgentRecovery.Fallback.HANGUP));
        metrics.counter("voxgate_agent_fallback_transfers", "Calls transferred after a failed reconnect (--agent-fallback transfer:)",
            () -> registry.agentRecovery().fallbacks(AgentRecovery.Fallback.TRANSFER));
        metrics.counter("voxgate_agent_fallback_agents", "Fallback agents tried after a failed reconnect (--agent-fallback agent:)",
            () -> registry.agentRecovery().fallbacks(AgentRecovery.Fallback.AGENT));
        metrics.counter("voxgate_agent_fallback_agents_connected", "Fallback agents that connected",
            registry.agentRecovery()::fallbackAgentsConnected);
        final EventLoopTransport transport = config.ioTransport();
        LOG.info("I/O transport: {}", transport.label());
        metrics.ioTransport(transport.label());
        this.acceptLoop = transport.newGroup(1, "voxgate-accept");
        // One loop per core: the media path never blocks, and fewer loops serve more calls per wake-up.
        this.mediaLoops = transport.newGroup(NettyRuntime.availableProcessors(), "voxgate-media");
        // No public URL, no Twilio edge: a SIP-only node serves health and the Vapi webhook on its HTTP port.
        this.twilio = publicUrl == null ? null : new TwilioEdge(TwilioEdgeConfig.builder()
            .publicUrl(publicUrl)
            .authToken(secrets.twilioAuthToken().orElse(null))
            .signatureValidation(!config.insecureNoSignature())
            .trustForwardedHeaders(config.trustedProxies().any())
            .streamAuthentication(StreamAuthentication.parse(config.streamAuth()))
            .callTokenSecret(secrets.tokenSecret())
            .build(), opener, tickers);
        // Transfers of Twilio calls need the account as well as its token; without it they end as not possible.
        this.twilioCalls = secrets.twilioAccountSid().isPresent() && secrets.twilioAuthToken().isPresent()
            ? new TwilioCallUpdates(secrets.twilioAccountSid().get(), secrets.twilioAuthToken().get(), config.twilioApiUrl())
            : null;
        if (twilio != null) {
            twilio.callUpdates(twilioCalls);
        }
        // The agent's hang-up and transfer from the server URL, and the transfer destination it asks for, run on the
        // node that runs the call; the destination is the operator's human (--agent-fallback transfer:URI), if any.
        final VapiCallCommands vapiCalls = new VapiCallCommands(registry, router,
            "transfer".equals(config.agentFallback()[0]) ? config.agentFallback()[1] : null);
        // Without a configured credential nothing can authenticate, so every webhook request is refused (401).
        final VapiWebhookEndpoint webhook = secrets.vapiWebhookSecret().map(secret -> new VapiWebhookEndpoint(
            VapiWebhookConfig.of(config.vapiWebhookAuth(), secret),
            webhookAssistant(config, secrets),
            vapiRecords,
            (vapiCallId, gatewayCallHint) -> vapiRecords.find(vapiCallId).map(r -> r.gatewayCallId())
                .flatMap(this::bargeInTarget).or(() -> routedBargeIn(gatewayCallHint)),
            vapiCalls,
            new VapiWebhookStats())).orElse(null);
        metrics.counter("voxgate_vapi_webhook_hangups", "Calls ended on the agent's request from the Vapi server URL (end-call)",
            vapiCalls::hangUps);
        metrics.counter("voxgate_vapi_webhook_transfers", "Transfers queued on the agent's request from the Vapi server URL",
            vapiCalls::transfers);
        metrics.counter("voxgate_vapi_webhook_commands_refused",
            "Vapi server-URL commands a call refused: unusable transfer target (400) or command ring full (503)",
            vapiCalls::refused);
        final HttpEdgeServer.Builder server = HttpEdgeServer.builder()
            .eventLoops(transport, acceptLoop, mediaLoops)
            .bindAddress(config.bindAddress())
            .port(config.httpPort())
            .requestTimeoutMs(config.requestTimeoutMs())
            .trustedProxies(config.trustedProxies())
            .maxConnections(config.maxConnections(), config.maxConnectionsPerSource())
            .route("/healthz", Gateway::health, HttpMethod.GET)
            .route("/readyz", this::publicReadiness, HttpMethod.GET)
            .route(VapiWebhookEndpoint.PATH, (ctx, req) -> vapiWebhook(webhook, ctx, req), HttpMethod.POST);
        this.http = (twilio == null ? server : twilio.register(server)).build();
        // Its own single loop: a scrape, a calls API request (or a flood of them) never runs on a loop that carries calls.
        final TransferApi transfers = new TransferApi(registry);
        final RecordingApi recordingApi = new RecordingApi(registry);
        final CallsApi calls = new CallsApi(registry, router, new BearerToken(secrets.adminToken().orElse(null)), config.agent(),
            SystemNanoClock.INSTANCE::nanoTime, System::currentTimeMillis)
            .action(TransferApi.NAME, transfers, HttpMethod.POST)
            .action(RecordingApi.NAME, recordingApi, HttpMethod.POST);
        this.admin = calls.register(HttpEdgeServer.builder()
            .bindAddress(config.adminBind())
            .port(config.adminPort())
            .workerThreads(1)
            .route("/metrics", this::scrape, HttpMethod.GET)
            .route("/healthz", Gateway::health, HttpMethod.GET)
            .route("/readyz", this::readiness, HttpMethod.GET))
            .build();
        metrics.counter("voxgate_admin_requests_unauthorized", "Calls API requests refused: missing or wrong bearer token",
            calls::requestsUnauthorized);
        metrics.counter("voxgate_admin_hangups_requested", "Calls hung up through the calls API", calls::hangUpsRequested);
        metrics.counter("voxgate_admin_hangups_refused_busy", "Calls API hang-ups refused: the call's command ring was full",
            calls::hangUpsRefusedRingFull);
        metrics.counter("voxgate_admin_transfers_requested", "Transfers queued through the calls API", transfers::requested);
        metrics.counter("voxgate_admin_transfers_refused_invalid",
            "Calls API transfers refused: body, target or announcement unusable (400)", transfers::refusedInvalid);
        metrics.counter("voxgate_admin_transfers_refused_busy",
            "Calls API transfers refused: the call's command ring was full (503)", transfers::refusedRingFull);
        metrics.counter("voxgate_twilio_call_updates_sent", "Twilio calls updated with <Dial> TwiML through the REST API (transfers)",
            () -> twilioCalls == null ? 0 : twilioCalls.updatesSent());
        metrics.counter("voxgate_twilio_call_updates_failed", "Twilio call updates refused, unanswered or not sent (queue full)",
            () -> twilioCalls == null ? 0 : twilioCalls.updatesFailed());
        metrics.counter("voxgate_calls_failed", "calls ended because a command or a media tick threw in them (a bug)",
            registry::callsFailed);
        metrics.counter("voxgate_media_ticks_failed", "media ticks that threw; each ended its call only", tickers::memberFailures);
        if (twilio != null) {
            metrics.counter("voxgate_twilio_dtmf_out_refused", "Agent DTMF for Twilio calls, which cannot carry it (dropped)",
                twilio.stats()::dtmfDigitsOutRefused);
            metrics.counter("voxgate_twilio_streams_refused_not_admitted",
                "Media streams refused: CallSid not admitted by this node's webhook, or already streamed",
                () -> twilio.stats().upgradesRejectedNotAdmitted() + twilio.stats().streamsRejectedNotAdmitted());
            metrics.counter("voxgate_twilio_webhooks_repeated", "Voice webhooks for a live call, answered with its recorded TwiML",
                twilio.stats()::webhooksRepeated);
            metrics.counter("voxgate_twilio_webhooks_refused_record_full", "Voice webhooks refused: record of admitted calls full",
                twilio.stats()::webhooksRefusedRecordFull);
        }
        metrics.counter("voxgate_http_requests_not_found", "HTTP requests for unknown paths", http::requestsNotFound);
        metrics.counter("voxgate_websocket_upgrades_refused", "WebSocket upgrades refused", http::webSocketRefusals);
        metrics.counter("voxgate_http_requests_timed_out", "HTTP requests not complete within --request-timeout (408)",
            http::requestsTimedOut);
        metrics.counter("voxgate_http_connections_refused_total", "HTTP connections closed on accept: --max-connections reached",
            http::connectionsRefusedTotal);
        metrics.counter("voxgate_http_connections_refused_per_source",
            "HTTP connections closed on accept: --max-connections-per-source reached", http::connectionsRefusedPerSource);
        metrics.counter("voxgate_http_connections_closed_pipeline_limit",
            "HTTP connections closed for pipelining more unanswered requests than allowed", http::connectionsClosedPipelineLimit);
        metrics.counter("voxgate_http_reads_paused_unwritable", "Times reading paused because a connection could not be written",
            http::readsPausedUnwritable);
        if (config.sipPort().isPresent()) {
            final SipEdgeConfig.Builder sipConfig = SipEdgeConfig.builder()
                .bindAddress(config.bindAddress())
                .sipPort(config.sipPort().getAsInt())
                .transports(String.join(",", config.sipTransports()))
                .tlsPort(config.sipTlsPort())
                .rtpPorts(config.rtpPortMin(), config.rtpPortMax())
                .allowList(String.join(",", config.sipAllow()))
                .mediaTimeoutSeconds(config.mediaTimeoutSeconds());
            config.externalIp().ifPresent(sipConfig::externalIp);
            final SignalingPolicy.Builder policy = SignalingPolicy.builder().ready(this::ready);
            config.sipRequiredHeaders().forEach(policy::requireHeader);
            config.sipTlsCa().ifPresent(policy::tlsCa);
            policy.srtp(config.srtp());
            policy.codecs(new CodecPreferences(config.codecs(), config.agentFormat().sampleRateHz()));
            sipConfig.policy(policy.build());
            config.sipDigestUser().ifPresent(user -> sipConfig.digest(SIP_DIGEST_REALM, user,
                config.sipDigestPassword().orElseThrow()));
            if (config.sipTlsCert().isPresent() && config.sipTlsKey().isPresent()) {
                sipConfig.tls(config.sipTlsCert().get(), config.sipTlsKey().get());
            }
            this.hep = config.hepUrl().map(target -> new HepSender(target, HepSender.DEFAULT_CAPTURE_ID)).orElse(null);
            if (hep != null) {
                sipConfig.messageMirror(hep);
                metrics.counter("voxgate_hep_packets_sent", "SIP messages mirrored to --hep-url", hep::packetsSent);
                metrics.counter("voxgate_hep_packets_dropped", "SIP messages not mirrored: the HEP sender fell behind (ring full)",
                    hep::packetsDropped);
                metrics.counter("voxgate_hep_packets_oversize", "SIP messages not mirrored: larger than one HEP datagram",
                    hep::packetsOversize);
                metrics.counter("voxgate_hep_send_errors", "HEP packets lost to a failed send", hep::sendErrors);
            }
            if (config.codecs().contains(RtpAudioCodec.OPUS)) {
                announceOpus(OpusCodecs.system(), metrics);
            }
            this.sip = new SipEdge(sipConfig.build(), opener, tickers, mediaLoops);
            metrics.counter("voxgate_sip_calls_refused_no_ports", "SIP calls refused for want of RTP ports", sip::callsRefusedNoPorts);
            registerRtpCounters(metrics, sip.rtpTotals());
            metrics.sipSignaling(sip.signalingCounters());
        } else {
            this.sip = null;
            this.hep = null;
        }
        if (cluster != null) {
            registerClusterMetrics(metrics, cluster, router);
        }
        final CdrPoster cdrPoster = config.cdrUrl().map(url -> new CdrPoster(url,
            secrets.cdrSecret().orElseThrow().getBytes(StandardCharsets.UTF_8), () -> System.currentTimeMillis() / 1_000L))
            .orElse(null);
        this.cdr = config.cdrFile().isPresent() || cdrPoster != null
            ? new CdrWriter(config.cdrFile().orElse(null), cdrPoster, config.agent()) : null;
        if (cdrPoster != null) {
            metrics.counter("voxgate_cdr_posts_sent", "Call detail records accepted (2xx) by --cdr-url", cdrPoster::recordsPosted);
            metrics.counter("voxgate_cdr_posts_dropped", "Call detail records not POSTed: the poster fell behind (queue full)",
                cdrPoster::recordsDropped);
            metrics.counter("voxgate_cdr_posts_failed", "Call detail records whose POST failed (no answer, non-2xx)",
                cdrPoster::postsFailed);
        }
        if (cdr != null) {
            metrics.counter("voxgate_cdr_records_written", "Call detail records formatted (and appended to --cdr-file)",
                cdr::recordsWritten);
            metrics.counter("voxgate_cdr_records_dropped", "Call detail records dropped: the writer fell behind", cdr::recordsDropped);
            metrics.counter("voxgate_cdr_write_errors", "Call detail records lost to a failed write", cdr::writeErrors);
        }
        metrics.counter("voxgate_recording_requests", "Recording actions queued through the admin API", recordingApi::requested);
        metrics.counter("voxgate_recording_requests_refused", "Recording actions refused 409 (impossible now, or --record none)",
            recordingApi::refusedConflict);
        if (recordings != null) {
            RecordingWriter.prepare(config.recordingDir().orElseThrow());
            this.recordingWriter = new RecordingWriter(recordings, config.recordingDir().orElseThrow());
            metrics.counter("voxgate_recordings_started", "Call recordings started", recordings::recordingsStarted);
            metrics.counter("voxgate_recordings_written", "Call recordings finished under their final name",
                recordingWriter::recordingsWritten);
            metrics.counter("voxgate_recordings_failed", "Call recordings abandoned: file not creatable or not writable",
                recordingWriter::recordingsFailed);
            metrics.counter("voxgate_recording_frames_dropped", "Recorded frames dropped: the recording ring was full",
                recordings::framesDropped);
            metrics.counter("voxgate_recording_samples_late", "Recorded samples that reached the writer after their place was written",
                recordingWriter::samplesLate);
            metrics.counter("voxgate_recording_bytes_written", "Bytes written to recording files", recordingWriter::bytesWritten);
        } else {
            this.recordingWriter = null;
        }
        this.scraper = Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "voxgate-metrics");
            t.setDaemon(true);
            return t;
        });
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "voxgate-sweep");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Tells operators which Opus implementation SIP calls run: logged at start (a warning when it is the fallback,
     * which allocates per frame) and exported as {@code voxgate_opus_codec_info}.
     */
    private static void announceOpus(final OpusCodecs opus, final GatewayMetrics metrics) {
        if (opus.allocatesPerFrame()) {
            LOG.warn("Opus: {} instead of libopus ({}); Opus calls will allocate about 120 KiB per 20 ms frame. "
                + "Install libopus0 and give JNA an exec-able temporary directory (-Djna.tmpdir) for allocation-free Opus",
                opus.description(), opus.fallbackReason().orElse("not tried"));
        } else {
            LOG.info("Opus: {}", opus.description());
        }
        metrics.opusCodec(opus.implementation().label());
    }

    /** The SIP edge's RTP and jitter buffer figures, summed as calls end (docs/operations.md, Metrics). */
    static void registerRtpCounters(final GatewayMetrics metrics, final RtpTotals rtp) {
        metrics.counter("voxgate_rtp_packets_received", "RTP audio packets offered to the jitter buffers (ended SIP calls)",
            rtp::packetsReceived);
        metrics.counter("voxgate_rtp_packets_late", "RTP packets dropped by a jitter buffer as too late to play", rtp::packetsLate);
        metrics.counter("voxgate_rtp_packets_lost", "RTP sequence numbers played past without their packet", rtp::packetsLost);
        metrics.counter("voxgate_rtp_packets_duplicate", "RTP packets dropped as duplicates", rtp::packetsDuplicate);
        metrics.counter("voxgate_rtp_packets_reordered", "RTP packets accepted out of order", rtp::packetsReordered);
        metrics.counter("voxgate_rtp_packets_flushed", "RTP packets discarded unplayed by a jitter buffer resync or delay cut",
            rtp::packetsFlushed);
        metrics.counter("voxgate_rtp_packets_invalid", "RTP packets dropped before the jitter buffer (source, SSRC, type, malformed)",
            rtp::packetsDroppedInvalid);
        metrics.counter("voxgate_rtp_frames_concealed", "caller frames concealed for a missing RTP packet", rtp::framesConcealed);
        metrics.counter("voxgate_rtp_frames_fec_decoded",
            "of the concealed caller frames, those rebuilt from the Opus in-band FEC (LBRR) the next packet carried",
            rtp::framesFecDecoded);
        metrics.counter("voxgate_rtp_frames_silence", "caller frames played as silence in an RTP gap", rtp::framesSilence);
        metrics.counter("voxgate_rtp_packets_sent", "RTP packets sent to SIP callers", rtp::packetsSent);
        metrics.counter("voxgate_rtp_ticks_skipped", "20 ms SIP call ticks skipped because a media loop ran too late (CPU shortage)",
            rtp::ticksSkipped);
        metrics.srtp(rtp);
    }

    /** The cluster's figures (docs/operations.md, Cluster). */
    private static void registerClusterMetrics(final GatewayMetrics metrics, final RedisControlState cluster,
                                               final CallCommandRouter router) {
        metrics.gauge("voxgate_cluster_redis_up", "1 while the cluster's Redis answers, 0 while it is lost",
            () -> cluster.redisUp() ? 1 : 0);
        metrics.gauge("voxgate_cluster_seats_held", "Cluster call-limit seats this node holds (running calls + spare)",
            cluster::seatsHeld);
        metrics.counter("voxgate_cluster_redis_errors", "Redis requests that failed (connection lost, timeout)",
            cluster::redisErrors);
        metrics.counter("voxgate_cluster_ownership_changes_dropped",
            "Call ownership writes dropped while Redis was away (rewritten by the heartbeat, or expired)", cluster::changesDropped);
        metrics.counter("voxgate_cluster_calls_refused_full", "Calls refused: --max-calls-cluster reached (no seat here)",
            cluster::refusedClusterFull);
        metrics.counter("voxgate_cluster_calls_refused_redis_down",
            "Calls refused: Redis unreachable while --max-calls-cluster is set", cluster::refusedRedisDown);
        metrics.counter("voxgate_cluster_commands_forwarded", "Call commands sent to the node that runs the call",
            router::forwarded);
        metrics.counter("voxgate_cluster_commands_forward_timeouts", "Forwarded call commands not answered in time (504)",
            router::forwardTimeouts);
        metrics.counter("voxgate_cluster_commands_forward_unreachable",
            "Call commands whose owning node was not listening (504)", router::forwardUnreachable);
        metrics.counter("voxgate_cluster_commands_received", "Call commands other nodes forwarded here", router::received);
        metrics.counter("voxgate_cluster_messages_dropped", "Messages on this node's channels dropped as malformed",
            router::messagesDropped);
    }

    /**
     * Builds and starts a node from {@code config}.
     *
     * @param publicUrl the public URL Twilio signs over (the configured one, or the demo's loopback URL); {@code null}
     *                  starts no Twilio edge (a SIP-only node)
     * @throws IllegalStateException naming the listener when one cannot start (e.g. its port is in use)
     */
    public static Gateway start(final GatewayConfig config, final String publicUrl, final Secrets secrets) {
        return start(config, publicUrl, secrets, CallReportListener.NONE);
    }

    /**
     * Builds and starts a node whose ended calls are also reported to {@code reports}.
     *
     * @throws IllegalStateException naming the listener when one cannot start (e.g. its port is in use)
     */
    public static Gateway start(final GatewayConfig config, final String publicUrl, final Secrets secrets,
                                final CallReportListener reports) {
        final Gateway gateway = new Gateway(config, publicUrl, secrets);
        final CdrWriter cdr = gateway.cdr;
        gateway.metrics.reportEndedCallsTo(cdr == null ? reports : (callId, edge, stats) -> {
            cdr.onCallEnded(callId, edge, stats);
            reports.onCallEnded(callId, edge, stats);
        });
        try {
            if (gateway.redis != null) {
                // Before anything listens: wrong credentials or an untrusted certificate are configuration errors.
                gateway.redis.checkAccess();
            }
            gateway.admin.start();
            gateway.http.start();
            if (gateway.hep != null) {
                gateway.hep.start();
            }
            if (gateway.sip != null) {
                gateway.sip.start();
            }
            if (gateway.cluster != null) {
                gateway.cluster.start();
            }
            gateway.router.start();
        } catch (final RuntimeException ex) {
            gateway.close();
            throw ex;
        }
        gateway.sweeper.scheduleAtFixedRate(() -> gateway.registry.expire(SystemNanoClock.INSTANCE.nanoTime()),
            SWEEP_INTERVAL_MS, SWEEP_INTERVAL_MS, TimeUnit.MILLISECONDS);
        LOG.info("Voxgate listening: http {}:{}{}, admin {}:{}{}, agent {} ({}), max calls {}{}", config.bindAddress(),
            gateway.http.port(), gateway.twilio == null ? " (no Twilio edge)" : " (Twilio edge)", config.adminBind(),
            gateway.admin.port(),
            gateway.sip == null ? "" : ", sip port " + config.sipPort().getAsInt(), config.agent(), config.agentFormat(),
            config.maxCalls(), gateway.cluster == null ? "" : ", cluster node " + config.nodeId()
                + (config.maxCallsCluster() > 0 ? " (cluster max calls " + config.maxCallsCluster() + ")" : ""));
        if (config.insecureNoSignature() && gateway.twilio != null) {
            LOG.warn("Twilio signature checks are DISABLED (--insecure-no-signature): anyone can place calls through this "
                + "gateway. Use this only for local experiments.");
        }
        return gateway;
    }

    /** The assistant {@code assistant-request} answers with: the saved one, else the inline one, else none. */
    private static VapiAssistant webhookAssistant(final GatewayConfig config, final Secrets secrets) {
        if (secrets.vapiAssistantId().isPresent()) {
            return VapiAssistant.byId(secrets.vapiAssistantId().get(), Secrets.VAPI_ASSISTANT_ID);
        }
        return config.vapiAssistantFile().map(file -> VapiAssistant.inline(readAssistant(file), "--vapi-assistant-file"))
            .orElse(null);
    }

    private static String readAssistant(final Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (final IOException ex) {
            throw new IllegalArgumentException("--vapi-assistant-file: cannot read " + file + ": " + ex.getMessage(), ex);
        }
    }

    private Optional<BargeInTarget> bargeInTarget(final String gatewayCallId) {
        // Vapi knows the gateway's call id only: the Twilio CallSid, else the SIP Call-ID.
        final CallCommandProxy<CallCommand> twilioCall = registry.proxy(TwilioEdge.EDGE, gatewayCallId);
        final CallCommandProxy<CallCommand> proxy = twilioCall != null ? twilioCall : registry.proxy(SipEdge.EDGE, gatewayCallId);
        return proxy == null ? Optional.empty() : Optional.of(() -> proxy.offer(CallCommand.BARGE_IN));
    }

    /**
     * A barge-in for a call this node's Vapi records do not know: the call the message names, here or (in a cluster)
     * on the node that runs it. The webhook answers at once; the barge-in follows through the router.
     */
    private Optional<BargeInTarget> routedBargeIn(final String gatewayCallId) {
        if (gatewayCallId.isEmpty() || gatewayCallId.length() > MAX_CALL_ID_CHARS) {
            return Optional.empty();
        }
        final Optional<BargeInTarget> here = bargeInTarget(gatewayCallId);
        if (here.isPresent() || cluster == null) {
            return here;
        }
        return Optional.of(() -> {
            router.dispatch(BARGE_IN, gatewayCallId, null);
            return true;
        });
    }

    private CommandResult bargeInHere(final String edge, final String callId, final String argument) {
        final CallCommandProxy<CallCommand> proxy = registry.proxy(edge, callId);
        if (proxy == null) {
            return CommandResult.NO_SUCH_CALL;
        }
        return proxy.offer(CallCommand.BARGE_IN) ? new CommandResult(202, "{\"state\":\"barge-in\"}")
            : CommandResult.error(503, "the call is busy; try again");
    }

    private static void health(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        HttpResponses.send(ctx, request, HttpResponses.text(HttpResponseStatus.OK, "ok\n"));
    }

    /**
     * Whether new calls are taken: not draining, below {@code --max-calls} and, in a cluster with a cluster call limit,
     * Redis reachable; {@code /readyz} and SIP OPTIONS both ask (so Kamailio takes a draining node out of its set).
     */
    private boolean ready() {
        return locallyReady() && (cluster == null || cluster.ready());
    }

    private boolean draining() {
        return registry.isDraining();
    }

    private int callsRunning() {
        return registry.size();
    }

    private boolean locallyReady() {
        return !registry.isDraining() && registry.size() < registry.maxCalls();
    }

    /** The public port's readiness: the status only; why it is not ready (draining, full) is for the admin port. */
    private void publicReadiness(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        HttpResponses.send(ctx, request, HttpResponses.status(ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE));
    }

    /**
     * Answers {@code GET /metrics} from the scrape thread. The router releases the request when this returns, so
     * the answer goes with a copy of its line and headers (what keep-alive is decided from).
     */
    private void scrape(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        final HttpRequest head = new DefaultHttpRequest(request.protocolVersion(), request.method(), request.uri(),
            request.headers().copy());
        try {
            scraper.execute(() -> HttpResponses.send(ctx, head, HttpResponses.of(HttpResponseStatus.OK,
                GatewayMetrics.contentType(), new String(metrics.scrape(), StandardCharsets.UTF_8))));
        } catch (final RejectedExecutionException ex) {
            HttpResponses.send(ctx, head, HttpResponses.status(HttpResponseStatus.SERVICE_UNAVAILABLE));
        }
    }

    private void readiness(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        final boolean ready = ready();
        HttpResponses.send(ctx, request, HttpResponses.text(ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
            registry.isDraining() ? "draining\n" : ready ? "ready\n" : !locallyReady() ? "full\n"
                : cluster.notReadyReason() + "\n"));
    }

    /**
     * Answers a Vapi server-URL request. A message that acts on a call may be answered by another node, later and on
     * another thread; the router releases the request when this returns, so such an answer goes with a copy of the
     * request's line and headers (what keep-alive is decided from).
     */
    private static void vapiWebhook(final VapiWebhookEndpoint webhook, final ChannelHandlerContext ctx, final FullHttpRequest request) {
        if (webhook == null) {
            HttpResponses.send(ctx, request, HttpResponses.of(HttpResponseStatus.UNAUTHORIZED, HttpResponses.APPLICATION_JSON,
                "{\"error\":\"unauthorized\"}"));
            return;
        }
        final CompletableFuture<WebhookResponse> answer = webhook.handle(request.method().name(), request.headers()::get,
            ByteBufUtil.getBytes(request.content()), System.currentTimeMillis());
        final HttpRequest head = answer.isDone() ? request
            : new DefaultHttpRequest(request.protocolVersion(), request.method(), request.uri(), request.headers().copy());
        answer.whenComplete((response, thrown) -> {
            final WebhookResponse sent = response != null ? response : WebhookResponse.of(500, "{\"error\":\"the command failed\"}");
            HttpResponses.send(ctx, head, HttpResponses.of(HttpResponseStatus.valueOf(sent.status()),
                sent.contentType(), new String(sent.body(), StandardCharsets.UTF_8)));
        });
    }

    /** The HTTP port actually bound. */
    public int httpPort() {
        return http.port();
    }

    /** The admin port actually bound ({@code /metrics}, {@code /healthz}, {@code /readyz}). */
    public int adminPort() {
        return admin.port();
    }

    /** The node's command router (admin commands for calls, forwarded to their node in a cluster). */
    public CallCommandRouter router() {
        return router;
    }

    /** The node's call registry. */
    public CallRegistry registry() {
        return registry;
    }

    /**
     * SIGHUP: closes and reopens the output files (the CDR file) after logrotate moved them, and reads the SIP TLS
     * certificate and key again (a renewed certificate is presented from the next handshake; calls keep theirs). Safe
     * from any thread; a certificate that cannot be read is logged and the one in use stays.
     */
    public void reopenFiles() {
        if (cdr != null) {
            cdr.reopen();
        }
        if (sip != null && config.sipTransports().contains("tls")) {
            try {
                sip.reloadTlsCertificate();
            } catch (final IllegalArgumentException | IllegalStateException ex) {
                LOG.warn("SIGHUP: SIP TLS certificate not reloaded, the previous one stays: {}", ex.getMessage());
            }
        }
    }

    /** The node's metrics. */
    public GatewayMetrics metrics() {
        return metrics;
    }

    /**
     * Graceful drain: new calls are refused at once (webhook 503, upgrade refused, SIP 503, {@code /readyz} 503);
     * running calls may finish for up to {@code --drain-timeout} seconds and are then ended cleanly by the sweep.
     * Returns when no call is left (or one second after the deadline); then the listeners close.
     */
    public void drain() {
        final long deadlineNs = SystemNanoClock.INSTANCE.nanoTime() + config.drainTimeoutSeconds() * 1_000_000_000L;
        registry.beginDrain(deadlineNs);
        if (cluster != null) {
            cluster.nodeChanged();
        }
        if (sip != null) {
            sip.drain();
        }
        LOG.info("draining: {} calls running, deadline in {} s", registry.size(), config.drainTimeoutSeconds());
        final long giveUpNs = deadlineNs + 1_000_000_000L;
        while (!registry.isDrained() && SystemNanoClock.INSTANCE.nanoTime() - giveUpNs < 0) {
            registry.expire(SystemNanoClock.INSTANCE.nanoTime());
            try {
                Thread.sleep(50);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        LOG.info("drained: {} calls left", registry.size());
        close();
    }

    /** {@code --agent-reconnect-ms} and {@code --agent-fallback} as the calls' recovery policy. */
    private AgentRecovery agentRecovery(final GatewayConfig settings) {
        final AgentRecovery reconnect = AgentRecovery.reconnect(settings.agentReconnectMs());
        final String[] fallback = settings.agentFallback();
        switch (fallback[0]) {
            case "transfer":
                return reconnect.thenTransfer(fallback[1]);
            case "agent":
                return reconnect.thenAgent(fallback[1], vapiFallback != null ? vapiFallback
                    : EmbeddedAgents.factory(fallback[1], settings.agentFormat()));
            default:
                return reconnect;
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        scraper.shutdownNow();
        router.close();
        if (cluster != null) {
            cluster.close();
            redis.close();
        }
        if (sip != null) {
            sip.close();
        }
        if (hep != null) {
            hep.close();
        }
        http.close();
        admin.close();
        if (vapi != null) {
            vapi.close();
        }
        if (vapiFallback != null) {
            vapiFallback.close();
        }
        if (twilioCalls != null) {
            twilioCalls.close();
        }
        if (cdr != null) {
            cdr.close();
        }
        acceptLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        mediaLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (recordingWriter != null) {
            // After the loops: every call has stopped its recording or never will; open ones end at their newest audio.
            recordingWriter.close();
        }
    }
}
