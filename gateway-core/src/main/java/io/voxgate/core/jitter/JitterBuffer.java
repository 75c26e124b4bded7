package io.voxgate.core.jitter;

import io.voxgate.core.pipeline.MediaStage;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Adaptive RTP jitter buffer for one received stream: packets go in as they arrive ({@link #offer}), one frame
 * comes out per playout tick ({@link #poll}), in sequence order, at a delay adapted to the network's jitter.
 *
 * <p><b>Codec-agnostic.</b> The buffer stores payload bytes (copied once into a preallocated slot: the hop's one
 * copy) and plays them out as a view of that slot ({@link #payload()}), with a {@link PlayoutStatus}; the next
 * stage reads the frame where it lies. Concealment of a missing frame is the caller's, on decoded PCM, for example
 * with {@link LossConcealer}.
 *
 * <p><b>Ordering and anomalies.</b> Sequence numbers and timestamps are extended across wrap-around
 * ({@link SequenceNumbers}); RFC 3550 A.1 ({@link SequenceValidator}) classifies jumps. Reordered packets are
 * put back in order, duplicates and packets whose playout slot has passed are dropped, a new SSRC resets the
 * buffer, and a jump (sequence beyond the buffer, a confirmed RFC 3550 A.1 jump, a timestamp that goes backwards
 * or far ahead twice in a row) flushes it and restarts playout at the new position. Every outcome is an
 * {@link OfferResult} and a counter in {@link JitterBufferStats}; no input makes it throw or corrupts its state.
 *
 * <p><b>Playout.</b> Playout follows RTP timestamps, one frame per tick: a frame whose timestamp is due plays;
 * a due position with no packet is either a loss (packets are missing in sequence before the next one) and is
 * {@link PlayoutStatus#CONCEALED} for up to {@code maxConcealedFrames} ticks, or a silence gap of a
 * discontinuous-transmission sender (sequence contiguous, timestamp jumped) and is {@link PlayoutStatus#SILENCE}.
 * With an empty buffer the buffer cannot tell, and conceals up to the cap, then reports silence.
 *
 * <p><b>Adaptation policy.</b> The current delay is how long the fastest recent packet waits before it plays
 * ({@code nowNs - timestampNs(playout position) - baseline transit}); the target delay comes from
 * {@link DelayEstimator} (a high quantile of recent delay variation, with fast attack and slow decay, within
 * [minDelayMs, maxDelayMs]). The buffer raises the delay by holding the playout position for one tick when the
 * current delay is below target, and lowers it by skipping one frame when the current delay exceeds target by
 * more than a frame and a quarter. A change is never more than one frame per tick, and where it happens is
 * chosen so it is not heard:
 * <ul>
 *   <li>during silence (a silence gap, or a loss past the concealment cap): every tick may adjust, so a
 *       talkspurt boundary absorbs the whole correction;</li>
 *   <li>at a talkspurt start (marker bit, RFC 3551 §4.1): the first frame may be held back, playing silence;</li>
 *   <li>while speech plays: at most one change per {@code speechAdaptIntervalMs}, using a lost frame when one
 *       is due (skipped rather than concealed, or concealed once more while held); otherwise a repeated
 *       (concealed) frame is inserted, or one received frame is dropped (counted as flushed). A decrease waits
 *       until the excess delay has lasted a whole interval, since only an increase is urgent. This is what keeps
 *       a continuous stream under clock skew within bounds.</li>
 * </ul>
 *
 * <p><b>Time.</b> Both methods take the time as an argument; the caller owns the clock and calls {@link #poll}
 * once per {@code ptimeMs}. The buffer never reads a clock.
 *
 * <p><b>Threading and ownership.</b> Confined to one thread (the call's event loop); no locks. {@link #stats()}
 * may be read from any thread. The payload passed to {@link #offer} is borrowed for the call and copied; the
 * view {@link #payload()} is the buffer's, valid until the next {@link #offer}, {@link #poll} or {@link #reset}.
 * No allocation after construction.
 */
public final class JitterBuffer implements MediaStage {
    private static final byte EMPTY = 0;
    private static final byte FILLED = 1;
    private static final byte CONSUMED = 2;
    private static final byte SKIPPED = 3;
    private static final byte LATE = 4;
    private static final long NO_SEQUENCE = Long.MIN_VALUE;
    private static final long NS_PER_SECOND = 1_000_000_000L;

    private final JitterBufferConfig config;
    private final int capacity;
    private final int mask;
    private final int slotCapacityBytes;
    private final long frameTicks;
    private final long frameNs;
    private final long shrinkMarginNs;
    private final long aheadLimitTicks;
    private final long speechAdaptIntervalNs;
    private final int maxConcealedFrames;
    private final int clockRateHz;
    private final long nsPerTick;

    private final long[] slotSequence;
    private final long[] slotTimestamp;
    private final int[] slotLength;
    private final boolean[] slotMarker;
    private final byte[] slotState;
    private final byte[] slotData;
    private final UnsafeBuffer payloadView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer skippedView = new UnsafeBuffer(0, 0);
    private int skippedLength;
    private final UnsafeBuffer recoveryView = new UnsafeBuffer(0, 0);
    private int recoveryLength;

    private final SequenceValidator validator = new SequenceValidator();
    private final DelayEstimator estimator;
    private final JitterBufferStats stats = new JitterBufferStats();

    private boolean started;
    private int ssrc;
    private long headSequence;
    private long highestSequence;
    private boolean headMovable;
    private long originTimestamp;
    private long referenceTimestamp;

    private boolean pendingTimeline;
    private int pendingSequence;
    private long pendingTimestamp;

    private boolean anchored;
    private boolean everPlayed;
    private long playoutTimestamp;
    private long lastSpeechAdaptNs;
    private long shrinkWantedSinceNs;
    private PlayoutStatus lastStatus;
    private int concealedRun;

    private int lastPayloadLength;
    private int lastSequenceNumber;
    private long lastRtpTimestamp;

    /** Allocates every slot for the configured maximum delay. */
    public JitterBuffer(final JitterBufferConfig config) {
        this.config = config;
        this.capacity = config.capacityFrames();
        this.mask = capacity - 1;
        this.slotCapacityBytes = config.slotCapacityBytes();
        this.frameTicks = config.frameTicks();
        this.frameNs = config.ptimeMs() * 1_000_000L;
        this.shrinkMarginNs = frameNs + frameNs / 4;
        this.aheadLimitTicks = capacity * frameTicks;
        this.speechAdaptIntervalNs = config.speechAdaptIntervalMs() * 1_000_000L;
        this.maxConcealedFrames = config.maxConcealedFrames();
        this.clockRateHz = config.clockRateHz();
        this.nsPerTick = NS_PER_SECOND % clockRateHz == 0 ? NS_PER_SECOND / clockRateHz : 0;
        this.slotSequence = new long[capacity];
        this.slotTimestamp = new long[capacity];
        this.slotLength = new int[capacity];
        this.slotMarker = new boolean[capacity];
        this.slotState = new byte[capacity];
        this.slotData = new byte[capacity * slotCapacityBytes];
        this.estimator = new DelayEstimator(config);
        reset();
    }

    /** The configuration this buffer was built with. */
    public JitterBufferConfig config() {
        return config;
    }

    /** Slots preallocated (a power of two). */
    public int capacityFrames() {
        return capacity;
    }

    /** Counters and gauges, readable from any thread. */
    public JitterBufferStats stats() {
        return stats;
    }

    @Override
    public String name() {
        return "jitter-buffer";
    }

    @Override
    public void counters(final CounterVisitor visitor) {
        visitor.counter("packets_accepted", stats.packetsAccepted());
        visitor.counter("packets_late", stats.packetsLate());
        visitor.counter("packets_duplicate", stats.packetsDuplicate());
        visitor.counter("packets_reordered", stats.packetsReordered());
        visitor.counter("packets_flushed", stats.packetsFlushed());
        visitor.counter("frames_played", stats.framesPlayed());
        visitor.counter("frames_lost", stats.framesLost());
        visitor.counter("resyncs", stats.resyncs());
        visitor.counter("target_delay_ns", stats.targetDelayNs());
    }

    /** Returns to the state after construction: no source, empty, counters at zero. */
    public void reset() {
        clearSlots(false);
        validator.clear();
        estimator.clear();
        stats.clear();
        stats.set(JitterBufferStats.TARGET_DELAY_NS, estimator.targetDelayNs());
        started = false;
        ssrc = 0;
        headSequence = 0;
        highestSequence = 0;
        headMovable = true;
        originTimestamp = 0;
        referenceTimestamp = 0;
        pendingTimeline = false;
        anchored = false;
        everPlayed = false;
        playoutTimestamp = 0;
        lastSpeechAdaptNs = 0;
        shrinkWantedSinceNs = 0;
        lastStatus = PlayoutStatus.NOT_STARTED;
        concealedRun = 0;
        lastPayloadLength = 0;
        skippedLength = 0;
        lastSequenceNumber = 0;
        lastRtpTimestamp = 0;
    }

    /**
     * Takes one received RTP packet.
     *
     * @param ssrc           the packet's SSRC
     * @param sequenceNumber the 16-bit sequence number (higher bits ignored)
     * @param rtpTimestamp   the 32-bit RTP timestamp, unsigned or sign-extended (higher bits ignored)
     * @param marker         the RTP marker bit (for audio: first packet of a talkspurt, RFC 3551 §4.1)
     * @param payload        the payload bytes, borrowed for this call and copied
     * @param payloadOffset  offset of the payload in {@code payload}
     * @param payloadLength  payload length in bytes
     * @param arrivalNs      when the packet arrived, on the same clock as {@link #poll}'s {@code nowNs}
     * @return what became of the packet (also counted in {@link #stats()})
     */
    public OfferResult offer(
        final int ssrc,
        final int sequenceNumber,
        final long rtpTimestamp,
        final boolean marker,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength,
        final long arrivalNs) {
        stats.increment(JitterBufferStats.PACKETS_RECEIVED);
        if (payloadLength > slotCapacityBytes) {
            stats.increment(JitterBufferStats.PACKETS_TOO_LARGE);
            return OfferResult.TOO_LARGE;
        }
        if (payloadLength <= 0) {
            stats.increment(JitterBufferStats.PACKETS_EMPTY);
            return OfferResult.EMPTY;
        }
        final int seq = sequenceNumber & SequenceNumbers.SEQUENCE_MASK;
        final long ts = rtpTimestamp & SequenceNumbers.TIMESTAMP_MASK;
        if (!started || ssrc != this.ssrc) {
            final boolean change = started;
            startSource(ssrc, seq);
            startTimeline(seq, ts, change);
            estimator.resetSource();
            storeFirst(seq, ts, marker, payload, payloadOffset, payloadLength, arrivalNs);
            if (change) {
                stats.increment(JitterBufferStats.SSRC_CHANGES);
                return OfferResult.SSRC_CHANGED;
            }
            return OfferResult.ACCEPTED;
        }

        final SequenceValidator.Verdict verdict = validator.update(seq);
        final long extSeq = SequenceNumbers.extend16(seq, highestSequence);
        if (verdict == SequenceValidator.Verdict.RESTARTED) {
            return resync(seq, ts, marker, payload, payloadOffset, payloadLength, arrivalNs);
        }
        final long extTs = SequenceNumbers.extend32(ts, referenceTimestamp);
        if (verdict == SequenceValidator.Verdict.BAD_JUMP) {
            stats.increment(JitterBufferStats.PACKETS_SEQUENCE_JUMP);
            return OfferResult.SEQUENCE_JUMP;
        }
        if (extSeq < headSequence) {
            if (!headMovable || highestSequence - extSeq >= capacity) {
                return lateOrDuplicate(extSeq, extTs, arrivalNs);
            }
            // Nothing has played yet: a packet that precedes the first one still belongs in front of it.
            headSequence = extSeq;
        }
        final int index = (int) extSeq & mask;
        if (slotSequence[index] == extSeq && slotState[index] != EMPTY && slotState[index] != SKIPPED) {
            stats.increment(JitterBufferStats.PACKETS_DUPLICATE);
            return OfferResult.DUPLICATE;
        }
        if (extSeq - headSequence >= capacity) {
            return resync(seq, ts, marker, payload, payloadOffset, payloadLength, arrivalNs);
        }
        if (extSeq > highestSequence && extTs < referenceTimestamp) {
            // A later packet cannot carry an earlier sampling instant (RFC 3550 §5.1): the timeline broke.
            return timelineAnomaly(OfferResult.TIMESTAMP_BACKWARD, JitterBufferStats.TIMESTAMPS_BACKWARD,
                seq, ts, marker, payload, payloadOffset, payloadLength, arrivalNs);
        }
        if (anchored) {
            final long aheadTicks = extTs - playoutTimestamp;
            if (aheadTicks > aheadLimitTicks) {
                // A packet of a silence-suppressing sender arrives about when it is due; one due seconds from now
                // means the sender's timestamp jumped.
                return timelineAnomaly(OfferResult.TIMESTAMP_JUMP, JitterBufferStats.TIMESTAMP_JUMPS,
                    seq, ts, marker, payload, payloadOffset, payloadLength, arrivalNs);
            }
            if (aheadTicks < 0) {
                pendingTimeline = false;
                slotSequence[index] = extSeq;
                slotState[index] = LATE;
                advanceHighest(extSeq, extTs);
                estimate(extTs, arrivalNs);
                stats.increment(JitterBufferStats.PACKETS_LATE);
                return OfferResult.LATE;
            }
        }
        pendingTimeline = false;
        store(index, extSeq, extTs, marker, payload, payloadOffset, payloadLength);
        if (!advanceHighest(extSeq, extTs)) {
            stats.increment(JitterBufferStats.PACKETS_REORDERED);
        }
        estimate(extTs, arrivalNs);
        stats.increment(JitterBufferStats.PACKETS_ACCEPTED);
        return OfferResult.ACCEPTED;
    }

    /**
     * One playout tick: call once per {@code ptimeMs}. On {@link PlayoutStatus#FRAME} the frame's payload is
     * {@link #payload()}, read in place in its slot ({@link #lastPayloadLength()} bytes); nothing is copied.
     *
     * @param nowNs the playout time, on the same clock as the arrival times
     * @return what this tick produced
     */
    public PlayoutStatus poll(final long nowNs) {
        skippedLength = 0;
        recoveryLength = 0;
        if (!anchored && !tryAnchor(nowNs)) {
            return everPlayed ? missing() : PlayoutStatus.NOT_STARTED;
        }
        final long currentDelayNs = nowNs - timestampNs(playoutTimestamp) - estimator.baselineNs();
        stats.set(JitterBufferStats.CURRENT_DELAY_NS, currentDelayNs);
        final long targetDelayNs = estimator.targetDelayNs();
        final boolean grow = currentDelayNs < targetDelayNs;
        final boolean shrink = currentDelayNs >= targetDelayNs + shrinkMarginNs;
        if (!shrink) {
            shrinkWantedSinceNs = nowNs;
        }
        final boolean speechAdaptDue = nowNs - lastSpeechAdaptNs >= speechAdaptIntervalNs;
        // Lowering the delay in speech is never urgent: wait until the excess has lasted a whole interval, so a
        // target that wobbles does not make the playout insert and drop frames in turn.
        final boolean speechShrinkDue = speechAdaptDue && nowNs - shrinkWantedSinceNs >= speechAdaptIntervalNs;

        int next = nextStored();
        while (next >= 0 && slotTimestamp[next] < playoutTimestamp) {
            // Only a timestamp closer than a frame to its predecessor's gets here: its slot was taken.
            discard(next);
            next = nextStored();
        }

        if (next >= 0) {
            final long aheadTicks = slotTimestamp[next] - playoutTimestamp;
            if (aheadTicks < frameTicks) {
                final boolean talkspurtStart = slotMarker[next] || lastStatus == PlayoutStatus.SILENCE;
                if (grow && (talkspurtStart || speechAdaptDue)) {
                    stats.increment(JitterBufferStats.FRAMES_INSERTED);
                    if (talkspurtStart) {
                        // Talkspurt start (RFC 3551 §4.1 marker, or speech after silence): hold it back in the
                        // silence before it, where a longer pause is not heard.
                        return silence();
                    }
                    lastSpeechAdaptNs = nowNs;
                    return missing();
                }
                if (shrink && speechShrinkDue) {
                    final int following = followingFrame(next);
                    if (following >= 0) {
                        stats.increment(JitterBufferStats.FRAMES_REMOVED);
                        lastSpeechAdaptNs = nowNs;
                        skippedLength = slotLength[next];
                        skippedView.wrap(slotData, next * slotCapacityBytes, skippedLength);
                        discard(next);
                        return play(following);
                    }
                }
                return play(next);
            }
            final long missingPackets = slotSequence[next] - headSequence;
            if (missingPackets < aheadTicks / frameTicks || !concealmentAudible()) {
                return silentTick(grow, shrink, slotTimestamp[next]);
            }
            // A lost frame is due.
            if (shrink && speechShrinkDue) {
                stats.increment(JitterBufferStats.FRAMES_REMOVED);
                lastSpeechAdaptNs = nowNs;
                playoutTimestamp += frameTicks;
                if (slotTimestamp[next] - playoutTimestamp < frameTicks) {
                    return play(next);
                }
            } else if (grow && speechAdaptDue) {
                stats.increment(JitterBufferStats.FRAMES_INSERTED);
                lastSpeechAdaptNs = nowNs;
                return missing();
            }
            offerRecovery(next);
            playoutTimestamp += frameTicks;
            return missing();
        }
        if (!concealmentAudible()) {
            return silentTick(grow, shrink, Long.MAX_VALUE);
        }
        if (grow && speechAdaptDue) {
            stats.increment(JitterBufferStats.FRAMES_INSERTED);
            lastSpeechAdaptNs = nowNs;
            return missing();
        }
        playoutTimestamp += frameTicks;
        return missing();
    }

    /**
     * The payload of the last {@link PlayoutStatus#FRAME}: a view of its slot, {@link #lastPayloadLength()} bytes
     * from index 0, valid until the next {@link #offer}, {@link #poll} or {@link #reset}. Do not write to it.
     */
    public DirectBuffer payload() {
        return payloadView;
    }

    /**
     * The received frame the last {@link #poll} skipped to shorten the delay while speech played, before the
     * {@link PlayoutStatus#FRAME} it returned; {@link #skippedPayloadLength()} is 0 when it skipped none. A decoder
     * whose state must follow every frame (G.722's ADPCM) decodes it, unheard, before the played frame. Valid until the
     * next offer or poll; the buffer keeps ownership.
     */
    public DirectBuffer skippedPayload() {
        return skippedView;
    }

    /** Length of {@link #skippedPayload()}, in bytes; 0 when the last poll skipped no received frame. */
    public int skippedPayloadLength() {
        return skippedLength;
    }

    /**
     * The received packet right after the frame the last {@link #poll} concealed for loss (its RTP timestamp one frame
     * later), whose in-band FEC may carry the lost frame (Opus, RFC 7587 §3.3); {@link #recoveryPayloadLength()} is 0
     * when that packet has not arrived or the tick concealed no lost frame. The packet stays in its slot and is played
     * in its own turn. Valid until the next offer or poll; the buffer keeps ownership.
     */
    public DirectBuffer recoveryPayload() {
        return recoveryView;
    }

    /** Length of {@link #recoveryPayload()}, in bytes; 0 when there is none. */
    public int recoveryPayloadLength() {
        return recoveryLength;
    }

    /** Payload length of the last {@link PlayoutStatus#FRAME}, in bytes. */
    public int lastPayloadLength() {
        return lastPayloadLength;
    }

    /** 16-bit sequence number of the last {@link PlayoutStatus#FRAME}. */
    public int lastSequenceNumber() {
        return lastSequenceNumber;
    }

    /** 32-bit RTP timestamp of the last {@link PlayoutStatus#FRAME}. */
    public long lastRtpTimestamp() {
        return lastRtpTimestamp;
    }

    private void startSource(final int newSsrc, final int seq) {
        ssrc = newSsrc;
        started = true;
        validator.start(seq);
        validator.update(seq);
    }

    private void startTimeline(final int seq, final long ts, final boolean flush) {
        clearSlots(flush);
        headSequence = seq;
        highestSequence = seq;
        headMovable = true;
        originTimestamp = ts;
        referenceTimestamp = ts;
        pendingTimeline = false;
        anchored = false;
    }

    private void storeFirst(
        final int seq,
        final long ts,
        final boolean marker,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength,
        final long arrivalNs) {
        store(seq & mask, seq, ts, marker, payload, payloadOffset, payloadLength);
        estimate(ts, arrivalNs);
        stats.increment(JitterBufferStats.PACKETS_ACCEPTED);
    }

    private OfferResult resync(
        final int seq,
        final long ts,
        final boolean marker,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength,
        final long arrivalNs) {
        stats.increment(JitterBufferStats.RESYNCS);
        startTimeline(seq, ts, true);
        estimator.resetTimeline();
        store(seq & mask, seq, ts, marker, payload, payloadOffset, payloadLength);
        estimate(ts, arrivalNs);
        stats.increment(JitterBufferStats.PACKETS_ACCEPTED);
        return OfferResult.RESYNC;
    }

    private OfferResult timelineAnomaly(
        final OfferResult result,
        final int counter,
        final int seq,
        final long ts,
        final boolean marker,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength,
        final long arrivalNs) {
        if (pendingTimeline && SequenceNumbers.isNewer16(seq, pendingSequence)
            && !SequenceNumbers.isNewer32(pendingTimestamp, ts)) {
            // Second packet on the same new timeline: the sender really moved its timestamps.
            return resync(seq, ts, marker, payload, payloadOffset, payloadLength, arrivalNs);
        }
        pendingTimeline = true;
        pendingSequence = seq;
        pendingTimestamp = ts;
        stats.increment(counter);
        return result;
    }

    private OfferResult lateOrDuplicate(final long extSeq, final long extTs, final long arrivalNs) {
        final int index = (int) extSeq & mask;
        if (slotSequence[index] == extSeq) {
            final byte state = slotState[index];
            if (state == CONSUMED || state == LATE || state == FILLED) {
                stats.increment(JitterBufferStats.PACKETS_DUPLICATE);
                return OfferResult.DUPLICATE;
            }
            if (state == SKIPPED) {
                // Counted lost when the playout passed it; it did arrive, only too late.
                stats.add(JitterBufferStats.FRAMES_LOST, -1);
                slotState[index] = LATE;
            }
        }
        estimate(extTs, arrivalNs);
        stats.increment(JitterBufferStats.PACKETS_LATE);
        return OfferResult.LATE;
    }

    private boolean advanceHighest(final long extSeq, final long extTs) {
        if (extSeq > highestSequence) {
            highestSequence = extSeq;
            referenceTimestamp = extTs;
            return true;
        }
        return false;
    }

    private void store(
        final int index,
        final long extSeq,
        final long extTs,
        final boolean marker,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength) {
        payload.getBytes(payloadOffset, slotData, index * slotCapacityBytes, payloadLength);
        slotSequence[index] = extSeq;
        slotTimestamp[index] = extTs;
        slotLength[index] = payloadLength;
        slotMarker[index] = marker;
        slotState[index] = FILLED;
    }

    private void estimate(final long extTs, final long arrivalNs) {
        estimator.onPacket(arrivalNs - timestampNs(extTs), arrivalNs);
        stats.set(JitterBufferStats.TARGET_DELAY_NS, estimator.targetDelayNs());
        stats.set(JitterBufferStats.JITTER_NS, estimator.jitterNs());
        stats.set(JitterBufferStats.JITTER_TICKS, estimator.jitterTicks());
    }

    private long timestampNs(final long extTs) {
        final long ticks = extTs - originTimestamp;
        if (nsPerTick != 0) {
            return ticks * nsPerTick;
        }
        return ticks / clockRateHz * NS_PER_SECOND + ticks % clockRateHz * NS_PER_SECOND / clockRateHz;
    }

    private boolean tryAnchor(final long nowNs) {
        if (!started) {
            return false;
        }
        final int first = nextStored();
        if (first < 0) {
            return false;
        }
        final long waitedNs = nowNs - timestampNs(slotTimestamp[first]) - estimator.baselineNs();
        if (waitedNs < estimator.targetDelayNs()) {
            return false;
        }
        anchored = true;
        headMovable = false;
        playoutTimestamp = slotTimestamp[first];
        lastSpeechAdaptNs = nowNs - speechAdaptIntervalNs;
        shrinkWantedSinceNs = nowNs;
        return true;
    }

    private int nextStored() {
        for (long s = headSequence; s <= highestSequence; s++) {
            final int index = (int) s & mask;
            if (slotState[index] == FILLED && slotSequence[index] == s) {
                return index;
            }
        }
        return -1;
    }

    private int followingFrame(final int index) {
        final long nextSeq = slotSequence[index] + 1;
        final int following = (int) nextSeq & mask;
        if (slotState[following] == FILLED && slotSequence[following] == nextSeq
            && slotTimestamp[following] - slotTimestamp[index] == frameTicks) {
            return following;
        }
        return -1;
    }

    private void passTo(final long extSeq) {
        for (long s = headSequence; s < extSeq; s++) {
            final int index = (int) s & mask;
            if (slotSequence[index] == s && slotState[index] == LATE) {
                continue;
            }
            slotSequence[index] = s;
            slotState[index] = SKIPPED;
            stats.increment(JitterBufferStats.FRAMES_LOST);
        }
        headSequence = extSeq + 1;
    }

    private void discard(final int index) {
        passTo(slotSequence[index]);
        slotState[index] = CONSUMED;
        stats.increment(JitterBufferStats.PACKETS_FLUSHED);
    }

    private PlayoutStatus play(final int index) {
        passTo(slotSequence[index]);
        final int length = slotLength[index];
        payloadView.wrap(slotData, index * slotCapacityBytes, length);
        slotState[index] = CONSUMED;
        lastPayloadLength = length;
        lastSequenceNumber = (int) slotSequence[index] & SequenceNumbers.SEQUENCE_MASK;
        lastRtpTimestamp = slotTimestamp[index] & SequenceNumbers.TIMESTAMP_MASK;
        playoutTimestamp = slotTimestamp[index] + frameTicks;
        everPlayed = true;
        concealedRun = 0;
        lastStatus = PlayoutStatus.FRAME;
        stats.increment(JitterBufferStats.FRAMES_PLAYED);
        return PlayoutStatus.FRAME;
    }

    /** The stored packet one frame after the lost frame at the playout position is the one that may carry its FEC. */
    private void offerRecovery(final int next) {
        if (slotTimestamp[next] - playoutTimestamp == frameTicks) {
            recoveryLength = slotLength[next];
            recoveryView.wrap(slotData, next * slotCapacityBytes, recoveryLength);
        }
    }

    private boolean concealmentAudible() {
        return concealedRun < maxConcealedFrames
            && (lastStatus == PlayoutStatus.FRAME || lastStatus == PlayoutStatus.CONCEALED);
    }

    private PlayoutStatus missing() {
        if (concealmentAudible()) {
            concealedRun++;
            lastStatus = PlayoutStatus.CONCEALED;
            stats.increment(JitterBufferStats.FRAMES_CONCEALED);
            return PlayoutStatus.CONCEALED;
        }
        return silence();
    }

    private PlayoutStatus silence() {
        lastStatus = PlayoutStatus.SILENCE;
        stats.increment(JitterBufferStats.FRAMES_SILENCE);
        return PlayoutStatus.SILENCE;
    }

    private PlayoutStatus silentTick(final boolean grow, final boolean shrink, final long nextTimestamp) {
        if (grow) {
            stats.increment(JitterBufferStats.FRAMES_INSERTED);
            return silence();
        }
        if (shrink && nextTimestamp - playoutTimestamp >= 2 * frameTicks) {
            stats.increment(JitterBufferStats.FRAMES_REMOVED);
            playoutTimestamp += 2 * frameTicks;
            return silence();
        }
        playoutTimestamp += frameTicks;
        return silence();
    }

    private void clearSlots(final boolean countFlushed) {
        for (int i = 0; i < capacity; i++) {
            if (countFlushed && slotState[i] == FILLED) {
                stats.increment(JitterBufferStats.PACKETS_FLUSHED);
            }
            slotState[i] = EMPTY;
            slotSequence[i] = NO_SEQUENCE;
        }
    }
}
