package io.voxgate.app.cdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.voxgate.app.config.GatewayConfig;
import io.voxgate.app.config.GatewayOption;
import io.voxgate.app.config.Secrets;
import io.voxgate.app.runtime.Gateway;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.RtpPeer;
import io.voxgate.testkit.sip.Sipp;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.TwilioCallSimulator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Call detail records on a running node: a simulated Twilio call leaves exactly one record with its figures and its
 * parties, POSTed signed to {@code --cdr-url} as well; a SIPp call whose RTP loses packets leaves one with its loss,
 * jitter and MOS.
 */
@Timeout(90)
class CdrIT {
    private static final String TOKEN = "cdr-test-token";
    private static final String PUBLIC_URL = "https://voice.example.test";
    private static final String CDR_SECRET = "cdr-signing-secret";

    private static int freeTcpPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Map<GatewayOption, String> flags(final Path file) throws Exception {
        final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
        flags.put(GatewayOption.HTTP_PORT, Integer.toString(freeTcpPort()));
        flags.put(GatewayOption.ADMIN_PORT, "0");
        flags.put(GatewayOption.BIND, "127.0.0.1");
        flags.put(GatewayOption.AGENT, "echo");
        flags.put(GatewayOption.CDR_FILE, file.toString());
        return flags;
    }

    private static void awaitNoCalls(final Gateway gateway) throws InterruptedException {
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gateway.registry().size() > 0 && System.nanoTime() < giveUp) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    /** What the local receiver got: body and signature header of each POST. */
    private record Post(byte[] body, String signature) {
    }

    @Test
    void shouldWriteAndPostOneSignedRecordForATwilioCallWithItsParties(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("cdr.jsonl");
        final List<Post> posts = new CopyOnWriteArrayList<>();
        final HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/cdr", exchange -> {
            posts.add(new Post(exchange.getRequestBody().readAllBytes(),
                exchange.getRequestHeaders().getFirst(CdrPoster.SIGNATURE_HEADER)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        final Map<GatewayOption, String> flags = flags(file);
        flags.put(GatewayOption.CDR_URL, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/cdr");
        final Map<String, String> env = Map.of(Secrets.TWILIO_AUTH_TOKEN, TOKEN, Secrets.VOXGATE_CDR_SECRET, CDR_SECRET);
        final SimulatedCallResult call;
        final long beforeSeconds = System.currentTimeMillis() / 1_000L;
        try (Gateway gateway = Gateway.start(GatewayConfig.load(flags, null, env), PUBLIC_URL, Secrets.fromEnvironment(env));
             TwilioCallSimulator simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", gateway.httpPort())
                 .publicUrl(PUBLIC_URL).authToken(TOKEN).build()) {
            call = simulator.call(CallPlan.builder().numbers("+14155550123", "+14155550100")
                .audio(SimulatedAudio.tone(440, 1000, 8000)).hangUp(true).build()).get(20, TimeUnit.SECONDS);
            assertTrue(call.ok(), call.toString());
            awaitNoCalls(gateway);
        } finally {
            receiver.stop(0);
        }

        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(1, lines.size(), lines.toString());
        final JsonNode cdr = new ObjectMapper().readTree(lines.get(0));
        assertEquals(call.callSid(), cdr.get("callId").asText());
        assertEquals("twilio", cdr.get("edge").asText());
        assertEquals("+14155550123", cdr.get("from").asText(), cdr.toString());
        assertEquals("+14155550100", cdr.get("to").asText(), cdr.toString());
        assertEquals("echo", cdr.get("agent").asText());
        assertEquals("caller", cdr.get("endedBy").asText(), cdr.toString());
        assertTrue(!cdr.get("answeredAt").isNull(), cdr.toString());
        assertEquals(call.framesSent(), cdr.get("framesIn").asLong(), cdr.toString());
        assertTrue(cdr.get("durationMs").asLong() >= 1000, cdr.toString());
        assertTrue(cdr.get("framesOut").asLong() > 0, cdr.toString());
        assertTrue(!cdr.get("endReason").asText().isEmpty(), cdr.toString());

        assertEquals(1, posts.size(), "one POST per record");
        final Post post = posts.get(0);
        assertEquals(lines.get(0), new String(post.body(), StandardCharsets.UTF_8), "the POST carries the file's record");
        final long t = Long.parseLong(post.signature().substring(2, post.signature().indexOf(',')));
        assertTrue(t >= beforeSeconds && t <= System.currentTimeMillis() / 1_000L, "t is the sending time: " + post.signature());
        assertEquals(CdrPoster.sign(CDR_SECRET.getBytes(StandardCharsets.UTF_8), t, post.body()), post.signature(),
            "HMAC-SHA256 of t.body under VOXGATE_CDR_SECRET");
    }

    @Test
    void shouldRecordTheLossJitterAndMosOfASippCallWithImpairedRtp(@TempDir final Path dir) throws Exception {
        assumeTrue(Sipp.available(), "sipp is not installed");
        final Path file = dir.resolve("cdr.jsonl");
        final int sipPort = FreePorts.udpAndTcp();
        final int rtpPort = FreePorts.rtpPair();
        final Map<GatewayOption, String> flags = flags(file);
        flags.put(GatewayOption.SIP_PORT, Integer.toString(sipPort));
        flags.put(GatewayOption.SIP_TRANSPORT, "udp");
        flags.put(GatewayOption.RTP_PORTS, rtpPort + "-" + (rtpPort + 1));
        final Map<String, String> env = Map.of(Secrets.TWILIO_AUTH_TOKEN, TOKEN);
        final int peerPort = FreePorts.rtpPair();
        try (Gateway gateway = Gateway.start(GatewayConfig.load(flags, null, env), PUBLIC_URL, Secrets.fromEnvironment(env));
             RtpPeer peer = new RtpPeer(peerPort)) {
            final CompletableFuture<Sipp.Result> run = CompletableFuture.supplyAsync(() -> Sipp.scenario("uac-basic.xml", sipPort)
                .key("rtpport", Integer.toString(peerPort)).pauseMs(4_000).timeoutSeconds(30).run());
            final AtomicBoolean answered = new AtomicBoolean();
            final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!answered.get() && System.nanoTime() < giveUp) {
                gateway.registry().forEachCall((id, edge, stats) -> answered.compareAndSet(false, stats.answeredNs() >= 0));
                TimeUnit.MILLISECONDS.sleep(10);
            }
            assertTrue(answered.get(), "the SIPp call was answered");
            // Every 10th packet lost, every 7th duplicated, every 13th swapped with its successor, for 3 s.
            peer.sendTone(new InetSocketAddress("127.0.0.1", rtpPort), RtpPeer.PCMU, 150, RtpPeer.SendPlan.impaired());
            final Sipp.Result call = run.get(40, TimeUnit.SECONDS);
            assertEquals(0, call.exitCode, call.describe());
            awaitNoCalls(gateway);
        }

        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(1, lines.size(), lines.toString());
        final JsonNode cdr = new ObjectMapper().readTree(lines.get(0));
        assertEquals("sip", cdr.get("edge").asText());
        assertEquals("mulaw/8000", cdr.get("codec").asText(), "SIPp offers PCMU first: " + cdr);
        assertTrue(cdr.get("from").asText().contains("sip:"), cdr.toString());
        assertEquals("caller", cdr.get("endedBy").asText(), cdr.toString());
        assertTrue(cdr.get("framesLost").asLong() >= 10, "15 of 150 packets were never sent: " + cdr);
        assertTrue(cdr.get("concealed").asLong() > 0, cdr.toString());
        assertTrue(cdr.get("jitterMs").isNumber() && cdr.get("jitterMs").asDouble() >= 0, cdr.toString());
        final double mos = cdr.get("mos").asDouble();
        assertTrue(cdr.get("mos").isNumber() && mos > 1.0 && mos < 3.5, "about 10 % loss is a poor call: " + cdr);
        assertTrue(cdr.get("rttMs").isNull(), "SIPp sends no RTCP: " + cdr);
    }
}
