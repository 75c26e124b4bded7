package io.voxgate.core.pipeline;

import io.voxgate.core.audio.AudioEncoding;
import io.voxgate.core.codec.AudioCodec;
import org.agrona.MutableDirectBuffer;

/**
 * Turns 16-bit linear samples into wire bytes of one encoding.
 *
 * <p>Stateless; allocates nothing.
 */
final class EncodeStage {
    private final AudioCodec codec;

    EncodeStage(final AudioEncoding encoding) {
        this.codec = encoding.codec();
    }

    /**
     * Encodes {@code samples} samples into {@code out} at {@code outOffset}.
     *
     * @return bytes written
     */
    int encode(final short[] pcm, final int offset, final int samples, final MutableDirectBuffer out, final int outOffset) {
        codec.encode(pcm, offset, out, outOffset, samples);
        return samples * codec.bytesPerSample();
    }
}
