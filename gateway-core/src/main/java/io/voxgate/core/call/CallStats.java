package io.voxgate.core.call;

import io.voxgate.core.pipeline.PacedOutboundQueue;
import io.voxgate.core.pipeline.PreConnectBuffer;
import io.voxgate.core.record.RecordingTap;
import io.voxgate.core.transfer.TransferRequest;
import io.voxgate.core.transfer.TransferState;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.IntCountsHistogram;

/**
 * Per-call counters and latency histograms, for metrics and the call report.
 *
 * <h2>Latency, twice</h2>
 * Every latency is recorded into the node-wide {@link CallLatencyRecorders} of the call's thread and edge (two
 * significant digits; what the metrics export) and into this call's own histograms, which keep the call's whole
 * history for its report at one significant digit: values up to 31 us exactly, larger ones within 1/16 (6 %),
 * in about 1.4 KiB each where a two-digit histogram would take 9 KiB (int counts) to 18 KiB. Barge-in reaction is
 * recorded node-wide only; a call's barge-ins are counted here.
 *
 * <p>Threading: written only by the call's thread (plain fields, single writer); a metrics scrape may read the
 * counters from another thread and see values slightly stale, never torn on a 64-bit JVM. The call's own histograms
 * are read by the call report on the call's thread as it ends; another thread reading them sees a racy, possibly
 * stale copy. Recording allocates nothing and takes no lock (the first value a call records on a thread that has
 * never run a call of its edge makes that thread's recorders). Units: microseconds, clamped to
 * {@link #MAX_RECORDED_US}.
 */
public final class CallStats {
    /** Largest latency recorded (10 s); larger values are recorded as this and counted. */
    public static final long MAX_RECORDED_US = 10_000_000L;
    /** Significant digits of a call's own histograms. */
    public static final int CALL_HISTOGRAM_DIGITS = 1;

    private final PacedOutboundQueue queue;
    private final PreConnectBuffer preConnect;
    private final CallLatencyRecorders nodeLatency;
    private final String edge;
    private final IntCountsHistogram inboundLatencyUs = new IntCountsHistogram(MAX_RECORDED_US, CALL_HISTOGRAM_DIGITS);
    private final IntCountsHistogram outboundLatencyUs = new IntCountsHistogram(MAX_RECORDED_US, CALL_HISTOGRAM_DIGITS);
    private final IntCountsHistogram agentFirstAudioUs = new IntCountsHistogram(MAX_RECORDED_US, CALL_HISTOGRAM_DIGITS);
    private CallLatencyRecorders.Recorders threadLatency;

    long framesFromCaller;
    long bytesFromCaller;
    long framesToAgent;
    long framesFromAgent;
    long bytesFromAgent;
    long framesToCaller;
    long framesDroppedNotConnected;
    long framesDroppedEnded;
    long framesDroppedAtEnd;
    long digitsToAgent;
    long digitsDroppedNotConnected;
    long digitsToCaller;
    long digitsToCallerRefused;
    long digitsToCallerDroppedEnded;
    long digitRequestsDroppedInvalid;
    long bargeIns;
    long failures;
    long recordingRequestsRefused;
    RecordingTap recording;
    long bargeInsFromAgent;
    long bargeInsFromVad;
    long bargeInsFromCommand;
    long bargeInsIgnoredSilent;
    long bargeInsIgnoredRepeat;
    long bargeInPauses;
    long bargeInsResumed;
    long audioResumedMs;
    long bargeInPausedNs;
    long vadOnsets;
    long agentEvents;
    long transfersRequested;
    long agentLosses;
    long agentReconnects;
    long agentReconnectAttempts;
    long lastReconnectToAudioNs = -1;
    volatile String agentFallback;
    long transfersRefusedBusy;
    /** The call's latest transfer (written once per transfer, read racily by the admin API), or null. */
    volatile TransferRequest transfer;
    volatile TransferState transferState;
    volatile String transferDetail = "";
    long transferStartedNs;
    long transferAcceptedNs = -1;
    long transferEndedNs = -1;
    long latenciesClamped;
    long agentConnectNs = -1;
    long startedNs;
    long answeredNs = -1;
    long endedNs = -1;
    String endReason;
    EndedBy endedBy;
    CallState state = CallState.CREATED;
    private final String from;
    private final String to;
    private final String codec;
    private final CallerMediaQuality callerMedia = new CallerMediaQuality();

    CallStats(final PacedOutboundQueue queue, final PreConnectBuffer preConnect, final CallLatencyRecorders nodeLatency,
              final String edge) {
        this(queue, preConnect, nodeLatency, edge, "", "", "");
    }

    CallStats(final PacedOutboundQueue queue, final PreConnectBuffer preConnect, final CallLatencyRecorders nodeLatency,
              final String edge, final String from, final String to, final String codec) {
        this.queue = queue;
        this.preConnect = preConnect;
        this.nodeLatency = nodeLatency;
        this.edge = edge;
        this.from = from;
        this.to = to;
        this.codec = codec;
    }

    /**
     * The call's recording tap, or {@code null} when the node records nothing; its state, path and paused spans are
     * read racily by the admin API and once at the end for the call's record.
     */
    public RecordingTap recording() {
        return recording;
    }

    /** Recording requests (admin API or agent) that were impossible when they arrived: ignored. */
    public long recordingRequestsRefused() {
        return recordingRequestsRefused;
    }

    void recordInbound(final long latencyNs) {
        final long us = clampUs(latencyNs);
        inboundLatencyUs.recordValue(us);
        threadLatency().recordInbound(us);
    }

    void recordOutbound(final long latencyNs) {
        final long us = clampUs(latencyNs);
        outboundLatencyUs.recordValue(us);
        threadLatency().recordOutbound(us);
    }

    void recordAgentFirstAudio(final long latencyNs) {
        agentFirstAudioUs.recordValue(clampUs(latencyNs));
    }

    void recordBargeInReaction(final long reactionNs) {
        threadLatency().recordBargeInReaction(clampUs(reactionNs));
    }

    void recordBargeInPauseReaction(final long toPauseNs, final long toClearNs) {
        threadLatency().recordPauseReaction(clampUs(toPauseNs), clampUs(toClearNs));
    }

    void recordBargeInPause(final long pauseNs) {
        bargeInPausedNs += Math.max(0L, pauseNs);
        threadLatency().recordPause(clampUs(pauseNs));
    }

    private CallLatencyRecorders.Recorders threadLatency() {
        // Resolved on the first value, which is recorded on the call's thread: the thread the call is confined to.
        if (threadLatency == null) {
            threadLatency = nodeLatency.forCurrentThread(edge);
        }
        return threadLatency;
    }

    private long clampUs(final long ns) {
        final long us = Math.max(0L, ns) / 1_000L;
        if (us > MAX_RECORDED_US) {
            latenciesClamped++;
            return MAX_RECORDED_US;
        }
        return us;
    }

    /**
     * This call's gateway-added latency caller -> agent over its whole life: from caller audio arrival to hand-off
     * to the agent, pre-connect wait excluded. One significant digit; read it on the call's thread.
     */
    public AbstractHistogram inboundLatencyUs() {
        return inboundLatencyUs;
    }

    /**
     * This call's gateway-added latency agent -> caller over its whole life: release time minus the later of the
     * audio's arrival and its pacing deadline minus the lead, so intentional pacing never counts. One significant
     * digit; read it on the call's thread.
     */
    public AbstractHistogram outboundLatencyUs() {
        return outboundLatencyUs;
    }

    /**
     * This call's agent response time per caller turn: from the end of the caller's utterance (the VAD's offset less
     * its hangover) to the first agent audio after it; a turn the caller resumes before the agent answers is not
     * counted. One significant digit; read it on the call's thread.
     */
    public AbstractHistogram agentFirstAudioUs() {
        return agentFirstAudioUs;
    }

    /** Times the agent's turn paused on a VAD onset over it (a suspected barge-in). */
    public long bargeInPauses() {
        return bargeInPauses;
    }

    /** Pauses that turned out to be false (a backchannel, a short noise) and resumed the agent's turn. */
    public long bargeInsResumed() {
        return bargeInsResumed;
    }

    /** Audio the agent's turns resumed with after false pauses, in ms: what a flush at the onset would have lost. */
    public long audioResumedMs() {
        return audioResumedMs;
    }

    /** Total time the agent's turns spent paused, confirmed or resumed, in ms. */
    public long bargeInPausedMs() {
        return bargeInPausedNs / 1_000_000L;
    }

    /** Caller audio chunks received from the edge. */
    public long framesFromCaller() {
        return framesFromCaller;
    }

    /** Caller audio bytes received from the edge. */
    public long bytesFromCaller() {
        return bytesFromCaller;
    }

    /** Audio chunks handed to the agent. */
    public long framesToAgent() {
        return framesToAgent;
    }

    /** Agent audio chunks received. */
    public long framesFromAgent() {
        return framesFromAgent;
    }

    /** Agent audio bytes received. */
    public long bytesFromAgent() {
        return bytesFromAgent;
    }

    /** Paced frames sent to the caller. */
    public long framesToCaller() {
        return framesToCaller;
    }

    /** Caller frames dropped because the pre-connect buffer was full (or disabled). */
    public long framesDroppedPreConnect() {
        return preConnect.framesDropped();
    }

    /** Caller frames dropped because they arrived while the call was not in a state to carry them. */
    public long framesDroppedNotConnected() {
        return framesDroppedNotConnected;
    }

    /** Audio (either direction) that arrived after the call began ending. */
    public long framesDroppedEnded() {
        return framesDroppedEnded;
    }

    /** Agent frames still queued when the call ended. */
    public long framesDroppedAtEnd() {
        return framesDroppedAtEnd;
    }

    /** Agent audio frames dropped because the paced queue was full. */
    public long framesDroppedOverflow() {
        return queue.framesDroppedOverflow();
    }

    /** Agent audio frames dropped by barge-in flushes. */
    public long framesFlushed() {
        return queue.framesFlushed();
    }

    /** Partial agent frames padded with silence at the end of a turn. */
    public long framesPadded() {
        return queue.framesPadded();
    }

    /** DTMF digits delivered to the agent. */
    public long digitsToAgent() {
        return digitsToAgent;
    }

    /** DTMF digits dropped because the agent was not connected. */
    public long digitsDroppedNotConnected() {
        return digitsDroppedNotConnected;
    }

    /** DTMF digits the agent asked for that the caller's leg accepted for sending. */
    public long digitsToCaller() {
        return digitsToCaller;
    }

    /** DTMF digits the agent asked for that the caller's leg could not send (edge without DTMF out, no room, ended). */
    public long digitsToCallerRefused() {
        return digitsToCallerRefused;
    }

    /** DTMF digits the agent asked for after the call began ending. */
    public long digitsToCallerDroppedEnded() {
        return digitsToCallerDroppedEnded;
    }

    /** Agent digit requests dropped whole: null, empty, too long, or holding a character that is no DTMF digit. */
    public long digitRequestsDroppedInvalid() {
        return digitRequestsDroppedInvalid;
    }

    /** Accepted barge-ins (each flushed the queue and cleared the caller's playback once). */
    public long bargeIns() {
        return bargeIns;
    }

    /** Bugs that ended this call (a command or a tick threw): 0 or 1. */
    public long failures() {
        return failures;
    }

    /** Accepted barge-ins signalled by the agent. */
    public long bargeInsFromAgent() {
        return bargeInsFromAgent;
    }

    /** Accepted barge-ins detected by the local VAD. */
    public long bargeInsFromVad() {
        return bargeInsFromVad;
    }

    /** Accepted barge-ins requested by a command from another thread. */
    public long bargeInsFromCommand() {
        return bargeInsFromCommand;
    }

    /** Barge-in signals ignored because the agent was not speaking. */
    public long bargeInsIgnoredSilent() {
        return bargeInsIgnoredSilent;
    }

    /** Barge-in signals ignored because this agent turn was already interrupted. */
    public long bargeInsIgnoredRepeat() {
        return bargeInsIgnoredRepeat;
    }

    /** Caller utterances the local VAD confirmed. */
    public long vadOnsets() {
        return vadOnsets;
    }

    /** Times the agent's connection failed mid-call. */
    public long agentLosses() {
        return agentLosses;
    }

    /** Times a new agent took over after a failure (reconnected within the window). */
    public long agentReconnects() {
        return agentReconnects;
    }

    /** New agents tried after failures, those that failed included. */
    public long agentReconnectAttempts() {
        return agentReconnectAttempts;
    }

    /** From the latest failure to the new agent's first audio, ns; -1 when none came. */
    public long lastReconnectToAudioNs() {
        return lastReconnectToAudioNs;
    }

    /** The fallback taken when reconnecting failed ({@code hangup}, {@code transfer}, {@code agent:NAME}), or null. */
    public String agentFallback() {
        return agentFallback;
    }

    /** Transfers asked for in this call (by an operator or the agent). */
    public long transfersRequested() {
        return transfersRequested;
    }

    /** Transfers refused because another was still under way. */
    public long transfersRefusedBusy() {
        return transfersRefusedBusy;
    }

    /** The call's latest transfer, or {@code null} when none was asked for. */
    public TransferRequest transfer() {
        return transfer;
    }

    /** Where the latest transfer stands, or {@code null} when none was asked for. */
    public TransferState transferState() {
        return transferState;
    }

    /** Why the latest transfer is where it is, in a few safe words (a status line, a deadline); empty at first. */
    public String transferDetail() {
        return transferDetail;
    }

    /** When the latest transfer was handed to the edge (the calls' time base). */
    public long transferStartedNs() {
        return transferStartedNs;
    }

    /** When the caller's side accepted the latest transfer, or -1. */
    public long transferAcceptedNs() {
        return transferAcceptedNs;
    }

    /** When the latest transfer reached its final state, or -1. */
    public long transferEndedNs() {
        return transferEndedNs;
    }

    /** Conversation events the agent reported. */
    public long agentEvents() {
        return agentEvents;
    }

    /** Latencies larger than {@link #MAX_RECORDED_US} (recorded as that). */
    public long latenciesClamped() {
        return latenciesClamped;
    }

    /** When the call was opened, on the gateway's monotonic clock (ns). */
    public long startedNs() {
        return startedNs;
    }

    /** When the call ended, on the same clock as {@link #startedNs()}, or -1 while it runs. */
    public long endedNs() {
        return endedNs;
    }

    /** Why the call ended (e.g. {@code caller hung up}), or {@code null} while it runs. */
    public String endReason() {
        return endReason;
    }

    /** The caller as the edge named it (SIP From, Twilio {@code From} parameter), or empty when unknown. */
    public String from() {
        return from;
    }

    /** The number or address called (SIP To, Twilio {@code To} parameter), or empty when unknown. */
    public String to() {
        return to;
    }

    /** The caller's audio format, e.g. {@code mulaw/8000}. */
    public String codec() {
        return codec;
    }

    /** Where the call is in its life; read racily from other threads (an enum reference, never torn). */
    public CallState state() {
        return state;
    }

    /** When the edge started the call's media (SIP ACK, Twilio stream start), same clock as {@link #startedNs()}; -1 before. */
    public long answeredNs() {
        return answeredNs;
    }

    /** Which side ended the call, or {@code null} while it runs. */
    public EndedBy endedBy() {
        return endedBy;
    }

    /** How the caller's media arrived, as the edge measured it; the edge publishes into it on the call's thread. */
    public CallerMediaQuality callerMedia() {
        return callerMedia;
    }

    /** How long the agent took to connect, in ns, or -1 while it has not. */
    public long agentConnectNs() {
        return agentConnectNs;
    }
}
