package io.voxgate.benchmarks.load.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.sip.srtp.SrtpCryptoSuite;
import io.voxgate.sip.srtp.SrtpMasterKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SipRequestsTest {
    private static final String URI = "sip:echo@127.0.0.1:5060";
    private static final String LOCAL = "127.0.0.1:40000";

    @Test
    void shouldBuildAnInviteWhoseContentLengthIsItsBodyLength() {
        final String sdp = SipRequests.offer("127.0.0.1", 41234, 99);
        final SipMessage m = SipMessage.parse(SipRequests.invite(URI, LOCAL, "z9hG4bKi1", "c1@127.0.0.1", "t1", sdp));
        assertEquals("INVITE", m.method());
        assertEquals("c1@127.0.0.1", m.callId());
        assertEquals("1 INVITE", m.header("CSeq"));
        assertEquals("SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKi1;rport", m.header("Via"));
        assertEquals("<sip:load@127.0.0.1>;tag=t1", m.header("From"));
        assertEquals("<" + URI + ">", m.header("To"));
        assertEquals("sip:load@127.0.0.1:40000", m.contactUri());
        assertEquals("70", m.header("Max-Forwards"));
        assertEquals(sdp, m.body());
        assertEquals(Integer.toString(sdp.getBytes(StandardCharsets.UTF_8).length), m.header("Content-Length"));
    }

    @Test
    void shouldOfferPcmuAndTelephoneEventAt20Ms() {
        final String sdp = SipRequests.offer("127.0.0.1", 41234, 99);
        assertTrue(sdp.contains("m=audio 41234 RTP/AVP 0 101\r\n"), sdp);
        assertTrue(sdp.contains("a=rtpmap:0 PCMU/8000\r\n"), sdp);
        assertTrue(sdp.contains("a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n"), sdp);
        assertTrue(sdp.contains("a=ptime:20\r\n"), sdp);
        assertTrue(sdp.contains("c=IN IP4 127.0.0.1\r\n"), sdp);
    }

    @Test
    void shouldOfferSavpWithOneSdesLineWhoseKeyTheAnswerParserReadsBack() {
        final SrtpMasterKey key = SrtpMasterKey.generate(new SecureRandom());
        final String sdp = SipRequests.offer("127.0.0.1", 41234, 99, key);
        assertTrue(sdp.contains("m=audio 41234 RTP/SAVP 0 101\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + key.base64()
            + "\r\n"), sdp);
        final SdpAnswer parsed = SdpAnswer.parse(sdp);
        assertTrue(parsed.pcmu());
        assertTrue(parsed.crypto().masterKey().sameAs(key));
    }

    @Test
    void shouldOfferAeadAes128GcmWithATwentyEightOctetKeyWhenAskedTo() {
        final SrtpMasterKey key = SrtpMasterKey.generate(new SecureRandom()).forSuite(SrtpCryptoSuite.AEAD_AES_128_GCM);
        final String sdp = SipRequests.offer("127.0.0.1", 41234, 99, SrtpCryptoSuite.AEAD_AES_128_GCM, key);
        assertTrue(sdp.contains("a=crypto:1 AEAD_AES_128_GCM inline:" + key.base64() + "\r\n"), sdp);
        final SdpAnswer parsed = SdpAnswer.parse(sdp);
        assertEquals(SrtpCryptoSuite.AEAD_AES_128_GCM, parsed.crypto().suite());
        assertTrue(parsed.crypto().masterKey().sameAs(key));
    }

    @Test
    void shouldAckA2xxAsANewTransactionToTheRemoteTarget() {
        final SipMessage m = SipMessage.parse(SipRequests.ackFor2xx("sip:gw@127.0.0.1:5060", LOCAL, "z9hG4bKb9", "c1", "t1",
            "<" + URI + ">;tag=g1"));
        assertEquals("ACK", m.method());
        assertEquals("1 ACK", m.header("CSeq"));
        assertEquals("g1", m.toTag());
        assertTrue(m.header("Via").contains("branch=z9hG4bKb9"));
    }

    @Test
    void shouldAckAFailureInsideTheInviteTransaction() {
        final String ack = SipRequests.ackForFailure(URI, LOCAL, "z9hG4bKi1", "c1", "t1", "<" + URI + ">;tag=g2");
        assertTrue(ack.startsWith("ACK " + URI + " SIP/2.0\r\n"), ack);
        assertTrue(SipMessage.parse(ack).header("Via").contains("branch=z9hG4bKi1"), ack);
    }

    @Test
    void shouldSendByeWithTheNextCseq() {
        final SipMessage m = SipMessage.parse(SipRequests.bye("sip:gw@127.0.0.1:5060", LOCAL, "z9hG4bKb2", "c1", "t1", "<x>;tag=g1"));
        assertEquals("BYE", m.method());
        assertEquals("2 BYE", m.header("CSeq"));
        assertEquals("0", m.header("Content-Length"));
    }

    @Test
    void shouldAnswerARequestCopyingViaFromToCallIdAndCseq() {
        final SipMessage bye = SipMessage.parse("BYE sip:load@127.0.0.1:40000 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKg1\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKg0\r\n"
            + "From: <sip:echo@127.0.0.1>;tag=g1\r\nTo: <sip:load@127.0.0.1>;tag=t1\r\nCall-ID: c1\r\nCSeq: 5 BYE\r\n"
            + "Content-Length: 0\r\n\r\n");
        final String text = SipRequests.response(bye, 200, "OK");
        final SipMessage ok = SipMessage.parse(text);
        assertTrue(text.startsWith("SIP/2.0 200 OK\r\n"), text);
        assertEquals(bye.headers("Via"), ok.headers("Via"));
        assertEquals(bye.header("From"), ok.header("From"));
        assertEquals(bye.header("To"), ok.header("To"));
        assertEquals("c1", ok.callId());
        assertEquals("5 BYE", ok.header("CSeq"));
        assertTrue(text.endsWith("Content-Length: 0\r\n\r\n"), text);
    }
}
