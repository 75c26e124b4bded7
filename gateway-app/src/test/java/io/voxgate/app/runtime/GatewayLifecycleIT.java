package io.voxgate.app.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.app.config.GatewayConfig;
import io.voxgate.app.config.GatewayOption;
import io.voxgate.app.config.Secrets;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.TwilioCallSimulator;
import io.voxgate.testkit.twilio.TwilioRequestSigner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The launcher's node as a whole: health, readiness, metrics, admission at --max-calls, and drain. */
@Timeout(60)
class GatewayLifecycleIT {
    private static final String TOKEN = "lifecycle-test-token";
    private static final String PUBLIC_URL = "https://voice.example.test";

    private final HttpClient http = HttpClient.newHttpClient();
    private Gateway gateway;
    private TwilioCallSimulator simulator;

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private void start(final int maxCalls, final int drainTimeoutS) throws IOException {
        final int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
        flags.put(GatewayOption.HTTP_PORT, Integer.toString(port));
        flags.put(GatewayOption.ADMIN_PORT, "0");
        flags.put(GatewayOption.BIND, "127.0.0.1");
        flags.put(GatewayOption.PUBLIC_URL, PUBLIC_URL);
        flags.put(GatewayOption.AGENT, "echo");
        flags.put(GatewayOption.MAX_CALLS, Integer.toString(maxCalls));
        flags.put(GatewayOption.DRAIN_TIMEOUT, Integer.toString(drainTimeoutS));
        final Map<String, String> env = Map.of(Secrets.TWILIO_AUTH_TOKEN, TOKEN);
        gateway = Gateway.start(GatewayConfig.load(flags, null, env), PUBLIC_URL, Secrets.fromEnvironment(env));
        simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", gateway.httpPort()).publicUrl(PUBLIC_URL)
            .authToken(TOKEN).build();
    }

    private HttpResponse<String> get(final String path) throws IOException, InterruptedException {
        return get(gateway.httpPort(), path);
    }

    private HttpResponse<String> get(final int port, final String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private int webhook(final String callSid) throws IOException, InterruptedException {
        final Map<String, String> params = Map.of("CallSid", callSid, "AccountSid", "AC00000000000000000000000000000000");
        final String body = "CallSid=" + callSid + "&AccountSid=AC00000000000000000000000000000000";
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + "/voice/inbound"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-Twilio-Signature", new TwilioRequestSigner(TOKEN).sign(PUBLIC_URL + "/voice/inbound", params))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private CompletableFuture<SimulatedCallResult> call(final int seconds) {
        return simulator.call(CallPlan.builder().audio(SimulatedAudio.tone(440, seconds * 1000, 8000)).hangUp(true).build());
    }

    private void awaitRegistrySize(final int size) throws InterruptedException {
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gateway.registry().size() != size && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertEquals(size, gateway.registry().size());
    }

    @Test
    void shouldAnswerHealthAndReadinessWhileServing() throws Exception {
        start(10, 5);

        assertEquals(200, get("/healthz").statusCode());
        assertEquals(200, get("/readyz").statusCode());
    }

    @Test
    void shouldExposeCallMetricsInPrometheusTextFormat() throws Exception {
        start(10, 5);
        final SimulatedCallResult result = call(1).get(20, TimeUnit.SECONDS);
        assertTrue(result.ok(), result.toString());
        awaitRegistrySize(0);

        final HttpResponse<String> metrics = get(gateway.adminPort(), "/metrics");

        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("voxgate_calls_ended_total{edge=\"twilio\"} 1.0"), metrics.body());
        assertTrue(metrics.body().contains("voxgate_frames_from_caller_total{edge=\"twilio\"} " + result.framesSent() + ".0"),
            metrics.body());
    }

    @Test
    void shouldServeMetricsOnTheAdminPortOnlyAndNoDetailInPublicHealth() throws Exception {
        start(10, 5);
        assertEquals(404, get("/metrics").statusCode(), "the public port does not show call volume or capacity");
        assertEquals(200, get(gateway.adminPort(), "/metrics").statusCode());
        assertEquals(200, get(gateway.adminPort(), "/healthz").statusCode());
        assertEquals("ready\n", get(gateway.adminPort(), "/readyz").body());
        assertEquals("OK\n", get("/readyz").body(), "the public body is the status only");
    }

    @Test
    void shouldRefuseNewCallsAtMaxCallsWithAWebhook503() throws Exception {
        start(1, 5);
        final CompletableFuture<SimulatedCallResult> first = call(3);
        awaitRegistrySize(1);

        assertEquals(503, webhook("CA00000000000000000000000000000002"));
        assertEquals(503, get("/readyz").statusCode());
        assertTrue(first.get(20, TimeUnit.SECONDS).ok());
    }

    @Test
    void shouldRefuseNewCallsAndEndRunningOnesCleanlyWhenDraining() throws Exception {
        start(10, 1);
        final CompletableFuture<SimulatedCallResult> running = call(30);
        awaitRegistrySize(1);
        final Thread drain = new Thread(gateway::drain, "test-drain");
        drain.start();
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!gateway.registry().isDraining() && System.nanoTime() < until) {
            Thread.sleep(5);
        }

        assertEquals(503, webhook("CA00000000000000000000000000000003"));
        final SimulatedCallResult ended = running.get(20, TimeUnit.SECONDS);
        assertEquals(1000, ended.closeCode(), ended.toString());
        drain.join(10_000);
        assertEquals(0, gateway.registry().size());
    }
}
