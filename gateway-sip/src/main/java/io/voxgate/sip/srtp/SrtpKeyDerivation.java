package io.voxgate.sip.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SRTP key derivation function (RFC 3711 §4.3) with a key derivation rate of 0, the only rate SDES uses by
 * default: each session key is the AES-CM keystream of the master key over the counter
 * {@code (master salt XOR (label << 48)) << 16}, computed once per call at setup. One instance keys one AES
 * cipher with the master key and derives all six session keys with it: looking a cipher up in the JDK's providers
 * costs tens of microseconds, far more than the derivation itself, and a context is built on a media loop.
 *
 * <p>Threading: an instance is confined to the thread that builds a context; the static form is stateless.
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

    private static final int BLOCK = 16;

    private final Cipher aes;
    private final byte[] masterSalt;

    /** A derivation for one master key and salt (both copied into the cipher or kept as given, not changed). */
    SrtpKeyDerivation(final byte[] masterKey, final byte[] masterSalt) {
        this.masterSalt = masterSalt;
        try {
            aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"));
        } catch (final GeneralSecurityException ex) {
            throw new IllegalStateException("the JDK has no AES", ex);
        }
    }

    /** Derives {@code length} octets of session key material for {@code label}. */
    byte[] derive(final int label, final int length) {
        final int blocks = (length + BLOCK - 1) / BLOCK;
        final byte[] counters = new byte[blocks * BLOCK];
        for (int b = 0; b < blocks; b++) {
            final int at = b * BLOCK;
            System.arraycopy(masterSalt, 0, counters, at, masterSalt.length);
            // key_id = label || r with r = 0 (48 bits): the label lands on the eighth octet of the 112-bit salt; the
            // low 16 bits of each block are its counter.
            counters[at + 7] ^= (byte) label;
            counters[at + 14] = (byte) (b >>> 8);
            counters[at + 15] = (byte) b;
        }
        final byte[] out = new byte[counters.length];
        try {
            aes.update(counters, 0, counters.length, out, 0);
        } catch (final ShortBufferException ex) {
            throw new IllegalStateException("key derivation output too short", ex);
        }
        return Arrays.copyOf(out, length);
    }

    /**
     * Derives {@code length} octets of session key material for {@code label}.
     *
     * @param masterKey  the 16-octet master key
     * @param masterSalt the 14-octet master salt
     */
    static byte[] derive(final byte[] masterKey, final byte[] masterSalt, final int label, final int length) {
        return new SrtpKeyDerivation(masterKey, masterSalt).derive(label, length);
    }
}
