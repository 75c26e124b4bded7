package io.voxgate.websocket.vapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Frames written by Netty's server-side RFC 6455 encoder are read by {@link VapiFrameDecoder}. */
final class VapiFrameDecoderTest {
    private final VapiFrameDecoder decoder = new VapiFrameDecoder(1 << 20);
    private final Sink sink = new Sink();

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 160, 320, 65_535, 65_536, 100_000})
    void shouldReadBinaryFramesAsViews(final int length) {
        final byte[] audio = random(length);
        final ByteBuf wire = serverWire(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(audio)));

        assertEquals(1, decoder.decode(wire, sink));
        assertArrayEquals(audio, sink.audio.toByteArray());
        assertEquals(0, wire.readableBytes());
        wire.release();
    }

    @Test
    void shouldLeaveAPartialFrameUntilTheRestArrives() {
        final byte[] audio = random(300);
        final ByteBuf wire = serverWire(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(audio)));
        final ByteBuf first = wire.readRetainedSlice(150);

        assertEquals(0, decoder.decode(first, sink));
        assertEquals(150, first.readableBytes());
        final ByteBuf whole = Unpooled.wrappedBuffer(first, wire);
        assertEquals(1, decoder.decode(whole, sink));
        assertArrayEquals(audio, sink.audio.toByteArray());
        whole.release();
    }

    @Test
    void shouldReadSeveralFramesInOneBuffer() {
        final ByteBuf wire = Unpooled.wrappedBuffer(
            serverWire(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2}))),
            serverWire(new TextWebSocketFrame("{\"type\":\"hang\"}")),
            serverWire(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {3}))));

        assertEquals(3, decoder.decode(wire, sink));
        assertArrayEquals(new byte[] {1, 2, 3}, sink.audio.toByteArray());
        assertEquals(List.of("{\"type\":\"hang\"}"), sink.texts);
        wire.release();
    }

    @Test
    void shouldDeliverBinaryFragmentsAsTheyCome() {
        final ByteBuf wire = Unpooled.wrappedBuffer(
            serverWire(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {1, 2}))),
            serverWire(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {3, 4}))));

        assertEquals(2, decoder.decode(wire, sink));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, sink.audio.toByteArray());
        wire.release();
    }

    @Test
    void shouldJoinTextFragments() {
        final ByteBuf wire = Unpooled.wrappedBuffer(
            serverWire(new TextWebSocketFrame(false, 0, "{\"type\":")),
            serverWire(new ContinuationWebSocketFrame(true, 0, "\"user-interrupted\"}")));

        assertEquals(2, decoder.decode(wire, sink));
        assertEquals(List.of("{\"type\":\"user-interrupted\"}"), sink.texts);
        wire.release();
        decoder.release();
    }

    @Test
    void shouldReportCloseCodesAndPings() {
        final ByteBuf wire = Unpooled.wrappedBuffer(
            serverWire(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {9}))),
            serverWire(new CloseWebSocketFrame(4001, "bye")));

        assertEquals(2, decoder.decode(wire, sink));
        assertEquals(1, sink.pings);
        assertEquals(List.of(4001), sink.closeCodes);
        wire.release();
    }

    @Test
    void shouldReportNoStatusForAnEmptyClose() {
        final ByteBuf wire = Unpooled.wrappedBuffer(new byte[] {(byte) 0x88, 0});

        decoder.decode(wire, sink);
        assertEquals(List.of(VapiFrameDecoder.NO_STATUS_CODE), sink.closeCodes);
    }

    @Test
    void shouldUnmaskAMaskedServerFrame() {
        final byte[] frame = {(byte) 0x82, (byte) 0x83, 0x10, 0x20, 0x30, 0x40, 0x11, 0x22, 0x33};

        assertEquals(1, decoder.decode(Unpooled.wrappedBuffer(frame), sink));
        assertArrayEquals(new byte[] {0x01, 0x02, 0x03}, sink.audio.toByteArray());
    }

    @Test
    void shouldStopOnReservedBits() {
        assertEquals(-1, decoder.decode(Unpooled.wrappedBuffer(new byte[] {(byte) 0xC2, 0}), sink));
        assertNotNull(decoder.protocolError());
    }

    @Test
    void shouldStopOnAnOversizedFrame() {
        final VapiFrameDecoder small = new VapiFrameDecoder(100);

        assertEquals(-1, small.decode(Unpooled.wrappedBuffer(new byte[] {(byte) 0x82, 126, 0, (byte) 200}), sink));
    }

    @Test
    void shouldStopOnAContinuationWithoutAMessage() {
        assertEquals(-1, decoder.decode(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0}), sink));
    }

    @Test
    void shouldStopOnAFragmentedControlFrame() {
        assertEquals(-1, decoder.decode(Unpooled.wrappedBuffer(new byte[] {(byte) 0x09, 0}), sink));
    }

    @Test
    void shouldStopOnAnUnknownOpcode() {
        assertEquals(-1, decoder.decode(Unpooled.wrappedBuffer(new byte[] {(byte) 0x83, 0}), sink));
    }

    @Test
    void shouldHaveNoErrorWhileWellFormed() {
        decoder.decode(Unpooled.wrappedBuffer(new byte[] {(byte) 0x82, 0}), sink);

        assertNull(decoder.protocolError());
    }

    private static ByteBuf serverWire(final WebSocketFrame frame) {
        final EmbeddedChannel server = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        server.writeOutbound(frame);
        final ByteBuf out = Unpooled.buffer();
        for (ByteBuf part = server.readOutbound(); part != null; part = server.readOutbound()) {
            out.writeBytes(part);
            part.release();
        }
        server.finishAndReleaseAll();
        return out;
    }

    private static byte[] random(final int length) {
        final byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    private static final class Sink implements VapiFrameDecoder.FrameSink {
        private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
        private final List<String> texts = new ArrayList<>();
        private final List<Integer> closeCodes = new ArrayList<>();
        private int pings;

        @Override
        public void onBinary(final DirectBuffer buffer, final int offset, final int length) {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            audio.write(copy, 0, length);
        }

        @Override
        public void onText(final ByteBuf utf8) {
            texts.add(new String(ByteBufUtil.getBytes(utf8), StandardCharsets.UTF_8));
        }

        @Override
        public void onClose(final int statusCode) {
            closeCodes.add(statusCode);
        }

        @Override
        public void onPing(final ByteBuf payload) {
            pings++;
        }
    }
}
