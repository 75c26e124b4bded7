package io.voxgate.core.call;

import io.voxgate.core.agent.AgentCall;
import io.voxgate.core.agent.AgentEvent;
import io.voxgate.core.agent.AgentListener;
import io.voxgate.core.agent.DtmfDigits;
import io.voxgate.core.agent.VoiceAgent;
import io.voxgate.core.agent.VoiceAgentFactory;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.pipeline.AudioPipeline;
import io.voxgate.core.pipeline.AudioSink;
import io.voxgate.core.pipeline.PacedOutboundQueue;
import io.voxgate.core.pipeline.PreConnectBuffer;
import io.voxgate.core.pipeline.VadTapStage;
import io.voxgate.core.record.RecordMode;
import io.voxgate.core.record.RecordingTap;
import io.voxgate.core.transfer.TransferRequest;
import io.voxgate.core.transfer.TransferState;
import io.voxgate.core.vad.VadState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One call: the caller's leg on one side, a {@link VoiceAgent} on the other, and the two media pipelines between.
 *
 * <pre>
 * inbound : caller bytes -> [decode -> resample -> encode] -> agent      (pre-connect buffer until the agent is up)
 *                        \-> VAD tap (barge-in)
 * outbound: agent bytes  -> [decode -> resample -> encode] -> paced outbound queue -> CallerLeg.sendToCaller
 * digits  : caller DTMF -> agent.onCallerDigit;  agent DTMF (onAgentDigits) -> checked -> CallerLeg.sendDigits
 * transfer: TRANSFER command or onAgentTransferRequest -> (the agent's queued words play out) ->
 *           CallerLeg.startTransfer -> onTransferProgress (edge) -> agent.onTransferUpdate; SUCCEEDED ends the call
 * </pre>
 *
 * <h2>How an edge drives it</h2>
 * <ol>
 *   <li>{@link CallOpener#open} at call setup builds it (allocating every buffer the call will use) and admits it;
 *       when admitted, {@link #start}.</li>
 *   <li>{@link #onCallerAudio} for each frame from the caller and {@link #onCallerDigit} for DTMF.</li>
 *   <li>{@link #onTick} from a timer: it releases paced audio and returns when it wants the next tick
 *       ({@link #nextReleaseNs()}), so an RTP edge can schedule exactly on the 20 ms grid.</li>
 *   <li>{@link #end} when the caller hangs up. When the session ends the call itself (the agent hung up, a timeout,
 *       drain) it calls {@link CallerLeg#hangUp}.</li>
 * </ol>
 * Other threads reach the call only through {@link #proxy()}.
 *
 * <h2>Barge-in: pause first, decide after</h2>
 * Signals come from the agent ({@link #onAgentInterruption}), from the local VAD's {@link VadState#ONSET} on the
 * caller's audio (when {@link CallSessionConfig#bargeInVad()}) and from a {@link CallCommand#BARGE_IN} command. One
 * is accepted only while the agent is speaking (audio pending in the queue or still playing at the caller) and only
 * once per agent turn: accepting flushes the queue in one call and calls {@link CallerLeg#clearCallerPlayback} once
 * (unless a pause already cleared it); further signals are ignored (and counted) until new agent audio arrives. The
 * VAD's onset confirmation is the debounce that keeps a cough from wiping the agent's greeting.
 * <p>With {@link CallSessionConfig#bargeInConfirmMs()} above 0 a VAD onset does not flush: it <em>pauses</em> the
 * turn ({@link PacedOutboundQueue#pause}, {@link CallerLeg#pauseCallerPlayback}), keeping every byte the caller has
 * not heard. The pause becomes a barge-in when the agent confirms it (its interruption, a command) or when the
 * caller's sound lasts {@link CallSessionConfig#bargeInSpeechMs()} from the onset; otherwise, once the sound has
 * been gone for the confirmation wait, the turn resumes from the first unheard byte. Agent audio that arrives while
 * paused is queued behind it. See docs/architecture.md for the state diagram.
 *
 * <h2>End of call</h2>
 * When the agent hangs up while its last words are still queued or playing (a goodbye), the session moves to
 * {@link CallState#ENDING}, keeps releasing them on {@link #onTick}, and hangs up the caller once they have played.
 * Any other end is immediate.
 *
 * <h2>Recording</h2>
 * With a {@link RecordingTap} (the node records: {@code --record all} or {@code on-request}), the caller's audio is
 * tapped as it enters the session (before the VAD and the agent) and the agent's frames as they are handed to
 * {@link CallerLeg#sendToCaller}, at the moment the playout clock says they play; a pause or flush cuts the agent's
 * channel where the caller stopped hearing it. Recording commands ({@link CallCommand.Kind#RECORDING_START} and the
 * rest) and the agent's {@link AgentEvent.Kind#RECORDING} events drive it; an impossible one is counted in
 * {@link CallStats#recordingRequestsRefused()}.
 *
 * <p>Threading: every method runs on the call's thread (the executor of its {@link AgentCall}), except
 * {@link #proxy()}, {@link #callId()} and the racy reads of {@link #stats()}. Ownership: audio passed in is borrowed
 * for the duration of the call; the session copies what it keeps (pre-connect buffer, paced queue). Time: every
 * {@code nowNs} is monotonic nanoseconds from the same time base as the {@link NanoClock} given at construction; the
 * clock is read only to apply commands and to measure gateway-added latency. The steady-state media path allocates
 * nothing and takes no lock.
 */
public final class CallSession implements AgentListener {
    /**
     * Most digits one {@link #onAgentDigits} request may carry; longer requests are dropped whole. 32 covers any
     * sequence an IVR asks for (a 16-digit card number, expiry, PIN and {@code #}) and equals the SIP edge's digit
     * queue, while bounding how long one request can hold the caller's audio (about 6 s of tones and pauses).
     */
    public static final int MAX_AGENT_DIGITS = 32;

    /**
     * A paused turn resumes from a tick (no caller audio since the sound) only after at least this long: caller audio
     * arrives every 20 ms, so a shorter gap between ticks is not silence.
     */
    private static final long TICK_RESUME_MIN_NS = 60_000_000L;
    /** No caller turn is waiting for the agent's answer. */
    private static final long NO_TURN = Long.MIN_VALUE;

    /** Metadata key that tells a replacement agent the call was resumed after its predecessor's connection failed. */
    public static final String RESUMED_KEY = "voxgateResumed";
    /** Metadata key: how many times the call's agent connection has failed so far. */
    public static final String RESUMED_COUNT_KEY = "voxgateAgentLosses";
    /** A new agent that failed to connect is tried again this long after, while the window lasts. */
    private static final long RECONNECT_RETRY_NS = 250_000_000L;
    /** After a new agent connected, the beep goes on this long at most waiting for its first words. */
    private static final long HOLD_AFTER_RECONNECT_NS = 2_000_000_000L;
    /**
     * Longest a transfer waits for the agent's queued words to play out before it goes to the leg: long enough for a
     * "please hold while I transfer you", short enough that an agent that keeps talking cannot hold it up.
     */
    private static final long MAX_TRANSFER_PLAYOUT_WAIT_NS = 5_000_000_000L;
    /** Frames of beep kept queued: above the Twilio lead (80 ms), so pacing, not refilling, sets the rhythm. */
    private static final int HOLD_QUEUED_FRAMES = 6;

    private enum BargeInSource { AGENT, VAD, COMMAND }

    private final AgentCall call;
    private final AudioFormat callerFormat;
    private final CallerLeg leg;
    private VoiceAgent agent;
    private final CallRegistry registry;
    private final CallSessionConfig config;
    private final NanoClock clock;
    private final CallLiveness liveness;
    private final CallCommandProxy<CallCommand> proxy;
    private final PacedOutboundQueue queue;
    private final PreConnectBuffer preConnect;
    private final VadTapStage callerVad;
    private final AudioPipeline inbound;
    private final AudioPipeline outbound;
    private final UnsafeBuffer releaseFrame;
    private final CallStats stats;
    private final AudioSink drainPreConnect = this::deliverBuffered;
    private final RecordingTap recording;
    private final RecordMode recordMode;
    private final long frameNs;

    private CallState state = CallState.CREATED;
    private long connectStartedNs;
    private long drainNowNs;
    private boolean agentClosed;
    private boolean finishing;
    private boolean legHungUp;
    private boolean turnInterrupted;
    private final long bargeInConfirmNs;
    private final long bargeInSpeechNs;
    private boolean paused;
    private long pauseOnsetNs;
    private long pausedAtNs;
    private long callerSoundUntilNs;
    /** When the caller's last utterance ended, until the agent's first audio after it; {@link #NO_TURN} otherwise. */
    private long callerTurnEndedNs = NO_TURN;
    private final long callerVadHangoverNs;
    private String hangUpAfterPlayout;
    private String endReason;
    private TransferRequest transfer;
    private TransferState transferState;
    /** A transfer waiting for the agent's last words to play out before it goes to the leg, or null. */
    private TransferRequest transferAfterPlayout;
    private long transferPlayoutDeadlineNs;
    private VoiceAgentFactory agents;
    private AgentRecovery recovery = AgentRecovery.NONE;
    /** A failed agent is being replaced: a new one is connecting or due to be tried at {@link #retryAtNs}. */
    private boolean reconnecting;
    /** The caller hears the {@link HoldPrompt} until the new agent's first audio. */
    private boolean holding;
    private boolean fallbackStarted;
    private boolean fallbackTransfer;
    private long lostAtNs;
    private long reconnectDeadlineNs;
    private long retryAtNs = Long.MAX_VALUE;
    private long holdUntilNs = Long.MAX_VALUE;
    private int holdOffset;

    /**
     * Builds a call at setup, allocating everything it will need; nothing is sent anywhere yet. Only the
     * {@link CallOpener} builds sessions: it is the one way into a call.
     *
     * @param call         the call as the agent will see it: id, edge, metadata and the executor of the call's thread
     * @param callerFormat the caller's format (mu-law or A-law 8 kHz on both edges)
     * @param leg          the edge's side of the call
     * @param agent        a new, unconnected agent for this call; its {@link VoiceAgent#audioFormat()} shapes the pipelines
     * @param registry     the node's registry; the session removes itself from it when it ends
     * @param config       validated settings
     * @param clock        the time base of every {@code nowNs}; read only to apply commands and to measure latency
     * @param nowNs        now, the start of the call's maximum duration and idle timers
     * @param recording    the call's recording tap, or {@code null} when the node records nothing
     * @param recordMode   whether the tap starts with the call ({@link RecordMode#ALL}, from its admission) or on request
     * @throws IllegalArgumentException naming the argument that is null or unusable
     */
    CallSession(final AgentCall call, final AudioFormat callerFormat, final CallerLeg leg, final VoiceAgent agent,
                final CallRegistry registry, final CallSessionConfig config, final NanoClock clock, final long nowNs,
                final RecordingTap recording, final RecordMode recordMode) {
        this.call = required(call, "call");
        this.callerFormat = required(callerFormat, "callerFormat");
        this.leg = required(leg, "leg");
        this.agent = required(agent, "agent");
        this.registry = required(registry, "registry");
        this.config = required(config, "config");
        this.clock = required(clock, "clock");
        final AudioFormat agentFormat = required(agent.audioFormat(), "agent.audioFormat()");
        this.proxy = new CallCommandProxy<>(call.callId(), config.commandRingCapacity(), call.executor(), clock,
            new CallCommandHandler<>() {
                @Override
                public void onCommand(final CallCommand command, final long nowNs) {
                    CallSession.this.onCommand(command, nowNs);
                    tellLegNextRelease();
                }

                @Override
                public void onCommandFailed(final CallCommand command, final RuntimeException failure, final long nowNs) {
                    fail("internal error", nowNs);
                }
            });
        this.queue = new PacedOutboundQueue(callerFormat, config.outboundQueueCapacityMs(),
            config.outboundLeadMs() * 1_000_000L);
        // Both edges deliver one packet time per chunk, so pooled frames of one ptime hold the bound in the least
        // memory (16 KiB for 2 s of mu-law); a longer chunk is split across frames and kept or dropped whole. The
        // storage is released once the agent is connected.
        this.preConnect = new PreConnectBuffer(callerFormat, config.preConnectBufferMs() * callerFormat.bytesPerMs(),
            Math.max(1, config.preConnectBufferMs() / callerFormat.ptimeMs()), callerFormat.bytesPerFrame());
        this.stats = new CallStats(queue, preConnect, registry.latency(), call.edge(),
            call.metadata().getOrDefault("From", ""), call.metadata().getOrDefault("To", ""), callerFormat.toString());
        stats.startedNs = nowNs;
        this.liveness = new CallLiveness(call.callId(), call.edge(), nowNs, config.maxCallDurationSeconds() * 1_000_000_000L,
            config.idleTimeoutSeconds() * 1_000_000_000L, proxy, stats);
        this.callerVad = new VadTapStage(callerFormat, config.vadConfig());
        this.callerVadHangoverNs = config.vadConfig().hangoverMs() * 1_000_000L;
        this.inbound = AudioPipeline.create(callerFormat, agentFormat, this::handToAgent);
        this.outbound = AudioPipeline.create(agentFormat, callerFormat, queue::offer);
        this.releaseFrame = new UnsafeBuffer(new byte[queue.frameBytes()]);
        this.bargeInConfirmNs = config.bargeInConfirmMs() * 1_000_000L;
        this.bargeInSpeechNs = config.bargeInSpeechMs() * 1_000_000L;
        this.recording = recording;
        this.recordMode = required(recordMode, "recordMode");
        this.frameNs = callerFormat.ptimeMs() * 1_000_000L;
        stats.recording = recording;
    }

    /** Sets how this call survives a failed agent connection (the opener, before {@link #start}). */
    void recovery(final VoiceAgentFactory agentFactory, final AgentRecovery agentRecovery) {
        this.agents = agentFactory;
        this.recovery = agentRecovery;
    }

    private static <T> T required(final T value, final String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /** Starts connecting the agent; caller audio is buffered until it is connected. Called once. */
    public void start(final long nowNs) {
        moveTo(CallState.CONNECTING_AGENT);
        connectStartedNs = nowNs;
        stats.answeredNs = nowNs;
        if (recording != null && recordMode == RecordMode.ALL) {
            // From the call's admission, as its record counts it: the file is as long as the call, and what came
            // before the answer (a SIP call's INVITE to ACK) is the silence the caller heard.
            recording.start(stats.startedNs);
        }
        agent.connect(call, this, nowNs);
    }

    /** One chunk of caller audio in the caller's format (any length, borrowed for this call only). */
    public void onCallerAudio(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
        if (state.isTerminating()) {
            stats.framesDroppedEnded++;
            return;
        }
        stats.framesFromCaller++;
        stats.bytesFromCaller += length;
        if (recording != null) {
            recording.onCallerAudio(audio, offset, length, nowNs);
        }
        liveness.callerAudioAt(nowNs);
        final VadState vad = callerVad.onAudio(audio, offset, length);
        if (vad == VadState.OFFSET) {
            callerTurnEndedNs = nowNs - callerVadHangoverNs;
        } else if (vad == VadState.ONSET) {
            callerTurnEndedNs = NO_TURN;
            stats.vadOnsets++;
            if (config.bargeInVad() && state == CallState.ACTIVE && !holding) {
                onCallerOnset(nowNs);
            }
        }
        if (paused) {
            followPause(nowNs);
        }
        if (reconnecting) {
            // The new agent is not connected yet, and what the caller says over the hold beep is not for it.
            stats.framesDroppedNotConnected++;
        } else if (state == CallState.ACTIVE) {
            inbound.onAudio(audio, offset, length, nowNs);
        } else if (!preConnect.offer(audio, offset, length, nowNs)) {
            stats.framesDroppedNotConnected++;
        }
    }

    /** A DTMF digit the caller pressed ({@code 0-9 * # A-D}); delivered to the agent once it is connected. */
    public void onCallerDigit(final char digit, final long nowNs) {
        if (state == CallState.ACTIVE && !reconnecting) {
            stats.digitsToAgent++;
            agent.onCallerDigit(digit, nowNs);
        } else {
            stats.digitsDroppedNotConnected++;
        }
    }

    /**
     * Releases the paced agent audio that is due and finishes an agent hang-up once its last words have played.
     *
     * @return {@link #nextReleaseNs()}
     */
    public long onTick(final long nowNs) {
        if (state == CallState.ENDED) {
            return Long.MAX_VALUE;
        }
        if (paused && nowNs - callerSoundUntilNs >= Math.max(bargeInConfirmNs, TICK_RESUME_MIN_NS)) {
            // Only the caller's audio can tell whether the sound goes on; when none arrives, the sound has stopped.
            resume(nowNs);
        }
        if (reconnecting && nowNs >= reconnectDeadlineNs) {
            giveUpReconnecting(nowNs);
        } else if (reconnecting && nowNs >= retryAtNs) {
            attemptReconnect(nowNs);
        }
        if (holding && !reconnecting && nowNs >= holdUntilNs) {
            stopHold(nowNs);
        }
        if (holding) {
            feedHold(nowNs);
        }
        releaseDue(nowNs);
        if (transferAfterPlayout != null && (nowNs >= transferPlayoutDeadlineNs
            || !queue.hasPending() && !queue.callerHearingAudio(nowNs))) {
            handTransferToLeg(transferAfterPlayout, nowNs);
        }
        if (hangUpAfterPlayout != null && !queue.hasPending() && !queue.callerHearingAudio(nowNs)) {
            finish(hangUpAfterPlayout, nowNs, true, EndedBy.AGENT);
        }
        return nextReleaseNs();
    }

    /**
     * When {@link #onTick} next has work: the next paced release (or, while a goodbye plays out, the moment to hang
     * up); {@link Long#MAX_VALUE} when nothing is pending. A time in the past means now.
     */
    public long nextReleaseNs() {
        if (state == CallState.ENDED) {
            return Long.MAX_VALUE;
        }
        if (hangUpAfterPlayout != null && !queue.hasPending()) {
            return queue.playoutEndNs();
        }
        if (paused) {
            return Math.min(queue.nextReleaseNs(), callerSoundUntilNs + bargeInConfirmNs);
        }
        if (reconnecting) {
            return Math.min(queue.nextReleaseNs(), Math.min(retryAtNs, reconnectDeadlineNs));
        }
        if (transferAfterPlayout != null) {
            return Math.min(queue.nextReleaseNs(), Math.min(queue.playoutEndNs(), transferPlayoutDeadlineNs));
        }
        return queue.nextReleaseNs();
    }

    /** The caller hung up (SIP BYE, Twilio {@code stop}, socket closed): closes the agent and ends; idempotent. */
    public void end(final String reason, final long nowNs) {
        finish(reason, nowNs, false, EndedBy.CALLER);
    }

    /**
     * A bug surfaced in this call (a command or a tick threw): the call ends at once and the caller's leg is hung up,
     * also when the bug broke off an end half way; counted once in {@link CallStats#failures()} and
     * {@link CallRegistry#callsFailed()}. Idempotent.
     */
    public void fail(final String reason, final long nowNs) {
        if (stats.failures == 0) {
            stats.failures++;
            registry.callFailed();
        }
        if (state != CallState.ENDED) {
            finish(reason, nowNs, true, EndedBy.GATEWAY);
        } else if (!legHungUp) {
            // The bug broke off the end half way (e.g. the agent's close threw): the leg must still go.
            legHungUp = true;
            leg.hangUp(reason, nowNs);
        }
    }

    /** The only way into this call from another thread. */
    public CallCommandProxy<CallCommand> proxy() {
        return proxy;
    }

    /** Where the call is in its lifecycle. */
    public CallState state() {
        return state;
    }

    /** The call's id. */
    public String callId() {
        return call.callId();
    }

    /** Counters and latency recorders. */
    public CallStats stats() {
        return stats;
    }

    /** The caller's format. */
    public AudioFormat callerFormat() {
        return callerFormat;
    }

    /** The agent's format. */
    public AudioFormat agentFormat() {
        return inbound.to();
    }

    /** Whether audio crosses the call with no transcoding in either direction. */
    public boolean passesThrough() {
        return inbound.passesThrough() && outbound.passesThrough();
    }

    /** Why the call ended, or {@code null} while it runs. */
    public String endReason() {
        return endReason;
    }

    @Override
    public void onAgentConnected(final long nowNs) {
        handleAgentConnected(nowNs);
        tellLegNextRelease();
    }

    private void handleAgentConnected(final long nowNs) {
        if (reconnecting && state == CallState.ACTIVE) {
            reconnecting = false;
            stats.agentReconnects++;
            if (fallbackStarted) {
                registry.agentRecovery().countFallbackAgentConnected();
            } else {
                registry.agentRecovery().countReconnected();
            }
            // The beep goes on until the new agent speaks, for a little while at most (it may wait for the caller).
            holdUntilNs = nowNs + HOLD_AFTER_RECONNECT_NS;
            return;
        }
        if (state != CallState.CONNECTING_AGENT) {
            return;
        }
        moveTo(CallState.ACTIVE);
        stats.agentConnectNs = nowNs - connectStartedNs;
        drainNowNs = nowNs;
        preConnect.drainTo(drainPreConnect);
        // An active call never buffers again (caller audio goes straight to the agent): its storage can go.
        preConnect.release();
    }

    @Override
    public void onAgentAudio(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
        if (state != CallState.ACTIVE && state != CallState.CONNECTING_AGENT) {
            stats.framesDroppedEnded++;
            return;
        }
        if (reconnecting) {
            stats.framesDroppedNotConnected++;
            return;
        }
        if (holding) {
            stopHold(nowNs);
            stats.lastReconnectToAudioNs = nowNs - lostAtNs;
        }
        stats.framesFromAgent++;
        stats.bytesFromAgent += length;
        if (callerTurnEndedNs != NO_TURN) {
            stats.recordAgentFirstAudio(nowNs - callerTurnEndedNs);
            callerTurnEndedNs = NO_TURN;
        }
        turnInterrupted = false;
        outbound.onAudio(audio, offset, length, nowNs);
        releaseDue(nowNs);
        tellLegNextRelease();
    }

    @Override
    public void onAgentInterruption(final long nowNs) {
        bargeIn(nowNs, BargeInSource.AGENT);
    }

    /**
     * Checks the digits and hands them to the caller's leg: a request that is null, empty, longer than
     * {@link #MAX_AGENT_DIGITS} or holds a character outside {@code 0-9 * # A-D} is dropped whole (so no partial
     * sequence is dialled) and counted in {@link CallStats#digitRequestsDroppedInvalid()}; digits the leg takes or
     * refuses are counted per digit. No exception reaches the agent.
     */
    @Override
    public void onAgentDigits(final String digits, final long nowNs) {
        if (digits == null || digits.length() > MAX_AGENT_DIGITS || !DtmfDigits.isDigits(digits)) {
            stats.digitRequestsDroppedInvalid++;
            return;
        }
        if (state != CallState.ACTIVE && state != CallState.CONNECTING_AGENT) {
            stats.digitsToCallerDroppedEnded += digits.length();
            return;
        }
        if (leg.sendDigits(digits, nowNs)) {
            stats.digitsToCaller += digits.length();
        } else {
            stats.digitsToCallerRefused += digits.length();
        }
    }

    @Override
    public void onAgentEvent(final AgentEvent event) {
        stats.agentEvents++;
        if (event.kind() == AgentEvent.Kind.RECORDING) {
            applyRecording(recordingCommandOf(event.text()), clock.nanoTime());
        }
    }

    private static CallCommand.Kind recordingCommandOf(final String action) {
        switch (action) {
            case "start":
                return CallCommand.Kind.RECORDING_START;
            case "pause":
                return CallCommand.Kind.RECORDING_PAUSE;
            case "resume":
                return CallCommand.Kind.RECORDING_RESUME;
            case "stop":
                return CallCommand.Kind.RECORDING_STOP;
            default:
                return null;
        }
    }

    /** Applies a recording action; one that is impossible now (or has no tap, or an unknown action) is counted. */
    private void applyRecording(final CallCommand.Kind action, final long nowNs) {
        final boolean applied;
        if (recording == null || action == null || state.isTerminating()) {
            applied = false;
        } else {
            switch (action) {
                case RECORDING_START:
                    applied = recording.start(nowNs);
                    break;
                case RECORDING_PAUSE:
                    applied = recording.pause(nowNs);
                    break;
                case RECORDING_RESUME:
                    applied = recording.resume(nowNs);
                    break;
                default:
                    applied = recording.stop(nowNs);
                    break;
            }
        }
        if (!applied) {
            stats.recordingRequestsRefused++;
        }
    }

    @Override
    public void onAgentClosed(final String reason, final long nowNs) {
        handleAgentClosed(reason, nowNs);
        tellLegNextRelease();
    }

    private void handleAgentClosed(final String reason, final long nowNs) {
        agentClosed = true;
        if (state.isTerminating()) {
            return;
        }
        if (reconnecting) {
            // The new agent could not connect: try again shortly, while the window lasts.
            retryAtNs = Math.min(reconnectDeadlineNs, nowNs + RECONNECT_RETRY_NS);
            return;
        }
        if (paused) {
            // The agent is gone: nobody will confirm, and its last words are still worth hearing.
            resume(nowNs);
        }
        if (state == CallState.ACTIVE && (queue.hasPending() || queue.callerHearingAudio(nowNs))) {
            moveTo(CallState.ENDING);
            hangUpAfterPlayout = reason;
            queue.finishTurn();
            onTick(nowNs);
        } else {
            finish(reason, nowNs, true, EndedBy.AGENT);
        }
    }

    /**
     * The agent's connection failed mid-call. With a reconnect window ({@link AgentRecovery#reconnectMs()}) and an
     * active call, the caller hears the {@link HoldPrompt} at once while a new agent is opened (the call's metadata,
     * marked resumed); otherwise, or before the call was active, it is a close.
     */
    @Override
    public void onAgentLost(final String reason, final long nowNs) {
        handleAgentLost(reason, nowNs);
        tellLegNextRelease();
    }

    private void handleAgentLost(final String reason, final long nowNs) {
        if (state != CallState.ACTIVE || recovery.reconnectMs() == 0 || agents == null || finishing || fallbackTransfer) {
            onAgentClosed(reason, nowNs);
            return;
        }
        agentClosed = true;
        if (reconnecting) {
            onAgentClosed(reason, nowNs);
            return;
        }
        stats.agentLosses++;
        registry.agentRecovery().countLost();
        lostAtNs = nowNs;
        reconnectDeadlineNs = nowNs + recovery.reconnectMs() * 1_000_000L;
        reconnecting = true;
        startHold(nowNs);
        attemptReconnect(nowNs);
    }

    @Override
    public void onAgentTransferRequest(final TransferRequest request, final long nowNs) {
        transfer(request, nowNs);
    }

    /**
     * The caller's edge reports how transfer {@code transferId} goes (see {@link CallerLeg#startTransfer}): the state
     * moves forward only, reports for another transfer or after the final state are ignored, and every change is
     * told to the agent. {@link TransferState#SUCCEEDED} ends the call ({@link EndedBy#TRANSFER}) and hangs up the
     * leg; any other final state keeps the call with its agent.
     *
     * @param detail why, in a few safe words (a status line, a deadline)
     */
    public void onTransferProgress(final String transferId, final TransferState next, final String detail,
                                   final long nowNs) {
        if (transfer == null || !transfer.id().equals(transferId) || transferState.isFinal() || state == CallState.ENDED
            || !next.isFinal() && next.ordinal() <= transferState.ordinal()) {
            return;
        }
        moveTransfer(next, detail, nowNs);
        if (next == TransferState.SUCCEEDED) {
            finish("transferred", nowNs, true, EndedBy.TRANSFER);
        }
    }

    /** Hands {@code request} to the leg unless the call cannot take it now: one transfer at a time, while connected. */
    private void transfer(final TransferRequest request, final long nowNs) {
        stats.transfersRequested++;
        registry.transfers().countRequested();
        if (transferState != null && !transferState.isFinal()) {
            stats.transfersRefusedBusy++;
            registry.transfers().countEnded(TransferState.NOT_POSSIBLE);
            tellAgent(request, TransferState.NOT_POSSIBLE, "another transfer is under way", nowNs);
            return;
        }
        transfer = request;
        transferState = TransferState.REQUESTED;
        stats.transfer = request;
        stats.transferStartedNs = nowNs;
        stats.transferAcceptedNs = -1;
        stats.transferEndedNs = -1;
        stats.transferDetail = "";
        stats.transferState = TransferState.REQUESTED;
        tellAgent(request, TransferState.REQUESTED, "", nowNs);
        if (state != CallState.ACTIVE && state != CallState.CONNECTING_AGENT) {
            moveTransfer(TransferState.NOT_POSSIBLE, "the call is not connected", nowNs);
        } else if (!holding && (queue.hasPending() || queue.callerHearingAudio(nowNs))) {
            // An agent says "let me transfer you" and then asks: the REFER or the call update would cut it off.
            transferAfterPlayout = request;
            transferPlayoutDeadlineNs = nowNs + MAX_TRANSFER_PLAYOUT_WAIT_NS;
        } else {
            handTransferToLeg(request, nowNs);
        }
    }

    private void handTransferToLeg(final TransferRequest request, final long nowNs) {
        transferAfterPlayout = null;
        if (!leg.startTransfer(request, nowNs)) {
            moveTransfer(TransferState.NOT_POSSIBLE, "the caller's edge cannot transfer this call", nowNs);
        }
    }

    private void moveTransfer(final TransferState next, final String detail, final long nowNs) {
        transferState = next;
        stats.transferDetail = detail == null ? "" : detail;
        stats.transferState = next;
        if (next == TransferState.ACCEPTED) {
            stats.transferAcceptedNs = nowNs;
        }
        if (next.isFinal()) {
            stats.transferEndedNs = nowNs;
            registry.transfers().countEnded(next);
        }
        tellAgent(transfer, next, stats.transferDetail, nowNs);
        if (fallbackTransfer && next.isFailure()) {
            // The fallback after a lost agent: with no agent and no transfer, nobody is left to talk to the caller.
            finish("agent lost; transfer " + next.label(), nowNs, true, EndedBy.GATEWAY);
        }
    }

    private void tellAgent(final TransferRequest request, final TransferState next, final String detail, final long nowNs) {
        if (!agentClosed) {
            agent.onTransferUpdate(request, next, detail, nowNs);
        }
    }

    /** Opens a new agent (the primary's factory, or the fallback's once it was chosen) for the resumed call. */
    private void attemptReconnect(final long nowNs) {
        retryAtNs = Long.MAX_VALUE;
        stats.agentReconnectAttempts++;
        final VoiceAgentFactory factory = fallbackStarted ? recovery.fallbackAgents() : agents;
        final Map<String, String> metadata = new LinkedHashMap<>(call.metadata());
        metadata.put(RESUMED_KEY, "true");
        metadata.put(RESUMED_COUNT_KEY, Long.toString(stats.agentLosses));
        final AgentCall resumed = new AgentCall(call.callId(), call.edge(), metadata, call.executor());
        final VoiceAgent next;
        try {
            next = factory.create(resumed);
        } catch (final RuntimeException ex) {
            retryAtNs = Math.min(reconnectDeadlineNs, nowNs + RECONNECT_RETRY_NS);
            return;
        }
        if (!inbound.to().equals(next.audioFormat())) {
            // The pipelines are built for the first agent's format; an agent speaking another cannot take over.
            next.close("format differs", nowNs);
            reconnectDeadlineNs = nowNs;
            return;
        }
        agent = next;
        agentClosed = false;
        next.connect(resumed, this, nowNs);
    }

    /** The window passed without a working agent: the fallback, once; after the fallback, hang up. */
    private void giveUpReconnecting(final long nowNs) {
        reconnecting = false;
        retryAtNs = Long.MAX_VALUE;
        if (!agentClosed) {
            agentClosed = true;
            agent.close("reconnect window passed", nowNs);
        }
        if (fallbackStarted) {
            finish("agent lost; fallback agent failed", nowNs, true, EndedBy.GATEWAY);
            return;
        }
        registry.agentRecovery().countReconnectFailed();
        fallbackStarted = true;
        final AgentRecovery.Fallback fallback = recovery.fallback();
        registry.agentRecovery().countFallback(fallback);
        switch (fallback) {
            case TRANSFER:
                stats.agentFallback = fallback.label();
                fallbackTransfer = true;
                transfer(TransferRequest.of(recovery.transferTarget(), null, TransferRequest.Origin.OPERATOR), nowNs);
                break;
            case AGENT:
                stats.agentFallback = fallback.label() + ":" + recovery.fallbackAgentName();
                reconnecting = true;
                reconnectDeadlineNs = nowNs + recovery.reconnectMs() * 1_000_000L;
                attemptReconnect(nowNs);
                break;
            default:
                stats.agentFallback = fallback.label();
                finish("agent lost", nowNs, true, EndedBy.GATEWAY);
                break;
        }
    }

    /** The caller stops hearing the old agent and hears the hold beep instead, from the next frame. */
    private void startHold(final long nowNs) {
        if (paused) {
            paused = false;
            stats.recordBargeInPause(nowNs - pausedAtNs);
        }
        queue.flush(nowNs);
        leg.clearCallerPlayback(nowNs);
        holding = true;
        holdOffset = 0;
        holdUntilNs = Long.MAX_VALUE;
        feedHold(nowNs);
    }

    /** Keeps a few frames of the beep queued, so the caller's stream never runs dry while on hold. */
    private void feedHold(final long nowNs) {
        final HoldPrompt prompt = HoldPrompt.of(callerFormat);
        final int frameBytes = queue.frameBytes();
        while (queue.pendingBytes() < HOLD_QUEUED_FRAMES * frameBytes) {
            if (queue.offer(prompt.cycle(), holdOffset, frameBytes, nowNs) < frameBytes) {
                return;
            }
            holdOffset = (holdOffset + frameBytes) % prompt.cycleBytes();
        }
    }

    /** The new agent speaks (or the hold has lasted long enough): the beep stops mid-cycle, the agent is heard next. */
    private void stopHold(final long nowNs) {
        holding = false;
        holdUntilNs = Long.MAX_VALUE;
        queue.flush(nowNs);
        leg.clearCallerPlayback(nowNs);
    }

    CallLiveness liveness() {
        return liveness;
    }

    PreConnectBuffer preConnect() {
        return preConnect;
    }

    private void onCommand(final CallCommand command, final long nowNs) {
        switch (command.kind()) {
            case HANG_UP:
                finish(command.reason(), nowNs, true, command == CallCommand.HANG_UP_OPERATOR ? EndedBy.OPERATOR
                    : command == CallCommand.HANG_UP_AGENT ? EndedBy.AGENT : EndedBy.GATEWAY);
                break;
            case CALLER_HUNG_UP:
                finish(command.reason(), nowNs, false, EndedBy.CALLER);
                break;
            case TRANSFER:
                transfer(command.transfer(), nowNs);
                break;
            case RECORDING_START:
            case RECORDING_PAUSE:
            case RECORDING_RESUME:
            case RECORDING_STOP:
                applyRecording(command.kind(), nowNs);
                break;
            default:
                bargeIn(nowNs, BargeInSource.COMMAND);
                break;
        }
    }

    private void deliverBuffered(final DirectBuffer audio, final int offset, final int length, final long arrivalNs) {
        // Handed on with the drain time: the wait for the agent is not gateway-added latency of the media path.
        inbound.onAudio(audio, offset, length, drainNowNs);
    }

    private void handToAgent(final DirectBuffer audio, final int offset, final int length, final long arrivalNs) {
        stats.framesToAgent++;
        stats.recordInbound(clock.nanoTime() - arrivalNs);
        agent.onCallerAudio(audio, offset, length, arrivalNs);
    }

    /** Tells the leg when the call next has timed work, after something outside the leg's events may have moved it. */
    private void tellLegNextRelease() {
        if (state != CallState.ENDED) {
            leg.nextReleaseChanged(nextReleaseNs());
        }
    }

    private void releaseDue(final long nowNs) {
        int length;
        while (state != CallState.ENDED && (length = queue.poll(nowNs, releaseFrame, 0)) > 0) {
            stats.framesToCaller++;
            stats.recordOutbound(queue.lastReleaseDelayNs() + Math.max(0L, clock.nanoTime() - nowNs));
            if (recording != null) {
                recording.onAgentFrame(releaseFrame, 0, length, queue.playoutEndNs() - frameNs);
            }
            leg.sendToCaller(releaseFrame, 0, length, nowNs);
        }
    }

    /** The local VAD heard the caller start: flush at once (no confirmation wait), or pause, or go on pausing. */
    private void onCallerOnset(final long nowNs) {
        if (bargeInConfirmNs == 0) {
            bargeIn(nowNs, BargeInSource.VAD);
            return;
        }
        if (paused) {
            // A new utterance while paused: its sound is measured from here.
            pauseOnsetNs = nowNs;
            callerSoundUntilNs = nowNs;
            return;
        }
        if (turnInterrupted) {
            stats.bargeInsIgnoredRepeat++;
            return;
        }
        if (!queue.hasPending() && !queue.callerHearingAudio(nowNs)) {
            stats.bargeInsIgnoredSilent++;
            return;
        }
        paused = true;
        pauseOnsetNs = nowNs;
        pausedAtNs = nowNs;
        callerSoundUntilNs = nowNs;
        final int unheard = leg.pauseCallerPlayback(nowNs, queue.unplayedReleasedBytes(nowNs));
        final long clearedNs = clock.nanoTime();
        queue.pause(nowNs, Math.min(unheard, queue.unplayedReleasedBytes(nowNs)));
        cutRecordedTurn(nowNs);
        stats.bargeInPauses++;
        stats.recordBargeInPauseReaction(Math.max(queue.playoutEndNs(), clearedNs) - nowNs, clearedNs - nowNs);
    }

    /** While paused, on caller audio: confirm on sustained sound, resume once it has been gone for the confirm wait. */
    private void followPause(final long nowNs) {
        if (callerVad.soundActive()) {
            callerSoundUntilNs = Math.max(callerSoundUntilNs, nowNs);
            if (callerSoundUntilNs - pauseOnsetNs + config.vadConfig().onsetMs() * 1_000_000L >= bargeInSpeechNs) {
                bargeIn(nowNs, BargeInSource.VAD);
            }
        } else if (nowNs - callerSoundUntilNs >= bargeInConfirmNs) {
            resume(nowNs);
        }
    }

    private void resume(final long nowNs) {
        paused = false;
        stats.bargeInsResumed++;
        stats.audioResumedMs += queue.pendingBytes() / callerFormat.bytesPerMs();
        stats.recordBargeInPause(nowNs - pausedAtNs);
        queue.resume(nowNs);
    }

    private void bargeIn(final long nowNs, final BargeInSource source) {
        if (holding) {
            // Nothing of an agent is playing: the caller hears the hold beep, which is not theirs to interrupt.
            stats.bargeInsIgnoredSilent++;
            return;
        }
        if (paused && state == CallState.ACTIVE) {
            paused = false;
            turnInterrupted = true;
            queue.flush(nowNs);
            cutRecordedTurn(nowNs);
            stats.recordBargeInPause(nowNs - pausedAtNs);
            // The caller stopped hearing the turn when it paused; that reaction is already recorded.
            countBargeIn(source);
            return;
        }
        if (state != CallState.ACTIVE) {
            stats.bargeInsIgnoredSilent++;
            return;
        }
        if (turnInterrupted) {
            stats.bargeInsIgnoredRepeat++;
            return;
        }
        if (!queue.hasPending() && !queue.callerHearingAudio(nowNs)) {
            stats.bargeInsIgnoredSilent++;
            return;
        }
        turnInterrupted = true;
        queue.flush(nowNs);
        leg.clearCallerPlayback(nowNs);
        cutRecordedTurn(nowNs);
        countBargeIn(source);
        stats.recordBargeInReaction(Math.max(queue.playoutEndNs(), clock.nanoTime()) - nowNs);
    }

    /** The caller stops hearing the agent's turn where the queue's playout now ends: the recording too. */
    private void cutRecordedTurn(final long nowNs) {
        if (recording != null) {
            recording.onAgentCut(Math.max(nowNs, queue.playoutEndNs()));
        }
    }

    private void countBargeIn(final BargeInSource source) {
        stats.bargeIns++;
        switch (source) {
            case AGENT:
                stats.bargeInsFromAgent++;
                break;
            case VAD:
                stats.bargeInsFromVad++;
                break;
            default:
                stats.bargeInsFromCommand++;
                break;
        }
    }

    private void finish(final String reason, final long nowNs, final boolean hangUpLeg, final EndedBy endedBy) {
        if (finishing || state == CallState.ENDED) {
            return;
        }
        finishing = true;
        paused = false;
        reconnecting = false;
        holding = false;
        transferAfterPlayout = null;
        if (transferState != null && !transferState.isFinal()) {
            transferState = TransferState.CALL_ENDED;
            stats.transferState = TransferState.CALL_ENDED;
            stats.transferDetail = reason;
            stats.transferEndedNs = nowNs;
            registry.transfers().countEnded(TransferState.CALL_ENDED);
        }
        endReason = reason;
        stats.endReason = reason;
        stats.endedBy = endedBy;
        stats.endedNs = nowNs;
        try {
            if (state != CallState.ENDING) {
                moveTo(CallState.ENDING);
            }
            stats.framesDroppedAtEnd += (queue.pendingBytes() + queue.frameBytes() - 1) / queue.frameBytes();
            stats.framesDroppedNotConnected += preConnect.frameCount();
            preConnect.clear();
            if (!agentClosed) {
                agentClosed = true;
                agent.close(reason, nowNs);
            }
            if (hangUpLeg) {
                legHungUp = true;
                leg.hangUp(reason, nowNs);
            }
        } finally {
            if (recording != null) {
                // The file ends with the call, before any goodbye frames released ahead of a hang-up that cut them.
                recording.stop(nowNs);
            }
            state = CallState.ENDED;
            stats.state = CallState.ENDED;
            registry.remove(liveness);
        }
    }

    private void moveTo(final CallState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("call " + call.callId() + ": illegal move " + state + " -> " + next);
        }
        state = next;
        stats.state = next;
    }

    @Override
    public String toString() {
        return "CallSession{" + call.callId() + ", " + state + "}";
    }
}
