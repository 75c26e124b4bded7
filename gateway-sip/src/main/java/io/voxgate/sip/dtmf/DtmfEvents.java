package io.voxgate.sip.dtmf;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;

/**
 * The RFC 4733 telephone-event payload and the DTMF event codes (RFC 4733 §2.3, IANA registry):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Events 0-9 are the digits, 10 is {@code *}, 11 is {@code #}, 12-15 are {@code A-D}. Stateless; safe on
 * any thread.
 */
public final class DtmfEvents {
    /** Octets in one event payload. */
    public static final int PAYLOAD_LENGTH = 4;
    /** Offset of the event code. */
    public static final int EVENT_OFFSET = 0;
    /** Offset of the octet holding E, R and the volume. */
    public static final int FLAGS_VOLUME_OFFSET = 1;
    /** Offset of the 16-bit duration in timestamp units. */
    public static final int DURATION_OFFSET = 2;
    /** Returned by {@link #eventOf(char)} for a character that is no DTMF digit. */
    public static final int NO_EVENT = -1;
    /** Returned by {@link #digitOf(int)} for an event code that is no DTMF digit. */
    public static final char NO_DIGIT = '\0';
    /** Highest DTMF event code. */
    public static final int MAX_DTMF_EVENT = 15;
    /** Volume sent with generated digits: -10 dBm0, a typical keypad level (RFC 4733 §2.3.4 range 0-63). */
    public static final int DEFAULT_VOLUME = 10;

    private static final String DIGITS = "0123456789*#ABCD";

    private DtmfEvents() {
    }

    /** The digit for event code {@code event}, or {@link #NO_DIGIT} outside 0-15. */
    public static char digitOf(final int event) {
        return event >= 0 && event <= MAX_DTMF_EVENT ? DIGITS.charAt(event) : NO_DIGIT;
    }

    /** The event code of {@code digit} ({@code 0-9 * # A-D}, lower case a-d accepted), or {@link #NO_EVENT}. */
    public static int eventOf(final char digit) {
        return DIGITS.indexOf(Character.toUpperCase(digit));
    }

    /** Writes one event payload of {@link #PAYLOAD_LENGTH} octets. */
    public static void writePayload(final MutableDirectBuffer buffer, final int offset, final int event, final boolean end,
                                    final int volume, final int duration) {
        buffer.putByte(offset + EVENT_OFFSET, (byte) event);
        buffer.putByte(offset + FLAGS_VOLUME_OFFSET, (byte) ((end ? 0x80 : 0) | (volume & 0x3F)));
        buffer.putShort(offset + DURATION_OFFSET, (short) duration, ByteOrder.BIG_ENDIAN);
    }
}
