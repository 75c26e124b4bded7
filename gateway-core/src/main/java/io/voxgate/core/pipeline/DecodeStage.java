package io.voxgate.core.pipeline;

import io.voxgate.core.audio.AudioEncoding;
import io.voxgate.core.codec.ALawCodec;
import io.voxgate.core.codec.MuLawCodec;
import io.voxgate.core.codec.Pcm16LittleEndian;
import org.agrona.DirectBuffer;

/**
 * Turns wire bytes of one encoding into 16-bit linear samples.
 *
 * <p>PCM16 arrives as a byte stream that may split a sample between two chunks (an agent's transport does not
 * care about sample boundaries), so an odd trailing byte is carried into the next call instead of being dropped,
 * which would shift every later sample by one byte and turn the rest of the stream into noise.
 *
 * <p>Threading: confined to the call's thread (the carried byte is per-stream state). Allocates nothing.
 */
final class DecodeStage {
    private final AudioEncoding encoding;
    private boolean hasCarry;
    private byte carry;

    DecodeStage(final AudioEncoding encoding) {
        this.encoding = encoding;
    }

    /** The most input bytes that decode into at most {@code maxSamples} samples, given the carried byte. */
    int maxInputBytes(final int maxSamples) {
        if (encoding == AudioEncoding.PCM16) {
            return maxSamples * 2 - (hasCarry ? 1 : 0);
        }
        return maxSamples;
    }

    /**
     * Decodes {@code length} bytes (at most {@link #maxInputBytes} of the room in {@code out}).
     *
     * @return samples written to {@code out[outOffset..]}
     */
    int decode(final DirectBuffer src, final int offset, final int length, final short[] out, final int outOffset) {
        switch (encoding) {
            case MULAW:
                MuLawCodec.decode(src, offset, out, outOffset, length);
                return length;
            case ALAW:
                ALawCodec.decode(src, offset, out, outOffset, length);
                return length;
            default:
                return decodePcm16(src, offset, length, out, outOffset);
        }
    }

    private int decodePcm16(final DirectBuffer src, final int offset, final int length, final short[] out, final int outOffset) {
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
            Pcm16LittleEndian.read(src, in, out, outOffset + written, samples);
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
}
