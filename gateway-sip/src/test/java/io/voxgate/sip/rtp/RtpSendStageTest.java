package io.voxgate.sip.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.sip.dtmf.DtmfEventDecoder;
import io.voxgate.sip.dtmf.DtmfEvents;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class RtpSendStageTest {
    private static final int SSRC = 0x12345678;
    private final RecordingPacketSink sink = new RecordingPacketSink();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[160]);

    private RtpSendStage stage(final RtpSendStage.IdlePolicy policy) {
        final RtpSendStage s = new RtpSendStage(sink, policy, SSRC, 65534, 0xFFFFFF00L, 160, 0, (byte) 0xFF);
        s.telephoneEventPayloadType(101);
        return s;
    }

    private static void tick(final RtpSendStage s, final UnsafeBuffer audio) {
        s.beginTick();
        if (audio != null) {
            s.sendAudio(audio, 0, 160);
        }
        s.endTick();
    }

    @Test
    void shouldStepSequenceByOneAndTimestampBy160AcrossWrapAround() {
        final RtpSendStage s = stage(RtpSendStage.IdlePolicy.SEND_SILENCE);
        for (int i = 0; i < 4; i++) {
            tick(s, frame);
        }
        assertEquals(65534, sink.packet(0).sequenceNumber());
        assertEquals(65535, sink.packet(1).sequenceNumber());
        assertEquals(0, sink.packet(2).sequenceNumber());
        assertEquals(0xFFFFFF00L, sink.packet(0).timestamp());
        assertEquals(0xFFFFFFA0L, sink.packet(1).timestamp());
        assertEquals(0x40L, sink.packet(2).timestamp());
        for (int i = 0; i < 4; i++) {
            assertEquals(SSRC, sink.packet(i).ssrc());
            assertEquals(0, sink.packet(i).payloadType());
            assertEquals(160, sink.packet(i).payloadLength());
        }
    }

    @Test
    void shouldAdvanceTheTimestampOverSkippedTicksAndMarkTheNextPacket() {
        final RtpSendStage s = stage(RtpSendStage.IdlePolicy.SEND_SILENCE);
        tick(s, frame);
        s.skipTicks(5);
        tick(s, frame);
        assertEquals(2, sink.packets.size());
        assertEquals(65535, sink.packet(1).sequenceNumber(), "no packet went out for the skipped ticks");
        assertEquals(0xFFFFFF00L + 6 * 160 & 0xFFFF_FFFFL, sink.packet(1).timestamp());
        assertTrue(sink.packet(1).marker(), "the packet after the gap carries the marker bit");
    }

    @Test
    void shouldSendSilenceWithMarkerZeroOnIdleTicksByDefault() {
        final RtpSendStage s = stage(RtpSendStage.IdlePolicy.SEND_SILENCE);
        tick(s, null);
        tick(s, frame);
        assertEquals(2, sink.packets.size());
        assertFalse(sink.packet(0).marker());
        assertFalse(sink.packet(1).marker());
        assertEquals((byte) 0xFF, sink.packets.get(0)[12]);
        assertEquals(1, s.silencePacketsSent());
    }

    @Test
    void shouldMarkTheFirstPacketOfEachTalkspurtWhenIdleSendsNothing() {
        final RtpSendStage s = stage(RtpSendStage.IdlePolicy.SEND_NOTHING);
        tick(s, frame);
        tick(s, frame);
        tick(s, null);
        tick(s, null);
        tick(s, frame);
        assertEquals(3, sink.packets.size());
        assertTrue(sink.packet(0).marker());
        assertFalse(sink.packet(1).marker());
        assertTrue(sink.packet(2).marker());
        assertEquals(sink.packet(1).sequenceNumber() + 1 & 0xFFFF, sink.packet(2).sequenceNumber());
        // the two idle ticks still advance the clock: 3 frames later
        assertEquals(sink.packet(1).timestamp() + 3 * 160 & 0xFFFFFFFFL, sink.packet(2).timestamp());
    }

    @Test
    void shouldSendNothingOnHoldAndMarkThePacketAfterIt() {
        final RtpSendStage s = stage(RtpSendStage.IdlePolicy.SEND_SILENCE);
        tick(s, frame);
        s.sendingEnabled(false);
        tick(s, frame);
        tick(s, null);
        s.sendingEnabled(true);
        tick(s, frame);
        assertEquals(2, sink.packets.size());
        assertEquals(1, s.framesDroppedOnHold());
        assertTrue(sink.packet(1).marker());
    }

    @Test
    void shouldDropASecondFrameInOneTick() {
        final RtpSendStage s = stage(RtpSendStage.IdlePolicy.SEND_SILENCE);
        s.beginTick();
        assertTrue(s.sendAudio(frame, 0, 160));
        assertFalse(s.sendAudio(frame, 0, 160));
        s.endTick();
        assertEquals(1, sink.packets.size());
        assertEquals(1, s.framesDroppedSecondInTick());
    }

    @Test
    void shouldSendADigitAsRfc4733EventsWithThreeEndPackets() {
        final RtpSendStage s = stage(RtpSendStage.IdlePolicy.SEND_SILENCE);
        assertTrue(s.queueDigit('5', 60));
        for (int i = 0; i < 6; i++) {
            tick(s, null);
        }
        assertEquals(6, sink.packets.size());
        final long eventTs = sink.packet(0).timestamp();
        final int[] durations = new int[6];
        for (int i = 0; i < 6; i++) {
            final RtpPacketFlyweight p = sink.packet(i);
            assertEquals(101, p.payloadType());
            assertEquals(eventTs, p.timestamp());
            assertEquals(i == 0, p.marker());
            assertEquals(5, p.buffer().getByte(p.payloadOffset()));
            final boolean end = (p.buffer().getByte(p.payloadOffset() + 1) & 0x80) != 0;
            assertEquals(i >= 3, end, "end bit of packet " + i);
            durations[i] = p.buffer().getShort(p.payloadOffset() + 2, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }
        assertEquals(160, durations[0]);
        assertEquals(320, durations[1]);
        assertEquals(480, durations[2]);
        assertEquals(480, durations[3]);
        assertEquals(480, durations[5]);
        assertEquals(1, s.digitsSent());
    }

    @Test
    void shouldBeDecodedAsExactlyOneDigitPerKeyPress() {
        final RtpSendStage s = stage(RtpSendStage.IdlePolicy.SEND_SILENCE);
        s.queueDigit('#', 40);
        s.queueDigit('#', 40);
        for (int i = 0; i < 20; i++) {
            tick(s, null);
        }
        final DtmfEventDecoder decoder = new DtmfEventDecoder();
        final StringBuilder digits = new StringBuilder();
        for (int i = 0; i < sink.packets.size(); i++) {
            final RtpPacketFlyweight p = sink.packet(i);
            if (p.payloadType() == 101) {
                final char d = decoder.onPacket(p.ssrc(), p.timestamp(), p.buffer(), p.payloadOffset(), p.payloadLength());
                if (d != DtmfEvents.NO_DIGIT) {
                    digits.append(d);
                }
            }
        }
        assertEquals("##", digits.toString());
    }

    @Test
    void shouldRefuseDigitsWithoutNegotiatedTelephoneEvent() {
        final RtpSendStage s = new RtpSendStage(sink, RtpSendStage.IdlePolicy.SEND_SILENCE, SSRC, 0, 0, 160, 8, (byte) 0xD5);
        assertFalse(s.queueDigit('1', 100));
        assertFalse(s.queueDigits("23", 100));
        assertEquals(3, s.digitsRefusedNoTelephoneEvent());
    }

    @Test
    void shouldTakeTheNextTickFromAudioThatNeverPauses() {
        final RtpSendStage s = stage(RtpSendStage.IdlePolicy.SEND_SILENCE);
        tick(s, frame);
        assertTrue(s.queueDigits("9", 40));
        for (int i = 0; i < 6; i++) {
            tick(s, frame);
        }
        tick(s, frame);

        for (int i = 1; i <= 5; i++) {
            assertEquals(101, sink.packet(i).payloadType(), "packet " + i + " is the digit");
        }
        assertTrue(sink.packet(1).marker());
        assertEquals(0, sink.packet(6).payloadType(), "audio resumes after the three end packets");
        assertEquals(5, s.framesDroppedDuringDtmf());
        assertEquals(1, s.digitsSent());
    }

    @Test
    void shouldSendQueuedDigitsInOrderAsSeparateEvents() {
        final RtpSendStage s = stage(RtpSendStage.IdlePolicy.SEND_SILENCE);
        assertTrue(s.queueDigits("7*", 40));
        for (int i = 0; i < 20; i++) {
            tick(s, null);
        }
        final DtmfEventDecoder decoder = new DtmfEventDecoder();
        final StringBuilder digits = new StringBuilder();
        for (int i = 0; i < sink.packets.size(); i++) {
            final RtpPacketFlyweight p = sink.packet(i);
            if (p.payloadType() == 101) {
                final char d = decoder.onPacket(p.ssrc(), p.timestamp(), p.buffer(), p.payloadOffset(), p.payloadLength());
                if (d != DtmfEvents.NO_DIGIT) {
                    digits.append(d);
                }
            }
        }
        assertEquals("7*", digits.toString());
        assertEquals(2, s.digitsSent());
    }

    @Test
    void shouldQueueAllDigitsOrNoneWhenTheQueueIsNearlyFull() {
        final RtpSendStage s = stage(RtpSendStage.IdlePolicy.SEND_SILENCE);
        assertTrue(s.queueDigits("1".repeat(RtpSendStage.DIGIT_QUEUE_CAPACITY - 1), 20));

        assertFalse(s.queueDigits("23", 20), "two digits do not fit in one free slot");
        assertEquals(2, s.digitsDroppedQueueFull());
        assertTrue(s.queueDigits("4", 20), "the free slot is still free");
    }

    @Test
    void shouldRefuseARequestHoldingANonDigitWhole() {
        final RtpSendStage s = stage(RtpSendStage.IdlePolicy.SEND_SILENCE);

        assertFalse(s.queueDigits("12x", 20));
        assertFalse(s.queueDigits("", 20));
        assertFalse(s.queueDigits(null, 20));
        assertFalse(s.queueDigit('E', 20));
        for (int i = 0; i < 10; i++) {
            tick(s, null);
        }

        assertEquals(4, s.digitRequestsRefusedInvalid());
        assertEquals(10, sink.packets.size());
        assertTrue(sink.packets.stream().noneMatch(b -> (b[1] & 0x7F) == 101), "nothing dialled, only silence");
    }

    @Test
    void shouldDropAudioOfferedWhileADigitIsSent() {
        final RtpSendStage s = stage(RtpSendStage.IdlePolicy.SEND_SILENCE);
        s.queueDigit('1', 20);
        tick(s, null);
        tick(s, frame);
        assertEquals(1, s.framesDroppedDuringDtmf());
        assertEquals(101, sink.packet(1).payloadType());
    }
}
