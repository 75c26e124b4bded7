package io.voxgate.sip.signaling;

/**
 * The edge's answer to {@link SipCallHandler#admit}: the call's RTP port, or the SIP status to refuse with.
 *
 * <p>Immutable; safe on any thread.
 */
public final class Admission {
    private final boolean accepted;
    private final int rtpPort;
    private final int statusCode;
    private final int retryAfterSeconds;
    private final String reason;

    private Admission(final boolean accepted, final int rtpPort, final int statusCode, final int retryAfterSeconds,
                      final String reason) {
        this.accepted = accepted;
        this.rtpPort = rtpPort;
        this.statusCode = statusCode;
        this.retryAfterSeconds = retryAfterSeconds;
        this.reason = reason;
    }

    /** The call is admitted with RTP on {@code rtpPort} (RTCP on the next port). */
    public static Admission accept(final int rtpPort) {
        return new Admission(true, rtpPort, 200, 0, "OK");
    }

    /**
     * The call is refused.
     *
     * @param statusCode        e.g. 503 (full, draining, out of ports) or 486
     * @param retryAfterSeconds value of Retry-After, or 0 for none
     * @param reason            short, safe to log
     */
    public static Admission reject(final int statusCode, final int retryAfterSeconds, final String reason) {
        if (statusCode < 400 || statusCode > 699) {
            throw new IllegalArgumentException("a refusal needs a 4xx-6xx status, not " + statusCode);
        }
        return new Admission(false, -1, statusCode, retryAfterSeconds, reason);
    }

    /** Whether the call was admitted. */
    public boolean accepted() {
        return accepted;
    }

    /** The RTP port of an admitted call. */
    public int rtpPort() {
        return rtpPort;
    }

    /** The refusal status. */
    public int statusCode() {
        return statusCode;
    }

    /** Seconds for Retry-After, or 0. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Why. */
    public String reason() {
        return reason;
    }
}
