package io.voxgate.websocket.twilio.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.websocket.twilio.wire.MediaMessageFlyweight.Event;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class MediaMessageFlyweightTest {
    private static final String MEDIA = "{\"event\":\"media\",\"sequenceNumber\":\"4\",\"media\":{\"track\":\"inbound\",\"chunk\":\"2\","
        + "\"timestamp\":\"5\",\"payload\":\"no+JhoaJ\"},\"streamSid\":\"MZ18ad3ab5a668481ce02b83e7395059f0\"}";

    private final MediaMessageFlyweight message = new MediaMessageFlyweight();
    private UnsafeBuffer buffer;

    private boolean wrap(final String json) {
        buffer = new UnsafeBuffer(json.getBytes(StandardCharsets.UTF_8));
        return message.wrap(buffer, 0, buffer.capacity());
    }

    private String field(final int offset, final int length) {
        return length < 0 ? null : buffer.getStringWithoutLengthUtf8(offset, length);
    }

    @Test
    void shouldFindTheFieldsOfTwiliosDocumentedMediaMessage() {
        assertTrue(wrap(MEDIA));
        assertEquals(Event.MEDIA, message.event());
        assertEquals("MZ18ad3ab5a668481ce02b83e7395059f0", field(message.streamSidOffset(), message.streamSidLength()));
        assertEquals("no+JhoaJ", field(message.payloadOffset(), message.payloadLength()));
        assertEquals("inbound", field(message.trackOffset(), message.trackLength()));
        assertEquals(2, message.parseDecimal(message.chunkOffset(), message.chunkLength()));
        assertEquals(5, message.parseDecimal(message.timestampOffset(), message.timestampLength()));
        assertEquals(4, message.parseDecimal(message.sequenceNumberOffset(), message.sequenceNumberLength()));
        assertFalse(message.escaped());
    }

    @Test
    void shouldFindFieldsInAnyOrderAndWithAnyWhitespace() {
        assertTrue(wrap(" {\n\t\"streamSid\" : \"MZ1\" ,\r\n \"media\" : { \"payload\" : \"AAAA\" , \"track\":\"inbound\" } , "
            + "\"event\" : \"media\" }\n"));
        assertEquals(Event.MEDIA, message.event());
        assertEquals("MZ1", field(message.streamSidOffset(), message.streamSidLength()));
        assertEquals("AAAA", field(message.payloadOffset(), message.payloadLength()));
    }

    @Test
    void shouldClassifyEveryDocumentedEvent() {
        final String[][] cases = {
            {"{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}", "CONNECTED"},
            {"{\"event\":\"start\",\"start\":{\"customParameters\":{\"a\":\"b\"},\"tracks\":[\"inbound\"],"
                + "\"mediaFormat\":{\"sampleRate\":8000,\"channels\":1}}}", "START"},
            {"{\"event\":\"dtmf\",\"streamSid\":\"MZ1\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"#\"}}", "DTMF"},
            {"{\"event\":\"mark\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\"m12\"}}", "MARK"},
            {"{\"event\":\"stop\",\"stop\":{\"callSid\":\"CA1\"},\"streamSid\":\"MZ1\"}", "STOP"},
            {"{\"event\":\"clear\",\"streamSid\":\"MZ1\"}", "CLEAR"},
            {"{\"event\":\"bogus\"}", "UNKNOWN"},
            {"{\"streamSid\":\"MZ1\"}", "MISSING"},
            {"{\"event\":5}", "MISSING"},
        };
        for (final String[] c : cases) {
            assertTrue(wrap(c[0]), c[0]);
            assertEquals(Event.valueOf(c[1]), message.event(), c[0]);
        }
    }

    @Test
    void shouldFindTheMarkNameAndTheDigit() {
        assertTrue(wrap("{\"event\":\"mark\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\"m12\"}}"));
        assertEquals("m12", field(message.markNameOffset(), message.markNameLength()));
        assertTrue(wrap("{\"event\":\"dtmf\",\"streamSid\":\"MZ1\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"7\"}}"));
        assertEquals("7", field(message.digitOffset(), message.digitLength()));
    }

    @Test
    void shouldIgnoreLookalikeFieldsAtOtherDepths() {
        assertTrue(wrap("{\"event\":\"media\",\"x\":{\"payload\":\"BAD\",\"streamSid\":\"BAD\"},\"media\":{\"y\":{\"payload\":\"BAD\"}}}"));
        assertEquals(-1, message.payloadLength());
        assertEquals(-1, message.streamSidLength());
    }

    @Test
    void shouldRejectEverythingThatIsNotOneJsonObject() {
        final String[] bad = {
            "", " ", "[]", "\"media\"", "{", "{\"event\":\"media\"", "{\"event\" \"media\"}", "{\"event\":\"media\",}",
            "{\"event\":\"media\"}}", "{\"event\":\"media\"} x", "{event:\"media\"}", "{\"a\":tru}", "{\"a\":01}", "{\"a\":1.}",
            "{\"a\":-}", "{\"a\":1e}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"line\nbreak\"}", "{\"a\":[1,]}",
            "{\"a\":[1 2]}", "{\"a\":nul}", "{\"a\"}",
        };
        for (final String json : bad) {
            assertFalse(wrap(json), json);
        }
    }

    @Test
    void shouldAcceptEveryJsonValueKind() {
        assertTrue(wrap("{\"a\":[1,-2.5e+3,0,true,false,null,{\"b\":[]},\"\\u00e9\\n\"],\"c\":{},\"event\":\"media\"}"));
        assertEquals(Event.MEDIA, message.event());
    }

    @Test
    void shouldRejectNestingDeeperThanItsLimit() {
        assertFalse(wrap("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}"));
    }

    @Test
    void shouldFlagAnEscapedFieldItReports() {
        assertTrue(wrap("{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"payload\":\"ab\\/c\"}}"));
        assertTrue(message.escaped());
    }

    @Test
    void shouldNotFlagEscapesInFieldsItDoesNotReport() {
        assertTrue(wrap("{\"event\":\"media\",\"note\":\"a\\\"b\",\"streamSid\":\"MZ1\",\"media\":{\"payload\":\"AAAA\"}}"));
        assertFalse(message.escaped());
    }

    @Test
    void shouldCompareTheStreamSid() {
        assertTrue(wrap(MEDIA));
        assertTrue(message.streamSidEquals("MZ18ad3ab5a668481ce02b83e7395059f0".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(message.streamSidEquals("MZ18ad3ab5a668481ce02b83e7395059f1".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void shouldParseOnlyPlainDecimals() {
        assertTrue(wrap("{\"event\":\"media\",\"media\":{\"chunk\":\"12a\",\"timestamp\":\"\"}}"));
        assertEquals(-1, message.parseDecimal(message.chunkOffset(), message.chunkLength()));
        assertEquals(-1, message.parseDecimal(message.timestampOffset(), message.timestampLength()));
    }

    @Test
    void shouldFindEndsEscapesAndControlCharactersAtEveryPositionOfALongString() {
        for (int i = 0; i < 40; i++) {
            final String before = "A".repeat(i);
            final String after = "B".repeat(40 - i);
            assertFalse(wrap("{\"event\":\"media\",\"media\":{\"payload\":\"" + before + "\n" + after + "\"}}"), "control at " + i);
            assertTrue(wrap("{\"event\":\"media\",\"media\":{\"payload\":\"" + before + "\\/" + after + "\"}}"), "escape at " + i);
            assertTrue(message.escaped(), "escape at " + i);
            assertTrue(wrap("{\"event\":\"media\",\"media\":{\"payload\":\"" + before + "\"},\"x\":\"" + after + "\"}"), "end at " + i);
            assertEquals(i, message.payloadLength(), "end at " + i);
            assertTrue(wrap("{\"event\":\"media\",\"media\":{\"payload\":\"" + before + "\u00e9\u20ac" + after + "\"}}"), "UTF-8 at " + i);
            assertEquals(i + 5 + 40 - i, message.payloadLength(), "UTF-8 at " + i);
        }
    }
}
