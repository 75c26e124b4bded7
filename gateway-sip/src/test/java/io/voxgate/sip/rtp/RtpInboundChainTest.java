package io.voxgate.sip.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.jitter.JitterBufferConfig;
import io.voxgate.sip.dtmf.DtmfEvents;
import io.voxgate.sip.rtcp.RtcpReporter;
import io.voxgate.sip.rtcp.RtpReceptionStatistics;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class RtpInboundChainTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.10", 20000);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("198.51.100.7", 20000);
    private static final long FRAME_NS = 20_000_000L;

    private final List<Byte> heard = new ArrayList<>();
    private final StringBuilder digits = new StringBuilder();
    private final RtpReceptionStatistics reception = new RtpReceptionStatistics();
    private final RtpInboundChain chain = new RtpInboundChain(JitterBufferConfig.defaults(), AudioFormat.MULAW_8K,
        AudioFormat.MULAW_8K, reception, new RtcpReporter(1, "test", reception, 7, 0), false, 5 * FRAME_NS,
        (audio, offset, length, nowNs) -> {
            assertEquals(160, length);
            heard.add(audio.getByte(offset));
        }, (digit, nowNs) -> digits.append(digit));
    private final UnsafeBuffer datagram = new UnsafeBuffer(new byte[172]);

    private void send(final int seq, final InetSocketAddress from) {
        RtpPacketFlyweight.writeHeader(datagram, 0, seq == 0, 0, seq, seq * 160L, 0x5EED);
        for (int i = 12; i < 172; i++) {
            datagram.putByte(i, (byte) seq);
        }
        chain.onDatagram(datagram, 0, 172, from, seq * FRAME_NS);
    }

    @Test
    void shouldDeclareItsNodesTopToBottom() {
        assertEquals("sip-inbound: srtp-unprotect -> rtp-receive -> jitter-buffer -> playout -> session", chain.stages().toString());
    }

    @Test
    void shouldCarryValidPacketsThroughTheJitterBufferToTheSessionOneFramePerTick() {
        chain.receive().configure(PEER, 0, 101);
        for (int seq = 0; seq < 10; seq++) {
            send(seq, PEER);
            send(seq, STRANGER);
            chain.playTick(seq * FRAME_NS + FRAME_NS / 2);
        }
        // Playout starts after the initial 40 ms delay and plays the peer's frames in order.
        assertEquals(List.of((byte) 0, (byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6, (byte) 7), heard);
        final List<String> counters = new ArrayList<>();
        chain.stages().counters((stage, counter, value) -> counters.add(stage + "." + counter + "=" + value));
        assertTrue(counters.contains("rtp-receive.packets_accepted=10"), counters.toString());
        assertTrue(counters.contains("rtp-receive.dropped_wrong_source=10"), counters.toString());
        assertTrue(counters.contains("jitter-buffer.frames_played=8"), counters.toString());
        assertTrue(counters.contains("playout.frames_played=8"), counters.toString());
        assertTrue(counters.contains("session.frames=8"), counters.toString());
    }

    @Test
    void shouldSendTheCallersDigitsToTheDigitSink() {
        chain.receive().configure(PEER, 0, 101);
        for (int i = 0; i < 4; i++) {
            RtpPacketFlyweight.writeHeader(datagram, 0, i == 0, 101, 1 + i, 1000L, 0x5EED);
            DtmfEvents.writePayload(datagram, 12, 5, i >= 2, 10, 160 * (i + 1));
            chain.onDatagram(datagram, 0, 16, PEER, i * FRAME_NS);
        }
        assertEquals("5", digits.toString());
    }
}
