package io.voxgate.websocket.http;

/**
 * Makes text a peer supplied (a path, a form field, an exception message carrying remote input) safe to put in a log
 * line: at most a fixed number of characters, control and format characters (line breaks, ANSI escapes, bidi
 * overrides) replaced by {@code ?}, and the original length noted when it was cut. A peer can then neither forge log
 * lines nor make one line cost more than a few hundred bytes, however large its input.
 *
 * <p>Use it on every piece of peer text that reaches a logger; never put peer text into a WebSocket close reason or an
 * HTTP response at all. Stateless; safe on any thread.
 */
public final class PeerText {
    /** Characters kept by {@link #of(CharSequence)}: enough for a SID, a path or a short error text. */
    public static final int DEFAULT_MAX_CHARS = 96;

    private PeerText() {
    }

    /** {@code text} bounded to {@link #DEFAULT_MAX_CHARS} characters and stripped of control characters. */
    public static String of(final CharSequence text) {
        return of(text, DEFAULT_MAX_CHARS);
    }

    /**
     * {@code text} bounded to {@code maxChars} characters and stripped of control characters; {@code "null"} for null.
     *
     * @throws IllegalArgumentException when {@code maxChars} is not positive
     */
    public static String of(final CharSequence text, final int maxChars) {
        if (maxChars <= 0) {
            throw new IllegalArgumentException("maxChars must be positive, was " + maxChars);
        }
        if (text == null) {
            return "null";
        }
        final int length = text.length();
        int end = Math.min(length, maxChars);
        if (end < length && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        final StringBuilder out = new StringBuilder(end + 24);
        for (int i = 0; i < end; i++) {
            final char c = text.charAt(i);
            out.append(loggable(c) ? c : '?');
        }
        if (end < length) {
            out.append("...(").append(length).append(" chars)");
        }
        return out.toString();
    }

    private static boolean loggable(final char c) {
        if (Character.isISOControl(c)) {
            return false;
        }
        final int type = Character.getType(c);
        return type != Character.FORMAT && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR;
    }
}
