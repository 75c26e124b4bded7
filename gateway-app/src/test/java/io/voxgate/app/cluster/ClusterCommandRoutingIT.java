package io.voxgate.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * Two nodes sharing one redis-server: an admin command or a Vapi {@code user-interrupted} sent to the node that does
 * not run the call reaches the node that does, through Redis, and is answered with its result; the routing latency
 * is measured (written to target/cluster-routing-latency.txt).
 */
@Timeout(120)
class ClusterCommandRoutingIT {
    private static final String TWILIO_TOKEN = "cluster-twilio-token";
    private static final String ADMIN_TOKEN = "cluster-admin-token";
    private static final String VAPI_SECRET = "cluster-vapi-webhook-secret";
    private static final String PUBLIC_URL = "https://voice.example.test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LATENCY_SAMPLES = 300;

    private final RedisServer redis = new RedisServer();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Gateway a;
    private Gateway b;
    private TwilioCallSimulator simulator;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(RedisServer.available(), "redis-server is not installed (Debian package redis-server)");
        redis.start();
        a = node("node-a");
        b = node("node-b");
        await(() -> a.router().listening() && b.router().listening(), "both nodes subscribed");
        simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", a.httpPort()).publicUrl(PUBLIC_URL)
            .authToken(TWILIO_TOKEN).closeTimeoutMs(30_000).build();
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
        redis.close();
    }

    private Gateway node(final String id) {
        final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
        flags.put(GatewayOption.HTTP_PORT, Integer.toString(FreePorts.udpAndTcp()));
        flags.put(GatewayOption.ADMIN_PORT, "0");
        flags.put(GatewayOption.BIND, "127.0.0.1");
        flags.put(GatewayOption.AGENT, "echo");
        flags.put(GatewayOption.REDIS_URL, redis.url().toString());
        flags.put(GatewayOption.NODE_ID, id);
        final Map<String, String> env = Map.of(Secrets.TWILIO_AUTH_TOKEN, TWILIO_TOKEN, Secrets.VOXGATE_ADMIN_TOKEN,
            ADMIN_TOKEN, Secrets.VAPI_WEBHOOK_SECRET, VAPI_SECRET);
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

    private HttpResponse<String> admin(final Gateway node, final String method, final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path))
            .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + ADMIN_TOKEN)
            .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String owner(final String edge, final String callId) {
        try (Jedis jedis = redis.client()) {
            return jedis.get(ClusterKeys.call(edge, callId));
        }
    }

    /** Places a Twilio call on node A and waits until A runs it and Redis names A its owner. */
    private CompletableFuture<SimulatedCallResult> callOnA(final CallPlan plan) throws Exception {
        final CompletableFuture<SimulatedCallResult> call = simulator.call(plan);
        await(() -> a.registry().stats("twilio", plan.callSid()) != null && "node-a".equals(owner("twilio", plan.callSid())),
            "the call running on A and owned by A in Redis");
        return call;
    }

    private static CallPlan longCall() {
        return CallPlan.builder().audio(SimulatedAudio.tone(440, 20_000, 8_000)).hangUp(false).build();
    }

    @Test
    void shouldHangUpACallThroughTheNodeThatDoesNotRunIt() throws Exception {
        final CallPlan plan = longCall();
        final CompletableFuture<SimulatedCallResult> call = callOnA(plan);

        final HttpResponse<String> delete = admin(b, "DELETE", "/calls/" + plan.callSid());

        assertEquals(202, delete.statusCode(), delete.body());
        assertEquals("hanging up", JSON.readTree(delete.body()).get("state").asText());
        assertEquals(1000, call.get(30, TimeUnit.SECONDS).closeCode(), "A hung the caller up");
        assertEquals(1, b.router().forwarded());
        assertEquals(1, a.router().received());
        await(() -> owner("twilio", plan.callSid()) == null, "ownership deleted at the end");
        assertEquals(404, admin(b, "GET", "/calls/" + plan.callSid()).statusCode(), "no node runs it any more");
    }

    @Test
    void shouldDescribeACallThroughTheOtherNodeAndMeasureTheRoutingLatency() throws Exception {
        final CallPlan plan = longCall();
        callOnA(plan);
        final long[] forwardedUs = new long[LATENCY_SAMPLES];
        final long[] localUs = new long[LATENCY_SAMPLES];

        for (int i = 0; i < LATENCY_SAMPLES; i++) {
            long start = System.nanoTime();
            final HttpResponse<String> routed = admin(b, "GET", "/calls/" + plan.callSid());
            forwardedUs[i] = (System.nanoTime() - start) / 1_000;
            assertEquals(200, routed.statusCode(), routed.body());
            start = System.nanoTime();
            assertEquals(200, admin(a, "GET", "/calls/" + plan.callSid()).statusCode());
            localUs[i] = (System.nanoTime() - start) / 1_000;
        }

        final JsonNode shown = JSON.readTree(admin(b, "GET", "/calls/" + plan.callSid()).body());
        assertEquals(plan.callSid(), shown.get("id").asText());
        assertEquals("twilio", shown.get("edge").asText());
        final String report = String.format("cluster command routing over loopback Redis, %d GET /calls/{id}:%n"
                + "  via the other node: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n"
                + "  on the owning node:  p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", LATENCY_SAMPLES,
            percentile(forwardedUs, 50), percentile(forwardedUs, 99), percentile(forwardedUs, 100),
            percentile(localUs, 50), percentile(localUs, 99), percentile(localUs, 100));
        write(report);
        assertTrue(percentile(forwardedUs, 99) < 500, report);
        assertEquals(LATENCY_SAMPLES + 1, b.router().forwarded());
    }

    @Test
    void shouldAnswer404WhenNoNodeRunsTheCall() throws Exception {
        assertEquals(404, admin(b, "GET", "/calls/CAnowhere").statusCode());
        assertEquals(404, admin(b, "DELETE", "/calls/CAnowhere").statusCode());
        assertEquals(0, b.router().forwarded());
    }

    @Test
    void shouldAnswer504WhenTheOwningNodeIsGone() throws Exception {
        try (Jedis jedis = redis.client()) {
            jedis.set(ClusterKeys.call("twilio", "CAghost"), "node-dead");
        }

        final HttpResponse<String> delete = admin(b, "DELETE", "/calls/CAghost");

        assertEquals(504, delete.statusCode(), delete.body());
        assertEquals(1, b.router().forwardUnreachable());
    }

    @Test
    void shouldForwardAVapiBargeInToTheNodeThatRunsTheCall() throws Exception {
        final CallPlan plan = longCall();
        callOnA(plan);
        final String message = "{\"message\":{\"type\":\"user-interrupted\",\"call\":{\"id\":\"vapi-call-1\","
            + "\"assistantOverrides\":{\"variableValues\":{\"voxgateCallId\":\"" + plan.callSid() + "\"}}}}}";

        final HttpResponse<String> webhook = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + b.httpPort() + "/webhook/vapi")).timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + VAPI_SECRET).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(message)).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, webhook.statusCode(), webhook.body());
        await(() -> a.router().received() == 1, "the barge-in reached node A");
        // B counts the forward once PUBLISH returns, which can be after A has already received it.
        await(() -> b.router().forwarded() == 1, "node B counted the forward");
    }

    private static double percentile(final long[] valuesUs, final int percentile) {
        final long[] sorted = valuesUs.clone();
        Arrays.sort(sorted);
        final int index = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1_000.0;
    }

    private static void write(final String report) throws IOException {
        Files.writeString(Path.of("target/cluster-routing-latency.txt"), report, StandardCharsets.UTF_8);
    }
}
