package io.voxgate.sip.dtmf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class DtmfEventDecoderTest {
    private final DtmfEventDecoder decoder = new DtmfEventDecoder();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[4]);

    private char packet(final int ssrc, final long ts, final int event, final boolean end, final int duration) {
        DtmfEvents.writePayload(payload, 0, event, end, 10, duration);
        return decoder.onPacket(ssrc, ts, payload, 0, 4);
    }

    @Test
    void shouldMapEveryDtmfEventToItsDigit() {
        final String digits = "0123456789*#ABCD";
        for (int e = 0; e < 16; e++) {
            assertEquals(digits.charAt(e), packet(1, 1000L * e, e, false, 160));
            assertEquals(e, DtmfEvents.eventOf(digits.charAt(e)));
        }
        assertEquals(16, decoder.digitsDecoded());
    }

    @Test
    void shouldReportADigitOnceAcrossContinuationAndThreeEndPackets() {
        assertEquals('7', packet(1, 500, 7, false, 160));
        assertEquals(DtmfEvents.NO_DIGIT, packet(1, 500, 7, false, 320));
        for (int i = 0; i < 3; i++) {
            assertEquals(DtmfEvents.NO_DIGIT, packet(1, 500, 7, true, 480));
        }
        assertEquals(4, decoder.packetsRepeated());
    }

    @Test
    void shouldReportTheDigitFromALateEndPacketWhenTheStartWasLost() {
        assertEquals('3', packet(1, 500, 3, true, 800));
    }

    @Test
    void shouldReportTheSameDigitPressedTwice() {
        assertEquals('1', packet(1, 500, 1, true, 800));
        assertEquals('1', packet(1, 1800, 1, false, 160));
    }

    @Test
    void shouldTreatAnotherSsrcAsAnotherEvent() {
        assertEquals('1', packet(1, 500, 1, false, 160));
        assertEquals('1', packet(2, 500, 1, false, 160));
    }

    @Test
    void shouldIgnoreZeroDurationEndPacketsOfUnseenEvents() {
        assertEquals(DtmfEvents.NO_DIGIT, packet(1, 500, 2, true, 0));
        assertEquals(1, decoder.packetsZeroDuration());
    }

    @Test
    void shouldIgnoreNonDtmfEventsAndShortPayloads() {
        assertEquals(DtmfEvents.NO_DIGIT, packet(1, 500, 32, false, 160));
        assertEquals(DtmfEvents.NO_DIGIT, decoder.onPacket(1, 600, payload, 0, 3));
        assertEquals(1, decoder.packetsUnsupportedEvent());
        assertEquals(1, decoder.packetsMalformed());
    }

    @Test
    void shouldRejectCharactersThatAreNoDigits() {
        assertEquals(DtmfEvents.NO_EVENT, DtmfEvents.eventOf('x'));
        assertEquals(12, DtmfEvents.eventOf('a'));
        assertEquals(DtmfEvents.NO_DIGIT, DtmfEvents.digitOf(16));
    }
}
