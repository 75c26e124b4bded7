package io.voxgate.app.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.app.metrics.GatewayMetrics;
import io.voxgate.core.jitter.JitterBuffer;
import io.voxgate.core.jitter.JitterBufferConfig;
import io.voxgate.sip.rtp.RtpTotals;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class RtpCountersTest {
    private static final long FRAME_NS = 20_000_000L;

    @Test
    void shouldExposeTheSipEdgesJitterBufferCountersInMetrics() {
        final JitterBuffer jitter = new JitterBuffer(JitterBufferConfig.defaults());
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[160]);
        for (int i = 0; i < 30; i++) {
            if (i != 10) {
                jitter.offer(7, i, i * 160L, i == 0, frame, 0, 160, i * FRAME_NS);
            }
            jitter.poll(i * FRAME_NS + FRAME_NS / 2);
        }
        jitter.offer(7, 10, 10 * 160L, false, frame, 0, 160, 30 * FRAME_NS);
        final RtpTotals totals = new RtpTotals();
        totals.add(jitter.stats(), 4, 25);
        totals.addTicksSkipped(6);
        final GatewayMetrics metrics = new GatewayMetrics();
        Gateway.registerRtpCounters(metrics, totals);
        final String scrape = new String(metrics.scrape(), StandardCharsets.UTF_8);
        assertTrue(scrape.contains("voxgate_rtp_packets_received_total 30.0"), scrape);
        assertTrue(scrape.contains("voxgate_rtp_packets_late_total 1.0"), scrape);
        assertTrue(scrape.contains("voxgate_rtp_frames_concealed_total 1.0"), scrape);
        assertTrue(scrape.contains("voxgate_rtp_packets_lost_total 0.0"), scrape);
        assertTrue(scrape.contains("voxgate_rtp_packets_invalid_total 4.0"), scrape);
        assertTrue(scrape.contains("voxgate_rtp_packets_sent_total 25.0"), scrape);
        assertTrue(scrape.contains("voxgate_rtp_ticks_skipped_total 6.0"), scrape);
    }
}
