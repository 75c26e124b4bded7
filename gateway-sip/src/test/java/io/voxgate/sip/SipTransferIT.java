package io.voxgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.voxgate.core.call.CallCommand;
import io.voxgate.core.call.CallCommandProxy;
import io.voxgate.core.call.CallState;
import io.voxgate.core.call.CallStats;
import io.voxgate.core.call.EndedBy;
import io.voxgate.core.transfer.TransferRequest;
import io.voxgate.core.transfer.TransferState;
import io.voxgate.sip.signaling.SignalingPolicy;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.Sipp;
import io.voxgate.testkit.sip.SippMessageLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Blind transfer by REFER against SIPp as the caller's side, one scenario per outcome: accepted and completed (BYE
 * after the 2xx sipfrag), refused (403 to the REFER), failed (NOTIFY 486), and no NOTIFY at all (the deadline, 64*T1,
 * run here with T1 50 ms: 3.2 s). The transfer goes in through the call's command ring, the way the admin API sends it.
 */
@Timeout(60)
class SipTransferIT {
    private static final String TARGET = "sip:desk@pbx.example.test";
    private final int sipPort = FreePorts.udpAndTcp();
    private final int rtpPort = FreePorts.rtpPair();
    private final int peerPort = FreePorts.rtpPair();
    private SipEdge edge;
    private ScriptedAgents sessions;

    @AfterEach
    void stop() {
        if (edge != null) {
            edge.stop();
        }
    }

    private void start() {
        sessions = new ScriptedAgents(10, 0, 1);
        edge = sessions.edge(SipEdgeConfig.builder().bindAddress("127.0.0.1").sipPort(sipPort).rtpPorts(rtpPort, rtpPort + 1)
            .portQuarantineMs(0).sipThreads(2)
            .policy(SignalingPolicy.builder().timerT1Ms(50).build()).build());
        edge.start();
    }

    /** Runs {@code scenario}, transfers its call once the agent is connected, and waits for SIPp and the call's end. */
    private Sipp.Result transferDuring(final String scenario, final AtomicReference<CallStats> stats) throws Exception {
        final CompletableFuture<Sipp.Result> sipp = CompletableFuture.supplyAsync(() -> Sipp.scenario(scenario, sipPort)
            .key("rtpport", Integer.toString(peerPort)).timeoutSeconds(30).run());
        assertTrue(sessions.firstStarted.await(20, TimeUnit.SECONDS), "the call was answered and its agent started");
        final String callId = sessions.opened.get(0).callId;
        stats.set(sessions.registry.stats("sip", callId));
        final CallCommandProxy<CallCommand> proxy = sessions.registry.proxy("sip", callId);
        assertTrue(proxy.offer(CallCommand.transfer(TransferRequest.of(TARGET, null, TransferRequest.Origin.OPERATOR))));
        final Sipp.Result result = sipp.get(40, TimeUnit.SECONDS);
        assertTrue(sessions.endedLatch.await(10, TimeUnit.SECONDS), "the call ended");
        // The agent hears of the end while the session is still ENDING; the session's last step follows on its loop.
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stats.get().state() != CallState.ENDED && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        return result;
    }

    /**
     * The agent's transfer updates with the acceptance's detail left out once it is one of the two a REFER can be
     * accepted by: its 202, or a NOTIFY that overtook the 202 (a test of its own below). SIPp sends the 202 first, but
     * which of the two the gateway takes first on loopback UDP depends on jain-sip's parsing threads.
     */
    private static List<String> accepted(final List<String> updates) {
        final List<String> out = new ArrayList<>();
        for (final String u : updates) {
            out.add(u.equals("accepted:202 Accepted") || u.equals("accepted:NOTIFY before the 2xx") ? "accepted:" : u);
        }
        return out;
    }

    @Test
    void shouldTakeANotifyThatOvertakesTheAnswerToTheReferAsItsAcceptance() throws Exception {
        assumeTrue(Sipp.available(), "sipp is not installed");
        start();
        final AtomicReference<CallStats> stats = new AtomicReference<>();

        final Sipp.Result result = transferDuring("uac-transfer-notify-first.xml", stats);

        assertEquals(0, result.exitCode, "both NOTIFYs answered 200 although the first came before the 202: "
            + result.describe());
        final ScriptedAgents.Echo agent = sessions.opened.get(0);
        assertEquals(List.of("requested:", "accepted:NOTIFY before the 2xx", "trying:100 Trying", "failed:486 Busy Here"),
            agent.transferUpdates);
        assertEquals(1, sessions.registry.transfers().ended(TransferState.FAILED));
    }

    @Test
    void shouldReferAndHangUpWithByeAfterTheTwoHundredSipfrag() throws Exception {
        assumeTrue(Sipp.available(), "sipp is not installed");
        start();
        final AtomicReference<CallStats> stats = new AtomicReference<>();

        final Sipp.Result result = transferDuring("uac-transfer-accept.xml", stats);

        assertEquals(0, result.exitCode, "REFER with Refer-To and Referred-By, both NOTIFYs answered 200, then BYE: "
            + result.describe());
        final ScriptedAgents.Echo agent = sessions.opened.get(0);
        assertEquals("transferred", agent.endReason);
        assertEquals(List.of("requested:", "accepted:", "trying:100 Trying", "succeeded:200 OK"),
            accepted(agent.transferUpdates));
        assertEquals(EndedBy.TRANSFER, stats.get().endedBy());
        assertEquals(TransferState.SUCCEEDED, stats.get().transferState());
        assertEquals(1, sessions.registry.transfers().ended(TransferState.SUCCEEDED));
        final SippMessageLog.Timeline t = SippMessageLog.timeline(result.messages);
        final long refer = t.at("received REFER", 1);
        final long finalNotify = t.at("sent NOTIFY", 2);
        final long bye = t.at("received BYE", 1);
        assertTrue(refer > 0 && finalNotify > refer && bye > finalNotify, "REFER, final NOTIFY, BYE in order");
        LoggerFactory.getLogger(SipTransferIT.class).info("transfer timings on SIPp's clock: REFER in -> 202 out {} us,"
            + " REFER in -> final NOTIFY out {} us, final NOTIFY out -> BYE in {} us (gateway's reaction)",
            t.at("sent SIP/2.0 202", 1) - refer, finalNotify - refer, bye - finalNotify);
    }

    @Test
    void shouldKeepTheCallAndTellTheAgentWhenTheReferIsRefused() throws Exception {
        assumeTrue(Sipp.available(), "sipp is not installed");
        start();
        final AtomicReference<CallStats> stats = new AtomicReference<>();

        final Sipp.Result result = transferDuring("uac-transfer-refused.xml", stats);

        assertEquals(0, result.exitCode, "no BYE from the gateway; the caller's later BYE found the dialog: " + result.describe());
        final ScriptedAgents.Echo agent = sessions.opened.get(0);
        assertEquals(List.of("requested:", "refused:403 Forbidden"), agent.transferUpdates);
        assertEquals("caller hung up", agent.endReason);
        assertEquals(EndedBy.CALLER, stats.get().endedBy());
        assertEquals(1, sessions.registry.transfers().ended(TransferState.REFUSED));
    }

    @Test
    void shouldKeepTheCallAndTellTheAgentWhenTheNotifySaysBusy() throws Exception {
        assumeTrue(Sipp.available(), "sipp is not installed");
        start();
        final AtomicReference<CallStats> stats = new AtomicReference<>();

        final Sipp.Result result = transferDuring("uac-transfer-busy.xml", stats);

        assertEquals(0, result.exitCode, result.describe());
        final ScriptedAgents.Echo agent = sessions.opened.get(0);
        assertEquals(List.of("requested:", "accepted:", "trying:100 Trying", "failed:486 Busy Here"),
            accepted(agent.transferUpdates));
        assertEquals("caller hung up", agent.endReason);
        assertEquals(1, sessions.registry.transfers().ended(TransferState.FAILED));
    }

    @Test
    void shouldGiveTheTransferUpAt64T1WithoutAFinalNotifyAndRefuseALateOne() throws Exception {
        assumeTrue(Sipp.available(), "sipp is not installed");
        start();
        final AtomicReference<CallStats> stats = new AtomicReference<>();

        final Sipp.Result result = transferDuring("uac-transfer-silent.xml", stats);

        assertEquals(0, result.exitCode, "the late NOTIFY got 481 and the caller's BYE found the dialog: " + result.describe());
        final ScriptedAgents.Echo agent = sessions.opened.get(0);
        assertEquals(List.of("requested:", "accepted:", "timed_out:no final NOTIFY within 3200 ms"),
            accepted(agent.transferUpdates));
        assertEquals("caller hung up", agent.endReason);
        assertEquals(CallState.ENDED, stats.get().state());
        assertEquals(1, sessions.registry.transfers().ended(TransferState.TIMED_OUT));
    }
}
