package io.voxgate.sip.srtp;

/**
 * The SRTP key derivation function (RFC 3711 §4.3) with a key derivation rate of 0, the only rate SDES uses by
 * default: each session key is the AES-CM keystream of the master key over the counter
 * {@code (master salt XOR (label << 48)) << 16}, computed once per call at setup.
 *
 * <p>Threading: stateless.
 */
final class SrtpKeyDerivation {
    /** SRTP encryption key (RFC 3711 §4.3.2). */
    static final int LABEL_RTP_ENCRYPTION = 0x00;
    /** SRTP authentication key. */
    static final int LABEL_RTP_AUTHENTICATION = 0x01;
    /** SRTP salt. */
    static final int LABEL_RTP_SALT = 0x02;
    /** SRTCP encryption key. */
    static final int LABEL_RTCP_ENCRYPTION = 0x03;
    /** SRTCP authentication key. */
    static final int LABEL_RTCP_AUTHENTICATION = 0x04;
    /** SRTCP salt. */
    static final int LABEL_RTCP_SALT = 0x05;

    private SrtpKeyDerivation() {
    }

    /**
     * Derives {@code length} octets of session key material for {@code label}.
     *
     * @param masterKey  the 16-octet master key
     * @param masterSalt the 14-octet master salt
     */
    static byte[] derive(final byte[] masterKey, final byte[] masterSalt, final int label, final int length) {
        final byte[] x = masterSalt.clone();
        // key_id = label || r with r = 0 (48 bits): the label lands on the eighth octet of the 112-bit salt.
        x[7] ^= (byte) label;
        final AesCounterKeystream prf = new AesCounterKeystream(masterKey, x);
        final int blocks = (length + 15) / 16;
        final byte[] out = new byte[blocks * 16];
        prf.generate(0, 0, 0, blocks, out);
        return java.util.Arrays.copyOf(out, length);
    }
}
