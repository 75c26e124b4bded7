package io.voxgate.sip.rtp;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * An RTP packet laid over bytes in a buffer, read and written in place (RFC 3550 §5.1):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....  (CC entries)                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  defined by profile (X=1)     |  extension length (32-bit words)
 * |                        extension data ...                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      payload ...              | padding | cnt |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@link #wrap} validates the layout once and returns a result code (never throws on bad input); the
 * accessors are valid only after it returned {@link #VALID}. The CSRC list and the header extension
 * (RFC 3550 §5.3.1) are skipped, and padding (the last octet counts the padding octets, itself included,
 * §5.1) is removed from the payload.
 *
 * <p>Threading: confined to one thread (a call's event loop). Ownership: it borrows the wrapped buffer and
 * keeps no copy; the buffer's owner must keep it alive while the flyweight is in use. Allocates nothing.
 */
public final class RtpPacketFlyweight {
    /** Offset of the octet holding V, P, X and CC. */
    public static final int VPXCC_OFFSET = 0;
    /** Offset of the octet holding M and PT. */
    public static final int MPT_OFFSET = 1;
    /** Offset of the 16-bit sequence number. */
    public static final int SEQUENCE_OFFSET = 2;
    /** Offset of the 32-bit timestamp. */
    public static final int TIMESTAMP_OFFSET = 4;
    /** Offset of the 32-bit SSRC. */
    public static final int SSRC_OFFSET = 8;
    /** Length of the fixed header (no CSRC, no extension). */
    public static final int FIXED_HEADER_LENGTH = 12;
    /** Length of one CSRC entry. */
    public static final int CSRC_LENGTH = 4;
    /** Length of the extension's own header (profile id and length). */
    public static final int EXTENSION_HEADER_LENGTH = 4;
    /** The only RTP version there is (RFC 3550 §5.1). */
    public static final int RTP_VERSION = 2;
    /**
     * Largest packet accepted: a 1500-octet Ethernet MTU less IPv4 and UDP headers. Telephony packets are far
     * smaller (172 octets for 20 ms of G.711); anything bigger is hostile or broken.
     */
    public static final int MAX_PACKET_LENGTH = 1472;

    /** The packet is well formed. */
    public static final int VALID = 0;
    /** Shorter than its header, CSRC list or extension claim. */
    public static final int TRUNCATED = 1;
    /** Version field is not 2. */
    public static final int BAD_VERSION = 2;
    /** The padding count is zero or runs into the header. */
    public static final int BAD_PADDING = 3;
    /** Longer than {@link #MAX_PACKET_LENGTH}. */
    public static final int OVERSIZED = 4;

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int payloadOffset;
    private int payloadLength;

    /**
     * Lays the flyweight over {@code length} bytes at {@code offset} and validates them.
     *
     * @return {@link #VALID} or the reason the bytes are not an RTP packet
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.payloadOffset = 0;
        this.payloadLength = 0;
        if (length > MAX_PACKET_LENGTH) {
            return OVERSIZED;
        }
        if (length < FIXED_HEADER_LENGTH) {
            return TRUNCATED;
        }
        final int first = buffer.getByte(offset + VPXCC_OFFSET) & 0xFF;
        if (first >>> 6 != RTP_VERSION) {
            return BAD_VERSION;
        }
        int headerLength = FIXED_HEADER_LENGTH + (first & 0x0F) * CSRC_LENGTH;
        if (length < headerLength) {
            return TRUNCATED;
        }
        if ((first & 0x10) != 0) {
            if (length < headerLength + EXTENSION_HEADER_LENGTH) {
                return TRUNCATED;
            }
            final int words = buffer.getShort(offset + headerLength + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            headerLength += EXTENSION_HEADER_LENGTH + words * 4;
            if (length < headerLength) {
                return TRUNCATED;
            }
        }
        int padding = 0;
        if ((first & 0x20) != 0) {
            padding = buffer.getByte(offset + length - 1) & 0xFF;
            if (padding == 0 || headerLength + padding > length) {
                return BAD_PADDING;
            }
        }
        this.payloadOffset = offset + headerLength;
        this.payloadLength = length - headerLength - padding;
        return VALID;
    }

    /** The version field (2 for a valid packet). */
    public int version() {
        return (buffer.getByte(offset + VPXCC_OFFSET) & 0xFF) >>> 6;
    }

    /** Whether the padding bit is set. */
    public boolean padding() {
        return (buffer.getByte(offset + VPXCC_OFFSET) & 0x20) != 0;
    }

    /** Whether a header extension follows the CSRC list. */
    public boolean extension() {
        return (buffer.getByte(offset + VPXCC_OFFSET) & 0x10) != 0;
    }

    /** Number of CSRC entries. */
    public int csrcCount() {
        return buffer.getByte(offset + VPXCC_OFFSET) & 0x0F;
    }

    /** The marker bit. */
    public boolean marker() {
        return (buffer.getByte(offset + MPT_OFFSET) & 0x80) != 0;
    }

    /** The payload type, 0-127. */
    public int payloadType() {
        return buffer.getByte(offset + MPT_OFFSET) & 0x7F;
    }

    /** The sequence number, 0-65535. */
    public int sequenceNumber() {
        return buffer.getShort(offset + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /** The timestamp as an unsigned 32-bit value. */
    public long timestamp() {
        return buffer.getInt(offset + TIMESTAMP_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    /** The SSRC as raw 32 bits. */
    public int ssrc() {
        return buffer.getInt(offset + SSRC_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /** The wrapped buffer. */
    public DirectBuffer buffer() {
        return buffer;
    }

    /** Where the payload starts in {@link #buffer()}. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Payload octets, padding excluded. */
    public int payloadLength() {
        return payloadLength;
    }

    /** Octets wrapped. */
    public int length() {
        return length;
    }

    /**
     * Writes a fixed 12-octet header with no CSRC, extension or padding.
     *
     * @return {@link #FIXED_HEADER_LENGTH}, where the payload goes
     */
    public static int writeHeader(final MutableDirectBuffer buffer, final int offset, final boolean marker,
                                  final int payloadType, final int sequenceNumber, final long timestamp, final int ssrc) {
        buffer.putByte(offset + VPXCC_OFFSET, (byte) (RTP_VERSION << 6));
        buffer.putByte(offset + MPT_OFFSET, (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F)));
        buffer.putShort(offset + SEQUENCE_OFFSET, (short) sequenceNumber, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + TIMESTAMP_OFFSET, (int) timestamp, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + SSRC_OFFSET, ssrc, ByteOrder.BIG_ENDIAN);
        return FIXED_HEADER_LENGTH;
    }
}
