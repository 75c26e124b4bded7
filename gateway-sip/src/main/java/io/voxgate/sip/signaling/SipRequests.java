package io.voxgate.sip.signaling;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPMessage;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ExtensionHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.SupportedHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;

/**
 * Reads what signalling needs from a jain-sip request: identity (Call-ID, tags, branch), where it came from,
 * its body and the metadata handed to the agent.
 *
 * <p>Stateless; safe on any thread.
 */
final class SipRequests {
    private SipRequests() {
    }

    /** The Call-ID, or the empty string when absent. */
    static String callId(final Message message) {
        final CallIdHeader h = (CallIdHeader) message.getHeader(CallIdHeader.NAME);
        return h == null ? "" : h.getCallId();
    }

    /** The To tag, or null. */
    static String toTag(final Message message) {
        final ToHeader to = (ToHeader) message.getHeader(ToHeader.NAME);
        return to == null ? null : to.getTag();
    }

    /** The From tag, or null. */
    static String fromTag(final Message message) {
        final FromHeader from = (FromHeader) message.getHeader(FromHeader.NAME);
        return from == null ? null : from.getTag();
    }

    /** The topmost Via's branch, or null. */
    static String branch(final Request request) {
        final ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return via == null ? null : via.getBranch();
    }

    /** The address the request's packet or connection came from (not what its Via claims). */
    static InetAddress sourceAddress(final Request request) {
        final SIPMessage m = (SIPMessage) request;
        return m.getPeerPacketSourceAddress() != null ? m.getPeerPacketSourceAddress() : m.getRemoteAddress();
    }

    /** The port the request's packet or connection came from. */
    static int sourcePort(final Request request) {
        final SIPMessage m = (SIPMessage) request;
        return m.getPeerPacketSourcePort() > 0 ? m.getPeerPacketSourcePort() : Math.max(0, m.getRemotePort());
    }

    /** {@code udp}, {@code tcp} or {@code tls}, from the topmost Via. */
    static String transport(final Request request) {
        final ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        final String t = via == null ? null : via.getTransport();
        return t == null ? "udp" : t.toLowerCase(Locale.ROOT);
    }

    /** The body as UTF-8 text, or null when there is none. */
    static String body(final Request request) {
        final byte[] raw = request.getRawContent();
        if (raw == null || raw.length == 0) {
            return null;
        }
        return new String(raw, StandardCharsets.UTF_8);
    }

    /** A body of a type other than application/sdp (RFC 3261 §21.4.13: 415), or null when acceptable. */
    static String unsupportedContent(final Request request) {
        final byte[] raw = request.getRawContent();
        if (raw == null || raw.length == 0) {
            return null;
        }
        final ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        if (type == null || !"application".equalsIgnoreCase(type.getContentType())
            || !"sdp".equalsIgnoreCase(type.getContentSubType())) {
            return type == null ? "missing Content-Type" : type.getContentType() + "/" + type.getContentSubType();
        }
        return null;
    }

    /** Whether the request lists {@code option} in a Supported header. */
    static boolean supports(final Request request, final String option) {
        final ListIterator<?> it = request.getHeaders(SupportedHeader.NAME);
        while (it != null && it.hasNext()) {
            final Object h = it.next();
            if (h instanceof SupportedHeader && option.equalsIgnoreCase(((SupportedHeader) h).getOptionTag())) {
                return true;
            }
        }
        return false;
    }

    /** The value of the first header called {@code name} (or its compact form), or null. */
    static String headerValue(final Request request, final String name, final String compactName) {
        Header h = request.getHeader(name);
        if (h == null && compactName != null) {
            h = request.getHeader(compactName);
        }
        return h == null ? null : valueOf(h);
    }

    /** A header's value as sent, without its name. */
    static String valueOf(final Header h) {
        if (h instanceof ExtensionHeader) {
            return ((ExtensionHeader) h).getValue();
        }
        if (h instanceof SIPHeader) {
            return ((SIPHeader) h).getHeaderValue();
        }
        final String text = h.toString();
        final int colon = text.indexOf(':');
        return (colon < 0 ? text : text.substring(colon + 1)).trim();
    }

    /** From, To, Call-ID, Diversion and X- headers, for the agent (protocols.md §4.1); values are never cut. */
    static Map<String, String> metadata(final Request request) {
        final Map<String, String> out = new LinkedHashMap<>();
        for (final String name : new String[] {"From", "To", "Call-ID", "Diversion"}) {
            final String v = headerValue(request, name, null);
            if (v != null) {
                out.put(name, v.trim());
            }
        }
        final Iterator<?> names = request.getHeaderNames();
        while (names.hasNext()) {
            final String name = String.valueOf(names.next());
            if (name.length() > 2 && (name.startsWith("X-") || name.startsWith("x-"))) {
                final ListIterator<?> values = request.getHeaders(name);
                final StringBuilder sb = new StringBuilder();
                while (values.hasNext()) {
                    if (sb.length() > 0) {
                        sb.append(", ");
                    }
                    sb.append(valueOf((Header) values.next()));
                }
                out.put(name, sb.toString());
            }
        }
        return out;
    }
}
