package io.voxgate.sip.sdp;

import java.util.Locale;

/**
 * Whether calls carry SRTP ({@code --srtp}, issue 13): how the negotiator treats {@code RTP/SAVP} offers with SDES
 * keys (RFC 4568) and plain {@code RTP/AVP} ones.
 *
 * <p>Threading: immutable.
 */
public enum SrtpPolicy {
    /** SAVP offers get SRTP, AVP offers plain RTP; our own offers are plain (best effort without SDP capability
     *  negotiation would need RFC 5939). */
    OPTIONAL,
    /** Only SRTP: AVP offers are answered 488 and our own offers are SAVP. */
    REQUIRED,
    /** Only plain RTP: SAVP offers are answered 488, as before SRTP existed. */
    OFF;

    /** The command-line option's name. */
    public static final String OPTION = "srtp";
    /** The default: encrypt whenever the peer offers it, without refusing peers that cannot. */
    public static final SrtpPolicy DEFAULT = OPTIONAL;

    /** The policy an option value names ({@code optional}, {@code required}, {@code off}), or {@code null}. */
    public static SrtpPolicy fromOption(final String value) {
        if (value == null) {
            return null;
        }
        for (final SrtpPolicy policy : values()) {
            if (policy.name().equalsIgnoreCase(value.trim())) {
                return policy;
            }
        }
        return null;
    }

    /** The option value that names this policy. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
