package io.voxgate.websocket.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads WebSocket frames (RFC 6455 §5.2, layout drawn in {@link WebSocketFrameWriter}) in place from received bytes:
 * a masked payload is unmasked where it lies, eight bytes at a time, and handed on as a view, with no copy and no
 * per-frame object. The same reader serves both legs; what differs is the peer's masking rule (§5.1):
 * {@link #clientFrames} for a server (every client frame must be masked; an unmasked one is refused) and
 * {@link #serverFrames} for a client (server frames are unmasked; a masked one is unmasked rather than refused,
 * which RFC 6455 permits and costs nothing).
 *
 * <p>Only whole frames are consumed; a partial frame stays in the input until more bytes arrive, and a header
 * announcing more than {@code maxMessageBytes} is refused at once, before its payload is waited for. Binary frames
 * are delivered as they come (audio is a byte stream); text fragments are joined. Every message, text or binary, is
 * held to {@code maxMessageBytes} over all its fragments. Text is not checked for UTF-8 (the readers of each
 * message validate what they use); a close frame's reason is.
 *
 * <table>
 *   <caption>What stops reading, and the close status it calls for</caption>
 *   <tr><th>Input</th><th>Status</th></tr>
 *   <tr><td>frame or message over {@code maxMessageBytes}</td><td>1009</td></tr>
 *   <tr><td>RSV bits set (no extension is ever negotiated), reserved opcode, unmasked client frame</td><td>1002</td></tr>
 *   <tr><td>fragmented control frame, control payload over 125 bytes, close payload of 1 byte</td><td>1002</td></tr>
 *   <tr><td>continuation without a message, new message inside a fragmented one</td><td>1002</td></tr>
 *   <tr><td>length not in its shortest form, close status code not allowed on the wire (§7.4)</td><td>1002</td></tr>
 *   <tr><td>close reason not UTF-8</td><td>1007</td></tr>
 * </table>
 *
 * After a close frame nothing more is read (§5.5.1: it is the peer's last frame). Pongs are dropped.
 *
 * <p>Threading: one instance per socket, confined to its event loop. Ownership: the input stays the caller's (its
 * masked payloads are unmasked in place); views handed to the {@link FrameSink} are valid only during the callback.
 */
public final class WebSocketFrameReader {
    /** Receives what the frames carry; every view is borrowed for the callback only. */
    public interface FrameSink {
        /** A binary frame (or fragment) of a message; {@code last} on its final fragment. */
        void onBinary(DirectBuffer payload, int offset, int length, boolean last);

        /** A whole text message, its fragments joined; UTF-8 as the peer sent it. */
        void onText(DirectBuffer utf8, int offset, int length);

        /** The peer's close frame; {@code statusCode} is {@link #NO_STATUS_CODE} when it carried none. */
        void onClose(int statusCode);

        /** A ping whose payload must be echoed in a pong (RFC 6455 §5.5.2). */
        void onPing(DirectBuffer payload, int offset, int length);
    }

    /** Status reported when a close frame carries no code (RFC 6455 §7.1.5). */
    public static final int NO_STATUS_CODE = 1005;
    /** Opcode of a continuation frame (RFC 6455 §5.2). */
    public static final int OPCODE_CONTINUATION = 0x0;
    /** Opcode of a text frame. */
    public static final int OPCODE_TEXT = 0x1;
    /** Opcode of a binary frame. */
    public static final int OPCODE_BINARY = 0x2;
    /** Opcode of a close frame (RFC 6455 §5.5.1). */
    public static final int OPCODE_CLOSE = 0x8;
    /** Opcode of a ping frame (RFC 6455 §5.5.2). */
    public static final int OPCODE_PING = 0x9;
    /** Opcode of a pong frame (RFC 6455 §5.5.3). */
    public static final int OPCODE_PONG = 0xA;

    private static final int PROTOCOL_ERROR = WebSocketCloseStatus.PROTOCOL_ERROR.code();
    private static final int INVALID_PAYLOAD = WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code();
    private static final int MESSAGE_TOO_BIG = WebSocketCloseStatus.MESSAGE_TOO_BIG.code();
    private static final int MAX_CONTROL_PAYLOAD = 125;
    private static final int NO_MESSAGE = -1;
    private static final boolean NATIVE_BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private final boolean masksRequired;
    private final int maxMessageBytes;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private int messageOpcode = NO_MESSAGE;
    private long messageBytes;
    private ExpandableArrayBuffer joinedText;
    private int joinedLength;
    private byte[] copyScratch;
    private boolean closed;
    private int failureStatus;
    private String failure;

    private WebSocketFrameReader(final boolean masksRequired, final int maxMessageBytes) {
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive, was " + maxMessageBytes);
        }
        this.masksRequired = masksRequired;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * A server's reader of its client's frames, which must all be masked (RFC 6455 §5.1).
     *
     * @throws IllegalArgumentException when {@code maxMessageBytes} is not positive
     */
    public static WebSocketFrameReader clientFrames(final int maxMessageBytes) {
        return new WebSocketFrameReader(true, maxMessageBytes);
    }

    /**
     * A client's reader of its server's frames, unmasked (a masked one is unmasked, not refused).
     *
     * @throws IllegalArgumentException when {@code maxMessageBytes} is not positive
     */
    public static WebSocketFrameReader serverFrames(final int maxMessageBytes) {
        return new WebSocketFrameReader(false, maxMessageBytes);
    }

    /**
     * Reads every whole frame readable in {@code in}, advancing its reader index past each one before it is
     * delivered. After the peer's close frame, or a failure, the rest of the input is skipped.
     *
     * @return the number of frames read, or {@code -1} once reading failed (see {@link #failure()})
     */
    public int read(final ByteBuf in, final FrameSink sink) {
        if (failure != null) {
            in.skipBytes(in.readableBytes());
            return -1;
        }
        int frames = 0;
        while (!closed) {
            final int start = in.readerIndex();
            final int readable = in.readableBytes();
            if (readable < 2) {
                return frames;
            }
            final int b0 = in.getUnsignedByte(start);
            final int b1 = in.getUnsignedByte(start + 1);
            final boolean fin = (b0 & 0x80) != 0;
            final int opcode = b0 & 0x0F;
            final boolean masked = (b1 & 0x80) != 0;
            final int length7 = b1 & 0x7F;
            if (!headerAllowed(b0, fin, opcode, masked, length7)) {
                return fail(in);
            }
            long payloadLength = length7;
            int headerLength = 2;
            if (length7 == 126) {
                if (readable < 4) {
                    return frames;
                }
                payloadLength = in.getUnsignedShort(start + 2);
                headerLength = 4;
                if (payloadLength < 126) {
                    return fail(in, PROTOCOL_ERROR, "frame length not in its shortest form");
                }
            } else if (length7 == 127) {
                if (readable < 10) {
                    return frames;
                }
                payloadLength = in.getLong(start + 2);
                headerLength = 10;
                // A negative length (top bit set) is refused here too: RFC 6455 §5.2 says that bit must be 0.
                if (payloadLength <= 0xFFFF) {
                    return fail(in, PROTOCOL_ERROR, "frame length not in its shortest form");
                }
            }
            if (payloadLength > maxMessageBytes) {
                return fail(in, MESSAGE_TOO_BIG, "Max frame length of " + maxMessageBytes + " bytes exceeded");
            }
            final int maskIndex = start + headerLength;
            if (masked) {
                headerLength += 4;
            }
            final int length = (int) payloadLength;
            if (readable < headerLength + length) {
                return frames;
            }
            final int payloadIndex = start + headerLength;
            if (masked) {
                unmask(in, payloadIndex, length, in.getInt(maskIndex));
            }
            in.readerIndex(payloadIndex + length);
            if (!deliver(in, opcode, fin, payloadIndex, length, sink)) {
                return fail(in);
            }
            frames++;
        }
        in.skipBytes(in.readableBytes());
        return frames;
    }

    /** Whether the peer's close frame has been read: nothing after it is. */
    public boolean closed() {
        return closed;
    }

    /** Why reading stopped, or {@code null} while the stream is well formed. */
    public String failure() {
        return failure;
    }

    /** The close status the failure calls for (RFC 6455 §7.4.1: 1002, 1007 or 1009), or 0 while well formed. */
    public int failureStatus() {
        return failureStatus;
    }

    /** The RFC 6455 §5.2 rules that the first two bytes alone decide. */
    private boolean headerAllowed(final int b0, final boolean fin, final int opcode, final boolean masked, final int length7) {
        if ((b0 & 0x70) != 0) {
            return refuse("reserved bits set without a negotiated extension");
        }
        if (masksRequired && !masked) {
            return refuse("client frame not masked");
        }
        if (opcode >= OPCODE_CLOSE) {
            if (opcode > OPCODE_PONG) {
                return refuse("reserved control opcode " + opcode);
            }
            // RFC 6455 §5.5: control frames are never fragmented and carry at most 125 bytes.
            if (!fin || length7 > MAX_CONTROL_PAYLOAD) {
                return refuse("fragmented or oversized control frame");
            }
            if (opcode == OPCODE_CLOSE && length7 == 1) {
                return refuse("close frame with a one-byte payload");
            }
            return true;
        }
        if (opcode > OPCODE_BINARY) {
            return refuse("reserved data opcode " + opcode);
        }
        if (opcode == OPCODE_CONTINUATION && messageOpcode == NO_MESSAGE) {
            return refuse("continuation frame without a message to continue");
        }
        if (opcode != OPCODE_CONTINUATION && messageOpcode != NO_MESSAGE) {
            return refuse("new message inside a fragmented one");
        }
        return true;
    }

    private boolean deliver(final ByteBuf in, final int opcode, final boolean fin, final int payloadIndex, final int length,
                            final FrameSink sink) {
        switch (opcode) {
            case OPCODE_TEXT:
                if (fin) {
                    wrap(in, payloadIndex, length);
                    sink.onText(view, 0, length);
                } else {
                    messageOpcode = OPCODE_TEXT;
                    joinedLength = 0;
                    appendText(in, payloadIndex, length);
                }
                return true;
            case OPCODE_BINARY:
                messageOpcode = fin ? NO_MESSAGE : OPCODE_BINARY;
                messageBytes = length;
                wrap(in, payloadIndex, length);
                sink.onBinary(view, 0, length, fin);
                return true;
            case OPCODE_CONTINUATION:
                return deliverContinuation(in, fin, payloadIndex, length, sink);
            case OPCODE_CLOSE:
                return deliverClose(in, payloadIndex, length, sink);
            case OPCODE_PING:
                wrap(in, payloadIndex, length);
                sink.onPing(view, 0, length);
                return true;
            default:
                // A pong answers a ping this side never sends; nothing to do (RFC 6455 §5.5.3).
                return true;
        }
    }

    private boolean deliverContinuation(final ByteBuf in, final boolean fin, final int payloadIndex, final int length,
                                        final FrameSink sink) {
        if (messageOpcode == OPCODE_TEXT) {
            if ((long) joinedLength + length > maxMessageBytes) {
                return tooBig();
            }
            appendText(in, payloadIndex, length);
            if (fin) {
                messageOpcode = NO_MESSAGE;
                sink.onText(joinedText, 0, joinedLength);
            }
            return true;
        }
        messageBytes += length;
        if (messageBytes > maxMessageBytes) {
            return tooBig();
        }
        if (fin) {
            messageOpcode = NO_MESSAGE;
        }
        wrap(in, payloadIndex, length);
        sink.onBinary(view, 0, length, fin);
        return true;
    }

    private boolean deliverClose(final ByteBuf in, final int payloadIndex, final int length, final FrameSink sink) {
        int statusCode = NO_STATUS_CODE;
        if (length >= 2) {
            statusCode = in.getUnsignedShort(payloadIndex);
            if (!WebSocketCloseStatus.isValidStatusCode(statusCode)) {
                return refuse("close status code " + statusCode + " is not allowed on the wire");
            }
            if (!ByteBufUtil.isText(in, payloadIndex + 2, length - 2, StandardCharsets.UTF_8)) {
                failureStatus = INVALID_PAYLOAD;
                failure = "close reason is not UTF-8";
                return false;
            }
        }
        closed = true;
        sink.onClose(statusCode);
        return true;
    }

    private void wrap(final ByteBuf in, final int index, final int length) {
        if (in.hasMemoryAddress()) {
            view.wrap(in.memoryAddress() + index, length);
        } else if (in.hasArray()) {
            view.wrap(in.array(), in.arrayOffset() + index, length);
        } else {
            // A composite input has no single backing store: copy once into scratch kept for the socket's life.
            if (copyScratch == null || copyScratch.length < length) {
                copyScratch = new byte[Math.max(length, 4096)];
            }
            in.getBytes(index, copyScratch, 0, length);
            view.wrap(copyScratch, 0, length);
        }
    }

    private void appendText(final ByteBuf in, final int index, final int length) {
        if (joinedText == null) {
            joinedText = new ExpandableArrayBuffer(Math.max(length, 256));
        }
        joinedText.checkLimit(joinedLength + length);
        in.getBytes(index, joinedText.byteArray(), joinedLength, length);
        joinedLength += length;
    }

    /**
     * XORs the payload with the masking key where it lies (RFC 6455 §5.3), eight bytes at a time through a view of
     * the buffer's memory in the machine's byte order; a buffer without one (composite) is unmasked through its own
     * accessors.
     */
    private void unmask(final ByteBuf in, final int payloadIndex, final int length, final int maskKey) {
        final long mask64 = ((long) maskKey << 32) | (maskKey & 0xFFFF_FFFFL);
        if (in.hasMemoryAddress() || in.hasArray()) {
            wrap(in, payloadIndex, length);
            final long nativeMask = NATIVE_BIG_ENDIAN ? mask64 : Long.reverseBytes(mask64);
            int i = 0;
            for (; i + 8 <= length; i += 8) {
                view.putLong(i, view.getLong(i) ^ nativeMask);
            }
            for (; i < length; i++) {
                view.putByte(i, (byte) (view.getByte(i) ^ (maskKey >>> (24 - ((i & 3) << 3)))));
            }
            return;
        }
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            in.setLong(payloadIndex + i, in.getLong(payloadIndex + i) ^ mask64);
        }
        for (; i < length; i++) {
            in.setByte(payloadIndex + i, in.getByte(payloadIndex + i) ^ (maskKey >>> (24 - ((i & 3) << 3))));
        }
    }

    private boolean refuse(final String reason) {
        failureStatus = PROTOCOL_ERROR;
        failure = reason;
        return false;
    }

    private boolean tooBig() {
        failureStatus = MESSAGE_TOO_BIG;
        failure = "message over " + maxMessageBytes + " bytes";
        return false;
    }

    private int fail(final ByteBuf in, final int status, final String reason) {
        failureStatus = status;
        failure = reason;
        return fail(in);
    }

    private int fail(final ByteBuf in) {
        in.skipBytes(in.readableBytes());
        return -1;
    }
}
