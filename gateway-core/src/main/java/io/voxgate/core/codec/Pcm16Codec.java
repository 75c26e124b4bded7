package io.voxgate.core.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Linear 16-bit signed little-endian PCM (Vapi's {@code pcm_s16le}) as an {@link AudioCodec}: two bytes per
 * sample, moved by {@link Pcm16LittleEndian}; silence is all zero bytes.
 *
 * <p>Threading: one immutable instance, {@link #INSTANCE}, usable from any thread. Nothing allocates.
 */
public final class Pcm16Codec implements AudioCodec {
    /** The PCM16 codec. */
    public static final Pcm16Codec INSTANCE = new Pcm16Codec();

    private Pcm16Codec() {
    }

    @Override
    public String name() {
        return "pcm_s16le";
    }

    @Override
    public int bytesPerSample() {
        return Pcm16LittleEndian.BYTES_PER_SAMPLE;
    }

    @Override
    public byte silenceByte() {
        return 0;
    }

    @Override
    public void encode(final short[] pcm, final int pcmOffset, final MutableDirectBuffer out, final int outOffset, final int samples) {
        Pcm16LittleEndian.write(pcm, pcmOffset, out, outOffset, samples);
    }

    @Override
    public void decode(final DirectBuffer in, final int inOffset, final short[] out, final int outOffset, final int samples) {
        Pcm16LittleEndian.read(in, inOffset, out, outOffset, samples);
    }

    @Override
    public String toString() {
        return name();
    }
}
