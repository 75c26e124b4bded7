package io.voxgate.websocket.http;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Objects;

/**
 * A {@link WebSocketRoute}'s answer to an upgrade request: accept with the handler that will own the frames,
 * or refuse with an HTTP status (sent instead of {@code 101}, and the connection is closed).
 *
 * <p>Immutable; made once per upgrade request (not on the media path).
 */
public final class WebSocketUpgrade {
    private final ChannelHandler frameHandler;
    private final WebSocketMessages messages;
    private final HttpResponseStatus refusal;
    private final String reason;

    private WebSocketUpgrade(final ChannelHandler frameHandler, final WebSocketMessages messages, final HttpResponseStatus refusal,
                             final String reason) {
        this.frameHandler = frameHandler;
        this.messages = messages;
        this.refusal = refusal;
        this.reason = reason;
    }

    /**
     * Completes the handshake and installs {@code frameHandler} (a new instance per connection), which receives the
     * stream's messages as {@link WebSocketMessages} and its lifecycle as a channel handler.
     */
    public static <H extends ChannelHandler & WebSocketMessages> WebSocketUpgrade accept(final H frameHandler) {
        Objects.requireNonNull(frameHandler, "frameHandler");
        return new WebSocketUpgrade(frameHandler, frameHandler, null, null);
    }

    /**
     * Refuses with {@code status} (e.g. 403, 404, 503) and a short plain-text {@code reason} that is safe to show the
     * peer (never a secret).
     */
    public static WebSocketUpgrade refuse(final HttpResponseStatus status, final String reason) {
        Objects.requireNonNull(status, "status");
        if (status.code() < 400) {
            throw new IllegalArgumentException("a refusal needs a 4xx or 5xx status, not " + status);
        }
        return new WebSocketUpgrade(null, null, status, reason == null ? status.reasonPhrase() : reason);
    }

    /** Whether the upgrade is accepted. */
    public boolean accepted() {
        return frameHandler != null;
    }

    /** The frame handler when accepted, else {@code null}. */
    public ChannelHandler frameHandler() {
        return frameHandler;
    }

    /** The frame handler's message callbacks when accepted, else {@code null}. */
    WebSocketMessages messages() {
        return messages;
    }

    /** The refusal status when refused, else {@code null}. */
    public HttpResponseStatus refusal() {
        return refusal;
    }

    /** The refusal's reason text when refused, else {@code null}. */
    public String reason() {
        return reason;
    }
}
