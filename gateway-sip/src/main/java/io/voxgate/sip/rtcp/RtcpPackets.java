package io.voxgate.sip.rtcp;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * RTCP wire layouts the gateway writes and reads (RFC 3550 §6.4-§6.6). Every packet starts with
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  RC/SC  |      PT       |      length (32-bit words - 1)|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 SSRC of sender / first chunk                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * followed, for an SR, by NTP timestamp (64 bits), RTP timestamp, sender's packet and octet counts, then
 * report blocks of 24 octets: SSRC, fraction lost (8) + cumulative lost (24), extended highest sequence
 * number, interarrival jitter, last SR (LSR) and delay since last SR (DLSR, 1/65536 s).
 *
 * <p>Stateless; safe on any thread. Writers return the octets written.
 */
public final class RtcpPackets {
    /** Sender report. */
    public static final int PT_SR = 200;
    /** Receiver report. */
    public static final int PT_RR = 201;
    /** Source description. */
    public static final int PT_SDES = 202;
    /** Goodbye. */
    public static final int PT_BYE = 203;
    /** Application-defined. */
    public static final int PT_APP = 204;
    /** Octets in one report block. */
    public static final int REPORT_BLOCK_LENGTH = 24;
    /** Octets of the SR sender info after the common header and SSRC. */
    public static final int SENDER_INFO_LENGTH = 20;
    /** SDES item type of the canonical name. */
    public static final int SDES_CNAME = 1;
    /** Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
    public static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

    private RtcpPackets() {
    }

    /** Writes the common header with the given count and total packet length in octets (a multiple of 4). */
    static void writeHeader(final MutableDirectBuffer buffer, final int offset, final int count, final int packetType,
                            final int packetLength) {
        buffer.putByte(offset, (byte) (0x80 | (count & 0x1F)));
        buffer.putByte(offset + 1, (byte) packetType);
        buffer.putShort(offset + 2, (short) (packetLength / 4 - 1), ByteOrder.BIG_ENDIAN);
    }

    /** The NTP timestamp (RFC 3550 §4, 32.32 fixed point seconds since 1900) of a Unix time in ms. */
    public static long ntpTimestamp(final long unixTimeMs) {
        final long seconds = unixTimeMs / 1000 + NTP_UNIX_OFFSET_SECONDS;
        final long fraction = (unixTimeMs % 1000 << 32) / 1000;
        return seconds << 32 | fraction;
    }

    /**
     * Writes an SDES packet with one chunk holding the CNAME item, padded to a 32-bit boundary.
     *
     * @param cname ASCII octets of the canonical name, at most 255
     */
    public static int writeSdesCname(final MutableDirectBuffer buffer, final int offset, final int ssrc, final byte[] cname) {
        final int itemsLength = 2 + cname.length + 1;
        final int chunkLength = 4 + (itemsLength + 3 & ~3);
        final int packetLength = 4 + chunkLength;
        writeHeader(buffer, offset, 1, PT_SDES, packetLength);
        buffer.putInt(offset + 4, ssrc, ByteOrder.BIG_ENDIAN);
        buffer.putByte(offset + 8, (byte) SDES_CNAME);
        buffer.putByte(offset + 9, (byte) cname.length);
        buffer.putBytes(offset + 10, cname);
        for (int i = offset + 10 + cname.length; i < offset + packetLength; i++) {
            buffer.putByte(i, (byte) 0);
        }
        return packetLength;
    }

    /** Writes a BYE packet for one source. */
    public static int writeBye(final MutableDirectBuffer buffer, final int offset, final int ssrc) {
        writeHeader(buffer, offset, 1, PT_BYE, 8);
        buffer.putInt(offset + 4, ssrc, ByteOrder.BIG_ENDIAN);
        return 8;
    }

    /**
     * Checks that {@code length} octets form a compound RTCP packet: version 2, known-length sub-packets that
     * tile the datagram, the first one an SR or RR (RFC 3550 §6.1, relaxed to allow any first type as many
     * endpoints send lone BYE or APP packets).
     *
     * @return whether the layout is valid
     */
    public static boolean isValidCompound(final DirectBuffer buffer, final int offset, final int length) {
        if (length < 4 || (length & 3) != 0) {
            return false;
        }
        int at = offset;
        final int end = offset + length;
        while (at < end) {
            if (end - at < 4 || (buffer.getByte(at) & 0xC0) != 0x80) {
                return false;
            }
            final int pt = buffer.getByte(at + 1) & 0xFF;
            if (pt < PT_SR || pt > PT_APP) {
                return false;
            }
            final int packetLength = ((buffer.getShort(at + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF) + 1) * 4;
            if (packetLength > end - at) {
                return false;
            }
            at += packetLength;
        }
        return true;
    }
}
