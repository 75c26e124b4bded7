package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SipMessageCaptureTest {
    /** jain-sip's time of the event, in epoch milliseconds. */
    private static final long NOW_MILLIS = Instant.parse("2026-12-05T16:00:00.123Z").toEpochMilli();

    private record Seen(byte[] source, int sourcePort, byte[] destination, int destinationPort, boolean tcp, long epochMicros,
                        String callId, String message) {
    }

    private final List<Seen> seen = new ArrayList<>();
    private final SipMessageMirror mirror = (s, sp, d, dp, tcp, us, id, m) -> seen.add(new Seen(s, sp, d, dp, tcp, us,
        new String(id, StandardCharsets.US_ASCII), new String(m, StandardCharsets.UTF_8)));

    private static SIPMessage invite(final String transport) throws Exception {
        final String text = "INVITE sip:+14155550100@[::1]:5060 SIP/2.0\r\n"
            + "Via: SIP/2.0/" + transport + " [::1]:40000;branch=z9hG4bK-1;rport\r\n"
            + "From: <sip:caller@[::1]>;tag=1\r\nTo: <sip:+14155550100@[::1]>\r\nCall-ID: abc@host\r\nCSeq: 1 INVITE\r\n"
            + "Contact: <sip:caller@[::1]:40000>\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        return new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.US_ASCII), true, false, null);
    }

    private SipMessageCapture capture(final byte[] standIn) {
        return new SipMessageCapture(mirror, standIn);
    }

    @Test
    void shouldReadBracketedIpv6EndsWithTheirPorts() throws Exception {
        capture(null).capture(invite("UDP"), "[::1]:40000", "[::1]:5060", NOW_MILLIS);

        assertEquals(1, seen.size());
        final Seen s = seen.get(0);
        assertArrayEquals(InetAddress.getByName("::1").getAddress(), s.source());
        assertArrayEquals(InetAddress.getByName("::1").getAddress(), s.destination());
        assertEquals(40_000, s.sourcePort());
        assertEquals(5060, s.destinationPort());
        assertFalse(s.tcp());
        assertEquals(NOW_MILLIS * 1_000L, s.epochMicros(), "jain-sip's event time, in microseconds");
        assertEquals("abc@host", s.callId());
        assertTrue(s.message().startsWith("INVITE sip:+14155550100@[::1]:5060 SIP/2.0\r\n"), s.message());
    }

    @Test
    void shouldTakeTheTransportFromTheTopmostVia() throws Exception {
        capture(null).capture(invite("TLS"), "[::1]:40000", "[::1]:5061", NOW_MILLIS);

        assertTrue(seen.get(0).tcp());
    }

    @Test
    void shouldMapAnIpv4EndWhenTheOtherIsIpv6() throws Exception {
        capture(null).capture(invite("UDP"), "127.0.0.1:40000", "[::1]:5060", NOW_MILLIS);

        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1}, seen.get(0).source(),
            "IPv4-mapped IPv6, so both ends share one family");
        assertEquals(16, seen.get(0).destination().length);
    }

    @Test
    void shouldWriteTheExternalAddressForAWildcardEnd() throws Exception {
        capture(SipMessageCapture.wildcardStandIn("203.0.113.7"))
            .capture(invite("UDP"), "198.51.100.2:5060", "0.0.0.0:5060", NOW_MILLIS);

        assertArrayEquals(new byte[] {(byte) 203, 0, 113, 7}, seen.get(0).destination());
        assertArrayEquals(new byte[] {(byte) 198, 51, 100, 2}, seen.get(0).source());
    }

    @Test
    void shouldCountAndSkipAnEndThatIsNotAnIpLiteral() throws Exception {
        final SipMessageCapture capture = capture(null);

        capture.capture(invite("UDP"), "proxy.example.com:5060", "127.0.0.1:5060", NOW_MILLIS);

        assertTrue(seen.isEmpty(), "no DNS lookup on a signalling thread");
        assertEquals(1, capture.messagesUnreadable());
    }
}
