package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** How the advertised address is written in SDP and SIP URIs. */
class AdvertisedAddressTest {
    private static String text(final String literal) throws UnknownHostException {
        return AdvertisedAddress.text(InetAddress.getByName(literal));
    }

    @Test
    void shouldWriteIpv6InTheRfc5952ShortForm() throws UnknownHostException {
        assertEquals("::1", text("0:0:0:0:0:0:0:1"));
        assertEquals("2001:db8::1", text("2001:0DB8:0:0:0:0:0:1"));
        assertEquals("2001:db8:0:1:1:1:1:1", text("2001:db8:0:1:1:1:1:1"), "a single zero group is not shortened");
        assertEquals("2001:0:0:1::1", text("2001:0:0:1:0:0:0:1"), "the longest run of zeros is the one shortened");
        assertEquals("fe80::1", text("fe80::1%1"), "no scope");
        assertEquals("::", text("::"));
    }

    @Test
    void shouldWriteIpv4Dotted() throws UnknownHostException {
        assertEquals("127.0.0.2", text("127.0.0.2"));
    }
}
