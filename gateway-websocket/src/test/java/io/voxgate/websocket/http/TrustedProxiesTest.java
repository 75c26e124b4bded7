package io.voxgate.websocket.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    private static InetAddress ip(final String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void shouldTrustAddressesInsideTheBlocksOnly() throws Exception {
        final TrustedProxies proxies = TrustedProxies.parse("10.1.0.0/16, 192.168.7.9, 2001:db8::/33");
        assertTrue(proxies.test(ip("10.1.255.3")));
        assertFalse(proxies.test(ip("10.2.0.1")));
        assertTrue(proxies.test(ip("192.168.7.9")));
        assertFalse(proxies.test(ip("192.168.7.10")));
        assertTrue(proxies.test(ip("2001:db8:7fff::1")));
        assertFalse(proxies.test(ip("2001:db8:8000::1")));
    }

    @Test
    void shouldTrustNoOneByDefault() throws Exception {
        assertFalse(TrustedProxies.NONE.test(ip("127.0.0.1")));
    }

    @Test
    void shouldRefuseTheOldBooleanAndBadPrefixes() {
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("true"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("proxy.example.com/8"));
    }
}
