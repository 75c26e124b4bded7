package io.voxgate.sip;

import io.voxgate.core.agent.AgentCall;
import io.voxgate.core.agent.VoiceAgent;
import io.voxgate.core.agent.VoiceAgentFactory;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSession;
import io.voxgate.core.call.CallSessionConfig;
import io.voxgate.core.call.CallerLeg;
import java.util.Map;
import java.util.concurrent.Executor;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;

/**
 * The production call model behind SIP calls: a core {@link CallSession} per call, with an agent from the
 * launcher's {@link VoiceAgentFactory}, admitted by the node's shared {@link CallRegistry} (both edges count
 * against {@code --max-calls}).
 *
 * <p>The session's outbound lead is forced to 0: RTP buffers nothing at the far end, so the pacer must release
 * exactly one frame per 20 ms tick (CallSession's contract for lead 0). Session-level commands from other
 * threads (the registry's max-duration, idle and drain sweeps) reach the call through the session's own
 * {@code CallCommandProxy}; its hang-ups come back to the edge as {@link CallerLeg#hangUp}.
 *
 * <p>Threading: {@link #open} runs on the new call's loop; the factory and registry are safe on any thread.
 */
final class CoreCallSessions implements SipCallSessions {
    /** The edge name agents see in {@link AgentCall#edge()}. */
    static final String EDGE = "sip";

    private final CallRegistry registry;
    private final VoiceAgentFactory agents;
    private final CallSessionConfig config;
    private final NanoClock clock;

    CoreCallSessions(final CallRegistry registry, final VoiceAgentFactory agents, final CallSessionConfig config,
                     final NanoClock clock) {
        this.registry = registry;
        this.agents = agents;
        this.config = config.withOutboundLeadMs(0);
        this.clock = clock;
    }

    @Override
    public Opened open(final String callId, final Map<String, String> metadata, final AudioFormat callerFormat,
                       final CallerLeg leg, final Executor executor, final long nowNs) {
        final AgentCall call = new AgentCall(callId, EDGE, metadata, executor);
        final VoiceAgent agent = agents.create(call);
        final CallSession session = new CallSession(call, callerFormat, leg, agent, registry, config, clock, nowNs);
        switch (registry.tryRegister(session)) {
            case ACCEPTED:
                return Opened.accepted(new Adapter(session));
            case FULL:
                agent.close("refused: full", nowNs);
                return Opened.refused(Refusal.FULL);
            case DRAINING:
                agent.close("refused: draining", nowNs);
                return Opened.refused(Refusal.DRAINING);
            default:
                agent.close("refused: duplicate", nowNs);
                return Opened.refused(Refusal.DUPLICATE);
        }
    }

    /** Presents a core session to the SIP call; confined to the call's loop. */
    private static final class Adapter implements SipCallSession {
        private final CallSession session;

        Adapter(final CallSession session) {
            this.session = session;
        }

        @Override
        public void start(final long nowNs) {
            session.start(nowNs);
        }

        @Override
        public void onCallerAudio(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
            session.onCallerAudio(audio, offset, length, nowNs);
        }

        @Override
        public void onCallerDigit(final char digit, final long nowNs) {
            session.onCallerDigit(digit, nowNs);
        }

        @Override
        public void onTick(final long nowNs) {
            session.onTick(nowNs);
        }

        @Override
        public void end(final String reason, final long nowNs) {
            session.end(reason, nowNs);
        }
    }
}
