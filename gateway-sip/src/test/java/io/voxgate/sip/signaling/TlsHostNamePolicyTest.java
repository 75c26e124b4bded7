package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 5922 §7.1 host-name matching of a server certificate's subjectAltNames, as {@link TlsHostNamePolicy} applies it. */
class TlsHostNamePolicyTest {
    @TempDir
    Path dir;

    @Test
    void shouldMatchAnIpAddressSubjectAltName() throws Exception {
        final X509Certificate c = TestCertificates.issue(dir, "ip", "CN=ip", "SAN=ip:127.0.0.1,ip:::1");
        assertTrue(TlsHostNamePolicy.names(c, "127.0.0.1"));
        assertTrue(TlsHostNamePolicy.names(c, "[::1]"));
        assertFalse(TlsHostNamePolicy.names(c, "127.0.0.9"));
    }

    @Test
    void shouldNotTakeAnIpAddressFromADnsNameOrTheReverse() throws Exception {
        final X509Certificate c = TestCertificates.issue(dir, "mixed", "CN=mixed", "SAN=dns:127.0.0.1,ip:10.0.0.1");
        assertFalse(TlsHostNamePolicy.names(c, "127.0.0.1"), "an IP host needs an iPAddress SAN");
        assertFalse(TlsHostNamePolicy.names(c, "10.0.0.1.example.com"));
    }

    @Test
    void shouldMatchDnsNamesCaseInsensitivelyAndWildcardsOnlyAsTheWholeLeftmostLabel() throws Exception {
        final X509Certificate c = TestCertificates.issue(dir, "dns", "CN=dns", "SAN=dns:sbc.Example.com,dns:*.trunk.example.com");
        assertTrue(TlsHostNamePolicy.names(c, "SBC.example.com"));
        assertTrue(TlsHostNamePolicy.names(c, "a.trunk.example.com"));
        assertFalse(TlsHostNamePolicy.names(c, "a.b.trunk.example.com"), "a wildcard covers one label");
        assertFalse(TlsHostNamePolicy.names(c, "trunk.example.com"), "a wildcard needs a label");
        assertFalse(TlsHostNamePolicy.names(c, "other.example.com"));
    }

    @Test
    void shouldIgnoreTheCommonName() throws Exception {
        final X509Certificate c = TestCertificates.issue(dir, "cn", "CN=127.0.0.1", null);
        assertFalse(TlsHostNamePolicy.names(c, "127.0.0.1"), "RFC 5922 §7.1: subjectAltName only");
        final X509Certificate named = TestCertificates.issue(dir, "cn2", "CN=sbc.example.com", "SAN=dns:other.example.com");
        assertFalse(TlsHostNamePolicy.names(named, "sbc.example.com"));
    }
}
