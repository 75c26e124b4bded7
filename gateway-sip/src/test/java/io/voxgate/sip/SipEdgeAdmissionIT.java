package io.voxgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.RawSipClient;
import io.voxgate.testkit.sip.Sipp;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Admission is asynchronous: the edge binds the RTP ports and opens the session on the call's media loop while
 * jain-sip's single event thread goes on with other requests. A slow admission (the session open held by a gate)
 * must neither delay other signalling nor leak what it took when the caller gives up meanwhile.
 */
class SipEdgeAdmissionIT {
    private final int sipPort = FreePorts.udpAndTcp();
    private final int rtpPort = FreePorts.rtpPair();
    private final int peerPort = FreePorts.rtpPair();
    private SipEdge edge;

    private ScriptedAgents start(final ScriptedAgents sessions) {
        // One RTP port pair only: a call that leaked it would make the next call fail with 503.
        edge = sessions.edge(SipEdgeConfig.builder().bindAddress("127.0.0.1").sipPort(sipPort).rtpPorts(rtpPort, rtpPort + 1)
            .portQuarantineMs(0).sipThreads(2).build());
        edge.start();
        return sessions;
    }

    @AfterEach
    void stop() {
        if (edge != null) {
            edge.stop();
        }
    }

    /** Waits, bounded, for a figure that another thread settles. */
    private static int settled(final IntSupplier figure, final int expected) throws InterruptedException {
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (figure.getAsInt() != expected && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        return figure.getAsInt();
    }

    @Test
    void shouldAnswerCancelWith487WhileTheAdmissionIsStillPendingAndReleaseItsPortAndSession() throws InterruptedException {
        final ScriptedAgents sessions = start(new ScriptedAgents(10, 0, 1));
        final CountDownLatch gate = new CountDownLatch(1);
        sessions.openGate = gate;
        try {
            final Sipp.Result r = Sipp.scenario("uac-cancel-admitting.xml", sipPort).key("rtpport", Integer.toString(peerPort))
                .timeoutSeconds(8).run();
            assertEquals(0, r.exitCode, r.describe());
            assertTrue(sessions.openEntered.await(1, TimeUnit.SECONDS), "the admission had reached the session open");
            assertEquals(1, edge.rtpPortsInUse(), "the pending admission still holds its port pair");
        } finally {
            gate.countDown();
        }
        assertTrue(sessions.endedLatch.await(5, TimeUnit.SECONDS), "the session opened after the CANCEL is ended");
        assertEquals("ended during admission", sessions.opened.get(0).endReason);
        assertEquals(0, settled(edge::activeCalls, 0));
        assertEquals(0, settled(edge::rtpPortsInUse, 0), "the port pair is released");
    }

    @Test
    void shouldAnswerOtherRequestsWhileAnAdmissionIsSlow() throws Exception {
        final ScriptedAgents sessions = start(new ScriptedAgents(10, 0, 2));
        final CountDownLatch gate = new CountDownLatch(1);
        sessions.openGate = gate;
        final Thread caller = new Thread(() -> Sipp.scenario("uac-cancel-admitting.xml", sipPort)
            .key("rtpport", Integer.toString(peerPort)).timeoutSeconds(8).run());
        caller.start();
        try {
            assertTrue(sessions.openEntered.await(5, TimeUnit.SECONDS), "the admission reached the session open");
            // The media loop is stuck in the session open; the jain-sip thread must still answer.
            assertEquals(200, new RawSipClient(sipPort, 2_000).udp(RawSipClient.options("UDP", sipPort, "probe-admission")));
        } finally {
            gate.countDown();
            caller.join(15_000);
        }
        sessions.openGate = null;
        assertEquals(0, settled(edge::rtpPortsInUse, 0));
        final Sipp.Result next = Sipp.scenario("uac-basic.xml", sipPort).key("rtpport", Integer.toString(peerPort)).pauseMs(200).run();
        assertEquals(0, next.exitCode, "a call after the released admission gets the port pair again: " + next.describe());
    }
}
