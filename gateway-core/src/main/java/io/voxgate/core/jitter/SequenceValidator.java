package io.voxgate.core.jitter;

/**
 * Per-source sequence-number state and validity check of RFC 3550 Appendix A.1 ({@code init_seq} /
 * {@code update_seq}), with the expected/lost arithmetic of Appendix A.3.
 *
 * <p>A source starts on probation: it becomes valid after {@link #MIN_SEQUENTIAL} packets in sequence. After
 * that a forward gap below {@link #MAX_DROPOUT} is accepted (and a wrap counts a cycle); a packet up to
 * {@link #MAX_MISORDER} behind is a duplicate or reordered packet; anything else is a jump. A jump is rejected,
 * and remembered: when the very next packet continues the jumped-to sequence, the sender is taken to have
 * restarted and the state is re-initialised at it ("restart on big jumps").
 *
 * <p>Threading: confined to the thread that owns the RTP stream (the call's event loop). Allocation-free.
 */
public final class SequenceValidator {
    /** Largest forward gap still taken as loss rather than a jump (RFC 3550 A.1: 3000 packets, 60 s at 20 ms). */
    public static final int MAX_DROPOUT = 3000;

    /** How far behind the highest sequence number a packet may be and still count as reordered (RFC 3550 A.1). */
    public static final int MAX_MISORDER = 100;

    /** Packets in sequence a new source needs before it is valid (RFC 3550 A.1). */
    public static final int MIN_SEQUENTIAL = 2;

    private static final int NO_BAD_SEQUENCE = SequenceNumbers.SEQUENCE_MODULUS + 1;

    /** Verdict of {@link #update(int)} on one packet's sequence number. */
    public enum Verdict {
        /** In sequence, or ahead with a gap smaller than {@link #MAX_DROPOUT}. */
        VALID,
        /** The source is still on probation (fewer than {@link #MIN_SEQUENTIAL} packets in sequence). */
        PROBATION,
        /** Behind the highest sequence number by at most {@link #MAX_MISORDER}: a duplicate or reordered packet. */
        MISORDERED,
        /** A jump: rejected; the next packet continuing from it triggers {@link #RESTARTED}. */
        BAD_JUMP,
        /** The packet after a jump continued the jumped-to sequence: state re-initialised at it. */
        RESTARTED
    }

    private int maxSequence;
    private long cycles;
    private int baseSequence;
    private int badSequence = NO_BAD_SEQUENCE;
    private int probation;
    private long received;
    private boolean started;

    /**
     * Starts tracking a new source whose first packet carries {@code sequenceNumber}; call {@link #update(int)}
     * for that same packet next, as RFC 3550 A.1 does.
     */
    public void start(final int sequenceNumber) {
        final int seq = sequenceNumber & SequenceNumbers.SEQUENCE_MASK;
        initialise(seq);
        maxSequence = (seq - 1) & SequenceNumbers.SEQUENCE_MASK;
        probation = MIN_SEQUENTIAL;
        started = true;
    }

    /** Whether {@link #start(int)} was called since construction or {@link #clear()}. */
    public boolean started() {
        return started;
    }

    /** Forgets the source. */
    public void clear() {
        initialise(0);
        probation = 0;
        started = false;
    }

    /** Updates the state with one packet's sequence number and classifies it. */
    public Verdict update(final int sequenceNumber) {
        final int seq = sequenceNumber & SequenceNumbers.SEQUENCE_MASK;
        final int forward = (seq - maxSequence) & SequenceNumbers.SEQUENCE_MASK;
        if (probation > 0) {
            if (seq == ((maxSequence + 1) & SequenceNumbers.SEQUENCE_MASK)) {
                probation--;
                maxSequence = seq;
                if (probation == 0) {
                    initialise(seq);
                    received++;
                    return Verdict.VALID;
                }
            } else {
                probation = MIN_SEQUENTIAL - 1;
                maxSequence = seq;
            }
            return Verdict.PROBATION;
        }
        if (forward < MAX_DROPOUT) {
            if (seq < maxSequence) {
                cycles += SequenceNumbers.SEQUENCE_MODULUS;
            }
            maxSequence = seq;
            received++;
            return Verdict.VALID;
        }
        if (forward <= SequenceNumbers.SEQUENCE_MODULUS - MAX_MISORDER) {
            if (seq == badSequence) {
                // Two packets in sequence after a jump: RFC 3550 A.1 takes it that the source restarted.
                initialise(seq);
                received++;
                return Verdict.RESTARTED;
            }
            badSequence = (seq + 1) & SequenceNumbers.SEQUENCE_MASK;
            return Verdict.BAD_JUMP;
        }
        received++;
        return Verdict.MISORDERED;
    }

    private void initialise(final int seq) {
        baseSequence = seq;
        maxSequence = seq;
        badSequence = NO_BAD_SEQUENCE;
        cycles = 0;
        received = 0;
    }

    /** Highest sequence number seen, extended with the wrap count ({@code cycles + max_seq} of RFC 3550 A.1). */
    public long extendedHighest() {
        return cycles + maxSequence;
    }

    /** Sequence-number wraps counted since the source was (re)initialised, in units of 65,536. */
    public long cycles() {
        return cycles;
    }

    /** The sequence number the current count starts from ({@code base_seq}). */
    public int baseSequence() {
        return baseSequence;
    }

    /** Valid packets counted since (re)initialisation, duplicates included (RFC 3550 A.3 note). */
    public long received() {
        return received;
    }

    /** Packets expected since (re)initialisation: {@code extended_max - base_seq + 1} (RFC 3550 A.3). */
    public long expected() {
        return extendedHighest() - baseSequence + 1;
    }

    /** Cumulative packets lost, {@code expected - received}; negative when duplicates outnumber losses (A.3). */
    public long cumulativeLost() {
        return expected() - received;
    }

    /** Whether the source is still on probation. */
    public boolean onProbation() {
        return probation > 0;
    }
}
