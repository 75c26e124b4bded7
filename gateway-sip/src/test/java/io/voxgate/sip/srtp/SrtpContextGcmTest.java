package io.voxgate.sip.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class SrtpContextGcmTest {
    private static final int SSRC = 0x7714_0001;
    private static final SrtpCryptoSuite GCM = SrtpCryptoSuite.AEAD_AES_128_GCM;
    private static final SrtpMasterKey KEY = SrtpFixtures.key(9).forSuite(GCM);

    private final SrtpContext sender = new SrtpContext(GCM, KEY);
    private final SrtpContext receiver = new SrtpContext(GCM, KEY);

    private static UnsafeBuffer roomy(final byte[] packet) {
        return new UnsafeBuffer(Arrays.copyOf(packet, packet.length + 32));
    }

    private static byte[] bytes(final UnsafeBuffer buffer, final int length) {
        final byte[] out = new byte[length];
        buffer.getBytes(0, out);
        return out;
    }

    @Test
    void shouldTakeATwelveOctetSaltAndASixteenOctetTagOnBothProtocols() {
        assertEquals(28, GCM.keyAndSaltLength());
        assertEquals(16, GCM.srtpAuthTagLength());
        assertEquals(4 + 16, GCM.srtcpOverhead());
        assertEquals(28, KEY.length());
        assertThrows(IllegalArgumentException.class, () -> SrtpMasterKey.of(new byte[29]));
    }

    @Test
    void shouldRoundTripAnRtpPacketWithTheHeaderInClear() {
        final byte[] plain = SrtpFixtures.rtp(100, SSRC);
        final UnsafeBuffer buffer = roomy(plain);
        assertEquals(172 + 16, sender.protectRtp(buffer, 0, 172));
        assertArrayEquals(Arrays.copyOf(plain, 12), bytes(buffer, 12), "the header stays in clear");
        assertFalse(Arrays.equals(plain, bytes(buffer, 172)), "the payload is encrypted");
        assertEquals(172, receiver.unprotectRtp(buffer, 0, 188));
        assertArrayEquals(plain, bytes(buffer, 172));
    }

    @Test
    void shouldRefuseAPacketWhoseHeaderWasChangedSinceTheTagCoversIt() {
        final UnsafeBuffer buffer = roomy(SrtpFixtures.rtp(100, SSRC));
        sender.protectRtp(buffer, 0, 172);
        // The marker bit: a change that keeps the packet well formed.
        buffer.putByte(1, (byte) (buffer.getByte(1) ^ 0x80));
        assertEquals(SrtpContext.AUTH_FAILED, receiver.unprotectRtp(buffer, 0, 188));
        assertEquals(1, receiver.authFailures());
    }

    @Test
    void shouldFollowTheRolloverCounterAcrossTheSequenceWrapAndRefuseReplays() {
        for (int i = 0; i < 40; i++) {
            final int sequence = (65_520 + i) & 0xFFFF;
            final byte[] plain = SrtpFixtures.rtp(sequence, SSRC);
            final UnsafeBuffer buffer = roomy(plain);
            sender.protectRtp(buffer, 0, 172);
            final byte[] wire = bytes(buffer, 188);
            assertEquals(172, receiver.unprotectRtp(buffer, 0, 188), "sequence " + sequence);
            assertArrayEquals(plain, bytes(buffer, 172));
            assertEquals(SrtpContext.REPLAYED, receiver.unprotectRtp(roomy(wire), 0, 188), "sequence " + sequence);
        }
    }

    @Test
    void shouldPutTheIndexWordAfterTheTagOnSrtcp() {
        final byte[] plain = SrtpFixtures.rtcp(SSRC, 1);
        final UnsafeBuffer buffer = roomy(plain);
        assertEquals(32 + 16 + 4, sender.protectRtcp(buffer, 0, 32));
        assertArrayEquals(Arrays.copyOf(plain, 8), bytes(buffer, 8), "the first header and SSRC stay in clear");
        assertEquals(0x8000_0000, buffer.getInt(32 + 16, ByteOrder.BIG_ENDIAN), "E=1, index 0, after the tag");
        final byte[] wire = bytes(buffer, 52);
        assertEquals(32, receiver.unprotectRtcp(buffer, 0, 52));
        assertArrayEquals(plain, bytes(buffer, 32));
        assertEquals(SrtpContext.REPLAYED, receiver.unprotectRtcp(roomy(wire), 0, 52));
    }

    @Test
    void shouldRefuseSrtcpWhoseIndexWordWasChangedSinceTheTagCoversIt() {
        final UnsafeBuffer buffer = roomy(SrtpFixtures.rtcp(SSRC, 1));
        sender.protectRtcp(buffer, 0, 32);
        buffer.putInt(48, 0x8000_0007, ByteOrder.BIG_ENDIAN);
        assertEquals(SrtpContext.AUTH_FAILED, receiver.unprotectRtcp(buffer, 0, 52));
    }

    @Test
    void shouldRefuseSrtcpThatSaysItIsNotEncrypted() {
        final UnsafeBuffer buffer = roomy(SrtpFixtures.rtcp(SSRC, 1));
        sender.protectRtcp(buffer, 0, 32);
        buffer.putInt(48, 0, ByteOrder.BIG_ENDIAN);
        assertEquals(SrtpContext.NOT_ENCRYPTED, receiver.unprotectRtcp(buffer, 0, 52));
        assertEquals(1, receiver.notEncrypted());
    }

    @Test
    void shouldRefusePacketsProtectedWithTheSameKeyUnderTheCounterModeSuite() {
        final SrtpContext other = new SrtpContext(SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_80, SrtpFixtures.key(9));
        final UnsafeBuffer buffer = roomy(SrtpFixtures.rtp(5, SSRC));
        assertEquals(182, other.protectRtp(buffer, 0, 172));
        buffer.putLong(182, 0);
        buffer.putLong(186, 0);
        assertEquals(SrtpContext.AUTH_FAILED, receiver.unprotectRtp(buffer, 0, 188));
    }

    @Test
    void shouldAllocateNothingPerPacket() {
        final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        final com.sun.management.ThreadMXBean hotspot = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(hotspot.isThreadAllocatedMemorySupported() && hotspot.isThreadAllocatedMemoryEnabled());
        final UnsafeBuffer heap = roomy(SrtpFixtures.rtp(0, SSRC));
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        final byte[] rtcp = SrtpFixtures.rtcp(SSRC, 0);
        final int[] sequence = {0};
        final Runnable oneRound = () -> {
            final int s = sequence[0]++ & 0xFFFF;
            heap.putShort(2, (short) s, ByteOrder.BIG_ENDIAN);
            assertEquals(188, sender.protectRtp(heap, 0, 172));
            assertEquals(172, receiver.unprotectRtp(heap, 0, 188));
            if ((s & 63) == 0) {
                direct.putBytes(0, rtcp);
                assertEquals(52, sender.protectRtcp(direct, 0, 32));
                assertEquals(32, receiver.unprotectRtcp(direct, 0, 52));
            }
        };
        for (int i = 0; i < 50_000; i++) {
            oneRound.run();
        }
        final long threadId = Thread.currentThread().getId();
        final long before = hotspot.getThreadAllocatedBytes(threadId);
        final int rounds = 200_000;
        for (int i = 0; i < rounds; i++) {
            oneRound.run();
        }
        final long allocated = hotspot.getThreadAllocatedBytes(threadId) - before;
        assertTrue(allocated < rounds / 10, allocated + " bytes allocated over " + rounds + " rounds");
        assertEquals(0, receiver.authFailures());
    }
}
