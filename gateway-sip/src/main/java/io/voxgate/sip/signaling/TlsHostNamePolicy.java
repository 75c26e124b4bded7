package io.voxgate.sip.signaling;

import java.net.InetAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The host-name rule for the gateway's outgoing SIP over TLS (RFC 5922 §7.1): the server's certificate must name the
 * host the gateway connected to in a subjectAltName, as a DNS name (a wildcard only as the whole leftmost label) or
 * as an IP address. The common name is not consulted (RFC 5922 §7.1, RFC 6125). Applied inside the handshake by
 * {@link ServerIdentityTrustManager}.
 *
 * <p>Stateless.
 */
final class TlsHostNamePolicy {
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private TlsHostNamePolicy() {
    }

    /** Whether {@code certificate}'s subjectAltNames name {@code host} (a DNS name or an IP literal). */
    static boolean names(final X509Certificate certificate, final String host) {
        final Collection<List<?>> sans;
        try {
            sans = certificate.getSubjectAlternativeNames();
        } catch (final CertificateParsingException ex) {
            return false;
        }
        if (sans == null || host == null || host.isEmpty()) {
            return false;
        }
        final String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        final InetAddress ip = AdvertisedAddress.literal(bare);
        for (final List<?> san : sans) {
            final int type = (Integer) san.get(0);
            final String value = String.valueOf(san.get(1));
            if (ip != null && type == SAN_IP && ip.equals(AdvertisedAddress.literal(value))) {
                return true;
            }
            if (ip == null && type == SAN_DNS && dnsMatches(value, bare)) {
                return true;
            }
        }
        return false;
    }

    private static boolean dnsMatches(final String pattern, final String host) {
        final String p = pattern.toLowerCase(Locale.ROOT);
        final String h = host.toLowerCase(Locale.ROOT);
        if (!p.startsWith("*.")) {
            return p.equals(h);
        }
        final int dot = h.indexOf('.');
        return dot > 0 && h.substring(dot).equals(p.substring(1)) && p.indexOf('.', 2) > 0;
    }
}
