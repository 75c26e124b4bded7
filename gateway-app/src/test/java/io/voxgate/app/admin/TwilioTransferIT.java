package io.voxgate.app.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Transferring a Twilio call: the admin API asks, the gateway updates the live call through the Calls REST API (the
 * Twilio Java SDK, pointed by {@code --twilio-api-url} at a local stand-in that checks Basic auth and the form and
 * answers like Twilio), the stand-in receives the {@code <Dial>} TwiML and, as Twilio would, the simulated caller's
 * stream then stops; the call ends as transferred.
 */
@Timeout(90)
class TwilioTransferIT {
    private static final String ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
    private static final String TWILIO_TOKEN = "transfer-twilio-token";
    private static final String ADMIN_TOKEN = "transfer-admin-token";
    private static final String PUBLIC_URL = "https://voice.example.test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final TwilioApiStandIn twilioApi = new TwilioApiStandIn(ACCOUNT_SID, TWILIO_TOKEN);
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
        twilioApi.close();
    }

    private void start(final boolean withAccount) {
        final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
        flags.put(GatewayOption.HTTP_PORT, Integer.toString(FreePorts.udpAndTcp()));
        flags.put(GatewayOption.ADMIN_PORT, "0");
        flags.put(GatewayOption.BIND, "127.0.0.1");
        // The parrot says nothing to a silent caller: the transfer goes out at once (no agent words to play out first).
        flags.put(GatewayOption.AGENT, "parrot");
        flags.put(GatewayOption.TWILIO_API_URL, twilioApi.baseUrl());
        final Map<String, String> env = new HashMap<>(Map.of(Secrets.TWILIO_AUTH_TOKEN, TWILIO_TOKEN,
            Secrets.VOXGATE_ADMIN_TOKEN, ADMIN_TOKEN));
        if (withAccount) {
            env.put(Secrets.TWILIO_ACCOUNT_SID, ACCOUNT_SID);
        }
        gateway = Gateway.start(GatewayConfig.load(flags, null, env), PUBLIC_URL, Secrets.fromEnvironment(env));
        simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", gateway.httpPort()).publicUrl(PUBLIC_URL)
            .authToken(TWILIO_TOKEN).accountSid(ACCOUNT_SID).closeTimeoutMs(30_000).build();
    }

    private HttpResponse<String> admin(final String method, final String path, final String body) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
            .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + ADMIN_TOKEN)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Starts a call that keeps streaming until the gateway or the test ends it, and waits until it is active. */
    private CompletableFuture<SimulatedCallResult> activeCall(final CallPlan plan) throws Exception {
        final CompletableFuture<SimulatedCallResult> call = simulator.call(plan);
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < giveUp) {
            final HttpResponse<String> shown = admin("GET", "/calls/" + plan.callSid(), null);
            if (shown.statusCode() == 200 && "active".equals(JSON.readTree(shown.body()).get("state").asText())) {
                return call;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AssertionError("the Twilio call never became active");
    }

    private static CallPlan longCall() {
        return CallPlan.builder().numbers("+14155550123", "+14155550100").audio(SimulatedAudio.silence(20_000))
            .hangUp(false).build();
    }

    private JsonNode transferShown(final String callSid, final String state) throws Exception {
        JsonNode transfer = null;
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < giveUp) {
            final HttpResponse<String> shown = admin("GET", "/calls/" + callSid, null);
            transfer = shown.statusCode() == 200 ? JSON.readTree(shown.body()).get("transfer") : null;
            if (transfer != null && state.equals(transfer.get("state").asText())) {
                return transfer;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new AssertionError("transfer never reached " + state + ": " + transfer);
    }

    @Test
    void shouldUpdateTheLiveCallWithDialTwimlAndEndWhenTwilioStopsTheStream() throws Exception {
        start(true);
        final CallPlan plan = longCall();
        twilioApi.callInProgress(plan.callSid());
        twilioApi.onUpdate((callSid, twiml) -> simulator.endStream(callSid));
        final CompletableFuture<SimulatedCallResult> call = activeCall(plan);

        final long askedNs = System.nanoTime();
        final HttpResponse<String> posted = admin("POST", "/calls/" + plan.callSid() + "/transfer",
            "{\"to\":\"tel:+1-415-555-0111\",\"announce\":\"Connecting you to a person & a desk\"}");

        assertEquals(202, posted.statusCode(), posted.body());
        final SimulatedCallResult result = call.get(30, TimeUnit.SECONDS);
        final long endedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - askedNs);
        assertEquals(1, twilioApi.updates().size(), "one update, authenticated with the account SID and token");
        final TwilioApiStandIn.Update update = twilioApi.updates().get(0);
        assertEquals(plan.callSid(), update.callSid());
        assertTrue(update.twiml().contains("<Say>Connecting you to a person &amp; a desk</Say>"), update.twiml());
        assertTrue(update.twiml().contains("<Dial><Number>+14155550111</Number></Dial>"), update.twiml());
        assertEquals(1000, result.closeCode(), "the stream ended after Twilio's stop: " + result);
        assertEquals(404, admin("GET", "/calls/" + plan.callSid(), null).statusCode(), "the call has left the node");
        final String metrics = admin("GET", "/metrics", null).body();
        assertTrue(metrics.contains("voxgate_transfers_total{outcome=\"succeeded\"} 1.0"), metrics);
        assertTrue(metrics.contains("voxgate_twilio_call_updates_sent_total 1.0"), metrics);
        org.slf4j.LoggerFactory.getLogger(TwilioTransferIT.class)
            .info("Twilio transfer: request to stream closed in {} ms (stand-in on loopback)", endedMs);
    }

    @Test
    void shouldKeepTheCallWhenTwilioRefusesTheUpdate() throws Exception {
        start(true);
        final CallPlan plan = longCall();
        twilioApi.callCompleted(plan.callSid());
        final CompletableFuture<SimulatedCallResult> call = activeCall(plan);

        assertEquals(202, admin("POST", "/calls/" + plan.callSid() + "/transfer", "{\"to\":\"sip:desk@pbx.example.test\"}")
            .statusCode());

        final JsonNode transfer = transferShown(plan.callSid(), "refused");
        assertEquals("Twilio API 400 code 21220", transfer.get("detail").asText());
        assertEquals(0, twilioApi.updates().size());
        assertEquals(202, admin("DELETE", "/calls/" + plan.callSid(), null).statusCode(), "the call was still up");
        assertEquals(1000, call.get(30, TimeUnit.SECONDS).closeCode());
    }

    @Test
    void shouldRefuseTheTransferOfATwilioCallWithoutAnAccountSid() throws Exception {
        start(false);
        final CallPlan plan = longCall();
        twilioApi.callInProgress(plan.callSid());
        final CompletableFuture<SimulatedCallResult> call = activeCall(plan);

        assertEquals(202, admin("POST", "/calls/" + plan.callSid() + "/transfer", "{\"to\":\"tel:+14155550111\"}")
            .statusCode());

        assertEquals("the caller's edge cannot transfer this call",
            transferShown(plan.callSid(), "not_possible").get("detail").asText());
        assertEquals(0, twilioApi.statuses().size(), "nothing was sent to Twilio");
        assertEquals(202, admin("DELETE", "/calls/" + plan.callSid(), null).statusCode());
        call.get(30, TimeUnit.SECONDS);
    }
}
