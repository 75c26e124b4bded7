package io.voxgate.sip.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SdesCryptoAttributeTest {
    /** The example key of RFC 4568 §9.1 (30 octets). */
    private static final String KEY = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR";

    private static SdesCryptoAttribute.Parsed parse(final String value) {
        return SdesCryptoAttribute.parse(value);
    }

    private static void assertRefused(final String value, final String reasonPart) {
        final SdesCryptoAttribute.Parsed parsed = parse(value);
        assertFalse(parsed.accepted(), value);
        assertTrue(parsed.refusal().contains(reasonPart), parsed.refusal());
    }

    @Test
    void shouldParseTheRfc4568Example() {
        final SdesCryptoAttribute.Parsed parsed = parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^20");
        assertTrue(parsed.accepted(), parsed.refusal());
        assertEquals(1, parsed.attribute().tag());
        assertEquals(SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_80, parsed.attribute().suite());
        assertEquals(KEY, parsed.attribute().masterKey().base64());
        assertEquals(1L << 20, parsed.attribute().lifetimePackets());
    }

    @Test
    void shouldParseTheShortTagSuiteWithoutLifetimeAndWithAWindowSizeHint() {
        final SdesCryptoAttribute.Parsed parsed = parse("2  AES_CM_128_HMAC_SHA1_32\tinline:" + KEY + " WSH=128");
        assertTrue(parsed.accepted(), parsed.refusal());
        assertEquals(SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_32, parsed.attribute().suite());
        assertEquals(-1, parsed.attribute().lifetimePackets());
    }

    @Test
    void shouldRefuseAnMki() {
        assertRefused("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^20|1:32", "MKI");
        assertRefused("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|1:4", "MKI");
        assertRefused("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^20|1:4;inline:" + KEY + "|2^20|2:4", "MKI");
    }

    @Test
    void shouldRefuseUnknownSuitesWithoutEchoingThem() {
        final SdesCryptoAttribute.Parsed parsed = parse("1 F8_128_HMAC_SHA1_80 inline:" + KEY);
        assertFalse(parsed.accepted());
        assertTrue(parsed.refusal().contains("suite not supported"));
        assertFalse(parsed.refusal().contains("F8_128"), "the refusal never repeats the input");
    }

    @Test
    void shouldRefuseAKeyOfTheWrongLengthOrNotBase64() {
        assertRefused("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY.substring(0, 36), "30 octets");
        assertRefused("1 AES_CM_128_HMAC_SHA1_80 inline:!!notbase64!!", "base64");
    }

    @Test
    void shouldParseAeadAes128GcmWithItsTwentyEightOctetKeyAndRefuseACounterModeLengthKey() {
        final SdesCryptoAttribute.Parsed parsed = parse("4 AEAD_AES_128_GCM inline:ISgvNj1ES1JZYGdudXyDipGYn6attLvCydDX3g==");
        assertTrue(parsed.accepted(), parsed.refusal());
        assertEquals(SrtpCryptoSuite.AEAD_AES_128_GCM, parsed.attribute().suite());
        assertEquals(28, parsed.attribute().masterKey().length());
        assertRefused("4 AEAD_AES_128_GCM inline:" + KEY, "28 octets");
    }

    @Test
    void shouldWriteAGeneratedKeyCutToTheGcmSuitesLength() {
        final SrtpMasterKey key = SrtpMasterKey.generate(new SecureRandom()).forSuite(SrtpCryptoSuite.AEAD_AES_128_GCM);
        final SdesCryptoAttribute.Parsed back = parse(SdesCryptoAttribute.of(9, SrtpCryptoSuite.AEAD_AES_128_GCM, key)
            .sdpValue());
        assertTrue(back.accepted(), back.refusal());
        assertTrue(back.attribute().masterKey().sameAs(key));
    }

    @Test
    void shouldRefuseSessionParametersThatWeakenSrtp() {
        assertRefused("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + " UNENCRYPTED_SRTP", "UNENCRYPTED_SRTP");
        assertRefused("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + " UNENCRYPTED_SRTCP", "UNENCRYPTED_SRTCP");
        assertRefused("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + " UNAUTHENTICATED_SRTP", "UNAUTHENTICATED_SRTP");
        assertRefused("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + " KDR=24", "KDR");
        assertRefused("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + " FEC_ORDER=FEC_SRTP", "not supported");
    }

    @Test
    void shouldRefuseMalformedAttributes() {
        assertRefused("AES_CM_128_HMAC_SHA1_80 inline:" + KEY, "fewer than three");
        assertRefused("1234567890 AES_CM_128_HMAC_SHA1_80 inline:" + KEY, "tag");
        assertRefused("1 AES_CM_128_HMAC_SHA1_80 uri:https://example.invalid/key", "inline");
        assertRefused("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^x", "lifetime");
        assertRefused("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + " " + "x".repeat(300), "longer");
    }

    @Test
    void shouldBuildAnAttributeItsParserReadsBack() {
        final SrtpMasterKey key = SrtpMasterKey.generate(new SecureRandom());
        final SdesCryptoAttribute ours = SdesCryptoAttribute.of(7, SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_80, key);
        final SdesCryptoAttribute.Parsed back = parse(ours.sdpValue());
        assertTrue(back.accepted());
        assertEquals(7, back.attribute().tag());
        assertTrue(back.attribute().masterKey().sameAs(key));
    }

    @Test
    void shouldGenerateADifferentKeyEachTime() {
        final SecureRandom random = new SecureRandom();
        assertNotEquals(SrtpMasterKey.generate(random).base64(), SrtpMasterKey.generate(random).base64());
    }

    @Test
    void shouldKeepTheKeyOutOfToString() {
        final SdesCryptoAttribute attribute = parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY).attribute();
        assertFalse(attribute.toString().contains(KEY));
        assertFalse(attribute.masterKey().toString().contains(KEY));
    }

    @Test
    void shouldRedactEveryInlineKeyInQuotedSdp() {
        final String sdp = "m=audio 4000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY
            + "|2^20\r\na=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" + KEY + "\r\na=sendrecv\r\n";
        final String redacted = SdesCryptoAttribute.redact(sdp);
        assertFalse(redacted.contains(KEY), redacted);
        assertTrue(redacted.contains("a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:<redacted>\r\na=sendrecv"), redacted);
    }
}
