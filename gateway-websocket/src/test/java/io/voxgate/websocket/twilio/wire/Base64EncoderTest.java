package io.voxgate.websocket.twilio.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class Base64EncoderTest {

    @Test
    void shouldMatchTheJdkIntoAByteBufForEveryLengthUpTo400() {
        final Random random = new Random(7);
        final ByteBuf out = Unpooled.buffer(1024);
        try {
            for (int length = 0; length <= 400; length++) {
                final byte[] data = new byte[length];
                random.nextBytes(data);
                out.clear().writeByte('"');
                final int written = Base64Encoder.encode(new UnsafeBuffer(data), 0, length, out);
                assertEquals(Base64Encoder.encodedLength(length), written);
                assertEquals("\"" + Base64.getEncoder().encodeToString(data), out.toString(StandardCharsets.US_ASCII), "length " + length);
            }
        } finally {
            out.release();
        }
    }

    @Test
    void shouldMatchTheJdkIntoAnAgronaBufferForEveryLengthUpTo400() {
        final Random random = new Random(11);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[1024]);
        for (int length = 0; length <= 400; length++) {
            final byte[] data = new byte[length];
            random.nextBytes(data);
            final int written = Base64Encoder.encode(new UnsafeBuffer(data), 0, length, out, 5);
            assertEquals(Base64.getEncoder().encodeToString(data), out.getStringWithoutLengthAscii(5, written), "length " + length);
        }
    }
}
