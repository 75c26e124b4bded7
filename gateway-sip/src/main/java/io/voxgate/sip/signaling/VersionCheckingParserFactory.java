package io.voxgate.sip.signaling;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.StringMsgParserFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.nio.charset.StandardCharsets;

/**
 * jain-sip's message parser with the request line's SIP version read from the raw bytes first: jain-sip's own parser
 * reports every request as {@code SIP/2.0} whatever its start line says, so {@code SIP/7.0} could never get the 505
 * RFC 3261 §8.2.2.1 asks for (RFC 4475 §3.1.2.16). A request whose version is not {@code SIP/2.0} is parsed as
 * usual and marked ({@link #hasUnsupportedVersion}); the listener answers it 505 before anything else.
 *
 * <p>Created by jain-sip by class name (stack property {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}) and used
 * for UDP datagrams and TCP/TLS streams alike. Stateless; each parser it creates is used by one thread at a time.
 */
public final class VersionCheckingParserFactory implements MessageParserFactory {
    /** The mark a request with another version carries as its application data. */
    private static final Object UNSUPPORTED_VERSION = new Object();
    /** How far into the message the request line's end is looked for: request lines are short. */
    private static final int MAX_START_LINE = 8_192;

    private final StringMsgParserFactory parsers = new StringMsgParserFactory();

    /** Created by jain-sip. */
    public VersionCheckingParserFactory() {
        // Stateless.
    }

    @Override
    public MessageParser createMessageParser(final SIPTransactionStack stack) {
        final MessageParser parser = parsers.createMessageParser(stack);
        return (bytes, readBody, strict, listener) -> {
            final SIPMessage message = parser.parseSIPMessage(bytes, readBody, strict, listener);
            if (message instanceof SIPRequest && bytes != null && !isSip20(bytes)) {
                message.setApplicationData(UNSUPPORTED_VERSION);
            }
            return message;
        };
    }

    /** Whether {@code request} named a SIP version other than 2.0 in its request line. */
    static boolean hasUnsupportedVersion(final Object request) {
        return request instanceof SIPMessage && ((SIPMessage) request).getApplicationData() == UNSUPPORTED_VERSION;
    }

    /**
     * Whether the request line (after any leading CRLFs, RFC 3261 §7.5) ends in {@code SIP/2.0}; the literal is
     * case-insensitive (RFC 3261 §25.1). Throws nothing: what cannot be read here the parser has already judged.
     */
    static boolean isSip20(final byte[] bytes) {
        int start = 0;
        while (start < bytes.length && (bytes[start] == '\r' || bytes[start] == '\n')) {
            start++;
        }
        int end = start;
        final int limit = Math.min(bytes.length, start + MAX_START_LINE);
        while (end < limit && bytes[end] != '\r' && bytes[end] != '\n') {
            end++;
        }
        final String line = new String(bytes, start, end - start, StandardCharsets.ISO_8859_1).trim();
        final int space = line.lastIndexOf(' ');
        final String version = space < 0 ? line : line.substring(space + 1);
        return "SIP/2.0".equalsIgnoreCase(version);
    }
}
