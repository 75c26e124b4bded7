package io.voxgate.websocket.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link WebSocketFrameReader}: frames written by Netty's server-side RFC 6455 encoder, as the Vapi leg receives them,
 * and masked client frames, as a Twilio media stream sends them, built byte by byte.
 */
final class WebSocketFrameReaderTest {
    private static final int KEY = 0x37FA213D;
    private static final int TEXT = 0x81;

    private final WebSocketFrameReader decoder = WebSocketFrameReader.serverFrames(1 << 20);
    private final WebSocketFrameReader server = WebSocketFrameReader.clientFrames(1 << 20);
    private final Sink sink = new Sink();

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 160, 320, 65_535, 65_536, 100_000})
    void shouldReadBinaryFramesAsViews(final int length) {
        final byte[] audio = random(length);
        final ByteBuf wire = serverWire(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(audio)));

        assertEquals(1, decoder.read(wire, sink));
        assertArrayEquals(audio, sink.audio.toByteArray());
        assertEquals(0, wire.readableBytes());
        wire.release();
    }

    @Test
    void shouldLeaveAPartialFrameUntilTheRestArrives() {
        final byte[] audio = random(300);
        final ByteBuf wire = serverWire(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(audio)));
        final ByteBuf first = wire.readRetainedSlice(150);

        assertEquals(0, decoder.read(first, sink));
        assertEquals(150, first.readableBytes());
        final ByteBuf whole = Unpooled.wrappedBuffer(first, wire);
        assertEquals(1, decoder.read(whole, sink));
        assertArrayEquals(audio, sink.audio.toByteArray());
        whole.release();
    }

    @Test
    void shouldReadSeveralFramesInOneBuffer() {
        final ByteBuf wire = Unpooled.wrappedBuffer(
            serverWire(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2}))),
            serverWire(new TextWebSocketFrame("{\"type\":\"hang\"}")),
            serverWire(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {3}))));

        assertEquals(3, decoder.read(wire, sink));
        assertArrayEquals(new byte[] {1, 2, 3}, sink.audio.toByteArray());
        assertEquals(List.of("{\"type\":\"hang\"}"), sink.texts);
        wire.release();
    }

    @Test
    void shouldDeliverBinaryFragmentsAsTheyCome() {
        final ByteBuf wire = Unpooled.wrappedBuffer(
            serverWire(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {1, 2}))),
            serverWire(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] {3, 4}))));

        assertEquals(2, decoder.read(wire, sink));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, sink.audio.toByteArray());
        wire.release();
    }

    @Test
    void shouldJoinTextFragments() {
        final ByteBuf wire = Unpooled.wrappedBuffer(
            serverWire(new TextWebSocketFrame(false, 0, "{\"type\":")),
            serverWire(new ContinuationWebSocketFrame(true, 0, "\"user-interrupted\"}")));

        assertEquals(2, decoder.read(wire, sink));
        assertEquals(List.of("{\"type\":\"user-interrupted\"}"), sink.texts);
        wire.release();
    }

    @Test
    void shouldReportCloseCodesAndPings() {
        final ByteBuf wire = Unpooled.wrappedBuffer(
            serverWire(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {9}))),
            serverWire(new CloseWebSocketFrame(4001, "bye")));

        assertEquals(2, decoder.read(wire, sink));
        assertEquals(1, sink.pings);
        assertEquals(List.of(4001), sink.closeCodes);
        wire.release();
    }

    @Test
    void shouldReportNoStatusForAnEmptyClose() {
        final ByteBuf wire = Unpooled.wrappedBuffer(new byte[] {(byte) 0x88, 0});

        decoder.read(wire, sink);
        assertEquals(List.of(WebSocketFrameReader.NO_STATUS_CODE), sink.closeCodes);
    }

    @Test
    void shouldUnmaskAMaskedServerFrame() {
        final byte[] frame = {(byte) 0x82, (byte) 0x83, 0x10, 0x20, 0x30, 0x40, 0x11, 0x22, 0x33};

        assertEquals(1, decoder.read(Unpooled.wrappedBuffer(frame), sink));
        assertArrayEquals(new byte[] {0x01, 0x02, 0x03}, sink.audio.toByteArray());
    }

    @Test
    void shouldStopOnReservedBits() {
        assertEquals(-1, decoder.read(Unpooled.wrappedBuffer(new byte[] {(byte) 0xC2, 0}), sink));
        assertNotNull(decoder.failure());
    }

    @Test
    void shouldStopOnAnOversizedFrame() {
        final WebSocketFrameReader small = WebSocketFrameReader.serverFrames(100);

        assertEquals(-1, small.read(Unpooled.wrappedBuffer(new byte[] {(byte) 0x82, 126, 0, (byte) 200}), sink));
    }

    @Test
    void shouldStopOnAContinuationWithoutAMessage() {
        assertEquals(-1, decoder.read(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0}), sink));
    }

    @Test
    void shouldStopOnAFragmentedControlFrame() {
        assertEquals(-1, decoder.read(Unpooled.wrappedBuffer(new byte[] {(byte) 0x09, 0}), sink));
    }

    @Test
    void shouldStopOnAnUnknownOpcode() {
        assertEquals(-1, decoder.read(Unpooled.wrappedBuffer(new byte[] {(byte) 0x83, 0}), sink));
    }

    @Test
    void shouldHaveNoErrorWhileWellFormed() {
        decoder.read(Unpooled.wrappedBuffer(new byte[] {(byte) 0x82, 0}), sink);

        assertNull(decoder.failure());
    }

    // ---- client frames, as a server reads them: masked (RFC 6455 §5.1, §5.3)

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 8, 9, 125, 126, 127, 300, 65_535, 65_536, 100_000})
    void shouldUnmaskAClientTextFrameInPlaceInEachLengthForm(final int length) {
        final String text = "0123456789abcdef".repeat(length / 16 + 1).substring(0, length);
        final ByteBuf wire = Unpooled.directBuffer().writeBytes(clientFrame(TEXT, ascii(text), KEY));

        assertEquals(1, server.read(wire, sink));
        assertEquals(0, wire.readableBytes());
        assertEquals(List.of(text), sink.texts);
        wire.release();
    }

    @Test
    void shouldUnmaskAClientFrameSpreadOverACompositeBuffer() {
        final String text = "{\"event\":\"media\",\"media\":{\"payload\":\"" + "B".repeat(100) + "\"}}";
        final byte[] frame = clientFrame(TEXT, ascii(text), KEY);
        final ByteBuf wire = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(frame, 0, 37),
            Unpooled.wrappedBuffer(frame, 37, frame.length - 37));

        assertEquals(1, server.read(wire, sink));
        assertEquals(List.of(text), sink.texts);
        wire.release();
    }

    @Test
    void shouldWaitForTheRestOfAFrameSplitAtEveryByteBoundary() {
        final String media = "{\"event\":\"media\",\"media\":{\"payload\":\"" + "A".repeat(216) + "\"}}";
        final byte[] frame = clientFrame(TEXT, ascii(media), KEY);
        for (int split = 1; split < frame.length; split++) {
            final WebSocketFrameReader reader = WebSocketFrameReader.clientFrames(1 << 20);
            final Sink parts = new Sink();
            final ByteBuf wire = Unpooled.buffer().writeBytes(frame, 0, split);

            assertEquals(0, reader.read(wire, parts), "split at " + split);
            assertEquals(split, wire.readableBytes(), "a partial frame stays unread, split at " + split);
            wire.writeBytes(frame, split, frame.length - split);
            assertEquals(1, reader.read(wire, parts), "split at " + split);
            assertEquals(List.of(media), parts.texts, "split at " + split);
            wire.release();
        }
    }

    @Test
    void shouldReadTwoClientFramesInOneBuffer() {
        final ByteBuf wire = Unpooled.wrappedBuffer(concat(
            clientFrame(TEXT, ascii("{\"event\":\"mark\"}"), KEY), clientFrame(TEXT, ascii("{\"event\":\"stop\"}"), ~KEY)));

        assertEquals(2, server.read(wire, sink));
        assertEquals(List.of("{\"event\":\"mark\"}", "{\"event\":\"stop\"}"), sink.texts);
    }

    @Test
    void shouldRefuseAnUnmaskedClientFrameWith1002() {
        assertEquals(-1, server.read(Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, 2, 'h', 'i'}), sink));
        assertEquals(1002, server.failureStatus());
        assertTrue(sink.events.isEmpty());
    }

    @Test
    void shouldRefuseAHeaderOverTheLimitWith1009BeforeItsPayloadArrives() {
        final WebSocketFrameReader small = WebSocketFrameReader.clientFrames(1024);
        final ByteBuf header = Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, (byte) (0x80 | 126), 0x07, (byte) 0xD1});

        assertEquals(-1, small.read(header, sink));
        assertEquals(1009, small.failureStatus());
        assertTrue(small.failure().contains("Max frame length"), small.failure());
        assertEquals(0, header.readableBytes());
    }

    @ParameterizedTest
    @ValueSource(ints = {0x81, 0x82})
    void shouldRefuseAFragmentedMessageOverTheLimitWith1009(final int first) {
        final WebSocketFrameReader small = WebSocketFrameReader.clientFrames(1024);
        final ByteBuf wire = Unpooled.wrappedBuffer(concat(
            clientFrame(first & 0x0F, new byte[600], KEY), clientFrame(0x80, new byte[600], KEY)));

        assertEquals(-1, small.read(wire, sink));
        assertEquals(1009, small.failureStatus());
        assertTrue(sink.texts.isEmpty());
    }

    @Test
    void shouldJoinMaskedTextFragmentsAroundAPing() {
        final ByteBuf wire = Unpooled.wrappedBuffer(concat(
            clientFrame(0x01, ascii("{\"event\":"), KEY), clientFrame(0x89, new byte[] {1, 2}, KEY),
            clientFrame(0x80, ascii("\"stop\"}"), ~KEY)));

        assertEquals(3, server.read(wire, sink));
        assertEquals(List.of("ping 2", "text {\"event\":\"stop\"}"), sink.events);
    }

    @Test
    void shouldMarkOnlyTheFinalBinaryFragmentAsLast() {
        final ByteBuf wire = Unpooled.wrappedBuffer(concat(
            clientFrame(0x02, new byte[] {1, 2}, KEY), clientFrame(0x00, new byte[] {3}, KEY), clientFrame(0x80, new byte[] {4}, KEY)));

        assertEquals(3, server.read(wire, sink));
        assertEquals(List.of(false, false, true), sink.binaryLast);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, sink.audio.toByteArray());
    }

    @Test
    void shouldReadNothingAfterTheClientsCloseFrame() {
        final ByteBuf wire = Unpooled.wrappedBuffer(concat(
            clientFrame(0x88, new byte[] {0x03, (byte) 0xE8}, KEY), clientFrame(TEXT, ascii("{}"), KEY)));

        assertEquals(1, server.read(wire, sink));
        assertEquals(List.of("close 1000"), sink.events);
        assertTrue(server.closed());
        assertEquals(0, wire.readableBytes(), "what follows the close frame is dropped");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "reserved bits,                       0xC1, 0x80, 1002",
        "reserved data opcode,                0x83, 0x80, 1002",
        "reserved control opcode,             0x8B, 0x80, 1002",
        "fragmented ping,                     0x09, 0x80, 1002",
        "ping over 125 bytes,                 0x89, 0xFE, 1002",
        "close with a one-byte payload,       0x88, 0x81, 1002",
        "continuation without a message,      0x80, 0x80, 1002"
    })
    void shouldRefuseAMalformedHeader(final String rule, final String b0, final String b1, final int status) {
        final ByteBuf wire = Unpooled.wrappedBuffer(new byte[] {(byte) Integer.decode(b0).intValue(),
            (byte) Integer.decode(b1).intValue(), 0, 0, 0, 0, 0, 0, 0, 0});

        assertEquals(-1, server.read(wire, sink), rule);
        assertEquals(status, server.failureStatus(), rule);
        assertNotNull(server.failure(), rule);
        assertTrue(sink.events.isEmpty(), rule);
    }

    @Test
    void shouldRefuseALengthNotInItsShortestForm() {
        final ByteBuf sixteen = Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, (byte) 0xFE, 0, 100});
        final ByteBuf sixtyFour = Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, (byte) 0xFF, 0, 0, 0, 0, 0, 0, 0x03, (byte) 0xE8});

        assertEquals(-1, server.read(sixteen, sink));
        assertEquals(1002, server.failureStatus());
        final WebSocketFrameReader other = WebSocketFrameReader.clientFrames(1 << 20);
        assertEquals(-1, other.read(sixtyFour, sink));
        assertEquals(1002, other.failureStatus());
    }

    @Test
    void shouldRefuseANewMessageInsideAFragmentedOne() {
        final ByteBuf wire = Unpooled.wrappedBuffer(concat(clientFrame(0x01, ascii("{"), KEY), clientFrame(TEXT, ascii("{}"), KEY)));

        assertEquals(-1, server.read(wire, sink));
        assertEquals(1002, server.failureStatus());
    }

    @Test
    void shouldRefuseACloseStatusCodeNotAllowedOnTheWire() {
        final ByteBuf wire = Unpooled.wrappedBuffer(clientFrame(0x88, new byte[] {0x03, (byte) 0xED}, KEY));

        assertEquals(-1, server.read(wire, sink));
        assertEquals(1002, server.failureStatus());
    }

    @Test
    void shouldRefuseACloseReasonThatIsNotUtf8With1007() {
        final ByteBuf wire = Unpooled.wrappedBuffer(clientFrame(0x88, new byte[] {0x03, (byte) 0xE8, (byte) 0xC3, 0x28}, KEY));

        assertEquals(-1, server.read(wire, sink));
        assertEquals(1007, server.failureStatus());
    }

    @Test
    void shouldStayFailedAndSkipEverythingAfterAFailure() {
        server.read(Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, 2, 'h', 'i'}), sink);
        final ByteBuf more = Unpooled.wrappedBuffer(clientFrame(TEXT, ascii("{}"), KEY));

        assertEquals(-1, server.read(more, sink));
        assertEquals(0, more.readableBytes());
        assertTrue(sink.texts.isEmpty());
    }

    @Test
    void shouldAllocateNothingPerMediaFrame() {
        final String media = "{\"event\":\"media\",\"streamSid\":\"MZ0123456789abcdef0123456789abcdef\",\"media\":{\"payload\":\""
            + "A".repeat(216) + "\"}}";
        final byte[] frame = clientFrame(TEXT, ascii(media), KEY);
        // A wrapped buffer is not leak-tracked: at the tests' paranoid level a tracked one records every access.
        final ByteBuf wire = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(frame.length));
        final long[] bytesSeen = {0};
        final WebSocketFrameReader.FrameSink counting = new WebSocketFrameReader.FrameSink() {
            @Override
            public void onBinary(final DirectBuffer payload, final int offset, final int length, final boolean last) {
                bytesSeen[0] += length;
            }

            @Override
            public void onText(final DirectBuffer utf8, final int offset, final int length) {
                bytesSeen[0] += utf8.getByte(offset + length - 1);
            }

            @Override
            public void onClose(final int statusCode) {
                bytesSeen[0] += statusCode;
            }

            @Override
            public void onPing(final DirectBuffer payload, final int offset, final int length) {
                bytesSeen[0] += length;
            }
        };
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        readFrames(wire, frame, counting, 20_000);
        threads.getThreadAllocatedBytes(thread);
        final long before = threads.getThreadAllocatedBytes(thread);
        readFrames(wire, frame, counting, 100_000);
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;
        wire.release();

        // One object per frame would be several MB here; the management bean may allocate a few hundred bytes once.
        assertTrue(allocated < 100_000, () -> allocated + " bytes for 100,000 frames");
        assertEquals(120_000L * '}', bytesSeen[0]);
    }

    private void readFrames(final ByteBuf wire, final byte[] frame, final WebSocketFrameReader.FrameSink counting, final int count) {
        for (int i = 0; i < count; i++) {
            wire.clear().writeBytes(frame);
            server.read(wire, counting);
        }
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

    /** A masked client frame: {@code b0} (FIN, opcode), the shortest length form, the key, the masked payload. */
    private static byte[] clientFrame(final int b0, final byte[] payload, final int maskKey) {
        final ByteBuf out = Unpooled.buffer();
        out.writeByte(b0);
        if (payload.length < 126) {
            out.writeByte(0x80 | payload.length);
        } else if (payload.length <= 0xFFFF) {
            out.writeByte(0x80 | 126);
            out.writeShort(payload.length);
        } else {
            out.writeByte(0x80 | 127);
            out.writeLong(payload.length);
        }
        out.writeInt(maskKey);
        for (int i = 0; i < payload.length; i++) {
            out.writeByte(payload[i] ^ (maskKey >>> (24 - 8 * (i % 4))));
        }
        final byte[] bytes = ByteBufUtil.getBytes(out);
        out.release();
        return bytes;
    }

    private static byte[] concat(final byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(final String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static final class Sink implements WebSocketFrameReader.FrameSink {
        private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
        private final List<String> texts = new ArrayList<>();
        private final List<Integer> closeCodes = new ArrayList<>();
        private final List<Boolean> binaryLast = new ArrayList<>();
        private final List<String> events = new ArrayList<>();
        private int pings;

        @Override
        public void onBinary(final DirectBuffer buffer, final int offset, final int length, final boolean last) {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            audio.write(copy, 0, length);
            binaryLast.add(last);
            events.add("binary " + length);
        }

        @Override
        public void onText(final DirectBuffer utf8, final int offset, final int length) {
            final String text = utf8.getStringWithoutLengthUtf8(offset, length);
            texts.add(text);
            events.add("text " + text);
        }

        @Override
        public void onClose(final int statusCode) {
            closeCodes.add(statusCode);
            events.add("close " + statusCode);
        }

        @Override
        public void onPing(final DirectBuffer payload, final int offset, final int length) {
            pings++;
            events.add("ping " + length);
        }
    }
}
