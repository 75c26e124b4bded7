package io.voxgate.core.audio;

import java.util.Locale;

/**
 * An audio format: encoding, sample rate, channel count and packetization time.
 *
 * <p>Voxgate carries mono audio only; formats are validated when built, so every instance in the system
 * describes audio the media path can carry. Immutable; safe on any thread.
 */
public final class AudioFormat {
    /** Sample rates the media path supports: telephony narrowband plus the wideband rates agents ask for. */
    private static final int[] SUPPORTED_RATES_HZ = {8_000, 16_000, 24_000};

    /** G.711 at 8 kHz with 20 ms frames: what Twilio Media Streams and SIP trunks carry. */
    public static final AudioFormat MULAW_8K = new AudioFormat(AudioEncoding.MULAW, 8_000, 1, 20);
    /** A-law at 8 kHz with 20 ms frames (RTP PCMA). */
    public static final AudioFormat ALAW_8K = new AudioFormat(AudioEncoding.ALAW, 8_000, 1, 20);
    /** PCM16 at 16 kHz with 20 ms frames. */
    public static final AudioFormat PCM16_16K = new AudioFormat(AudioEncoding.PCM16, 16_000, 1, 20);
    /** PCM16 at 24 kHz with 20 ms frames. */
    public static final AudioFormat PCM16_24K = new AudioFormat(AudioEncoding.PCM16, 24_000, 1, 20);

    private final AudioEncoding encoding;
    private final int sampleRateHz;
    private final int channels;
    private final int ptimeMs;

    private AudioFormat(final AudioEncoding encoding, final int sampleRateHz, final int channels, final int ptimeMs) {
        this.encoding = encoding;
        this.sampleRateHz = sampleRateHz;
        this.channels = channels;
        this.ptimeMs = ptimeMs;
    }

    /**
     * Builds a validated format.
     *
     * @throws IllegalArgumentException naming the value when the rate, channel count or ptime is unsupported,
     *                                  or when G.711 is asked for at a rate other than 8 kHz
     */
    public static AudioFormat of(final AudioEncoding encoding, final int sampleRateHz, final int channels, final int ptimeMs) {
        if (encoding == null) {
            throw new IllegalArgumentException("encoding must not be null");
        }
        boolean rateOk = false;
        for (final int rate : SUPPORTED_RATES_HZ) {
            rateOk |= rate == sampleRateHz;
        }
        if (!rateOk) {
            throw new IllegalArgumentException("unsupported sample rate " + sampleRateHz + " Hz (supported: 8000, 16000, 24000)");
        }
        if (encoding != AudioEncoding.PCM16 && sampleRateHz != 8_000) {
            throw new IllegalArgumentException("G.711 " + encoding + " is defined at 8000 Hz only, not " + sampleRateHz + " Hz");
        }
        if (channels != 1) {
            throw new IllegalArgumentException("unsupported channel count " + channels + " (only mono is carried)");
        }
        if (ptimeMs < 10 || ptimeMs > 60 || ptimeMs % 10 != 0) {
            throw new IllegalArgumentException("unsupported ptime " + ptimeMs + " ms (10, 20, 30, 40, 50 or 60)");
        }
        return new AudioFormat(encoding, sampleRateHz, channels, ptimeMs);
    }

    /**
     * Parses the CLI spelling {@code mulaw/8000}, {@code alaw/8000}, {@code pcm16/16000}, {@code pcm16/24000}
     * (20 ms frames).
     *
     * @throws IllegalArgumentException naming the text when it is not one of those
     */
    public static AudioFormat parse(final String text) {
        if (text == null) {
            throw new IllegalArgumentException("audio format must not be null");
        }
        final int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("audio format '" + text + "' is not ENCODING/RATE, e.g. mulaw/8000 or pcm16/16000");
        }
        final String name = text.substring(0, slash).toLowerCase(Locale.ROOT);
        final AudioEncoding encoding;
        switch (name) {
            case "mulaw":
            case "pcmu":
                encoding = AudioEncoding.MULAW;
                break;
            case "alaw":
            case "pcma":
                encoding = AudioEncoding.ALAW;
                break;
            case "pcm16":
            case "pcm_s16le":
                encoding = AudioEncoding.PCM16;
                break;
            default:
                throw new IllegalArgumentException("audio format '" + text + "' has unknown encoding '" + name
                    + "' (mulaw, alaw, pcm16)");
        }
        final int rate;
        try {
            rate = Integer.parseInt(text.substring(slash + 1));
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException("audio format '" + text + "' has a non-numeric rate", ex);
        }
        return of(encoding, rate, 1, 20);
    }

    /** How samples are encoded. */
    public AudioEncoding encoding() {
        return encoding;
    }

    /** Samples per second per channel. */
    public int sampleRateHz() {
        return sampleRateHz;
    }

    /** Channel count (always 1). */
    public int channels() {
        return channels;
    }

    /** Packetization time: the duration of one frame. */
    public int ptimeMs() {
        return ptimeMs;
    }

    /** Samples in one frame of {@link #ptimeMs()}. */
    public int samplesPerFrame() {
        return sampleRateHz / 1000 * ptimeMs * channels;
    }

    /** Bytes in one frame of {@link #ptimeMs()}. */
    public int bytesPerFrame() {
        return samplesPerFrame() * encoding.bytesPerSample();
    }

    /** Bytes per millisecond of audio. */
    public int bytesPerMs() {
        return sampleRateHz / 1000 * channels * encoding.bytesPerSample();
    }

    /** Duration in nanoseconds of {@code byteCount} bytes of this format. */
    public long durationNs(final int byteCount) {
        return byteCount * 1_000_000L / bytesPerMs();
    }

    /** Whether audio in this format can be handed to {@code other} byte for byte, with no transcoding. */
    public boolean passesThroughTo(final AudioFormat other) {
        return encoding == other.encoding && sampleRateHz == other.sampleRateHz && channels == other.channels;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AudioFormat)) {
            return false;
        }
        final AudioFormat that = (AudioFormat) o;
        return encoding == that.encoding && sampleRateHz == that.sampleRateHz && channels == that.channels
            && ptimeMs == that.ptimeMs;
    }

    @Override
    public int hashCode() {
        return ((encoding.hashCode() * 31 + sampleRateHz) * 31 + channels) * 31 + ptimeMs;
    }

    /** The CLI spelling, e.g. {@code mulaw/8000}. */
    @Override
    public String toString() {
        return encoding.name().toLowerCase(Locale.ROOT) + "/" + sampleRateHz;
    }
}
