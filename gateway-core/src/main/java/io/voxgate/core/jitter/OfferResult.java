package io.voxgate.core.jitter;

/**
 * What {@link JitterBuffer#offer} did with one packet. Every value other than {@link #ACCEPTED},
 * {@link #RESYNC} and {@link #SSRC_CHANGED} means the packet was dropped; each outcome has its counter in
 * {@link JitterBufferStats}.
 */
public enum OfferResult {
    /** Stored for playout. */
    ACCEPTED,
    /** A copy of a packet already stored or played: dropped. */
    DUPLICATE,
    /** Arrived after its playout slot had passed: dropped. */
    LATE,
    /** Payload longer than a slot: dropped. */
    TOO_LARGE,
    /** Payload of zero bytes: dropped. */
    EMPTY,
    /** A sequence-number jump (RFC 3550 A.1): dropped; the next packet continuing it triggers {@link #RESYNC}. */
    SEQUENCE_JUMP,
    /** A newer sequence number with an older timestamp: dropped; a second one on the same new timeline resyncs. */
    TIMESTAMP_BACKWARD,
    /** A timestamp far beyond anything the playout clock can reach soon: dropped; a second one resyncs. */
    TIMESTAMP_JUMP,
    /** The stream jumped (sequence, timestamp or beyond the buffer): buffer flushed, packet stored as new start. */
    RESYNC,
    /** A new SSRC: buffer flushed and state reset, packet stored as the new source's first. */
    SSRC_CHANGED
}
