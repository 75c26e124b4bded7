package io.voxgate.websocket.twilio.wire;

import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;

/**
 * Reads one Twilio Media Streams JSON message in place: validates its JSON syntax and finds, without building a
 * tree or a {@code String}, the fields the media path needs, in any order and with any whitespace:
 *
 * <pre>
 *   {"event":"media","streamSid":"MZ..","sequenceNumber":"4",
 *    "media":{"track":"inbound","chunk":"2","timestamp":"5","payload":"no+JhoaJ..."}}
 *   {"event":"mark","streamSid":"MZ..","mark":{"name":"m12"}}
 *   {"event":"dtmf","streamSid":"MZ..","dtmf":{"track":"inbound_track","digit":"1"}}
 * </pre>
 *
 * Field positions are absolute indices into the wrapped buffer and point at string contents (without quotes).
 * A field that is absent, or present with another JSON type, has length {@code -1}. A string field containing a
 * JSON escape sets {@link #escaped()}: its raw bytes are not its value, and the caller takes the slow path
 * (a JSON library) for that message. Other events ({@code connected}, {@code start}, {@code stop}) are recognised
 * here and read with a JSON library, because they are rare.
 *
 * <p>Threading: one instance per stream, confined to its event loop. Ownership: {@link #wrap} borrows the buffer
 * until the next {@code wrap}; the flyweight keeps no copy. Allocates nothing after construction.
 */
public final class MediaMessageFlyweight {
    /** The message types of Twilio Media Streams in either direction (T-WSM), plus {@link #UNKNOWN}. */
    public enum Event {
        /** First message from Twilio. */
        CONNECTED,
        /** Stream metadata, once. */
        START,
        /** Audio. */
        MEDIA,
        /** A DTMF digit from the caller. */
        DTMF,
        /** A mark: its echo from Twilio, or one sent to Twilio. */
        MARK,
        /** The stream ended. */
        STOP,
        /** Server to Twilio: drop buffered audio. */
        CLEAR,
        /** An event name this version does not know (or an escaped one). */
        UNKNOWN,
        /** No {@code event} field, or not a string. */
        MISSING
    }

    private static final int MAX_DEPTH = 32;

    private static final byte[] K_EVENT = ascii("event");
    private static final byte[] K_STREAM_SID = ascii("streamSid");
    private static final byte[] K_MEDIA = ascii("media");
    private static final byte[] K_MARK = ascii("mark");
    private static final byte[] K_DTMF = ascii("dtmf");
    private static final byte[] K_PAYLOAD = ascii("payload");
    private static final byte[] K_TRACK = ascii("track");
    private static final byte[] K_CHUNK = ascii("chunk");
    private static final byte[] K_TIMESTAMP = ascii("timestamp");
    private static final byte[] K_NAME = ascii("name");
    private static final byte[] K_DIGIT = ascii("digit");
    private static final byte[] K_SEQUENCE_NUMBER = ascii("sequenceNumber");

    private static final byte[][] EVENT_NAMES = {
        ascii("connected"), ascii("start"), ascii("media"), ascii("dtmf"), ascii("mark"), ascii("stop"), ascii("clear"),
    };
    private static final Event[] EVENTS = {
        Event.CONNECTED, Event.START, Event.MEDIA, Event.DTMF, Event.MARK, Event.STOP, Event.CLEAR,
    };

    private static final int FIELD_OTHER = 0;
    private static final int FIELD_MEDIA_OBJECT = 1;
    private static final int FIELD_MARK_OBJECT = 2;
    private static final int FIELD_DTMF_OBJECT = 3;
    private static final int FIELD_EVENT = 4;
    private static final int FIELD_STREAM_SID = 5;
    private static final int FIELD_SEQUENCE_NUMBER = 6;
    private static final int FIELD_PAYLOAD = 7;
    private static final int FIELD_TRACK = 8;
    private static final int FIELD_CHUNK = 9;
    private static final int FIELD_TIMESTAMP = 10;
    private static final int FIELD_MARK_NAME = 11;
    private static final int FIELD_DIGIT = 12;
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[] NULL = ascii("null");
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private static final int NESTED_NONE = 0;
    private static final int NESTED_MEDIA = 1;
    private static final int NESTED_MARK = 2;
    private static final int NESTED_DTMF = 3;

    private DirectBuffer buffer;
    private int limit;
    private boolean escaped;
    private Event event;
    private int eventOffset;
    private int eventLength;
    private int streamSidOffset;
    private int streamSidLength;
    private int sequenceNumberOffset;
    private int sequenceNumberLength;
    private int payloadOffset;
    private int payloadLength;
    private int trackOffset;
    private int trackLength;
    private int chunkOffset;
    private int chunkLength;
    private int timestampOffset;
    private int timestampLength;
    private int markNameOffset;
    private int markNameLength;
    private int digitOffset;
    private int digitLength;

    /** Whether the string {@link #scanString} last scanned held an escape. */
    private boolean stringEscaped;

    /**
     * Scans {@code length} bytes of {@code buffer} at {@code offset} as one JSON object.
     *
     * @return {@code false} when the bytes are not one syntactically valid JSON object (the fields are then
     *         meaningless); {@code true} otherwise, whatever the event
     */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length) {
        this.buffer = buffer;
        this.limit = offset + length;
        reset();
        int p = skipWhitespace(offset);
        if (p >= limit || buffer.getByte(p) != '{') {
            return false;
        }
        p = scanObject(p + 1, 1, NESTED_NONE, true);
        if (p < 0) {
            return false;
        }
        p = skipWhitespace(p);
        if (p != limit) {
            return false;
        }
        event = classify();
        return true;
    }

    private void reset() {
        escaped = false;
        event = Event.MISSING;
        eventOffset = 0;
        eventLength = -1;
        streamSidOffset = 0;
        streamSidLength = -1;
        sequenceNumberOffset = 0;
        sequenceNumberLength = -1;
        payloadOffset = 0;
        payloadLength = -1;
        trackOffset = 0;
        trackLength = -1;
        chunkOffset = 0;
        chunkLength = -1;
        timestampOffset = 0;
        timestampLength = -1;
        markNameOffset = 0;
        markNameLength = -1;
        digitOffset = 0;
        digitLength = -1;
    }

    private Event classify() {
        if (eventLength < 0) {
            return Event.MISSING;
        }
        for (int i = 0; i < EVENT_NAMES.length; i++) {
            if (equalsAscii(eventOffset, eventLength, EVENT_NAMES[i])) {
                return EVENTS[i];
            }
        }
        return Event.UNKNOWN;
    }

    /**
     * Scans object members after the opening brace; records the fields of interest at the top level
     * ({@code nested == NESTED_NONE}, {@code top}) and inside {@code media}, {@code mark}, {@code dtmf}.
     *
     * @return the index after the closing brace, or -1 on a syntax error
     */
    private int scanObject(final int from, final int depth, final int nested, final boolean top) {
        if (depth > MAX_DEPTH) {
            return -1;
        }
        int p = skipWhitespace(from);
        if (p < limit && buffer.getByte(p) == '}') {
            return p + 1;
        }
        while (true) {
            if (p >= limit || buffer.getByte(p) != '"') {
                return -1;
            }
            final int keyStart = p + 1;
            p = scanString(keyStart);
            if (p < 0) {
                return -1;
            }
            // A key spelled with escapes matches none of ours.
            final boolean keyEscaped = stringEscaped;
            final int keyLength = p - 1 - keyStart;
            p = skipWhitespace(p);
            if (p >= limit || buffer.getByte(p) != ':') {
                return -1;
            }
            p = skipWhitespace(p + 1);
            if (p >= limit) {
                return -1;
            }
            final int field = keyEscaped ? FIELD_OTHER : fieldOf(keyStart, keyLength, nested, top);
            final byte first = buffer.getByte(p);
            if (first == '"' && field >= FIELD_EVENT) {
                final int valueStart = p + 1;
                p = scanString(valueStart);
                if (p < 0) {
                    return -1;
                }
                escaped |= stringEscaped;
                record(field, valueStart, p - 1 - valueStart);
            } else if (first == '{' && field <= FIELD_DTMF_OBJECT && field > FIELD_OTHER) {
                p = scanObject(p + 1, depth + 1, field - FIELD_OTHER, false);
            } else {
                p = skipValue(p, depth + 1);
            }
            if (p < 0) {
                return -1;
            }
            p = skipWhitespace(p);
            if (p >= limit) {
                return -1;
            }
            final byte b = buffer.getByte(p);
            if (b == '}') {
                return p + 1;
            }
            if (b != ',') {
                return -1;
            }
            p = skipWhitespace(p + 1);
        }
    }


    private int fieldOf(final int keyStart, final int keyLength, final int nested, final boolean top) {
        if (top) {
            if (equalsAscii(keyStart, keyLength, K_EVENT)) {
                return FIELD_EVENT;
            }
            if (equalsAscii(keyStart, keyLength, K_STREAM_SID)) {
                return FIELD_STREAM_SID;
            }
            if (equalsAscii(keyStart, keyLength, K_MEDIA)) {
                return FIELD_MEDIA_OBJECT;
            }
            if (equalsAscii(keyStart, keyLength, K_MARK)) {
                return FIELD_MARK_OBJECT;
            }
            if (equalsAscii(keyStart, keyLength, K_DTMF)) {
                return FIELD_DTMF_OBJECT;
            }
            if (equalsAscii(keyStart, keyLength, K_SEQUENCE_NUMBER)) {
                return FIELD_SEQUENCE_NUMBER;
            }
            return FIELD_OTHER;
        }
        switch (nested) {
            case NESTED_MEDIA:
                if (equalsAscii(keyStart, keyLength, K_PAYLOAD)) {
                    return FIELD_PAYLOAD;
                }
                if (equalsAscii(keyStart, keyLength, K_TRACK)) {
                    return FIELD_TRACK;
                }
                if (equalsAscii(keyStart, keyLength, K_CHUNK)) {
                    return FIELD_CHUNK;
                }
                if (equalsAscii(keyStart, keyLength, K_TIMESTAMP)) {
                    return FIELD_TIMESTAMP;
                }
                return FIELD_OTHER;
            case NESTED_MARK:
                return equalsAscii(keyStart, keyLength, K_NAME) ? FIELD_MARK_NAME : FIELD_OTHER;
            case NESTED_DTMF:
                if (equalsAscii(keyStart, keyLength, K_DIGIT)) {
                    return FIELD_DIGIT;
                }
                return equalsAscii(keyStart, keyLength, K_TRACK) ? FIELD_TRACK : FIELD_OTHER;
            default:
                return FIELD_OTHER;
        }
    }

    private void record(final int field, final int offset, final int length) {
        switch (field) {
            case FIELD_EVENT:
                eventOffset = offset;
                eventLength = length;
                break;
            case FIELD_STREAM_SID:
                streamSidOffset = offset;
                streamSidLength = length;
                break;
            case FIELD_SEQUENCE_NUMBER:
                sequenceNumberOffset = offset;
                sequenceNumberLength = length;
                break;
            case FIELD_PAYLOAD:
                payloadOffset = offset;
                payloadLength = length;
                break;
            case FIELD_TRACK:
                trackOffset = offset;
                trackLength = length;
                break;
            case FIELD_CHUNK:
                chunkOffset = offset;
                chunkLength = length;
                break;
            case FIELD_TIMESTAMP:
                timestampOffset = offset;
                timestampLength = length;
                break;
            case FIELD_MARK_NAME:
                markNameOffset = offset;
                markNameLength = length;
                break;
            case FIELD_DIGIT:
                digitOffset = offset;
                digitLength = length;
                break;
            default:
                break;
        }
    }

    /**
     * Scans string contents from {@code from} (just after the opening quote); sets {@link #stringEscaped}.
     *
     * @return the index after the closing quote, or -1 on a syntax error
     */
    private int scanString(final int from) {
        stringEscaped = false;
        int p = from;
        while (p < limit) {
            // Skip eight plain characters at a time: base64 payloads are long and hold no quote, backslash or control.
            while (p + 8 <= limit && plainWord(buffer.getLong(p))) {
                p += 8;
            }
            if (p >= limit) {
                break;
            }
            final byte b = buffer.getByte(p);
            if (b == '"') {
                return p + 1;
            }
            if (b == '\\') {
                stringEscaped = true;
                if (p + 1 >= limit) {
                    return -1;
                }
                final byte e = buffer.getByte(p + 1);
                if (e == 'u') {
                    if (p + 5 >= limit) {
                        return -1;
                    }
                    for (int i = 2; i <= 5; i++) {
                        if (!isHex(buffer.getByte(p + i))) {
                            return -1;
                        }
                    }
                    p += 6;
                    continue;
                }
                if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
                    return -1;
                }
                p += 2;
                continue;
            }
            if ((b & 0xFF) < 0x20) {
                // RFC 8259 §7: control characters must be escaped.
                return -1;
            }
            p++;
        }
        return -1;
    }


    /**
     * Whether none of the eight bytes of {@code word} is a quote, a backslash or a control character (below 0x20),
     * by the usual SWAR tests for a zero byte and for a byte below n; bytes of 0x80 and above (UTF-8) are plain.
     */
    private static boolean plainWord(final long word) {
        final long quote = word ^ (ONES * '"');
        final long backslash = word ^ (ONES * '\\');
        final long special = ((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((word - ONES * 0x20) & ~word);
        return (special & HIGHS) == 0;
    }

    private int skipValue(final int from, final int depth) {
        if (depth > MAX_DEPTH || from >= limit) {
            return -1;
        }
        final byte b = buffer.getByte(from);
        switch (b) {
            case '"':
                return scanString(from + 1);
            case '{':
                return scanObject(from + 1, depth, NESTED_NONE, false);
            case '[':
                return skipArray(from + 1, depth);
            case 't':
                return literal(from, TRUE);
            case 'f':
                return literal(from, FALSE);
            case 'n':
                return literal(from, NULL);
            default:
                return skipNumber(from);
        }
    }


    private int skipArray(final int from, final int depth) {
        int p = skipWhitespace(from);
        if (p < limit && buffer.getByte(p) == ']') {
            return p + 1;
        }
        while (true) {
            p = skipValue(p, depth + 1);
            if (p < 0) {
                return -1;
            }
            p = skipWhitespace(p);
            if (p >= limit) {
                return -1;
            }
            final byte b = buffer.getByte(p);
            if (b == ']') {
                return p + 1;
            }
            if (b != ',') {
                return -1;
            }
            p = skipWhitespace(p + 1);
        }
    }

    private int literal(final int from, final byte[] word) {
        if (from + word.length > limit) {
            return -1;
        }
        for (int i = 0; i < word.length; i++) {
            if (buffer.getByte(from + i) != word[i]) {
                return -1;
            }
        }
        return from + word.length;
    }

    /** RFC 8259 §6: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}. */
    private int skipNumber(final int from) {
        int p = from;
        if (p < limit && buffer.getByte(p) == '-') {
            p++;
        }
        if (p >= limit) {
            return -1;
        }
        if (buffer.getByte(p) == '0') {
            p++;
        } else {
            final int digitsStart = p;
            p = skipDigits(p);
            if (p == digitsStart) {
                return -1;
            }
        }
        if (p < limit && buffer.getByte(p) == '.') {
            final int fractionStart = p + 1;
            p = skipDigits(fractionStart);
            if (p == fractionStart) {
                return -1;
            }
        }
        if (p < limit && (buffer.getByte(p) == 'e' || buffer.getByte(p) == 'E')) {
            p++;
            if (p < limit && (buffer.getByte(p) == '+' || buffer.getByte(p) == '-')) {
                p++;
            }
            final int exponentStart = p;
            p = skipDigits(p);
            if (p == exponentStart) {
                return -1;
            }
        }
        return p;
    }

    private int skipDigits(final int from) {
        int p = from;
        while (p < limit) {
            final byte b = buffer.getByte(p);
            if (b < '0' || b > '9') {
                break;
            }
            p++;
        }
        return p;
    }

    private int skipWhitespace(final int from) {
        int p = from;
        while (p < limit) {
            final byte b = buffer.getByte(p);
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                break;
            }
            p++;
        }
        return p;
    }

    private static boolean isHex(final byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private boolean equalsAscii(final int offset, final int length, final byte[] expected) {
        if (length != expected.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buffer.getByte(offset + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The message type found by the last successful {@link #wrap}. */
    public Event event() {
        return event;
    }

    /** Whether a field this flyweight reports contained a JSON escape (then read the message with a JSON library). */
    public boolean escaped() {
        return escaped;
    }

    /** The buffer last wrapped. */
    public DirectBuffer buffer() {
        return buffer;
    }

    /** Start of the top-level {@code streamSid} string. */
    public int streamSidOffset() {
        return streamSidOffset;
    }

    /** Length of the top-level {@code streamSid} string, -1 when absent. */
    public int streamSidLength() {
        return streamSidLength;
    }

    /** Whether the top-level {@code streamSid} equals {@code expected} (ASCII bytes). */
    public boolean streamSidEquals(final byte[] expected) {
        return streamSidLength >= 0 && equalsAscii(streamSidOffset, streamSidLength, expected);
    }

    /** Start of the top-level {@code sequenceNumber} string. */
    public int sequenceNumberOffset() {
        return sequenceNumberOffset;
    }

    /** Length of the top-level {@code sequenceNumber} string, -1 when absent. */
    public int sequenceNumberLength() {
        return sequenceNumberLength;
    }

    /** Start of {@code media.payload}. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Length of {@code media.payload} (base64 characters), -1 when absent. */
    public int payloadLength() {
        return payloadLength;
    }

    /** Start of {@code media.track} or {@code dtmf.track}. */
    public int trackOffset() {
        return trackOffset;
    }

    /** Length of {@code media.track} or {@code dtmf.track}, -1 when absent. */
    public int trackLength() {
        return trackLength;
    }

    /** Start of {@code media.chunk}. */
    public int chunkOffset() {
        return chunkOffset;
    }

    /** Length of {@code media.chunk}, -1 when absent. */
    public int chunkLength() {
        return chunkLength;
    }

    /** Start of {@code media.timestamp}. */
    public int timestampOffset() {
        return timestampOffset;
    }

    /** Length of {@code media.timestamp}, -1 when absent. */
    public int timestampLength() {
        return timestampLength;
    }

    /** Start of {@code mark.name}. */
    public int markNameOffset() {
        return markNameOffset;
    }

    /** Length of {@code mark.name}, -1 when absent. */
    public int markNameLength() {
        return markNameLength;
    }

    /** Start of {@code dtmf.digit}. */
    public int digitOffset() {
        return digitOffset;
    }

    /** Length of {@code dtmf.digit}, -1 when absent. */
    public int digitLength() {
        return digitLength;
    }

    /**
     * Parses a non-negative decimal number held in a string field ({@code chunk}, {@code timestamp},
     * {@code sequenceNumber}, a mark's digits), e.g. {@code parseDecimal(chunkOffset(), chunkLength())}.
     *
     * @return the value, or -1 when the field is absent, empty, not all digits, or over 18 digits
     */
    public long parseDecimal(final int offset, final int length) {
        if (length <= 0 || length > 18) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            final byte b = buffer.getByte(offset + i);
            if (b < '0' || b > '9') {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }
}
