package io.voxgate.sip.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.sip.dtmf.DtmfEvents;
import io.voxgate.sip.rtcp.RtpReceptionStatistics;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class RtpReceiveStageTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.10", 20000);
    private static final InetSocketAddress PEER_OTHER_PORT = new InetSocketAddress("192.0.2.10", 20002);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("198.51.100.7", 20000);
    private static final long MS = 1_000_000L;

    private final List<Integer> audioSeqs = new ArrayList<>();
    private final StringBuilder digits = new StringBuilder();
    private int rtcpPackets;
    private final RtpReceptionStatistics statistics = new RtpReceptionStatistics();
    private final RtpReceiveStage.Listener listener = new RtpReceiveStage.Listener() {
        @Override
        public void onRtpAudio(final int ssrc, final int seq, final long ts, final boolean marker, final DirectBuffer payload,
                               final int offset, final int length, final long nowNs) {
            audioSeqs.add(seq);
        }

        @Override
        public void onCallerDigit(final char digit, final long nowNs) {
            digits.append(digit);
        }

        @Override
        public void onRtcp(final DirectBuffer buffer, final int offset, final int length, final long nowNs) {
            rtcpPackets++;
        }
    };
    private final UnsafeBuffer buf = new UnsafeBuffer(new byte[1500]);

    private RtpReceiveStage stage(final boolean latching) {
        final RtpReceiveStage s = new RtpReceiveStage(listener, statistics, latching, 100 * MS, 8000);
        s.configure(PEER, 0, 101);
        return s;
    }

    private int audio(final int pt, final int seq, final int ssrc) {
        RtpPacketFlyweight.writeHeader(buf, 0, false, pt, seq, seq * 160L, ssrc);
        return 12 + 160;
    }

    @Test
    void shouldDeliverAudioFromThePeerInArrivalOrder() {
        final RtpReceiveStage s = stage(false);
        s.onDatagram(buf, 0, audio(0, 1, 7), PEER, 0);
        s.onDatagram(buf, 0, audio(0, 3, 7), PEER, 20 * MS);
        s.onDatagram(buf, 0, audio(0, 2, 7), PEER, 40 * MS);
        assertEquals(List.of(1, 3, 2), audioSeqs);
        assertEquals(3, s.packetsAccepted());
    }

    @Test
    void shouldAcceptThePeerFromAnotherPortWithoutLatching() {
        final RtpReceiveStage s = stage(false);
        s.onDatagram(buf, 0, audio(0, 1, 7), PEER_OTHER_PORT, 0);
        assertEquals(1, s.packetsAccepted());
    }

    @Test
    void shouldDropAndCountPacketsFromAnotherAddress() {
        final RtpReceiveStage s = stage(false);
        s.onDatagram(buf, 0, audio(0, 1, 7), STRANGER, 0);
        assertEquals(1, s.packetsDroppedWrongSource());
        assertEquals(0, audioSeqs.size());
    }

    @Test
    void shouldLatchTheFirstSourceWhenSymmetricLatchingIsOn() {
        final RtpReceiveStage s = stage(true);
        s.onDatagram(buf, 0, audio(0, 1, 7), STRANGER, 0);
        s.onDatagram(buf, 0, audio(0, 2, 7), PEER, 20 * MS);
        assertEquals(List.of(1), audioSeqs);
        assertEquals(1, s.packetsDroppedWrongSource());
        assertEquals(STRANGER, s.sendTarget(PEER));
    }

    @Test
    void shouldDropAnotherSsrcWhileTheLatchedOneIsLive() {
        final RtpReceiveStage s = stage(false);
        s.onDatagram(buf, 0, audio(0, 1, 7), PEER, 0);
        s.onDatagram(buf, 0, audio(0, 900, 8), PEER, 20 * MS);
        assertEquals(1, s.packetsDroppedWrongSsrc());
        assertEquals(List.of(1), audioSeqs);
    }

    @Test
    void shouldRelatchToANewSsrcOnceTheOldOneFellSilent() {
        final RtpReceiveStage s = stage(false);
        s.onDatagram(buf, 0, audio(0, 1, 7), PEER, 0);
        s.onDatagram(buf, 0, audio(0, 900, 8), PEER, 100 * MS);
        s.onDatagram(buf, 0, audio(0, 901, 8), PEER, 120 * MS);
        assertEquals(List.of(1, 900, 901), audioSeqs);
        assertEquals(1, s.ssrcChanges());
        assertEquals(8, s.ssrc());
    }

    @Test
    void shouldDropUnnegotiatedPayloadTypes() {
        final RtpReceiveStage s = stage(false);
        s.onDatagram(buf, 0, audio(8, 1, 7), PEER, 0);
        s.onDatagram(buf, 0, audio(13, 2, 7), PEER, 0);
        assertEquals(2, s.packetsDroppedWrongPayloadType());
    }

    @Test
    void shouldCountGarbageAndOversizedDatagrams() {
        final RtpReceiveStage s = stage(false);
        buf.setMemory(0, 100, (byte) 0x13);
        s.onDatagram(buf, 0, 100, PEER, 0);
        s.onDatagram(buf, 0, 3, PEER, 0);
        buf.putByte(0, (byte) 0x80);
        s.onDatagram(buf, 0, 1500, PEER, 0);
        assertEquals(2, s.packetsDroppedMalformed());
        assertEquals(1, s.packetsDroppedOversized());
        assertEquals(0, audioSeqs.size());
    }

    @Test
    void shouldRouteMultiplexedRtcpToTheRtcpHandler() {
        final RtpReceiveStage s = stage(false);
        buf.putByte(0, (byte) 0x80);
        buf.putByte(1, (byte) 200);
        s.onDatagram(buf, 0, 28, PEER, 0);
        assertEquals(1, rtcpPackets);
    }

    @Test
    void shouldReportEachDigitOnceEvenWithoutTheMarkerBit() {
        final RtpReceiveStage s = stage(false);
        for (int i = 0; i < 6; i++) {
            RtpPacketFlyweight.writeHeader(buf, 0, false, 101, 10 + i, 4000, 7);
            DtmfEvents.writePayload(buf, 12, 9, i >= 3, 10, 160 * Math.min(i + 1, 3));
            s.onDatagram(buf, 0, 16, PEER, i * 20 * MS);
        }
        assertEquals("9", digits.toString());
        assertEquals(5, s.dtmf().packetsRepeated());
    }

    @Test
    void shouldDropEverythingBeforeTheSessionIsConfigured() {
        final RtpReceiveStage s = new RtpReceiveStage(listener, statistics, false, 100 * MS, 8000);
        s.onDatagram(buf, 0, audio(0, 1, 7), PEER, 0);
        assertEquals(1, s.packetsDroppedUnconfigured());
    }

    private static final InetSocketAddress PEER_RTCP = new InetSocketAddress("192.0.2.10", 20001);

    @Test
    void shouldAcceptRtcpOnlyFromThePeersAddressAndSignalledRtcpPort() {
        final RtpReceiveStage s = stage(false);
        assertTrue(s.acceptsRtcpFrom(PEER_RTCP, PEER_RTCP));
        assertFalse(s.acceptsRtcpFrom(new InetSocketAddress("198.51.100.7", 20001), PEER_RTCP), "a stranger");
        assertFalse(s.acceptsRtcpFrom(new InetSocketAddress("192.0.2.10", 40001), PEER_RTCP), "the peer's host, another port");
        assertEquals(2, s.rtcpDroppedWrongSource());
    }

    @Test
    void shouldAcceptRtcpFromTheLatchedRtpSourcesPairedPort() {
        final RtpReceiveStage s = stage(true);
        final InetSocketAddress natted = new InetSocketAddress("203.0.113.5", 31000);
        s.onDatagram(buf, 0, audio(0, 1, 7), natted, 0);
        assertTrue(s.acceptsRtcpFrom(new InetSocketAddress("203.0.113.5", 31001), PEER_RTCP), "latched RTP port + 1");
        assertFalse(s.acceptsRtcpFrom(PEER_RTCP, PEER_RTCP), "the signalled host once another source latched");
        assertEquals(1, s.rtcpDroppedWrongSource());
    }
}
