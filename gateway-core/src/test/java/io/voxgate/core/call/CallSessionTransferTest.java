package io.voxgate.core.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.transfer.TransferRequest;
import io.voxgate.core.transfer.TransferState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class CallSessionTransferTest {
    private static final long T0 = 5_000_000_000L;
    private static final long MS = 1_000_000L;

    private final List<Runnable> loop = new ArrayList<>();
    private final CallRegistry registry = new CallRegistry(10);
    private final RecordingLeg leg = new RecordingLeg();
    private final ScriptedAgent agent = new ScriptedAgent(AudioFormat.MULAW_8K, true);

    private CallSession activeCall() {
        final CallSession session = new CallOpener(registry, call -> agent, CallSessionConfig.defaults(), () -> T0)
            .forEdge("sip", UnaryOperator.identity())
            .open("call-1", Map.of(), AudioFormat.MULAW_8K, leg, loop::add, T0).session();
        session.start(T0);
        return session;
    }

    private static TransferRequest request() {
        return TransferRequest.of("sip:desk@pbx.example.test", null, TransferRequest.Origin.OPERATOR);
    }

    private void command(final CallSession session, final CallCommand command) {
        session.proxy().offer(command);
        loop.forEach(Runnable::run);
        loop.clear();
    }

    @Test
    void shouldHandATransferCommandToTheLegAndShowItAsRequested() {
        final CallSession session = activeCall();
        final TransferRequest request = request();

        command(session, CallCommand.transfer(request));

        assertEquals(List.of(request), leg.transfers);
        assertSame(request, session.stats().transfer());
        assertEquals(TransferState.REQUESTED, session.stats().transferState());
        assertEquals(1, registry.transfers().requested());
        assertEquals(List.of("requested:"), agent.transferUpdates);
    }

    @Test
    void shouldEndTheCallAndHangUpTheLegWhenTheTransferSucceeds() {
        final CallSession session = activeCall();
        final TransferRequest request = request();
        command(session, CallCommand.transfer(request));

        session.onTransferProgress(request.id(), TransferState.ACCEPTED, "202 Accepted", T0 + 30 * MS);
        session.onTransferProgress(request.id(), TransferState.TRYING, "100 Trying", T0 + 40 * MS);
        session.onTransferProgress(request.id(), TransferState.SUCCEEDED, "200 OK", T0 + 900 * MS);

        assertEquals(CallState.ENDED, session.state());
        assertEquals(EndedBy.TRANSFER, session.stats().endedBy());
        assertEquals(1, leg.hangUps, "SIP: the BYE after the 2xx sipfrag");
        assertEquals(T0 + 30 * MS, session.stats().transferAcceptedNs());
        assertEquals(T0 + 900 * MS, session.stats().transferEndedNs());
        assertEquals(1, registry.transfers().ended(TransferState.SUCCEEDED));
        assertEquals(List.of("requested:", "accepted:202 Accepted", "trying:100 Trying", "succeeded:200 OK"),
            agent.transferUpdates);
    }

    @Test
    void shouldKeepTheCallAndTellTheAgentWhenTheTransferFails() {
        final CallSession session = activeCall();
        final TransferRequest request = request();
        command(session, CallCommand.transfer(request));

        session.onTransferProgress(request.id(), TransferState.ACCEPTED, "202 Accepted", T0);
        session.onTransferProgress(request.id(), TransferState.FAILED, "486 Busy Here", T0 + 100 * MS);

        assertEquals(CallState.ACTIVE, session.state());
        assertEquals(0, leg.hangUps);
        assertEquals("486 Busy Here", session.stats().transferDetail());
        assertEquals(1, registry.transfers().ended(TransferState.FAILED));
        assertEquals("failed:486 Busy Here", agent.transferUpdates.get(agent.transferUpdates.size() - 1));
    }

    @Test
    void shouldIgnoreReportsAfterTheFinalStateAndReportsOfAnotherTransfer() {
        final CallSession session = activeCall();
        final TransferRequest request = request();
        command(session, CallCommand.transfer(request));

        session.onTransferProgress("TR0000000000000000", TransferState.SUCCEEDED, "200 OK", T0);
        session.onTransferProgress(request.id(), TransferState.TIMED_OUT, "no final NOTIFY", T0);
        session.onTransferProgress(request.id(), TransferState.SUCCEEDED, "200 OK", T0);

        assertEquals(CallState.ACTIVE, session.state());
        assertEquals(TransferState.TIMED_OUT, session.stats().transferState());
    }

    @Test
    void shouldRefuseASecondTransferWhileOneIsUnderWay() {
        final CallSession session = activeCall();
        final TransferRequest first = request();
        command(session, CallCommand.transfer(first));

        command(session, CallCommand.transfer(request()));

        assertEquals(List.of(first), leg.transfers);
        assertSame(first, session.stats().transfer());
        assertEquals(1, session.stats().transfersRefusedBusy());
        assertEquals(1, registry.transfers().ended(TransferState.NOT_POSSIBLE));
    }

    @Test
    void shouldReportNotPossibleWhenTheEdgeCannotTransfer() {
        leg.acceptTransfers = false;
        final CallSession session = activeCall();

        command(session, CallCommand.transfer(request()));

        assertEquals(TransferState.NOT_POSSIBLE, session.stats().transferState());
        assertEquals(CallState.ACTIVE, session.state());
    }

    @Test
    void shouldCountATransferCutShortByTheCallersHangUpAsCallEnded() {
        final CallSession session = activeCall();
        command(session, CallCommand.transfer(request()));

        session.end("caller hung up", T0 + MS);

        assertEquals(TransferState.CALL_ENDED, session.stats().transferState());
        assertEquals(1, registry.transfers().ended(TransferState.CALL_ENDED));
    }

    @Test
    void shouldTakeATransferTheAgentAsksFor() {
        final CallSession session = activeCall();
        final TransferRequest request = TransferRequest.of("tel:+14155550111", "Connecting you now",
            TransferRequest.Origin.AGENT);

        agent.listener.onAgentTransferRequest(request, T0);

        assertEquals(List.of(request), leg.transfers);
        assertNull(session.endReason());
    }

    @Test
    void shouldLetTheAgentsQueuedWordsPlayOutBeforeHandingTheTransferToTheLeg() {
        final CallSession session = activeCall();
        final byte[] words = new byte[1_600];
        Arrays.fill(words, (byte) 0x15);
        agent.listener.onAgentAudio(new UnsafeBuffer(words), 0, words.length, T0);
        final TransferRequest request = request();

        command(session, CallCommand.transfer(request));

        assertEquals(List.of(), leg.transfers, "\"let me transfer you\" is still playing");
        long now = T0;
        while (leg.transfers.isEmpty() && now < T0 + 1_000 * MS) {
            now += 20 * MS;
            session.onTick(now);
        }
        assertEquals(List.of(request), leg.transfers);
        assertEquals(10, leg.framesSent, "every word was sent first");
        assertTrue(now >= T0 + 180 * MS, "not before the last frame played: " + (now - T0) / MS + " ms");
    }
}
