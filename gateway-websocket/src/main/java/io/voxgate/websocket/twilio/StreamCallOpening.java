package io.voxgate.websocket.twilio;

import java.util.Objects;

/**
 * A {@link StreamCallFactory}'s answer: the opened call, or the close code and reason for a refused one (e.g. 1013
 * "try again later" when the registry is full). Made once per stream start.
 */
final class StreamCallOpening {
    private final StreamCall call;
    private final int closeCode;
    private final String reason;

    private StreamCallOpening(final StreamCall call, final int closeCode, final String reason) {
        this.call = call;
        this.closeCode = closeCode;
        this.reason = reason;
    }

    static StreamCallOpening opened(final StreamCall call) {
        return new StreamCallOpening(Objects.requireNonNull(call, "call"), 0, null);
    }

    static StreamCallOpening refused(final int closeCode, final String reason) {
        return new StreamCallOpening(null, closeCode, reason);
    }

    StreamCall call() {
        return call;
    }

    int closeCode() {
        return closeCode;
    }

    String reason() {
        return reason;
    }
}
