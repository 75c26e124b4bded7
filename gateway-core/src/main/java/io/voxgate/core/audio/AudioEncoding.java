package io.voxgate.core.audio;

import io.voxgate.core.codec.ALawCodec;
import io.voxgate.core.codec.AudioCodec;
import io.voxgate.core.codec.MuLawCodec;
import io.voxgate.core.codec.Pcm16Codec;

/**
 * How samples are laid out on the wire; each encoding hands out its one {@link AudioCodec}, so code that handles
 * any encoding asks the codec (block conversion, silence byte, name) instead of switching on the encoding.
 *
 * <p>Immutable; safe on any thread.
 */
public enum AudioEncoding {
    /** ITU-T G.711 mu-law, one byte per sample (RTP PCMU, Twilio {@code audio/x-mulaw}, Vapi {@code mulaw}). */
    MULAW(MuLawCodec.INSTANCE),
    /** ITU-T G.711 A-law, one byte per sample (RTP PCMA). */
    ALAW(ALawCodec.INSTANCE),
    /** Linear 16-bit signed little-endian PCM (Vapi {@code pcm_s16le}). */
    PCM16(Pcm16Codec.INSTANCE);

    private final AudioCodec codec;

    AudioEncoding(final AudioCodec codec) {
        this.codec = codec;
    }

    /** The codec of this encoding. */
    public AudioCodec codec() {
        return codec;
    }

    /** Bytes one sample takes on the wire. */
    public int bytesPerSample() {
        return codec.bytesPerSample();
    }
}
