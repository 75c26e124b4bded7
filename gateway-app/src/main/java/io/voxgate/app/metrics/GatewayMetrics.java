package io.voxgate.app.metrics;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.Unit;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallStats;
import io.voxgate.core.transfer.TransferState;
import io.voxgate.sip.rtp.RtpTotals;
import io.voxgate.sip.signaling.RejectReason;
import io.voxgate.sip.signaling.SipCounters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;

/**
 * The gateway's Prometheus metrics: calls active and total by edge, frames in and out, drops by reason,
 * gateway-added latency per direction, barge-ins and their reaction time, agent connect time, plus counters the
 * edges contribute and the JVM's heap (now and after the last collection) and direct memory.
 *
 * <p>Everything is gathered at scrape time from the {@link CallRegistry} (running calls) and {@link CallTotals}
 * (ended calls), so the media path pays nothing for metrics beyond its own plain counters and HdrHistogram
 * recorders. Latency is recorded in microseconds with HdrHistogram and exported as summaries in seconds with
 * p50, p90, p99 and p99.9.
 *
 * <p>Threading: build and register on one thread at startup; {@link #scrape()} may be called from any thread
 * (scrapes are serialised); {@link #callEndObserver()} is handed to the registry.
 */
public final class GatewayMetrics {
    private static final String[] EDGES = {"twilio", "sip"};
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};
    /** Gateway-added latency: a few hundred microseconds when idle, milliseconds under load, 100 ms+ is trouble. */
    static final double[] LATENCY_BUCKETS_S = {0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5};
    /** Barge-in reaction: what a caller hears of the old turn; 300 ms is where the demo calls it a failure. */
    static final double[] BARGE_IN_BUCKETS_S = {0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2};
    /** A barge-in pause: a backchannel and the confirmation wait take about a second; a long one means a slow agent. */
    static final double[] BARGE_IN_PAUSE_BUCKETS_S = {0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5};
    /** Agent connect: an embedded agent is instant, Vapi's POST /call plus the socket takes a few hundred ms. */
    static final double[] AGENT_CONNECT_BUCKETS_S = {0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 5, 10};

    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final CallTotals totals = new CallTotals();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private CallRegistry calls;
    private Map<String, CallTotals.EdgeTotals> current = Collections.emptyMap();

    /**
     * Metrics with the standard {@code jvm_*} and {@code process_*} families, {@code voxgate_build_info} and the direct
     * memory Netty's allocator holds.
     */
    public GatewayMetrics() {
        JvmMetrics.builder().register(prometheus);
        // From JDK 24 Netty 4.2 allocates direct memory outside the JDK's direct buffer pool, so
        // jvm_buffer_pool_used_bytes{pool="direct"} no longer shows the media path's buffers there; the allocator's own
        // count shows them on every JDK.
        GaugeWithCallback.builder().name("voxgate_netty_direct_memory_used_bytes")
            .help("Direct memory held by Netty's buffer allocator (every socket's buffers), on every JDK")
            .callback(cb -> cb.call(nettyDirectMemoryBytes())).register(prometheus);
        Info.builder().name("voxgate_build_info").help("Voxgate build: version and the Java runtime it runs on")
            .labelNames("version", "java_version").register(prometheus)
            .setLabelValues(BuildInfo.version(), Runtime.version().toString());
    }

    /**
     * Exports {@code voxgate_io_transport_info{transport}}: the event loops' I/O transport ({@code epoll},
     * {@code io_uring} or {@code nio}), so a node that fell back to NIO is visible. Call once, at start.
     */
    public void ioTransport(final String label) {
        Info.builder().name("voxgate_io_transport_info").help("The event loops' I/O transport: epoll, io_uring or nio")
            .labelNames("transport").register(prometheus).setLabelValues(label);
    }

    /**
     * Exports {@code voxgate_opus_codec_info{implementation}}: the Opus implementation SIP calls run ({@code libopus},
     * allocation-free, or {@code concentus}, the pure-Java fallback that allocates per frame), so a node that fell
     * back is visible. Call once, at start.
     */
    public void opusCodec(final String label) {
        Info.builder().name("voxgate_opus_codec_info")
            .help("The Opus implementation SIP calls run: libopus, or concentus (pure Java, allocates per frame)")
            .labelNames("implementation").register(prometheus).setLabelValues(label);
    }

    /** The observer the {@link CallRegistry} must be built with, so ended calls keep counting. */
    public CallRegistry.CallVisitor callEndObserver() {
        return totals;
    }

    /** Also tells {@code listener} the final figures of every call as it ends. */
    public void reportEndedCallsTo(final CallReportListener listener) {
        totals.reportTo(listener);
    }

    /** Registers the call metrics over {@code registry}; call once, before the first scrape. */
    public void bind(final CallRegistry registry) {
        this.calls = registry;
        GaugeWithCallback.builder().name("voxgate_calls_active").help("Calls running now, by edge").labelNames("edge")
            .callback(cb -> {
                final Map<String, Integer> active = new HashMap<>();
                registry.forEachCall((id, edge, stats) -> active.merge(edge, 1, Integer::sum));
                for (final String edge : EDGES) {
                    cb.call(active.getOrDefault(edge, 0), edge);
                }
            }).register(prometheus);
        GaugeWithCallback.builder().name("voxgate_calls_max").help("The --max-calls limit")
            .callback(cb -> cb.call(registry.maxCalls())).register(prometheus);
        GaugeWithCallback.builder().name("voxgate_draining").help("1 while the gateway drains for shutdown")
            .callback(cb -> cb.call(registry.isDraining() ? 1 : 0)).register(prometheus);
        CounterWithCallback.builder().name("voxgate_calls_admitted").help("Calls admitted to the registry")
            .callback(cb -> cb.call(registry.callsAccepted())).register(prometheus);
        CounterWithCallback.builder().name("voxgate_calls_refused").help("Calls refused, by reason").labelNames("reason")
            .callback(cb -> {
                cb.call(registry.callsRejectedFull(), "full");
                cb.call(registry.callsRejectedDraining(), "draining");
                cb.call(registry.callsRejectedDuplicate(), "duplicate");
            }).register(prometheus);
        CounterWithCallback.builder().name("voxgate_calls_expired").help("Calls ended by the gateway's sweep, by reason")
            .labelNames("reason")
            .callback(cb -> {
                cb.call(registry.callsExpiredMaxDuration(), "max_duration");
                cb.call(registry.callsExpiredIdle(), "idle");
                cb.call(registry.callsEndedByDrain(), "drain");
            }).register(prometheus);
        CounterWithCallback.builder().name("voxgate_transfers_requested")
            .help("Transfers asked for (operator or agent); those not yet counted in voxgate_transfers are under way")
            .callback(cb -> cb.call(registry.transfers().requested())).register(prometheus);
        CounterWithCallback.builder().name("voxgate_transfers").help("Transfers that ended, by outcome")
            .labelNames("outcome")
            .callback(cb -> {
                for (final TransferState outcome : TransferState.values()) {
                    if (outcome.isFinal()) {
                        cb.call(registry.transfers().ended(outcome), outcome.label());
                    }
                }
            }).register(prometheus);
        perEdgeCounter("voxgate_calls_ended", "Calls that ended, by edge", t -> t.callsEnded);
        perEdgeCounter("voxgate_frames_from_caller", "Caller audio frames received, by edge", t -> t.framesFromCaller);
        perEdgeCounter("voxgate_frames_to_agent", "Caller audio frames handed to the agent, by edge", t -> t.framesToAgent);
        perEdgeCounter("voxgate_frames_from_agent", "Agent audio chunks received, by edge", t -> t.framesFromAgent);
        perEdgeCounter("voxgate_frames_to_caller", "Paced audio frames sent to the caller, by edge", t -> t.framesToCaller);
        CounterWithCallback.builder().name("voxgate_frames_dropped").help("Audio frames dropped, by edge and reason")
            .labelNames("edge", "reason")
            .callback(cb -> {
                for (final Map.Entry<String, CallTotals.EdgeTotals> e : current.entrySet()) {
                    final CallTotals.EdgeTotals t = e.getValue();
                    cb.call(t.droppedPreConnect, e.getKey(), "pre_connect_overflow");
                    cb.call(t.droppedNotConnected, e.getKey(), "agent_not_connected");
                    cb.call(t.droppedEnded, e.getKey(), "call_ended");
                    cb.call(t.droppedAtEnd, e.getKey(), "pending_at_end");
                    cb.call(t.droppedOverflow, e.getKey(), "outbound_overflow");
                    cb.call(t.flushed, e.getKey(), "barge_in_flush");
                }
            }).register(prometheus);
        CounterWithCallback.builder().name("voxgate_barge_ins").help("Accepted barge-ins, by edge and source")
            .labelNames("edge", "source")
            .callback(cb -> {
                for (final Map.Entry<String, CallTotals.EdgeTotals> e : current.entrySet()) {
                    cb.call(e.getValue().bargeInsFromAgent, e.getKey(), "agent");
                    cb.call(e.getValue().bargeInsFromVad, e.getKey(), "vad");
                    cb.call(e.getValue().bargeInsFromCommand, e.getKey(), "command");
                }
            }).register(prometheus);
        perEdgeCounter("voxgate_barge_ins_ignored", "Barge-in signals ignored (agent silent, or repeat in one turn)",
            t -> t.bargeInsIgnored);
        perEdgeCounter("voxgate_barge_in_pauses", "Agent turns paused on a caller VAD onset (suspected barge-ins)",
            t -> t.bargeInPauses);
        perEdgeCounter("voxgate_barge_ins_resumed", "Paused turns resumed because no barge-in was confirmed (false ones)",
            t -> t.bargeInsResumed);
        perEdgeCounter("voxgate_barge_in_audio_resumed_ms", "Agent audio, in ms, that resumed after a false barge-in",
            t -> t.audioResumedMs);
        perEdgeCounter("voxgate_barge_in_paused_ms", "Time, in ms, agent turns spent paused", t -> t.bargeInPausedMs);
        perEdgeCounter("voxgate_digits_to_agent", "DTMF digits delivered to the agent", t -> t.digitsToAgent);
        perEdgeCounter("voxgate_digits_to_caller", "DTMF digits the agent played to the caller", t -> t.digitsToCaller);
        latency("voxgate_gateway_latency_inbound_seconds", "Gateway-added latency, caller to agent", t -> t.inboundUs);
        latency("voxgate_gateway_latency_outbound_seconds", "Gateway-added latency, agent to caller (excluding pacing)",
            t -> t.outboundUs);
        histogram("voxgate_gateway_latency_seconds", "Gateway-added latency by edge and direction (inbound: caller to agent; "
            + "outbound: agent to caller, pacing excluded)", LATENCY_BUCKETS_S, true, t -> t.inboundUs, t -> t.outboundUs);
        histogram("voxgate_barge_in_reaction_seconds", "Barge-in signal to the end of the old turn at the caller, by edge",
            BARGE_IN_BUCKETS_S, false, t -> t.bargeInReactionUs, null);
        histogram("voxgate_barge_in_onset_to_pause_seconds", "Caller VAD onset over the agent to the caller no longer hearing "
            + "it, by edge", BARGE_IN_BUCKETS_S, false, t -> t.onsetToPauseUs, null);
        histogram("voxgate_barge_in_onset_to_clear_seconds", "Caller VAD onset over the agent to the edge told to stop playout "
            + "(Twilio clear), by edge", BARGE_IN_BUCKETS_S, false, t -> t.onsetToClearUs, null);
        histogram("voxgate_barge_in_pause_seconds", "How long a paused agent turn waited before it was confirmed or resumed, "
            + "by edge", BARGE_IN_PAUSE_BUCKETS_S, false, t -> t.pauseUs, null);
        histogram("voxgate_agent_connect_seconds", "Agent connect time of ended calls, by edge", AGENT_CONNECT_BUCKETS_S, false,
            t -> t.agentConnectUs, null);
        // Heap in use right after the last collection, summed over the heap pools: what a soak watches for growth,
        // where heap in use now mostly says how far the collector let garbage pile up since. The standard
        // jvm_memory_pool_collection_used_bytes has it per pool only.
        GaugeWithCallback.builder().name("voxgate_jvm_heap_after_gc_bytes").help("JVM heap in use after the last collection")
            .callback(cb -> cb.call(heapAfterLastCollectionBytes())).register(prometheus);
    }

    /** Direct memory held by Netty's default allocator, which every channel of the gateway uses; -1 if it keeps no count. */
    public static long nettyDirectMemoryBytes() {
        return ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider
            ? provider.metric().usedDirectMemory() : -1;
    }

    /**
     * Heap in use after the most recent collection, summed over the heap pools that report it
     * ({@link MemoryPoolMXBean#getCollectionUsage()}), or -1 before the first collection.
     */
    public static long heapAfterLastCollectionBytes() {
        long used = 0;
        boolean any = false;
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                final MemoryUsage usage = pool.getCollectionUsage();
                if (usage != null && usage.getUsed() > 0) {
                    used += usage.getUsed();
                    any = true;
                }
            }
        }
        return any ? used : -1;
    }

    /**
     * The SIP edge's refusals by reason ({@code voxgate_sip_requests_rejected_total{reason}}, every reason listed, zero
     * included), its responses by status code ({@code voxgate_sip_responses_total{code}}, codes sent so far) and its TLS
     * certificate reloads ({@code voxgate_sip_tls_certificate_reloads_total{result}}).
     */
    public void sipSignaling(final SipCounters sip) {
        CounterWithCallback.builder().name("voxgate_sip_requests_rejected").help("SIP requests and connections refused, by reason")
            .labelNames("reason")
            .callback(cb -> {
                for (final RejectReason reason : RejectReason.values()) {
                    cb.call(sip.rejected(reason), reason.label());
                }
            }).register(prometheus);
        CounterWithCallback.builder().name("voxgate_sip_responses").help("SIP responses sent, by status code").labelNames("code")
            .callback(cb -> sip.forEachResponseCode((status, n) -> cb.call(n, Integer.toString(status)))).register(prometheus);
        CounterWithCallback.builder().name("voxgate_sip_tls_certificate_reloads")
            .help("SIP TLS certificate reloads (SIGHUP or a change on disk): loaded, or refused with the certificate in use kept")
            .labelNames("result")
            .callback(cb -> {
                cb.call(sip.tlsCertificatesLoaded(), "loaded");
                cb.call(sip.tlsCertificatesRefused(), "refused");
            }).register(prometheus);
    }

    /**
     * The SIP edge's SRTP: datagrams dropped by reason ({@code voxgate_srtp_packets_dropped_total{reason}}, every
     * reason listed, zero included), packets authenticated, and outgoing packets that could not be protected.
     */
    public void srtp(final RtpTotals rtp) {
        CounterWithCallback.builder().name("voxgate_srtp_packets_dropped")
            .help("SRTP/SRTCP datagrams dropped before parsing, by reason").labelNames("reason")
            .callback(cb -> {
                cb.call(rtp.srtpDroppedAuthFailed(), "auth_failed");
                cb.call(rtp.srtpDroppedReplayed(), "replayed");
                cb.call(rtp.srtpDroppedTooOld(), "too_old");
                cb.call(rtp.srtpDroppedMalformed(), "malformed");
                cb.call(rtp.srtpDroppedNotEncrypted(), "not_encrypted");
            }).register(prometheus);
        counter("voxgate_srtp_packets_unprotected", "SRTP and SRTCP packets authenticated and decrypted", rtp::srtpUnprotected);
        counter("voxgate_srtp_packets_protect_refused", "outgoing RTP/RTCP packets not sent because they could not be protected",
            rtp::srtpProtectRefused);
    }

    /** Adds a counter an edge or agent keeps itself (e.g. rejected WebSocket messages by reason). */
    public void counter(final String name, final String help, final LongSupplier value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsLong())).register(prometheus);
    }

    /** Adds a gauge an edge or agent keeps itself. */
    public void gauge(final String name, final String help, final LongSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsLong())).register(prometheus);
    }

    private void perEdgeCounter(final String name, final String help, final ToLongFunction<CallTotals.EdgeTotals> value) {
        CounterWithCallback.builder().name(name).help(help).labelNames("edge")
            .callback(cb -> {
                for (final Map.Entry<String, CallTotals.EdgeTotals> e : current.entrySet()) {
                    cb.call(value.applyAsLong(e.getValue()), e.getKey());
                }
            }).register(prometheus);
    }

    /**
     * A Prometheus histogram over the node-wide HdrHistograms (microseconds) of every edge, read at scrape time:
     * each bucket counts the recorded values up to its bound (HdrHistogram's two-digit precision), so Prometheus can
     * aggregate across nodes and take rates over any window.
     *
     * @param byDirection whether {@code outbound} is a second series labelled {@code direction}
     */
    private void histogram(final String name, final String help, final double[] boundsS, final boolean byDirection,
                           final Function<CallTotals.EdgeTotals, Histogram> inbound,
                           final Function<CallTotals.EdgeTotals, Histogram> outbound) {
        final MetricMetadata metadata = new MetricMetadata(name, help, Unit.SECONDS);
        prometheus.register(() -> {
            final List<HistogramSnapshot.HistogramDataPointSnapshot> points = new ArrayList<>();
            for (final Map.Entry<String, CallTotals.EdgeTotals> e : current.entrySet()) {
                if (byDirection) {
                    points.add(bucketed(inbound.apply(e.getValue()), boundsS, Labels.of("direction", "inbound", "edge", e.getKey())));
                    points.add(bucketed(outbound.apply(e.getValue()), boundsS, Labels.of("direction", "outbound", "edge", e.getKey())));
                } else {
                    points.add(bucketed(inbound.apply(e.getValue()), boundsS, Labels.of("edge", e.getKey())));
                }
            }
            return new HistogramSnapshot(metadata, points);
        });
    }

    /** One histogram data point: per-bucket counts (the exposition accumulates them) ending with +Inf. */
    static HistogramSnapshot.HistogramDataPointSnapshot bucketed(final Histogram us, final double[] boundsS, final Labels labels) {
        final double[] bounds = Arrays.copyOf(boundsS, boundsS.length + 1);
        bounds[boundsS.length] = Double.POSITIVE_INFINITY;
        final long[] counts = new long[bounds.length];
        long below = 0;
        for (int i = 0; i < boundsS.length; i++) {
            final long upTo = us.getTotalCount() == 0 ? 0 : us.getCountBetweenValues(0, (long) Math.floor(boundsS[i] * 1e6));
            counts[i] = upTo - below;
            below = upTo;
        }
        counts[boundsS.length] = us.getTotalCount() - below;
        final double sumS = us.getMean() * us.getTotalCount() / 1e6;
        return new HistogramSnapshot.HistogramDataPointSnapshot(ClassicHistogramBuckets.of(bounds, counts), sumS, labels,
            Exemplars.EMPTY, 0L);
    }

    private void latency(final String name, final String help, final Function<CallTotals.EdgeTotals, Histogram> histogram) {
        SummaryWithCallback.builder().name(name).help(help).labelNames("edge")
            .callback(cb -> {
                for (final Map.Entry<String, CallTotals.EdgeTotals> e : current.entrySet()) {
                    final Histogram h = histogram.apply(e.getValue());
                    final Quantile[] quantiles = new Quantile[QUANTILES.length];
                    for (int i = 0; i < QUANTILES.length; i++) {
                        quantiles[i] = new Quantile(QUANTILES[i], h.getValueAtPercentile(QUANTILES[i] * 100) / 1e6);
                    }
                    final double sumSeconds = h.getMean() * h.getTotalCount() / 1e6;
                    cb.call(h.getTotalCount(), sumSeconds, Quantiles.of(List.of(quantiles)), e.getKey());
                }
            }).register(prometheus);
    }

    /** The Prometheus text exposition of every metric, gathered now. */
    public synchronized byte[] scrape() {
        if (calls != null) {
            current = totals.snapshot(calls);
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, prometheus.scrape());
        } catch (final IOException ex) {
            throw new IllegalStateException("writing to memory cannot fail", ex);
        }
        return out.toByteArray();
    }

    /**
     * Gateway-added latency of every call on {@code edge} so far, per direction, at the metrics' full precision
     * (microseconds, two significant digits): copies, brought up to date now as a scrape would (an in-process load
     * generator takes two and subtracts them).
     */
    public synchronized EdgeLatency latencyUs(final String edge) {
        if (calls != null) {
            current = totals.snapshot(calls);
        }
        final CallTotals.EdgeTotals t = current.get(edge);
        if (t == null) {
            final Histogram empty = new Histogram(CallStats.MAX_RECORDED_US, 2);
            return new EdgeLatency(empty, empty.copy());
        }
        return new EdgeLatency(t.inboundUs.copy(), t.outboundUs.copy());
    }

    /**
     * One edge's cumulative gateway-added latency per direction, in microseconds; owned by the caller.
     *
     * @param inboundUs  caller to agent
     * @param outboundUs agent to caller, pacing excluded
     */
    public record EdgeLatency(Histogram inboundUs, Histogram outboundUs) { }

    /** The content type of {@link #scrape()}. */
    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }
}
