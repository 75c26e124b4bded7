package io.voxgate.core.jitter;

import static io.voxgate.core.jitter.TraceReplay.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class JitterBufferTest {
    private static final int SSRC = 77;

    private final JitterBuffer buffer = new JitterBuffer(JitterBufferConfig.defaults());
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[400]);

    private OfferResult offer(final int seq, final long ts, final long arrivalNs) {
        return offer(SSRC, seq, ts, false, arrivalNs);
    }

    private OfferResult offer(final int ssrc, final int seq, final long ts, final boolean marker, final long arrivalNs) {
        payload.putInt(0, seq);
        return buffer.offer(ssrc, seq, ts, marker, payload, 0, 160, arrivalNs);
    }

    private PlayoutStatus poll(final long nowNs) {
        return buffer.poll(nowNs);
    }

    /** Packets 0..count-1 every 20 ms from t=0, each polled 40 ms (the initial delay) after it arrives. */
    private void playInOrder(final int count) {
        for (int i = 0; i < count; i++) {
            assertEquals(OfferResult.ACCEPTED, offer(i, i * 160L, i * 20 * MS));
            final PlayoutStatus s = poll(i * 20 * MS + 1);
            assertEquals(i < 2 ? PlayoutStatus.NOT_STARTED : PlayoutStatus.FRAME, s, "tick " + i);
        }
    }

    @Test
    void shouldPlayAFrameOutAsAViewOfItsSlotCopiedOnceOnOffer() {
        offer(500, 1234, 0);
        // The offer copied the payload: the sender may reuse its buffer at once.
        payload.putInt(0, -1);
        assertEquals(PlayoutStatus.FRAME, poll(40 * MS));
        final DirectBuffer first = buffer.payload();
        assertEquals(160, first.capacity());
        assertEquals(500, first.getInt(0));
        final byte[] slots = first.byteArray();
        offer(501, 1234 + 160, 20 * MS);
        assertEquals(PlayoutStatus.FRAME, poll(60 * MS));
        // The next frame is the same storage at the next slot: nothing was copied out of the buffer.
        assertSame(slots, buffer.payload().byteArray());
        assertEquals(501, buffer.payload().getInt(0));
    }

    @Test
    void shouldReportNotStartedBeforeAnyPacket() {
        assertEquals(PlayoutStatus.NOT_STARTED, poll(0));
        assertEquals(PlayoutStatus.NOT_STARTED, poll(20 * MS));
    }

    @Test
    void shouldHoldTheFirstPacketForTheInitialDelayThenPlayItsPayload() {
        offer(500, 1234, 0);
        assertEquals(PlayoutStatus.NOT_STARTED, poll(39 * MS));
        assertEquals(PlayoutStatus.FRAME, poll(40 * MS));
        assertEquals(500, buffer.payload().getInt(0));
        assertEquals(160, buffer.lastPayloadLength());
        assertEquals(500, buffer.lastSequenceNumber());
        assertEquals(1234, buffer.lastRtpTimestamp());
    }

    @Test
    void shouldPutAReorderedPacketBackInOrder() {
        offer(1, 160, 0);
        offer(3, 480, 20 * MS);
        assertEquals(OfferResult.ACCEPTED, offer(2, 320, 21 * MS));
        assertEquals(1, buffer.stats().packetsReordered());
        poll(40 * MS);
        assertEquals(1, buffer.payload().getInt(0));
        poll(60 * MS);
        assertEquals(2, buffer.payload().getInt(0));
        poll(80 * MS);
        assertEquals(3, buffer.payload().getInt(0));
    }

    @Test
    void shouldAcceptAPacketThatPrecedesTheFirstOneBeforePlayoutStarts() {
        offer(11, 1760, 0);
        assertEquals(OfferResult.ACCEPTED, offer(10, 1600, 5 * MS));
        assertEquals(PlayoutStatus.FRAME, poll(60 * MS));
        assertEquals(10, buffer.payload().getInt(0));
    }

    @Test
    void shouldDropAndCountAPayloadLargerThanASlotOrEmpty() {
        assertEquals(OfferResult.TOO_LARGE, buffer.offer(SSRC, 1, 160, false, payload, 0, 321, 0));
        assertEquals(OfferResult.EMPTY, buffer.offer(SSRC, 1, 160, false, payload, 0, 0, 0));
        assertEquals(1, buffer.stats().packetsTooLarge());
        assertEquals(1, buffer.stats().packetsEmpty());
        assertEquals(0, buffer.stats().packetsAccepted());
    }

    @Test
    void shouldDropAndCountADuplicateOfAStoredAndOfAPlayedPacket() {
        playInOrder(4);
        assertEquals(OfferResult.DUPLICATE, offer(3, 480, 61 * MS));
        assertEquals(OfferResult.DUPLICATE, offer(1, 160, 61 * MS));
        assertEquals(2, buffer.stats().packetsDuplicate());
    }

    @Test
    void shouldConcealAMissingFrameAndCountItLost() {
        playInOrder(5);
        assertEquals(PlayoutStatus.FRAME, poll(100 * MS + 1));
        offer(6, 960, 120 * MS);
        assertEquals(PlayoutStatus.FRAME, poll(120 * MS + 1));
        assertEquals(4, buffer.payload().getInt(0));
        assertEquals(PlayoutStatus.CONCEALED, poll(140 * MS + 1));
        assertEquals(PlayoutStatus.FRAME, poll(160 * MS + 1));
        assertEquals(6, buffer.payload().getInt(0));
        assertEquals(1, buffer.stats().framesLost());
        assertEquals(1, buffer.stats().framesConcealed());
    }

    @Test
    void shouldOfferThePacketAfterALostFrameForItsFecWithoutPlayingIt() {
        playInOrder(5);
        assertEquals(PlayoutStatus.FRAME, poll(100 * MS + 1));
        offer(6, 960, 120 * MS);
        assertEquals(PlayoutStatus.FRAME, poll(120 * MS + 1));
        assertEquals(0, buffer.recoveryPayloadLength(), "nothing was lost yet");
        assertEquals(PlayoutStatus.CONCEALED, poll(140 * MS + 1));
        assertEquals(160, buffer.recoveryPayloadLength());
        assertEquals(6, buffer.recoveryPayload().getInt(0), "the packet one frame after the lost one");
        assertEquals(PlayoutStatus.FRAME, poll(160 * MS + 1));
        assertEquals(6, buffer.payload().getInt(0), "and it still plays in its own turn");
        assertEquals(0, buffer.recoveryPayloadLength());
    }

    @Test
    void shouldOfferNoFecPacketForALostFrameWhoseNextPacketIsLostToo() {
        playInOrder(5);
        assertEquals(PlayoutStatus.FRAME, poll(100 * MS + 1));
        offer(7, 1_120, 120 * MS);
        assertEquals(PlayoutStatus.FRAME, poll(120 * MS + 1));
        assertEquals(PlayoutStatus.CONCEALED, poll(140 * MS + 1));
        assertEquals(0, buffer.recoveryPayloadLength(), "5 is lost and 6, which would carry its FEC, too");
        assertEquals(PlayoutStatus.CONCEALED, poll(160 * MS + 1));
        assertEquals(7, buffer.recoveryPayload().getInt(0), "7 carries 6's");
    }

    @Test
    void shouldOfferNoFecPacketWhenALostFrameHasNothingAfterItYet() {
        playInOrder(5);
        assertEquals(PlayoutStatus.FRAME, poll(100 * MS + 1));
        assertEquals(PlayoutStatus.FRAME, poll(120 * MS + 1));
        assertEquals(PlayoutStatus.CONCEALED, poll(140 * MS + 1));
        assertEquals(0, buffer.recoveryPayloadLength(), "5 is lost and nothing after it has arrived");
    }

    @Test
    void shouldDropALatePacketAndCountItLateInsteadOfLost() {
        playInOrder(5);
        poll(100 * MS + 1);
        offer(6, 960, 120 * MS);
        poll(120 * MS + 1);
        poll(140 * MS + 1);
        poll(160 * MS + 1);
        assertEquals(1, buffer.stats().framesLost());
        assertEquals(OfferResult.LATE, offer(5, 800, 161 * MS));
        assertEquals(1, buffer.stats().packetsLate());
        assertEquals(0, buffer.stats().framesLost());
    }

    @Test
    void shouldDropAPacketWhoseTimestampIsPastThePlayoutEvenIfItsSequenceIsNew() {
        playInOrder(5);
        poll(100 * MS + 1);
        poll(120 * MS + 1);
        assertEquals(PlayoutStatus.CONCEALED, poll(140 * MS + 1));
        assertEquals(OfferResult.LATE, offer(5, 800, 141 * MS));
    }

    @Test
    void shouldPlaySilenceNotConcealmentInAGapWhoseNextPacketIsAlreadyHere() {
        playInOrder(5);
        offer(5, 800, 100 * MS);
        poll(100 * MS + 1);
        poll(120 * MS + 1);
        assertEquals(PlayoutStatus.FRAME, poll(140 * MS + 1));
        // Sequence 6 follows 5 without a gap but 40 ms later in timestamps: the sender skipped two frames.
        offer(SSRC, 6, 960 + 320, true, 160 * MS);
        assertEquals(PlayoutStatus.SILENCE, poll(160 * MS + 1));
        assertEquals(PlayoutStatus.SILENCE, poll(180 * MS + 1));
        assertEquals(PlayoutStatus.FRAME, poll(200 * MS + 1));
        assertEquals(6, buffer.payload().getInt(0));
        assertEquals(0, buffer.stats().framesConcealed());
        assertEquals(0, buffer.stats().framesLost());
    }

    @Test
    void shouldConcealAtMostTheCapThenPlaySilenceUntilTheNextTalkspurt() {
        playInOrder(5);
        offer(5, 800, 100 * MS);
        assertEquals(PlayoutStatus.FRAME, poll(100 * MS + 1));
        assertEquals(PlayoutStatus.FRAME, poll(120 * MS + 1));
        assertEquals(PlayoutStatus.FRAME, poll(140 * MS + 1));
        assertEquals(5, buffer.payload().getInt(0));
        int concealed = 0;
        PlayoutStatus s = PlayoutStatus.SILENCE;
        for (long t = 160 * MS + 1; s != PlayoutStatus.FRAME && t < 1400 * MS; t += 20 * MS) {
            if (t == 1100 * MS + 1) {
                // Sequence 6 follows 5 without a gap, but its timestamp is 1 s later: the sender was silent.
                assertEquals(OfferResult.ACCEPTED, offer(SSRC, 6, 960 + 8000, true, t - 1));
            }
            s = poll(t);
            concealed += s == PlayoutStatus.CONCEALED ? 1 : 0;
        }
        assertEquals(PlayoutStatus.FRAME, s);
        assertEquals(6, buffer.payload().getInt(0));
        assertEquals(JitterBufferConfig.MAX_CONCEALED_FRAMES_DEFAULT, concealed);
        assertEquals(0, buffer.stats().framesLost());
    }

    @Test
    void shouldResetEverythingIncludingCounters() {
        playInOrder(5);
        buffer.reset();
        assertEquals(0, buffer.stats().packetsReceived());
        assertEquals(PlayoutStatus.NOT_STARTED, poll(200 * MS));
        assertEquals(OfferResult.ACCEPTED, offer(SSRC + 1, 9, 99, false, 300 * MS));
        assertEquals(0, buffer.stats().ssrcChanges());
    }

    @Test
    void shouldReportTheRfc3550JitterOfAlternatingArrivals() {
        // Transit alternates by 8 ms: |D| = 8 ms each packet, so J converges to 8 ms = 64 ticks.
        for (int i = 0; i < 400; i++) {
            offer(i, i * 160L, i * 20 * MS + (i % 2) * 8 * MS);
        }
        assertEquals(8.0, buffer.stats().interarrivalJitterMs(), 0.1);
        assertEquals(64, buffer.stats().interarrivalJitterTicks(), 1);
    }

    @Test
    void shouldNeverThrowOrLoseCountOnRandomInput() {
        final Random random = new Random(1234);
        int seq = 0;
        long ts = 0;
        long now = 0;
        for (int i = 0; i < 200_000; i++) {
            now += random.nextInt(25) * MS;
            final int pick = random.nextInt(100);
            if (pick < 3) {
                seq = random.nextInt(65_536);
            } else if (pick < 6) {
                ts = random.nextLong();
            } else if (pick < 60) {
                seq++;
                ts += 160;
            } else if (pick < 70) {
                seq -= random.nextInt(40);
                ts -= random.nextInt(40) * 160L;
            }
            final int ssrc = random.nextInt(1000) == 0 ? random.nextInt(3) : 0;
            final int length = random.nextInt(50) == 0 ? random.nextInt(400) : 160;
            buffer.offer(ssrc, seq, ts, random.nextBoolean(), payload, 0, length, now);
            final PlayoutStatus s = buffer.poll(now);
            if (s == PlayoutStatus.FRAME) {
                assertTrue(buffer.lastPayloadLength() > 0 && buffer.lastPayloadLength() <= 320);
            }
        }
        final JitterBufferStats st = buffer.stats();
        assertEquals(st.packetsReceived(), st.packetsAccepted() + st.packetsLate() + st.packetsDuplicate()
            + st.packetsTooLarge() + st.packetsEmpty() + st.packetsSequenceJump() + st.timestampsBackward()
            + st.timestampJumps(), st::toString);
        final long buffered = st.packetsAccepted() - st.framesPlayed() - st.packetsFlushed();
        assertTrue(buffered >= 0 && buffered <= buffer.capacityFrames(), st::toString);
        assertTrue(st.targetDelayMs() >= 20 && st.targetDelayMs() <= 200, st::toString);
    }

    @Test
    void shouldNotAllocateInSteadyState() {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        runSteadyState(0, 20_000);
        threads.getThreadAllocatedBytes(thread);
        final long before = threads.getThreadAllocatedBytes(thread);
        runSteadyState(20_000, 100_000);
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;
        // Even the smallest object per packet would be 1.6 MB here; the measurement itself may allocate a few
        // hundred bytes once (lazy initialisation inside the management bean), so the bound is one byte per packet.
        assertTrue(allocated < 100_000, () -> allocated + " bytes for 100,000 packets");
    }

    private void runSteadyState(final int first, final int count) {
        for (int i = first; i < first + count; i++) {
            final int swapped = (i & 1) == 0 ? i + 1 : i - 1;
            payload.putInt(0, swapped);
            buffer.offer(SSRC, swapped, swapped * 160L, false, payload, 0, 160, i * 20 * MS);
            buffer.poll(i * 20 * MS + 5 * MS);
        }
    }
}
