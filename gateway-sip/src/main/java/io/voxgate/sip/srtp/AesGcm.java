package io.voxgate.sip.srtp;

import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * AES-GCM (NIST SP 800-38D) as SRTP and SRTCP use it with AEAD_AES_128_GCM (RFC 7714): a 12-octet IV made of the
 * session salt XOR {@code 00 00 || SSRC || 48-bit index} (§8.1 and §9.1; the SRTP index is ROC and sequence number,
 * the SRTCP index has 16 zero bits above its 31), the header as associated data, the payload encrypted in place
 * and a 16-octet tag after it.
 *
 * <p>Why not the JDK's {@code AES/GCM/NoPadding} {@code Cipher}: it must be initialised with a new
 * {@code GCMParameterSpec} for every packet (a new IV each time), and each {@code init} allocates its parameter
 * object and internal GHASH state, which the media path must not. Here the counter blocks go through AES/ECB in
 * one {@code update} into preallocated arrays (keeping the JDK's AES intrinsics, as {@link AesCounterKeystream}
 * does), and GHASH is computed on two {@code long}s with a 16-entry table of multiples of H per key (4 bits of
 * the input per step, the 4 bits shifted out reduced through a second 16-entry table). Nothing allocates per
 * packet.
 *
 * <p>Threading: confined to one thread (a call's event loop). Holds key material; never printed.
 */
final class AesGcm {
    /** Octets of the authentication tag. */
    static final int TAG_LENGTH = 16;
    /** Most octets one call encrypts: an RTP packet's largest size. */
    static final int MAX_LENGTH = AesCounterKeystream.MAX_LENGTH;
    private static final int BLOCK = 16;
    private static final int IV_LENGTH = 12;
    /** The pre-counter block J0 (it masks the tag) and one block per 16 octets of text. */
    private static final int MAX_BLOCKS = 1 + MAX_LENGTH / BLOCK;
    /** x^128 = x^7 + x^2 + x + 1, in GCM's reflected bit order: the top octet of the high word. */
    private static final long REDUCTION = 0xE100_0000_0000_0000L;
    /** What four bits shifted off the low end of a product add to its high word once reduced. */
    private static final long[] REDUCE_FOUR = reductionTable();

    private final Cipher aes;
    private final byte[] salt;
    /** Multiples of H by each 4-bit polynomial, high and low words. */
    private final long[] multiplesHigh = new long[16];
    private final long[] multiplesLow = new long[16];
    private final byte[] counters = new byte[MAX_BLOCKS * BLOCK];
    private final byte[] keystream = new byte[MAX_BLOCKS * BLOCK];
    private final UnsafeBuffer keystreamView = new UnsafeBuffer(keystream);
    private long hashHigh;
    private long hashLow;

    /**
     * A cipher for one session key.
     *
     * @param key  the 16-octet session encryption key
     * @param salt the 12-octet session salt
     */
    AesGcm(final byte[] key, final byte[] salt) {
        if (salt.length != IV_LENGTH) {
            throw new IllegalArgumentException("the AES-GCM session salt is 12 octets");
        }
        this.salt = salt.clone();
        final byte[] h = new byte[BLOCK];
        try {
            aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            aes.update(new byte[BLOCK], 0, BLOCK, h, 0);
        } catch (final GeneralSecurityException ex) {
            throw new IllegalStateException("the JDK has no AES", ex);
        }
        final UnsafeBuffer hash = new UnsafeBuffer(h);
        buildMultiples(hash.getLong(0, ByteOrder.BIG_ENDIAN), hash.getLong(8, ByteOrder.BIG_ENDIAN));
        java.util.Arrays.fill(h, (byte) 0);
    }

    /**
     * Encrypts {@code textLength} octets of {@code buffer} at {@code textOffset} in place and writes the tag right
     * after them, authenticating {@code aadLength} octets of {@code aad} at {@code aadOffset} as well.
     *
     * @param ssrc  the packet's SSRC
     * @param index the 48-bit SRTP index, or the 31-bit SRTCP index
     */
    void seal(final int ssrc, final long index, final DirectBuffer aad, final int aadOffset, final int aadLength,
            final MutableDirectBuffer buffer, final int textOffset, final int textLength) {
        keystream(ssrc, index, textLength);
        xorKeystream(buffer, textOffset, textLength);
        hash(aad, aadOffset, aadLength, buffer, textOffset, textLength);
        buffer.putLong(textOffset + textLength, hashHigh ^ keystreamView.getLong(0, ByteOrder.BIG_ENDIAN),
            ByteOrder.BIG_ENDIAN);
        buffer.putLong(textOffset + textLength + 8, hashLow ^ keystreamView.getLong(8, ByteOrder.BIG_ENDIAN),
            ByteOrder.BIG_ENDIAN);
    }

    /**
     * Checks the tag after {@code textLength} octets of ciphertext at {@code textOffset} and, when it matches,
     * decrypts them in place. A packet whose tag does not match is left as it was.
     *
     * @return whether the tag matched
     */
    boolean open(final int ssrc, final long index, final DirectBuffer aad, final int aadOffset, final int aadLength,
            final MutableDirectBuffer buffer, final int textOffset, final int textLength) {
        keystream(ssrc, index, textLength);
        hash(aad, aadOffset, aadLength, buffer, textOffset, textLength);
        final long high = hashHigh ^ keystreamView.getLong(0, ByteOrder.BIG_ENDIAN);
        final long low = hashLow ^ keystreamView.getLong(8, ByteOrder.BIG_ENDIAN);
        // Constant time: both words are always compared.
        final long difference = (high ^ buffer.getLong(textOffset + textLength, ByteOrder.BIG_ENDIAN))
            | (low ^ buffer.getLong(textOffset + textLength + 8, ByteOrder.BIG_ENDIAN));
        if (difference != 0) {
            return false;
        }
        xorKeystream(buffer, textOffset, textLength);
        return true;
    }

    /** The counter blocks J0, J0 + 1, ... through AES: the tag mask, then the text's keystream from octet 16. */
    private void keystream(final int ssrc, final long index, final int textLength) {
        final int blocks = 1 + (textLength + BLOCK - 1) / BLOCK;
        System.arraycopy(salt, 0, counters, 0, IV_LENGTH);
        counters[2] ^= (byte) (ssrc >>> 24);
        counters[3] ^= (byte) (ssrc >>> 16);
        counters[4] ^= (byte) (ssrc >>> 8);
        counters[5] ^= (byte) ssrc;
        for (int k = 0; k < 6; k++) {
            counters[6 + k] ^= (byte) (index >>> (40 - 8 * k));
        }
        for (int b = 0; b < blocks; b++) {
            final int at = b * BLOCK;
            if (b > 0) {
                System.arraycopy(counters, 0, counters, at, IV_LENGTH);
            }
            // The 32-bit block counter starts at 1 for J0 and never wraps: a packet has at most 93 blocks.
            final int counter = b + 1;
            counters[at + 12] = 0;
            counters[at + 13] = 0;
            counters[at + 14] = (byte) (counter >>> 8);
            counters[at + 15] = (byte) counter;
        }
        try {
            aes.update(counters, 0, blocks * BLOCK, keystream, 0);
        } catch (final ShortBufferException ex) {
            throw new IllegalStateException("keystream array too short", ex);
        }
    }

    private void xorKeystream(final MutableDirectBuffer buffer, final int offset, final int length) {
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            buffer.putLong(offset + i, buffer.getLong(offset + i) ^ keystreamView.getLong(BLOCK + i));
        }
        for (; i < length; i++) {
            buffer.putByte(offset + i, (byte) (buffer.getByte(offset + i) ^ keystream[BLOCK + i]));
        }
    }

    /** GHASH of the associated data, the ciphertext (each zero-padded to whole blocks) and their bit lengths. */
    private void hash(final DirectBuffer aad, final int aadOffset, final int aadLength, final DirectBuffer text,
            final int textOffset, final int textLength) {
        hashHigh = 0;
        hashLow = 0;
        absorb(aad, aadOffset, aadLength);
        absorb(text, textOffset, textLength);
        hashHigh ^= (long) aadLength * 8;
        hashLow ^= (long) textLength * 8;
        multiplyByH();
    }

    private void absorb(final DirectBuffer data, final int offset, final int length) {
        int i = 0;
        for (; i + BLOCK <= length; i += BLOCK) {
            hashHigh ^= data.getLong(offset + i, ByteOrder.BIG_ENDIAN);
            hashLow ^= data.getLong(offset + i + 8, ByteOrder.BIG_ENDIAN);
            multiplyByH();
        }
        if (i < length) {
            long high = 0;
            long low = 0;
            for (int k = 0; k < BLOCK; k++) {
                final long octet = i + k < length ? data.getByte(offset + i + k) & 0xFFL : 0;
                if (k < 8) {
                    high = high << 8 | octet;
                } else {
                    low = low << 8 | octet;
                }
            }
            hashHigh ^= high;
            hashLow ^= low;
            multiplyByH();
        }
    }

    /**
     * The hash state times H. In GCM's bit order the first bit of a block is the coefficient of x^0, so the
     * block's last 4-bit group holds the highest powers; Horner's rule from there: multiply what we have by x^4
     * (a right shift by four, the bits shifted out reduced), then add the group's multiple of H.
     */
    private void multiplyByH() {
        long high = 0;
        long low = 0;
        for (int octet = 15; octet >= 0; octet--) {
            final long word = octet < 8 ? hashHigh : hashLow;
            final int value = (int) (word >>> (8 * (7 - (octet & 7)))) & 0xFF;
            int out = (int) low & 0x0F;
            low = low >>> 4 | high << 60;
            high = high >>> 4 ^ REDUCE_FOUR[out];
            high ^= multiplesHigh[value & 0x0F];
            low ^= multiplesLow[value & 0x0F];
            out = (int) low & 0x0F;
            low = low >>> 4 | high << 60;
            high = high >>> 4 ^ REDUCE_FOUR[out];
            high ^= multiplesHigh[value >>> 4];
            low ^= multiplesLow[value >>> 4];
        }
        hashHigh = high;
        hashLow = low;
    }

    /**
     * The table of H times each 4-bit group. A group's most significant bit is the lowest power, so group 8 is H,
     * 4 is H·x, 2 is H·x^2, 1 is H·x^3, and every other group the sum of its bits' entries.
     */
    private void buildMultiples(final long high, final long low) {
        long h = high;
        long l = low;
        for (int bit = 8; bit >= 1; bit >>= 1) {
            multiplesHigh[bit] = h;
            multiplesLow[bit] = l;
            final boolean carry = (l & 1) != 0;
            l = l >>> 1 | h << 63;
            h = h >>> 1 ^ (carry ? REDUCTION : 0);
        }
        for (int group = 1; group < 16; group++) {
            if (Integer.bitCount(group) > 1) {
                final int lowest = Integer.lowestOneBit(group);
                multiplesHigh[group] = multiplesHigh[lowest] ^ multiplesHigh[group ^ lowest];
                multiplesLow[group] = multiplesLow[lowest] ^ multiplesLow[group ^ lowest];
            }
        }
    }

    /** For each 4 bits at the low end of a product, what multiplying it by x^4 adds to the high word. */
    private static long[] reductionTable() {
        final long[] table = new long[16];
        for (int bits = 0; bits < 16; bits++) {
            long h = 0;
            long l = bits;
            for (int step = 0; step < 4; step++) {
                final boolean carry = (l & 1) != 0;
                l = l >>> 1 | h << 63;
                h = h >>> 1 ^ (carry ? REDUCTION : 0);
            }
            table[bits] = h;
        }
        return table;
    }

    @Override
    public String toString() {
        return "AesGcm[redacted]";
    }
}
