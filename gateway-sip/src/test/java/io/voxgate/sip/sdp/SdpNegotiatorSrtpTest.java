package io.voxgate.sip.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.sip.srtp.SdesCryptoAttribute;
import io.voxgate.sip.srtp.SrtpContext;
import io.voxgate.sip.srtp.SrtpCryptoSuite;
import io.voxgate.sip.srtp.SrtpMasterKey;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class SdpNegotiatorSrtpTest {
    /** The key of the offer's usable line (tag 3, AES_CM_128_HMAC_SHA1_32). */
    private static final String OFFERED_KEY = "NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj";
    private final SecureRandom random = new SecureRandom();

    private SdpNegotiator negotiator(final SrtpPolicy policy) {
        return new SdpNegotiator("203.0.113.10", 40002, 77L, policy, random);
    }

    private static SessionDescription sdp(final String fixture) {
        return SdpParser.parse(SdpFixtures.load(fixture));
    }

    private static String cryptoLine(final String sdp) {
        for (final String line : sdp.split("\r\n")) {
            if (line.startsWith("a=crypto:")) {
                return line.substring("a=crypto:".length());
            }
        }
        return null;
    }

    @Test
    void shouldAnswerSavpWithTheFirstUsableCryptoLineItsTagAndOurOwnKey() {
        final SdpNegotiation n = negotiator(SrtpPolicy.OPTIONAL).answer(sdp("savp-offer.sdp"));
        assertTrue(n.accepted(), n.reason());
        assertTrue(n.sdp().contains("m=audio 40002 RTP/SAVP 0 101\r\n"), n.sdp());
        final SdesCryptoAttribute ours = SdesCryptoAttribute.parse(cryptoLine(n.sdp())).attribute();
        assertEquals(3, ours.tag(), "the MKI line and the F8 line are skipped");
        assertEquals(SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_32, ours.suite());
        final NegotiatedSrtp srtp = n.media().srtp();
        assertEquals(SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_32, srtp.suite());
        assertEquals(OFFERED_KEY, srtp.remoteKey().base64());
        assertTrue(srtp.localKey().sameAs(ours.masterKey()));
        assertFalse(srtp.localKey().sameAs(srtp.remoteKey()));
    }

    @Test
    void shouldAnswerAeadAes128GcmWhenTheOfferPrefersItWithATwentyEightOctetKey() {
        final SdpNegotiation n = negotiator(SrtpPolicy.OPTIONAL).answer(sdp("savp-gcm-offer.sdp"));
        assertTrue(n.accepted(), n.reason());
        final SdesCryptoAttribute ours = SdesCryptoAttribute.parse(cryptoLine(n.sdp())).attribute();
        assertEquals(1, ours.tag());
        assertEquals(SrtpCryptoSuite.AEAD_AES_128_GCM, ours.suite());
        assertEquals(28, ours.masterKey().length());
        final NegotiatedSrtp srtp = n.media().srtp();
        assertEquals(SrtpCryptoSuite.AEAD_AES_128_GCM, srtp.suite());
        assertTrue(srtp.localKey().sameAs(ours.masterKey()));
        assertEquals(28, srtp.remoteKey().length());
    }

    @Test
    void shouldExchangeGcmPacketsWithThePeersKeyAfterTheAnswer() {
        final NegotiatedSrtp srtp = negotiator(SrtpPolicy.OPTIONAL).answer(sdp("savp-gcm-offer.sdp")).media().srtp();
        final SrtpMasterKey peerKey = SdesCryptoAttribute.parse("1 AEAD_AES_128_GCM inline:ISgvNj1ES1JZYGdudXyDipGYn6attLvCydDX3g==")
            .attribute().masterKey();
        final byte[] plain = new byte[40];
        plain[0] = (byte) 0x80;
        new UnsafeBuffer(plain).putInt(8, 42, ByteOrder.BIG_ENDIAN);
        final UnsafeBuffer buffer = new UnsafeBuffer(Arrays.copyOf(plain, 64));
        assertEquals(56, new SrtpContext(srtp.suite(), peerKey).protectRtp(buffer, 0, 40));
        assertEquals(40, srtp.newReceiveContext().unprotectRtp(buffer, 0, 56));
        final byte[] back = new byte[40];
        buffer.getBytes(0, back);
        assertArrayEquals(plain, back);
    }

    @Test
    void shouldBuildContextsThatTalkToThePeersKeys() {
        final NegotiatedSrtp srtp = negotiator(SrtpPolicy.OPTIONAL).answer(sdp("savp-offer.sdp")).media().srtp();
        final SrtpMasterKey peerKey = SdesCryptoAttribute.parse("3 AES_CM_128_HMAC_SHA1_32 inline:" + OFFERED_KEY)
            .attribute().masterKey();
        final SrtpContext peerSends = new SrtpContext(srtp.suite(), peerKey);
        final byte[] packet = new byte[64];
        packet[0] = (byte) 0x80;
        final UnsafeBuffer buffer = new UnsafeBuffer(packet.clone());
        buffer.putInt(8, 42, ByteOrder.BIG_ENDIAN);
        final byte[] plain = Arrays.copyOf(packet, 40);
        new UnsafeBuffer(plain).putInt(8, 42, ByteOrder.BIG_ENDIAN);
        assertEquals(44, peerSends.protectRtp(buffer, 0, 40));
        assertEquals(40, srtp.newReceiveContext().unprotectRtp(buffer, 0, 44));
        final byte[] back = new byte[40];
        buffer.getBytes(0, back);
        assertArrayEquals(plain, back);
    }

    @Test
    void shouldAnswerPlainOffersWithPlainRtpWhenOptional() {
        final SdpNegotiation n = negotiator(SrtpPolicy.OPTIONAL).answer(sdp("twilio-offer.sdp"));
        assertTrue(n.accepted());
        assertTrue(n.sdp().contains(" RTP/AVP 0 101\r\n"));
        assertNull(cryptoLine(n.sdp()));
        assertNull(n.media().srtp());
    }

    @Test
    void shouldRefusePlainOffersWhenRequired() {
        final SdpNegotiation n = negotiator(SrtpPolicy.REQUIRED).answer(sdp("twilio-offer.sdp"));
        assertEquals(SdpNegotiation.Outcome.NOT_ACCEPTABLE, n.outcome());
        assertTrue(n.reason().contains("SRTP required"), n.reason());
    }

    @Test
    void shouldRefuseSavpOffersWhenOff() {
        final SdpNegotiation n = new SdpNegotiator("203.0.113.10", 40002, 77L).answer(sdp("savp-offer.sdp"));
        assertEquals(SdpNegotiation.Outcome.NOT_ACCEPTABLE, n.outcome());
        assertTrue(n.reason().contains("SRTP is off"), n.reason());
    }

    @Test
    void shouldRefuseSavpWithoutAUsableKeyAndSayWhyWithoutTheKey() {
        final String offer = SdpFixtures.load("savp-offer.sdp").replaceAll("a=crypto:3[^\r\n]*\r?\n", "");
        final SdpNegotiation n = negotiator(SrtpPolicy.OPTIONAL).answer(SdpParser.parse(offer));
        assertEquals(SdpNegotiation.Outcome.NOT_ACCEPTABLE, n.outcome());
        assertTrue(n.reason().contains("MKI"), n.reason());
        assertFalse(n.reason().contains("WVNf"), "the reason never carries the offered key");
    }

    @Test
    void shouldKeepOurKeyOnAReofferAndRefuseAReofferThatDropsSrtp() {
        final SdpNegotiator negotiator = negotiator(SrtpPolicy.OPTIONAL);
        final SdpNegotiation first = negotiator.answer(sdp("savp-offer.sdp"));
        final SdpNegotiation again = negotiator.reanswer(sdp("savp-offer.sdp"), first.media());
        assertTrue(again.accepted(), again.reason());
        assertTrue(again.media().srtp().localKey().sameAs(first.media().srtp().localKey()));
        final SdpNegotiation plain = negotiator.reanswer(sdp("twilio-offer.sdp"), first.media());
        assertEquals(SdpNegotiation.Outcome.NOT_ACCEPTABLE, plain.outcome());
        assertTrue(plain.reason().contains("switches between RTP and SRTP"), plain.reason());
    }

    @Test
    void shouldOfferSavpWhenRequiredAndTakeTheAnswersKey() {
        final SdpNegotiator negotiator = negotiator(SrtpPolicy.REQUIRED);
        final String offer = negotiator.offer();
        assertTrue(offer.contains("m=audio 40002 RTP/SAVP 0 8 101\r\n"), offer);
        final SdesCryptoAttribute offered = SdesCryptoAttribute.parse(cryptoLine(offer)).attribute();
        assertEquals(SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_80, offered.suite());

        final SrtpMasterKey peerKey = SrtpMasterKey.generate(random);
        final String answer = "v=0\r\no=peer 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n"
            + "m=audio 20000 RTP/SAVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"
            + "a=crypto:" + SdesCryptoAttribute.of(offered.tag(), offered.suite(), peerKey).sdpValue() + "\r\n";
        final SdpNegotiation n = negotiator.acceptAnswer(SdpParser.parse(answer));
        assertTrue(n.accepted(), n.reason());
        assertTrue(n.media().srtp().remoteKey().sameAs(peerKey));
        assertTrue(n.media().srtp().localKey().sameAs(offered.masterKey()));
        assertTrue(negotiator.reoffer(n.media()).contains(" RTP/SAVP 0 101\r\n"));
    }

    @Test
    void shouldKeepAtMostEightCryptoLinesPerStream() {
        final StringBuilder offer = new StringBuilder(SdpFixtures.load("savp-offer.sdp"));
        for (int i = 0; i < 20; i++) {
            offer.append("a=crypto:").append(10 + i).append(" AES_CM_128_HMAC_SHA1_80 inline:").append(OFFERED_KEY)
                .append("\r\n");
        }
        final SessionDescription parsed = SdpParser.parse(offer.toString());
        assertEquals(SdpParser.MAX_CRYPTO_ATTRIBUTES, parsed.media().get(0).cryptoAttributes().size());
    }

    @Test
    void shouldNeverPrintKeysInTheNegotiatedMedia() {
        final NegotiatedMedia media = negotiator(SrtpPolicy.OPTIONAL).answer(sdp("savp-offer.sdp")).media();
        assertFalse(media.toString().contains(OFFERED_KEY), media.toString());
        assertFalse(media.toString().contains(media.srtp().localKey().base64()));
    }

    @Test
    void shouldReadThePolicyFromItsOptionValue() {
        assertEquals(SrtpPolicy.REQUIRED, SrtpPolicy.fromOption("required"));
        assertEquals(SrtpPolicy.OFF, SrtpPolicy.fromOption("OFF"));
        assertNull(SrtpPolicy.fromOption("sometimes"));
        assertEquals("optional", SrtpPolicy.DEFAULT.optionValue());
    }
}
