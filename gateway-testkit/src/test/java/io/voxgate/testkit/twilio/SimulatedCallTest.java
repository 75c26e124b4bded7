package io.voxgate.testkit.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class SimulatedCallTest {
    @Test
    void shouldWriteNumbersAsTheirDecimalDigits() {
        final long[] values = {0, 1, 9, 10, 99, 100, 1_000_000, 1_234_567_890_123L, Long.MAX_VALUE};
        for (final long value : values) {
            final byte[] out = new byte[24];
            final int end = SimulatedCall.putDecimal(out, 2, value);
            assertEquals(Long.toString(value), new String(out, 2, end - 2, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void shouldFrameAMaskedTextMessageThatAServerDecoderReadsBack() {
        // Lengths either side of the 7-bit limit and every length mod 8; mask keys with every byte set, so the long-wise
        // and the byte-wise masking both show.
        final int[] lengths = {0, 1, 7, 8, 9, 124, 125, 126, 127, 128, 129, 130, 131, 132, 133, 134, 400, 65_535};
        final int[] keys = {0, 0x01020304, 0xFFFFFFFF, 0x80FF7F01};
        for (final int length : lengths) {
            for (final int key : keys) {
                final byte[] frame = new byte[SimulatedCall.WS_HEADER_BYTES + length];
                final StringBuilder text = new StringBuilder();
                for (int i = 0; i < length; i++) {
                    text.append((char) ('!' + (i * 7) % 90));
                    frame[SimulatedCall.WS_HEADER_BYTES + i] = (byte) text.charAt(i);
                }
                final int start = SimulatedCall.maskedTextFrame(new UnsafeBuffer(frame), frame.length, key);
                final EmbeddedChannel server = new EmbeddedChannel(new WebSocket13FrameDecoder(true, false, 65_536));
                server.writeInbound(Unpooled.wrappedBuffer(frame, start, frame.length - start));
                final TextWebSocketFrame decoded = server.readInbound();
                try {
                    assertEquals(text.toString(), decoded.text(), "length " + length + " key " + Integer.toHexString(key));
                } finally {
                    decoded.release();
                    server.finishAndReleaseAll();
                }
            }
        }
    }

    @Test
    void shouldRefuseAPayloadThatNeedsA64BitLength() {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[SimulatedCall.WS_HEADER_BYTES + 65_536]);
        assertThrows(IllegalArgumentException.class, () -> SimulatedCall.maskedTextFrame(frame, frame.capacity(), 1));
    }
}
