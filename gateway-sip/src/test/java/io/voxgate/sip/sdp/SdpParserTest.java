package io.voxgate.sip.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SdpParserTest {

    @Test
    void shouldParseTwilioStyleOffer() {
        final SessionDescription sd = SdpParser.parse(SdpFixtures.load("twilio-offer.sdp"));
        assertTrue(sd.valid(), sd.error());
        assertEquals("168.86.128.10", sd.connectionAddress());
        final MediaDescription m = sd.media().get(0);
        assertEquals(15000, m.port());
        assertEquals(List.of("0", "8", "101"), m.formats());
        assertEquals("telephone-event/8000", m.rtpmap("101"));
        assertEquals("0-16", m.fmtp("101"));
        assertEquals(20, m.ptimeMs());
        assertEquals(MediaDirection.SENDRECV, sd.directionOf(m));
    }

    @Test
    void shouldTolerateBareLineFeedsAndUnknownAttributes() {
        final SessionDescription sd = SdpParser.parse(SdpFixtures.load("pcma-only-lf.sdp"));
        assertTrue(sd.valid(), sd.error());
        assertEquals(List.of("8", "96"), sd.media().get(0).formats());
        assertNull(sd.media().get(0).direction());
    }

    @Test
    void shouldParseSeveralMediaSectionsWithTheirOwnConnectionAndRtcpAttributes() {
        final SessionDescription sd = SdpParser.parse(SdpFixtures.load("multi-media.sdp"));
        assertTrue(sd.valid(), sd.error());
        assertEquals(3, sd.media().size());
        final MediaDescription audio = sd.media().get(1);
        assertEquals("192.0.2.7", sd.connectionAddressOf(audio));
        assertEquals(4003, audio.rtcpPort());
        assertEquals("192.0.2.8", audio.rtcpAddress());
        assertTrue(audio.rtcpMux());
        assertEquals(MediaDirection.SENDONLY, sd.directionOf(audio));
        assertEquals(MediaDirection.SENDRECV, sd.directionOf(sd.media().get(2)));
        assertFalse(sd.media().get(0).isRtpAudio());
    }

    @Test
    void shouldRejectTextThatIsNotSdp() {
        assertFalse(SdpParser.parse("").valid());
        assertFalse(SdpParser.parse(null).valid());
        assertFalse(SdpParser.parse("hello world").valid());
        assertFalse(SdpParser.parse("v=1\r\no=- 1 1 IN IP4 1.2.3.4\r\n").valid());
        assertFalse(SdpParser.parse("v=0\r\ns=-\r\n").valid(), "no o=");
        assertFalse(SdpParser.parse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nm=audio x RTP/AVP 0\r\n").valid(), "bad port");
        assertFalse(SdpParser.parse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nm=audio 70000 RTP/AVP 0\r\n").valid(), "port > 65535");
        assertFalse(SdpParser.parse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP9 1.2.3.4\r\n").valid(), "bad c=");
        assertFalse(SdpParser.parse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nm=audio 1 RTP/AVP\r\n").valid(), "no formats");
    }

    @Test
    void shouldRejectTooManyMediaSections() {
        final StringBuilder sb = new StringBuilder("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\n");
        for (int i = 0; i <= SdpParser.MAX_MEDIA; i++) {
            sb.append("m=audio ").append(4000 + 2 * i).append(" RTP/AVP 0\r\n");
        }
        assertFalse(SdpParser.parse(sb.toString()).valid());
    }
}
