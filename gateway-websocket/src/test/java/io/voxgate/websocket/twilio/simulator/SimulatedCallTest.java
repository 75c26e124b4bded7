package io.voxgate.websocket.twilio.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SimulatedCallTest {
    @Test
    void shouldWriteNumbersAsTheirDecimalDigits() {
        final long[] values = {0, 1, 9, 10, 99, 100, 1_000_000, 1_234_567_890_123L, Long.MAX_VALUE};
        for (final long value : values) {
            final ByteBuf buf = Unpooled.buffer();
            try {
                SimulatedCall.writeDecimal(buf, value);
                assertEquals(Long.toString(value), buf.toString(StandardCharsets.US_ASCII));
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void shouldFrameAMaskedTextMessageThatAServerDecoderReadsBack() {
        // Every payload length mod 8 and mask keys with every byte set, so the long-wise and byte-wise masking both show.
        final int[] keys = {0, 0x01020304, 0xFFFFFFFF, 0x80FF7F01};
        for (int length = 126; length < 126 + 16; length++) {
            for (final int key : keys) {
                final StringBuilder text = new StringBuilder();
                for (int i = 0; i < length; i++) {
                    text.append((char) ('!' + (i * 7) % 90));
                }
                final ByteBuf buf = Unpooled.buffer();
                buf.writerIndex(SimulatedCall.WS_HEADER_BYTES);
                buf.writeCharSequence(text, StandardCharsets.US_ASCII);
                SimulatedCall.maskedTextFrame(buf, key);
                final EmbeddedChannel server = new EmbeddedChannel(new WebSocket13FrameDecoder(true, false, 65_536));
                server.writeInbound(buf);
                final TextWebSocketFrame frame = server.readInbound();
                try {
                    assertEquals(text.toString(), frame.text(), "length " + length + " key " + Integer.toHexString(key));
                } finally {
                    frame.release();
                    server.finishAndReleaseAll();
                }
            }
        }
    }

    @Test
    void shouldRefuseAPayloadThatNeedsAnotherLengthForm() {
        final ByteBuf buf = Unpooled.buffer();
        try {
            buf.writerIndex(SimulatedCall.WS_HEADER_BYTES + 125);
            assertThrows(IllegalArgumentException.class, () -> SimulatedCall.maskedTextFrame(buf, 1));
        } finally {
            buf.release();
        }
    }
}
