package io.voxgate.core.audio;

/**
 * How samples are laid out on the wire.
 *
 * <p>Immutable; safe on any thread.
 */
public enum AudioEncoding {
    /** ITU-T G.711 mu-law, one byte per sample (RTP PCMU, Twilio {@code audio/x-mulaw}, Vapi {@code mulaw}). */
    MULAW(1),
    /** ITU-T G.711 A-law, one byte per sample (RTP PCMA). */
    ALAW(1),
    /** Linear 16-bit signed little-endian PCM (Vapi {@code pcm_s16le}). */
    PCM16(2);

    private final int bytesPerSample;

    AudioEncoding(final int bytesPerSample) {
        this.bytesPerSample = bytesPerSample;
    }

    /** Bytes one sample takes on the wire. */
    public int bytesPerSample() {
        return bytesPerSample;
    }
}
