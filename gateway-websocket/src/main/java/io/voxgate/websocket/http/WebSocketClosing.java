package io.voxgate.websocket.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Ends a WebSocket stream the way RFC 6455 §5.5.1 and §7.1.1 ask: send a close frame with a status code and a
 * reason, let the peer answer with its own close frame ({@link WebSocketServerFrames} then closes the TCP
 * connection), and close the TCP connection ourselves if the peer stays silent for the server's close-handshake
 * timeout. A stream whose close frame was already sent sends no second one.
 *
 * <p>Threading: call on the channel's event loop. Stateless.
 */
public final class WebSocketClosing {
    static final AttributeKey<Long> CLOSE_TIMEOUT_MS = AttributeKey.valueOf(WebSocketClosing.class, "closeTimeoutMs");

    private WebSocketClosing() {
    }

    /**
     * Sends a close frame with {@code statusCode} and {@code reason} (at most 123 UTF-8 bytes; longer reasons are cut in one
     * step) and schedules the TCP close. The reason is ours: never put peer input in it.
     *
     * @return the write of the close frame
     */
    public static ChannelFuture close(final Channel channel, final int statusCode, final String reason) {
        final WebSocketServerFrames frames = channel.pipeline().get(WebSocketServerFrames.class);
        if (frames == null) {
            // The connection is gone (its pipeline emptied) or never became a WebSocket: nothing to say, only to close.
            return channel.close();
        }
        final ChannelFuture written = frames.sendClose(statusCode, truncate(reason));
        final Long configured = channel.attr(CLOSE_TIMEOUT_MS).get();
        final long timeoutMs = configured == null ? HttpEdgeServer.DEFAULT_CLOSE_HANDSHAKE_TIMEOUT_MS : configured;
        if (timeoutMs == 0) {
            written.addListener(f -> channel.close());
        } else {
            channel.eventLoop().schedule(() -> {
                if (channel.isOpen()) {
                    channel.close();
                }
            }, timeoutMs, TimeUnit.MILLISECONDS);
        }
        return written;
    }

    /** RFC 6455 §5.5: a control frame's payload is at most 125 bytes, two of which hold the status code. */
    static final int MAX_REASON_BYTES = 123;

    /**
     * The reason cut to {@value #MAX_REASON_BYTES} UTF-8 bytes in one step: encoded once, cut at the limit, and moved
     * back over continuation bytes so no character is split. Linear in the reason's length, whatever its size.
     */
    static String truncate(final String reason) {
        if (reason == null) {
            return "";
        }
        if (reason.length() * 3 <= MAX_REASON_BYTES) {
            return reason;
        }
        final byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_REASON_BYTES) {
            return reason;
        }
        int end = MAX_REASON_BYTES;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(utf8, 0, end, StandardCharsets.UTF_8);
    }
}
