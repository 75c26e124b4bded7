package io.voxgate.sip.sdp;

/**
 * The outcome of one offer/answer step: the SDP the gateway sends and the media it settled on, or why the
 * offer could not be accepted.
 *
 * <p>Immutable; safe on any thread.
 */
public final class SdpNegotiation {

    /** How the step ended. */
    public enum Outcome {
        /** Accepted; {@link #sdp()} and {@link #media()} are set. */
        ACCEPTED,
        /** Parsed, but no stream the gateway can carry (SIP 488, RFC 3261 §21.4.26). */
        NOT_ACCEPTABLE,
        /** The SDP is malformed (SIP 400). */
        MALFORMED
    }

    private final Outcome outcome;
    private final String sdp;
    private final NegotiatedMedia media;
    private final String reason;

    private SdpNegotiation(final Outcome outcome, final String sdp, final NegotiatedMedia media, final String reason) {
        this.outcome = outcome;
        this.sdp = sdp;
        this.media = media;
        this.reason = reason;
    }

    static SdpNegotiation accepted(final String sdp, final NegotiatedMedia media) {
        return new SdpNegotiation(Outcome.ACCEPTED, sdp, media, "accepted");
    }

    static SdpNegotiation notAcceptable(final String reason) {
        return new SdpNegotiation(Outcome.NOT_ACCEPTABLE, null, null, reason);
    }

    static SdpNegotiation malformed(final String reason) {
        return new SdpNegotiation(Outcome.MALFORMED, null, null, reason);
    }

    /** How the step ended. */
    public Outcome outcome() {
        return outcome;
    }

    /** Whether the offer was accepted. */
    public boolean accepted() {
        return outcome == Outcome.ACCEPTED;
    }

    /** The SDP to send (answer, or nothing when the step only consumed an answer), or {@code null}. */
    public String sdp() {
        return sdp;
    }

    /** The settled stream, or {@code null} unless accepted. */
    public NegotiatedMedia media() {
        return media;
    }

    /** A short reason, safe to log and to put in a SIP Warning or reason phrase. */
    public String reason() {
        return reason;
    }
}
