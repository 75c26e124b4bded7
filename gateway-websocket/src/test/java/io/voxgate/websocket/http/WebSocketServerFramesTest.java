package io.voxgate.websocket.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server's side of an open stream: messages to the route's handler, pings, the close handshake, violations. */
class WebSocketServerFramesTest {
    private static final int KEY = 0x01020304;

    private final App app = new App();
    private final EmbeddedChannel channel = new EmbeddedChannel(new WebSocketServerFrames(1024, app), app);

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldHandAWholeTextMessageToTheRoutesHandler() {
        channel.writeInbound(frame(0x81, "{\"event\":\"media\"}"));

        assertEquals(List.of("{\"event\":\"media\"}"), app.texts);
    }

    @Test
    void shouldKeepAFrameSplitAcrossReadsUntilItIsWhole() {
        final ByteBuf whole = frame(0x81, "{\"event\":\"mark\"}");
        final ByteBuf first = whole.readRetainedSlice(5);

        channel.writeInbound(first);
        assertTrue(app.texts.isEmpty());
        channel.writeInbound(whole);
        assertEquals(List.of("{\"event\":\"mark\"}"), app.texts);
    }

    @Test
    void shouldAnswerAPingWithAPongCarryingItsPayload() {
        channel.writeInbound(frame(0x89, "abc"));

        final ByteBuf pong = channel.readOutbound();
        assertEquals(0x8A, pong.getUnsignedByte(0));
        assertEquals("abc", pong.toString(2, 3, StandardCharsets.US_ASCII));
        pong.release();
    }

    @Test
    void shouldAnswerTheClientsCloseWithItsStatusCodeAndCloseTheConnection() {
        channel.writeInbound(closeFrame(1000, "bye"));

        final ByteBuf close = channel.readOutbound();
        assertEquals(0x88, close.getUnsignedByte(0));
        assertEquals(2, close.getUnsignedByte(1), "status code only, never the peer's reason");
        assertEquals(1000, close.getUnsignedShort(2));
        close.release();
        assertFalse(channel.isOpen());
    }

    @Test
    void shouldClose1009AndReportAViolationForAFrameOverTheLimit() {
        final ByteBuf header = Unpooled.buffer().writeByte(0x81).writeByte(0x80 | 126).writeShort(2000).writeInt(KEY);

        channel.writeInbound(header);

        final ByteBuf close = channel.readOutbound();
        assertEquals(1009, close.getUnsignedShort(2));
        close.release();
        assertEquals(1009, app.violation.statusCode());
        assertTrue(app.texts.isEmpty());
    }

    @Test
    void shouldClose1002ForAnUnmaskedClientFrame() {
        channel.writeInbound(Unpooled.buffer().writeByte(0x81).writeByte(2).writeShort(0x6869));

        final ByteBuf close = channel.readOutbound();
        assertEquals(1002, close.getUnsignedShort(2));
        close.release();
        assertEquals(1002, app.violation.statusCode());
    }

    @Test
    void shouldDropWhatFollowsAViolation() {
        channel.writeInbound(Unpooled.buffer().writeByte(0xC1).writeByte(0x80).writeInt(KEY));
        channel.writeInbound(frame(0x81, "{}"));

        assertTrue(app.texts.isEmpty());
    }

    @Test
    void shouldSendGoingAwayWhenTheChannelIsClosedWithoutACloseFrame() {
        channel.close();

        final ByteBuf close = channel.readOutbound();
        assertEquals(1001, close.getUnsignedShort(2));
        close.release();
    }

    @Test
    void shouldSendOneCloseFrameOnly() {
        WebSocketClosing.close(channel, 1000, "stream stopped");
        WebSocketClosing.close(channel, 1008, "again");
        channel.close();

        final ByteBuf close = channel.readOutbound();
        assertEquals(1000, close.getUnsignedShort(2));
        close.release();
        assertNull(channel.readOutbound());
    }

    private static ByteBuf frame(final int b0, final String text) {
        return masked(b0, text.getBytes(StandardCharsets.UTF_8));
    }

    private static ByteBuf closeFrame(final int statusCode, final String reason) {
        final byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        final byte[] payload = new byte[2 + utf8.length];
        payload[0] = (byte) (statusCode >>> 8);
        payload[1] = (byte) statusCode;
        System.arraycopy(utf8, 0, payload, 2, utf8.length);
        return masked(0x88, payload);
    }

    private static ByteBuf masked(final int b0, final byte[] payload) {
        final ByteBuf out = Unpooled.buffer().writeByte(b0).writeByte(0x80 | payload.length).writeInt(KEY);
        for (int i = 0; i < payload.length; i++) {
            out.writeByte(payload[i] ^ (KEY >>> (24 - 8 * (i % 4))));
        }
        return out;
    }

    /** A route's frame handler that records what reaches it. */
    private static final class App extends ChannelInboundHandlerAdapter implements WebSocketMessages {
        private final List<String> texts = new ArrayList<>();
        private WebSocketViolation violation;

        @Override
        public void onOpen() {
            // Not part of these tests: the router calls it once the 101 is written.
        }

        @Override
        public void onText(final DirectBuffer utf8, final int offset, final int length) {
            texts.add(utf8.getStringWithoutLengthUtf8(offset, length));
        }

        @Override
        public void onBinary(final DirectBuffer payload, final int offset, final int length, final boolean last) {
            texts.add("binary");
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) {
            if (evt instanceof WebSocketViolation) {
                violation = (WebSocketViolation) evt;
            }
        }
    }
}
