package io.voxgate.sip.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class RtpPacketFlyweightTest {
    private final RtpPacketFlyweight packet = new RtpPacketFlyweight();

    private static UnsafeBuffer bytes(final int... values) {
        final byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return new UnsafeBuffer(b);
    }

    @Test
    void shouldReadEveryFixedHeaderField() {
        final UnsafeBuffer buf = bytes(0x80, 0x80 | 8, 0xFF, 0xFE, 0xFF, 0xFF, 0xFF, 0xF0, 0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3);
        assertEquals(RtpPacketFlyweight.VALID, packet.wrap(buf, 0, 15));
        assertEquals(2, packet.version());
        assertTrue(packet.marker());
        assertEquals(8, packet.payloadType());
        assertEquals(0xFFFE, packet.sequenceNumber());
        assertEquals(0xFFFFFFF0L, packet.timestamp());
        assertEquals(0xDEADBEEF, packet.ssrc());
        assertEquals(12, packet.payloadOffset());
        assertEquals(3, packet.payloadLength());
    }

    @Test
    void shouldSkipCsrcListAndExtension() {
        // CC=1, X=1: 12 + 4 (CSRC) + 4 (ext header) + 4 (one ext word) then 2 payload bytes
        final UnsafeBuffer buf = bytes(0x91, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9,
            1, 2, 3, 4,
            0xBE, 0xDE, 0, 1, 9, 9, 9, 9,
            7, 8);
        assertEquals(RtpPacketFlyweight.VALID, packet.wrap(buf, 0, 26));
        assertEquals(1, packet.csrcCount());
        assertTrue(packet.extension());
        assertEquals(24, packet.payloadOffset());
        assertEquals(2, packet.payloadLength());
        assertEquals(7, buf.getByte(packet.payloadOffset()));
    }

    @Test
    void shouldRemovePadding() {
        final UnsafeBuffer buf = bytes(0xA0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 5, 6, 0, 0, 3);
        assertEquals(RtpPacketFlyweight.VALID, packet.wrap(buf, 0, 17));
        assertTrue(packet.padding());
        assertEquals(2, packet.payloadLength());
    }

    @Test
    void shouldRejectPaddingThatEatsTheHeader() {
        final UnsafeBuffer buf = bytes(0xA0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 5, 200);
        assertEquals(RtpPacketFlyweight.BAD_PADDING, packet.wrap(buf, 0, 14));
    }

    @Test
    void shouldRejectZeroPaddingCount() {
        final UnsafeBuffer buf = bytes(0xA0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 5, 0);
        assertEquals(RtpPacketFlyweight.BAD_PADDING, packet.wrap(buf, 0, 14));
    }

    @Test
    void shouldRejectVersionOtherThanTwo() {
        for (final int v : new int[] {0x00, 0x40, 0xC0}) {
            final UnsafeBuffer buf = bytes(v, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 5);
            assertEquals(RtpPacketFlyweight.BAD_VERSION, packet.wrap(buf, 0, 13), "first octet " + v);
        }
    }

    @Test
    void shouldRejectEveryTruncationOfAPacketWithCsrcAndExtension() {
        final UnsafeBuffer buf = bytes(0x91, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 1, 2, 3, 4, 0xBE, 0xDE, 0, 1, 9, 9, 9, 9);
        for (int len = 0; len < 24; len++) {
            assertEquals(RtpPacketFlyweight.TRUNCATED, packet.wrap(buf, 0, len), "length " + len);
        }
        assertEquals(RtpPacketFlyweight.VALID, packet.wrap(buf, 0, 24));
    }

    @Test
    void shouldRejectOversizedPackets() {
        final UnsafeBuffer buf = new UnsafeBuffer(new byte[2048]);
        buf.putByte(0, (byte) 0x80);
        assertEquals(RtpPacketFlyweight.OVERSIZED, packet.wrap(buf, 0, RtpPacketFlyweight.MAX_PACKET_LENGTH + 1));
        assertEquals(RtpPacketFlyweight.VALID, packet.wrap(buf, 0, RtpPacketFlyweight.MAX_PACKET_LENGTH));
    }

    @Test
    void shouldWriteAHeaderItReadsBack() {
        final UnsafeBuffer buf = new UnsafeBuffer(new byte[20]);
        final int header = RtpPacketFlyweight.writeHeader(buf, 4, false, 101, 65535, 0xFFFFFFFFL, -7);
        assertEquals(12, header);
        assertEquals(RtpPacketFlyweight.VALID, packet.wrap(buf, 4, 16));
        assertFalse(packet.marker());
        assertEquals(101, packet.payloadType());
        assertEquals(65535, packet.sequenceNumber());
        assertEquals(0xFFFFFFFFL, packet.timestamp());
        assertEquals(-7, packet.ssrc());
    }
}
