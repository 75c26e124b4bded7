package io.voxgate.sip.srtp;

/**
 * The SRTP crypto suites we support, with their SDES names (RFC 4568 §6.2, RFC 7714 §14.1) and lengths in octets.
 * The two AES_CM suites use a 128-bit AES counter-mode key, a 112-bit salt and HMAC-SHA1 truncated to the tag
 * length; the _32 suite shortens only the SRTP tag, SRTCP keeps 80 bits (RFC 4568 §6.2.2). AEAD_AES_128_GCM
 * (RFC 7714) encrypts and authenticates in one pass with AES-GCM: a 96-bit salt, no authentication key, a 128-bit
 * tag on SRTP and SRTCP alike.
 *
 * <p>Threading: immutable.
 */
public enum SrtpCryptoSuite {
    /** The default suite every SDES endpoint must offer (RFC 4568 §6.2.1). */
    AES_CM_128_HMAC_SHA1_80("AES_CM_128_HMAC_SHA1_80", 14, 10, 10),
    /** A 4-octet SRTP tag, for bandwidth-sensitive links (RFC 4568 §6.2.2). */
    AES_CM_128_HMAC_SHA1_32("AES_CM_128_HMAC_SHA1_32", 14, 4, 10),
    /** AES-GCM with a 128-bit key and a 16-octet tag (RFC 7714 §14.1). */
    AEAD_AES_128_GCM("AEAD_AES_128_GCM", 12, 16, 16);

    /** Length of the master key, the same for every suite here. */
    public static final int MASTER_KEY_LENGTH = 16;
    /** Length of the AES_CM suites' master salt. */
    public static final int MASTER_SALT_LENGTH = 14;
    /** Length of the session authentication key HMAC-SHA1 uses (RFC 3711 §8.2). */
    static final int AUTH_KEY_LENGTH = 20;
    /** Length of the SRTCP authentication tag of the AES_CM suites. */
    public static final int SRTCP_AUTH_TAG_LENGTH = 10;

    private final String sdesName;
    private final int masterSaltLength;
    private final int srtpAuthTagLength;
    private final int srtcpAuthTagLength;

    SrtpCryptoSuite(final String sdesName, final int masterSaltLength, final int srtpAuthTagLength,
            final int srtcpAuthTagLength) {
        this.sdesName = sdesName;
        this.masterSaltLength = masterSaltLength;
        this.srtpAuthTagLength = srtpAuthTagLength;
        this.srtcpAuthTagLength = srtcpAuthTagLength;
    }

    /** The suite's name in an {@code a=crypto} attribute. */
    public String sdesName() {
        return sdesName;
    }

    /** Whether the suite is an AEAD (AES-GCM): one pass encrypts and authenticates, the tag covers the header. */
    public boolean aead() {
        return this == AEAD_AES_128_GCM;
    }

    /** Length of the master salt, and of the session salt derived from it. */
    public int masterSaltLength() {
        return masterSaltLength;
    }

    /** Length of the master key and salt together, as an SDES {@code inline:} value decodes. */
    public int keyAndSaltLength() {
        return MASTER_KEY_LENGTH + masterSaltLength;
    }

    /** Octets the SRTP authentication tag adds to each RTP packet. */
    public int srtpAuthTagLength() {
        return srtpAuthTagLength;
    }

    /** Octets of the SRTCP authentication tag. */
    public int srtcpAuthTagLength() {
        return srtcpAuthTagLength;
    }

    /** Octets SRTCP adds to each RTCP packet: the E flag and index word and the tag. */
    public int srtcpOverhead() {
        return 4 + srtcpAuthTagLength;
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
