package io.voxgate.sip.signaling;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands every message jain-sip's server logger sees to the stack's {@link SipMessageMirror}: jain-sip calls its
 * server logger for each message it sends or receives (the stack logger enables message tracing at INFO), with the
 * two ends as {@code host:port} text. This turns them into address octets and ports, re-encodes the message (jain-sip
 * keeps the parsed form only) and stamps it with the time jain-sip gives the event: when the datagram arrived (or the
 * stream message was framed) for a message received, when sending began for a message sent. jain-sip reports the
 * sent message only after the send returned, by when the peer's answer to it may already have been captured on
 * another thread; stamping the event's own time keeps a call's messages in the order they crossed the wire
 * (INVITE, 200, ACK) for Homer to show. That time has millisecond resolution, so the stamps do too.
 *
 * <p>On a wildcard bind ({@code 0.0.0.0}, {@code ::}) jain-sip names our end by the bound address, not the one the
 * message used; the capture then writes {@code --external-ip} there when it is set (what the peer addressed), else
 * the wildcard as jain-sip reported it.
 *
 * <p>jain-sip builds its server logger by class name, so the mirror is found by stack name, registered by
 * {@link JainSipStack} before the stack exists and removed when it stops.
 *
 * <p>Threading: {@link #capture} on jain-sip's threads, several at once; the registry is concurrent. Messages whose
 * ends cannot be read as IP literals are not mirrored and are counted.
 */
final class SipMessageCapture {
    private static final Map<String, SipMessageCapture> BY_STACK = new ConcurrentHashMap<>();
    private static final byte[] NO_CALL_ID = new byte[0];

    private final SipMessageMirror mirror;
    private final byte[] wildcardStandIn;
    private final AtomicLong messagesUnreadable = new AtomicLong();

    /**
     * @param wildcardStandIn the address written for our end when jain-sip reports a wildcard, or {@code null} to
     *                        write the wildcard
     */
    SipMessageCapture(final SipMessageMirror mirror, final byte[] wildcardStandIn) {
        this.mirror = mirror;
        this.wildcardStandIn = wildcardStandIn;
    }

    /** The stand-in for a wildcard bind: {@code externalAddress} when it is an IP literal, else {@code null}. */
    static byte[] wildcardStandIn(final String externalAddress) {
        return externalAddress == null ? null : address(externalAddress + ":0");
    }

    static void register(final String stackName, final SipMessageCapture capture) {
        BY_STACK.put(stackName, capture);
    }

    static void unregister(final String stackName) {
        BY_STACK.remove(stackName);
    }

    /** The capture of the stack called {@code stackName}, or {@code null} when it mirrors nothing. */
    static SipMessageCapture forStack(final String stackName) {
        return BY_STACK.get(stackName);
    }

    /**
     * One message as jain-sip's server logger reports it.
     *
     * @param from        the sender's {@code host:port}
     * @param to          the receiver's {@code host:port}
     * @param epochMillis when jain-sip received the message or began sending it
     */
    void capture(final SIPMessage message, final String from, final String to, final long epochMillis) {
        byte[] source = standIn(address(from));
        byte[] destination = standIn(address(to));
        final int sourcePort = port(from);
        final int destinationPort = port(to);
        if (source == null || destination == null || sourcePort < 0 || destinationPort < 0) {
            messagesUnreadable.incrementAndGet();
            return;
        }
        if (source.length != destination.length) {
            source = mapped(source);
            destination = mapped(destination);
        }
        final Via via = message.getTopmostVia();
        final String transport = via == null ? "UDP" : via.getTransport();
        final boolean tcp = transport != null && !"UDP".equalsIgnoreCase(transport);
        final byte[] callId = message.getCallId() == null ? NO_CALL_ID
            : message.getCallId().getCallId().getBytes(StandardCharsets.US_ASCII);
        mirror.onSipMessage(source, sourcePort, destination, destinationPort, tcp,
            epochMillis * 1_000L, callId, message.encodeAsBytes(transport));
    }

    private byte[] standIn(final byte[] address) {
        if (address == null || wildcardStandIn == null) {
            return address;
        }
        for (final byte b : address) {
            if (b != 0) {
                return address;
            }
        }
        return wildcardStandIn;
    }

    /** Messages not mirrored because an end was not an IP literal with a port. */
    long messagesUnreadable() {
        return messagesUnreadable.get();
    }

    private static byte[] address(final String hostPort) {
        final int colon = hostPort == null ? -1 : hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        // Only literals: a host name here would make capture wait on DNS.
        if (!host.matches("[0-9.]+") && !(host.indexOf(':') >= 0 && host.matches("[0-9a-fA-F:.]+(%[A-Za-z0-9_.-]+)?"))) {
            return null;
        }
        try {
            return InetAddress.getByName(host).getAddress();
        } catch (final UnknownHostException ex) {
            return null;
        }
    }

    private static int port(final String hostPort) {
        final int colon = hostPort == null ? -1 : hostPort.lastIndexOf(':');
        if (colon < 0) {
            return -1;
        }
        try {
            final int port = Integer.parseInt(hostPort.substring(colon + 1));
            return port >= 0 && port <= 65_535 ? port : -1;
        } catch (final NumberFormatException ex) {
            return -1;
        }
    }

    /** An IPv4 address as IPv4-mapped IPv6 (RFC 4291 2.5.5.2), so both ends of a chunk pair have one family. */
    private static byte[] mapped(final byte[] address) {
        if (address.length == 16) {
            return address;
        }
        final byte[] out = new byte[16];
        out[10] = (byte) 0xFF;
        out[11] = (byte) 0xFF;
        System.arraycopy(address, 0, out, 12, 4);
        return out;
    }
}
