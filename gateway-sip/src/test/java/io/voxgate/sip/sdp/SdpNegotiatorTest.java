package io.voxgate.sip.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioFormat;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SdpNegotiatorTest {
    private final SdpNegotiator negotiator = new SdpNegotiator("203.0.113.10", 40002, 3845173712L);

    private static SessionDescription sdp(final String fixture) {
        return SdpParser.parse(SdpFixtures.load(fixture));
    }

    @Test
    void shouldAnswerTwilioWithPcmuTelephoneEventPtimeAndMirroredDirection() {
        final SdpNegotiation n = negotiator.answer(sdp("twilio-offer.sdp"));
        assertTrue(n.accepted(), n.reason());
        final String answer = n.sdp();
        assertTrue(answer.contains("m=audio 40002 RTP/AVP 0 101\r\n"), answer);
        assertTrue(answer.contains("c=IN IP4 203.0.113.10\r\n"));
        assertTrue(answer.contains("a=rtpmap:0 PCMU/8000\r\n"));
        assertTrue(answer.contains("a=rtpmap:101 telephone-event/8000\r\n"));
        assertTrue(answer.contains("a=fmtp:101 0-15\r\n"));
        assertTrue(answer.contains("a=ptime:20\r\n"));
        assertTrue(answer.contains("a=sendrecv\r\n"));
        assertTrue(answer.contains("t=0 0\r\n"));
        assertTrue(answer.startsWith("v=0\r\no=voxgate 3845173712 "));
        assertEquals(AudioFormat.MULAW_8K, n.media().callerFormat());
        assertEquals(new InetSocketAddress("168.86.128.10", 15000), n.media().remoteRtp());
        assertEquals(new InetSocketAddress("168.86.128.10", 15001), n.media().remoteRtcp());
        assertEquals(101, n.media().telephoneEventPayloadType());
        assertTrue(SdpParser.parse(answer).valid());
    }

    @Test
    void shouldAnswerPcmaOnlyOfferWithPcmaAndTheOfferedEventPayloadType() {
        final SdpNegotiation n = negotiator.answer(sdp("pcma-only-lf.sdp"));
        assertTrue(n.accepted(), n.reason());
        assertTrue(n.sdp().contains("m=audio 40002 RTP/AVP 8 96\r\n"), n.sdp());
        assertTrue(n.sdp().contains("a=rtpmap:8 PCMA/8000\r\n"));
        assertEquals(AudioFormat.ALAW_8K, n.media().callerFormat());
        assertEquals(96, n.media().telephoneEventPayloadType());
    }

    @Test
    void shouldRefuseAnOfferWithoutG711() {
        final SdpNegotiation n = negotiator.answer(sdp("g729-only.sdp"));
        assertEquals(SdpNegotiation.Outcome.NOT_ACCEPTABLE, n.outcome());
    }

    @Test
    void shouldReportMalformedSdp() {
        assertEquals(SdpNegotiation.Outcome.MALFORMED, negotiator.answer(SdpParser.parse("garbage")).outcome());
    }

    @Test
    void shouldKeepMediaCountAndOrderRejectingOtherStreamsWithPortZero() {
        final SdpNegotiation n = negotiator.answer(sdp("multi-media.sdp"));
        assertTrue(n.accepted(), n.reason());
        final SessionDescription answer = SdpParser.parse(n.sdp());
        assertEquals(3, answer.media().size());
        assertEquals("video", answer.media().get(0).media());
        assertEquals(0, answer.media().get(0).port());
        assertEquals(40002, answer.media().get(1).port());
        assertEquals("0", answer.media().get(1).formats().get(0), "PCMU preferred over the offer's PCMA-first order");
        assertEquals(MediaDirection.RECVONLY, answer.directionOf(answer.media().get(1)));
        assertEquals(0, answer.media().get(2).port(), "a second audio stream is rejected");
        assertEquals(new InetSocketAddress("192.0.2.7", 4000), n.media().remoteRtp());
        assertEquals(new InetSocketAddress("192.0.2.8", 4003), n.media().remoteRtcp());
    }

    @Test
    void shouldAnswerHoldAndResumeReOffersWithTheSameCodecAndPortAndANewVersion() {
        final SdpNegotiation first = negotiator.answer(sdp("twilio-offer.sdp"));
        final String hold = SdpFixtures.load("twilio-offer.sdp").replace("a=sendrecv", "a=sendonly");
        final SdpNegotiation held = negotiator.reanswer(SdpParser.parse(hold), first.media());
        assertTrue(held.accepted());
        assertTrue(held.sdp().contains("a=recvonly\r\n"));
        assertTrue(held.sdp().contains("m=audio 40002 RTP/AVP 0 101\r\n"));
        assertFalse(held.media().localDirection().sends());
        final SdpNegotiation resumed = negotiator.reanswer(sdp("twilio-offer.sdp"), held.media());
        assertTrue(resumed.sdp().contains("a=sendrecv\r\n"));
        assertNotEquals(origin(first.sdp()), origin(held.sdp()));
        assertNotEquals(origin(held.sdp()), origin(resumed.sdp()));
    }

    @Test
    void shouldAnswerRfc2543HoldAsRecvOnly() {
        final SdpNegotiation first = negotiator.answer(sdp("twilio-offer.sdp"));
        final SdpNegotiation held = negotiator.reanswer(sdp("hold-rfc2543.sdp"), first.media());
        assertTrue(held.accepted(), held.reason());
        assertEquals(MediaDirection.RECVONLY, held.media().localDirection());
    }

    @Test
    void shouldRefuseAReOfferThatDropsTheCallsCodec() {
        final SdpNegotiation first = negotiator.answer(sdp("twilio-offer.sdp"));
        final SdpNegotiation n = negotiator.reanswer(sdp("pcma-only-lf.sdp"), first.media());
        assertEquals(SdpNegotiation.Outcome.NOT_ACCEPTABLE, n.outcome());
    }

    @Test
    void shouldOfferG711AndTakeTheAnswerFromTheAck() {
        final String offer = negotiator.offer();
        assertTrue(offer.contains("m=audio 40002 RTP/AVP 0 8 101\r\n"));
        final String answer = "v=0\r\no=- 2 2 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n"
            + "m=audio 6000 RTP/AVP 8 101\r\na=rtpmap:101 telephone-event/8000\r\n";
        final SdpNegotiation n = negotiator.acceptAnswer(SdpParser.parse(answer));
        assertTrue(n.accepted(), n.reason());
        assertEquals(AudioFormat.ALAW_8K, n.media().callerFormat());
        assertEquals(new InetSocketAddress("192.0.2.9", 6000), n.media().remoteRtp());
    }

    @Test
    void shouldNeverResolveHostNames() {
        assertEquals(null, SdpNegotiator.literal("example.invalid"));
        assertEquals(null, SdpNegotiator.literal("1.2.3"));
        assertEquals(null, SdpNegotiator.literal("300.1.1.1"));
        assertTrue(SdpNegotiator.literal("::1") != null);
    }

    @Test
    void shouldWriteIp6ConnectionLinesForIp6Addresses() {
        final SdpNegotiator v6 = new SdpNegotiator("2001:db8::1", 40002, 1);
        assertTrue(v6.offer().contains("c=IN IP6 2001:db8::1\r\n"));
    }

    private static String origin(final String sdp) {
        return sdp.lines().filter(l -> l.startsWith("o=")).findFirst().orElseThrow();
    }

    private static SessionDescription offerAt(final String address, final String extra) {
        return SdpParser.parse("v=0\r\no=peer 1 1 IN " + (address.indexOf(':') >= 0 ? "IP6 " : "IP4 ") + address + "\r\ns=-\r\n"
            + "c=IN " + (address.indexOf(':') >= 0 ? "IP6 " : "IP4 ") + address + "\r\nt=0 0\r\n"
            + "m=audio 15000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n" + extra + "a=sendrecv\r\n");
    }

    @Test
    void shouldRefuseAMulticastConnectionAddressAsNotAcceptable() {
        final SdpNegotiation n = negotiator.answer(offerAt("239.1.2.3", ""));
        assertEquals(SdpNegotiation.Outcome.NOT_ACCEPTABLE, n.outcome());
        assertTrue(n.reason().contains("unicast"), n.reason());
    }

    @Test
    void shouldRefuseAnIpv6MulticastConnectionAddress() {
        assertEquals(SdpNegotiation.Outcome.NOT_ACCEPTABLE, negotiator.answer(offerAt("ff02::1", "")).outcome());
    }

    @Test
    void shouldRefuseTheBroadcastAddress() {
        assertEquals(SdpNegotiation.Outcome.NOT_ACCEPTABLE, negotiator.answer(offerAt("255.255.255.255", "")).outcome());
    }

    @Test
    void shouldAcceptZeroAddressOnlyAsHold() {
        final SdpNegotiation n = negotiator.answer(offerAt("0.0.0.0", ""));
        assertTrue(n.accepted(), n.reason());
        assertFalse(n.media().localDirection().sends());
    }

    @Test
    void shouldRefuseAMulticastRtcpAddress() {
        final SdpNegotiation n = negotiator.answer(offerAt("168.86.128.10", "a=rtcp:15011 IN IP4 239.1.2.3\r\n"));
        assertEquals(SdpNegotiation.Outcome.NOT_ACCEPTABLE, n.outcome());
    }

    @Test
    void shouldRefuseAMulticastAddressInTheAnswerToTheGatewaysOffer() {
        negotiator.offer();
        assertEquals(SdpNegotiation.Outcome.NOT_ACCEPTABLE, negotiator.acceptAnswer(offerAt("224.0.0.1", "")).outcome());
    }
}
