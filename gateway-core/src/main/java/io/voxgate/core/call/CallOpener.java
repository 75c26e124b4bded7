package io.voxgate.core.call;

import io.voxgate.core.agent.AgentCall;
import io.voxgate.core.agent.VoiceAgent;
import io.voxgate.core.agent.VoiceAgentFactory;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.record.RecordMode;
import io.voxgate.core.record.RecordingRing;
import io.voxgate.core.record.RecordingTap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;
import org.agrona.concurrent.NanoClock;

/**
 * The one way into a call for every edge: builds the {@link AgentCall}, the agent (from the node's
 * {@link VoiceAgentFactory}) and the {@link CallSession}, admits and registers it with the node's
 * {@link CallRegistry}, and answers with one {@link CallAdmission}. An edge supplies only what is its own: its
 * {@link CallerLeg}, the call's id and metadata, the caller's format and the executor of the call's thread, and,
 * once, its name and how its calls' settings differ ({@link #forEdge}: RTP forces the outbound lead to 0).
 *
 * <p>The launcher makes one opener per node and hands it to every edge; each edge binds it to itself with
 * {@link #forEdge} at construction.
 *
 * <p>Threading: {@link #open} on the new call's thread (it becomes the agent's executor); safe from several
 * threads at once (the registry is concurrent, the rest is immutable).
 */
public final class CallOpener {
    private final CallRegistry registry;
    private final VoiceAgentFactory agents;
    private final CallSessionConfig config;
    private final NanoClock clock;
    private final String edge;
    private final AgentRecovery recovery;
    private final RecordingRing recordings;
    private final RecordMode recordMode;

    /**
     * The node's opener, not yet bound to an edge.
     *
     * @param registry admits and tracks every call of the node
     * @param agents   makes one agent per call
     * @param config   the calls' settings
     * @param clock    the time base of every call's {@code nowNs}
     */
    public CallOpener(final CallRegistry registry, final VoiceAgentFactory agents, final CallSessionConfig config,
                      final NanoClock clock) {
        this(Objects.requireNonNull(registry, "registry"), Objects.requireNonNull(agents, "agents"),
            Objects.requireNonNull(config, "config"), Objects.requireNonNull(clock, "clock"), null, AgentRecovery.NONE, null,
            RecordMode.NONE);
    }

    private CallOpener(final CallRegistry registry, final VoiceAgentFactory agents, final CallSessionConfig config,
                       final NanoClock clock, final String edge, final AgentRecovery recovery, final RecordingRing recordings,
                       final RecordMode recordMode) {
        this.registry = registry;
        this.agents = agents;
        this.config = config;
        this.clock = clock;
        this.edge = edge;
        this.recovery = recovery;
        this.recordings = recordings;
        this.recordMode = recordMode;
    }

    /** This opener with its calls recovering from a failed agent connection as {@code agentRecovery} says. */
    public CallOpener withRecovery(final AgentRecovery agentRecovery) {
        return new CallOpener(registry, agents, config, clock, edge, Objects.requireNonNull(agentRecovery, "agentRecovery"),
            recordings, recordMode);
    }

    /**
     * This opener with its calls recorded into {@code ring} as {@code mode} says ({@code --record}); with
     * {@link RecordMode#NONE} no call gets a recording tap, so none can be recorded on request either.
     */
    public CallOpener recordingTo(final RecordingRing ring, final RecordMode mode) {
        Objects.requireNonNull(mode, "mode");
        if (mode != RecordMode.NONE) {
            Objects.requireNonNull(ring, "ring");
        }
        return new CallOpener(registry, agents, config, clock, edge, recovery, mode == RecordMode.NONE ? null : ring, mode);
    }

    /**
     * This opener for the edge {@code edge} ({@code twilio}, {@code sip}), whose calls run with the node's settings
     * changed by {@code adjust}.
     */
    public CallOpener forEdge(final String edge, final UnaryOperator<CallSessionConfig> adjust) {
        return new CallOpener(registry, agents, Objects.requireNonNull(adjust.apply(config), "adjusted config"), clock,
            Objects.requireNonNull(edge, "edge"), recovery, recordings, recordMode);
    }

    /**
     * Opens call {@code callId}: the session is built, admitted and registered but not started (the edge calls
     * {@link CallSession#start} when its leg is ready). A refused call's agent is closed before it ever connected.
     *
     * @param metadata     what the edge knows of the call, for the agent (copied)
     * @param callerFormat the caller's format
     * @param leg          the edge's side of the call
     * @param executor     runs tasks on the call's thread (its event loop)
     * @param nowNs        now, on the opener's clock
     * @throws IllegalStateException when this opener was not bound with {@link #forEdge}
     */
    public CallAdmission open(final String callId, final Map<String, String> metadata, final AudioFormat callerFormat,
                              final CallerLeg leg, final Executor executor, final long nowNs) {
        return open(callId, metadata, callerFormat, leg, executor, nowNs, false);
    }

    /**
     * Opens call {@code callId} as {@link #open} does, for a call this node promised before it began draining: the
     * second half of a call the edge already answered (a Twilio stream whose voice webhook this node answered with
     * TwiML). A drain that began in between does not refuse it; capacity still does.
     */
    public CallAdmission openPromised(final String callId, final Map<String, String> metadata, final AudioFormat callerFormat,
                                      final CallerLeg leg, final Executor executor, final long nowNs) {
        return open(callId, metadata, callerFormat, leg, executor, nowNs, true);
    }

    private CallAdmission open(final String callId, final Map<String, String> metadata, final AudioFormat callerFormat,
                               final CallerLeg leg, final Executor executor, final long nowNs, final boolean promised) {
        if (edge == null) {
            throw new IllegalStateException("bind the opener to an edge with forEdge before opening calls");
        }
        final AgentCall call = new AgentCall(callId, edge, metadata, executor);
        final VoiceAgent agent = agents.create(call);
        final RecordingTap tap = recordings == null ? null : new RecordingTap(recordings, callId, callerFormat);
        final CallSession session = new CallSession(call, callerFormat, leg, agent, registry, config, clock, nowNs, tap,
            recordMode);
        session.recovery(agents, recovery);
        final CallAdmission.Verdict verdict = registry.tryRegister(session.liveness(), promised);
        if (verdict == CallAdmission.Verdict.ACCEPTED) {
            return CallAdmission.accepted(session);
        }
        agent.close("refused: " + verdict.name().toLowerCase(Locale.ROOT), nowNs);
        return CallAdmission.refused(verdict);
    }

    /** The node's registry (for an edge's early check, e.g. a webhook answering 503 before any stream exists). */
    public CallRegistry registry() {
        return registry;
    }

    /** The edge this opener is bound to, or {@code null} for the node's unbound opener. */
    public String edge() {
        return edge;
    }

    /** The settings of the calls this opener opens. */
    public CallSessionConfig config() {
        return config;
    }

    /** The time base of the calls' {@code nowNs}. */
    public NanoClock clock() {
        return clock;
    }
}
