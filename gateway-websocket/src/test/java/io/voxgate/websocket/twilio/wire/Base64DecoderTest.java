package io.voxgate.websocket.twilio.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class Base64DecoderTest {
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[1024]);

    private int decode(final String text) {
        final byte[] ascii = text.getBytes(StandardCharsets.ISO_8859_1);
        return Base64Decoder.decode(new UnsafeBuffer(ascii), 0, ascii.length, out, 0, out.capacity());
    }

    @Test
    void shouldDecodeWhatTheJdkEncodesForEveryLengthUpTo400() {
        final Random random = new Random(42);
        for (int length = 0; length <= 400; length++) {
            final byte[] data = new byte[length];
            random.nextBytes(data);
            assertEquals(length, decode(Base64.getEncoder().encodeToString(data)), "length " + length);
            final byte[] decoded = new byte[length];
            out.getBytes(0, decoded);
            assertArrayEquals(data, decoded, "length " + length);
        }
    }

    @Test
    void shouldDecodeEveryByteValue() {
        final byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        assertEquals(256, decode(Base64.getEncoder().encodeToString(all)));
        final byte[] decoded = new byte[256];
        out.getBytes(0, decoded);
        assertArrayEquals(all, decoded);
    }

    @Test
    void shouldRejectALengthThatIsNotAMultipleOfFour() {
        assertEquals(Base64Decoder.MALFORMED, decode("abc"));
    }

    @Test
    void shouldRejectCharactersOutsideTheAlphabet() {
        for (final String bad : new String[] {"ab-d", "ab_d", "ab d", "a\u00e9cd", "====", "a===", "ab=d"}) {
            assertEquals(Base64Decoder.MALFORMED, decode(bad), bad);
        }
    }

    @Test
    void shouldRejectNonZeroPaddingBits() {
        assertEquals(Base64Decoder.MALFORMED, decode("QR=="));
        assertEquals(Base64Decoder.MALFORMED, decode("QUJ="));
        assertEquals(1, decode("QQ=="));
        assertEquals(2, decode("QUI="));
    }

    @Test
    void shouldRefuseOutputLongerThanTheDestination() {
        final byte[] ascii = Base64.getEncoder().encode(new byte[300]);
        assertEquals(Base64Decoder.TOO_LONG, Base64Decoder.decode(new UnsafeBuffer(ascii), 0, ascii.length, out, 0, 299));
    }

    @Test
    void shouldDecodeFromAnOffset() {
        final byte[] framed = "xx\"AQID\"yy".getBytes(StandardCharsets.US_ASCII);
        assertEquals(3, Base64Decoder.decode(new UnsafeBuffer(framed), 3, 4, out, 10, 100));
        final byte[] decoded = new byte[3];
        out.getBytes(10, decoded);
        assertArrayEquals(new byte[] {1, 2, 3}, decoded);
    }
}
