package io.voxgate.sip.srtp;

import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The value of one SDES {@code a=crypto} attribute (RFC 4568 §9.1) for SRTP:
 * {@code <tag> <suite> inline:<base64 key||salt>[|lifetime][|MKI:length] [session params]}. {@link #parse} takes
 * what we can honour and refuses the rest with a reason that names the rule, never the offending text (it comes
 * from the network): an unknown suite, a key of the wrong length, an MKI or several keys, and session parameters
 * that weaken or change SRTP (UNENCRYPTED_SRTP, UNENCRYPTED_SRTCP, UNAUTHENTICATED_SRTP, a non-zero KDR, FEC).
 * The window size hint WSH is accepted and ignored, as RFC 4568 §6.3.7 allows.
 *
 * <p>Threading: immutable. {@link #toString} never prints the key.
 */
public final class SdesCryptoAttribute {
    /** Longest attribute value accepted; one inline key with a lifetime and hint fits in well under this. */
    public static final int MAX_LENGTH = 256;
    private static final String INLINE = "inline:";
    private static final int MAX_TAG_DIGITS = 9;
    private static final Pattern KEY_PARAMETER = Pattern.compile("inline:[^\\s\"']*");
    private static final List<String> REFUSED_FLAGS = List.of("UNENCRYPTED_SRTP", "UNENCRYPTED_SRTCP",
        "UNAUTHENTICATED_SRTP");

    private final int tag;
    private final SrtpCryptoSuite suite;
    private final SrtpMasterKey masterKey;
    private final long lifetimePackets;

    private SdesCryptoAttribute(final int tag, final SrtpCryptoSuite suite, final SrtpMasterKey masterKey,
            final long lifetimePackets) {
        this.tag = tag;
        this.suite = suite;
        this.masterKey = masterKey;
        this.lifetimePackets = lifetimePackets;
    }

    /**
     * Our own attribute, for an offer or for the answer to the offered attribute with this {@code tag}.
     *
     * @param tag the attribute's tag, 0..999999999 (an answer repeats the accepted offer's)
     */
    public static SdesCryptoAttribute of(final int tag, final SrtpCryptoSuite suite, final SrtpMasterKey masterKey) {
        if (tag < 0 || tag > 999_999_999) {
            throw new IllegalArgumentException("an SDES tag has at most 9 digits");
        }
        return new SdesCryptoAttribute(tag, suite, masterKey, -1);
    }

    /**
     * {@code text} with every SDES key parameter ({@code inline:} up to the next blank, quote or line end) replaced by
     * {@code inline:<redacted>}: for text that may quote an SDP body on its way to a log.
     */
    public static String redact(final String text) {
        if (text == null || !text.contains(INLINE)) {
            return text;
        }
        return KEY_PARAMETER.matcher(text).replaceAll(INLINE + "<redacted>");
    }

    /**
     * Parses an {@code a=crypto} value (the text after {@code crypto:}).
     *
     * @return the attribute, or the reason it cannot be used
     */
    public static Parsed parse(final String value) {
        if (value == null || value.length() > MAX_LENGTH) {
            return Parsed.refused("attribute missing or longer than " + MAX_LENGTH + " characters");
        }
        final String[] fields = value.trim().split("[ \t]+");
        if (fields.length < 3) {
            return Parsed.refused("fewer than three fields (tag, suite, key parameters)");
        }
        if (fields[0].isEmpty() || fields[0].length() > MAX_TAG_DIGITS || !fields[0].chars().allMatch(
                c -> c >= '0' && c <= '9')) {
            return Parsed.refused("tag is not 1 to 9 digits");
        }
        final int tag = Integer.parseInt(fields[0]);
        final SrtpCryptoSuite suite = SrtpCryptoSuite.fromSdesName(fields[1]);
        if (suite == null) {
            return Parsed.refused("crypto suite not supported (we support AEAD_AES_128_GCM, AES_CM_128_HMAC_SHA1_80 and _32)");
        }
        final String keyParams = fields[2];
        if (keyParams.indexOf(';') >= 0) {
            return Parsed.refused("several master keys (selected by MKI) not supported");
        }
        if (!keyParams.regionMatches(true, 0, INLINE, 0, INLINE.length())) {
            return Parsed.refused("key method is not inline");
        }
        final String[] keyInfo = keyParams.substring(INLINE.length()).split("\\|", -1);
        final byte[] keyAndSalt;
        try {
            keyAndSalt = Base64.getDecoder().decode(keyInfo[0]);
        } catch (final IllegalArgumentException ex) {
            return Parsed.refused("key is not base64");
        }
        if (keyAndSalt.length != suite.keyAndSaltLength()) {
            return Parsed.refused("key and salt are not the suite's " + suite.keyAndSaltLength() + " octets");
        }
        long lifetime = -1;
        for (int i = 1; i < keyInfo.length; i++) {
            if (keyInfo[i].indexOf(':') >= 0) {
                return Parsed.refused("MKI not supported");
            }
            if (lifetime >= 0 || i > 1) {
                return Parsed.refused("malformed key parameters");
            }
            lifetime = lifetime(keyInfo[i]);
            if (lifetime <= 0) {
                return Parsed.refused("malformed lifetime");
            }
        }
        for (int i = 3; i < fields.length; i++) {
            final String refusal = sessionParameterRefusal(fields[i]);
            if (refusal != null) {
                return Parsed.refused(refusal);
            }
        }
        return new Parsed(new SdesCryptoAttribute(tag, suite, SrtpMasterKey.of(keyAndSalt), lifetime), null);
    }

    private static long lifetime(final String text) {
        final boolean power = text.startsWith("2^");
        final String digits = power ? text.substring(2) : text;
        if (digits.isEmpty() || digits.length() > 15 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        final long number = Long.parseLong(digits);
        if (power) {
            // SRTP indices are 48 bits (RFC 3711 §9.2); a longer lifetime is no different from 2^48.
            return number < 1 ? -1 : 1L << Math.min(number, 48);
        }
        return number;
    }

    private static String sessionParameterRefusal(final String parameter) {
        if (parameter.startsWith("WSH=")) {
            return null;
        }
        if (parameter.equals("KDR=0")) {
            return null;
        }
        if (parameter.startsWith("KDR=")) {
            return "a non-zero key derivation rate (KDR) not supported";
        }
        for (final String flag : REFUSED_FLAGS) {
            if (parameter.equals(flag)) {
                return "session parameter " + flag + " not supported";
            }
        }
        return "session parameter not supported";
    }

    /** The tag an answer must repeat (RFC 4568 §5.1.2). */
    public int tag() {
        return tag;
    }

    /** The crypto suite. */
    public SrtpCryptoSuite suite() {
        return suite;
    }

    /** The master key and salt. */
    public SrtpMasterKey masterKey() {
        return masterKey;
    }

    /**
     * The key's lifetime in packets the sender gave, or -1 when none was given (then the suite's maximum,
     * 2^48 SRTP and 2^31 SRTCP packets, applies).
     */
    public long lifetimePackets() {
        return lifetimePackets;
    }

    /** The attribute value to put after {@code a=crypto:}; it carries the key, so it goes into SDP only. */
    public String sdpValue() {
        return tag + " " + suite.sdesName() + " " + INLINE + masterKey.base64();
    }

    @Override
    public String toString() {
        return "SdesCryptoAttribute[" + tag + " " + suite.sdesName() + " inline:redacted]";
    }

    /**
     * What {@link #parse} found: an attribute, or why there is none.
     *
     * @param attribute the attribute, or {@code null} when refused
     * @param refusal   why it was refused, or {@code null} when accepted; never contains the input
     */
    public record Parsed(SdesCryptoAttribute attribute, String refusal) {
        static Parsed refused(final String reason) {
            return new Parsed(null, reason);
        }

        /** Whether the attribute can be used. */
        public boolean accepted() {
            return attribute != null;
        }
    }
}
