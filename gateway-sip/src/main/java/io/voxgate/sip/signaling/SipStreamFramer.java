package io.voxgate.sip.signaling;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Follows the message boundaries of a SIP byte stream (TCP, or TLS once decrypted) the way jain-sip's stream parser
 * frames it (header lines up to an empty {@code CRLF} line, then {@code Content-Length} bytes of body; CRLFs between
 * messages are keep-alives), to refuse a message larger than {@link #maxBytes} before jain-sip buffers it: jain-sip
 * allocates the body's {@code Content-Length} at the end of the headers whatever it says, and counts the size limit
 * only as bytes arrive. A message is refused as soon as its header bytes plus its declared body exceed the cap, or its
 * headers alone do.
 *
 * <p>Threading: confined to the connection's reading thread (jain-sip's selector thread).
 */
final class SipStreamFramer {
    private static final String CONTENT_LENGTH = "content-length";
    /** Longest start of a header line kept to read a Content-Length value; longer values are not numbers jain-sip reads. */
    private static final int LINE_PREFIX = 64;
    /** Digits of a length that surely fits a long; more is over any cap. */
    private static final int MAX_DIGITS = 18;

    private final int maxBytes;
    private final byte[] line = new byte[LINE_PREFIX];
    private int lineLength;
    private boolean lineHasContent;
    private boolean inBody;
    private long headerBytes;
    private long declaredBody;
    private long bodyLeft;

    SipStreamFramer(final int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Takes the next bytes of the stream; false once the message in progress is over the cap (the connection should be
     * closed: the framing state is then undefined).
     */
    boolean accept(final byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            if (inBody) {
                final long take = Math.min(bodyLeft, bytes.length - i);
                bodyLeft -= take;
                i += (int) take;
                if (bodyLeft == 0) {
                    nextMessage();
                }
                continue;
            }
            final byte b = bytes[i++];
            if (headerBytes == 0 && !lineHasContent && (b == '\r' || b == '\n')) {
                // Between messages: keep-alive CRLFs, which jain-sip skips.
                continue;
            }
            headerBytes++;
            if (b == '\n') {
                if (!endOfLine()) {
                    return false;
                }
            } else if (b != '\r') {
                lineHasContent = true;
                if (lineLength < LINE_PREFIX) {
                    line[lineLength++] = b;
                }
            }
            if (headerBytes + declaredBody > maxBytes) {
                return false;
            }
        }
        return true;
    }

    /** A header line ended: notes a Content-Length, or at the empty line starts the body. False when over the cap. */
    private boolean endOfLine() {
        if (lineHasContent) {
            final String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
            if (text.toLowerCase(Locale.ROOT).startsWith(CONTENT_LENGTH) && text.length() > CONTENT_LENGTH.length() + 1) {
                declaredBody = declared(text.substring(CONTENT_LENGTH.length() + 1).trim());
            }
            lineLength = 0;
            lineHasContent = false;
            return headerBytes + declaredBody <= maxBytes;
        }
        lineLength = 0;
        if (headerBytes + declaredBody > maxBytes) {
            return false;
        }
        if (declaredBody == 0) {
            nextMessage();
        } else {
            inBody = true;
            bodyLeft = declaredBody;
        }
        return true;
    }

    /** A declared body length; a value jain-sip cannot read counts as none (jain-sip then closes the connection itself). */
    private static long declared(final String value) {
        if (value.isEmpty()) {
            return 0;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return 0;
            }
        }
        return value.length() > MAX_DIGITS ? Long.MAX_VALUE / 2 : Long.parseLong(value);
    }

    private void nextMessage() {
        inBody = false;
        headerBytes = 0;
        declaredBody = 0;
        bodyLeft = 0;
        lineLength = 0;
        lineHasContent = false;
    }
}
