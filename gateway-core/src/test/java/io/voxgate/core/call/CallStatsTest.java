package io.voxgate.core.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class CallStatsTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 7_000_000_000L;

    private final List<Runnable> loop = new ArrayList<>();
    private final CallRegistry registry = new CallRegistry(10);
    private final RecordingLeg leg = new RecordingLeg();
    private final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);

    private CallSession session(final Map<String, String> metadata) {
        return new CallOpener(registry, call -> agent, CallSessionConfig.defaults(), () -> T0)
            .forEdge("sip", UnaryOperator.identity())
            .open("call-1", metadata, AudioFormat.ALAW_8K, leg, loop::add, T0).session();
    }

    private void drainLoop() {
        while (!loop.isEmpty()) {
            loop.remove(0).run();
        }
    }

    @Test
    void shouldDescribeTheCallFromItsMetadataAndFormat() {
        final CallStats stats = session(Map.of("From", "<sip:alice@example.com>;tag=1", "To", "<sip:agent@gw>")).stats();

        assertEquals("<sip:alice@example.com>;tag=1", stats.from());
        assertEquals("<sip:agent@gw>", stats.to());
        assertEquals("alaw/8000", stats.codec());
        assertEquals(CallState.CREATED, stats.state());
        assertEquals(T0, stats.startedNs());
        assertEquals(-1, stats.answeredNs());
    }

    @Test
    void shouldLeaveFromAndToEmptyWhenTheEdgeKnowsNeither() {
        final CallStats stats = session(Map.of()).stats();

        assertEquals("", stats.from());
        assertEquals("", stats.to());
    }

    @Test
    void shouldFollowTheSessionStateAndRecordWhenTheCallWasAnswered() {
        final CallSession session = session(Map.of());

        session.start(T0 + 300 * MS);

        assertEquals(T0 + 300 * MS, session.stats().answeredNs());
        assertEquals(CallState.ACTIVE, session.stats().state());
        session.end("bye", T0 + 900 * MS);
        assertEquals(CallState.ENDED, session.stats().state());
    }

    @Test
    void shouldSayTheCallerEndedACallTheEdgeReportedHungUp() {
        final CallSession session = session(Map.of());
        session.start(T0);
        assertNull(session.stats().endedBy());

        session.end("caller-bye", T0 + MS);

        assertSame(EndedBy.CALLER, session.stats().endedBy());
    }

    @Test
    void shouldSayTheAgentEndedACallItClosed() {
        final CallSession session = session(Map.of());
        session.start(T0);

        agent.listener.onAgentClosed("agent-ended", T0 + MS);

        assertSame(EndedBy.AGENT, session.stats().endedBy());
    }

    @Test
    void shouldSayAnOperatorEndedACallHungUpThroughTheOperatorCommand() {
        final CallSession session = session(Map.of());
        session.start(T0);

        assertTrue(session.proxy().offer(CallCommand.HANG_UP_OPERATOR));
        drainLoop();

        assertSame(EndedBy.OPERATOR, session.stats().endedBy());
        assertEquals(1, leg.hangUps, "the caller's leg is hung up");
        assertEquals("operator hang-up", session.stats().endReason());
    }

    @Test
    void shouldSayTheAgentEndedACallHungUpThroughTheAgentCommand() {
        final CallSession session = session(Map.of());
        session.start(T0);

        assertTrue(session.proxy().offer(CallCommand.HANG_UP_AGENT));
        drainLoop();

        assertSame(EndedBy.AGENT, session.stats().endedBy());
        assertEquals(1, leg.hangUps, "the caller's leg is hung up");
        assertEquals("agent hang-up", session.stats().endReason());
    }

    @Test
    void shouldSayTheGatewayEndedACallItTimedOut() {
        final CallSession session = session(Map.of());
        session.start(T0);

        assertTrue(session.proxy().offer(CallCommand.HANG_UP_IDLE));
        drainLoop();

        assertSame(EndedBy.GATEWAY, session.stats().endedBy());
    }

    @Test
    void shouldCarryWhatTheEdgePublishedAboutTheCallersMedia() {
        final CallStats stats = session(Map.of()).stats();
        assertFalse(stats.callerMedia().measured());
        assertEquals(-1, stats.callerMedia().rttUs());

        stats.callerMedia().publish(1_000, 15, 5, 12, 4_000, 80_000, 60_000);

        assertTrue(stats.callerMedia().measured());
        assertEquals(15, stats.callerMedia().framesLost());
        assertEquals(5, stats.callerMedia().lateDrops());
        assertEquals(12, stats.callerMedia().concealed());
        assertEquals(4_000, stats.callerMedia().jitterUs());
        assertEquals(80_000, stats.callerMedia().rttUs());
        assertEquals(0.02, stats.callerMedia().lossRatio(), 1e-9, "lost and late, of the frames expected");
    }

    @Test
    void shouldFindALiveCallsStatisticsByEdgeAndId() {
        final CallSession session = session(Map.of());

        assertSame(session.stats(), registry.stats("sip", "call-1"));
        assertNull(registry.stats("twilio", "call-1"));
    }
}
