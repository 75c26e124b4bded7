package io.voxgate.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.voxgate.core.agent.EchoAgent;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallOpener;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSession;
import io.voxgate.core.call.CallSessionConfig;
import io.voxgate.core.call.CallerLeg;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.voxgate.core.call.CallStats;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
    private static final long FRAME_NS = 20_000_000L;

    private long now = 1_000_000_000L;

    private final CallerLeg leg = new CallerLeg() {
        @Override
        public void sendToCaller(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
        }

        @Override
        public void clearCallerPlayback(final long nowNs) {
        }

        @Override
        public boolean sendDigits(final String digits, final long nowNs) {
            return true;
        }

        @Override
        public void hangUp(final String reason, final long nowNs) {
        }
    };

    private CallSession call(final CallRegistry registry, final String id, final String edge) {
        final CallSession session = new CallOpener(registry, call -> new EchoAgent(AudioFormat.MULAW_8K),
            CallSessionConfig.defaults().withBargeInVad(false), () -> now).forEdge(edge, UnaryOperator.identity())
            .open(id, Map.of(), AudioFormat.MULAW_8K, leg, Runnable::run, now).session();
        session.start(now);
        return session;
    }

    private String scrape(final GatewayMetrics metrics) {
        return new String(metrics.scrape(), StandardCharsets.UTF_8);
    }

    private void talk(final CallSession session, final int frames) {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[160]);
        for (int i = 0; i < frames; i++) {
            now += FRAME_NS;
            session.onCallerAudio(frame, 0, 160, now);
            session.onTick(now);
        }
    }

    @Test
    void shouldCountRunningCallsByEdge() {
        final GatewayMetrics metrics = new GatewayMetrics();
        final CallRegistry registry = new CallRegistry(10, metrics.callEndObserver());
        metrics.bind(registry);
        call(registry, "CA1", "twilio");
        call(registry, "CA2", "twilio");
        call(registry, "sip-1", "sip");

        final String text = scrape(metrics);

        assertTrue(text.contains("voxgate_calls_active{edge=\"twilio\"} 2"), text);
        assertTrue(text.contains("voxgate_calls_active{edge=\"sip\"} 1"), text);
    }

    @Test
    void shouldKeepCountingFramesOfCallsThatEnded() {
        final GatewayMetrics metrics = new GatewayMetrics();
        final CallRegistry registry = new CallRegistry(10, metrics.callEndObserver());
        metrics.bind(registry);
        final CallSession session = call(registry, "CA1", "twilio");
        talk(session, 50);

        session.end("caller hung up", now);
        final String text = scrape(metrics);

        assertTrue(text.contains("voxgate_frames_from_caller_total{edge=\"twilio\"} 50"), text);
        assertTrue(text.contains("voxgate_calls_ended_total{edge=\"twilio\"} 1"), text);
        assertTrue(text.contains("voxgate_calls_active{edge=\"twilio\"} 0"), text);
    }

    @Test
    void shouldExportGatewayLatencyAsASummaryPerDirection() {
        final GatewayMetrics metrics = new GatewayMetrics();
        final CallRegistry registry = new CallRegistry(10, metrics.callEndObserver());
        metrics.bind(registry);
        talk(call(registry, "CA1", "twilio"), 10);

        final String text = scrape(metrics);

        assertTrue(text.contains("voxgate_gateway_latency_inbound_seconds_count{edge=\"twilio\"} 10"), text);
        assertTrue(text.contains("voxgate_gateway_latency_outbound_seconds{edge=\"twilio\",quantile=\"0.99\"}"), text);
    }

    @Test
    void shouldExportTheHeapLeftAfterTheLastCollection() {
        final GatewayMetrics metrics = new GatewayMetrics();
        metrics.bind(new CallRegistry(10, metrics.callEndObserver()));
        System.gc();

        final String text = scrape(metrics);

        // After a collection the figure is known: positive, and no more than the heap the JVM has committed.
        final long afterGc = GatewayMetrics.heapAfterLastCollectionBytes();
        assertTrue(afterGc > 0 && afterGc <= Runtime.getRuntime().totalMemory(), "heap after GC " + afterGc);
        assertTrue(text.contains("voxgate_jvm_heap_after_gc_bytes "), text);
    }

    @Test
    void shouldCountLatencyOfRunningAndEndedCallsOnceAcrossScrapes() {
        final GatewayMetrics metrics = new GatewayMetrics();
        final CallRegistry registry = new CallRegistry(10, metrics.callEndObserver());
        metrics.bind(registry);
        final CallSession first = call(registry, "CA1", "twilio");
        talk(first, 10);
        scrape(metrics);
        talk(first, 5);
        first.end("caller hung up", now);
        talk(call(registry, "CA2", "twilio"), 7);

        final String text = scrape(metrics);

        assertTrue(text.contains("voxgate_gateway_latency_inbound_seconds_count{edge=\"twilio\"} 22"), text);
        assertEquals(22, metrics.latencyUs("twilio").inboundUs().getTotalCount());
        assertEquals(0, metrics.latencyUs("sip").inboundUs().getTotalCount());
    }

    @Test
    void shouldHandTheCallReportTheCallsOwnWholeLifeLatency() {
        final GatewayMetrics metrics = new GatewayMetrics();
        final CallRegistry registry = new CallRegistry(10, metrics.callEndObserver());
        metrics.bind(registry);
        final long[] reported = new long[1];
        metrics.reportEndedCallsTo((callId, edge, stats) -> reported[0] = stats.inboundLatencyUs().getTotalCount());
        final CallSession session = call(registry, "CA1", "twilio");
        talk(session, 10);
        scrape(metrics);
        talk(session, 5);

        session.end("caller hung up", now);

        assertEquals(15, reported[0], "a scrape in between takes nothing from the call's own figures");
    }

    @Test
    void shouldExportEverySipRefusalReasonFromZero() {
        final GatewayMetrics metrics = new GatewayMetrics();
        metrics.sipSignaling(new io.voxgate.sip.signaling.SipCounters());
        final String text = new String(metrics.scrape(), StandardCharsets.UTF_8);
        assertTrue(text.contains("voxgate_sip_requests_rejected_total{reason=\"source_not_allowed\"} 0.0"), text);
        assertTrue(text.contains("voxgate_sip_requests_rejected_total{reason=\"rate_limited\"} 0.0"), text);
    }

    @Test
    void shouldExportEverySrtpDropReasonFromZero() {
        final GatewayMetrics metrics = new GatewayMetrics();
        metrics.srtp(new io.voxgate.sip.rtp.RtpTotals());
        final String text = new String(metrics.scrape(), StandardCharsets.UTF_8);
        for (final String reason : new String[] {"auth_failed", "replayed", "too_old", "malformed", "not_encrypted"}) {
            assertTrue(text.contains("voxgate_srtp_packets_dropped_total{reason=\"" + reason + "\"} 0.0"), text);
        }
        assertTrue(text.contains("voxgate_srtp_packets_unprotected_total 0.0"), text);
    }

    @Test
    void shouldExportGatewayLatencyAsAHistogramPerEdgeAndDirection() {
        final GatewayMetrics metrics = new GatewayMetrics();
        final CallRegistry registry = new CallRegistry(10, metrics.callEndObserver());
        metrics.bind(registry);
        talk(call(registry, "CA1", "twilio"), 10);

        final String text = scrape(metrics);

        assertTrue(text.contains("voxgate_gateway_latency_seconds_count{direction=\"inbound\",edge=\"twilio\"} 10"), text);
        assertTrue(text.contains("voxgate_gateway_latency_seconds_bucket{direction=\"inbound\",edge=\"twilio\",le=\"+Inf\"} 10"),
            text);
        assertTrue(text.contains("voxgate_gateway_latency_seconds_bucket{direction=\"outbound\",edge=\"twilio\",le=\"0.001\"}"),
            text);
        assertTrue(text.contains("voxgate_barge_in_reaction_seconds_bucket{edge=\"twilio\",le=\"0.3\"}"), text);
    }

    @Test
    void shouldExportTheBargeInPauseCountersAndHistogramsPerEdge() {
        final GatewayMetrics metrics = new GatewayMetrics();
        final CallRegistry registry = new CallRegistry(10, metrics.callEndObserver());
        metrics.bind(registry);
        talk(call(registry, "CA1", "twilio"), 10);

        final String text = scrape(metrics);

        for (final String counter : new String[] {"voxgate_barge_in_pauses_total", "voxgate_barge_ins_resumed_total",
            "voxgate_barge_in_audio_resumed_ms_total", "voxgate_barge_in_paused_ms_total"}) {
            assertTrue(text.contains(counter + "{edge=\"twilio\"} 0.0"), counter + " in " + text);
        }
        for (final String histogram : new String[] {"voxgate_barge_in_onset_to_pause_seconds",
            "voxgate_barge_in_onset_to_clear_seconds", "voxgate_barge_in_pause_seconds"}) {
            assertTrue(text.contains(histogram + "_bucket{edge=\"twilio\",le=\"+Inf\"} 0"), histogram + " in " + text);
        }
    }

    @Test
    void shouldPutEachRecordedValueInTheFirstBucketAtOrAboveIt() {
        final Histogram us = new Histogram(CallStats.MAX_RECORDED_US, 2);
        us.recordValue(100);
        us.recordValue(1_500);
        us.recordValue(700_000);

        final HistogramSnapshot.HistogramDataPointSnapshot point =
            GatewayMetrics.bucketed(us, GatewayMetrics.LATENCY_BUCKETS_S, Labels.EMPTY);

        final ClassicHistogramBuckets buckets = point.getClassicBuckets();
        assertEquals(0.00025, buckets.getUpperBound(0));
        assertEquals(1, buckets.getCount(0));
        assertEquals(1, buckets.getCount(3), "1.5 ms falls in the 2 ms bucket");
        assertEquals(Double.POSITIVE_INFINITY, buckets.getUpperBound(buckets.size() - 1));
        assertEquals(1, buckets.getCount(buckets.size() - 1), "700 ms is above the last bound");
        assertEquals(3, point.getCount());
    }

    @Test
    void shouldExportTheEventLoopsIoTransport() {
        final GatewayMetrics metrics = new GatewayMetrics();
        metrics.bind(new CallRegistry(10, metrics.callEndObserver()));
        metrics.ioTransport("io_uring");

        final String text = scrape(metrics);

        assertTrue(text.contains("voxgate_io_transport_info{transport=\"io_uring\"} 1"), text);
    }

    @Test
    void shouldExportTheOpusImplementation() {
        final GatewayMetrics metrics = new GatewayMetrics();
        metrics.bind(new CallRegistry(10, metrics.callEndObserver()));
        metrics.opusCodec("concentus");

        final String text = scrape(metrics);

        assertTrue(text.contains("voxgate_opus_codec_info{implementation=\"concentus\"} 1"), text);
    }

    @Test
    void shouldExportTheDirectMemoryNettysAllocatorHoldsOnEveryJdk() {
        final GatewayMetrics metrics = new GatewayMetrics();
        metrics.bind(new CallRegistry(10, metrics.callEndObserver()));
        final ByteBuf held = ByteBufAllocator.DEFAULT.directBuffer(1 << 20);
        try {
            final String text = scrape(metrics);

            final Matcher gauge = Pattern.compile("(?m)^voxgate_netty_direct_memory_used_bytes (\\S+)$").matcher(text);
            assertTrue(gauge.find(), text);
            assertTrue(Double.parseDouble(gauge.group(1)) >= 1 << 20, "the held megabyte is counted: " + gauge.group(1));
        } finally {
            held.release();
        }
    }

    @Test
    void shouldExportTheStandardJvmAndProcessMetricsAndTheBuildInfo() {
        final GatewayMetrics metrics = new GatewayMetrics();
        metrics.bind(new CallRegistry(10, metrics.callEndObserver()));

        final String text = scrape(metrics);

        assertTrue(text.contains("jvm_memory_used_bytes{area=\"heap\"}"), text);
        assertTrue(text.contains("jvm_buffer_pool_used_bytes{pool=\"direct\"}"), text);
        assertTrue(text.contains("process_cpu_seconds_total "), text);
        assertTrue(text.contains("voxgate_build_info{java_version=\"" + Runtime.version() + "\",version=\""
            + BuildInfo.version() + "\"} 1"), text);
        assertTrue(!BuildInfo.version().isBlank() && !BuildInfo.version().contains("${"), BuildInfo.version());
    }
}
