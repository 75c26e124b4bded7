package io.voxgate.sip.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Properties;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class AesGcmTest {
    private static final Properties VECTORS = load();
    private static final int RTP_HEADER = 12;
    private static final int RTCP_HEADER = 8;

    private static byte[] vector(final String name) {
        return HexFormat.of().parseHex(VECTORS.getProperty(name));
    }

    private static AesGcm rfcCipher() {
        return new AesGcm(vector("sessionKey"), vector("sessionSalt"));
    }

    @Test
    void shouldProtectTheRfc7714RtpVector() {
        final byte[] plain = vector("rtp.plain");
        final byte[] packet = Arrays.copyOf(plain, plain.length + AesGcm.TAG_LENGTH);
        final UnsafeBuffer buffer = new UnsafeBuffer(packet);
        rfcCipher().seal(0x5501_a0b2, 0xf17b, buffer, 0, RTP_HEADER, buffer, RTP_HEADER, plain.length - RTP_HEADER);
        assertArrayEquals(vector("rtp.protected"), packet);
    }

    @Test
    void shouldOpenTheRfc7714RtpVectorAndRefuseItWithOneBitFlipped() {
        final byte[] packet = vector("rtp.protected");
        final UnsafeBuffer buffer = new UnsafeBuffer(packet);
        final int text = packet.length - RTP_HEADER - AesGcm.TAG_LENGTH;
        assertTrue(rfcCipher().open(0x5501_a0b2, 0xf17b, buffer, 0, RTP_HEADER, buffer, RTP_HEADER, text));
        assertArrayEquals(vector("rtp.plain"), Arrays.copyOf(packet, RTP_HEADER + text));

        final byte[] tampered = vector("rtp.protected");
        tampered[1] ^= 0x01;
        final UnsafeBuffer t = new UnsafeBuffer(tampered);
        assertFalse(rfcCipher().open(0x5501_a0b2, 0xf17b, t, 0, RTP_HEADER, t, RTP_HEADER, text),
            "the header is authenticated as associated data");
    }

    @Test
    void shouldProtectTheRfc7714RtcpVectorWithTheIndexWordAuthenticated() {
        final byte[] plain = vector("rtcp.plain");
        final int index = Integer.parseInt(VECTORS.getProperty("rtcp.index"), 16);
        final byte[] packet = Arrays.copyOf(plain, plain.length + AesGcm.TAG_LENGTH + 4);
        final UnsafeBuffer buffer = new UnsafeBuffer(packet);
        final UnsafeBuffer aad = new UnsafeBuffer(new byte[RTCP_HEADER + 4]);
        aad.putBytes(0, plain, 0, RTCP_HEADER);
        aad.putInt(RTCP_HEADER, 0x8000_0000 | index, java.nio.ByteOrder.BIG_ENDIAN);
        rfcCipher().seal(0x4d61_7273, index, aad, 0, aad.capacity(), buffer, RTCP_HEADER, plain.length - RTCP_HEADER);
        buffer.putInt(plain.length + AesGcm.TAG_LENGTH, 0x8000_0000 | index, java.nio.ByteOrder.BIG_ENDIAN);
        assertArrayEquals(vector("rtcp.protected"), packet);
    }

    @Test
    void shouldAgreeWithTheJdksAesGcmForEveryLengthUpToAFullPacket() throws Exception {
        final Random random = new Random(7714);
        final byte[] key = new byte[16];
        final byte[] salt = new byte[12];
        random.nextBytes(key);
        random.nextBytes(salt);
        final AesGcm ours = new AesGcm(key, salt);
        final Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        for (int length = 0; length <= AesGcm.MAX_LENGTH - RTP_HEADER; length += length < 64 ? 1 : 37) {
            final byte[] header = new byte[RTP_HEADER + 4 * (length % 3)];
            final byte[] text = new byte[length];
            random.nextBytes(header);
            random.nextBytes(text);
            final int ssrc = random.nextInt();
            final long index = random.nextLong() & 0xFFFF_FFFF_FFFFL;
            final byte[] packet = new byte[header.length + length + AesGcm.TAG_LENGTH];
            System.arraycopy(header, 0, packet, 0, header.length);
            System.arraycopy(text, 0, packet, header.length, length);
            final UnsafeBuffer buffer = new UnsafeBuffer(packet);
            ours.seal(ssrc, index, buffer, 0, header.length, buffer, header.length, length);

            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv(salt, ssrc, index)));
            jdk.updateAAD(header);
            final byte[] expected = jdk.doFinal(text);
            assertArrayEquals(expected, Arrays.copyOfRange(packet, header.length, packet.length), "length " + length);

            assertTrue(ours.open(ssrc, index, buffer, 0, header.length, buffer, header.length, length), "length " + length);
            assertArrayEquals(text, Arrays.copyOfRange(packet, header.length, header.length + length), "length " + length);
        }
    }

    /** The RFC 7714 IV written out the long way, independently of the cipher's own. */
    private static byte[] iv(final byte[] salt, final int ssrc, final long index) {
        final byte[] iv = new byte[12];
        iv[2] = (byte) (ssrc >>> 24);
        iv[3] = (byte) (ssrc >>> 16);
        iv[4] = (byte) (ssrc >>> 8);
        iv[5] = (byte) ssrc;
        for (int k = 0; k < 6; k++) {
            iv[6 + k] = (byte) (index >>> (40 - 8 * k));
        }
        for (int i = 0; i < 12; i++) {
            iv[i] ^= salt[i];
        }
        return iv;
    }

    @Test
    void shouldBuildTheRfc7714Ivs() {
        assertArrayEquals(vector("rtp.iv"), iv(vector("sessionSalt"), 0x5501_a0b2, 0xf17b));
        assertArrayEquals(vector("rtcp.iv"), iv(vector("sessionSalt"), 0x4d61_7273, 0x5d4));
    }

    private static Properties load() {
        try (InputStream in = AesGcmTest.class.getResourceAsStream("/srtp/rfc7714-aead-aes-128-gcm.properties")) {
            final Properties p = new Properties();
            p.load(in);
            return p;
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
