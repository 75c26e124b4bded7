package io.voxgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.sip.signaling.SignalingPolicy;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.RawSipClient;
import io.voxgate.testkit.sip.RtpPeer;
import io.voxgate.testkit.sip.Sipp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every message of RFC 4475 §3.1.1 (valid) and §3.1.2 (invalid), written as fixtures in {@code /rfc4475}, sent over
 * UDP to a running SIP edge while a SIPp call with audio runs beside: each gets the outcome
 * {@code expected.properties} names, and the call beside keeps its audio throughout.
 */
class Rfc4475TortureIT {
    private final int sipPort = FreePorts.udpAndTcp();
    private final int rtpPort = FreePorts.rtpPair();
    private final int peerPort = FreePorts.rtpPair();
    private SipEdge edge;
    private RtpPeer peer;

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
        if (edge != null) {
            edge.stop();
        }
    }

    private static String fixture(final String name) throws IOException {
        try (InputStream in = Rfc4475TortureIT.class.getResourceAsStream("/rfc4475/" + name + ".sip")) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private byte[] render(final String name, final int index) throws IOException {
        return fixture(name).replace("{host}", "127.0.0.1").replace("{port}", Integer.toString(sipPort))
            .replace("{branch}", "z9hG4bKrfc4475-" + index).replace("{callid}", "rfc4475-" + index + "@127.0.0.1")
            .replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Map<String, String> expectations() throws IOException {
        final Properties p = new Properties();
        try (InputStream in = Rfc4475TortureIT.class.getResourceAsStream("/rfc4475/expected.properties")) {
            p.load(in);
        }
        final Map<String, String> sorted = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> sorted.put(k, p.getProperty(k)));
        return sorted;
    }

    @Test
    void shouldGiveEveryTortureMessageItsOutcomeWhileACallBesideKeepsItsAudio() throws Exception {
        // Error answers unlimited here (the stance's budget is tested elsewhere); T1 50 ms ends the unACKed INVITEs in 3.2 s.
        final ScriptedAgents sessions = new ScriptedAgents(40, 0, 1);
        edge = sessions.edge(SipEdgeConfig.builder().bindAddress("127.0.0.1").sipPort(sipPort).rtpPorts(rtpPort, rtpPort + 41)
            .portQuarantineMs(0).sipThreads(2)
            .policy(SignalingPolicy.builder().errorRate(1_000, 1_000).timerT1Ms(50).build()).build());
        edge.start();
        peer = new RtpPeer(peerPort);
        final CompletableFuture<Sipp.Result> beside = CompletableFuture.supplyAsync(() ->
            Sipp.scenario("uac-basic.xml", sipPort).key("rtpport", Integer.toString(peerPort)).pauseMs(20_000)
                .timeoutSeconds(60).run());
        assertTrue(sessions.firstStarted.await(10, TimeUnit.SECONDS), "the call beside started");
        peer.sendTone(new InetSocketAddress("127.0.0.1", rtpPort), RtpPeer.PCMU, 900, RtpPeer.SendPlan.inOrder());

        final RawSipClient client = new RawSipClient(sipPort, 700);
        final Map<String, String> expected = expectations();
        final StringBuilder wrong = new StringBuilder();
        final StringBuilder all = new StringBuilder();
        int index = 0;
        for (final Map.Entry<String, String> e : expected.entrySet()) {
            final int status = client.udpFinal(render(e.getKey(), index++));
            final String outcome = status < 0 ? "none" : Integer.toString(status);
            all.append(e.getKey()).append('=').append(outcome).append(' ');
            if (!Arrays.asList(e.getValue().split("\\|")).contains(outcome)) {
                wrong.append(e.getKey()).append(": expected ").append(e.getValue()).append(", got ").append(outcome).append('\n');
            }
        }
        assertEquals(32, expected.size(), "every message of RFC 4475 §3.1.1 and §3.1.2 has an expectation");
        assertEquals("", wrong.toString(), all.toString());
        assertEquals(200, client.udp(RawSipClient.options("UDP", sipPort, "after-rfc4475")), "the edge still answers");
        assertTrue(sessions.opened.stream().noneMatch(echo -> echo.callId.endsWith("-second")),
            "the octets after dblreq's REGISTER never became a call");

        final Sipp.Result r = beside.get(90, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode, r.describe());
        final long echoed = Arrays.stream(peer.echoedIndices()).distinct().count();
        assertTrue(echoed >= 800, "the call beside kept its audio: " + echoed + " of 900 frames echoed");
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (edge.activeCalls() != 0 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertEquals(0, edge.activeCalls(), "the torture INVITEs answered 200 were given up at Timer H");
    }
}
