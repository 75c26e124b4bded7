package io.voxgate.websocket.twilio.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
}
