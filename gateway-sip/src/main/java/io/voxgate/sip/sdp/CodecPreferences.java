package io.voxgate.sip.sdp;

import io.voxgate.core.audio.AudioEncoding;
import io.voxgate.core.audio.AudioFormat;
import java.util.List;

/**
 * Which audio codecs the edge answers with, in the operator's order ({@code --codecs}), and the PCM rate Opus is
 * decoded and encoded at: the agent's, so Opus audio reaches the agent with no resampling (RFC 7587 §3.1 lets a
 * receiver decode at any rate). The negotiator picks the first codec of this order that the offer carries,
 * whatever the offer's own order.
 *
 * <p>Immutable; safe on any thread.
 */
public final class CodecPreferences {
    private static final CodecPreferences DEFAULTS =
        new CodecPreferences(RtpAudioCodec.parseList(RtpAudioCodec.DEFAULT_ORDER), 16_000);

    private final List<RtpAudioCodec> order;
    private final int opusRateHz;

    /**
     * Preferences.
     *
     * @param order      codecs in the order of preference, at least one
     * @param opusRateHz PCM rate of Opus calls: 8000, 16000 or 24000 (the agent's)
     * @throws IllegalArgumentException when the order is empty or the rate unsupported
     */
    public CodecPreferences(final List<RtpAudioCodec> order, final int opusRateHz) {
        if (order == null || order.isEmpty()) {
            throw new IllegalArgumentException("at least one codec is needed");
        }
        if (opusRateHz != 8_000 && opusRateHz != 16_000 && opusRateHz != 24_000) {
            throw new IllegalArgumentException("Opus PCM rate must be 8000, 16000 or 24000, not " + opusRateHz);
        }
        this.order = List.copyOf(order);
        this.opusRateHz = opusRateHz;
    }

    /** {@value RtpAudioCodec#DEFAULT_ORDER}, Opus at 16 kHz. */
    public static CodecPreferences defaults() {
        return DEFAULTS;
    }

    /** The codecs in the order of preference. */
    public List<RtpAudioCodec> order() {
        return order;
    }

    /** The PCM rate Opus calls are decoded and encoded at. */
    public int opusRateHz() {
        return opusRateHz;
    }

    /** The format the call session sees for {@code codec}: the G.711 law itself, or PCM16 at the codec's rate. */
    public AudioFormat sessionFormat(final RtpAudioCodec codec) {
        switch (codec) {
            case PCMU:
                return AudioFormat.MULAW_8K;
            case PCMA:
                return AudioFormat.ALAW_8K;
            case G722:
                return AudioFormat.PCM16_16K;
            default:
                return AudioFormat.of(AudioEncoding.PCM16, opusRateHz, 1, 20);
        }
    }

    @Override
    public String toString() {
        return order + " opus@" + opusRateHz;
    }
}
