package io.voxgate.core.call;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.voxgate.core.agent.VoiceAgentFactory;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.transfer.TransferState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class CallSessionRecoveryTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 5_000_000_000L;
    private static final int FRAME = 160;

    private final List<Runnable> loop = new ArrayList<>();
    private final CallRegistry registry = new CallRegistry(10);
    private final RecordingLeg leg = new RecordingLeg();
    private final List<ScriptedAgent> agents = new ArrayList<>();
    /** Whether each new agent connects as soon as asked. */
    private boolean newAgentsConnect = true;
    private long nowNs = T0;

    private final VoiceAgentFactory factory = call -> {
        final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, agents.isEmpty() || newAgentsConnect);
        agents.add(agent);
        return agent;
    };

    private CallSession activeCall(final AgentRecovery recovery) {
        final CallSession session = new CallOpener(registry, factory, CallSessionConfig.defaults(), () -> nowNs)
            .withRecovery(recovery).forEdge("sip", c -> c.withOutboundLeadMs(0))
            .open("call-1", Map.of("From", "+14155550123"), AudioFormat.MULAW_8K, leg, loop::add, nowNs).session();
        session.start(nowNs);
        return session;
    }

    /** Ticks every 20 ms for {@code ms}, as the SIP edge does. */
    private void run(final CallSession session, final int ms) {
        for (int t = 0; t < ms; t += 20) {
            session.onTick(nowNs);
            nowNs += 20 * MS;
        }
    }

    private static UnsafeBuffer speech(final int bytes) {
        final byte[] b = new byte[bytes];
        Arrays.fill(b, (byte) 0x15);
        return new UnsafeBuffer(b);
    }

    @Test
    void shouldPlayTheHoldPromptAndHandTheCallToANewAgentMarkedResumed() {
        final CallSession session = activeCall(AgentRecovery.reconnect(2_000));
        final ScriptedAgent first = agents.get(0);
        newAgentsConnect = false;

        first.listener.onAgentLost("vapi-socket-dropped", nowNs);
        final int sentBeforeHold = leg.sentBytes;
        run(session, 400);

        final byte[] heldFrames = Arrays.copyOfRange(leg.sent, sentBeforeHold, leg.sentBytes);
        final byte[] cycleStart = new byte[heldFrames.length];
        HoldPrompt.of(AudioFormat.MULAW_8K).cycle().getBytes(0, cycleStart, 0, cycleStart.length);
        assertArrayEquals(cycleStart, heldFrames, "the caller hears the hold prompt from its start, frame after frame");
        assertEquals(20, heldFrames.length / FRAME, "one hold frame per 20 ms tick: no gap");
        final ScriptedAgent second = agents.get(1);
        assertEquals("true", second.call.metadata().get(CallSession.RESUMED_KEY));
        assertEquals("+14155550123", second.call.metadata().get("From"), "the call's metadata goes to the new agent");

        second.listener.onAgentConnected(nowNs);
        final long audioAtNs = nowNs;
        final int sentBeforeAgent = leg.sentBytes;
        second.listener.onAgentAudio(speech(FRAME), 0, FRAME, nowNs);
        run(session, 20);

        assertEquals((byte) 0x15, leg.sent[sentBeforeAgent], "the new agent is heard right after the prompt");
        assertEquals(CallState.ACTIVE, session.state());
        assertEquals(1, session.stats().agentLosses());
        assertEquals(1, session.stats().agentReconnects());
        assertEquals(audioAtNs - T0, session.stats().lastReconnectToAudioNs());
        assertEquals(1, registry.agentRecovery().lost());
        assertEquals(1, registry.agentRecovery().reconnected());
        assertNull(session.stats().agentFallback());
    }

    @Test
    void shouldTryAgainWhileTheWindowLastsWhenTheNewAgentFailsToConnect() {
        final CallSession session = activeCall(AgentRecovery.reconnect(2_000));
        newAgentsConnect = false;
        agents.get(0).listener.onAgentLost("vapi-socket-dropped", nowNs);

        agents.get(1).listener.onAgentClosed("vapi-create-failed", nowNs);
        run(session, 300);

        assertEquals(3, agents.size(), "a third agent was tried 250 ms after the second failed");
        agents.get(2).listener.onAgentConnected(nowNs);
        assertEquals(1, session.stats().agentReconnects());
        assertEquals(2, session.stats().agentReconnectAttempts());
    }

    @Test
    void shouldHangUpWhenNoAgentComesBackWithinTheWindow() {
        final CallSession session = activeCall(AgentRecovery.reconnect(1_000));
        newAgentsConnect = false;
        agents.get(0).listener.onAgentLost("vapi-socket-dropped", nowNs);

        run(session, 1_100);

        assertEquals(CallState.ENDED, session.state());
        assertEquals(1, leg.hangUps);
        assertEquals("hangup", session.stats().agentFallback());
        assertEquals(EndedBy.GATEWAY, session.stats().endedBy());
        assertEquals(1, agents.get(1).closes, "the agent still connecting is closed");
        assertEquals(1, registry.agentRecovery().reconnectsFailed());
        assertEquals(1, registry.agentRecovery().fallbacks(AgentRecovery.Fallback.HANGUP));
    }

    @Test
    void shouldTransferToTheFallbackTargetAndHangUpWhenThatFailsToo() {
        final CallSession session = activeCall(AgentRecovery.reconnect(1_000).thenTransfer("sip:desk@pbx.example.test"));
        newAgentsConnect = false;
        agents.get(0).listener.onAgentLost("vapi-socket-dropped", nowNs);
        run(session, 1_100);

        assertEquals(1, leg.transfers.size());
        assertEquals("sip:desk@pbx.example.test", leg.transfers.get(0).target());
        assertEquals(CallState.ACTIVE, session.state(), "the caller keeps hearing the prompt while the transfer runs");

        session.onTransferProgress(leg.transfers.get(0).id(), TransferState.FAILED, "486 Busy Here", nowNs);

        assertEquals(CallState.ENDED, session.state());
        assertEquals("transfer", session.stats().agentFallback());
        assertEquals(1, leg.hangUps);
    }

    @Test
    void shouldTryTheFallbackAgentWhenReconnectingFails() {
        final List<ScriptedAgent> fallbacks = new ArrayList<>();
        final VoiceAgentFactory parrots = call -> {
            final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);
            fallbacks.add(agent);
            return agent;
        };
        final CallSession session = activeCall(AgentRecovery.reconnect(500).thenAgent("parrot", parrots));
        newAgentsConnect = false;
        agents.get(0).listener.onAgentLost("vapi-socket-dropped", nowNs);

        run(session, 600);

        assertEquals(1, fallbacks.size());
        assertEquals(CallState.ACTIVE, session.state());
        assertEquals("agent:parrot", session.stats().agentFallback());
        assertEquals(1, registry.agentRecovery().fallbackAgentsConnected());
    }

    @Test
    void shouldEndTheCallAsBeforeWithoutAReconnectWindow() {
        final CallSession session = activeCall(AgentRecovery.NONE);

        agents.get(0).listener.onAgentLost("vapi-socket-dropped", nowNs);

        assertEquals(CallState.ENDED, session.state());
        assertEquals(1, agents.size());
        assertEquals(1, leg.hangUps);
    }
}
