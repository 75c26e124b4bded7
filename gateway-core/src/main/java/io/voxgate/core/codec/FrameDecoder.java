package io.voxgate.core.codec;

import org.agrona.DirectBuffer;

/**
 * The receiving half of a stateful frame codec for one stream (G.722, Opus): one payload in, 16-bit linear PCM at
 * {@link #sampleRateHz()} out, and, for codecs that have one, the codec's own concealment of a lost frame.
 *
 * <p>Threading: confined to the stream's thread. Ownership: reads and writes only the given ranges and keeps no
 * reference to them. Payloads come from the network: a malformed one is refused with -1, never thrown.
 */
public interface FrameDecoder {

    /** The PCM rate this decoder produces. */
    int sampleRateHz();

    /**
     * Decodes one payload of {@code length} octets from {@code in} at {@code offset} into {@code pcm[pcmOffset..]},
     * at most {@code maxSamples} samples.
     *
     * @return the samples written, or -1 when the payload is malformed (the caller counts it and conceals)
     */
    int decode(DirectBuffer in, int offset, int length, short[] pcm, int pcmOffset, int maxSamples);

    /** Whether {@link #conceal} is the codec's own loss concealment; otherwise the caller conceals on PCM. */
    boolean concealsLoss();

    /**
     * Writes {@code samples} samples standing for a lost frame (the codec's packet loss concealment) at
     * {@code pcm[pcmOffset..]}.
     *
     * @return the samples written, or -1 when the codec has no concealment or it failed (the caller conceals)
     */
    int conceal(short[] pcm, int pcmOffset, int samples);

    /**
     * Writes {@code samples} samples standing for a lost frame, rebuilt from the forward error correction that the
     * packet after it carries (Opus in-band FEC: RFC 6716 §2.1.7, RFC 7587 §3.3). That packet is only read here; it is
     * still decoded in its own turn.
     *
     * @return the samples written, or -1 when the codec has no in-band FEC, the packet carries none or is refused (the
     *     caller conceals)
     */
    int recover(DirectBuffer next, int offset, int length, short[] pcm, int pcmOffset, int samples);

    /** Back to the state of a new decoder. */
    void reset();
}
