package io.voxgate.core.record;

import io.voxgate.core.audio.AudioFormat;
import java.util.Objects;
import org.agrona.DirectBuffer;

/**
 * One call's recording on the media path: copies the caller's audio as it entered the gateway and the agent's
 * frames as they were handed to the caller's leg into the node's {@link RecordingRing}, each at its position on the
 * call's media clock, and keeps the recording's state and paused spans for the call's record. It never touches the
 * disk and allocates nothing per frame.
 *
 * <h2>Positions</h2>
 * A position is a sample count from the moment the recording started ({@link #start}). Caller audio is laid end to
 * end: a chunk goes where the previous one ended, unless that lags the clock by more than
 * {@link #CALLER_LATE_TOLERANCE_MS}; then the missing audio is left as silence and the chunk goes at the clock, so a
 * gap in the caller's stream is silence at its slots while network jitter shorter than the tolerance costs nothing.
 * A caller chunk more than {@link #CALLER_MAX_LEAD_MS} ahead of the clock (a burst faster than real time) is dropped
 * and counted. Agent frames go at the moment the session's playout clock says they start playing, which is where the
 * caller hears them, lead included. Where nothing was handed to the caller the writer writes silence, the comfort
 * silence an RTP edge sends.
 *
 * <h2>Cuts and pauses</h2>
 * When the session pauses or flushes a turn, the agent's frames it had already released beyond that moment were never
 * heard: {@link #onAgentCut} turns them into silence again. A {@link #pause} silences both channels from its moment
 * until {@link #resume}, and the span is kept for the call's record (PCI: card numbers spoken while paused are in no
 * file).
 *
 * <p>Threading: every method but the racy readers ({@link #state()}, {@link #endPosition()}, {@link #pausedSpansJson()}
 * after the end) runs on the call's thread. Units: positions in samples at the caller's rate, spans in ms from the
 * recording's start.
 */
public final class RecordingTap {
    /** Where a recording is in its life. */
    public enum State {
        /** Not started (on-request) or not recorded at all. */
        OFF,
        /** Writing both channels. */
        RECORDING,
        /** Writing silence on both channels. */
        PAUSED,
        /** Finished: the file is being closed or was; a call is recorded at most once. */
        STOPPED
    }

    /** Caller audio later than this against the clock leaves silence behind it (two 20 ms frames of jitter). */
    public static final int CALLER_LATE_TOLERANCE_MS = 40;
    /** Caller audio further ahead of the clock than this is dropped: no real caller sends half a second early. */
    public static final int CALLER_MAX_LEAD_MS = 500;
    /** Paused spans kept for the call's record; a call paused more often has its later spans merged into the last. */
    public static final int MAX_PAUSED_SPANS = 32;
    /** Channel of the caller's audio (left). */
    public static final int CALLER = 0;
    /** Channel of the agent's audio as the caller heard it (right). */
    public static final int AGENT = 1;
    /** Mask of both channels. */
    public static final int BOTH = 3;

    private final RecordingRing ring;
    private final int id;
    private final String callId;
    private final String path;
    private final AudioFormat format;
    private final int sampleRateHz;
    private final int bytesPerSample;
    private final long toleranceSamples;
    private final long maxLeadSamples;
    private final long[] pausedSpansMs = new long[2 * MAX_PAUSED_SPANS];
    private int pausedSpans;
    private volatile State state = State.OFF;
    private volatile long endPosition = -1;
    private boolean recording;
    private long originNs;
    private long callerNext;
    private long pausedAtNs;
    private long framesDroppedAhead;
    private long framesDroppedFull;

    /**
     * A tap for call {@code callId}, whose caller speaks {@code format}; nothing is recorded before {@link #start}.
     */
    public RecordingTap(final RecordingRing ring, final String callId, final AudioFormat format) {
        this.ring = Objects.requireNonNull(ring, "ring");
        this.callId = Objects.requireNonNull(callId, "callId");
        this.format = Objects.requireNonNull(format, "format");
        this.id = ring.nextId();
        this.path = ring.pathOf(callId);
        this.sampleRateHz = format.sampleRateHz();
        this.bytesPerSample = format.encoding().bytesPerSample();
        this.toleranceSamples = (long) sampleRateHz * CALLER_LATE_TOLERANCE_MS / 1_000L;
        this.maxLeadSamples = (long) sampleRateHz * CALLER_MAX_LEAD_MS / 1_000L;
    }

    /** Starts recording at {@code nowNs}; false when it already started (a call is recorded at most once). */
    public boolean start(final long nowNs) {
        if (state != State.OFF) {
            return false;
        }
        originNs = nowNs;
        callerNext = 0;
        recording = true;
        state = State.RECORDING;
        ring.open(this);
        return true;
    }

    /** Pauses: silence on both channels from {@code nowNs}; false unless recording. */
    public boolean pause(final long nowNs) {
        if (state != State.RECORDING) {
            return false;
        }
        recording = false;
        pausedAtNs = nowNs;
        ring.writeErase(id, BOTH, positionAt(nowNs));
        state = State.PAUSED;
        return true;
    }

    /** Resumes a paused recording at {@code nowNs}; the span is kept; false unless paused. */
    public boolean resume(final long nowNs) {
        if (state != State.PAUSED) {
            return false;
        }
        keepPausedSpan(nowNs);
        callerNext = positionAt(nowNs);
        recording = true;
        state = State.RECORDING;
        return true;
    }

    /** Stops at {@code nowNs}: the file ends here and is closed by the writer; false unless recording or paused. */
    public boolean stop(final long nowNs) {
        final State was = state;
        if (was != State.RECORDING && was != State.PAUSED) {
            return false;
        }
        if (was == State.PAUSED) {
            keepPausedSpan(nowNs);
        }
        recording = false;
        state = State.STOPPED;
        // Written last: the writer reads it to learn that every record of this recording is already in the ring.
        endPosition = positionAt(nowNs);
        return true;
    }

    /** Caller audio as it entered the gateway, in the caller's format (borrowed). */
    public void onCallerAudio(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
        if (!recording) {
            return;
        }
        final long clock = positionAt(nowNs);
        final long at = Math.max(callerNext, clock - toleranceSamples);
        if (at > clock + maxLeadSamples) {
            framesDroppedAhead++;
            return;
        }
        callerNext = at + length / bytesPerSample;
        if (!ring.writeAudio(id, CALLER, at, audio, offset, length)) {
            framesDroppedFull++;
        }
    }

    /** An agent frame handed to the caller's leg, which the caller hears from {@code playStartNs} (borrowed). */
    public void onAgentFrame(final DirectBuffer audio, final int offset, final int length, final long playStartNs) {
        if (!recording) {
            return;
        }
        if (!ring.writeAudio(id, AGENT, Math.max(0L, positionAt(playStartNs)), audio, offset, length)) {
            framesDroppedFull++;
        }
    }

    /** The caller stops hearing the agent at {@code fromNs} (a pause or flushed turn): later agent audio is silence. */
    public void onAgentCut(final long fromNs) {
        if (recording) {
            ring.writeErase(id, 1 << AGENT, Math.max(0L, positionAt(fromNs)));
        }
    }

    private long positionAt(final long nowNs) {
        return (nowNs - originNs) * sampleRateHz / 1_000_000_000L;
    }

    private void keepPausedSpan(final long nowNs) {
        final long fromMs = (pausedAtNs - originNs) / 1_000_000L;
        final long toMs = (nowNs - originNs) / 1_000_000L;
        if (pausedSpans == MAX_PAUSED_SPANS) {
            pausedSpansMs[2 * MAX_PAUSED_SPANS - 1] = toMs;
            return;
        }
        pausedSpansMs[2 * pausedSpans] = fromMs;
        pausedSpansMs[2 * pausedSpans + 1] = toMs;
        pausedSpans++;
    }

    /** The recording's id in the ring. */
    public int id() {
        return id;
    }

    /** The call's id. */
    public String callId() {
        return callId;
    }

    /** The file the recording ends up in ({@code <dir>/<name>.wav}). */
    public String path() {
        return path;
    }

    /** The caller's format: the format of both channels in the ring. */
    public AudioFormat format() {
        return format;
    }

    /** Where the recording is; racy from other threads. */
    public State state() {
        return state;
    }

    /** The recording's length in samples once stopped, else -1; safe on any thread. */
    public long endPosition() {
        return endPosition;
    }

    /** Caller chunks dropped for arriving more than {@link #CALLER_MAX_LEAD_MS} ahead of the clock. */
    public long framesDroppedAhead() {
        return framesDroppedAhead;
    }

    /** Frames of this call dropped because the ring was full. */
    public long framesDroppedFull() {
        return framesDroppedFull;
    }

    /**
     * The paused spans as JSON, {@code [[startMs,endMs],...]} in ms from the recording's start; read once the call
     * has ended (or racily). Allocates: for the call's record, off the media path.
     */
    public String pausedSpansJson() {
        final StringBuilder json = new StringBuilder(2 + pausedSpans * 16).append('[');
        for (int i = 0; i < pausedSpans; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append('[').append(pausedSpansMs[2 * i]).append(',').append(pausedSpansMs[2 * i + 1]).append(']');
        }
        return json.append(']').toString();
    }

    /** How many paused spans were kept. */
    public int pausedSpanCount() {
        return pausedSpans;
    }
}
