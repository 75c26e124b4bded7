package io.voxgate.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.SslContextBuilder;
import io.voxgate.testkit.sip.SelfSignedCertificate;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.TwilioCallSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two gateway nodes (child processes, sharing one redis-server) behind HAProxy running the shipped
 * deploy/haproxy/haproxy.cfg (only addresses, ports and file paths changed; its third server is a port nobody listens
 * on, a node that is down). Twilio's side is the call simulator over TLS to HAProxy: webhooks to the shared name
 * {@code voice.example.com}, signed as Twilio signs them, and each media stream to the host its TwiML names.
 * Webhooks spread over both nodes, each stream lands on the node that answered its webhook and carries audio both
 * ways; a node sent SIGTERM leaves HAProxy's set through {@code /readyz} while its calls finish, and no webhook fails
 * meanwhile. Figures go to target/cluster-figures.txt.
 */
@Timeout(300)
class HaproxyClusterIT {
    private static final String AUTH_TOKEN = "haproxy-it-twilio-auth-token";
    /** The name Twilio's voice webhook is configured with: HAProxy's, shared by every node. */
    private static final String WEBHOOK_URL = "https://voice.example.com";
    private static final Path FIGURES = Path.of("target/cluster-figures.txt");
    /** 440 Hz at 8 kHz repeats every 200 samples: any 160 bytes of it are found in an echo of at least 360. */
    private static final SimulatedAudio SAID = SimulatedAudio.tone(440, 1_000, 8_000);

    private final RedisServer redis = new RedisServer();
    private final List<GatewayNode> nodes = new ArrayList<>();
    private Haproxy haproxy;
    private TwilioCallSimulator simulator;

    @BeforeEach
    void tools() {
        assumeTrue(Haproxy.available(), "haproxy is not installed (Debian package haproxy)");
        assumeTrue(RedisServer.available(), "redis-server is not installed (Debian package redis-server)");
    }

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
        for (final GatewayNode node : nodes) {
            node.close();
        }
        if (haproxy != null) {
            haproxy.close();
        }
        redis.close();
    }

    /** Nodes voice-a and voice-b, each named by its own public URL, behind HAProxy with both up and c down. */
    private void cluster() throws Exception {
        redis.start();
        nodes.add(GatewayNode.behindProxy("voice-a", redis.url(), "https://voice-a.example.com", AUTH_TOKEN));
        nodes.add(GatewayNode.behindProxy("voice-b", redis.url(), "https://voice-b.example.com", AUTH_TOKEN));
        for (final GatewayNode node : nodes) {
            node.awaitReady();
        }
        final Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "haproxy-cert");
        final SelfSignedCertificate certificate = SelfSignedCertificate.forHostNames(dir, "voice.example.com",
            "voice-a.example.com", "voice-b.example.com", "voice-c.example.com");
        final Path pem = dir.resolve("haproxy.pem");
        Files.writeString(pem, Files.readString(certificate.certificatePem) + Files.readString(certificate.privateKeyPem));
        haproxy = new Haproxy().start(List.of(nodes.get(0).httpPort(), nodes.get(1).httpPort(), Haproxy.closedPort()), pem);
        await(() -> {
            final Map<String, String> any = states("voxgate_any");
            return "UP".equals(any.get("a")) && "UP".equals(any.get("b")) && any.get("c").startsWith("DOWN")
                && "UP".equals(states("voxgate_a").get("a")) && "UP".equals(states("voxgate_b").get("b"));
        }, 30, "HAProxy to see voice-a and voice-b up and the third node down");
        simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", haproxy.port()).publicUrl(WEBHOOK_URL)
            .authToken(AUTH_TOKEN).tls(SslContextBuilder.forClient().trustManager(certificate.certificate).build()).build();
    }

    private Map<String, String> states(final String backend) {
        try {
            return haproxy.serverStates(backend);
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private CompletableFuture<SimulatedCallResult> call(final SimulatedAudio said) {
        return simulator.call(CallPlan.builder().audio(said).listenAfterMs(300).build());
    }

    /** The node whose name the call's TwiML gave its stream (voice-a, voice-b), or the URL itself when neither. */
    private static String answeredBy(final SimulatedCallResult result) {
        final String host = result.streamUrl().isEmpty() ? "" : URI.create(result.streamUrl()).getHost();
        return host != null && host.endsWith(".example.com") ? host.substring(0, host.indexOf('.')) : result.streamUrl();
    }

    private static String describe(final SimulatedCallResult r) {
        return r.callSid() + ": webhook " + r.webhookStatus() + ", stream " + r.streamUrl() + " upgrade " + r.upgradeStatus()
            + ", close " + r.closeCode() + " " + r.closeReason() + ", frames sent " + r.framesSent() + " received "
            + r.framesReceived() + ", error " + r.error();
    }

    /** Whether the caller got its own audio back (the echo agent): a 160-byte window of the tone is in what came back. */
    private static boolean echoed(final SimulatedCallResult result) {
        final byte[] said = SAID.mulaw();
        final byte[] received = result.received();
        for (int i = 0; i + 160 <= received.length; i++) {
            if (Arrays.equals(received, i, i + 160, said, 4_000, 4_160)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Integer> perNode(final List<SimulatedCallResult> results) {
        final Map<String, Integer> out = new TreeMap<>();
        for (final SimulatedCallResult r : results) {
            out.merge(answeredBy(r), 1, Integer::sum);
        }
        return out;
    }

    private static List<SimulatedCallResult> join(final List<CompletableFuture<SimulatedCallResult>> calls) throws Exception {
        final List<SimulatedCallResult> out = new ArrayList<>();
        for (final CompletableFuture<SimulatedCallResult> call : calls) {
            out.add(call.get(90, TimeUnit.SECONDS));
        }
        return out;
    }

    private static void await(final BooleanSupplier condition, final long seconds, final String what) throws InterruptedException {
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("timed out waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private static void figure(final String line) throws IOException {
        Files.writeString(FIGURES, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
    }

    @Test
    void shouldSpreadSignedWebhooksAndLandEachStreamOnTheNodeThatAnsweredIt() throws Exception {
        cluster();
        final List<CompletableFuture<SimulatedCallResult>> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(call(SAID));
            TimeUnit.MILLISECONDS.sleep(150);
        }
        final List<SimulatedCallResult> results = join(calls);

        final Map<String, Integer> perNode = perNode(results);
        figure(String.format("HAProxy test: 10 signed Twilio webhooks to %s through the shipped haproxy.cfg, answered per node "
            + "%s; every stream on the node its TwiML named", WEBHOOK_URL, perNode));
        for (final SimulatedCallResult r : results) {
            assertTrue(r.ok(), "the call went through HAProxy: " + describe(r));
            assertTrue(echoed(r), "the caller's audio reached the node and came back: " + describe(r));
        }
        assertEquals(2, perNode.size(), "webhooks spread over both nodes: " + perNode);
        for (final GatewayNode node : nodes) {
            assertEquals((long) perNode.getOrDefault(node.id, 0), node.metric("voxgate_calls_admitted", ""),
                node.id + " ran exactly the calls whose TwiML named it");
            assertEquals(0, node.metric("voxgate_twilio_streams_refused_not_admitted", ""),
                node.id + " was never sent a stream its webhook had not answered");
        }
    }

    @Test
    void shouldTakeADrainingNodeOutThroughReadyzWithNoFailedWebhookWhileItsCallsFinish() throws Exception {
        cluster();
        final GatewayNode draining = nodes.get(0);
        final GatewayNode other = nodes.get(1);
        // Calls of 8 s on both nodes, all streaming before SIGTERM (a webhook answered just before SIGTERM would see its
        // stream refused by the draining node: not what this test is about).
        final List<CompletableFuture<SimulatedCallResult>> longCalls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            longCalls.add(call(SimulatedAudio.concat(SAID, SimulatedAudio.silence(7_000))));
            TimeUnit.MILLISECONDS.sleep(150);
        }
        await(() -> twilioCalls(draining) + twilioCalls(other) == 4, 30, "the four long calls streaming");
        final long callsAtSigterm = twilioCalls(draining);
        final long sentBefore = haproxy.serverCounters("voxgate_any", "stot").get("a");
        final long retriesBefore = haproxy.backendCounter("voxgate_any", "wretr");

        final long sigtermNs = System.nanoTime();
        draining.terminate();
        // Once the node drains (a webhook it answered before would have its stream refused, a separate matter), a
        // burst: round-robin gives the node half of it unless HAProxy's check has already run, so webhooks meet the
        // draining node's 503 before its /readyz check takes it out.
        await(() -> metric(draining, "voxgate_draining", "") == 1, 10, "the node to drain");
        final List<CompletableFuture<SimulatedCallResult>> newCalls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            newCalls.add(call(SAID));
        }
        long outNs = -1;
        long sentWhenOut = -1;
        for (int tick = 0; tick < 120; tick++) {
            if (tick % 2 == 0) {
                newCalls.add(call(SAID));
            }
            if (outNs < 0 && !"UP".equals(states("voxgate_any").get("a"))) {
                outNs = System.nanoTime();
                sentWhenOut = haproxy.serverCounters("voxgate_any", "stot").get("a");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        final List<SimulatedCallResult> drained = join(longCalls);
        final List<SimulatedCallResult> after = join(newCalls);
        final int exit = draining.awaitExit(40);
        final long exitMs = (System.nanoTime() - sigtermNs) / 1_000_000;
        final long sentAtEnd = haproxy.serverCounters("voxgate_any", "stot").get("a");
        final long retried = haproxy.backendCounter("voxgate_any", "wretr") - retriesBefore;

        final Map<String, Integer> newPerNode = perNode(after);
        figure(String.format("HAProxy drain test: SIGTERM to %s with %d of 4 calls up; HAProxy marked it down %d ms after SIGTERM "
                + "(inter 2s, fall 1); webhooks it got meanwhile: %d, each answered 503 and retried on %s by HAProxy (retries "
                + "counted %d); %d new calls (4 at once, then 10/s) answered per node %s, failed %d; its calls finished and it exited %d "
                + "after %d ms", draining.id, callsAtSigterm, outNs < 0 ? -1 : (outNs - sigtermNs) / 1_000_000,
            sentWhenOut - sentBefore, other.id, retried, after.size(), newPerNode,
            after.stream().filter(r -> !r.ok()).count(), exit, exitMs));
        assertTrue(outNs > 0, "HAProxy took the draining node out of voxgate_any within 6 s");
        assertEquals(sentWhenOut, sentAtEnd, "HAProxy sent the node nothing more once it was out");
        for (final SimulatedCallResult r : after) {
            assertTrue(r.ok(), "no new call failed while the node drained: " + describe(r));
            assertEquals(other.id, answeredBy(r), "every new call landed on the other node: " + describe(r));
        }
        for (final SimulatedCallResult r : drained) {
            assertTrue(r.ok(), "the calls up at SIGTERM finished normally: " + describe(r));
            assertTrue(echoed(r), "and carried audio both ways: " + describe(r));
        }
        assertTrue(callsAtSigterm >= 1, "the drained node carried calls at SIGTERM");
        assertEquals(0, exit, "the drained node exits 0 once its calls ended");
    }

    private static long twilioCalls(final GatewayNode node) {
        return metric(node, "voxgate_calls_active", "{edge=\"twilio\"}");
    }

    private static long metric(final GatewayNode node, final String name, final String labels) {
        try {
            return node.metric(name, labels);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
