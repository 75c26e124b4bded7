package io.voxgate.core.codec;

/**
 * An Opus (RFC 6716) encoder for one mono stream, as RTP carries it (RFC 7587: one packet per RTP payload, mono,
 * no DTX so the stream never pauses between agent turns, constant bit rate for a steady jitter buffer at the far
 * end, VoIP mode, complexity {@value #DEFAULT_COMPLEXITY}). {@link OpusCodecs} builds the implementation this host
 * runs: libopus ({@link LibOpusEncoder}, allocation-free) or Concentus ({@link ConcentusOpusEncoder}, pure Java).
 *
 * <p>Threading: confined to the stream's thread. Ownership: see {@link FrameEncoder}.
 */
public interface OpusFrameEncoder extends FrameEncoder {
    /** Largest packet an encoder produces: RFC 6716 §3.4 bounds a frame at 1,275 octets; CBR stays far below. */
    int MAX_PACKET_BYTES = 1_275;
    /** Bit rate: wideband speech is transparent around 24 kbit/s; 32 kbit/s leaves room for agents' music. */
    int DEFAULT_BITRATE_BPS = 32_000;
    /** Complexity 5 of 10: half libopus' CPU at speech quality a listener cannot tell apart in a phone call. */
    int DEFAULT_COMPLEXITY = 5;
    /** Expected loss the encoder protects against when in-band FEC is on (RFC 7587 {@code useinbandfec=1}). */
    int FEC_PACKET_LOSS_PERCENT = 5;

    /** Frames the encoder refused (a frame size Opus does not have, or too small an output). */
    long framesRefused();
}
