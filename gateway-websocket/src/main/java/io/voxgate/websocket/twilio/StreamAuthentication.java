package io.voxgate.websocket.twilio;

import java.util.Locale;

/**
 * What a Media Streams connection must show to be accepted as Twilio's (launcher option {@code --stream-auth}).
 *
 * <p>The two proofs: Twilio's {@code X-Twilio-Signature} on the WebSocket upgrade (over the {@code wss://} URL,
 * protocols.md §2.5), checked before the {@code 101}; and the per-call token the webhook put in the TwiML, which
 * arrives in the {@code start} message. A forged signature (present but wrong) is refused with 403 in every mode.
 * Immutable.
 */
public enum StreamAuthentication {
    /** A valid upgrade signature is required (403 otherwise); the token is not looked at. */
    SIGNATURE,
    /** A valid token in {@code start} is required (close 1008 otherwise); an unsigned upgrade is let through. */
    TOKEN,
    /** Either proof suffices: an unsigned upgrade must present a valid token in {@code start}. The default. */
    EITHER,
    /** Both proofs are required. */
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

    boolean signatureRequired() {
        return this == SIGNATURE || this == BOTH;
    }

    boolean tokenRequired(final boolean upgradeSigned) {
        return this == TOKEN || this == BOTH || (this == EITHER && !upgradeSigned);
    }
}
