package io.voxgate.benchmarks.load.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SipMessageTest {
    private static final String OK = "SIP/2.0 200 OK\r\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKa;rport=5070\r\n"
        + "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKb\r\n"
        + "f: <sip:load@127.0.0.1>;tag=abc\r\n"
        + "t: <sip:echo@127.0.0.1:5060>;tag=gw-7\r\n"
        + "i: call-1@127.0.0.1\r\n"
        + "CSeq: 1 INVITE\r\n"
        + "m: <sip:gw@127.0.0.1:5060;transport=udp>\r\n"
        + "Content-Type: application/sdp\r\n"
        + "Content-Length: 9\r\n"
        + "\r\n"
        + "v=0\r\ns=-\r\n";

    @Test
    void shouldParseAResponseWithCompactHeaders() {
        final SipMessage m = SipMessage.parse(OK);
        assertTrue(m.response());
        assertEquals(200, m.status());
        assertEquals("OK", m.reason());
        assertEquals("call-1@127.0.0.1", m.callId());
        assertEquals("INVITE", m.cseqMethod());
        assertEquals("gw-7", m.toTag());
        assertEquals("sip:gw@127.0.0.1:5060;transport=udp", m.contactUri());
        assertEquals("v=0\r\ns=-\r\n", m.body());
    }

    @Test
    void shouldKeepEveryViaInOrder() {
        assertEquals(List.of("SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKa;rport=5070", "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKb"),
            SipMessage.parse(OK).headers("via"));
    }

    @Test
    void shouldParseARequestAndItsReasonlessStartLine() {
        final SipMessage m = SipMessage.parse("BYE sip:load@127.0.0.1:5070 SIP/2.0\r\nCall-ID: x\r\nCSeq: 7 BYE\r\n"
            + "To: <sip:load@127.0.0.1>;tag=abc\r\nContent-Length: 0\r\n\r\n");
        assertFalse(m.response());
        assertEquals("BYE", m.method());
        assertEquals("BYE", m.cseqMethod());
        assertEquals("abc", m.toTag());
        assertNull(m.reason());
    }

    @Test
    void shouldJoinFoldedHeaderLines() {
        final SipMessage m = SipMessage.parse("SIP/2.0 486 Busy Here\r\nCall-ID: x\r\nCSeq: 1\r\n INVITE\r\n\r\n");
        assertEquals("INVITE", m.cseqMethod());
        assertEquals("Busy Here", m.reason());
    }

    @Test
    void shouldRefuseWhatIsNotSip() {
        assertNull(SipMessage.parse("HTTP/1.1 200 OK\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n".replace("HTTP/1.1 200 OK", "garbage")));
        assertNull(SipMessage.parse("SIP/2.0 abc OK\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n"));
        assertNull(SipMessage.parse("SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n\r\n"));
        assertNull(SipMessage.parse("INVITE sip:a@b HTTP/1.1\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n"));
    }
}
