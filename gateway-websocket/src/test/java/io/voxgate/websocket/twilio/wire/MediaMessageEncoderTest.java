package io.voxgate.websocket.twilio.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class MediaMessageEncoderTest {
    private static final String SID = "MZ18ad3ab5a668481ce02b83e7395059f0";
    private final MediaMessageEncoder encoder = new MediaMessageEncoder(SID);
    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);

    /** Strips and checks the RFC 6455 header of an unmasked final text frame; returns the JSON. */
    private static String payloadOf(final ByteBuf frame) {
        try {
            assertEquals(0x81, frame.readUnsignedByte(), "FIN + text opcode");
            int length = frame.readUnsignedByte();
            assertEquals(0, length & 0x80, "a server frame is not masked");
            if (length == 126) {
                length = frame.readUnsignedShort();
            } else if (length == 127) {
                length = (int) frame.readLong();
            }
            assertEquals(length, frame.readableBytes(), "the header states the payload length");
            return frame.toString(StandardCharsets.US_ASCII);
        } finally {
            frame.release();
        }
    }

    private static List<String> fieldNames(final JsonNode node) {
        final List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void shouldWriteAMediaMessageWithExactlyTheDocumentedFields() throws Exception {
        final byte[] audio = new byte[160];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (byte) (i * 7);
        }
        final JsonNode json = new ObjectMapper().readTree(payloadOf(encoder.media(alloc, new UnsafeBuffer(audio), 0, 160)));
        assertEquals(List.of("event", "streamSid", "media"), fieldNames(json));
        assertEquals(List.of("payload"), fieldNames(json.get("media")));
        assertEquals("media", json.get("event").asText());
        assertEquals(SID, json.get("streamSid").asText());
        assertEquals(Base64.getEncoder().encodeToString(audio), json.get("media").get("payload").asText());
    }

    @Test
    void shouldUseTheExtendedLengthForLargerFrames() throws Exception {
        final byte[] audio = new byte[1600];
        final String json = payloadOf(encoder.media(alloc, new UnsafeBuffer(audio), 0, audio.length));
        assertEquals(Base64.getEncoder().encodeToString(audio), new ObjectMapper().readTree(json).get("media").get("payload").asText());
    }

    @Test
    void shouldNameMarksWithTheirNumber() throws Exception {
        for (final long n : new long[] {1, 9, 10, 12345, Long.MAX_VALUE}) {
            final JsonNode json = new ObjectMapper().readTree(payloadOf(encoder.mark(alloc, n)));
            assertEquals(List.of("event", "streamSid", "mark"), fieldNames(json));
            assertEquals(List.of("name"), fieldNames(json.get("mark")));
            assertEquals("m" + n, json.get("mark").get("name").asText());
        }
    }

    @Test
    void shouldWriteAClearMessage() {
        assertEquals("{\"event\":\"clear\",\"streamSid\":\"" + SID + "\"}", payloadOf(encoder.clear(alloc)));
    }
}
