package io.voxgate.websocket.vapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

final class VapiWebhookEndpointTest {
    private static final String SECRET = "whsec-test-1234";
    private static final long NOW_MS = 1_760_000_000_000L;
    private static final byte[] STATUS =
        body("{\"message\":{\"type\":\"status-update\",\"status\":\"in-progress\",\"call\":{\"id\":\"vc-1\"}}}");

    private final VapiCallRecords records = new VapiCallRecords();
    private final VapiWebhookStats stats = new VapiWebhookStats();
    private final AtomicInteger bargeIns = new AtomicInteger();
    private final RecordingCallControl calls = new RecordingCallControl();

    @Test
    void shouldAcceptAValidBearerToken() {
        assertEquals(200, endpoint(VapiWebhookConfig.bearer(SECRET)).handle("POST", Map.of("Authorization", "Bearer " + SECRET), STATUS,
            NOW_MS).join().status());
    }

    @Test
    void shouldRefuseAForgedBearerToken() {
        final VapiWebhookEndpoint endpoint = endpoint(VapiWebhookConfig.bearer(SECRET));

        assertEquals(401, endpoint.handle("POST", Map.of("Authorization", "Bearer " + SECRET + "x"), STATUS, NOW_MS).join().status());
        assertEquals(401, endpoint.handle("POST", Map.of("Authorization", SECRET), STATUS, NOW_MS).join().status());
        assertEquals(401, endpoint.handle("POST", Map.of(), STATUS, NOW_MS).join().status());
        assertEquals(1, stats.rejectedForged());
        assertEquals(2, stats.rejectedMissing());
    }

    @Test
    void shouldAcceptAValidSecretHeaderInAnyCase() {
        assertEquals(200, endpoint(VapiWebhookConfig.secretHeader(SECRET)).handle("POST",
            Map.of("x-vapi-secret", SECRET), STATUS, NOW_MS).join()
            .status());
        assertEquals(200, endpoint(VapiWebhookConfig.secretHeader(SECRET)).handle("POST",
            Map.of("X-Vapi-Secret", SECRET), STATUS, NOW_MS).join()
            .status());
    }

    @Test
    void shouldRefuseAForgedSecretHeader() {
        assertEquals(401, endpoint(VapiWebhookConfig.secretHeader(SECRET)).handle("POST", Map.of("X-Vapi-Secret", "guess"), STATUS,
            NOW_MS).join().status());
        assertEquals(1, stats.rejectedForged());
    }

    @Test
    void shouldAcceptAValidHmacSignature() {
        final long ts = NOW_MS / 1000;

        assertEquals(200, endpoint(VapiWebhookConfig.hmac(SECRET)).handle("POST", hmacHeaders(ts, STATUS), STATUS, NOW_MS).join().status());
    }

    @Test
    void shouldAcceptHmacTimestampsInMilliseconds() {
        assertEquals(200, endpoint(VapiWebhookConfig.hmac(SECRET)).handle("POST",
            hmacHeaders(NOW_MS, STATUS), STATUS, NOW_MS).join().status());
    }

    @Test
    void shouldRefuseAForgedHmacSignature() {
        final Map<String, String> headers = hmacHeaders(NOW_MS / 1000, STATUS);
        final byte[] tampered = body("{\"message\":{\"type\":\"status-update\",\"status\":\"ended\",\"call\":{\"id\":\"vc-1\"}}}");

        assertEquals(401, endpoint(VapiWebhookConfig.hmac(SECRET)).handle("POST", headers, tampered, NOW_MS).join().status());
        assertEquals(1, stats.rejectedForged());
    }

    @Test
    void shouldRefuseAStaleHmacTimestamp() {
        final long ts = NOW_MS / 1000 - VapiWebhookConfig.DEFAULT_REPLAY_WINDOW_S - 1;

        assertEquals(401, endpoint(VapiWebhookConfig.hmac(SECRET)).handle("POST", hmacHeaders(ts, STATUS), STATUS, NOW_MS).join().status());
        assertEquals(1, stats.rejectedStale());
    }

    @Test
    void shouldRefuseAHmacTimestampFromTheFutureBeyondTheClockSkew() {
        final long ts = NOW_MS / 1000 + 60;

        assertEquals(401, endpoint(VapiWebhookConfig.hmac(SECRET)).handle("POST", hmacHeaders(ts, STATUS), STATUS, NOW_MS).join().status());
        assertEquals(1, stats.rejectedStale());
    }

    @Test
    void shouldAcceptAHmacTimestampAFewSecondsAhead() {
        assertEquals(200, endpoint(VapiWebhookConfig.hmac(SECRET)).handle("POST",
            hmacHeaders(NOW_MS + 2_000, STATUS), STATUS, NOW_MS).join()
            .status());
    }

    @Test
    void shouldRefuseRatherThanForgetALiveSignatureWhenTheReplayCacheIsFull() {
        final VapiWebhookEndpoint endpoint = endpoint(VapiWebhookConfig.hmac(SECRET).withReplayCacheSize(1));
        final Map<String, String> first = hmacHeaders(NOW_MS, STATUS);

        assertEquals(200, endpoint.handle("POST", first, STATUS, NOW_MS).join().status());
        assertEquals(401, endpoint.handle("POST", hmacHeaders(NOW_MS + 1, STATUS), STATUS, NOW_MS + 1).join().status());
        assertEquals(1, stats.rejectedReplayCacheFull());
        assertEquals(401, endpoint.handle("POST", first, STATUS, NOW_MS + 2).join().status(), "the first signature is still remembered");
        assertEquals(1, stats.rejectedReplayed());
        final long afterWindow = NOW_MS + VapiWebhookConfig.DEFAULT_REPLAY_WINDOW_S * 1_000L + 1;
        assertEquals(200, endpoint.handle("POST", hmacHeaders(afterWindow, STATUS), STATUS, afterWindow).join().status(),
            "room once the first expired");
    }

    @Test
    void shouldRefuseAReplayedHmacRequest() {
        final VapiWebhookEndpoint endpoint = endpoint(VapiWebhookConfig.hmac(SECRET));
        final Map<String, String> headers = hmacHeaders(NOW_MS / 1000, STATUS);

        assertEquals(200, endpoint.handle("POST", headers, STATUS, NOW_MS).join().status());
        assertEquals(401, endpoint.handle("POST", headers, STATUS, NOW_MS + 1_000).join().status());
        assertEquals(1, stats.rejectedReplayed());
    }

    @Test
    void shouldRefuseHmacWithoutTimestamp() {
        final Map<String, String> headers = new HashMap<>(hmacHeaders(NOW_MS / 1000, STATUS));
        headers.remove("x-timestamp");

        assertEquals(401, endpoint(VapiWebhookConfig.hmac(SECRET)).handle("POST", headers, STATUS, NOW_MS).join().status());
        assertEquals(1, stats.rejectedMissing());
    }

    @Test
    void shouldAnswerAssistantRequestWithTheAssistantId() throws Exception {
        final byte[] request = body("{\"message\":{\"type\":\"assistant-request\",\"call\":{\"id\":\"vc-2\"}}}");
        final WebhookResponse response = endpoint(VapiWebhookConfig.bearer(SECRET)).handle("POST", bearer(), request, NOW_MS).join();

        assertEquals(200, response.status());
        assertEquals("asst-1", new ObjectMapper().readTree(response.bodyText()).path("assistantId").asText());
    }

    @Test
    void shouldKeepTheEndOfCallReportWithTheGatewayCallId() {
        records.bind("vc-3", "CA123");
        final byte[] report = body("{\"message\":{\"type\":\"end-of-call-report\",\"endedReason\":\"customer-ended-call\","
            + "\"call\":{\"id\":\"vc-3\"},\"artifact\":{\"transcript\":\"hi\"}}}");

        assertEquals(200, endpoint(VapiWebhookConfig.bearer(SECRET)).handle("POST", bearer(), report, NOW_MS).join().status());
        final VapiCallRecord record = records.find("vc-3").orElseThrow();
        assertEquals("CA123", record.gatewayCallId());
        assertEquals("customer-ended-call", record.endedReason());
        assertTrue(record.endOfCallReport().contains("\"transcript\":\"hi\""));
    }

    @Test
    void shouldTakeTheGatewayCallIdFromVariableValuesWhenNotBound() {
        final byte[] status = body("{\"message\":{\"type\":\"status-update\",\"status\":\"ended\",\"endedReason\":\"silence-timed-out\","
            + "\"call\":{\"id\":\"vc-4\",\"assistantOverrides\":{\"variableValues\":{\"voxgateCallId\":\"CA456\"}}}}}");

        endpoint(VapiWebhookConfig.bearer(SECRET)).handle("POST", bearer(), status, NOW_MS).join();
        assertEquals("CA456", records.find("vc-4").orElseThrow().gatewayCallId());
        assertEquals("ended", records.find("vc-4").orElseThrow().status());
    }

    @Test
    void shouldOfferBargeInToTheCallOnThisNode() {
        final byte[] interrupted = body("{\"message\":{\"type\":\"user-interrupted\",\"call\":{\"id\":\"vc-here\"}}}");
        final byte[] elsewhere = body("{\"message\":{\"type\":\"user-interrupted\",\"call\":{\"id\":\"vc-elsewhere\"}}}");
        final VapiWebhookEndpoint endpoint = endpoint(VapiWebhookConfig.bearer(SECRET));

        assertEquals(200, endpoint.handle("POST", bearer(), interrupted, NOW_MS).join().status());
        assertEquals(200, endpoint.handle("POST", bearer(), elsewhere, NOW_MS).join().status());
        assertEquals(1, bargeIns.get());
        assertEquals(1, stats.bargeInsOffered());
        assertEquals(1, stats.bargeInsNotOnNode());
    }

    @Test
    void shouldAcknowledgeAndCountOtherTypes() {
        final byte[] other = body("{\"message\":{\"type\":\"conversation-update\",\"messages\":[]}}");

        assertEquals(200, endpoint(VapiWebhookConfig.bearer(SECRET)).handle("POST", bearer(), other, NOW_MS).join().status());
        assertEquals(1, stats.otherMessages());
    }

    @Test
    void shouldAnswer400ToMalformedJson() {
        final VapiWebhookEndpoint endpoint = endpoint(VapiWebhookConfig.bearer(SECRET));

        assertEquals(400, endpoint.handle("POST", bearer(), body("{\"message\":"), NOW_MS).join().status());
        assertEquals(400, endpoint.handle("POST", bearer(), body("[1,2]"), NOW_MS).join().status());
        assertEquals(400, endpoint.handle("POST", bearer(), body("{\"message\":{\"status\":\"x\"}}"), NOW_MS).join().status());
        assertEquals(3, stats.malformed());
    }

    @Test
    void shouldAuthenticateBeforeParsing() {
        assertEquals(401, endpoint(VapiWebhookConfig.bearer(SECRET)).handle("POST", Map.of(), body("not json"), NOW_MS).join().status());
        assertEquals(0, stats.malformed());
    }

    @Test
    void shouldRefuseMethodsOtherThanPost() {
        assertEquals(405, endpoint(VapiWebhookConfig.bearer(SECRET)).handle("GET", bearer(), STATUS, NOW_MS).join().status());
    }

    @Test
    void shouldNotPrintTheSecretInTheConfig() {
        assertFalse(VapiWebhookConfig.hmac(SECRET).toString().contains(SECRET));
    }

    private VapiWebhookEndpoint endpoint(final VapiWebhookConfig config) {
        return new VapiWebhookEndpoint(config, VapiAssistant.byId("asst-1", "test"), records, (id, hint) -> "vc-here".equals(id)
            ? Optional.of(() -> bargeIns.incrementAndGet() > 0) : Optional.empty(), calls, stats);
    }

    private static Map<String, String> bearer() {
        return Map.of("Authorization", "Bearer " + SECRET);
    }

    private static Map<String, String> hmacHeaders(final long timestamp, final byte[] body) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            final StringBuilder hex = new StringBuilder();
            for (final byte b : mac.doFinal(body)) {
                hex.append(String.format("%02x", b));
            }
            return Map.of("x-signature", hex.toString(), "x-timestamp", Long.toString(timestamp));
        } catch (final Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] body(final String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldAnswerATransferDestinationRequestWithVapisDoNotTransferError() {
        final WebhookResponse answer = endpoint(VapiWebhookConfig.bearer(SECRET)).handle("POST",
            Map.of("Authorization", "Bearer " + SECRET),
            body("{\"message\":{\"type\":\"transfer-destination-request\",\"call\":{\"id\":\"vc-1\"}}}"), NOW_MS).join();

        assertEquals(200, answer.status());
        final String text = new String(answer.body(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"error\":"), text);
    }

    @Test
    void shouldHandAnEndCallForTheBoundCallToItsNodeAndAnswerWhatThatNodeAnswered() {
        records.bind("vc-5", "CA5");
        calls.answer = WebhookResponse.of(202, "{\"state\":\"hanging up\"}");

        final WebhookResponse answer = endpoint(VapiWebhookConfig.bearer(SECRET)).handle("POST", bearer(),
            body("{\"message\":{\"type\":\"end-call\",\"call\":{\"id\":\"vc-5\"}}}"), NOW_MS).join();

        assertEquals(List.of("hang-up CA5"), calls.asked);
        assertEquals(202, answer.status());
        assertEquals("{\"state\":\"hanging up\"}", answer.bodyText());
        assertEquals(1, stats.callMessages());
    }

    @Test
    void shouldHangUpOnPhoneCallControlNamingTheCallInItsVariables() {
        endpoint(VapiWebhookConfig.bearer(SECRET)).handle("POST", bearer(), body("{\"message\":{\"type\":\"phone-call-control\","
            + "\"request\":\"hang-up\",\"call\":{\"id\":\"vc-6\",\"assistantOverrides\":{\"variableValues\":"
            + "{\"voxgateCallId\":\"CA6\"}}}}}"), NOW_MS).join();

        assertEquals(List.of("hang-up CA6"), calls.asked);
    }

    @Test
    void shouldTransferTheCallerOnPhoneCallControlForward() {
        records.bind("vc-7", "CA7");

        endpoint(VapiWebhookConfig.bearer(SECRET)).handle("POST", bearer(), body("{\"message\":{\"type\":\"phone-call-control\","
            + "\"request\":\"forward\",\"destination\":{\"type\":\"number\",\"number\":\"+14155550111\","
            + "\"message\":\"One moment\"},\"call\":{\"id\":\"vc-7\"}}}"), NOW_MS).join();

        assertEquals(List.of("transfer CA7 tel:+14155550111 One moment"), calls.asked);
    }

    @Test
    void shouldAnswerATransferDestinationRequestWithTheDestinationTheCallsNodeNames() {
        records.bind("vc-8", "CA8");
        calls.answer = WebhookResponse.of(200, VapiTransferDestination.answer("sip:desk@pbx.example.test"));

        final WebhookResponse answer = endpoint(VapiWebhookConfig.bearer(SECRET)).handle("POST", bearer(),
            body("{\"message\":{\"type\":\"transfer-destination-request\",\"call\":{\"id\":\"vc-8\"}}}"), NOW_MS).join();

        assertEquals(List.of("destination CA8"), calls.asked);
        assertEquals(200, answer.status());
        assertEquals("{\"destination\":{\"type\":\"sip\",\"sipUri\":\"sip:desk@pbx.example.test\"}}", answer.bodyText());
    }

    @Test
    void shouldAnswerDoNotTransferWhenTheCallsNodeDidNotAnswer() {
        records.bind("vc-9", "CA9");
        calls.answer = WebhookResponse.of(504, "{\"error\":\"the node running the call did not answer in time\"}");

        final WebhookResponse answer = endpoint(VapiWebhookConfig.bearer(SECRET)).handle("POST", bearer(),
            body("{\"message\":{\"type\":\"transfer-destination-request\",\"call\":{\"id\":\"vc-9\"}}}"), NOW_MS).join();

        assertEquals(200, answer.status());
        assertEquals(VapiTransferDestination.NONE, answer.bodyText());
    }

    @Test
    void shouldAnswer404ToAnEndCallNamingNoGatewayCall() {
        final WebhookResponse answer = endpoint(VapiWebhookConfig.bearer(SECRET)).handle("POST", bearer(),
            body("{\"message\":{\"type\":\"end-call\",\"call\":{\"id\":\"vc-unknown\"}}}"), NOW_MS).join();

        assertEquals(404, answer.status());
        assertTrue(calls.asked.isEmpty());
        assertEquals(1, stats.callMessagesWithoutCall());
    }

    @Test
    void shouldHandOnNothingFromARequestThatIsNotAuthentic() {
        records.bind("vc-10", "CA10");

        assertEquals(401, endpoint(VapiWebhookConfig.bearer(SECRET)).handle("POST", Map.of("Authorization", "Bearer guess"),
            body("{\"message\":{\"type\":\"end-call\",\"call\":{\"id\":\"vc-10\"}}}"), NOW_MS).join().status());
        assertTrue(calls.asked.isEmpty());
    }

    /** Remembers what it was asked and answers {@link #answer}. */
    private static final class RecordingCallControl implements VapiCallControl {
        private final List<String> asked = new ArrayList<>();
        private WebhookResponse answer = WebhookResponse.of(202, "{}");

        @Override
        public CompletableFuture<WebhookResponse> hangUp(final String gatewayCallId) {
            asked.add("hang-up " + gatewayCallId);
            return CompletableFuture.completedFuture(answer);
        }

        @Override
        public CompletableFuture<WebhookResponse> transfer(final String gatewayCallId, final String target, final String announce) {
            asked.add("transfer " + gatewayCallId + " " + target + " " + announce);
            return CompletableFuture.completedFuture(answer);
        }

        @Override
        public CompletableFuture<WebhookResponse> transferDestination(final String gatewayCallId) {
            asked.add("destination " + gatewayCallId);
            return CompletableFuture.completedFuture(answer);
        }
    }
}
