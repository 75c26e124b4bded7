package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class SourceAllowListTest {
    private static InetAddress ip(final String text) throws UnknownHostException {
        return InetAddress.getByName(text);
    }

    @Test
    void shouldAllowLoopbackOnlyByDefault() throws UnknownHostException {
        final SourceAllowList list = SourceAllowList.parse(SourceAllowList.DEFAULT);
        assertTrue(list.allows(ip("127.0.0.1")));
        assertTrue(list.allows(ip("127.255.0.9")));
        assertTrue(list.allows(ip("::1")));
        assertFalse(list.allows(ip("10.0.0.1")));
        assertFalse(list.allows(ip("::2")));
    }

    @Test
    void shouldExpandTheTwilioPresetToEveryDocumentedSignallingRange() throws UnknownHostException {
        final SourceAllowList list = SourceAllowList.parse("twilio");
        for (final String cidr : SourceAllowList.TWILIO_SIGNALLING_CIDRS) {
            final String base = cidr.substring(0, cidr.indexOf('/'));
            final byte[] last = ip(base).getAddress();
            last[3] += 3;
            assertTrue(list.allows(ip(base)), cidr);
            assertTrue(list.allows(InetAddress.getByAddress(last)), cidr + " upper end");
            last[3] += 1;
            assertFalse(list.allows(InetAddress.getByAddress(last)), cidr + " is a /30");
        }
        assertTrue(SourceAllowList.isTwilio(ip("54.172.60.2")));
        assertFalse(SourceAllowList.isTwilio(ip("127.0.0.1")));
    }

    @Test
    void shouldMatchPrefixesThatAreNotByteAligned() throws UnknownHostException {
        final SourceAllowList list = SourceAllowList.parse("192.0.2.64/27, 2001:db8::/33");
        assertTrue(list.allows(ip("192.0.2.95")));
        assertFalse(list.allows(ip("192.0.2.96")));
        assertTrue(list.allows(ip("2001:db8:7fff::1")));
        assertFalse(list.allows(ip("2001:db8:8000::1")));
    }

    @Test
    void shouldTreatABareAddressAsOneHost() throws UnknownHostException {
        final SourceAllowList list = SourceAllowList.parse("198.51.100.7");
        assertTrue(list.allows(ip("198.51.100.7")));
        assertFalse(list.allows(ip("198.51.100.8")));
    }

    @Test
    void shouldRejectEntriesThatAreNotCidrBlocksNamingTheOption() {
        for (final String bad : new String[] {"", "nonsense", "10.0.0.0/33", "10.0.0/8", "example.com/24", "::1/129",
            "10.0.0.0/x", "aa.bb.cc.dd"}) {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> SourceAllowList.parse(bad), bad);
            assertTrue(ex.getMessage().contains("--sip-allow"), ex.getMessage());
        }
    }
}
