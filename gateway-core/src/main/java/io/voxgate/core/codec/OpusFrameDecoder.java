package io.voxgate.core.codec;

/**
 * An Opus (RFC 6716) decoder for one stream: mono PCM at the rate asked for (RFC 7587 §3.1: any receiver may decode
 * a stereo stream to mono, at any rate), Opus' own packet loss concealment for a lost packet. {@link OpusCodecs}
 * builds the implementation this host runs: libopus ({@link LibOpusDecoder}, allocation-free) or Concentus
 * ({@link ConcentusOpusDecoder}, pure Java).
 *
 * <p>Threading: confined to the stream's thread. Ownership: see {@link FrameDecoder}. A payload Opus refuses is
 * counted and returns -1; it never throws and leaves the decoder able to decode the next packet.
 */
public interface OpusFrameDecoder extends FrameDecoder {
    /** 120 ms at 48 kHz: the longest Opus packet (RFC 6716 §3.2.5). */
    int MAX_DECODED_SAMPLES = 5_760;

    /** Payloads Opus could not decode. */
    long packetsMalformed();
}
