package io.voxgate.core.jitter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counters and gauges of one {@link JitterBuffer}, readable from any thread (a metrics scraper) while the
 * owning thread plays.
 *
 * <p>Threading: the buffer's thread is the single writer; it stores each value with an opaque write, which costs
 * a plain store on x86 and AArch64. Readers use opaque reads, so each value is untorn and eventually current, but
 * two values read one after the other are not a consistent snapshot (a packet may be counted in
 * {@link #packetsReceived()} and not yet in {@link #packetsAccepted()}). Counters are cumulative since
 * construction or {@link JitterBuffer#reset()}.
 */
public final class JitterBufferStats {
    static final int PACKETS_RECEIVED = 0;
    static final int PACKETS_ACCEPTED = 1;
    static final int PACKETS_LATE = 2;
    static final int PACKETS_DUPLICATE = 3;
    static final int PACKETS_REORDERED = 4;
    static final int PACKETS_TOO_LARGE = 5;
    static final int PACKETS_EMPTY = 6;
    static final int PACKETS_SEQUENCE_JUMP = 7;
    static final int TIMESTAMPS_BACKWARD = 8;
    static final int TIMESTAMP_JUMPS = 9;
    static final int SSRC_CHANGES = 10;
    static final int RESYNCS = 11;
    static final int PACKETS_FLUSHED = 12;
    static final int FRAMES_PLAYED = 13;
    static final int FRAMES_LOST = 14;
    static final int FRAMES_CONCEALED = 15;
    static final int FRAMES_SILENCE = 16;
    static final int FRAMES_INSERTED = 17;
    static final int FRAMES_REMOVED = 18;
    static final int CURRENT_DELAY_NS = 19;
    static final int TARGET_DELAY_NS = 20;
    static final int JITTER_NS = 21;
    static final int JITTER_TICKS = 22;
    private static final int COUNT = 23;

    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] values = new long[COUNT];

    JitterBufferStats() {
    }

    void increment(final int index) {
        VALUES.setOpaque(values, index, values[index] + 1);
    }

    void add(final int index, final long delta) {
        VALUES.setOpaque(values, index, values[index] + delta);
    }

    void set(final int index, final long value) {
        VALUES.setOpaque(values, index, value);
    }

    void clear() {
        for (int i = 0; i < COUNT; i++) {
            VALUES.setOpaque(values, i, 0L);
        }
    }

    private long get(final int index) {
        return (long) VALUES.getOpaque(values, index);
    }

    /** Packets offered, whatever became of them. */
    public long packetsReceived() {
        return get(PACKETS_RECEIVED);
    }

    /** Packets stored for playout (including the first packet after a resync or SSRC change). */
    public long packetsAccepted() {
        return get(PACKETS_ACCEPTED);
    }

    /** Packets dropped because their playout slot had passed. */
    public long packetsLate() {
        return get(PACKETS_LATE);
    }

    /** Packets dropped as copies of one already stored or played. */
    public long packetsDuplicate() {
        return get(PACKETS_DUPLICATE);
    }

    /** Packets accepted although a higher sequence number had arrived before them. */
    public long packetsReordered() {
        return get(PACKETS_REORDERED);
    }

    /** Packets dropped because the payload exceeded the slot size. */
    public long packetsTooLarge() {
        return get(PACKETS_TOO_LARGE);
    }

    /** Packets dropped because the payload was empty. */
    public long packetsEmpty() {
        return get(PACKETS_EMPTY);
    }

    /** Packets dropped as an unconfirmed sequence-number jump (RFC 3550 A.1). */
    public long packetsSequenceJump() {
        return get(PACKETS_SEQUENCE_JUMP);
    }

    /** Packets dropped because their timestamp went backwards against a lower sequence number. */
    public long timestampsBackward() {
        return get(TIMESTAMPS_BACKWARD);
    }

    /** Packets dropped because their timestamp lay far beyond the playout clock. */
    public long timestampJumps() {
        return get(TIMESTAMP_JUMPS);
    }

    /** Times a new SSRC replaced the current source. */
    public long ssrcChanges() {
        return get(SSRC_CHANGES);
    }

    /** Times the buffer flushed and restarted playout on the same SSRC (sequence or timestamp jump, overflow). */
    public long resyncs() {
        return get(RESYNCS);
    }

    /**
     * Stored packets discarded unplayed: by a resync or an SSRC change, to lower the delay while speech plays,
     * or because a packet with a timestamp less than a frame after its predecessor's found its slot taken. With
     * {@link #packetsAccepted()} and {@link #framesPlayed()}: accepted = played + flushed + still buffered.
     */
    public long packetsFlushed() {
        return get(PACKETS_FLUSHED);
    }

    /** Ticks that played a received frame. */
    public long framesPlayed() {
        return get(FRAMES_PLAYED);
    }

    /**
     * Sequence numbers the playout passed without their packet, less those that arrived afterwards (counted as
     * late instead): frames that never arrived.
     */
    public long framesLost() {
        return get(FRAMES_LOST);
    }

    /** Ticks that returned {@link PlayoutStatus#CONCEALED}. */
    public long framesConcealed() {
        return get(FRAMES_CONCEALED);
    }

    /** Ticks that returned {@link PlayoutStatus#SILENCE}. */
    public long framesSilence() {
        return get(FRAMES_SILENCE);
    }

    /** Ticks held back to raise the playout delay by one frame. */
    public long framesInserted() {
        return get(FRAMES_INSERTED);
    }

    /** Frames (received, missing or silent) skipped to lower the playout delay by one frame. */
    public long framesRemoved() {
        return get(FRAMES_REMOVED);
    }

    /** Delay the playout currently adds above the fastest recent packet, in ns, as of the last tick. */
    public long currentDelayNs() {
        return get(CURRENT_DELAY_NS);
    }

    /** {@link #currentDelayNs()} in ms. */
    public double currentDelayMs() {
        return currentDelayNs() / 1e6;
    }

    /** Delay the buffer is steering towards, in ns. */
    public long targetDelayNs() {
        return get(TARGET_DELAY_NS);
    }

    /** {@link #targetDelayNs()} in ms. */
    public double targetDelayMs() {
        return targetDelayNs() / 1e6;
    }

    /** RFC 3550 §6.4.1 interarrival jitter in RTP timestamp units (as an RTCP receiver report carries it). */
    public long interarrivalJitterTicks() {
        return get(JITTER_TICKS);
    }

    /** RFC 3550 §6.4.1 interarrival jitter in ns. */
    public long interarrivalJitterNs() {
        return get(JITTER_NS);
    }

    /** RFC 3550 §6.4.1 interarrival jitter in ms. */
    public double interarrivalJitterMs() {
        return interarrivalJitterNs() / 1e6;
    }

    @Override
    public String toString() {
        return "JitterBufferStats{received=" + packetsReceived() + ", accepted=" + packetsAccepted()
            + ", late=" + packetsLate() + ", duplicate=" + packetsDuplicate() + ", reordered=" + packetsReordered()
            + ", tooLarge=" + packetsTooLarge() + ", empty=" + packetsEmpty() + ", sequenceJump=" + packetsSequenceJump()
            + ", timestampsBackward=" + timestampsBackward() + ", timestampJumps=" + timestampJumps()
            + ", ssrcChanges=" + ssrcChanges() + ", resyncs=" + resyncs() + ", flushed=" + packetsFlushed()
            + ", played=" + framesPlayed() + ", lost=" + framesLost() + ", concealed=" + framesConcealed()
            + ", silence=" + framesSilence() + ", inserted=" + framesInserted() + ", removed=" + framesRemoved()
            + ", currentDelayMs=" + currentDelayMs() + ", targetDelayMs=" + targetDelayMs()
            + ", jitterMs=" + interarrivalJitterMs() + '}';
    }
}
