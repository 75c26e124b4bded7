package io.voxgate.websocket.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;

/**
 * Writes a server's WebSocket frames (RFC 6455 §5.2; unmasked, as a server sends them, §5.1) straight into one pooled
 * buffer each: header and payload together, no frame object, no encoder in the pipeline.
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
 * <p>Threading: stateless. Ownership: every returned buffer belongs to the caller, who writes it (Netty then
 * releases it) or releases it; sources are borrowed for the call.
 */
public final class WebSocketFrameWriter {
    private static final int FIN = 0x80;
    /** RFC 6455 §5.5: a control frame's payload is at most 125 bytes, two of which hold a close status code. */
    private static final int MAX_CLOSE_REASON_BYTES = 123;

    private WebSocketFrameWriter() {
    }

    /** Bytes of header an unmasked frame of {@code payloadLength} needs. */
    public static int headerLength(final int payloadLength) {
        return payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
    }

    /** Writes the header of an unmasked final frame of {@code opcode} carrying {@code payloadLength} bytes. */
    public static void writeHeader(final ByteBuf out, final int opcode, final int payloadLength) {
        out.writeByte(FIN | opcode);
        if (payloadLength < 126) {
            out.writeByte(payloadLength);
        } else if (payloadLength <= 0xFFFF) {
            out.writeByte(126);
            out.writeShort(payloadLength);
        } else {
            out.writeByte(127);
            out.writeLong(payloadLength);
        }
    }

    /** A text frame carrying {@code utf8}. */
    public static ByteBuf textFrame(final ByteBufAllocator alloc, final byte[] utf8) {
        final ByteBuf out = alloc.ioBuffer(headerLength(utf8.length) + utf8.length);
        writeHeader(out, WebSocketFrameReader.OPCODE_TEXT, utf8.length);
        out.writeBytes(utf8);
        return out;
    }

    /** A pong echoing {@code length} bytes of a ping's payload from {@code offset} (RFC 6455 §5.5.3). */
    public static ByteBuf pongFrame(final ByteBufAllocator alloc, final DirectBuffer ping, final int offset, final int length) {
        final ByteBuf out = alloc.ioBuffer(headerLength(length) + length);
        writeHeader(out, WebSocketFrameReader.OPCODE_PONG, length);
        for (int i = 0; i < length; i++) {
            out.writeByte(ping.getByte(offset + i));
        }
        return out;
    }

    /**
     * A close frame with {@code statusCode} (RFC 6455 §7.4) and {@code reason}, which must be at most 123 UTF-8
     * bytes; {@link WebSocketFrameReader#NO_STATUS_CODE} writes an empty close frame (§5.5.1).
     *
     * @throws IllegalArgumentException when the reason is longer
     */
    public static ByteBuf closeFrame(final ByteBufAllocator alloc, final int statusCode, final String reason) {
        if (statusCode == WebSocketFrameReader.NO_STATUS_CODE) {
            final ByteBuf out = alloc.ioBuffer(2);
            writeHeader(out, WebSocketFrameReader.OPCODE_CLOSE, 0);
            return out;
        }
        final byte[] text = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        if (text.length > MAX_CLOSE_REASON_BYTES) {
            throw new IllegalArgumentException("close reason of " + text.length + " bytes exceeds " + MAX_CLOSE_REASON_BYTES);
        }
        final ByteBuf out = alloc.ioBuffer(2 + 2 + text.length);
        writeHeader(out, WebSocketFrameReader.OPCODE_CLOSE, 2 + text.length);
        out.writeShort(statusCode);
        out.writeBytes(text);
        return out;
    }
}
