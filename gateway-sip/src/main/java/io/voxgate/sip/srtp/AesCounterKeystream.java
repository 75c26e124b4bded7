package io.voxgate.sip.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * AES in counter mode as SRTP uses it (RFC 3711 §4.1.1): the keystream for a packet is AES of the counter blocks
 * {@code IV + j}, where {@code IV = (salt << 16) XOR (SSRC << 64) XOR (index << 16)}, and is XORed over the
 * payload. The counter blocks go through AES/ECB in one {@code update} between two preallocated arrays, which keeps
 * the JDK's AES intrinsics and allocates nothing (a CTR-mode {@code Cipher} would need an {@code init}, and so new
 * parameter objects, for every packet).
 *
 * <p>Threading: confined to one thread (a call's event loop). Holds key material; never printed.
 */
final class AesCounterKeystream {
    /** Most payload octets one call covers: an RTP packet's largest size. */
    static final int MAX_LENGTH = 1472;
    private static final int BLOCK = 16;
    private static final int MAX_BLOCKS = MAX_LENGTH / BLOCK;

    private final Cipher aes;
    private final byte[] salt;
    private final byte[] counters = new byte[MAX_BLOCKS * BLOCK];
    private final byte[] keystream = new byte[MAX_BLOCKS * BLOCK];
    private final UnsafeBuffer keystreamView = new UnsafeBuffer(keystream);

    /**
     * A keystream generator for one session key.
     *
     * @param key  the 16-octet session encryption key
     * @param salt the 14-octet session salt
     */
    AesCounterKeystream(final byte[] key, final byte[] salt) {
        if (salt.length != SrtpCryptoSuite.MASTER_SALT_LENGTH) {
            throw new IllegalArgumentException("the session salt is 14 octets");
        }
        this.salt = salt.clone();
        try {
            aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (final GeneralSecurityException ex) {
            throw new IllegalStateException("the JDK has no AES", ex);
        }
    }

    /**
     * XORs the keystream of one packet over {@code length} octets of {@code buffer} from {@code offset}: encrypts
     * or decrypts in place.
     *
     * @param ssrc  the packet's SSRC
     * @param index the packet's 48-bit SRTP index, or the 31-bit SRTCP index
     */
    void apply(final MutableDirectBuffer buffer, final int offset, final int length, final int ssrc,
            final long index) {
        final int blocks = (length + BLOCK - 1) / BLOCK;
        generate(ssrc, index, 0, blocks, keystream);
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            buffer.putLong(offset + i, buffer.getLong(offset + i) ^ keystreamView.getLong(i));
        }
        for (; i < length; i++) {
            buffer.putByte(offset + i, (byte) (buffer.getByte(offset + i) ^ keystream[i]));
        }
    }

    /**
     * Writes {@code blocks} keystream blocks, starting at block {@code firstBlock} of the packet's segment, into
     * {@code out}; at most {@link #MAX_LENGTH} octets per call.
     */
    void generate(final int ssrc, final long index, final int firstBlock, final int blocks, final byte[] out) {
        System.arraycopy(salt, 0, counters, 0, salt.length);
        counters[4] ^= (byte) (ssrc >>> 24);
        counters[5] ^= (byte) (ssrc >>> 16);
        counters[6] ^= (byte) (ssrc >>> 8);
        counters[7] ^= (byte) ssrc;
        for (int k = 0; k < 6; k++) {
            counters[8 + k] ^= (byte) (index >>> (40 - 8 * k));
        }
        for (int b = 0; b < blocks; b++) {
            final int at = b * BLOCK;
            if (b > 0) {
                System.arraycopy(counters, 0, counters, at, BLOCK - 2);
            }
            // The salt is shifted left by 16 bits, so the low 16 bits are the block counter alone; a segment
            // never exceeds 2^16 blocks (RFC 3711 §4.1.1).
            final int counter = firstBlock + b;
            counters[at + 14] = (byte) (counter >>> 8);
            counters[at + 15] = (byte) counter;
        }
        try {
            aes.update(counters, 0, blocks * BLOCK, out, 0);
        } catch (final ShortBufferException ex) {
            throw new IllegalStateException("keystream array too short", ex);
        }
    }

    @Override
    public String toString() {
        return "AesCounterKeystream[redacted]";
    }
}
