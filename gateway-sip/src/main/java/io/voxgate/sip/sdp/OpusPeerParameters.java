package io.voxgate.sip.sdp;

/**
 * What a peer's Opus {@code a=fmtp} asks of the stream the gateway sends it (RFC 7587 §6.1): the highest audio rate it
 * plays, whether it decodes in-band FEC, and the highest average bit rate it wants to receive. Parameters it leaves
 * out, or gives values outside the RFC's ranges for, read as absent (0, or {@code false} for FEC, which RFC 7587 makes
 * the default).
 *
 * <p>Immutable; safe on any thread.
 *
 * @param maxPlaybackRateHz    {@code maxplaybackrate}, or 0
 * @param usesInbandFec        {@code useinbandfec=1}
 * @param maxAverageBitrateBps {@code maxaveragebitrate}, 6,000 to 510,000, or 0
 */
public record OpusPeerParameters(int maxPlaybackRateHz, boolean usesInbandFec, int maxAverageBitrateBps) {
    /** A peer that named nothing, and every codec other than Opus. */
    public static final OpusPeerParameters NONE = new OpusPeerParameters(0, false, 0);
    /** The lowest and highest {@code maxaveragebitrate} RFC 7587 §6.1 allows. */
    static final int MIN_AVERAGE_BITRATE_BPS = 6_000;
    static final int MAX_AVERAGE_BITRATE_BPS = 510_000;
    /** The most digits an allowed value has: a longer number is refused before it is parsed. */
    private static final int MAX_DIGITS = 6;

    /** The parameters of an Opus fmtp's {@code name=value;...} list ({@code null}: none). */
    public static OpusPeerParameters parse(final String fmtp) {
        if (fmtp == null) {
            return NONE;
        }
        final int bitrate = number(parameter(fmtp, "maxaveragebitrate"));
        return new OpusPeerParameters(number(parameter(fmtp, "maxplaybackrate")), "1".equals(parameter(fmtp, "useinbandfec")),
            bitrate >= MIN_AVERAGE_BITRATE_BPS && bitrate <= MAX_AVERAGE_BITRATE_BPS ? bitrate : 0);
    }

    /** A decimal of at most {@link #MAX_DIGITS} digits, or 0. */
    private static int number(final String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_DIGITS || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        return Integer.parseInt(value);
    }

    /** The value of parameter {@code name}, trimmed, or {@code null}. */
    private static String parameter(final String fmtp, final String name) {
        for (final String parameter : fmtp.split(";", -1)) {
            final int eq = parameter.indexOf('=');
            if (eq > 0 && parameter.substring(0, eq).trim().equalsIgnoreCase(name)) {
                return parameter.substring(eq + 1).trim();
            }
        }
        return null;
    }
}
