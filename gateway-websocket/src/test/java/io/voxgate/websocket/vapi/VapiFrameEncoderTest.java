package io.voxgate.websocket.vapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Frames written by {@link VapiFrameEncoder} are read back by Netty's server-side RFC 6455 decoder. */
final class VapiFrameEncoderTest {
    private final VapiFrameEncoder encoder = new VapiFrameEncoder();
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 8, 9, 125, 126, 160, 320, 65_535, 65_536, 70_001})
    void shouldWriteMaskedBinaryFramesAServerReadsBack(final int length) {
        final byte[] audio = random(length);

        assertArrayEquals(audio, readBinary(encoder.binaryFrame(alloc, new UnsafeBuffer(audio), 0, length, 0x9A3B_11F0)));
    }

    @Test
    void shouldCopyFromAnOffsetOfAnOffHeapBuffer() {
        final byte[] audio = random(400);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(400));
        direct.putBytes(0, audio);

        final byte[] expected = new byte[160];
        System.arraycopy(audio, 40, expected, 0, 160);
        assertArrayEquals(expected, readBinary(encoder.binaryFrame(alloc, direct, 40, 160, 0x0102_0304)));
    }

    @Test
    void shouldCopyFromAWrappedSliceOfAnArray() {
        final byte[] audio = random(400);
        final UnsafeBuffer slice = new UnsafeBuffer(audio, 100, 200);

        final byte[] expected = new byte[160];
        System.arraycopy(audio, 110, expected, 0, 160);
        assertArrayEquals(expected, readBinary(encoder.binaryFrame(alloc, slice, 10, 160, 0x7FFF_FFFF)));
    }

    @Test
    void shouldWriteTextFrames() {
        final byte[] json = "{\"type\":\"end-call\"}".getBytes(StandardCharsets.UTF_8);
        final EmbeddedChannel server = serverDecoder();
        server.writeInbound(encoder.frame(alloc, VapiFrameEncoder.OPCODE_TEXT, json, 0, json.length, 0xDEAD_BEEF));
        final TextWebSocketFrame frame = assertInstanceOf(TextWebSocketFrame.class, server.readInbound());

        assertEquals("{\"type\":\"end-call\"}", frame.text());
        frame.release();
        server.finishAndReleaseAll();
    }

    @Test
    void shouldWriteCloseFramesWithTheirCode() {
        final EmbeddedChannel server = serverDecoder();
        server.writeInbound(encoder.closeFrame(alloc, 1000, 0x5555_AAAA));
        final CloseWebSocketFrame frame = assertInstanceOf(CloseWebSocketFrame.class, server.readInbound());

        assertEquals(1000, frame.statusCode());
        frame.release();
        server.finishAndReleaseAll();
    }

    @Test
    void shouldSizeTheHeaderByPayloadLength() {
        assertEquals(6, VapiFrameEncoder.headerLength(125));
        assertEquals(8, VapiFrameEncoder.headerLength(126));
        assertEquals(8, VapiFrameEncoder.headerLength(65_535));
        assertEquals(14, VapiFrameEncoder.headerLength(65_536));
    }

    private static byte[] readBinary(final ByteBuf wire) {
        final EmbeddedChannel server = serverDecoder();
        server.writeInbound(wire);
        final BinaryWebSocketFrame frame = assertInstanceOf(BinaryWebSocketFrame.class, server.readInbound());
        final byte[] payload = ByteBufUtil.getBytes(frame.content());
        frame.release();
        server.finishAndReleaseAll();
        return payload;
    }

    private static EmbeddedChannel serverDecoder() {
        return new EmbeddedChannel(new WebSocket13FrameDecoder(true, false, 1 << 20));
    }

    private static byte[] random(final int length) {
        final byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }
}
