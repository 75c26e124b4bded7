package io.voxgate.core.pipeline;

import io.voxgate.core.audio.AudioEncoding;
import io.voxgate.core.codec.ALawCodec;
import io.voxgate.core.codec.MuLawCodec;
import io.voxgate.core.codec.Pcm16LittleEndian;
import org.agrona.MutableDirectBuffer;

/**
 * Turns 16-bit linear samples into wire bytes of one encoding.
 *
 * <p>Stateless; allocates nothing.
 */
final class EncodeStage {
    private final AudioEncoding encoding;

    EncodeStage(final AudioEncoding encoding) {
        this.encoding = encoding;
    }

    /**
     * Encodes {@code samples} samples into {@code out} at {@code outOffset}.
     *
     * @return bytes written
     */
    int encode(final short[] pcm, final int offset, final int samples, final MutableDirectBuffer out, final int outOffset) {
        switch (encoding) {
            case MULAW:
                MuLawCodec.encode(pcm, offset, out, outOffset, samples);
                return samples;
            case ALAW:
                ALawCodec.encode(pcm, offset, out, outOffset, samples);
                return samples;
            default:
                Pcm16LittleEndian.write(pcm, offset, out, outOffset, samples);
                return samples * 2;
        }
    }
}
