package io.voxgate.websocket.http;

import org.agrona.DirectBuffer;

/**
 * What a WebSocket route's frame handler receives once its stream is open: whole text messages and binary frames,
 * called directly by the server's frame reader (no pipeline hop, no frame object). Pings, pongs, the close handshake
 * and the frame and message size limits are the server's; a stream closed for breaking them is reported to the
 * handler as a {@link WebSocketViolation} user event.
 *
 * <p>Threading: called on the connection's event loop. Ownership: every view is borrowed for the call only.
 */
public interface WebSocketMessages {
    /** The {@code 101 Switching Protocols} was sent: the stream is open. */
    void onOpen();

    /** A whole text message (fragments joined, up to the size limit), UTF-8 as the peer sent it. */
    void onText(DirectBuffer utf8, int offset, int length);

    /** A binary frame or fragment of a message; {@code last} on the message's final fragment. */
    void onBinary(DirectBuffer payload, int offset, int length, boolean last);
}
