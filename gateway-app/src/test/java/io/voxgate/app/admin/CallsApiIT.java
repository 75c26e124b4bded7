package io.voxgate.app.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voxgate.app.config.GatewayConfig;
import io.voxgate.app.config.GatewayOption;
import io.voxgate.app.config.Secrets;
import io.voxgate.app.runtime.Gateway;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.Sipp;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.TwilioCallSimulator;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The calls API on a running node: a Twilio call (simulated caller) and a SIP call (SIPp) are listed, shown and hung
 * up through the admin listener; the SIP caller receives BYE and the Twilio stream is closed with 1000.
 */
@Timeout(90)
class CallsApiIT {
    private static final String TWILIO_TOKEN = "calls-api-twilio-token";
    private static final String ADMIN_TOKEN = "calls-api-admin-token";
    private static final String PUBLIC_URL = "https://voice.example.test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int sipPort = FreePorts.udpAndTcp();
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

    private void start(final boolean withSip) {
        final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
        flags.put(GatewayOption.HTTP_PORT, Integer.toString(FreePorts.udpAndTcp()));
        flags.put(GatewayOption.ADMIN_PORT, "0");
        flags.put(GatewayOption.BIND, "127.0.0.1");
        flags.put(GatewayOption.AGENT, "echo");
        if (withSip) {
            final int rtp = FreePorts.rtpPair();
            flags.put(GatewayOption.SIP_PORT, Integer.toString(sipPort));
            flags.put(GatewayOption.SIP_TRANSPORT, "udp");
            flags.put(GatewayOption.RTP_PORTS, rtp + "-" + (rtp + 3));
        }
        final Map<String, String> env = Map.of(Secrets.TWILIO_AUTH_TOKEN, TWILIO_TOKEN, Secrets.VOXGATE_ADMIN_TOKEN, ADMIN_TOKEN);
        gateway = Gateway.start(GatewayConfig.load(flags, null, env), PUBLIC_URL, Secrets.fromEnvironment(env));
        simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", gateway.httpPort()).publicUrl(PUBLIC_URL)
            .authToken(TWILIO_TOKEN).closeTimeoutMs(30_000).build();
    }

    private HttpResponse<String> admin(final String method, final String path, final String token) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
            .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode calls() throws Exception {
        final HttpResponse<String> list = admin("GET", "/calls", ADMIN_TOKEN);
        assertEquals(200, list.statusCode(), list.body());
        return JSON.readTree(list.body()).get("calls");
    }

    /** Waits until one call of {@code edge} is listed and ACTIVE; returns its listing. */
    private JsonNode awaitActive(final String edge) throws Exception {
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < giveUp) {
            for (final JsonNode call : calls()) {
                if (edge.equals(call.get("edge").asText()) && "active".equals(call.get("state").asText())) {
                    return call;
                }
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AssertionError("no active " + edge + " call listed: " + calls());
    }

    private static String path(final String id) {
        return "/calls/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void shouldRefuseEveryCallsRequestWithoutTheRightBearerToken() throws Exception {
        start(false);

        assertEquals(401, admin("GET", "/calls", null).statusCode());
        assertEquals(401, admin("GET", "/calls", "wrong").statusCode());
        assertEquals(401, admin("GET", "/calls/CA0", null).statusCode());
        final HttpResponse<String> delete = admin("DELETE", "/calls/CA0", "wrong");
        assertEquals(401, delete.statusCode());
        assertTrue(delete.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals(200, admin("GET", "/metrics", null).statusCode(), "the scrape needs no token");
    }

    @Test
    void shouldAnswer404ForACallThatIsNotRunning() throws Exception {
        start(false);

        assertEquals(404, admin("GET", "/calls/CAnothere", ADMIN_TOKEN).statusCode());
        assertEquals(404, admin("DELETE", "/calls/CAnothere", ADMIN_TOKEN).statusCode());
        assertEquals(0, calls().size());
    }

    @Test
    void shouldListShowAndHangUpATwilioCall() throws Exception {
        start(false);
        final CallPlan plan = CallPlan.builder().numbers("+14155550123", "+14155550100")
            .audio(SimulatedAudio.tone(440, 2_000, 8_000)).hangUp(false).build();
        final CompletableFuture<SimulatedCallResult> twilio = simulator.call(plan);

        final JsonNode listed = awaitActive("twilio");
        assertEquals(plan.callSid(), listed.get("id").asText());
        assertEquals("echo", listed.get("agent").asText());
        assertEquals("+14155550123", listed.get("from").asText(), "the webhook's From, passed through the stream");
        assertEquals("+14155550100", listed.get("to").asText());
        assertEquals("mulaw/8000", listed.get("codec").asText());
        assertNotNull(listed.get("started").asText());
        final HttpResponse<String> one = admin("GET", path(plan.callSid()), ADMIN_TOKEN);
        assertEquals(200, one.statusCode(), one.body());
        final JsonNode shown = JSON.readTree(one.body());
        assertEquals("twilio", shown.get("edge").asText());
        assertTrue(shown.get("frames").get("in").asLong() > 0, one.body());
        assertEquals(0, shown.get("loss").get("lost").asLong());

        final HttpResponse<String> delete = admin("DELETE", path(plan.callSid()), ADMIN_TOKEN);

        assertEquals(202, delete.statusCode(), delete.body());
        final SimulatedCallResult result = twilio.get(30, TimeUnit.SECONDS);
        assertEquals(1000, result.closeCode(), result.toString());
        assertEquals(404, admin("GET", path(plan.callSid()), ADMIN_TOKEN).statusCode(), "the call has left the node");
    }

    @Test
    void shouldListShowAndHangUpASipCallWithBye() throws Exception {
        assumeTrue(Sipp.available(), "sipp is not installed");
        start(true);
        final int peerRtp = FreePorts.rtpPair();
        final CompletableFuture<Sipp.Result> sipp = CompletableFuture.supplyAsync(() -> Sipp.scenario("uac-remote-bye.xml", sipPort)
            .key("rtpport", Integer.toString(peerRtp)).timeoutSeconds(40).run());

        final JsonNode listed = awaitActive("sip");
        final String id = listed.get("id").asText();
        assertTrue(listed.get("from").asText().contains("+14155550199"), listed.toString());
        assertTrue(listed.get("to").asText().contains("+14155550100"), listed.toString());
        assertEquals("mulaw/8000", listed.get("codec").asText());
        final HttpResponse<String> one = admin("GET", path(id), ADMIN_TOKEN);
        assertEquals(200, one.statusCode(), one.body());
        assertEquals(id, JSON.readTree(one.body()).get("id").asText());

        final HttpResponse<String> delete = admin("DELETE", path(id), ADMIN_TOKEN);

        assertEquals(202, delete.statusCode(), delete.body());
        final Sipp.Result result = sipp.get(40, TimeUnit.SECONDS);
        assertEquals(0, result.exitCode, "SIPp received BYE and answered it: " + result.describe());
        assertEquals(404, admin("GET", path(id), ADMIN_TOKEN).statusCode());
    }
}
