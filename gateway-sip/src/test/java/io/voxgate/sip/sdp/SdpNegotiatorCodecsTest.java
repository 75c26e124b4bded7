package io.voxgate.sip.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioEncoding;
import io.voxgate.core.audio.AudioFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SdpNegotiator} with the operator's codec order: G.722 (RFC 3551 §4.5.2) and Opus (RFC 7587). */
class SdpNegotiatorCodecsTest {

    private static SdpNegotiator negotiator(final String order, final int opusRateHz) {
        return new SdpNegotiator("203.0.113.10", 40002, 3845173712L, SrtpPolicy.OFF, null,
            new CodecPreferences(RtpAudioCodec.parseList(order), opusRateHz));
    }

    private static SessionDescription sdp(final String fixture) {
        return SdpParser.parse(SdpFixtures.load(fixture));
    }

    @Test
    void shouldAnswerAG722OfferWithStaticPayloadTypeNineOnAnEightKilohertzClock() {
        final SdpNegotiation n = new SdpNegotiator("203.0.113.10", 40002, 1L).answer(sdp("g722-offer.sdp"));
        assertTrue(n.accepted(), n.reason());
        assertTrue(n.sdp().contains("m=audio 40002 RTP/AVP 9 101\r\n"), n.sdp());
        assertTrue(n.sdp().contains("a=rtpmap:9 G722/8000\r\n"), n.sdp());
        assertTrue(n.sdp().contains("a=rtpmap:101 telephone-event/8000\r\n"), n.sdp());
        assertEquals(RtpAudioCodec.G722, n.media().codec());
        assertEquals(AudioFormat.PCM16_16K, n.media().callerFormat(), "G.722 carries 16 kHz audio");
        assertEquals(160, n.media().codec().timestampsPer20Ms(), "yet its RTP clock is 8000 Hz");
        assertEquals(101, n.media().telephoneEventPayloadType());
    }

    @Test
    void shouldTakeStaticPayloadTypeNineWithoutAnRtpmapAsG722() {
        final String offer = "v=0\r\no=- 1 1 IN IP4 192.0.2.5\r\ns=-\r\nc=IN IP4 192.0.2.5\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 9\r\n";
        final SdpNegotiation n = negotiator("g722", 16_000).answer(SdpParser.parse(offer));
        assertTrue(n.accepted(), n.reason());
        assertEquals(RtpAudioCodec.G722, n.media().codec());
    }

    @Test
    void shouldAnswerAnOpusOfferMonoAtTheAgentsRateWithTheEventsOnTheSameClock() {
        final SdpNegotiation n = negotiator(RtpAudioCodec.DEFAULT_ORDER, 24_000).answer(sdp("opus-offer.sdp"));
        assertTrue(n.accepted(), n.reason());
        assertTrue(n.sdp().contains("m=audio 40002 RTP/AVP 111 126\r\n"), n.sdp());
        assertTrue(n.sdp().contains("a=rtpmap:111 opus/48000/2\r\n"), n.sdp());
        assertTrue(n.sdp().contains(
            "a=fmtp:111 maxplaybackrate=24000;sprop-maxcapturerate=24000;stereo=0;sprop-stereo=0;useinbandfec=1\r\n"), n.sdp());
        assertTrue(n.sdp().contains("a=rtpmap:126 telephone-event/48000\r\n"), n.sdp());
        assertEquals(RtpAudioCodec.OPUS, n.media().codec());
        assertEquals(AudioFormat.of(AudioEncoding.PCM16, 24_000, 1, 20), n.media().callerFormat());
        assertEquals(126, n.media().telephoneEventPayloadType());
        assertEquals(16_000, n.media().opusPeer().maxPlaybackRateHz());
        assertTrue(n.media().opusPeer().usesInbandFec(), "the offer says useinbandfec=1: what we send carries FEC");
        assertEquals(960, n.media().codec().timestampsPer20Ms());
        assertTrue(SdpParser.parse(n.sdp()).valid());
    }

    @Test
    void shouldCarryNoDigitsOnOpusWhenTheOfferHasEventsOnlyOnAnotherClock() {
        final String offer = SdpFixtures.load("opus-offer.sdp").replace("m=audio 4000 RTP/AVP 111 126 101", "m=audio 4000 RTP/AVP 111 101");
        final SdpNegotiation n = negotiator("opus", 16_000).answer(SdpParser.parse(offer));
        assertTrue(n.accepted(), n.reason());
        assertEquals(-1, n.media().telephoneEventPayloadType());
        assertFalse(n.sdp().contains("telephone-event"), n.sdp());
    }

    @Test
    void shouldPickByOurOrderWhateverTheOffersOrder() {
        assertEquals(RtpAudioCodec.PCMU, new SdpNegotiator("203.0.113.10", 40002, 1L).answer(sdp("wideband-first-offer.sdp"))
            .media().codec());
        assertEquals(RtpAudioCodec.G722, negotiator("g722,opus,pcmu", 16_000).answer(sdp("wideband-first-offer.sdp")).media().codec());
        assertEquals(RtpAudioCodec.OPUS, negotiator("opus,g722", 16_000).answer(sdp("wideband-first-offer.sdp")).media().codec());
        assertEquals(RtpAudioCodec.PCMA, negotiator("pcma,pcmu", 16_000).answer(sdp("wideband-first-offer.sdp")).media().codec());
    }

    @Test
    void shouldRefuseAWidebandOfferWhenTheOrderLeavesItsCodecOut() {
        final SdpNegotiation n = negotiator("pcmu,pcma", 16_000).answer(sdp("g722-offer.sdp"));
        assertEquals(SdpNegotiation.Outcome.NOT_ACCEPTABLE, n.outcome());
    }

    @Test
    void shouldNotTakeOpusOnAnotherClockOrG722OnSixteenKilohertz() {
        final String offer = "v=0\r\no=- 1 1 IN IP4 192.0.2.5\r\ns=-\r\nc=IN IP4 192.0.2.5\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 96 97\r\na=rtpmap:96 opus/16000/1\r\na=rtpmap:97 G722/16000\r\n";
        assertFalse(negotiator("g722,opus", 16_000).answer(SdpParser.parse(offer)).accepted());
    }

    @Test
    void shouldOfferOnlyTheG711LawsOfTheOrderInItsOrder() {
        final String offer = negotiator("g722,pcma,opus,pcmu", 16_000).offer();
        assertTrue(offer.contains("m=audio 40002 RTP/AVP 8 0 101\r\n"), offer);
        assertFalse(offer.contains("G722"), offer);
    }

    @Test
    void shouldKeepOpusAndItsParametersInAReoffer() {
        final SdpNegotiator negotiator = negotiator(RtpAudioCodec.DEFAULT_ORDER, 16_000);
        final NegotiatedMedia media = negotiator("opus", 16_000).answer(sdp("opus-offer.sdp")).media();
        final String reoffer = negotiator.reoffer(media);
        assertTrue(reoffer.contains("m=audio 40002 RTP/AVP 111 126\r\n"), reoffer);
        assertTrue(reoffer.contains("a=rtpmap:111 opus/48000/2\r\n"), reoffer);
        assertTrue(reoffer.contains("a=fmtp:111 maxplaybackrate=16000;"), reoffer);
        assertTrue(reoffer.contains("a=rtpmap:126 telephone-event/48000\r\n"), reoffer);
    }

    @Test
    void shouldReadTheCodecListInOrderAndRefuseUnknownOrRepeatedNames() {
        assertEquals(List.of(RtpAudioCodec.OPUS, RtpAudioCodec.PCMU), RtpAudioCodec.parseList(" Opus , PCMU"));
        assertThrows(IllegalArgumentException.class, () -> RtpAudioCodec.parseList("pcmu,g729"));
        assertThrows(IllegalArgumentException.class, () -> RtpAudioCodec.parseList("pcmu,pcmu"));
        assertThrows(IllegalArgumentException.class, () -> RtpAudioCodec.parseList(""));
    }

    @Test
    void shouldSendFecOnlyToAPeerThatSaysItUsesIt() {
        assertTrue(OpusPeerParameters.parse("maxplaybackrate=16000; useinbandfec=1").usesInbandFec());
        assertFalse(OpusPeerParameters.parse("useinbandfec=0").usesInbandFec());
        assertFalse(OpusPeerParameters.parse("maxplaybackrate=16000").usesInbandFec(), "RFC 7587 §6.1: absent means 0");
        assertFalse(OpusPeerParameters.parse(null).usesInbandFec());
        final String offer = SdpFixtures.load("opus-offer.sdp").replace("useinbandfec=1;", "");
        assertFalse(negotiator("opus", 16_000).answer(SdpParser.parse(offer)).media().opusPeer().usesInbandFec());
    }

    @Test
    void shouldReadMaxPlaybackRateAndIgnoreGarbage() {
        assertEquals(8_000, OpusPeerParameters.parse("useinbandfec=1; maxplaybackrate=8000").maxPlaybackRateHz());
        assertEquals(0, OpusPeerParameters.parse("maxplaybackrate=lots").maxPlaybackRateHz());
        assertEquals(0, OpusPeerParameters.parse("maxplaybackrate=99999999999").maxPlaybackRateHz());
        assertEquals(0, OpusPeerParameters.parse(null).maxPlaybackRateHz());
    }

    @Test
    void shouldReadMaxAverageBitrateWithinTheRangeRfc7587Allows() {
        assertEquals(20_000, OpusPeerParameters.parse("maxaveragebitrate=20000;useinbandfec=1").maxAverageBitrateBps());
        assertEquals(6_000, OpusPeerParameters.parse("MaxAverageBitrate = 6000").maxAverageBitrateBps());
        assertEquals(510_000, OpusPeerParameters.parse("maxaveragebitrate=510000").maxAverageBitrateBps());
        assertEquals(0, OpusPeerParameters.parse("maxaveragebitrate=5999").maxAverageBitrateBps(), "below 6,000: ignored");
        assertEquals(0, OpusPeerParameters.parse("maxaveragebitrate=510001").maxAverageBitrateBps(), "above 510,000: ignored");
        assertEquals(0, OpusPeerParameters.parse("maxaveragebitrate=-20000").maxAverageBitrateBps());
        assertEquals(0, OpusPeerParameters.parse("useinbandfec=1").maxAverageBitrateBps());
    }

    @Test
    void shouldCarryTheOffersMaxAverageBitrateIntoTheNegotiatedStream() {
        final String offer = SdpFixtures.load("opus-offer.sdp").replace("useinbandfec=1;", "useinbandfec=1;maxaveragebitrate=24000;");
        assertEquals(24_000, negotiator("opus", 16_000).answer(SdpParser.parse(offer)).media().opusPeer().maxAverageBitrateBps());
    }

    @Test
    void shouldNameNoOpusParametersForAnotherCodec() {
        assertEquals(OpusPeerParameters.NONE, negotiator("g722", 16_000).answer(sdp("g722-offer.sdp")).media().opusPeer());
    }
}
