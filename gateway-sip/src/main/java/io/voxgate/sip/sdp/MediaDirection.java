package io.voxgate.sip.sdp;

import java.util.Locale;

/**
 * A media stream's direction attribute (RFC 4566 §6, RFC 3264 §5.1), always from the point of view of the
 * party that wrote the SDP.
 *
 * <p>Immutable; safe on any thread.
 */
public enum MediaDirection {
    /** Sends and receives (the default when no attribute is present). */
    SENDRECV(true, true),
    /** Only sends: the writer holds the other side (RFC 3264 §8.4). */
    SENDONLY(true, false),
    /** Only receives. */
    RECVONLY(false, true),
    /** Neither sends nor receives. */
    INACTIVE(false, false);

    private final boolean sends;
    private final boolean receives;

    MediaDirection(final boolean sends, final boolean receives) {
        this.sends = sends;
        this.receives = receives;
    }

    /** Whether the writer sends media. */
    public boolean sends() {
        return sends;
    }

    /** Whether the writer receives media. */
    public boolean receives() {
        return receives;
    }

    /**
     * The answer's direction for an offer with this one (RFC 3264 §6.1): sendonly becomes recvonly, recvonly
     * becomes sendonly, the others stay.
     */
    public MediaDirection mirror() {
        switch (this) {
            case SENDONLY:
                return RECVONLY;
            case RECVONLY:
                return SENDONLY;
            default:
                return this;
        }
    }

    /** The attribute's name, e.g. {@code sendrecv}. */
    public String attribute() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The direction named by {@code attribute}, or {@code null} when it names none. */
    public static MediaDirection ofAttribute(final String attribute) {
        switch (attribute) {
            case "sendrecv":
                return SENDRECV;
            case "sendonly":
                return SENDONLY;
            case "recvonly":
                return RECVONLY;
            case "inactive":
                return INACTIVE;
            default:
                return null;
        }
    }
}
