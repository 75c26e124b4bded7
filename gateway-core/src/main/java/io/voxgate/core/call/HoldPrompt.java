package io.voxgate.core.call;

import io.voxgate.core.audio.AudioFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What a caller hears while the gateway replaces a failed agent connection: a 425 Hz beep of {@value #TONE_MS} ms
 * every second (the ITU-T E.180 family of hold and waiting tones sits at 400-450 Hz), at -12 dBFS with 10 ms ramps so
 * it never clicks, and silence frames between the beeps, so the caller's stream never stops: an edge that measures
 * gaps (Twilio's media timeout, an RTP peer's) sees no dead air. Generated, no audio file.
 *
 * <p>One second of it per caller format, made once per JVM and shared read-only by every call.
 *
 * <p>Immutable; safe on any thread.
 */
public final class HoldPrompt {
    /** How long one cycle lasts. */
    public static final int CYCLE_MS = 1_000;
    /** How long the beep of a cycle lasts. */
    public static final int TONE_MS = 300;
    private static final double FREQUENCY_HZ = 425.0;
    private static final double AMPLITUDE = 0.25 * Short.MAX_VALUE;
    private static final int RAMP_MS = 10;
    private static final ConcurrentMap<AudioFormat, HoldPrompt> PROMPTS = new ConcurrentHashMap<>();

    private final AudioFormat format;
    private final UnsafeBuffer cycle;

    private HoldPrompt(final AudioFormat format) {
        this.format = format;
        final int samples = format.sampleRateHz() * CYCLE_MS / 1_000;
        final int toneSamples = format.sampleRateHz() * TONE_MS / 1_000;
        final int ramp = format.sampleRateHz() * RAMP_MS / 1_000;
        final short[] pcm = new short[samples];
        for (int i = 0; i < toneSamples; i++) {
            final double gain = Math.min(1.0, Math.min(i, toneSamples - 1 - i) / (double) ramp);
            pcm[i] = (short) Math.round(AMPLITUDE * gain * Math.sin(2 * Math.PI * FREQUENCY_HZ * i / format.sampleRateHz()));
        }
        this.cycle = new UnsafeBuffer(new byte[samples * format.encoding().bytesPerSample()]);
        format.encoding().codec().encode(pcm, 0, cycle, 0, samples);
    }

    /** The prompt in {@code format} (made on first use). */
    public static HoldPrompt of(final AudioFormat format) {
        return PROMPTS.computeIfAbsent(format, HoldPrompt::new);
    }

    /** One cycle in the prompt's format, read-only: callers never write to it. */
    public DirectBuffer cycle() {
        return cycle;
    }

    /** The cycle's length in bytes, a whole number of frames. */
    public int cycleBytes() {
        return cycle.capacity();
    }

    /** The prompt's format. */
    public AudioFormat format() {
        return format;
    }
}
