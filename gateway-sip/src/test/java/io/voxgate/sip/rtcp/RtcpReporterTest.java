package io.voxgate.sip.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class RtcpReporterTest {
    private static final long SEC = 1_000_000_000L;
    private final RtpReceptionStatistics reception = new RtpReceptionStatistics();
    private final UnsafeBuffer buf = new UnsafeBuffer(new byte[512]);

    @Test
    void shouldScheduleReportsBetweenHalfAndOneAndAHalfIntervals() {
        final RtcpReporter reporter = new RtcpReporter(1, "gw@test", reception, 42, 0);
        long now = 0;
        for (int i = 0; i < 200; i++) {
            final long next = reporter.nextReportNs();
            assertTrue(next - now >= 2_500_000_000L && next - now < 7_500_000_000L, "interval " + (next - now));
            now = next;
            reporter.writeReport(buf, 0, now, 0, 0, 0, 0);
        }
    }

    @Test
    void shouldWriteAReceiverReportWithLossWhenNothingWasSent() {
        final RtcpReporter reporter = new RtcpReporter(0x11, "gw@test", reception, 42, 0);
        for (int s = 0; s < 10; s++) {
            if (s != 5) {
                reception.onPacket(s, s * 160L, s * 160L);
            }
        }
        reporter.remoteSsrc(0x22);
        final int length = reporter.writeReport(buf, 0, 5 * SEC, 0, 0, 0, 0);
        assertTrue(RtcpPackets.isValidCompound(buf, 0, length));
        assertEquals(RtcpPackets.PT_RR, buf.getByte(1) & 0xFF);
        assertEquals(1, buf.getByte(0) & 0x1F);
        assertEquals(0x22, buf.getInt(8, ByteOrder.BIG_ENDIAN));
        assertEquals(25, buf.getByte(12) & 0xFF); // 1 of 10 lost = 25.6/256
        assertEquals(1, buf.getInt(12, ByteOrder.BIG_ENDIAN) & 0xFFFFFF);
        assertEquals(9, buf.getInt(16, ByteOrder.BIG_ENDIAN));
        assertEquals(RtcpPackets.PT_SDES, buf.getByte(32 + 1) & 0xFF);
    }

    @Test
    void shouldWriteASenderReportWithCountsAndDelaySinceTheLastSr() {
        final RtcpReporter reporter = new RtcpReporter(0x11, "gw@test", reception, 42, 0);
        reception.onPacket(1, 160, 160);
        reporter.remoteSsrc(0x22);
        final UnsafeBuffer sr = new UnsafeBuffer(new byte[28]);
        RtcpPackets.writeHeader(sr, 0, 0, RtcpPackets.PT_SR, 28);
        sr.putInt(8, 0x0000ABCD, ByteOrder.BIG_ENDIAN);
        sr.putInt(12, 0xEF010000, ByteOrder.BIG_ENDIAN);
        reporter.onRtcp(sr, 0, 28, SEC);
        final int length = reporter.writeReport(buf, 0, 3 * SEC, 1_000L, 50, 8000, 12345);
        assertTrue(RtcpPackets.isValidCompound(buf, 0, length));
        assertEquals(RtcpPackets.PT_SR, buf.getByte(1) & 0xFF);
        assertEquals(RtcpPackets.NTP_UNIX_OFFSET_SECONDS + 1, buf.getInt(8, ByteOrder.BIG_ENDIAN) & 0xFFFFFFFFL);
        assertEquals(12345, buf.getInt(16, ByteOrder.BIG_ENDIAN));
        assertEquals(50, buf.getInt(20, ByteOrder.BIG_ENDIAN));
        assertEquals(8000, buf.getInt(24, ByteOrder.BIG_ENDIAN));
        assertEquals(0xABCDEF01, buf.getInt(28 + 16, ByteOrder.BIG_ENDIAN));
        assertEquals(2 * 65536, buf.getInt(28 + 20, ByteOrder.BIG_ENDIAN));
    }

    @Test
    void shouldMeasureTheRoundTripFromAReportBlockAboutOurSource() {
        final RtcpReporter reporter = new RtcpReporter(0x11, "gw@test", reception, 42, 0);
        final long sentAtMs = 1_764_950_400_000L;
        reporter.writeReport(buf, 0, SEC, sentAtMs, 50, 8000, 12345);
        final long ourSrMiddle = buf.getLong(8, ByteOrder.BIG_ENDIAN) >>> 16 & 0xFFFF_FFFFL;
        // The peer held our SR 500 ms before reporting (DLSR), and its report arrived 620 ms after we sent the SR.
        final UnsafeBuffer rr = new UnsafeBuffer(new byte[32]);
        RtcpPackets.writeHeader(rr, 0, 1, RtcpPackets.PT_RR, 32);
        rr.putInt(4, 0x22, ByteOrder.BIG_ENDIAN);
        rr.putInt(8, 0x11, ByteOrder.BIG_ENDIAN);
        rr.putInt(8 + 16, (int) ourSrMiddle, ByteOrder.BIG_ENDIAN);
        rr.putInt(8 + 20, 32_768, ByteOrder.BIG_ENDIAN);

        reporter.onRtcp(rr, 0, 32, 2 * SEC, sentAtMs + 620);

        assertEquals(120_000, reporter.roundTripUs(), 100, "620 ms less the 500 ms the peer held it");
    }

    @Test
    void shouldLeaveTheRoundTripUnknownForABlockAboutAnotherSource() {
        final RtcpReporter reporter = new RtcpReporter(0x11, "gw@test", reception, 42, 0);
        final UnsafeBuffer rr = new UnsafeBuffer(new byte[32]);
        RtcpPackets.writeHeader(rr, 0, 1, RtcpPackets.PT_RR, 32);
        rr.putInt(8, 0x99, ByteOrder.BIG_ENDIAN);
        rr.putInt(8 + 16, 0x1234_5678, ByteOrder.BIG_ENDIAN);

        reporter.onRtcp(rr, 0, 32, SEC, 1_764_950_400_000L);

        assertEquals(-1, reporter.roundTripUs());
    }

    @Test
    void shouldEndWithAByeOnTeardown() {
        final RtcpReporter reporter = new RtcpReporter(0x11, "gw@test", reception, 42, 0);
        final int length = reporter.writeBye(buf, 0);
        assertTrue(RtcpPackets.isValidCompound(buf, 0, length));
        int at = 0;
        int lastType = 0;
        while (at < length) {
            lastType = buf.getByte(at + 1) & 0xFF;
            at += ((buf.getShort(at + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF) + 1) * 4;
        }
        assertEquals(RtcpPackets.PT_BYE, lastType);
    }

    @Test
    void shouldCountMalformedRtcp() {
        final RtcpReporter reporter = new RtcpReporter(0x11, "gw@test", reception, 42, 0);
        buf.setMemory(0, 16, (byte) 0xFF);
        reporter.onRtcp(buf, 0, 16, 0);
        reporter.onRtcp(buf, 0, 3, 0);
        assertEquals(2, reporter.packetsMalformed());
    }
}
