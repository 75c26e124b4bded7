package io.voxgate.sip.sdp;

import java.util.List;

/**
 * A parsed SDP session (RFC 4566), or the reason it could not be parsed.
 *
 * <p>Immutable; safe on any thread.
 */
public final class SessionDescription {
    private final String error;
    private final String originAddress;
    private final String connectionAddress;
    private final String timing;
    private final MediaDirection direction;
    private final List<MediaDescription> media;

    SessionDescription(final String originAddress, final String connectionAddress, final String timing,
                       final MediaDirection direction, final List<MediaDescription> media) {
        this.error = null;
        this.originAddress = originAddress;
        this.connectionAddress = connectionAddress;
        this.timing = timing;
        this.direction = direction;
        this.media = List.copyOf(media);
    }

    private SessionDescription(final String error) {
        this.error = error;
        this.originAddress = null;
        this.connectionAddress = null;
        this.timing = null;
        this.direction = null;
        this.media = List.of();
    }

    static SessionDescription invalid(final String error) {
        return new SessionDescription(error);
    }

    /** Whether the text parsed. */
    public boolean valid() {
        return error == null;
    }

    /** Why the text did not parse, or {@code null} when it did. */
    public String error() {
        return error;
    }

    /** The address in {@code o=}. */
    public String originAddress() {
        return originAddress;
    }

    /** The session-level {@code c=} address, or {@code null}. */
    public String connectionAddress() {
        return connectionAddress;
    }

    /** The value of the {@code t=} line ({@code 0 0} for an unbounded session). */
    public String timing() {
        return timing;
    }

    /** The session-level direction attribute, or {@code null}. */
    public MediaDirection direction() {
        return direction;
    }

    /** The {@code m=} sections in order. */
    public List<MediaDescription> media() {
        return media;
    }

    /** The direction in force for {@code m}: its own, else the session's, else sendrecv (RFC 4566 §6). */
    public MediaDirection directionOf(final MediaDescription m) {
        if (m.direction() != null) {
            return m.direction();
        }
        return direction != null ? direction : MediaDirection.SENDRECV;
    }

    /** The connection address in force for {@code m}: its own {@code c=}, else the session's. */
    public String connectionAddressOf(final MediaDescription m) {
        return m.connectionAddress() != null ? m.connectionAddress() : connectionAddress;
    }
}
