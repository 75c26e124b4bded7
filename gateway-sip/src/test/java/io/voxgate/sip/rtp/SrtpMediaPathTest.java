package io.voxgate.sip.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.jitter.JitterBufferConfig;
import io.voxgate.sip.rtcp.RtcpReporter;
import io.voxgate.sip.rtcp.RtpReceptionStatistics;
import io.voxgate.sip.srtp.SrtpContext;
import io.voxgate.sip.srtp.SrtpCryptoSuite;
import io.voxgate.sip.srtp.SrtpMasterKey;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** SRTP on a call's RTP path: the send side protects what the send stage builds, the inbound chain unprotects first. */
class SrtpMediaPathTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.10", 20000);
    private static final long FRAME_NS = 20_000_000L;
    private static final int SSRC = 0x5EED;
    private static final SrtpMasterKey PEER_KEY = key(1);
    private static final SrtpMasterKey OUR_KEY = key(101);

    private final List<Byte> heard = new ArrayList<>();
    private final RtpReceptionStatistics reception = new RtpReceptionStatistics();
    private final RtcpReporter rtcp = new RtcpReporter(1, "test", reception, 7, 0);
    private final RtpInboundChain chain = new RtpInboundChain(JitterBufferConfig.defaults(), AudioFormat.MULAW_8K,
        AudioFormat.MULAW_8K, reception, rtcp, false, 5 * FRAME_NS,
        (audio, offset, length, nowNs) -> heard.add(audio.getByte(offset)), (digit, nowNs) -> { });
    private final SrtpContext peerSends = new SrtpContext(SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_80, PEER_KEY);
    private final UnsafeBuffer datagram = new UnsafeBuffer(new byte[256]);

    SrtpMediaPathTest() {
        chain.receive().configure(PEER, 0, 101);
        chain.srtp().context(new SrtpContext(SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_80, PEER_KEY));
    }

    private static SrtpMasterKey key(final int first) {
        final byte[] b = new byte[SrtpMasterKey.LENGTH];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (first + i);
        }
        return SrtpMasterKey.of(b);
    }

    /** Writes the peer's plain packet for {@code seq} (payload all {@code seq}) and protects it; returns its length. */
    private int peerPacket(final int seq) {
        RtpPacketFlyweight.writeHeader(datagram, 0, false, 0, seq & 0xFFFF, seq * 160L, SSRC);
        for (int i = 12; i < 172; i++) {
            datagram.putByte(i, (byte) seq);
        }
        final int n = peerSends.protectRtp(datagram, 0, 172);
        assertEquals(182, n);
        return n;
    }

    private List<String> counters() {
        final List<String> out = new ArrayList<>();
        chain.stages().counters((stage, counter, value) -> out.add(stage + "." + counter + "=" + value));
        return out;
    }

    @Test
    void shouldDecryptThePeersSrtpBeforeTheReceiveStageParsesIt() {
        for (int seq = 0; seq < 10; seq++) {
            chain.onDatagram(datagram, 0, peerPacket(seq), PEER, seq * FRAME_NS);
            chain.playTick(seq * FRAME_NS + FRAME_NS / 2);
        }
        assertEquals(List.of((byte) 0, (byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6, (byte) 7), heard);
        assertTrue(counters().contains("srtp-unprotect.rtp_unprotected=10"), counters().toString());
        assertTrue(counters().contains("rtp-receive.packets_accepted=10"), counters().toString());
    }

    @Test
    void shouldDropAndCountATamperedPacketAndKeepTheNextOne() {
        final int n = peerPacket(0);
        datagram.putByte(40, (byte) (datagram.getByte(40) ^ 1));
        chain.onDatagram(datagram, 0, n, PEER, 0);
        chain.onDatagram(datagram, 0, peerPacket(1), PEER, FRAME_NS);
        assertEquals(1, chain.srtp().droppedAuthFailed());
        assertEquals(1, chain.receive().packetsAccepted(), "only the authentic packet reaches the receive stage");
    }

    @Test
    void shouldDropAndCountAReplayedPacket() {
        final int n = peerPacket(0);
        final byte[] copy = new byte[n];
        datagram.getBytes(0, copy);
        chain.onDatagram(datagram, 0, n, PEER, 0);
        datagram.putBytes(0, copy);
        chain.onDatagram(datagram, 0, n, PEER, FRAME_NS);
        assertEquals(1, chain.srtp().droppedReplayed());
        assertEquals(1, chain.receive().packetsAccepted());
    }

    @Test
    void shouldCarryTheRolloverCounterAcrossTheSequenceWrap() {
        for (int seq = 65_530; seq < 65_546; seq++) {
            chain.onDatagram(datagram, 0, peerPacket(seq), PEER, (seq - 65_530) * FRAME_NS);
        }
        assertEquals(16, chain.srtp().rtpUnprotected());
        assertEquals(0, chain.srtp().droppedAuthFailed());
        assertEquals(16, chain.receive().packetsAccepted());
    }

    @Test
    void shouldRekeyWhenGivenANewContextAndRefuseTheOldKey() {
        chain.onDatagram(datagram, 0, peerPacket(0), PEER, 0);
        chain.srtp().context(new SrtpContext(SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_80, OUR_KEY));
        chain.onDatagram(datagram, 0, peerPacket(1), PEER, FRAME_NS);
        assertEquals(1, chain.srtp().droppedAuthFailed(), "a packet under the old key fails after the rekey");
        assertEquals(1, chain.srtp().rekeys());
        final SrtpContext rekeyedPeer = new SrtpContext(SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_80, OUR_KEY);
        RtpPacketFlyweight.writeHeader(datagram, 0, false, 0, 2, 320L, SSRC);
        chain.onDatagram(datagram, 0, rekeyedPeer.protectRtp(datagram, 0, 172), PEER, 2 * FRAME_NS);
        assertEquals(2, chain.receive().packetsAccepted());
    }

    @Test
    void shouldProtectWhatTheSendStageBuildsSoThePeerCanUnprotectIt() {
        final RecordingPacketSink wire = new RecordingPacketSink();
        final SrtpPacketSink protect = new SrtpPacketSink(wire, SrtpPacketSink.Kind.RTP);
        protect.context(new SrtpContext(SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_32, OUR_KEY));
        final RtpSendStage send = new RtpSendStage(protect, RtpSendStage.IdlePolicy.SEND_SILENCE, 77, 65_535, 0, 160, 0,
            (byte) 0xFF);
        final UnsafeBuffer audio = new UnsafeBuffer(new byte[160]);
        audio.setMemory(0, 160, (byte) 0x42);
        final SrtpContext peerReceives = new SrtpContext(SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_32, OUR_KEY);
        for (int i = 0; i < 3; i++) {
            send.beginTick();
            send.sendAudio(audio, 0, 160);
            send.endTick();
            final byte[] packet = wire.packets.get(i);
            assertEquals(176, packet.length, "12 header + 160 payload + 4 tag");
            assertTrue(packet[20] != 0x42, "the payload leaves encrypted");
            final UnsafeBuffer received = new UnsafeBuffer(packet);
            assertEquals(172, peerReceives.unprotectRtp(received, 0, packet.length));
            final byte[] payload = new byte[160];
            received.getBytes(12, payload);
            final byte[] expected = new byte[160];
            Arrays.fill(expected, (byte) 0x42);
            assertArrayEquals(expected, payload);
        }
    }

    @Test
    void shouldProtectRtcpReportsAndUnprotectThePeersSrtcpOnEitherPort() {
        final RecordingPacketSink wire = new RecordingPacketSink();
        final SrtpPacketSink protect = new SrtpPacketSink(wire, SrtpPacketSink.Kind.RTCP);
        protect.context(new SrtpContext(SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_80, OUR_KEY));
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[512]);
        final int n = rtcp.writeReport(scratch, 0, 0, 1_700_000_000_000L, 10, 1600, 1600);
        protect.claim(n).putBytes(0, scratch, 0, n);
        protect.commit(n);
        final byte[] sent = wire.packets.get(0);
        assertEquals(n + 14, sent.length, "E flag and index word, then the 80-bit tag");
        final SrtpContext peerReceives = new SrtpContext(SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_80, OUR_KEY);
        assertEquals(n, peerReceives.unprotectRtcp(new UnsafeBuffer(sent), 0, sent.length));

        // The peer's own report, sent back to us on the RTCP port and multiplexed on the RTP port.
        final int plain = rtcp.writeBye(scratch, 0);
        for (int port = 0; port < 2; port++) {
            datagram.putBytes(0, scratch, 0, plain);
            datagram.putInt(4, SSRC, java.nio.ByteOrder.BIG_ENDIAN);
            final int protectedLength = peerSends.protectRtcp(datagram, 0, plain);
            if (port == 0) {
                assertEquals(plain, chain.srtp().onRtcpPort(datagram, 0, protectedLength));
            } else {
                chain.onDatagram(datagram, 0, protectedLength, PEER, 0);
            }
        }
        assertEquals(2, chain.srtp().rtcpUnprotected());
        assertEquals(1, rtcp.byesReceived(), "the multiplexed SRTCP reached the reporter decrypted");
    }

    @Test
    void shouldAllocateNothingPerPacketOnTheProtectedSendAndReceivePaths() {
        final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        final com.sun.management.ThreadMXBean hotspot = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(hotspot.isThreadAllocatedMemorySupported() && hotspot.isThreadAllocatedMemoryEnabled());
        // Direct memory, as Netty's pooled buffers are; the send stage's packet loops back into the inbound chain.
        final UnsafeBuffer wireBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        final int[] length = new int[1];
        final RtpSendStage.PacketSink loopback = new RtpSendStage.PacketSink() {
            @Override
            public org.agrona.MutableDirectBuffer claim(final int n) {
                return wireBuffer;
            }

            @Override
            public void commit(final int n) {
                length[0] = n;
            }
        };
        final SrtpPacketSink protect = new SrtpPacketSink(loopback, SrtpPacketSink.Kind.RTP);
        protect.context(new SrtpContext(SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_80, PEER_KEY));
        final long[] framesHeard = new long[1];
        final RtpReceptionStatistics stats = new RtpReceptionStatistics();
        final RtpInboundChain inbound = new RtpInboundChain(JitterBufferConfig.defaults(), AudioFormat.MULAW_8K,
            AudioFormat.MULAW_8K, stats, new RtcpReporter(1, "test", stats, 7, 0), false, 5 * FRAME_NS,
            (audioFrame, offset, n, nowNs) -> framesHeard[0]++, (digit, nowNs) -> { });
        inbound.receive().configure(PEER, 0, 101);
        inbound.srtp().context(new SrtpContext(SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_80, PEER_KEY));
        final RtpSendStage send = new RtpSendStage(protect, RtpSendStage.IdlePolicy.SEND_SILENCE, SSRC, 0, 0, 160, 0,
            (byte) 0xFF);
        final UnsafeBuffer audio = new UnsafeBuffer(new byte[160]);
        final long[] tick = {0};
        final Runnable oneFrame = () -> {
            final long nowNs = tick[0]++ * FRAME_NS;
            send.beginTick();
            send.sendAudio(audio, 0, 160);
            send.endTick();
            inbound.onDatagram(wireBuffer, 0, length[0], PEER, nowNs);
            inbound.playTick(nowNs + FRAME_NS / 2);
        };
        for (int i = 0; i < 50_000; i++) {
            oneFrame.run();
        }
        final long threadId = Thread.currentThread().getId();
        final long before = hotspot.getThreadAllocatedBytes(threadId);
        final int frames = 100_000;
        for (int i = 0; i < frames; i++) {
            oneFrame.run();
        }
        final long allocated = hotspot.getThreadAllocatedBytes(threadId) - before;
        // One object per packet would be at least 16 B x 200,000; the bound leaves room for one-off JIT allocations.
        assertTrue(allocated < frames / 10, allocated + " bytes allocated over " + frames + " frames");
        assertEquals(0, inbound.srtp().droppedAuthFailed());
        assertEquals(50_000L + frames, inbound.srtp().rtpUnprotected());
        assertTrue(framesHeard[0] > 50_000L + frames - 10, "every frame reached the session: " + framesHeard[0]);
    }
}
