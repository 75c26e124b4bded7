package io.voxgate.websocket.http;

/**
 * User event fired to a WebSocket route's frame handler when the server closed its stream because the peer broke a
 * limit or the protocol: an oversized frame or message (1009), a malformed frame (1002). The server has already
 * sent the close frame with {@link #statusCode()} and {@link #reason()}; the handler only accounts for it and lets
 * the channel close.
 *
 * <p>Immutable.
 */
public final class WebSocketViolation {
    private final int statusCode;
    private final String reason;

    WebSocketViolation(final int statusCode, final String reason) {
        this.statusCode = statusCode;
        this.reason = reason;
    }

    /** The close status sent (RFC 6455 §7.4.1), e.g. 1009 message too big. */
    public int statusCode() {
        return statusCode;
    }

    /** The close reason sent. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return statusCode + " " + reason;
    }
}
