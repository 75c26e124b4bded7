package io.voxgate.core.codec;

import org.agrona.MutableDirectBuffer;

/**
 * The sending half of a stateful frame codec for one stream (G.722, Opus): 16-bit linear PCM frames at
 * {@link #sampleRateHz()} in, one coded payload per frame out. Unlike an {@link AudioCodec}, whose bytes map to
 * samples one by one, a frame codec carries state from frame to frame, so each stream has its own instance.
 *
 * <p>Threading: confined to the stream's thread. Ownership: reads and writes only the given ranges and keeps no
 * reference to them.
 */
public interface FrameEncoder {

    /** The PCM rate this encoder takes. */
    int sampleRateHz();

    /**
     * Encodes one frame of {@code samples} samples from {@code pcm[pcmOffset..]} into {@code out} at {@code outOffset},
     * at most {@code maxBytes} octets.
     *
     * @return the octets written, or -1 when the codec refused the frame (the caller counts it)
     */
    int encode(short[] pcm, int pcmOffset, int samples, MutableDirectBuffer out, int outOffset, int maxBytes);

    /** Back to the state of a new encoder. */
    void reset();
}
