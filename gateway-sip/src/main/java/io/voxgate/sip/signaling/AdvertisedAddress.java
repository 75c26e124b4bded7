package io.voxgate.sip.signaling;

import gov.nist.javax.sip.message.SIPMessage;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.text.ParseException;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;

/**
 * The address the gateway names in Contact and SDP {@code c=}/{@code o=}: {@code --external-ip} when given, else
 * the local address the request arrived on, so a caller gets media back on the path it used (a caller reaching
 * 127.0.0.1 hears 127.0.0.1, not the host's LAN address).
 *
 * <p>On a wildcard UDP socket the datagram's destination is not reported; then the Request-URI host is used when it
 * is one of this host's addresses, else the address the kernel would send from towards the caller (a connected
 * UDP socket; nothing is sent).
 *
 * <p>Threading: safe on any thread.
 */
final class AdvertisedAddress {
    private final String externalAddress;
    private final InetAddress bindAddress;
    private final int sipPort;
    private final int tlsPort;
    private final AddressFactory addresses;
    private final HeaderFactory headers;

    AdvertisedAddress(final SignalingConfig config, final AddressFactory addresses, final HeaderFactory headers) {
        this.externalAddress = config.externalAddress;
        this.bindAddress = literal(config.bindAddress);
        this.sipPort = config.sipPort;
        this.tlsPort = config.tlsPort;
        this.addresses = addresses;
        this.headers = headers;
    }

    /** The address for SDP and Contact in answer to {@code request}. */
    String of(final Request request) {
        if (externalAddress != null) {
            return externalAddress;
        }
        final InetAddress local = ((SIPMessage) request).getLocalAddress();
        if (local != null && !local.isAnyLocalAddress()) {
            return text(local);
        }
        if (bindAddress != null && !bindAddress.isAnyLocalAddress()) {
            return text(bindAddress);
        }
        final InetAddress target = requestUriHost(request);
        if (target != null && isLocal(target)) {
            return text(target);
        }
        final InetAddress routed = routeTowards(SipRequests.sourceAddress(request));
        return routed != null ? text(routed) : "127.0.0.1";
    }

    /**
     * {@code address} as SDP and a SIP URI write it: IPv4 dotted, IPv6 in the RFC 5952 short form ({@code ::1}, not
     * the JDK's {@code 0:0:0:0:0:0:0:1}) and without a scope, which means nothing to the peer.
     */
    static String text(final InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        final byte[] b = address.getAddress();
        final int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xff) << 8 | b[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** A Contact naming {@link #of} and the port of {@code transport}. */
    ContactHeader contact(final Request request, final String transport) throws ParseException {
        final String host = of(request);
        final SipURI uri = addresses.createSipURI("voxgate", host.indexOf(':') >= 0 ? "[" + host + "]" : host);
        uri.setPort("tls".equals(transport) ? tlsPort : sipPort);
        if (!"udp".equals(transport)) {
            uri.setTransportParam(transport);
        }
        return headers.createContactHeader(addresses.createAddress(uri));
    }

    private static InetAddress requestUriHost(final Request request) {
        final URI uri = request.getRequestURI();
        if (!(uri instanceof SipURI)) {
            return null;
        }
        String host = ((SipURI) uri).getHost();
        if (host == null) {
            return null;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return literal(host);
    }

    /** Parses an IP literal without ever resolving a name; null for anything else. */
    static InetAddress literal(final String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        final boolean v6 = text.indexOf(':') >= 0;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            final boolean ok = c >= '0' && c <= '9' || c == '.' || v6 && (c == ':' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
            if (!ok) {
                return null;
            }
        }
        try {
            return InetAddress.getByName(text);
        } catch (final UnknownHostException ex) {
            return null;
        }
    }

    private static boolean isLocal(final InetAddress address) {
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        try {
            return address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null;
        } catch (final SocketException ex) {
            return false;
        }
    }

    private static InetAddress routeTowards(final InetAddress peer) {
        if (peer == null) {
            return null;
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(peer, 9));
            final InetAddress local = probe.getLocalAddress();
            return local == null || local.isAnyLocalAddress() ? null : local;
        } catch (final IOException | RuntimeException ex) {
            return null;
        }
    }
}
