package io.voxgate.sip.srtp;

/**
 * The SRTP crypto suites we support, with their SDES names (RFC 4568 §6.2) and lengths in octets. Both use a
 * 128-bit AES counter-mode key, a 112-bit salt and HMAC-SHA1 truncated to the tag length; the _32 suite
 * shortens only the SRTP tag, SRTCP keeps 80 bits (RFC 4568 §6.2.2).
 *
 * <p>Threading: immutable.
 */
public enum SrtpCryptoSuite {
    /** The default suite every SDES endpoint must offer (RFC 4568 §6.2.1). */
    AES_CM_128_HMAC_SHA1_80("AES_CM_128_HMAC_SHA1_80", 10),
    /** A 4-octet SRTP tag, for bandwidth-sensitive links (RFC 4568 §6.2.2). */
    AES_CM_128_HMAC_SHA1_32("AES_CM_128_HMAC_SHA1_32", 4);

    /** Length of the master key. */
    public static final int MASTER_KEY_LENGTH = 16;
    /** Length of the master salt. */
    public static final int MASTER_SALT_LENGTH = 14;
    /** Length of the session authentication key HMAC-SHA1 uses (RFC 3711 §8.2). */
    static final int AUTH_KEY_LENGTH = 20;
    /** Length of the SRTCP authentication tag, the same for both suites. */
    public static final int SRTCP_AUTH_TAG_LENGTH = 10;

    private final String sdesName;
    private final int srtpAuthTagLength;

    SrtpCryptoSuite(final String sdesName, final int srtpAuthTagLength) {
        this.sdesName = sdesName;
        this.srtpAuthTagLength = srtpAuthTagLength;
    }

    /** The suite's name in an {@code a=crypto} attribute. */
    public String sdesName() {
        return sdesName;
    }

    /** Octets the SRTP authentication tag adds to each RTP packet. */
    public int srtpAuthTagLength() {
        return srtpAuthTagLength;
    }

    /** Octets SRTCP adds to each RTCP packet: the E flag and index word, then the tag. */
    public int srtcpOverhead() {
        return 4 + SRTCP_AUTH_TAG_LENGTH;
    }

    /** The suite an SDES name stands for, or {@code null} for one we do not support. */
    public static SrtpCryptoSuite fromSdesName(final String name) {
        for (final SrtpCryptoSuite suite : values()) {
            if (suite.sdesName.equals(name)) {
                return suite;
            }
        }
        return null;
    }
}
