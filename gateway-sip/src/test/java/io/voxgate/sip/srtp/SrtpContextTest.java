package io.voxgate.sip.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class SrtpContextTest {
    private static final int SSRC = 0xCAFE_F00D;
    private static final SrtpCryptoSuite SUITE = SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_80;

    private final SrtpContext sender = new SrtpContext(SUITE, SrtpFixtures.key(1));
    private final SrtpContext receiver = new SrtpContext(SUITE, SrtpFixtures.key(1));

    /** The packet in a buffer with room for any trailer. */
    private static UnsafeBuffer roomy(final byte[] packet) {
        return new UnsafeBuffer(Arrays.copyOf(packet, packet.length + 32));
    }

    private static byte[] bytes(final UnsafeBuffer buffer, final int length) {
        final byte[] out = new byte[length];
        buffer.getBytes(0, out);
        return out;
    }

    private UnsafeBuffer protectedRtp(final int sequence) {
        final UnsafeBuffer buffer = roomy(SrtpFixtures.rtp(sequence, SSRC));
        assertEquals(172 + 10, sender.protectRtp(buffer, 0, 172));
        return buffer;
    }

    @Test
    void shouldRoundTripAnRtpPacketAndEncryptOnlyThePayload() {
        final byte[] plain = SrtpFixtures.rtp(100, SSRC);
        final UnsafeBuffer buffer = roomy(plain);
        assertEquals(182, sender.protectRtp(buffer, 0, 172));
        final byte[] wire = bytes(buffer, 182);
        assertArrayEquals(Arrays.copyOf(plain, 12), Arrays.copyOf(wire, 12), "the header stays in clear");
        assertFalse(Arrays.equals(Arrays.copyOfRange(plain, 12, 172), Arrays.copyOfRange(wire, 12, 172)));

        assertEquals(172, receiver.unprotectRtp(buffer, 0, 182));
        assertArrayEquals(plain, bytes(buffer, 172));
        assertEquals(1, sender.rtpProtected());
        assertEquals(1, receiver.rtpUnprotected());
    }

    @Test
    void shouldRoundTripInDirectMemoryAtAnOffset() {
        final byte[] plain = SrtpFixtures.rtp(5, SSRC);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        buffer.putBytes(7, plain);
        assertEquals(182, sender.protectRtp(buffer, 7, 172));
        assertEquals(172, receiver.unprotectRtp(buffer, 7, 182));
        final byte[] out = new byte[172];
        buffer.getBytes(7, out);
        assertArrayEquals(plain, out);
    }

    @Test
    void shouldLeaveCsrcsAndTheHeaderExtensionInClear() {
        final byte[] plain = new byte[12 + 4 + 8 + 20];
        final UnsafeBuffer p = new UnsafeBuffer(plain);
        p.putByte(0, (byte) 0x91);
        p.putInt(8, SSRC, ByteOrder.BIG_ENDIAN);
        p.putInt(12, 0x1111_1111);
        p.putShort(16, (short) 0xBEDE, ByteOrder.BIG_ENDIAN);
        p.putShort(18, (short) 1, ByteOrder.BIG_ENDIAN);
        p.putInt(20, 0x2222_2222);
        final UnsafeBuffer buffer = roomy(plain);
        assertEquals(plain.length + 10, sender.protectRtp(buffer, 0, plain.length));
        assertArrayEquals(Arrays.copyOf(plain, 24), Arrays.copyOf(bytes(buffer, 24), 24));
        assertEquals(plain.length, receiver.unprotectRtp(buffer, 0, plain.length + 10));
        assertArrayEquals(plain, bytes(buffer, plain.length));
    }

    @Test
    void shouldFollowTheRolloverCounterAcrossTheSequenceWrap() {
        for (int i = 0; i < 10; i++) {
            final int sequence = (65_530 + i) & 0xFFFF;
            final UnsafeBuffer buffer = protectedRtp(sequence);
            assertEquals(172, receiver.unprotectRtp(buffer, 0, 182), "sequence " + sequence);
            assertArrayEquals(SrtpFixtures.rtp(sequence, SSRC), bytes(buffer, 172));
        }
        assertEquals(0, receiver.authFailures());
    }

    @Test
    void shouldAcceptAPacketFromBeforeTheWrapArrivingAfterIt() {
        final UnsafeBuffer first = protectedRtp(65_534);
        final UnsafeBuffer late = protectedRtp(65_535);
        final UnsafeBuffer early = protectedRtp(0);
        final UnsafeBuffer next = protectedRtp(1);
        assertEquals(172, receiver.unprotectRtp(first, 0, 182));
        assertEquals(172, receiver.unprotectRtp(early, 0, 182));
        assertEquals(172, receiver.unprotectRtp(next, 0, 182));
        assertEquals(172, receiver.unprotectRtp(late, 0, 182), "authenticated with the rollover counter before");
        assertArrayEquals(SrtpFixtures.rtp(65_535, SSRC), bytes(late, 172));
    }

    @Test
    void shouldRefuseAReplayedPacket() {
        final UnsafeBuffer buffer = protectedRtp(42);
        final byte[] wire = bytes(buffer, 182);
        assertEquals(172, receiver.unprotectRtp(buffer, 0, 182));
        assertEquals(SrtpContext.REPLAYED, receiver.unprotectRtp(roomy(wire), 0, 182));
        assertEquals(1, receiver.replays());
    }

    @Test
    void shouldRefuseAPacketBelowTheReplayWindow() {
        final UnsafeBuffer old = protectedRtp(1_000);
        for (int sequence = 1_001; sequence <= 1_000 + ReplayWindow.DEFAULT_SIZE; sequence++) {
            assertEquals(172, receiver.unprotectRtp(protectedRtp(sequence), 0, 182));
        }
        assertEquals(SrtpContext.TOO_OLD, receiver.unprotectRtp(old, 0, 182));
        assertEquals(1, receiver.tooOld());
    }

    @Test
    void shouldRefuseATamperedTagAndKeepNoStateFromIt() {
        final UnsafeBuffer buffer = protectedRtp(7);
        final byte[] wire = bytes(buffer, 182);
        buffer.putByte(181, (byte) (buffer.getByte(181) ^ 1));
        assertEquals(SrtpContext.AUTH_FAILED, receiver.unprotectRtp(buffer, 0, 182));
        assertEquals(1, receiver.authFailures());
        assertEquals(172, receiver.unprotectRtp(roomy(wire), 0, 182), "the forged copy did not mark the index seen");
    }

    @Test
    void shouldRefuseATamperedPayload() {
        final UnsafeBuffer buffer = protectedRtp(7);
        buffer.putByte(50, (byte) (buffer.getByte(50) ^ 0x80));
        assertEquals(SrtpContext.AUTH_FAILED, receiver.unprotectRtp(buffer, 0, 182));
    }

    @Test
    void shouldRefusePacketsProtectedWithAnotherKey() {
        final SrtpContext stranger = new SrtpContext(SUITE, SrtpFixtures.key(2));
        final UnsafeBuffer buffer = roomy(SrtpFixtures.rtp(9, SSRC));
        stranger.protectRtp(buffer, 0, 172);
        assertEquals(SrtpContext.AUTH_FAILED, receiver.unprotectRtp(buffer, 0, 182));
    }

    @Test
    void shouldUseAFourOctetTagForTheShortSuite() {
        final SrtpCryptoSuite shortTag = SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_32;
        final SrtpContext out = new SrtpContext(shortTag, SrtpFixtures.key(3));
        final SrtpContext in = new SrtpContext(shortTag, SrtpFixtures.key(3));
        final UnsafeBuffer buffer = roomy(SrtpFixtures.rtp(9, SSRC));
        assertEquals(176, out.protectRtp(buffer, 0, 172));
        assertEquals(172, in.unprotectRtp(buffer, 0, 176));
        assertArrayEquals(SrtpFixtures.rtp(9, SSRC), bytes(buffer, 172));
    }

    @Test
    void shouldRefuseRuntsAndNonRtpAndPacketsWithoutRoomForTheTag() {
        assertEquals(SrtpContext.TOO_SHORT, receiver.unprotectRtp(roomy(new byte[20]), 0, 20));
        final byte[] notRtp = SrtpFixtures.rtp(1, SSRC);
        notRtp[0] = 0x40;
        assertEquals(SrtpContext.MALFORMED, receiver.unprotectRtp(roomy(notRtp), 0, 182));
        final byte[] csrcsPastTheEnd = SrtpFixtures.rtp(1, SSRC);
        csrcsPastTheEnd[0] = (byte) 0x8F;
        assertEquals(SrtpContext.MALFORMED, sender.protectRtp(roomy(csrcsPastTheEnd), 0, 40));
        assertEquals(SrtpContext.OVERSIZED, sender.protectRtp(new UnsafeBuffer(SrtpFixtures.rtp(1, SSRC)), 0, 172));
        assertEquals(1, receiver.tooShort());
        assertEquals(1, receiver.malformed());
        assertEquals(1, sender.malformed());
        assertEquals(1, sender.oversized());
    }

    @Test
    void shouldRoundTripSrtcpWithTheEncryptedFlagAndAnIndexFromZero() {
        final byte[] plain = SrtpFixtures.rtcp(SSRC, 1);
        final UnsafeBuffer buffer = roomy(plain);
        assertEquals(32 + 4 + 10, sender.protectRtcp(buffer, 0, 32));
        assertArrayEquals(Arrays.copyOf(plain, 8), bytes(buffer, 8), "the first header and SSRC stay in clear");
        assertEquals(0x8000_0000, buffer.getInt(32, ByteOrder.BIG_ENDIAN), "E=1, index 0");
        assertEquals(32, receiver.unprotectRtcp(buffer, 0, 46));
        assertArrayEquals(plain, bytes(buffer, 32));

        final UnsafeBuffer second = roomy(SrtpFixtures.rtcp(SSRC, 2));
        sender.protectRtcp(second, 0, 32);
        assertEquals(0x8000_0001, second.getInt(32, ByteOrder.BIG_ENDIAN));
        assertEquals(32, receiver.unprotectRtcp(second, 0, 46));
        assertEquals(2, receiver.rtcpUnprotected());
    }

    @Test
    void shouldRefuseReplayedAndTamperedSrtcp() {
        final UnsafeBuffer buffer = roomy(SrtpFixtures.rtcp(SSRC, 1));
        sender.protectRtcp(buffer, 0, 32);
        final byte[] wire = bytes(buffer, 46);
        assertEquals(32, receiver.unprotectRtcp(buffer, 0, 46));
        assertEquals(SrtpContext.REPLAYED, receiver.unprotectRtcp(roomy(wire), 0, 46));
        final byte[] tampered = wire.clone();
        tampered[33] ^= 1;
        assertEquals(SrtpContext.AUTH_FAILED, receiver.unprotectRtcp(roomy(tampered), 0, 46));
    }

    @Test
    void shouldRefuseAuthenticSrtcpThatIsNotEncrypted() throws Exception {
        // Build what a peer sending unencrypted SRTCP would: plain RTCP, E=0 with an index, then the tag.
        final byte[] plain = SrtpFixtures.rtcp(SSRC, 1);
        final UnsafeBuffer buffer = roomy(plain);
        buffer.putInt(32, 5, ByteOrder.BIG_ENDIAN);
        final byte[] authKey = SrtpKeyDerivation.derive(SrtpFixtures.key(1).key(), SrtpFixtures.key(1).salt(),
            SrtpKeyDerivation.LABEL_RTCP_AUTHENTICATION, 20);
        final HmacSha1 hmac = new HmacSha1(authKey);
        final byte[] tag = new byte[20];
        hmac.start();
        hmac.update(bytes(buffer, 36), 0, 36);
        hmac.finish(tag, 0);
        buffer.putBytes(36, tag, 0, 10);
        assertEquals(SrtpContext.NOT_ENCRYPTED, receiver.unprotectRtcp(buffer, 0, 46));
        assertEquals(1, receiver.notEncrypted());
    }

    @Test
    void shouldTrackSeveralSsrcsAndEvictTheLeastRecentlyUsed() {
        for (int s = 0; s <= SrtpContext.MAX_STREAMS; s++) {
            final UnsafeBuffer buffer = roomy(SrtpFixtures.rtp(10, s));
            sender.protectRtp(buffer, 0, 172);
            assertEquals(172, receiver.unprotectRtp(buffer, 0, 182), "ssrc " + s);
        }
        assertEquals(1, receiver.streamsEvicted());
    }

    @Test
    void shouldNeverPrintKeys() {
        final SrtpMasterKey key = SrtpFixtures.key(1);
        assertFalse(key.toString().contains(key.base64()));
        assertTrue(sender.toString().contains("redacted"));
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
            assertEquals(182, sender.protectRtp(heap, 0, 172));
            assertEquals(172, receiver.unprotectRtp(heap, 0, 182));
            direct.putBytes(0, heap, 0, 172);
            assertEquals(182, sender.protectRtp(direct, 0, 172));
            direct.putShort(2, (short) s, ByteOrder.BIG_ENDIAN);
            if ((s & 63) == 0) {
                direct.putBytes(0, rtcp);
                assertEquals(46, sender.protectRtcp(direct, 0, 32));
                assertEquals(32, receiver.unprotectRtcp(direct, 0, 46));
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

        // Three packets per round; one object per packet would be at least 16 B x 600,000. The measuring bean and
        // the JIT may allocate a few one-off kilobytes on this thread, so the bound is a tenth of a byte per round.
        assertTrue(allocated < rounds / 10, allocated + " bytes allocated over " + rounds + " rounds");
        assertEquals(0, receiver.authFailures());
    }
}
