package io.voxgate.sip.srtp;

/**
 * SRTP packet index arithmetic (RFC 3711 §3.3.1 and Appendix A): the 48-bit index {@code 2^16 * ROC + SEQ} a
 * packet's 16-bit sequence number stands for, guessed from the highest index seen so far, so the rollover counter
 * follows the sequence number across 65535 -> 0 and back for late packets.
 *
 * <p>Threading: stateless.
 */
final class SrtpIndex {
    private static final int HALF = 1 << 15;

    private SrtpIndex() {
    }

    /**
     * The index of a packet carrying {@code sequenceNumber}.
     *
     * @param highest        the highest index accepted on this SSRC, or -1 before the first packet (whose
     *                       rollover counter is 0, §3.3.1)
     * @param sequenceNumber the packet's sequence number, 0..65535
     * @return the index; negative when the guess is a rollover counter below zero (a packet from before the
     *         first one, which cannot be told apart from a replay)
     */
    static long estimate(final long highest, final int sequenceNumber) {
        if (highest < 0) {
            return sequenceNumber;
        }
        final long roc = highest >>> 16;
        final int highestSequence = (int) (highest & 0xFFFF);
        final long guessedRoc;
        if (highestSequence < HALF) {
            guessedRoc = sequenceNumber - highestSequence > HALF ? roc - 1 : roc;
        } else {
            guessedRoc = highestSequence - HALF > sequenceNumber ? roc + 1 : roc;
        }
        return guessedRoc < 0 ? -1 : guessedRoc << 16 | sequenceNumber;
    }

    /** The rollover counter of an index, as the HMAC input carries it (RFC 3711 §4.2). */
    static int rolloverCounter(final long index) {
        return (int) (index >>> 16);
    }
}
