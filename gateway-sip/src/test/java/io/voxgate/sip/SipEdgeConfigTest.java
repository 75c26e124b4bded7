package io.voxgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SipEdgeConfigTest {

    private static SipEdgeConfig.Builder valid() {
        return SipEdgeConfig.builder().sipPort(5060);
    }

    private static void assertNames(final String option, final Consumer<SipEdgeConfig.Builder> tweak) {
        final SipEdgeConfig.Builder b = valid();
        tweak.accept(b);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(ex.getMessage().contains(option), "'" + ex.getMessage() + "' names " + option);
    }

    @Test
    void shouldApplyTheDocumentedDefaults() {
        final SipEdgeConfig c = valid().build();
        assertEquals("0.0.0.0", c.bindAddress());
        assertEquals(List.of("udp", "tcp"), c.transports());
        assertEquals(5061, c.tlsPort());
        assertEquals(10_000, c.rtpPortLow());
        assertEquals(20_000, c.rtpPortHigh());
        assertEquals(30, c.mediaTimeoutSeconds());
        assertEquals(null, c.externalIp());
        assertEquals(null, c.digestRealm());
        assertFalse(c.symmetricRtp());
        assertEquals("127.0.0.0/8,::1/128", c.allowList().toString());
    }

    @Test
    void shouldNameTheOptionOfEveryInvalidValue() {
        assertNames("--sip-port", b -> b.sipPort(0));
        assertNames("--sip-port", b -> b.sipPort(70_000));
        assertNames("--sip-tls-port", b -> b.tlsPort(0));
        assertNames("--bind", b -> b.bindAddress("localhost"));
        assertNames("--sip-transport", b -> b.transports("udp,sctp"));
        assertNames("--sip-tls-cert", b -> b.transports("udp,tls"));
        assertNames("--sip-tls-cert", b -> b.transports("tls").tls(Path.of("/nonexistent.crt"), Path.of("/nonexistent.key")));
        assertNames("--rtp-ports", b -> b.rtpPorts(20_000, 10_000));
        assertNames("--rtp-ports", b -> b.rtpPorts(80, 1000));
        assertNames("--rtp-ports", b -> b.rtpPorts(10_001, 10_002));
        assertNames("--external-ip", b -> b.externalIp("gw.example.com"));
        assertNames("--sip-allow", b -> b.allowList("everyone"));
        assertNames("--media-timeout", b -> b.mediaTimeoutSeconds(0));
        assertNames("digest", b -> b.digest("realm", null, "pw"));
    }

    @Test
    void shouldParseTheRtpPortRangeText() {
        final SipEdgeConfig c = valid().rtpPorts("40000-40100").build();
        assertEquals(40_000, c.rtpPortLow());
        assertEquals(40_100, c.rtpPortHigh());
        assertThrows(IllegalArgumentException.class, () -> valid().rtpPorts("40000"));
        assertThrows(IllegalArgumentException.class, () -> valid().rtpPorts("a-b"));
    }

    @Test
    void shouldNeverPrintTheDigestPassword() {
        final SipEdgeConfig c = valid().digest("voxgate", "trunk", "s3cret-password").build();
        assertFalse(c.toString().contains("s3cret-password"));
        assertTrue(c.toString().contains("digest on"));
    }

    @Test
    void shouldAcceptTlsWithReadableFiles() throws Exception {
        final Path cert = Files.createTempFile("c", ".pem");
        final Path key = Files.createTempFile("k", ".pem");
        final SipEdgeConfig c = valid().transports("udp,tcp,tls").tls(cert, key).build();
        assertEquals(List.of("udp", "tcp", "tls"), c.transports());
    }
}
