package io.voxgate.core.call;

import java.util.Locale;

/**
 * Which side ended a call, for the call detail record: the caller (SIP BYE, Twilio {@code stop}, socket closed), the
 * agent (it hung up), the gateway (a timeout, drain, or a bug in the call), an operator (the admin API) or a transfer that succeeded.
 *
 * <p>Immutable; safe on any thread.
 */
public enum EndedBy {
    /** The caller's side hung up. */
    CALLER,
    /** The agent hung up. */
    AGENT,
    /** The gateway ended the call: maximum duration, idle or media timeout, drain, or a failure in the call. */
    GATEWAY,
    /** An operator hung up through the admin API. */
    OPERATOR,
    /** The caller was transferred elsewhere (SIP REFER that succeeded, Twilio call updated with {@code <Dial>}). */
    TRANSFER;

    /** The lower-case name written in records ({@code caller}, {@code agent}, ...). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
