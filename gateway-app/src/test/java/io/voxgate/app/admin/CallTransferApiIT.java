package io.voxgate.app.admin;

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
import io.voxgate.testkit.sip.Sipp;
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
 * {@code POST /calls/{id}/transfer} on a running node with a SIPp caller: the transfer is queued (202 with its id), the
 * REFER goes out, {@code GET /calls/{id}} shows how it went, and {@code /metrics} counts the outcome. Bad requests are
 * refused without reaching the call.
 */
@Timeout(90)
class CallTransferApiIT {
    private static final String ADMIN_TOKEN = "transfer-api-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int sipPort = FreePorts.udpAndTcp();
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private void start() {
        final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
        flags.put(GatewayOption.HTTP_PORT, Integer.toString(FreePorts.udpAndTcp()));
        flags.put(GatewayOption.ADMIN_PORT, "0");
        flags.put(GatewayOption.BIND, "127.0.0.1");
        flags.put(GatewayOption.AGENT, "echo");
        final int rtp = FreePorts.rtpPair();
        flags.put(GatewayOption.SIP_PORT, Integer.toString(sipPort));
        flags.put(GatewayOption.SIP_TRANSPORT, "udp");
        flags.put(GatewayOption.RTP_PORTS, rtp + "-" + (rtp + 3));
        final Map<String, String> env = Map.of(Secrets.TWILIO_AUTH_TOKEN, "unused-token", Secrets.VOXGATE_ADMIN_TOKEN,
            ADMIN_TOKEN);
        gateway = Gateway.start(GatewayConfig.load(flags, null, env), "https://voice.example.test", Secrets.fromEnvironment(env));
    }

    private HttpResponse<String> admin(final String method, final String path, final String body) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
            .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + ADMIN_TOKEN)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String awaitActiveSipCall() throws Exception {
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < giveUp) {
            for (final JsonNode call : JSON.readTree(admin("GET", "/calls", null).body()).get("calls")) {
                if ("active".equals(call.get("state").asText())) {
                    return call.get("id").asText();
                }
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AssertionError("no active SIP call");
    }

    private static String path(final String id) {
        return "/calls/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private CompletableFuture<Sipp.Result> sipp(final String scenario) {
        final int peerRtp = FreePorts.rtpPair();
        return CompletableFuture.supplyAsync(() -> Sipp.scenario(scenario, sipPort).key("rtpport", Integer.toString(peerRtp))
            .timeoutSeconds(40).run());
    }

    private String metrics() throws Exception {
        return admin("GET", "/metrics", null).body();
    }

    @Test
    void shouldTransferASipCallByReferAndCountTheSuccess() throws Exception {
        assumeTrue(Sipp.available(), "sipp is not installed");
        start();
        final CompletableFuture<Sipp.Result> sipp = sipp("uac-transfer-accept.xml");
        final String id = awaitActiveSipCall();

        final HttpResponse<String> posted = admin("POST", path(id) + "/transfer",
            "{\"to\":\"sip:desk@pbx.example.test\",\"announce\":\"Connecting you to the front desk\"}");

        assertEquals(202, posted.statusCode(), posted.body());
        final JsonNode transfer = JSON.readTree(posted.body()).get("transfer");
        assertTrue(transfer.get("id").asText().matches("TR[0-9a-f]{16}"), posted.body());
        assertEquals("requested", transfer.get("state").asText());
        final Sipp.Result result = sipp.get(40, TimeUnit.SECONDS);
        assertEquals(0, result.exitCode, "REFER, NOTIFYs answered, BYE: " + result.describe());
        assertEquals(404, admin("GET", path(id), null).statusCode(), "the transferred call has left the node");
        final String scraped = metrics();
        assertTrue(scraped.contains("voxgate_transfers_total{outcome=\"succeeded\"} 1.0"), scraped);
        assertTrue(scraped.contains("voxgate_admin_transfers_requested_total 1.0"), scraped);
    }

    @Test
    void shouldShowARefusedTransferOnTheCallWhichGoesOn() throws Exception {
        assumeTrue(Sipp.available(), "sipp is not installed");
        start();
        final CompletableFuture<Sipp.Result> sipp = sipp("uac-transfer-refused.xml");
        final String id = awaitActiveSipCall();

        assertEquals(202, admin("POST", path(id) + "/transfer", "{\"to\":\"sip:desk@pbx.example.test\"}").statusCode());

        JsonNode shown = null;
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < giveUp) {
            shown = JSON.readTree(admin("GET", path(id), null).body()).get("transfer");
            if (shown != null && "refused".equals(shown.get("state").asText())) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        assertEquals("refused", shown.get("state").asText(), String.valueOf(shown));
        assertEquals("403 Forbidden", shown.get("detail").asText());
        assertEquals("operator", shown.get("origin").asText());
        assertEquals(0, sipp.get(40, TimeUnit.SECONDS).exitCode, "the caller's BYE later found the call");
        assertTrue(metrics().contains("voxgate_transfers_total{outcome=\"refused\"} 1.0"));
    }

    @Test
    void shouldRefuseUnusableTransferRequestsWithoutReachingTheCall() throws Exception {
        assumeTrue(Sipp.available(), "sipp is not installed");
        start();
        final CompletableFuture<Sipp.Result> sipp = sipp("uac-remote-bye.xml");
        final String id = awaitActiveSipCall();

        assertEquals(400, admin("POST", path(id) + "/transfer", "not json").statusCode());
        assertEquals(400, admin("POST", path(id) + "/transfer", "{}").statusCode());
        final HttpResponse<String> injected = admin("POST", path(id) + "/transfer",
            "{\"to\":\"sip:a@b>\\r\\nX-Evil: 1\"}");
        assertEquals(400, injected.statusCode());
        assertTrue(!injected.body().contains("X-Evil"), "the input is never echoed: " + injected.body());
        assertEquals(400, admin("POST", path(id) + "/transfer", "{\"to\":\"https://example.test\"}").statusCode());
        assertEquals(404, admin("POST", "/calls/nosuchcall/transfer", "{\"to\":\"tel:+14155550111\"}").statusCode());
        assertEquals(404, admin("POST", path(id) + "/nosuchaction", "{}").statusCode());
        assertEquals(405, admin("GET", path(id) + "/transfer", null).statusCode());
        assertEquals(405, admin("POST", path(id), "{}").statusCode());
        assertTrue(metrics().contains("voxgate_admin_transfers_refused_invalid_total 4.0"));
        assertEquals(null, JSON.readTree(admin("GET", path(id), null).body()).get("transfer"), "no transfer reached the call");

        assertEquals(202, admin("DELETE", path(id), null).statusCode());
        assertEquals(0, sipp.get(40, TimeUnit.SECONDS).exitCode);
    }
}
