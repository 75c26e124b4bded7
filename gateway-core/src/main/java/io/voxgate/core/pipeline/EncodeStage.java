package io.voxgate.core.pipeline;

import io.voxgate.core.audio.AudioEncoding;
import io.voxgate.core.codec.AudioCodec;
import org.agrona.MutableDirectBuffer;

/**
 * Turns 16-bit linear samples into wire bytes of one encoding.
 *
 * <p>Threading: confined to the call's thread (its counters). Allocates nothing.
 */
final class EncodeStage implements MediaStage {
    private final AudioCodec codec;
    private long samplesIn;
    private long bytesOut;

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
        final int bytes = samples * codec.bytesPerSample();
        samplesIn += samples;
        bytesOut += bytes;
        return bytes;
    }

    @Override
    public String name() {
        return "encode";
    }

    @Override
    public void counters(final CounterVisitor visitor) {
        visitor.counter("samples_in", samplesIn);
        visitor.counter("bytes_out", bytesOut);
    }
}
