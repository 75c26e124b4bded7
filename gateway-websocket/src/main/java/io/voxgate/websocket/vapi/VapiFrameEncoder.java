package io.voxgate.websocket.vapi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes client-to-server WebSocket frames (RFC 6455 §5.2) for the Vapi transport socket straight into pooled
 * {@link ByteBuf}s, so caller audio reaches the wire with one copy and no per-frame objects.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 *  | |1|2|3|       |K|             |                               |
 *  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *  |     Extended payload length continued, if payload len == 127  |
 *  + - - - - - - - - - - - - - - - +-------------------------------+
 *  |                               |Masking-key, if MASK set to 1  |
 *  +-------------------------------+-------------------------------+
 *  | Masking-key (continued)       |          Payload Data         |
 *  +-------------------------------- - - - - - - - - - - - - - - - +
 * </pre>
 *
 * <p>A client masks every frame it sends (RFC 6455 §5.3); the caller supplies the 32-bit masking key.
 *
 * <p>Threading: one instance per socket, confined to the socket's event loop (it keeps a scratch view).
 * Ownership: every returned {@code ByteBuf} belongs to the caller, who writes it to the channel (which then
 * releases it) or releases it. Source audio is borrowed and only read during the call.
 */
public final class VapiFrameEncoder {
    /** Opcode of a text frame (RFC 6455 §5.6). */
    public static final int OPCODE_TEXT = 0x1;
    /** Opcode of a binary frame (RFC 6455 §5.6). */
    public static final int OPCODE_BINARY = 0x2;
    /** Opcode of a close frame (RFC 6455 §5.5.1). */
    public static final int OPCODE_CLOSE = 0x8;
    /** Opcode of a pong frame (RFC 6455 §5.5.3). */
    public static final int OPCODE_PONG = 0xA;

    private static final int FIN = 0x80;
    private static final int MASK = 0x80;

    private final UnsafeBuffer scratch = new UnsafeBuffer(0, 0);

    /**
     * One masked binary frame carrying {@code length} bytes of {@code audio} from {@code offset}.
     *
     * @return a new buffer owned by the caller
     */
    public ByteBuf binaryFrame(final ByteBufAllocator alloc, final DirectBuffer audio, final int offset, final int length,
                               final int maskKey) {
        final ByteBuf out = alloc.directBuffer(headerLength(length) + length);
        writeHeader(out, OPCODE_BINARY, length, maskKey);
        final int payloadIndex = out.writerIndex();
        copyInto(out, audio, offset, length);
        mask(out, payloadIndex, length, maskKey);
        return out;
    }

    /**
     * One masked frame of {@code opcode} carrying {@code length} bytes of {@code payload} from {@code offset}.
     *
     * @return a new buffer owned by the caller
     */
    public ByteBuf frame(final ByteBufAllocator alloc, final int opcode, final byte[] payload, final int offset, final int length,
                         final int maskKey) {
        final ByteBuf out = alloc.directBuffer(headerLength(length) + length);
        writeHeader(out, opcode, length, maskKey);
        final int payloadIndex = out.writerIndex();
        out.writeBytes(payload, offset, length);
        mask(out, payloadIndex, length, maskKey);
        return out;
    }

    /**
     * A masked close frame with {@code statusCode} (RFC 6455 §7.4) and no reason text.
     *
     * @return a new buffer owned by the caller
     */
    public ByteBuf closeFrame(final ByteBufAllocator alloc, final int statusCode, final int maskKey) {
        final ByteBuf out = alloc.directBuffer(headerLength(2) + 2);
        writeHeader(out, OPCODE_CLOSE, 2, maskKey);
        final int payloadIndex = out.writerIndex();
        out.writeShort(statusCode);
        mask(out, payloadIndex, 2, maskKey);
        return out;
    }

    /**
     * A masked pong frame echoing {@code length} bytes of a ping's payload from {@code offset} (RFC 6455 §5.5.3).
     *
     * @return a new buffer owned by the caller
     */
    public ByteBuf pongFrame(final ByteBufAllocator alloc, final DirectBuffer ping, final int offset, final int length,
                             final int maskKey) {
        final ByteBuf out = alloc.directBuffer(headerLength(length) + length);
        writeHeader(out, OPCODE_PONG, length, maskKey);
        final int payloadIndex = out.writerIndex();
        copyInto(out, ping, offset, length);
        mask(out, payloadIndex, length, maskKey);
        return out;
    }

    /** Bytes of header (including the 4-byte masking key) a client frame of {@code payloadLength} needs. */
    public static int headerLength(final int payloadLength) {
        if (payloadLength <= 125) {
            return 2 + 4;
        }
        return payloadLength <= 0xFFFF ? 4 + 4 : 10 + 4;
    }

    private static void writeHeader(final ByteBuf out, final int opcode, final int length, final int maskKey) {
        out.writeByte(FIN | opcode);
        if (length <= 125) {
            out.writeByte(MASK | length);
        } else if (length <= 0xFFFF) {
            out.writeByte(MASK | 126);
            out.writeShort(length);
        } else {
            out.writeByte(MASK | 127);
            out.writeLong(length);
        }
        out.writeInt(maskKey);
    }

    private void copyInto(final ByteBuf out, final DirectBuffer src, final int offset, final int length) {
        final byte[] array = src.byteArray();
        if (array != null) {
            out.writeBytes(array, src.wrapAdjustment() + offset, length);
            return;
        }
        final int writerIndex = out.writerIndex();
        out.ensureWritable(length);
        if (out.hasMemoryAddress()) {
            scratch.wrap(out.memoryAddress() + writerIndex, length);
            scratch.putBytes(0, src, offset, length);
            out.writerIndex(writerIndex + length);
            return;
        }
        for (int i = 0; i < length; i++) {
            out.writeByte(src.getByte(offset + i));
        }
    }

    /** XORs the payload with the masking key in place, eight bytes at a time (RFC 6455 §5.3). */
    private static void mask(final ByteBuf out, final int payloadIndex, final int length, final int maskKey) {
        final long mask64 = ((long) maskKey << 32) | (maskKey & 0xFFFF_FFFFL);
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            out.setLong(payloadIndex + i, out.getLong(payloadIndex + i) ^ mask64);
        }
        for (; i < length; i++) {
            out.setByte(payloadIndex + i, out.getByte(payloadIndex + i) ^ (maskKey >>> (24 - ((i & 3) << 3))));
        }
    }
}
