package io.voxgate.websocket.twilio.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.voxgate.websocket.frame.WebSocketFrameReader;
import io.voxgate.websocket.frame.WebSocketFrameWriter;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;

/**
 * Writes the three messages a bidirectional stream may send to Twilio, with exactly the documented fields and no
 * others (T-WSM; an unexpected field earns warning 31951):
 *
 * <pre>
 *   {"event":"media","streamSid":"MZ..","media":{"payload":"&lt;base64 mu-law&gt;"}}
 *   {"event":"mark","streamSid":"MZ..","mark":{"name":"m&lt;n&gt;"}}
 *   {"event":"clear","streamSid":"MZ.."}
 * </pre>
 *
 * Each message comes out as one complete WebSocket text frame (RFC 6455 §5.2: FIN, opcode 1, unmasked as a server
 * sends it) in one buffer from the channel's pooled allocator, so a frame costs one pooled allocation, one copy of
 * the audio (as base64) and no garbage: the JSON around the payload is preassembled per stream with its streamSid.
 * The frame goes to the socket as written: no WebSocket encoder sits in the stream's pipeline.
 *
 * <p>Threading: one instance per stream, on its event loop. Ownership: each method returns a new buffer owned by
 * the caller, who writes it (Netty then releases it) or releases it.
 */
public final class MediaMessageEncoder {
    private static final byte[] PAYLOAD_SUFFIX = ascii("\"}}");
    private static final byte[] MARK_SUFFIX = ascii("\"}}");
    private static final int MAX_MARK_DIGITS = 19;

    private final byte[] mediaPrefix;
    private final byte[] markPrefix;
    private final byte[] clear;

    /**
     * An encoder for one stream.
     *
     * @param streamSid the stream's id: ASCII letters and digits only, so it needs no JSON escaping
     * @throws IllegalArgumentException when {@code streamSid} has other characters
     */
    public MediaMessageEncoder(final String streamSid) {
        if (!TwilioSid.isValid(streamSid)) {
            throw new IllegalArgumentException("streamSid must be 2-64 ASCII letters and digits, was '" + streamSid + "'");
        }
        this.mediaPrefix = ascii("{\"event\":\"media\",\"streamSid\":\"" + streamSid + "\",\"media\":{\"payload\":\"");
        this.markPrefix = ascii("{\"event\":\"mark\",\"streamSid\":\"" + streamSid + "\",\"mark\":{\"name\":\"m");
        this.clear = ascii("{\"event\":\"clear\",\"streamSid\":\"" + streamSid + "\"}");
    }

    /** A media frame carrying {@code length} bytes of mu-law from {@code audio} at {@code offset}, as base64. */
    public ByteBuf media(final ByteBufAllocator alloc, final DirectBuffer audio, final int offset, final int length) {
        final int json = mediaPrefix.length + Base64Encoder.encodedLength(length) + PAYLOAD_SUFFIX.length;
        final ByteBuf frame = alloc.ioBuffer(headerLength(json) + json);
        writeHeader(frame, json);
        frame.writeBytes(mediaPrefix);
        Base64Encoder.encode(audio, offset, length, frame);
        frame.writeBytes(PAYLOAD_SUFFIX);
        return frame;
    }

    /** A mark frame named {@code m<markNo>}. */
    public ByteBuf mark(final ByteBufAllocator alloc, final long markNo) {
        final int digits = digits(markNo);
        final int json = markPrefix.length + digits + MARK_SUFFIX.length;
        final ByteBuf frame = alloc.ioBuffer(headerLength(json) + json);
        writeHeader(frame, json);
        frame.writeBytes(markPrefix);
        long rest = markNo;
        final int end = frame.writerIndex() + digits;
        for (int i = end - 1; i >= frame.writerIndex(); i--) {
            frame.setByte(i, (int) ('0' + rest % 10));
            rest /= 10;
        }
        frame.writerIndex(end);
        frame.writeBytes(MARK_SUFFIX);
        return frame;
    }

    /** A clear frame. */
    public ByteBuf clear(final ByteBufAllocator alloc) {
        final ByteBuf frame = alloc.ioBuffer(headerLength(clear.length) + clear.length);
        writeHeader(frame, clear.length);
        frame.writeBytes(clear);
        return frame;
    }

    private static int headerLength(final int payloadLength) {
        return WebSocketFrameWriter.headerLength(payloadLength);
    }

    private static void writeHeader(final ByteBuf frame, final int payloadLength) {
        WebSocketFrameWriter.writeHeader(frame, WebSocketFrameReader.OPCODE_TEXT, payloadLength);
    }

    private static int digits(final long value) {
        long limit = 10;
        for (int d = 1; d < MAX_MARK_DIGITS; d++) {
            if (value < limit) {
                return d;
            }
            limit *= 10;
        }
        return MAX_MARK_DIGITS;
    }

    private static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
