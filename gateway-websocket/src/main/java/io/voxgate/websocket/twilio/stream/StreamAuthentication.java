package io.voxgate.websocket.twilio.stream;

import java.util.Locale;

/**
 * What a Media Streams connection must show to be accepted as Twilio's (launcher option {@code --stream-auth}).
 *
 * <p>The two proofs: Twilio's {@code X-Twilio-Signature} on the WebSocket upgrade (over the {@code wss://} URL,
 * protocols.md §2.5), checked before the {@code 101}; and the per-call token the webhook put in the TwiML, which
 * arrives in the {@code start} message. A forged signature (present but wrong) is refused with 403 in every mode.
 * In every mode but {@link #SIGNATURE} the stream's CallSid must also be one this node's webhook admitted, and a
 * CallSid starts at most one stream (see {@link AdmittedCalls}). Immutable.
 */
public enum StreamAuthentication {
    /**
     * A valid upgrade signature is required (403 otherwise); the token is not looked at and the webhook's record is not
     * required. For deployments whose own TwiML opens the stream ({@code <Start><Stream>}), so this gateway's webhook
     * never sees the call; still at most one stream per CallSid.
     */
    SIGNATURE,
    /** A valid token in {@code start} is required (close 1008 otherwise); an unsigned upgrade is let through. */
    TOKEN,
    /** Either proof suffices: an unsigned upgrade must present a valid token in {@code start}. */
    EITHER,
    /** Both proofs are required. The default: a replayed signed upgrade lacks the token, a leaked token the signature. */
    BOTH;

    /**
     * Parses the launcher spelling: {@code signature}, {@code token}, {@code either}, {@code both}.
     *
     * @throws IllegalArgumentException naming the value otherwise
     */
    public static StreamAuthentication parse(final String text) {
        if (text != null) {
            for (final StreamAuthentication mode : values()) {
                if (mode.name().equals(text.trim().toUpperCase(Locale.ROOT))) {
                    return mode;
                }
            }
        }
        throw new IllegalArgumentException("stream authentication '" + text + "' is not one of signature, token, either, both");
    }

    /** Whether a stream needs the webhook's record of its CallSid: in every mode where the TwiML is ours. */
    public boolean webhookRequired() {
        return this != SIGNATURE;
    }

    boolean signatureRequired() {
        return this == SIGNATURE || this == BOTH;
    }

    boolean tokenRequired(final boolean upgradeSigned) {
        return this == TOKEN || this == BOTH || (this == EITHER && !upgradeSigned);
    }
}
