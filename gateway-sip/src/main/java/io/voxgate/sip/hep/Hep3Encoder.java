package io.voxgate.sip.hep;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.agrona.MutableDirectBuffer;

/**
 * Writes one captured SIP message as a HEP3 packet: a 6-octet header, then chunks of generic vendor 0, each a
 * 6-octet chunk header followed by its value, all in network byte order.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      'H'      |      'E'      |      'P'      |      '3'      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    total length (octets)      |   vendor id (0 = generic)     |  chunk ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       chunk type id           |  chunk length (header + value)|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          value ...                            |
 * </pre>
 *
 * Chunks written, in this order: 1 IP family (2 = IPv4, 10 = IPv6), 2 IP protocol (17 UDP, 6 TCP), 3/4 IPv4 or 5/6
 * IPv6 source and destination address, 7/8 source and destination port, 9 timestamp seconds, 10 its microseconds, 11
 * protocol type (1 = SIP), 12 capture agent id, 17 correlation id (the Call-ID, when known), 15 the message itself.
 *
 * <p>Stateless; safe on any thread. Allocation-free: the caller passes every value, the packet is written into the
 * caller's buffer.
 */
public final class Hep3Encoder {
    /** The packet's magic, {@code HEP3}. */
    public static final int MAGIC = 0x48455033;
    /** IPv4 in chunk 1. */
    public static final int FAMILY_IPV4 = 2;
    /** IPv6 in chunk 1. */
    public static final int FAMILY_IPV6 = 10;
    /** UDP in chunk 2. */
    public static final int PROTOCOL_UDP = 17;
    /** TCP (TLS included) in chunk 2. */
    public static final int PROTOCOL_TCP = 6;
    /** SIP in chunk 11. */
    public static final int PROTOCOL_TYPE_SIP = 1;
    /** Chunk type ids (generic vendor). */
    public static final int IP_FAMILY = 1;
    /** IP protocol id. */
    public static final int IP_PROTOCOL = 2;
    /** IPv4 source address. */
    public static final int IPV4_SOURCE = 3;
    /** IPv4 destination address. */
    public static final int IPV4_DESTINATION = 4;
    /** IPv6 source address. */
    public static final int IPV6_SOURCE = 5;
    /** IPv6 destination address. */
    public static final int IPV6_DESTINATION = 6;
    /** Source port. */
    public static final int SOURCE_PORT = 7;
    /** Destination port. */
    public static final int DESTINATION_PORT = 8;
    /** Seconds since the epoch. */
    public static final int TIMESTAMP_SECONDS = 9;
    /** Microseconds within the second. */
    public static final int TIMESTAMP_MICROS = 10;
    /** Protocol type of the payload. */
    public static final int PROTOCOL_TYPE = 11;
    /** Capture agent id. */
    public static final int CAPTURE_ID = 12;
    /** Captured payload. */
    public static final int PAYLOAD = 15;
    /** Correlation id. */
    public static final int CORRELATION_ID = 17;

    static final int HEADER_LENGTH = 6;
    static final int CHUNK_HEADER_LENGTH = 6;
    /** Largest packet a UDP datagram carries. */
    public static final int MAX_PACKET_LENGTH = 65_507;

    private Hep3Encoder() {
    }

    /**
     * The packet's length for these value lengths.
     *
     * @param addressLength  4 (IPv4) or 16 (IPv6), both addresses the same family
     * @param callIdLength   octets of the correlation id, 0 to leave the chunk out
     * @param messageLength  octets of the SIP message
     */
    public static int length(final int addressLength, final int callIdLength, final int messageLength) {
        return HEADER_LENGTH
            + 2 * (CHUNK_HEADER_LENGTH + 1)
            + 2 * (CHUNK_HEADER_LENGTH + addressLength)
            + 2 * (CHUNK_HEADER_LENGTH + 2)
            + 2 * (CHUNK_HEADER_LENGTH + 4)
            + CHUNK_HEADER_LENGTH + 1
            + CHUNK_HEADER_LENGTH + 4
            + (callIdLength > 0 ? CHUNK_HEADER_LENGTH + callIdLength : 0)
            + CHUNK_HEADER_LENGTH + messageLength;
    }

    /**
     * Writes the packet at {@code offset}; the buffer must hold {@link #length} octets from there.
     *
     * @param source        source address, 4 or 16 octets
     * @param destination   destination address, same length as {@code source}
     * @param tcp           whether the message travelled over TCP or TLS (else UDP)
     * @param epochMicros   capture time, microseconds since 1970
     * @param callId        Call-ID octets (US-ASCII), empty to leave the correlation chunk out
     * @param message       the SIP message as sent or received
     * @return octets written
     */
    public static int encode(final MutableDirectBuffer out, final int offset, final byte[] source, final int sourcePort,
                             final byte[] destination, final int destinationPort, final boolean tcp, final long epochMicros,
                             final int captureId, final byte[] callId, final byte[] message, final int messageLength) {
        final int length = length(source.length, callId.length, messageLength);
        out.putInt(offset, MAGIC, ByteOrder.BIG_ENDIAN);
        out.putShort(offset + 4, (short) length, ByteOrder.BIG_ENDIAN);
        int at = offset + HEADER_LENGTH;
        final boolean v6 = source.length == 16;
        at = uint8(out, at, IP_FAMILY, v6 ? FAMILY_IPV6 : FAMILY_IPV4);
        at = uint8(out, at, IP_PROTOCOL, tcp ? PROTOCOL_TCP : PROTOCOL_UDP);
        at = bytes(out, at, v6 ? IPV6_SOURCE : IPV4_SOURCE, source, source.length);
        at = bytes(out, at, v6 ? IPV6_DESTINATION : IPV4_DESTINATION, destination, destination.length);
        at = uint16(out, at, SOURCE_PORT, sourcePort);
        at = uint16(out, at, DESTINATION_PORT, destinationPort);
        at = uint32(out, at, TIMESTAMP_SECONDS, (int) (epochMicros / 1_000_000L));
        at = uint32(out, at, TIMESTAMP_MICROS, (int) (epochMicros % 1_000_000L));
        at = uint8(out, at, PROTOCOL_TYPE, PROTOCOL_TYPE_SIP);
        at = uint32(out, at, CAPTURE_ID, captureId);
        if (callId.length > 0) {
            at = bytes(out, at, CORRELATION_ID, callId, callId.length);
        }
        at = bytes(out, at, PAYLOAD, message, messageLength);
        return at - offset;
    }

    /** {@code text} as the octets of a correlation id. */
    public static byte[] correlationId(final String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.US_ASCII);
    }

    private static int chunk(final MutableDirectBuffer out, final int at, final int type, final int valueLength) {
        out.putShort(at, (short) 0, ByteOrder.BIG_ENDIAN);
        out.putShort(at + 2, (short) type, ByteOrder.BIG_ENDIAN);
        out.putShort(at + 4, (short) (CHUNK_HEADER_LENGTH + valueLength), ByteOrder.BIG_ENDIAN);
        return at + CHUNK_HEADER_LENGTH;
    }

    private static int uint8(final MutableDirectBuffer out, final int at, final int type, final int value) {
        final int v = chunk(out, at, type, 1);
        out.putByte(v, (byte) value);
        return v + 1;
    }

    private static int uint16(final MutableDirectBuffer out, final int at, final int type, final int value) {
        final int v = chunk(out, at, type, 2);
        out.putShort(v, (short) value, ByteOrder.BIG_ENDIAN);
        return v + 2;
    }

    private static int uint32(final MutableDirectBuffer out, final int at, final int type, final int value) {
        final int v = chunk(out, at, type, 4);
        out.putInt(v, value, ByteOrder.BIG_ENDIAN);
        return v + 4;
    }

    private static int bytes(final MutableDirectBuffer out, final int at, final int type, final byte[] value, final int length) {
        final int v = chunk(out, at, type, length);
        out.putBytes(v, value, 0, length);
        return v + length;
    }
}
