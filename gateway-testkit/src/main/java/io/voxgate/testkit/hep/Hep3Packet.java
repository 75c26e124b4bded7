package io.voxgate.testkit.hep;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * One HEP3 packet as a capture node reads it, decoded from the wire format alone (not from the gateway's encoder):
 * the {@code HEP3} magic and total length, then chunks of vendor, type and length in network byte order, in any
 * order. Only generic chunks (vendor 0) are kept, by type.
 *
 * <p>Immutable; safe on any thread.
 */
public final class Hep3Packet {
    /** Chunk 1: IP family (2 = IPv4, 10 = IPv6). */
    public static final int IP_FAMILY = 1;
    /** Chunk 2: IP protocol (17 = UDP, 6 = TCP). */
    public static final int IP_PROTOCOL = 2;
    /** Chunk 3: IPv4 source address. */
    public static final int IPV4_SOURCE = 3;
    /** Chunk 4: IPv4 destination address. */
    public static final int IPV4_DESTINATION = 4;
    /** Chunk 5: IPv6 source address. */
    public static final int IPV6_SOURCE = 5;
    /** Chunk 6: IPv6 destination address. */
    public static final int IPV6_DESTINATION = 6;
    /** Chunk 7: source port. */
    public static final int SOURCE_PORT = 7;
    /** Chunk 8: destination port. */
    public static final int DESTINATION_PORT = 8;
    /** Chunk 9: capture time, seconds since 1970. */
    public static final int TIMESTAMP_SECONDS = 9;
    /** Chunk 10: capture time, microseconds within the second. */
    public static final int TIMESTAMP_MICROS = 10;
    /** Chunk 11: payload protocol (1 = SIP). */
    public static final int PROTOCOL_TYPE = 11;
    /** Chunk 12: capture agent id. */
    public static final int CAPTURE_ID = 12;
    /** Chunk 15: the captured message. */
    public static final int PAYLOAD = 15;
    /** Chunk 17: correlation id. */
    public static final int CORRELATION_ID = 17;
    /** IPv4 in chunk 1 (AF_INET). */
    public static final int FAMILY_IPV4 = 2;
    /** IPv6 in chunk 1 (Linux AF_INET6). */
    public static final int FAMILY_IPV6 = 10;
    /** SIP in chunk 11. */
    public static final int PROTOCOL_TYPE_SIP = 1;

    private static final int MAGIC = 0x48455033;
    private static final int CHUNK_HEADER = 6;

    private final Map<Integer, byte[]> chunks;

    private Hep3Packet(final Map<Integer, byte[]> chunks) {
        this.chunks = Collections.unmodifiableMap(chunks);
    }

    /**
     * Decodes {@code length} octets of {@code data}.
     *
     * @throws IllegalArgumentException on a wrong magic, a header length other than the datagram's, or a chunk that
     *                                  overruns the packet
     */
    public static Hep3Packet decode(final byte[] data, final int length) {
        final ByteBuffer in = ByteBuffer.wrap(data, 0, length);
        if (length < CHUNK_HEADER || in.getInt() != MAGIC) {
            throw new IllegalArgumentException("not a HEP3 packet");
        }
        final int total = in.getShort() & 0xFFFF;
        if (total != length) {
            throw new IllegalArgumentException("header says " + total + " octets, the datagram has " + length);
        }
        final Map<Integer, byte[]> chunks = new HashMap<>();
        while (in.hasRemaining()) {
            if (in.remaining() < CHUNK_HEADER) {
                throw new IllegalArgumentException("truncated chunk header");
            }
            final int vendor = in.getShort() & 0xFFFF;
            final int type = in.getShort() & 0xFFFF;
            final int chunkLength = in.getShort() & 0xFFFF;
            if (chunkLength < CHUNK_HEADER || chunkLength - CHUNK_HEADER > in.remaining()) {
                throw new IllegalArgumentException("chunk " + type + " overruns the packet");
            }
            final byte[] value = new byte[chunkLength - CHUNK_HEADER];
            in.get(value);
            if (vendor == 0) {
                chunks.put(type, value);
            }
        }
        return new Hep3Packet(chunks);
    }

    /** Whether the packet has a generic chunk of {@code type}. */
    public boolean has(final int type) {
        return chunks.containsKey(type);
    }

    /** The chunk's value as an unsigned big-endian number (1, 2 or 4 octets). */
    public long number(final int type) {
        long out = 0;
        for (final byte b : value(type)) {
            out = out << 8 | b & 0xFF;
        }
        return out;
    }

    /** The chunk's octets as an address (4 or 16 octets). */
    public InetAddress address(final int type) {
        try {
            return InetAddress.getByAddress(value(type));
        } catch (final UnknownHostException ex) {
            throw new IllegalArgumentException("chunk " + type + " is not an address", ex);
        }
    }

    /** The chunk's octets as UTF-8 text. */
    public String text(final int type) {
        return new String(value(type), StandardCharsets.UTF_8);
    }

    /** The source address, from the IPv4 or the IPv6 chunk as chunk 1 says. */
    public InetAddress source() {
        return address(number(IP_FAMILY) == FAMILY_IPV6 ? IPV6_SOURCE : IPV4_SOURCE);
    }

    /** The destination address, from the IPv4 or the IPv6 chunk as chunk 1 says. */
    public InetAddress destination() {
        return address(number(IP_FAMILY) == FAMILY_IPV6 ? IPV6_DESTINATION : IPV4_DESTINATION);
    }

    /** Capture time in microseconds since 1970. */
    public long epochMicros() {
        return number(TIMESTAMP_SECONDS) * 1_000_000L + number(TIMESTAMP_MICROS);
    }

    /** The captured message's first line, for assertions and failure messages. */
    public String firstLine() {
        return text(PAYLOAD).lines().findFirst().orElse("");
    }

    private byte[] value(final int type) {
        final byte[] v = chunks.get(type);
        if (v == null) {
            throw new IllegalArgumentException("no chunk " + type);
        }
        return v;
    }
}
