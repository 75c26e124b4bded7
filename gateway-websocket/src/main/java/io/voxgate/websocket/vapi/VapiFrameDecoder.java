package io.voxgate.websocket.vapi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads server-to-client WebSocket frames (RFC 6455 §5.2, layout drawn in {@link VapiFrameEncoder}) of the Vapi
 * transport socket in place: binary audio is handed on as a view over the received bytes, with no copy and no
 * per-frame object.
 *
 * <p>Only whole frames are consumed; a partial frame stays in the input until more bytes arrive. Binary
 * fragments are delivered as they come (audio is a byte stream); text fragments are joined, up to
 * {@code maxMessageBytes}. A masked server frame is unmasked rather than refused (RFC 6455 §5.1 lets a client
 * refuse it; being lenient costs nothing). Anything else malformed stops decoding with
 * {@link #protocolError()} set, and the socket is closed with 1002.
 *
 * <p>Threading: one instance per socket, confined to its event loop. Ownership: the input stays the caller's;
 * views and slices handed to the {@link FrameSink} are valid only during the callback.
 */
public final class VapiFrameDecoder {
    /** Receives decoded frames; every argument is borrowed for the callback only. */
    public interface FrameSink {
        /** A binary frame (or fragment): audio in the negotiated format. */
        void onBinary(DirectBuffer audio, int offset, int length);

        /** A complete text message, UTF-8. */
        void onText(ByteBuf utf8);

        /** The peer's close frame; {@code statusCode} is 1005 when the frame carried none (RFC 6455 §7.1.5). */
        void onClose(int statusCode);

        /** A ping whose payload must be echoed in a pong (RFC 6455 §5.5.2). */
        void onPing(ByteBuf payload);
    }

    /** Status code reported when a close frame carries no code (RFC 6455 §7.1.5). */
    public static final int NO_STATUS_CODE = 1005;

    private static final int NO_FRAGMENT = -1;

    private final int maxMessageBytes;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private int fragmentOpcode = NO_FRAGMENT;
    private ByteBuf textFragments;
    private byte[] copyScratch;
    private String protocolError;

    /**
     * A decoder refusing frames and text messages longer than {@code maxMessageBytes}.
     *
     * @throws IllegalArgumentException when {@code maxMessageBytes} is not positive
     */
    public VapiFrameDecoder(final int maxMessageBytes) {
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive, was " + maxMessageBytes);
        }
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Decodes every whole frame readable in {@code in}, advancing its reader index past each one before it is
     * delivered.
     *
     * @return the number of frames decoded, or {@code -1} after a protocol error (see {@link #protocolError()})
     */
    public int decode(final ByteBuf in, final FrameSink sink) {
        if (protocolError != null) {
            return -1;
        }
        int frames = 0;
        while (true) {
            final int start = in.readerIndex();
            final int readable = in.readableBytes();
            if (readable < 2) {
                return frames;
            }
            final int b0 = in.getUnsignedByte(start);
            final int b1 = in.getUnsignedByte(start + 1);
            if ((b0 & 0x70) != 0) {
                return fail("reserved bits set without a negotiated extension");
            }
            final boolean fin = (b0 & 0x80) != 0;
            final int opcode = b0 & 0x0F;
            final boolean masked = (b1 & 0x80) != 0;
            long payloadLength = b1 & 0x7F;
            int headerLength = 2;
            if (payloadLength == 126) {
                if (readable < 4) {
                    return frames;
                }
                payloadLength = in.getUnsignedShort(start + 2);
                headerLength = 4;
            } else if (payloadLength == 127) {
                if (readable < 10) {
                    return frames;
                }
                payloadLength = in.getLong(start + 2);
                headerLength = 10;
            }
            if (payloadLength < 0 || payloadLength > maxMessageBytes) {
                return fail("frame payload of " + payloadLength + " bytes exceeds " + maxMessageBytes);
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
                return -1;
            }
            frames++;
        }
    }

    /** Why decoding stopped, or {@code null} while the stream is well formed. */
    public String protocolError() {
        return protocolError;
    }

    /** Releases the text fragments held for an unfinished message; call once when the socket is gone. */
    public void release() {
        if (textFragments != null) {
            textFragments.release();
            textFragments = null;
        }
    }

    private boolean deliver(final ByteBuf in, final int opcode, final boolean fin, final int payloadIndex, final int length,
                            final FrameSink sink) {
        switch (opcode) {
            case VapiFrameEncoder.OPCODE_BINARY:
                if (fragmentOpcode != NO_FRAGMENT) {
                    return fail("binary frame inside a fragmented message") >= 0;
                }
                fragmentOpcode = fin ? NO_FRAGMENT : VapiFrameEncoder.OPCODE_BINARY;
                deliverBinary(in, payloadIndex, length, sink);
                return true;
            case VapiFrameEncoder.OPCODE_TEXT:
                if (fragmentOpcode != NO_FRAGMENT) {
                    return fail("text frame inside a fragmented message") >= 0;
                }
                if (fin) {
                    sink.onText(in.slice(payloadIndex, length));
                } else {
                    fragmentOpcode = VapiFrameEncoder.OPCODE_TEXT;
                    appendText(in, payloadIndex, length);
                }
                return true;
            case 0x0:
                return deliverContinuation(in, fin, payloadIndex, length, sink);
            case VapiFrameEncoder.OPCODE_CLOSE:
            case 0x9:
            case VapiFrameEncoder.OPCODE_PONG:
                return deliverControl(in, opcode, fin, payloadIndex, length, sink);
            default:
                return fail("unknown opcode " + opcode) >= 0;
        }
    }

    private boolean deliverContinuation(final ByteBuf in, final boolean fin, final int payloadIndex, final int length,
                                        final FrameSink sink) {
        if (fragmentOpcode == VapiFrameEncoder.OPCODE_BINARY) {
            if (fin) {
                fragmentOpcode = NO_FRAGMENT;
            }
            deliverBinary(in, payloadIndex, length, sink);
            return true;
        }
        if (fragmentOpcode == VapiFrameEncoder.OPCODE_TEXT) {
            if (textFragments.readableBytes() + length > maxMessageBytes) {
                return fail("fragmented text message exceeds " + maxMessageBytes + " bytes") >= 0;
            }
            appendText(in, payloadIndex, length);
            if (fin) {
                fragmentOpcode = NO_FRAGMENT;
                sink.onText(textFragments);
                textFragments.clear();
            }
            return true;
        }
        return fail("continuation frame without a message to continue") >= 0;
    }

    private boolean deliverControl(final ByteBuf in, final int opcode, final boolean fin, final int payloadIndex, final int length,
                                   final FrameSink sink) {
        // RFC 6455 §5.5: control frames are never fragmented and carry at most 125 bytes.
        if (!fin || length > 125) {
            return fail("fragmented or oversized control frame") >= 0;
        }
        if (opcode == VapiFrameEncoder.OPCODE_CLOSE) {
            sink.onClose(length >= 2 ? in.getUnsignedShort(payloadIndex) : NO_STATUS_CODE);
        } else if (opcode == 0x9) {
            sink.onPing(in.slice(payloadIndex, length));
        }
        return true;
    }

    private void deliverBinary(final ByteBuf in, final int payloadIndex, final int length, final FrameSink sink) {
        if (in.hasMemoryAddress()) {
            view.wrap(in.memoryAddress() + payloadIndex, length);
        } else if (in.hasArray()) {
            view.wrap(in.array(), in.arrayOffset() + payloadIndex, length);
        } else {
            // A composite input has no single backing store: copy once into scratch kept for the socket's life.
            if (copyScratch == null || copyScratch.length < length) {
                copyScratch = new byte[Math.max(length, 4096)];
            }
            in.getBytes(payloadIndex, copyScratch, 0, length);
            view.wrap(copyScratch, 0, length);
        }
        sink.onBinary(view, 0, length);
    }

    private void appendText(final ByteBuf in, final int payloadIndex, final int length) {
        if (textFragments == null) {
            textFragments = Unpooled.buffer(Math.max(length, 256), maxMessageBytes);
        }
        textFragments.writeBytes(in, payloadIndex, length);
    }

    private static void unmask(final ByteBuf in, final int payloadIndex, final int length, final int maskKey) {
        for (int i = 0; i < length; i++) {
            in.setByte(payloadIndex + i, in.getByte(payloadIndex + i) ^ (maskKey >>> (24 - ((i & 3) << 3))));
        }
    }

    private int fail(final String reason) {
        protocolError = reason;
        return -1;
    }
}
