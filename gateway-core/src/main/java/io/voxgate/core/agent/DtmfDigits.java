package io.voxgate.core.agent;

/**
 * The sixteen DTMF digits {@code 0-9 * # A-D} (ITU-T Q.23 keypad, RFC 4733 §3.2 events 0-15) as the core sees them:
 * a check for one character and a table of one-digit strings, so an agent can pass a single digit on without
 * allocating.
 *
 * <p>Stateless; safe on any thread. Only upper-case {@code A-D} are digits here: the port states its alphabet
 * exactly and edges map it to their wire form.
 */
public final class DtmfDigits {
    /** Every DTMF digit, in RFC 4733 event-code order. */
    public static final String ALPHABET = "0123456789*#ABCD";

    private static final String[] SINGLE = new String[ALPHABET.length()];

    static {
        for (int i = 0; i < SINGLE.length; i++) {
            SINGLE[i] = ALPHABET.substring(i, i + 1);
        }
    }

    private DtmfDigits() {
    }

    /** Whether {@code c} is one of {@code 0-9 * # A-D}. */
    public static boolean isDigit(final char c) {
        return ALPHABET.indexOf(c) >= 0;
    }

    /** Whether {@code digits} is non-empty and made only of {@code 0-9 * # A-D}; null is not. */
    public static boolean isDigits(final CharSequence digits) {
        if (digits == null || digits.length() == 0) {
            return false;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (!isDigit(digits.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code digit} as a one-character string from a shared table (no allocation), or null when it is no digit. */
    public static String single(final char digit) {
        final int index = ALPHABET.indexOf(digit);
        return index < 0 ? null : SINGLE[index];
    }

    /**
     * {@code digit} as a one-digit request for {@link AgentListener#onAgentDigits}: the shared string for a digit,
     * so echoing allocates nothing, and a new string for any other character, which goes back as it came for the
     * call to drop and count.
     */
    public static String request(final char digit) {
        final String shared = single(digit);
        return shared != null ? shared : String.valueOf(digit);
    }
}
