package io.voxgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.sip.signaling.RejectReason;
import io.voxgate.sip.signaling.SipCounters;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.RawSipClient;
import io.voxgate.testkit.sip.RtpPeer;
import io.voxgate.testkit.sip.Sipp;
import io.voxgate.testkit.sip.Sipvicious;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIPVicious, the scanner and cracker kit real attackers run, against a running edge that requires digest and allows
 * only 127.0.0.1: from 127.0.0.2 (outside) it learns nothing, not even that a SIP device listens; from inside, the
 * scan finds the device but the extension scan and the password cracker are cut off by the per-source error budget.
 * A call with digest credentials runs beside all of it and keeps its audio.
 */
class SipviciousIT {
    private static final Logger LOG = LoggerFactory.getLogger(SipviciousIT.class);
    private static final String PASSWORD = "Kx9-never-in-a-dictionary";

    private final int sipPort = FreePorts.udpAndTcp();
    private final int rtpPort = FreePorts.rtpPair();
    private final int peerPort = FreePorts.rtpPair();
    private SipEdge edge;
    private RtpPeer peer;
    private ScriptedAgents sessions;

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
        if (edge != null) {
            edge.stop();
        }
    }

    private SipCounters start(final String allowList) {
        final ScriptedAgents sessions = new ScriptedAgents(10, 0, 1);
        this.sessions = sessions;
        edge = sessions.edge(SipEdgeConfig.builder().bindAddress("127.0.0.1").sipPort(sipPort).rtpPorts(rtpPort, rtpPort + 9)
            .portQuarantineMs(0).sipThreads(2).allowList(allowList)
            .digest("voxgate.test", "trunk", PASSWORD).build());
        edge.start();
        return edge.signalingCounters();
    }

    /**
     * svwar and svcrack send from 127.0.0.1 whatever {@code -b} says (only svmap binds where told), so "outside" here
     * is an allow list that holds only 127.0.0.2.
     */
    @Test
    void shouldAnswerScannersAndCrackersFromOutsideTheAllowListNothing() {
        final SipCounters counters = start("127.0.0.2/32");
        final String port = Integer.toString(sipPort);
        final String map = Sipvicious.run("svmap", "127.0.0.1", "-p", port, "127.0.0.1");
        final String war = Sipvicious.run("svwar", "127.0.0.1", "-p", port, "-m", "INVITE", "-e", "100-120",
            "--maximumtime", "3", "127.0.0.1");
        final String crack = Sipvicious.run("svcrack", "127.0.0.1", "-p", port, "-u", "trunk", "-r", "1-50", "-m", "INVITE",
            "--maximumtime", "3", "127.0.0.1");
        LOG.info("from outside the allow list\nsvmap:\n{}\nsvwar:\n{}\nsvcrack:\n{}", map, war, crack);
        assertTrue(map.contains("found nothing"), "svmap found the device:\n" + map);
        assertFalse(map.toLowerCase(Locale.ROOT).contains("voxgate"), map);
        assertTrue(war.contains("found nothing"), war);
        assertTrue(crack.contains("found nothing"), crack);
        assertEquals(0, answered(counters), "not one response left the edge");
        assertTrue(counters.rejected(RejectReason.SOURCE_NOT_ALLOWED) > 0, "every probe was counted");
        LOG.info("outsider probes dropped and counted: {}", counters.rejected(RejectReason.SOURCE_NOT_ALLOWED));
    }

    @Test
    void shouldLockOutTheCrackerByRateWhileTheCallBesideKeepsItsAudio() throws Exception {
        final SipCounters counters = start("127.0.0.1/32");
        peer = new RtpPeer(peerPort);
        final CompletableFuture<Sipp.Result> beside = CompletableFuture.supplyAsync(() ->
            Sipp.scenario("uac-auth.xml", sipPort).key("rtpport", Integer.toString(peerPort)).pauseMs(20_000)
                .timeoutSeconds(90).args("-au", "trunk", "-ap", PASSWORD).run());
        assertTrue(sessions.firstStarted.await(10, TimeUnit.SECONDS), "the call beside started");
        peer.sendTone(new InetSocketAddress("127.0.0.1", rtpPort), RtpPeer.PCMU, 900, RtpPeer.SendPlan.inOrder());
        final String port = Integer.toString(sipPort);

        final String outsideMap = Sipvicious.run("svmap", "127.0.0.2", "-p", port, "127.0.0.1");
        final String map = Sipvicious.run("svmap", "127.0.0.1", "-p", port, "127.0.0.1");
        final String war = Sipvicious.run("svwar", "127.0.0.1", "-p", port, "-m", "INVITE", "-e", "100-160",
            "--maximumtime", "3", "127.0.0.1");
        final String crack = Sipvicious.run("svcrack", "127.0.0.1", "-p", port, "-u", "trunk", "-r", "1-300",
            "-m", "INVITE", "--maximumtime", "3", "127.0.0.1");
        final long challenged = counters.rejected(RejectReason.AUTHENTICATION);
        final long ignored = counters.rejected(RejectReason.ERROR_BUDGET_SPENT);
        LOG.info("svmap from 127.0.0.2 (outside):\n{}\nsvmap from inside:\n{}\nsvwar from inside:\n{}\nsvcrack from inside:\n{}",
            outsideMap, map, war, crack);
        LOG.info("inside: {} INVITEs challenged (401), {} requests ignored once the error budget was spent", challenged,
            ignored);
        assertTrue(outsideMap.contains("found nothing"), outsideMap);
        assertTrue(map.contains("127.0.0.1:" + port), "svmap from inside finds the device:\n" + map);
        assertFalse(crack.contains(PASSWORD), crack);
        assertTrue(crack.contains("found nothing") || !crack.contains("| trunk"), crack);
        assertTrue(ignored > 0, "the cracker was cut off by rate");
        assertTrue(challenged <= 80, "only the error burst and its refill were answered: " + challenged);

        final Sipp.Result r = beside.get(120, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode, r.describe());
        final long echoed = Arrays.stream(peer.echoedIndices()).distinct().count();
        assertTrue(echoed >= 800, "the call beside kept its audio: " + echoed + " of 900 frames echoed");
        Thread.sleep(2_500);
        assertEquals(200, new RawSipClient(sipPort, 1_000).udp(RawSipClient.options("UDP", sipPort, "after-sipvicious")),
            "once its budget refilled, the inside source is answered again");
    }

    /** Every response the edge sent, whatever its code. */
    private static long answered(final SipCounters counters) {
        return IntStream.range(100, 700).mapToLong(counters::responses).sum();
    }
}
