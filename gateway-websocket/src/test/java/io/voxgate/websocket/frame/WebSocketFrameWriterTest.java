package io.voxgate.websocket.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Server frames written by {@link WebSocketFrameWriter} read back by a client's {@link WebSocketFrameReader}. */
class WebSocketFrameWriterTest {
    private final ByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
    private final List<String> read = new ArrayList<>();
    private final WebSocketFrameReader.FrameSink sink = new WebSocketFrameReader.FrameSink() {
        @Override
        public void onBinary(final DirectBuffer payload, final int offset, final int length, final boolean last) {
            read.add("binary " + length);
        }

        @Override
        public void onText(final DirectBuffer utf8, final int offset, final int length) {
            read.add("text " + length);
        }

        @Override
        public void onClose(final int statusCode) {
            read.add("close " + statusCode);
        }

        @Override
        public void onPing(final DirectBuffer payload, final int offset, final int length) {
            read.add("ping " + length);
        }
    };

    @ParameterizedTest
    @ValueSource(ints = {0, 125, 126, 65_535, 65_536})
    void shouldWriteATextFrameInTheShortestLengthForm(final int length) {
        final ByteBuf frame = WebSocketFrameWriter.textFrame(alloc, new byte[length]);

        assertEquals(WebSocketFrameWriter.headerLength(length) + length, frame.readableBytes());
        assertEquals(1, WebSocketFrameReader.serverFrames(1 << 20).read(frame, sink));
        assertEquals(List.of("text " + length), read);
        frame.release();
    }

    @Test
    void shouldWriteACloseFrameWithItsStatusAndReason() {
        final ByteBuf frame = WebSocketFrameWriter.closeFrame(alloc, 1008, "call token missing");

        assertEquals("call token missing", frame.toString(4, frame.readableBytes() - 4, StandardCharsets.UTF_8));
        assertEquals(1, WebSocketFrameReader.serverFrames(1024).read(frame, sink));
        assertEquals(List.of("close 1008"), read);
        frame.release();
    }

    @Test
    void shouldWriteAnEmptyCloseFrameForNoStatusCode() {
        final ByteBuf frame = WebSocketFrameWriter.closeFrame(alloc, WebSocketFrameReader.NO_STATUS_CODE, "ignored");

        assertEquals(2, frame.readableBytes());
        frame.release();
    }

    @Test
    void shouldRefuseACloseReasonOverTheControlFrameLimit() {
        assertThrows(IllegalArgumentException.class, () -> WebSocketFrameWriter.closeFrame(alloc, 1000, "x".repeat(124)));
    }

    @Test
    void shouldEchoAPingsPayloadInThePong() {
        final ByteBuf frame = WebSocketFrameWriter.pongFrame(alloc, new UnsafeBuffer(new byte[] {9, 8, 7, 6}), 1, 2);

        assertEquals(0x8A, frame.getUnsignedByte(0));
        assertEquals(2, frame.getUnsignedByte(1));
        assertEquals(8, frame.getByte(2));
        assertEquals(7, frame.getByte(3));
        frame.release();
    }
}
