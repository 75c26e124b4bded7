package io.voxgate.websocket.twilio.stream;

/**
 * Bookkeeping of the marks sent to Twilio, which tells audio the caller heard from audio a {@code clear} discarded
 * (protocols.md §1.5): Twilio echoes a mark when the audio before it finished playing <em>or</em> was cleared, so the
 * echo alone cannot tell them apart.
 *
 * <p>One mark is due every {@code markIntervalBytes} of audio sent (about 100-200 ms: a mark per 20 ms chunk was
 * reported to disturb playback, one per response is too coarse to learn what was heard). Marks are named
 * {@code m<n>} with {@code n} counting from 1. Outstanding marks live in a preallocated ring; when it is full no
 * further mark is sent until echoes free a slot (counted in {@link #marksSkipped()}), which only coarsens the
 * bookkeeping. A mark echoed with a number at or below the mark current at the last {@code clear} counts as
 * cleared, not played (an error of at most one interval, for a mark whose audio ended just before the clear).
 *
 * <p>Threading: confined to the stream's event loop. Units: bytes of 8 kHz mu-law, 8 per millisecond.
 */
final class MarkLedger {
    private final int markIntervalBytes;
    private final long[] ringMark;
    private final long[] ringCumulativeBytes;
    private int head;
    private int size;
    private long markSeq;
    private long clearedUpTo;
    private long bytesSent;
    private long bytesPlayed;
    private long bytesSinceMark;
    private long marksSent;
    private long marksPlayed;
    private long marksCleared;
    private long marksUnknown;
    private long marksSkipped;
    private long clears;

    /**
     * @throws IllegalArgumentException when the interval or the capacity is not positive
     */
    MarkLedger(final int markIntervalBytes, final int capacity) {
        if (markIntervalBytes <= 0) {
            throw new IllegalArgumentException("markIntervalBytes must be positive, was " + markIntervalBytes);
        }
        if (capacity <= 0) {
            throw new IllegalArgumentException("mark ledger capacity must be positive, was " + capacity);
        }
        this.markIntervalBytes = markIntervalBytes;
        this.ringMark = new long[capacity];
        this.ringCumulativeBytes = new long[capacity];
    }

    /**
     * Accounts for {@code length} bytes of audio just sent.
     *
     * @return the number of the mark to send now (name {@code m<n>}), or 0 when none is due
     */
    long onAudioSent(final int length) {
        bytesSent += length;
        bytesSinceMark += length;
        if (bytesSinceMark < markIntervalBytes) {
            return 0;
        }
        if (size == ringMark.length) {
            marksSkipped++;
            return 0;
        }
        bytesSinceMark = 0;
        markSeq++;
        final int slot = (head + size) % ringMark.length;
        ringMark[slot] = markSeq;
        ringCumulativeBytes[slot] = bytesSent;
        size++;
        marksSent++;
        return markSeq;
    }

    /**
     * Accounts for a mark Twilio echoed, by number ({@code -1} for a name this gateway did not send).
     *
     * @return {@code true} when it matched an outstanding mark
     */
    boolean onMarkEchoed(final long markNo) {
        // Twilio plays, and so echoes, in order; an echo of a number never sent, or already echoed, changes nothing.
        if (size == 0 || markNo < ringMark[head] || markNo > markSeq) {
            marksUnknown++;
            return false;
        }
        long cumulative = 0;
        while (size > 0 && ringMark[head] <= markNo) {
            cumulative = ringCumulativeBytes[head];
            head = (head + 1) % ringMark.length;
            size--;
        }
        if (markNo <= clearedUpTo) {
            marksCleared++;
        } else {
            marksPlayed++;
            bytesPlayed = cumulative;
        }
        return true;
    }

    /** Accounts for a {@code clear} just sent: every outstanding mark will come back as cleared. */
    void onClear() {
        clears++;
        clearedUpTo = markSeq;
        bytesSinceMark = 0;
    }

    /** Audio bytes sent to Twilio. */
    long bytesSent() {
        return bytesSent;
    }

    /** Audio bytes known to have been played to the caller (up to the last played mark). */
    long bytesPlayed() {
        return bytesPlayed;
    }

    /** Marks outstanding (sent, not yet echoed). */
    int marksOutstanding() {
        return size;
    }

    /** Marks sent. */
    long marksSent() {
        return marksSent;
    }

    /** Echoed marks whose audio was played. */
    long marksPlayed() {
        return marksPlayed;
    }

    /** Echoed marks whose audio a clear discarded. */
    long marksCleared() {
        return marksCleared;
    }

    /** Echoes that matched no outstanding mark. */
    long marksUnknown() {
        return marksUnknown;
    }

    /** Marks not sent because the ring was full. */
    long marksSkipped() {
        return marksSkipped;
    }

    /** Clears sent. */
    long clears() {
        return clears;
    }
}
