package io.voxgate.benchmarks.load.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One SIP request or response as received over UDP, parsed just enough for a user agent client (RFC 3261 §7):
 * the start line, the header fields by name (compact forms of §7.3.3 folded to their long names, one entry per
 * header line, in order) and the body.
 *
 * <p>Immutable; safe on any thread. Signalling only (a handful of messages per call), so parsing allocates freely.
 */
final class SipMessage {
    private static final String CRLF = "\r\n";

    private final boolean response;
    private final int status;
    private final String method;
    /** A response's reason phrase, or a request's Request-URI. */
    private final String reason;
    private final List<String[]> headers;
    private final String body;

    private SipMessage(final boolean response, final int status, final String method, final String reason,
                       final List<String[]> headers, final String body) {
        this.response = response;
        this.status = status;
        this.method = method;
        this.reason = reason;
        this.headers = headers;
        this.body = body;
    }

    /** Parses {@code text}; null when it is not a SIP message (bad start line, no Call-ID or CSeq). */
    static SipMessage parse(final String text) {
        final int headerEnd = text.indexOf(CRLF + CRLF);
        final String head = headerEnd < 0 ? text : text.substring(0, headerEnd);
        final String body = headerEnd < 0 ? "" : text.substring(headerEnd + 4);
        final String[] lines = head.split(CRLF);
        if (lines.length == 0) {
            return null;
        }
        final String[] start = lines[0].split(" ", 3);
        if (start.length < 3) {
            return null;
        }
        final boolean response = start[0].startsWith("SIP/2.0");
        int status = 0;
        if (response) {
            try {
                status = Integer.parseInt(start[1]);
            } catch (final NumberFormatException ex) {
                return null;
            }
        } else if (!"SIP/2.0".equals(start[2])) {
            return null;
        }
        final List<String[]> headers = new ArrayList<>(lines.length);
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            // Header folding (§7.3.1): a line starting with whitespace continues the previous one.
            if ((line.startsWith(" ") || line.startsWith("\t")) && !headers.isEmpty()) {
                final String[] last = headers.get(headers.size() - 1);
                last[1] = last[1] + " " + line.trim();
                continue;
            }
            final int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            headers.add(new String[] {longName(line.substring(0, colon).trim()), line.substring(colon + 1).trim()});
        }
        final SipMessage message = new SipMessage(response, status, response ? null : start[0], response ? start[2] : start[1], headers,
            body);
        return message.header("Call-ID") == null || message.header("CSeq") == null ? null : message;
    }

    private static String longName(final String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "i": return "call-id";
            case "v": return "via";
            case "f": return "from";
            case "t": return "to";
            case "m": return "contact";
            case "l": return "content-length";
            case "c": return "content-type";
            default: return name.toLowerCase(Locale.ROOT);
        }
    }

    /** Whether this is a response. */
    boolean response() {
        return response;
    }

    /** The status code of a response; 0 for a request. */
    int status() {
        return status;
    }

    /** The reason phrase of a response; the Request-URI of a request. */
    String reason() {
        return response ? reason : null;
    }

    /** The Request-URI of a request; null for a response. */
    String requestUri() {
        return response ? null : reason;
    }

    /** The method of a request; null for a response. */
    String method() {
        return method;
    }

    /** The first value of header {@code name} (case-insensitive, long or compact form), or null. */
    String header(final String name) {
        final String key = longName(name);
        for (final String[] h : headers) {
            if (h[0].equals(key)) {
                return h[1];
            }
        }
        return null;
    }

    /** Every value of header {@code name}, one per header line, in order. */
    List<String> headers(final String name) {
        final String key = longName(name);
        final List<String> values = new ArrayList<>(2);
        for (final String[] h : headers) {
            if (h[0].equals(key)) {
                values.add(h[1]);
            }
        }
        return values;
    }

    /** The Call-ID. */
    String callId() {
        return header("Call-ID");
    }

    /** The CSeq method ({@code INVITE} of {@code 1 INVITE}). */
    String cseqMethod() {
        final String cseq = header("CSeq").trim();
        final int space = cseq.lastIndexOf(' ');
        return space < 0 ? "" : cseq.substring(space + 1).trim();
    }

    /** The URI of the Contact header ({@code <...>} stripped), or null. */
    String contactUri() {
        final String contact = header("Contact");
        if (contact == null) {
            return null;
        }
        final int lt = contact.indexOf('<');
        final int gt = contact.indexOf('>');
        if (lt >= 0 && gt > lt) {
            return contact.substring(lt + 1, gt);
        }
        final int semicolon = contact.indexOf(';');
        return (semicolon < 0 ? contact : contact.substring(0, semicolon)).trim();
    }

    /** The tag parameter of the To header, or null. */
    String toTag() {
        final String to = header("To");
        if (to == null) {
            return null;
        }
        final int gt = to.lastIndexOf('>');
        for (final String param : to.substring(Math.max(0, gt)).split(";")) {
            final String p = param.trim();
            if (p.regionMatches(true, 0, "tag=", 0, 4)) {
                return p.substring(4);
            }
        }
        return null;
    }

    /** The body (SDP), empty when none. */
    String body() {
        return body;
    }
}
