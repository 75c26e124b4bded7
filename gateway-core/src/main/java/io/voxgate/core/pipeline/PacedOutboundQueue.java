package io.voxgate.core.pipeline;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.codec.AudioCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Re-chunks agent audio, already in the caller's format, into ptime frames and releases them at the caller's
 * playout rate with a bounded lead.
 *
 * <h2>Release rule</h2>
 * Audio that arrives while the queue holds nothing starts a <em>turn</em>. The turn is anchored at
 * {@code turnStartNs = max(nowNs, playoutEndNs)}, where {@code playoutEndNs} is when the caller finishes
 * hearing what was already released. Frame {@code n} of the turn has the playout deadline
 * {@code turnStartNs + n * ptimeNs} and is released by {@link #poll} once {@code deadline - leadNs <= nowNs}.
 * Deadlines are absolute: a late poll releases the frame at once but does not shift the frames after it, so a
 * turn never drifts. With {@code leadNs = 0} (RTP) the queue releases exactly one frame per ptime; with a lead
 * (Twilio, which buffers) at most {@code leadNs} plus the frame being played is ever ahead of the caller.
 *
 * <h2>Partial frames and zero added delay</h2>
 * Frames are released whole. A complete frame is eligible at its deadline minus the lead; nothing else holds
 * it, so an agent that sends exactly one frame of bytes per chunk (the echo agent, a pass-through agent that
 * speaks in 20 ms frames) crosses the queue with no added delay: its turn starts at {@code nowNs} (or at the end
 * of the frame still playing) and the frame is eligible the moment it is offered. A shorter tail (fewer bytes
 * than a frame) waits for the bytes that complete it, because padding it early would insert silence in the
 * middle of a word. It is padded with the codec's silence byte ({@link AudioCodec#silenceByte()}) and released
 * only when the turn is over: after {@link #finishTurn()} or once no audio has been offered for
 * {@code partialHoldNs} (the agent paused), and never before its own deadline minus the lead.
 *
 * <h2>Barge-in: pause, then flush or resume</h2>
 * {@link #flush} drops everything pending in one call and ends the turn. The frame playing at that moment is
 * allowed to finish on the ptime grid, so an RTP sender that starts the next turn stays on its 20 ms cadence.
 * {@link #pause} stops releasing without dropping anything: the agent's further audio is still accepted (up to the
 * capacity) and, when the far end has thrown away audio it had been given and not yet played (Twilio's
 * {@code clear}), those bytes are put back in front of the queue. That is possible because the queue keeps the last
 * released bytes (the lead plus two frames, {@link #retainedBytesMax()}) in its ring until newer audio needs the room.
 * {@link #resume} starts a new turn on the playout grid from the first byte the caller did not hear, which may lie
 * inside a frame: from there on frames are cut from that byte.
 * <p>An agent that streams at real time and keeps streaming while paused (an echo, a plain stream, silence
 * included) would leave every pause behind as added latency, until the queue overflowed. So a resumed turn catches up:
 * it skips quiet frames (every sample within {@value #QUIET_LEVEL} of zero, about -54 dBFS) up to the smaller of the
 * pause's length and what the queue grew by during it ({@link #framesSkippedQuiet()}). Words are never skipped; an
 * agent that sent its turn ahead, or held it while paused, grows nothing and loses nothing.
 *
 * <h2>Capacity and storage</h2>
 * The queue holds up to {@code capacityMs} of pending audio (plus the few released frames it retains for a pause);
 * bytes beyond it are dropped and counted
 * ({@link #bytesDroppedOverflow()}), never thrown, and the call goes on. Storage starts at
 * {@link #INITIAL_STORAGE_MS} (or the capacity, if smaller) and doubles, up to the capacity, when an offer does not
 * fit. What the queue must hold is the lead plus whatever the agent sends ahead of real time: an agent that streams
 * at real time (the echo agent, a voice agent's realtime transport) keeps well under a second queued, so a call pays
 * 8 KiB of mu-law instead of 40 KiB for the default 5 s; an agent that bursts synthesized speech ahead grows its
 * call's storage once per doubling (at most three times up to 5 s), a one-off copy, not a per-frame allocation.
 *
 * <p>Threading: confined to the call's thread. Ownership: {@link #offer} copies the borrowed bytes;
 * {@link #poll} copies one frame into the caller's buffer. Allocates nothing after construction except to grow its
 * storage as above. Units: time in monotonic nanoseconds passed in by the caller, sizes in bytes of the caller's
 * format.
 */
public final class PacedOutboundQueue {
    /** Default lead for an edge that buffers at the far end (Twilio): enough to ride out event-loop jitter. */
    public static final long DEFAULT_LEAD_NS = 80_000_000L;
    /** Default capacity: 5 s of agent audio, more than any TTS burst ahead of real time. */
    public static final int DEFAULT_CAPACITY_MS = 5_000;
    /** Largest linear magnitude a quiet frame's samples may have when a resumed turn catches up (about -54 dBFS). */
    public static final int QUIET_LEVEL = 64;
    /** Storage a queue starts with: a second, far more than real-time streaming keeps queued (lead plus jitter). */
    public static final int INITIAL_STORAGE_MS = 1_000;

    private final int frameBytes;
    private final long ptimeNs;
    private final long leadNs;
    private final long partialHoldNs;
    private final byte silenceByte;
    private final int capacityBytes;
    private final int retainBytes;
    private final int bytesPerSample;
    private final int bytesPerMs;
    private final UnsafeBuffer ringBuffer;
    private byte[] ring;
    private long[] frameReadyNs;

    /** Oldest released byte still kept for {@link #pause}: {@code retainFrom <= head <= tail}. */
    private long retainFrom;
    private long head;
    private long tail;
    private long headFrameSeq;

    private long turnStartNs;
    private long framesReleasedInTurn;
    private long playoutEndNs = Long.MIN_VALUE;
    private long lastOfferNs;
    private boolean turnFinished;
    private long lastReleaseDelayNs;
    private boolean paused;
    private long pausedAtNs;
    private long pendingAtPause;
    private long catchUpBytes;
    /** Per code of a one-byte codec, whether it is quiet; null for wider codecs, which never skip. */
    private final boolean[] quietCode;

    private long framesQueued;
    private long framesReleased;
    private long bytesDroppedOverflow;
    private long framesFlushed;
    private long flushes;
    private long framesPadded;
    private long pauses;
    private long bytesRewound;
    private long framesSkippedQuiet;

    /**
     * A queue for {@code format} holding up to {@code capacityMs} of audio.
     *
     * @param format        the caller's format; its ptime is the release period
     * @param capacityMs    how much audio may be pending, at least one ptime
     * @param leadNs        how far ahead of the caller's playout a frame may be released, {@code >= 0}
     * @param partialHoldNs how long a tail shorter than a frame waits for more audio before it is padded, {@code > 0}
     * @throws IllegalArgumentException naming the bad value
     */
    public PacedOutboundQueue(final AudioFormat format, final int capacityMs, final long leadNs, final long partialHoldNs) {
        if (format == null) {
            throw new IllegalArgumentException("format must not be null");
        }
        if (capacityMs < format.ptimeMs()) {
            throw new IllegalArgumentException("capacityMs must hold at least one frame (" + format.ptimeMs() + " ms), was "
                + capacityMs);
        }
        if (leadNs < 0) {
            throw new IllegalArgumentException("leadNs must not be negative, was " + leadNs);
        }
        if (partialHoldNs <= 0) {
            throw new IllegalArgumentException("partialHoldNs must be positive, was " + partialHoldNs);
        }
        this.frameBytes = format.bytesPerFrame();
        this.ptimeNs = format.ptimeMs() * 1_000_000L;
        this.leadNs = leadNs;
        this.partialHoldNs = partialHoldNs;
        this.silenceByte = format.encoding().codec().silenceByte();
        this.capacityBytes = Math.multiplyExact(capacityMs, format.bytesPerMs());
        // What the far end may hold unplayed: the lead, the frame playing and one frame of rounding.
        this.retainBytes = (int) ((leadNs + ptimeNs - 1) / ptimeNs + 2) * frameBytes;
        this.bytesPerSample = format.encoding().codec().bytesPerSample();
        this.bytesPerMs = format.bytesPerMs();
        this.quietCode = bytesPerSample == 1 ? quietCodes(format.encoding().codec()) : null;
        this.ring = new byte[Math.min(capacityBytes + retainBytes, INITIAL_STORAGE_MS * format.bytesPerMs())];
        this.ringBuffer = new UnsafeBuffer(ring);
        this.frameReadyNs = new long[ring.length / frameBytes + 1];
    }

    private static boolean[] quietCodes(final AudioCodec codec) {
        final UnsafeBuffer codes = new UnsafeBuffer(new byte[256]);
        for (int i = 0; i < 256; i++) {
            codes.putByte(i, (byte) i);
        }
        final short[] linear = new short[256];
        codec.decode(codes, 0, linear, 0, 256);
        final boolean[] quiet = new boolean[256];
        for (int i = 0; i < 256; i++) {
            quiet[i] = Math.abs(linear[i]) <= QUIET_LEVEL;
        }
        return quiet;
    }

    /** A queue for {@code format} whose partial tails wait two ptimes for more audio. */
    public PacedOutboundQueue(final AudioFormat format, final int capacityMs, final long leadNs) {
        this(format, capacityMs, leadNs, 2L * format.ptimeMs() * 1_000_000L);
    }

    /**
     * Appends agent audio; starts a turn when the queue held nothing.
     *
     * @return bytes accepted; the rest did not fit and is counted in {@link #bytesDroppedOverflow()}
     */
    public int offer(final DirectBuffer src, final int offset, final int length, final long nowNs) {
        if (length <= 0) {
            return 0;
        }
        final int pending = (int) (tail - head);
        if (pending == 0) {
            turnStartNs = Math.max(nowNs, playoutEndNs);
            framesReleasedInTurn = 0;
            catchUpBytes = 0;
        }
        final int accepted = Math.min(length, capacityBytes - pending);
        if (accepted < length) {
            bytesDroppedOverflow += length - accepted;
        }
        if (accepted == 0) {
            return 0;
        }
        final int occupied = (int) (tail - retainFrom);
        if (occupied + accepted > ring.length) {
            grow(occupied + accepted);
        }
        final int start = (int) (tail % ring.length);
        final int first = Math.min(accepted, ring.length - start);
        src.getBytes(offset, ring, start, first);
        if (first < accepted) {
            src.getBytes(offset + first, ring, 0, accepted - first);
        }
        tail += accepted;
        final int completeBefore = pending / frameBytes;
        final int completeAfter = (pending + accepted) / frameBytes;
        for (int i = completeBefore; i < completeAfter; i++) {
            frameReadyNs[(int) ((headFrameSeq + i) % frameReadyNs.length)] = nowNs;
        }
        framesQueued += completeAfter - completeBefore;
        lastOfferNs = nowNs;
        turnFinished = false;
        return accepted;
    }

    private void grow(final int neededBytes) {
        final int length = Math.min(capacityBytes + retainBytes, Math.max(neededBytes, 2 * ring.length));
        final byte[] bigger = new byte[length];
        // Every byte and frame time stays at its absolute position modulo the new length, so retainFrom, head, tail
        // and headFrameSeq keep their meaning.
        long pos = retainFrom;
        while (pos < tail) {
            final int from = (int) (pos % ring.length);
            final int to = (int) (pos % length);
            final int n = (int) Math.min(tail - pos, Math.min(ring.length - from, length - to));
            System.arraycopy(ring, from, bigger, to, n);
            pos += n;
        }
        final long[] biggerReadyNs = new long[length / frameBytes + 1];
        final long completeFrames = (tail - head) / frameBytes;
        for (long seq = headFrameSeq; seq < headFrameSeq + completeFrames; seq++) {
            biggerReadyNs[(int) (seq % biggerReadyNs.length)] = frameReadyNs[(int) (seq % frameReadyNs.length)];
        }
        ring = bigger;
        frameReadyNs = biggerReadyNs;
        ringBuffer.wrap(bigger);
    }

    /**
     * Declares that the agent's current utterance is complete: a trailing partial frame is padded with silence
     * and released at its deadline instead of waiting {@code partialHoldNs} for more audio.
     */
    public void finishTurn() {
        if (tail != head) {
            turnFinished = true;
        }
    }

    /**
     * Copies the next frame into {@code out} when it is eligible at {@code nowNs}.
     *
     * @return the frame's byte count (always one full frame), or 0 when nothing is eligible yet
     */
    public int poll(final long nowNs, final MutableDirectBuffer out, final int outOffset) {
        final long eligibleNs = nextReleaseNs();
        if (eligibleNs > nowNs) {
            return 0;
        }
        while (catchUpBytes >= frameBytes && tail - head > frameBytes && headFrameQuiet()) {
            // The skipped frame's playout slot goes to the next one: that is the catching up.
            head += frameBytes;
            // Released bytes must stay contiguous for a pause to put them back: the skipped frame breaks that.
            retainFrom = head;
            headFrameSeq++;
            catchUpBytes -= frameBytes;
            framesSkippedQuiet++;
        }
        final int pending = (int) (tail - head);
        final int take = Math.min(pending, frameBytes);
        final int start = (int) (head % ring.length);
        final int first = Math.min(take, ring.length - start);
        out.putBytes(outOffset, ringBuffer, start, first);
        if (first < take) {
            out.putBytes(outOffset + first, ringBuffer, 0, take - first);
        }
        final long readyNs;
        if (take < frameBytes) {
            out.setMemory(outOffset + take, frameBytes - take, silenceByte);
            framesQueued++;
            framesPadded++;
            readyNs = lastOfferNs;
        } else {
            readyNs = frameReadyNs[(int) (headFrameSeq % frameReadyNs.length)];
        }
        final long deadlineNs = currentDeadlineNs();
        lastReleaseDelayNs = Math.max(0L, nowNs - Math.max(readyNs, deadlineNs - leadNs));
        head += take;
        retainFrom = Math.max(retainFrom, head - retainBytes);
        headFrameSeq++;
        framesReleasedInTurn++;
        framesReleased++;
        playoutEndNs = Math.max(playoutEndNs, nowNs) + ptimeNs;
        if (head == tail) {
            turnFinished = false;
        }
        return frameBytes;
    }

    private boolean headFrameQuiet() {
        for (int i = 0; i < frameBytes; i++) {
            if (!quietCode[ring[(int) ((head + i) % ring.length)] & 0xFF]) {
                return false;
            }
        }
        return true;
    }

    /**
     * When {@link #poll} will next return a frame: a time at or before {@code nowNs} means now,
     * {@link Long#MAX_VALUE} means nothing is pending.
     */
    public long nextReleaseNs() {
        final long pending = tail - head;
        if (pending == 0 || paused) {
            return Long.MAX_VALUE;
        }
        final long dueNs = currentDeadlineNs() - leadNs;
        if (pending >= frameBytes || turnFinished) {
            return dueNs;
        }
        return Math.max(dueNs, lastOfferNs + partialHoldNs);
    }

    /**
     * Barge-in: drops every pending byte of the current turn and ends the turn.
     *
     * @return frames dropped (a partial tail counts as one)
     */
    public int flush(final long nowNs) {
        final long pending = tail - head;
        final int dropped = (int) ((pending + frameBytes - 1) / frameBytes);
        head = tail;
        retainFrom = head;
        paused = false;
        catchUpBytes = 0;
        headFrameSeq += dropped;
        turnFinished = false;
        framesReleasedInTurn = 0;
        if (playoutEndNs > nowNs) {
            // The far end can stop at a frame boundary at best: keep the frame now playing, forget the rest.
            final long framesAhead = (playoutEndNs - nowNs) / ptimeNs;
            playoutEndNs -= framesAhead * ptimeNs;
        }
        framesFlushed += dropped;
        flushes++;
        return dropped;
    }

    /**
     * Barge-in suspected: stops releasing (until {@link #resume} or {@link #flush}) and puts back in front of the
     * queue the last {@code unheardBytes} released bytes, which the far end dropped without playing. Audio offered
     * while paused is kept, up to the capacity. Idempotent while paused (a second call puts nothing back).
     *
     * @param unheardBytes released bytes the caller will not hear, as the edge knows them (0 for an edge that plays
     *                     everything it was sent, such as RTP); rounded down to whole samples and capped at what
     *                     the queue retains ({@link #unplayedReleasedBytes}'s estimate never exceeds that)
     * @return the bytes put back
     */
    public int pause(final long nowNs, final int unheardBytes) {
        if (paused) {
            return 0;
        }
        paused = true;
        pausedAtNs = nowNs;
        pauses++;
        final int rewind = (int) Math.min(Math.max(0, unheardBytes) / bytesPerSample * bytesPerSample, head - retainFrom);
        if (rewind > 0) {
            head -= rewind;
            bytesRewound += rewind;
            playoutEndNs -= rewind * 1_000_000L / bytesPerMs;
        }
        pendingAtPause = tail - head;
        turnFinished = turnFinished && tail != head;
        return rewind;
    }

    /**
     * Released bytes that have not played yet by the playout clock at {@code nowNs}: what the far end holds, given
     * that it plays at real time from the first release on. Capped at the bytes the queue retains.
     */
    public int unplayedReleasedBytes(final long nowNs) {
        if (playoutEndNs <= nowNs) {
            return 0;
        }
        final long bytes = (playoutEndNs - nowNs) * bytesPerMs / 1_000_000L;
        return (int) Math.min(bytes, head - retainFrom);
    }

    /**
     * The suspected barge-in was false: releasing starts again, as a new turn anchored at the later of {@code nowNs}
     * and the end of what is still playing, from the first byte the caller did not hear.
     */
    public void resume(final long nowNs) {
        if (!paused) {
            return;
        }
        paused = false;
        turnStartNs = Math.max(nowNs, playoutEndNs);
        framesReleasedInTurn = 0;
        if (quietCode != null) {
            catchUpBytes = Math.min(Math.max(0L, nowNs - pausedAtNs) * bytesPerMs / 1_000_000L,
                Math.max(0L, tail - head - pendingAtPause));
        }
        // Everything pending counts as ready now: the pause was the caller's, not gateway latency (and a rewind cut the
        // frames from a new byte boundary, so their old times no longer match them anyway).
        final long complete = (tail - head) / frameBytes;
        for (long seq = headFrameSeq; seq < headFrameSeq + complete; seq++) {
            frameReadyNs[(int) (seq % frameReadyNs.length)] = nowNs;
        }
    }

    /** Whether releasing is paused ({@link #pause}). */
    public boolean paused() {
        return paused;
    }

    /** Most released bytes kept for a pause to put back: the lead plus two frames. */
    public int retainedBytesMax() {
        return retainBytes;
    }

    /** Times {@link #pause} took effect. */
    public long pauses() {
        return pauses;
    }

    /** Quiet frames a resumed turn skipped to catch up the time its pause cost. */
    public long framesSkippedQuiet() {
        return framesSkippedQuiet;
    }

    /** Bytes {@link #pause} put back in front of the queue. */
    public long bytesRewound() {
        return bytesRewound;
    }

    /** Whether audio already released is still playing at the caller at {@code nowNs}. */
    public boolean callerHearingAudio(final long nowNs) {
        return nowNs < playoutEndNs;
    }

    /** When the caller finishes hearing what was released so far ({@link Long#MIN_VALUE} before any release). */
    public long playoutEndNs() {
        return playoutEndNs;
    }

    /** Whether audio is pending (a turn is in progress). */
    public boolean hasPending() {
        return tail != head;
    }

    /** Bytes pending, including a partial tail. */
    public int pendingBytes() {
        return (int) (tail - head);
    }

    /**
     * Gateway-added delay of the frame last returned by {@link #poll}: release time minus the later of the moment
     * its last byte arrived and its deadline minus the lead, so intentional pacing never counts.
     */
    public long lastReleaseDelayNs() {
        return lastReleaseDelayNs;
    }

    /** Bytes in one frame. */
    public int frameBytes() {
        return frameBytes;
    }

    /** The configured lead. */
    public long leadNs() {
        return leadNs;
    }

    /** Pending bytes the queue can hold. */
    public int capacityBytes() {
        return capacityBytes;
    }

    /**
     * Bytes of storage allocated now: from {@link #INITIAL_STORAGE_MS} up to {@link #capacityBytes()} plus
     * {@link #retainedBytesMax()}.
     */
    public int storageBytes() {
        return ring.length;
    }

    /** Frames that became complete in the queue (padded tails included). */
    public long framesQueued() {
        return framesQueued;
    }

    /** Frames handed out by {@link #poll}. */
    public long framesReleased() {
        return framesReleased;
    }

    /** Bytes dropped because the queue was full. */
    public long bytesDroppedOverflow() {
        return bytesDroppedOverflow;
    }

    /** {@link #bytesDroppedOverflow()} in frames, rounded up. */
    public long framesDroppedOverflow() {
        return (bytesDroppedOverflow + frameBytes - 1) / frameBytes;
    }

    /** Frames dropped by {@link #flush}. */
    public long framesFlushed() {
        return framesFlushed;
    }

    /** Times {@link #flush} was called. */
    public long flushes() {
        return flushes;
    }

    /** Partial tails released padded with silence. */
    public long framesPadded() {
        return framesPadded;
    }

    private long currentDeadlineNs() {
        return turnStartNs + framesReleasedInTurn * ptimeNs;
    }
}
