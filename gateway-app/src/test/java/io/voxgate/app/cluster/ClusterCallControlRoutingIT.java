package io.voxgate.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voxgate.app.config.GatewayConfig;
import io.voxgate.app.config.GatewayOption;
import io.voxgate.app.config.Secrets;
import io.voxgate.app.runtime.Gateway;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.TwilioApiStandIn;
import io.voxgate.testkit.twilio.TwilioCallSimulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Two nodes sharing one redis-server, every call on node A, every command sent to node B: the admin API's transfer
 * and recording and Vapi's server-URL {@code end-call}, {@code phone-call-control} and
 * {@code transfer-destination-request} reach A through Redis and have A's effect (the Twilio REST stand-in sees A's
 * call update, the recording is written in A's directory, the call ends, A's destination is answered), with A's
 * status and body; a call no node runs is 404, an owner that never answers 504 within the command deadline, Redis
 * gone 503 (while the owner still commands its own calls). The
 * routing latency of the new commands is written to target/cluster-call-control-latency.txt.
 */
@Timeout(180)
class ClusterCallControlRoutingIT {
    private static final String ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
    private static final String TWILIO_TOKEN = "cluster-twilio-token";
    private static final String ADMIN_TOKEN = "cluster-admin-token";
    private static final String VAPI_SECRET = "cluster-vapi-webhook-secret";
    private static final String PUBLIC_URL = "https://voice.example.test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LATENCY_SAMPLES = 200;

    private final RedisServer redis = new RedisServer();
    private final TwilioApiStandIn twilioApi = new TwilioApiStandIn(ACCOUNT_SID, TWILIO_TOKEN);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path recordingsA;
    private Path recordingsB;
    private Gateway a;
    private Gateway b;
    private TwilioCallSimulator simulator;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(RedisServer.available(), "redis-server is not installed (Debian package redis-server)");
        redis.start();
        final Path dir = Files.createDirectories(Path.of("target", "cluster-call-control"));
        recordingsA = Files.createTempDirectory(dir, "node-a-");
        recordingsB = Files.createTempDirectory(dir, "node-b-");
        a = node("node-a", recordingsA, "sip:desk-a@pbx.example.test");
        b = node("node-b", recordingsB, "sip:desk-b@pbx.example.test");
        await(() -> a.router().listening() && b.router().listening(), "both nodes subscribed");
        simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", a.httpPort()).publicUrl(PUBLIC_URL)
            .authToken(TWILIO_TOKEN).accountSid(ACCOUNT_SID).closeTimeoutMs(30_000).build();
    }

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
        for (final Gateway node : new Gateway[] {a, b}) {
            if (node != null) {
                node.close();
            }
        }
        twilioApi.close();
        redis.close();
    }

    private Gateway node(final String id, final Path recordings, final String transferTarget) {
        final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
        flags.put(GatewayOption.HTTP_PORT, Integer.toString(FreePorts.udpAndTcp()));
        flags.put(GatewayOption.ADMIN_PORT, "0");
        flags.put(GatewayOption.BIND, "127.0.0.1");
        // The parrot says nothing to a silent caller: a transfer goes out at once (no agent words to play out first).
        flags.put(GatewayOption.AGENT, "parrot");
        flags.put(GatewayOption.RECORD, "on-request");
        flags.put(GatewayOption.RECORDING_DIR, recordings.toString());
        flags.put(GatewayOption.AGENT_FALLBACK, "transfer:" + transferTarget);
        flags.put(GatewayOption.TWILIO_API_URL, twilioApi.baseUrl());
        flags.put(GatewayOption.REDIS_URL, redis.url().toString());
        flags.put(GatewayOption.NODE_ID, id);
        final Map<String, String> env = Map.of(Secrets.TWILIO_AUTH_TOKEN, TWILIO_TOKEN, Secrets.TWILIO_ACCOUNT_SID, ACCOUNT_SID,
            Secrets.VOXGATE_ADMIN_TOKEN, ADMIN_TOKEN, Secrets.VAPI_WEBHOOK_SECRET, VAPI_SECRET);
        return Gateway.start(GatewayConfig.load(flags, null, env), PUBLIC_URL, Secrets.fromEnvironment(env));
    }

    private static void await(final BooleanSupplier condition, final String what) throws InterruptedException {
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("timed out waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private HttpResponse<String> admin(final Gateway node, final String method, final String path, final String body)
        throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path))
            .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + ADMIN_TOKEN)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> webhook(final Gateway node, final String type, final String callSid, final String fields)
        throws Exception {
        final String message = "{\"message\":{\"type\":\"" + type + "\"" + fields + ",\"call\":{\"id\":\"vapi-" + callSid + "\","
            + "\"assistantOverrides\":{\"variableValues\":{\"voxgateCallId\":\"" + callSid + "\"}}}}}";
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/webhook/vapi"))
            .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + VAPI_SECRET)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(message)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private String owner(final String edge, final String callId) {
        try (Jedis jedis = redis.client()) {
            return jedis.get(ClusterKeys.call(edge, callId));
        }
    }

    /** Places a silent Twilio call on node A and waits until A runs it, Redis names A its owner and it is active. */
    private CompletableFuture<SimulatedCallResult> callOnA(final CallPlan plan) throws Exception {
        final CompletableFuture<SimulatedCallResult> call = simulator.call(plan);
        await(() -> a.registry().stats("twilio", plan.callSid()) != null && "node-a".equals(owner("twilio", plan.callSid())),
            "the call running on A and owned by A in Redis");
        awaitShown(a, plan.callSid(), "state", "active");
        return call;
    }

    /** Waits until {@code GET /calls/{id}}, asked of {@code node}, shows {@code field} as {@code value}. */
    private void awaitShown(final Gateway node, final String callSid, final String field, final String value) throws Exception {
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String seen = null;
        while (System.nanoTime() < giveUp) {
            final HttpResponse<String> shown = admin(node, "GET", "/calls/" + callSid, null);
            seen = shown.statusCode() == 200 ? JSON.readTree(shown.body()).path(field).asText() : shown.statusCode() + "";
            if (value.equals(seen)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new AssertionError(field + " of " + callSid + " never became " + value + " (last " + seen + ")");
    }

    private static CallPlan longCall() {
        return CallPlan.builder().numbers("+14155550123", "+14155550100").audio(SimulatedAudio.silence(30_000))
            .hangUp(false).build();
    }

    @Test
    void shouldTransferATwilioCallThroughTheNodeThatDoesNotRunIt() throws Exception {
        final CallPlan plan = longCall();
        twilioApi.callInProgress(plan.callSid());
        twilioApi.onUpdate((callSid, twiml) -> simulator.endStream(callSid));
        final CompletableFuture<SimulatedCallResult> call = callOnA(plan);
        final long receivedBefore = a.router().received();

        final HttpResponse<String> posted = admin(b, "POST", "/calls/" + plan.callSid() + "/transfer",
            "{\"to\":\"tel:+1-415-555-0111\",\"announce\":\"Connecting you\"}");

        assertEquals(202, posted.statusCode(), posted.body());
        final JsonNode answer = JSON.readTree(posted.body());
        assertEquals("twilio", answer.get("edge").asText());
        assertEquals("requested", answer.get("transfer").get("state").asText());
        assertEquals(1000, call.get(30, TimeUnit.SECONDS).closeCode(), "Twilio stopped A's stream after the update");
        assertEquals(1, twilioApi.updates().size());
        assertEquals(plan.callSid(), twilioApi.updates().get(0).callSid());
        assertTrue(twilioApi.updates().get(0).twiml().contains("<Dial><Number>+14155550111</Number></Dial>"),
            twilioApi.updates().get(0).twiml());
        assertEquals(1, b.router().forwarded());
        assertEquals(receivedBefore + 1, a.router().received());
    }

    @Test
    void shouldAnswerWithTheOwnersRefusalUnchanged() throws Exception {
        final CallPlan plan = longCall();
        callOnA(plan);

        final HttpResponse<String> badTarget = admin(b, "POST", "/calls/" + plan.callSid() + "/transfer",
            "{\"to\":\"https://example.test\"}");
        final HttpResponse<String> notPaused = admin(b, "POST", "/calls/" + plan.callSid() + "/recording",
            "{\"action\":\"resume\"}");
        final HttpResponse<String> local = admin(a, "POST", "/calls/" + plan.callSid() + "/recording", "{\"action\":\"resume\"}");

        assertEquals(400, badTarget.statusCode(), badTarget.body());
        assertEquals(409, notPaused.statusCode(), notPaused.body());
        assertEquals(local.body(), notPaused.body(), "the owner's body, unchanged");
        assertEquals(2, a.router().received());
        assertEquals(0, twilioApi.updates().size());
        assertEquals(202, admin(b, "DELETE", "/calls/" + plan.callSid(), null).statusCode());
    }

    @Test
    void shouldStartPauseAndStopARecordingOnTheOwnersDiskThroughTheOtherNode() throws Exception {
        final CallPlan plan = longCall();
        final CompletableFuture<SimulatedCallResult> call = callOnA(plan);
        final String path = "/calls/" + plan.callSid() + "/recording";

        final HttpResponse<String> started = admin(b, "POST", path, "{\"action\":\"start\"}");
        assertEquals(202, started.statusCode(), started.body());
        assertEquals(recordingsA.resolve(plan.callSid() + ".wav").toAbsolutePath().normalize(),
            Path.of(JSON.readTree(started.body()).get("path").asText()).toAbsolutePath().normalize(),
            "A's file, in A's --recording-dir");
        awaitShown(b, plan.callSid(), "recording", "recording");
        assertEquals(202, admin(b, "POST", path, "{\"action\":\"pause\"}").statusCode());
        awaitShown(b, plan.callSid(), "recording", "paused");
        assertEquals(202, admin(b, "POST", path, "{\"action\":\"resume\"}").statusCode());
        awaitShown(b, plan.callSid(), "recording", "recording");
        assertEquals(202, admin(b, "POST", path, "{\"action\":\"stop\"}").statusCode());
        awaitShown(b, plan.callSid(), "recording", "stopped");

        final Path wav = recordingsA.resolve(plan.callSid() + ".wav");
        await(() -> Files.exists(wav), "the recording under its final name on A");
        final byte[] header = Arrays.copyOf(Files.readAllBytes(wav), 4);
        assertEquals("RIFF", new String(header, StandardCharsets.US_ASCII));
        try (var listing = Files.list(recordingsB)) {
            assertEquals(0, listing.count(), "nothing written on B");
        }
        assertEquals(409, admin(b, "POST", path, "{\"action\":\"start\"}").statusCode(), "a call is recorded once");
        assertEquals(202, admin(b, "DELETE", "/calls/" + plan.callSid(), null).statusCode());
        assertEquals(1000, call.get(30, TimeUnit.SECONDS).closeCode());
    }

    @Test
    void shouldAnswer404ForTheSubResourcesOfACallNoNodeRuns() throws Exception {
        assertEquals(404, admin(b, "POST", "/calls/CAnowhere/transfer", "{\"to\":\"tel:+14155550111\"}").statusCode());
        assertEquals(404, admin(b, "POST", "/calls/CAnowhere/recording", "{\"action\":\"start\"}").statusCode());
        assertEquals(404, webhook(b, "end-call", "CAnowhere", "").statusCode());
        assertEquals(0, b.router().forwarded());
    }

    @Test
    void shouldAnswer504ForACallWhoseOwnerIsGone() throws Exception {
        try (Jedis jedis = redis.client()) {
            jedis.set(ClusterKeys.call("twilio", "CAghost"), "node-dead");
        }

        final HttpResponse<String> transfer = admin(b, "POST", "/calls/CAghost/transfer", "{\"to\":\"tel:+14155550111\"}");

        assertEquals(504, transfer.statusCode(), transfer.body());
        assertEquals(1, b.router().forwardUnreachable());
    }

    @Test
    void shouldAnswer504WithinTheDeadlineWhenTheOwnerNeverAnswers() throws Exception {
        final CountDownLatch listening = new CountDownLatch(1);
        final JedisPubSub silent = new JedisPubSub() {
            @Override
            public void onSubscribe(final String channel, final int subscribedChannels) {
                listening.countDown();
            }
        };
        final Thread mute = new Thread(() -> {
            try (Jedis jedis = new Jedis(redis.url().getHost(), redis.url().getPort(), 0)) {
                jedis.subscribe(silent, ClusterKeys.commands("node-mute"));
            }
        }, "node-mute");
        mute.start();
        try {
            assertTrue(listening.await(10, TimeUnit.SECONDS));
            try (Jedis jedis = redis.client()) {
                jedis.set(ClusterKeys.call("twilio", "CAmute"), "node-mute");
            }

            final long startNs = System.nanoTime();
            final HttpResponse<String> recording = admin(b, "POST", "/calls/CAmute/recording", "{\"action\":\"start\"}");
            final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);

            assertEquals(504, recording.statusCode(), recording.body());
            assertTrue(tookMs >= ClusterSettings.DEFAULT_COMMAND_TIMEOUT_MS - 50 && tookMs < 8_000,
                "answered at the command deadline, not before and not never: " + tookMs + " ms");
            assertEquals(1, b.router().forwardTimeouts());
        } finally {
            silent.unsubscribe();
            mute.join(10_000);
        }
    }

    @Test
    void shouldAnswer503WithoutRedisForACallAnotherNodeRunsAndKeepCommandingLocalCalls() throws Exception {
        final CallPlan plan = longCall();
        final CompletableFuture<SimulatedCallResult> call = callOnA(plan);
        redis.stop();

        final HttpResponse<String> routed = admin(b, "POST", "/calls/" + plan.callSid() + "/recording", "{\"action\":\"start\"}");
        final HttpResponse<String> local = admin(a, "POST", "/calls/" + plan.callSid() + "/recording", "{\"action\":\"start\"}");

        assertEquals(503, routed.statusCode(), routed.body());
        assertEquals(202, local.statusCode(), "the node running the call needs no Redis: " + local.body());
        assertEquals(202, admin(a, "DELETE", "/calls/" + plan.callSid(), null).statusCode());
        assertEquals(1000, call.get(30, TimeUnit.SECONDS).closeCode());
    }

    @Test
    void shouldEndACallFromAVapiEndCallThatReachedTheOtherNode() throws Exception {
        final CallPlan plan = longCall();
        final CompletableFuture<SimulatedCallResult> call = callOnA(plan);
        final long receivedBefore = a.router().received();

        final HttpResponse<String> ended = webhook(b, "end-call", plan.callSid(), "");

        assertEquals(202, ended.statusCode(), ended.body());
        assertEquals("hanging up", JSON.readTree(ended.body()).get("state").asText());
        assertEquals(1000, call.get(30, TimeUnit.SECONDS).closeCode(), "A hung the caller up");
        await(() -> owner("twilio", plan.callSid()) == null, "ownership deleted at the end");
        assertEquals(receivedBefore + 1, a.router().received());
    }

    @Test
    void shouldTransferACallFromAVapiPhoneCallControlForwardThatReachedTheOtherNode() throws Exception {
        final CallPlan plan = longCall();
        twilioApi.callInProgress(plan.callSid());
        twilioApi.onUpdate((callSid, twiml) -> simulator.endStream(callSid));
        final CompletableFuture<SimulatedCallResult> call = callOnA(plan);

        final HttpResponse<String> forwarded = webhook(b, "phone-call-control", plan.callSid(),
            ",\"request\":\"forward\",\"destination\":{\"type\":\"sip\",\"sipUri\":\"sip:desk@pbx.example.test\"}");

        assertEquals(202, forwarded.statusCode(), forwarded.body());
        assertEquals(1000, call.get(30, TimeUnit.SECONDS).closeCode());
        assertEquals(1, twilioApi.updates().size());
        assertTrue(twilioApi.updates().get(0).twiml().contains("<Sip>sip:desk@pbx.example.test</Sip>"),
            twilioApi.updates().get(0).twiml());
    }

    @Test
    void shouldAnswerATransferDestinationRequestWithTheOwnersDestination() throws Exception {
        final CallPlan plan = longCall();
        callOnA(plan);

        final HttpResponse<String> routed = webhook(b, "transfer-destination-request", plan.callSid(), "");
        final HttpResponse<String> nowhere = webhook(b, "transfer-destination-request", "CAnowhere", "");

        assertEquals(200, routed.statusCode(), routed.body());
        assertEquals("{\"destination\":{\"type\":\"sip\",\"sipUri\":\"sip:desk-a@pbx.example.test\"}}", routed.body(),
            "A's destination, not B's");
        assertEquals(200, nowhere.statusCode());
        assertTrue(nowhere.body().startsWith("{\"error\":"), "Vapi's do-not-transfer: " + nowhere.body());
        assertFalse(a.registry().stats("twilio", plan.callSid()) == null, "the call goes on");
    }

    @Test
    void shouldMeasureTheRoutingLatencyOfTheNewCommands() throws Exception {
        final CallPlan plan = longCall();
        callOnA(plan);
        final String path = "/calls/" + plan.callSid() + "/recording";
        final String body = "{\"action\":\"resume\"}";
        final long[] recordingRouted = new long[LATENCY_SAMPLES];
        final long[] recordingLocal = new long[LATENCY_SAMPLES];
        final long[] destinationRouted = new long[LATENCY_SAMPLES];
        final long[] destinationLocal = new long[LATENCY_SAMPLES];

        for (int i = 0; i < LATENCY_SAMPLES; i++) {
            recordingRouted[i] = timedUs(() -> admin(b, "POST", path, body), 409);
            recordingLocal[i] = timedUs(() -> admin(a, "POST", path, body), 409);
            destinationRouted[i] = timedUs(() -> webhook(b, "transfer-destination-request", plan.callSid(), ""), 200);
            destinationLocal[i] = timedUs(() -> webhook(a, "transfer-destination-request", plan.callSid(), ""), 200);
        }

        final String report = String.format("cluster call-control routing over loopback Redis, %d of each (load %s):%n"
                + "  POST /calls/{id}/recording via the other node: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n"
                + "  POST /calls/{id}/recording on the owning node:  p50 %.2f ms, p99 %.2f ms, max %.2f ms%n"
                + "  Vapi transfer-destination-request via the other node: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n"
                + "  Vapi transfer-destination-request on the owning node:  p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
            LATENCY_SAMPLES, loadAverage(),
            percentile(recordingRouted, 50), percentile(recordingRouted, 99), percentile(recordingRouted, 100),
            percentile(recordingLocal, 50), percentile(recordingLocal, 99), percentile(recordingLocal, 100),
            percentile(destinationRouted, 50), percentile(destinationRouted, 99), percentile(destinationRouted, 100),
            percentile(destinationLocal, 50), percentile(destinationLocal, 99), percentile(destinationLocal, 100));
        Files.writeString(Path.of("target/cluster-call-control-latency.txt"), report, StandardCharsets.UTF_8);
        org.slf4j.LoggerFactory.getLogger(ClusterCallControlRoutingIT.class).info("{}", report);
        assertEquals(2L * LATENCY_SAMPLES, b.router().forwarded());
    }

    /** A request that must answer {@code status}. */
    @FunctionalInterface
    private interface Exchange {
        HttpResponse<String> send() throws Exception;
    }

    private static long timedUs(final Exchange exchange, final int status) throws Exception {
        final long startNs = System.nanoTime();
        final HttpResponse<String> response = exchange.send();
        final long us = (System.nanoTime() - startNs) / 1_000;
        assertEquals(status, response.statusCode(), response.body());
        return us;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (final IOException ex) {
            return "unknown";
        }
    }

    private static double percentile(final long[] valuesUs, final int percentile) {
        final long[] sorted = valuesUs.clone();
        Arrays.sort(sorted);
        final int index = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1_000.0;
    }
}
