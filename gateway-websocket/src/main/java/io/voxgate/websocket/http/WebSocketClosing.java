package io.voxgate.websocket.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Ends a WebSocket stream the way RFC 6455 §5.5.1 and §7.1.1 ask: send a close frame with a status code and a
 * reason, let the peer answer with its own close frame (Netty's protocol handler then closes the TCP connection),
 * and close the TCP connection ourselves if the peer stays silent for the server's close-handshake timeout.
 *
 * <p>Threading: call on the channel's event loop. Stateless.
 */
public final class WebSocketClosing {
    static final AttributeKey<Long> CLOSE_TIMEOUT_MS = AttributeKey.valueOf(WebSocketClosing.class, "closeTimeoutMs");

    private WebSocketClosing() {
    }

    /**
     * Sends a close frame with {@code statusCode} and {@code reason} (at most 123 UTF-8 bytes; longer reasons are cut)
     * and schedules the TCP close.
     *
     * @return the write of the close frame
     */
    public static ChannelFuture close(final Channel channel, final int statusCode, final String reason) {
        final ChannelFuture written = channel.writeAndFlush(new CloseWebSocketFrame(statusCode, truncate(reason)));
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
    private static String truncate(final String reason) {
        if (reason == null) {
            return "";
        }
        String r = reason;
        while (r.getBytes(StandardCharsets.UTF_8).length > 123) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }
}
