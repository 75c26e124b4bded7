package io.voxgate.core.pipeline;

import io.voxgate.core.audio.AudioEncoding;
import io.voxgate.core.codec.AudioCodec;
import org.agrona.DirectBuffer;

/**
 * Turns wire bytes of one encoding into 16-bit linear samples.
 *
 * <p>The encoding's {@link AudioCodec} does the conversion; a one-byte encoding (G.711) decodes byte for byte.
 * PCM16 arrives as a byte stream that may split a sample between two chunks (an agent's transport does not care
 * about sample boundaries), so an odd trailing byte is carried into the next call instead of being dropped, which
 * would shift every later sample by one byte and turn the rest of the stream into noise.
 *
 * <p>Threading: confined to the call's thread (the carried byte is per-stream state). Allocates nothing.
 */
final class DecodeStage implements MediaStage {
    private final AudioCodec codec;
    private final boolean wide;
    private boolean hasCarry;
    private byte carry;
    private long bytesIn;
    private long samplesOut;

    DecodeStage(final AudioEncoding encoding) {
        this.codec = encoding.codec();
        this.wide = codec.bytesPerSample() > 1;
    }

    /** The most input bytes that decode into at most {@code maxSamples} samples, given the carried byte. */
    int maxInputBytes(final int maxSamples) {
        return maxSamples * codec.bytesPerSample() - (hasCarry ? 1 : 0);
    }

    /**
     * Decodes {@code length} bytes (at most {@link #maxInputBytes} of the room in {@code out}).
     *
     * @return samples written to {@code out[outOffset..]}
     */
    int decode(final DirectBuffer src, final int offset, final int length, final short[] out, final int outOffset) {
        bytesIn += length;
        final int samples;
        if (wide) {
            samples = decodeCarrying(src, offset, length, out, outOffset);
        } else {
            codec.decode(src, offset, out, outOffset, length);
            samples = length;
        }
        samplesOut += samples;
        return samples;
    }

    /** PCM16: a sample split between two chunks is joined low byte first, as the encoding lays it out. */
    private int decodeCarrying(final DirectBuffer src, final int offset, final int length, final short[] out, final int outOffset) {
        int in = offset;
        int remaining = length;
        int written = 0;
        if (hasCarry && remaining > 0) {
            out[outOffset] = (short) ((carry & 0xFF) | (src.getByte(in) << 8));
            hasCarry = false;
            in++;
            remaining--;
            written = 1;
        }
        final int samples = remaining >> 1;
        if (samples > 0) {
            codec.decode(src, in, out, outOffset + written, samples);
        }
        if ((remaining & 1) != 0) {
            carry = src.getByte(in + remaining - 1);
            hasCarry = true;
        }
        return written + samples;
    }

    /** Whether half a sample is waiting for its second byte. */
    boolean carrying() {
        return hasCarry;
    }

    @Override
    public String name() {
        return "decode";
    }

    @Override
    public void counters(final CounterVisitor visitor) {
        visitor.counter("bytes_in", bytesIn);
        visitor.counter("samples_out", samplesOut);
    }
}
