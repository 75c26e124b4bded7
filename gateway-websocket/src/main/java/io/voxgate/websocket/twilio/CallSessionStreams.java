package io.voxgate.websocket.twilio;

import io.netty.channel.EventLoop;
import io.voxgate.core.agent.AgentCall;
import io.voxgate.core.agent.VoiceAgent;
import io.voxgate.core.agent.VoiceAgentFactory;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSession;
import io.voxgate.core.call.CallSessionConfig;
import io.voxgate.core.call.CallerLeg;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;

/**
 * The production binding of a started stream: a {@link CallSession} between the stream's {@link CallerLeg} and an
 * agent from the {@link VoiceAgentFactory}, admitted by the node's {@link CallRegistry}.
 *
 * <p>The call's thread is the stream's event loop: it is the {@link AgentCall#executor()}, so agents with I/O of their
 * own (Vapi) bootstrap on it and every callback lands there. Twilio streams mu-law 8 kHz, so that is the caller
 * format; the session transcodes when the agent asks for another. A refused call is closed with 1013 (try again
 * later) when the node is full or draining, 1008 for a second stream of a call already running.
 *
 * <p>Threading: {@link #open} on the stream's event loop. The registry is shared by all loops.
 */
final class CallSessionStreams implements StreamCallFactory {
    /** RFC 6455 §7.4.1 / IANA: the server is overloaded or going away; the client may retry. */
    private static final int CLOSE_TRY_AGAIN_LATER = 1013;
    private static final int CLOSE_POLICY = 1008;

    private final VoiceAgentFactory agents;
    private final CallRegistry registry;
    private final CallSessionConfig sessionConfig;
    private final NanoClock clock;

    CallSessionStreams(final VoiceAgentFactory agents, final CallRegistry registry, final CallSessionConfig sessionConfig,
                       final NanoClock clock) {
        this.agents = agents;
        this.registry = registry;
        this.sessionConfig = sessionConfig;
        this.clock = clock;
    }

    @Override
    public StreamCallOpening open(final StreamStart start, final CallerLeg leg, final EventLoop loop, final long nowNs) {
        final AgentCall call = new AgentCall(start.callSid(), "twilio", start.metadata(), loop);
        final VoiceAgent agent = agents.create(call);
        final CallSession session = new CallSession(call, AudioFormat.MULAW_8K, leg, agent, registry, sessionConfig, clock, nowNs);
        final CallRegistry.Admission admission = registry.tryRegister(session);
        switch (admission) {
            case ACCEPTED:
                session.start(nowNs);
                return StreamCallOpening.opened(new SessionCall(session));
            case FULL:
                agent.close("gateway full", nowNs);
                return StreamCallOpening.refused(CLOSE_TRY_AGAIN_LATER, "gateway full");
            case DRAINING:
                agent.close("gateway draining", nowNs);
                return StreamCallOpening.refused(CLOSE_TRY_AGAIN_LATER, "gateway draining");
            default:
                agent.close("duplicate stream", nowNs);
                return StreamCallOpening.refused(CLOSE_POLICY, "a stream for this call is already running");
        }
    }

    /** A running session as the stream drives it. */
    private static final class SessionCall implements StreamCall {
        private final CallSession session;

        SessionCall(final CallSession session) {
            this.session = session;
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
        public long nextTickNs() {
            return session.nextReleaseNs();
        }

        @Override
        public void end(final String reason, final long nowNs) {
            // Idempotent in the session; it also leaves the registry.
            session.end(reason, nowNs);
        }
    }
}
