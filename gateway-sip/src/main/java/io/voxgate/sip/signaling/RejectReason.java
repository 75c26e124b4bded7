package io.voxgate.sip.signaling;

import java.util.Locale;

/**
 * Why the SIP edge refused a request or a connection; each is exported as a label of
 * {@code voxgate_sip_requests_rejected_total{reason}}.
 *
 * <p>Immutable; safe on any thread.
 */
public enum RejectReason {
    /** The source is outside {@code --sip-allow}: dropped without an answer. */
    SOURCE_NOT_ALLOWED,
    /** The source sent new INVITEs faster than its token bucket allows: dropped without an answer. */
    RATE_LIMITED,
    /** The source earned more error answers than its budget: later errors are dropped without an answer. */
    ERROR_BUDGET_SPENT,
    /** Missing or wrong digest credentials (401, including the first challenge). */
    AUTHENTICATION,
    /** A replayed digest Authorization (nonce-count not above the last one seen): challenged again. */
    AUTHENTICATION_REPLAY,
    /** An INVITE without a {@code --sip-require-header} (403). */
    REQUIRED_HEADER,
    /** {@code Require} lists an extension the gateway lacks (420). */
    UNSUPPORTED_EXTENSION,
    /** Admission refused the call: full, draining, out of ports (503 with Retry-After). */
    BUSY,
    /** No usable media: no common codec or a non-unicast address (488). */
    MEDIA,
    /** {@code --srtp required} and the offer has no {@code RTP/SAVP} audio stream (488). */
    SRTP_REQUIRED,
    /** Malformed SDP or body (400, 415). */
    MALFORMED,
    /** Session interval below the minimum (422). */
    SESSION_INTERVAL,
    /** An in-dialog request matching no dialog by Call-ID and both tags (481). */
    UNKNOWN_DIALOG,
    /** An in-dialog request whose tags match but which came from another address than the INVITE (481). */
    DIALOG_SENDER,
    /** A request line naming a SIP version other than 2.0 (505). */
    VERSION,
    /** A method the gateway does not implement (405). */
    METHOD,
    /** A TCP/TLS connection from outside {@code --sip-allow}: closed at once. */
    CONNECTION_NOT_ALLOWED,
    /** A TCP/TLS connection over the total or per-source cap: closed at once. */
    CONNECTION_LIMIT,
    /** A TCP/TLS connection that left a message incomplete past the read deadline: closed. */
    READ_DEADLINE,
    /**
     * A server the gateway connected to over TLS (a BYE, re-INVITE or REFER on a new connection) presented a
     * certificate no trusted CA issued or that does not name its host: the connection is closed, the request not sent.
     */
    TLS_PEER_CERTIFICATE,
    /**
     * A TCP/TLS message over the size cap ({@code Content-Length} included, before its body arrives): the connection is
     * closed.
     */
    MESSAGE_TOO_LARGE,
    /** A 200 OK never ACKed: given up at Timer H (64*T1) with a BYE; no media was ever sent. */
    ACK_TIMEOUT,
    /** A reliable provisional response (RFC 3262) never PRACKed within 64*T1: the INVITE is answered 500. */
    PRACK_TIMEOUT;

    /** The Prometheus label value, e.g. {@code source_not_allowed}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
