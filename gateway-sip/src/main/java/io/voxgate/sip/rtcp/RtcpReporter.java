package io.voxgate.sip.rtcp;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One call's RTCP: builds the compound report (SR when the gateway has sent RTP, else RR, plus SDES CNAME)
 * and the BYE sent at teardown, and reads the peer's reports for the LSR/DLSR round-trip fields.
 *
 * <p>Reports go out every {@link #nextReportNs() ~5 s}, randomized between 0.5 and 1.5 times the interval
 * so that sessions do not synchronise (RFC 3550 §6.2 minimum interval and §6.3.1 randomisation); the
 * bandwidth share is irrelevant for one G.711 stream, so only the minimum interval applies.
 *
 * <p>Threading: confined to the call's thread. Time is an argument ({@code nowNs} monotonic; {@code
 * unixTimeMs} wall clock for the NTP field only). Allocates nothing after construction.
 */
public final class RtcpReporter {
    /** RFC 3550 §6.2 minimum report interval. */
    public static final long REPORT_INTERVAL_NS = 5_000_000_000L;

    private final int ssrc;
    private final byte[] cname;
    private final RtpReceptionStatistics reception;
    private long seed;
    private long nextReportNs;
    private int remoteSsrc;
    private boolean haveRemoteSsrc;
    private long lastSrMiddle;
    private long lastSrArrivalNs;
    private boolean haveLastSr;
    private long reportsSent;
    private long packetsReceived;
    private long packetsMalformed;
    private long byesReceived;
    private long roundTripUs = -1;

    /**
     * Reporter for one local source.
     *
     * @param ssrc        the gateway's SSRC on this call
     * @param cname       canonical name (RFC 3550 §6.5.1), ASCII, at most 255 characters
     * @param reception   statistics of the remote source, owned by the same call
     * @param seed        randomisation seed for the report interval
     * @param nowNs       now; the first report is due one randomized interval from now
     */
    public RtcpReporter(final int ssrc, final String cname, final RtpReceptionStatistics reception, final long seed, final long nowNs) {
        this.ssrc = ssrc;
        this.cname = cname.getBytes(StandardCharsets.US_ASCII);
        if (this.cname.length > 255) {
            throw new IllegalArgumentException("RTCP CNAME longer than 255 octets: " + cname);
        }
        this.reception = reception;
        this.seed = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
        this.nextReportNs = nowNs + randomizedIntervalNs();
    }

    /** The remote source the report blocks describe (the latched SSRC). */
    public void remoteSsrc(final int remoteSsrc) {
        this.remoteSsrc = remoteSsrc;
        this.haveRemoteSsrc = true;
    }

    /** When the next report is due. */
    public long nextReportNs() {
        return nextReportNs;
    }

    /**
     * Writes the compound report due now and schedules the next one.
     *
     * @param packetsSent     RTP packets the gateway sent so far
     * @param octetsSent      RTP payload octets the gateway sent so far
     * @param rtpTimestampNow the gateway's RTP timestamp corresponding to now
     * @return octets written; the buffer must hold at least 128
     */
    public int writeReport(final MutableDirectBuffer buffer, final int offset, final long nowNs, final long unixTimeMs,
                           final long packetsSent, final long octetsSent, final long rtpTimestampNow) {
        nextReportNs = nowNs + randomizedIntervalNs();
        reportsSent++;
        final boolean block = haveRemoteSsrc && reception.started();
        int at = offset;
        if (packetsSent > 0) {
            final int length = 8 + RtcpPackets.SENDER_INFO_LENGTH + (block ? RtcpPackets.REPORT_BLOCK_LENGTH : 0);
            RtcpPackets.writeHeader(buffer, at, block ? 1 : 0, RtcpPackets.PT_SR, length);
            buffer.putInt(at + 4, ssrc, ByteOrder.BIG_ENDIAN);
            buffer.putLong(at + 8, RtcpPackets.ntpTimestamp(unixTimeMs), ByteOrder.BIG_ENDIAN);
            buffer.putInt(at + 16, (int) rtpTimestampNow, ByteOrder.BIG_ENDIAN);
            buffer.putInt(at + 20, (int) packetsSent, ByteOrder.BIG_ENDIAN);
            buffer.putInt(at + 24, (int) octetsSent, ByteOrder.BIG_ENDIAN);
            if (block) {
                writeReportBlock(buffer, at + 28, nowNs);
            }
            at += length;
        } else {
            final int length = 8 + (block ? RtcpPackets.REPORT_BLOCK_LENGTH : 0);
            RtcpPackets.writeHeader(buffer, at, block ? 1 : 0, RtcpPackets.PT_RR, length);
            buffer.putInt(at + 4, ssrc, ByteOrder.BIG_ENDIAN);
            if (block) {
                writeReportBlock(buffer, at + 8, nowNs);
            }
            at += length;
        }
        at += RtcpPackets.writeSdesCname(buffer, at, ssrc, cname);
        return at - offset;
    }

    /** Writes the final compound packet: an RR, the SDES CNAME and a BYE (RFC 3550 §6.6). */
    public int writeBye(final MutableDirectBuffer buffer, final int offset) {
        int at = offset;
        RtcpPackets.writeHeader(buffer, at, 0, RtcpPackets.PT_RR, 8);
        buffer.putInt(at + 4, ssrc, ByteOrder.BIG_ENDIAN);
        at += 8;
        at += RtcpPackets.writeSdesCname(buffer, at, ssrc, cname);
        at += RtcpPackets.writeBye(buffer, at, ssrc);
        return at - offset;
    }

    /** Reads one received compound packet; remembers the peer's last SR for LSR/DLSR. Malformed input is counted. */
    public void onRtcp(final DirectBuffer buffer, final int offset, final int length, final long nowNs) {
        onRtcp(buffer, offset, length, nowNs, -1);
    }

    /**
     * As above, and with the arrival's wall-clock time, measures the round trip from a report block about our source
     * (RFC 3550 6.4.1: arrival less LSR less DLSR, all in the middle 32 bits of NTP time).
     *
     * @param unixTimeMs the arrival's wall-clock time, or -1 to leave the round trip alone
     */
    public void onRtcp(final DirectBuffer buffer, final int offset, final int length, final long nowNs, final long unixTimeMs) {
        if (!RtcpPackets.isValidCompound(buffer, offset, length)) {
            packetsMalformed++;
            return;
        }
        packetsReceived++;
        int at = offset;
        final int end = offset + length;
        while (at < end) {
            final int pt = buffer.getByte(at + 1) & 0xFF;
            final int packetLength = ((buffer.getShort(at + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF) + 1) * 4;
            if (unixTimeMs >= 0 && (pt == RtcpPackets.PT_SR || pt == RtcpPackets.PT_RR)) {
                final int blocksAt = at + 8 + (pt == RtcpPackets.PT_SR ? RtcpPackets.SENDER_INFO_LENGTH : 0);
                final int blocks = buffer.getByte(at) & 0x1F;
                for (int i = 0; i < blocks && blocksAt + (i + 1) * RtcpPackets.REPORT_BLOCK_LENGTH <= at + packetLength; i++) {
                    roundTrip(buffer, blocksAt + i * RtcpPackets.REPORT_BLOCK_LENGTH, unixTimeMs);
                }
            }
            if (pt == RtcpPackets.PT_SR && packetLength >= 8 + RtcpPackets.SENDER_INFO_LENGTH) {
                // LSR is the middle 32 bits of the SR's NTP timestamp (RFC 3550 §6.4.1).
                lastSrMiddle = buffer.getInt(at + 10, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
                lastSrArrivalNs = nowNs;
                haveLastSr = true;
            } else if (pt == RtcpPackets.PT_BYE) {
                byesReceived++;
            }
            at += packetLength;
        }
    }

    private void roundTrip(final DirectBuffer buffer, final int block, final long unixTimeMs) {
        final long lsr = buffer.getInt(block + 16, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        if (buffer.getInt(block, ByteOrder.BIG_ENDIAN) != ssrc || lsr == 0) {
            return;
        }
        final long dlsr = buffer.getInt(block + 20, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        final long arrival = RtcpPackets.ntpTimestamp(unixTimeMs) >>> 16 & 0xFFFF_FFFFL;
        final long units = arrival - lsr - dlsr & 0xFFFF_FFFFL;
        // Beyond a minute is a wrapped difference (clock step, forged block), not a round trip.
        if (units < 60L * 65_536L) {
            roundTripUs = units * 1_000_000L / 65_536L;
        }
    }

    /** The last round-trip time measured from the peer's reports, microseconds, or -1 while none was. */
    public long roundTripUs() {
        return roundTripUs;
    }

    private void writeReportBlock(final MutableDirectBuffer buffer, final int offset, final long nowNs) {
        buffer.putInt(offset, remoteSsrc, ByteOrder.BIG_ENDIAN);
        final int fraction = reception.takeFractionLost();
        buffer.putInt(offset + 4, fraction << 24 | reception.cumulativeLost() & 0xFFFFFF, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + 8, (int) reception.extendedHighestSequence(), ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + 12, (int) Math.min(0xFFFF_FFFFL, reception.jitter()), ByteOrder.BIG_ENDIAN);
        if (haveLastSr) {
            buffer.putInt(offset + 16, (int) lastSrMiddle, ByteOrder.BIG_ENDIAN);
            final long delayUnits = (nowNs - lastSrArrivalNs) * 65_536L / 1_000_000_000L;
            buffer.putInt(offset + 20, (int) Math.min(0xFFFF_FFFFL, delayUnits), ByteOrder.BIG_ENDIAN);
        } else {
            buffer.putInt(offset + 16, 0, ByteOrder.BIG_ENDIAN);
            buffer.putInt(offset + 20, 0, ByteOrder.BIG_ENDIAN);
        }
    }

    private long randomizedIntervalNs() {
        // xorshift64: a cheap, allocation-free source of the [0.5, 1.5) factor.
        seed ^= seed << 13;
        seed ^= seed >>> 7;
        seed ^= seed << 17;
        final long permille = 500 + Long.remainderUnsigned(seed, 1000);
        return REPORT_INTERVAL_NS / 1000 * permille;
    }

    /** Reports written. */
    public long reportsSent() {
        return reportsSent;
    }

    /** Valid RTCP packets received. */
    public long packetsReceived() {
        return packetsReceived;
    }

    /** RTCP datagrams that were not valid compound packets. */
    public long packetsMalformed() {
        return packetsMalformed;
    }

    /** BYE packets received from the peer. */
    public long byesReceived() {
        return byesReceived;
    }
}
