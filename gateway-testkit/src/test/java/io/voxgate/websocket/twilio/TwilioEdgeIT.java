package io.voxgate.websocket.twilio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.voxgate.core.call.CallAdmission;
import io.voxgate.core.tick.LoopTickers;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.TwilioCallSimulator;
import io.voxgate.testkit.twilio.TwilioRequestSigner;
import io.voxgate.testkit.websocket.RawWebSocket;
import io.voxgate.websocket.http.HttpEdgeServer;
import io.voxgate.websocket.twilio.stream.StreamAuthentication;
import io.voxgate.websocket.twilio.webhook.CallTokens;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.xml.parsers.DocumentBuilderFactory;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class TwilioEdgeIT {
    private static final String TOKEN = "test-auth-token-0123456789";
    private static final String PUBLIC_URL = "https://gw.example.com";

    private final EchoAgents calls = new EchoAgents();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final TwilioRequestSigner signer = new TwilioRequestSigner(TOKEN);
    private HttpEdgeServer server;
    private TwilioEdge edge;
    private TwilioCallSimulator simulator;
    private CallAdmission.Verdict admission = CallAdmission.Verdict.ACCEPTED;

    private void start(final StreamAuthentication mode) {
        final TwilioEdgeConfig config = TwilioEdgeConfig.builder()
            .publicUrl(PUBLIC_URL)
            .authToken(TOKEN)
            .streamAuthentication(mode)
            .clock(clock)
            .maxRejectedMessages(1_000)
            .build();
        edge = new TwilioEdge(config, () -> admission, calls.opener(), new LoopTickers(SystemNanoClock.INSTANCE));
        server = edge.register(HttpEdgeServer.builder().bindAddress("127.0.0.1").port(0).workerThreads(2)).build().start();
        simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", server.port()).publicUrl(PUBLIC_URL).authToken(TOKEN).build();
    }

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
        if (server != null) {
            server.close();
        }
    }

    // ---- webhook ------------------------------------------------------------------------------------------------

    private Map<String, String> webhookParams(final String callSid) {
        final Map<String, String> params = new LinkedHashMap<>();
        params.put("CallSid", callSid);
        params.put("AccountSid", "AC0123456789abcdef0123456789abcdef");
        params.put("From", "+15005550006");
        params.put("To", "+15005550001");
        params.put("CallStatus", "ringing");
        return params;
    }

    private HttpResponse<String> postWebhook(final Map<String, String> params, final String signature) throws Exception {
        final StringBuilder form = new StringBuilder();
        params.forEach((k, v) -> form.append(form.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
            .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/voice/inbound"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        if (signature != null) {
            request.header("X-Twilio-Signature", signature);
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
            .send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswerASignedWebhookWithConnectStreamTwiml() throws Exception {
        start(StreamAuthentication.EITHER);
        final String callSid = CallPlan.randomSid("CA");
        final Map<String, String> params = webhookParams(callSid);
        final HttpResponse<String> response = postWebhook(params, signer.sign(PUBLIC_URL + "/voice/inbound", params));
        assertEquals(200, response.statusCode());
        assertEquals("text/xml", response.headers().firstValue("Content-Type").orElse(""));

        final Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8)));
        assertEquals("Response", doc.getDocumentElement().getTagName());
        final Element connect = (Element) doc.getDocumentElement().getElementsByTagName("Connect").item(0);
        assertNotNull(connect);
        final Element stream = (Element) connect.getElementsByTagName("Stream").item(0);
        assertEquals("wss://gw.example.com/media/" + callSid, stream.getAttribute("url"));
        assertEquals("https://gw.example.com/voice/stream-status", stream.getAttribute("statusCallback"));
        assertEquals("POST", stream.getAttribute("statusCallbackMethod"));
        final NodeList parameters = stream.getElementsByTagName("Parameter");
        final Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < parameters.getLength(); i++) {
            final Element p = (Element) parameters.item(i);
            values.put(p.getAttribute("name"), p.getAttribute("value"));
        }
        assertEquals(callSid, values.get("callSid"));
        assertTrue(values.get("callToken").matches("v1\\.\\d+\\.[A-Za-z0-9_-]{43}"), values.get("callToken"));
        assertEquals(CallTokens.Verdict.VALID,
            edge.callTokens().verify(callSid, values.get("callToken"), clock.instant().getEpochSecond()));
        assertEquals(1, edge.stats().webhooksAnswered());
    }

    @Test
    void shouldRefuseAnUnsignedWebhookWith403() throws Exception {
        start(StreamAuthentication.EITHER);
        assertEquals(403, postWebhook(webhookParams(CallPlan.randomSid("CA")), null).statusCode());
        assertEquals(1, edge.stats().webhooksRejectedSignature());
    }

    @Test
    void shouldRefuseAForgedWebhookWith403() throws Exception {
        start(StreamAuthentication.EITHER);
        final Map<String, String> params = webhookParams(CallPlan.randomSid("CA"));
        final String signature = new TwilioRequestSigner("another-token").sign(PUBLIC_URL + "/voice/inbound", params);
        assertEquals(403, postWebhook(params, signature).statusCode());
    }

    @Test
    void shouldRefuseAWebhookWhoseParametersWereAlteredAfterSigning() throws Exception {
        start(StreamAuthentication.EITHER);
        final Map<String, String> params = webhookParams(CallPlan.randomSid("CA"));
        final String signature = signer.sign(PUBLIC_URL + "/voice/inbound", params);
        params.put("From", "+15005559999");
        assertEquals(403, postWebhook(params, signature).statusCode());
    }

    @Test
    void shouldAcceptAWebhookSignedWithThePort443Spelling() throws Exception {
        start(StreamAuthentication.EITHER);
        final Map<String, String> params = webhookParams(CallPlan.randomSid("CA"));
        assertEquals(200, postWebhook(params, signer.sign("https://gw.example.com:443/voice/inbound", params)).statusCode());
    }

    @Test
    void shouldRefuseANewCallWith503WhenAdmissionSaysFull() throws Exception {
        start(StreamAuthentication.EITHER);
        admission = CallAdmission.Verdict.FULL;
        final Map<String, String> params = webhookParams(CallPlan.randomSid("CA"));
        final HttpResponse<String> response = postWebhook(params, signer.sign(PUBLIC_URL + "/voice/inbound", params));
        assertEquals(503, response.statusCode());
        assertEquals(1, edge.stats().webhooksRefusedFull());
    }

    private HttpResponse<String> postStatus(final Map<String, String> params, final String signature) throws Exception {
        final StringBuilder form = new StringBuilder();
        params.forEach((k, v) -> form.append(form.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
            .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        final HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/voice/stream-status"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        if (signature != null) {
            request.header("X-Twilio-Signature", signature);
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
            .send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldRecordASignedStreamStatusCallback() throws Exception {
        start(StreamAuthentication.EITHER);
        final Map<String, String> params = new LinkedHashMap<>();
        params.put("AccountSid", "AC1");
        params.put("CallSid", CallPlan.randomSid("CA"));
        params.put("StreamSid", CallPlan.randomSid("MZ"));
        params.put("StreamEvent", "stream-error");
        params.put("StreamError", "Stream - WebSocket - Connection Broken Pipe");
        params.put("Timestamp", "2026-01-01T00:00:00Z");
        assertEquals(204, postStatus(params, signer.sign(PUBLIC_URL + "/voice/stream-status", params)).statusCode());
        assertEquals(1, edge.stats().statusCallbacks());
        assertEquals(1, edge.stats().streamErrorsReported());
        assertEquals(403, postStatus(params, null).statusCode());
        assertEquals(1, edge.stats().statusCallbacksRejectedSignature());
    }

    // ---- upgrade and token --------------------------------------------------------------------------------------

    private RawWebSocket upgrade(final String callSid, final String signature) throws Exception {
        final Map<String, String> headers = new LinkedHashMap<>();
        if (signature != null) {
            headers.put("X-Twilio-Signature", signature);
        }
        return RawWebSocket.connect(server.port(), "/media/" + callSid, headers);
    }

    /** Posts the signed voice webhook for {@code callSid}, as Twilio does before it opens the stream; returns the TwiML. */
    private String admit(final String callSid) throws Exception {
        final Map<String, String> params = webhookParams(callSid);
        final HttpResponse<String> response = postWebhook(params, signer.sign(PUBLIC_URL + "/voice/inbound", params));
        assertEquals(200, response.statusCode());
        return response.body();
    }

    private static String tokenIn(final String twiml) {
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"callToken\" value=\"([^\"]+)\"").matcher(twiml);
        assertTrue(m.find(), twiml);
        return m.group(1);
    }

    private String signedUpgradeSignature(final String callSid) {
        return signer.sign("wss://gw.example.com/media/" + callSid, Map.of());
    }

    private static String start(final String callSid, final String streamSid, final String token) {
        return "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{\"accountSid\":\"AC1\",\"streamSid\":\"" + streamSid
            + "\",\"callSid\":\"" + callSid + "\",\"tracks\":[\"inbound\"],\"customParameters\":{"
            + (token == null ? "" : "\"callToken\":\"" + token + "\"")
            + "},\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}},\"streamSid\":\""
            + streamSid + "\"}";
    }

    @Test
    void shouldRefuseAForgedUpgradeSignatureWith403() throws Exception {
        start(StreamAuthentication.EITHER);
        final String callSid = CallPlan.randomSid("CA");
        final String forged = new TwilioRequestSigner("wrong").sign("wss://gw.example.com/media/" + callSid, Map.of());
        try (RawWebSocket ws = upgrade(callSid, forged)) {
            assertEquals(403, ws.status());
        }
        assertEquals(1, edge.stats().upgradesRejectedSignature());
    }

    @Test
    void shouldAcceptTheUpgradeSignatureInEverySpellingTwilioMayUse() throws Exception {
        start(StreamAuthentication.SIGNATURE);
        final String callSid = CallPlan.randomSid("CA");
        for (final String url : List.of("wss://gw.example.com/media/" + callSid, "wss://gw.example.com:443/media/" + callSid,
            "wss://gw.example.com/media/" + callSid + "/", "wss://gw.example.com:443/media/" + callSid + "/")) {
            try (RawWebSocket ws = upgrade(callSid, signer.sign(url, Map.of()))) {
                assertEquals(101, ws.status(), url);
            }
        }
    }

    @Test
    void shouldRefuseAnUpgradeSignedOverTheHttpsUrl() throws Exception {
        start(StreamAuthentication.EITHER);
        final String callSid = CallPlan.randomSid("CA");
        try (RawWebSocket ws = upgrade(callSid, signer.sign("https://gw.example.com/media/" + callSid, Map.of()))) {
            assertEquals(403, ws.status());
        }
    }

    @Test
    void shouldRefuseAnUnsignedUpgradeWhenTheSignatureIsRequired() throws Exception {
        start(StreamAuthentication.SIGNATURE);
        try (RawWebSocket ws = upgrade(CallPlan.randomSid("CA"), null)) {
            assertEquals(403, ws.status());
        }
    }

    @Test
    void shouldRefuseAnUpgradeWithoutACallSidInThePath() throws Exception {
        start(StreamAuthentication.EITHER);
        try (RawWebSocket ws = upgrade("not%20a%20sid", null)) {
            assertEquals(404, ws.status());
        }
    }

    @Test
    void shouldClose1008AnUnsignedStreamWhoseStartHasNoToken() throws Exception {
        start(StreamAuthentication.EITHER);
        final String callSid = CallPlan.randomSid("CA");
        admit(callSid);
        try (RawWebSocket ws = upgrade(callSid, null)) {
            assertEquals(101, ws.status());
            ws.sendText(start(callSid, CallPlan.randomSid("MZ"), null));
            final RawWebSocket.Frame close = ws.readUntilClose();
            assertNotNull(close);
            assertEquals(1008, close.closeCode());
            assertEquals("call token missing", close.closeReason());
        }
        assertEquals(1, edge.stats().tokensMissing());
        assertEquals(0, calls.starts.size());
    }

    private static String startWithFormat(final String callSid, final String token, final String encoding) {
        return start(callSid, CallPlan.randomSid("MZ"), token).replace("\"encoding\":\"audio/x-mulaw\"",
            "\"encoding\":\"" + encoding + "\"");
    }

    @Test
    void shouldCheckTheTokenBeforeLookingAtAHugeMediaFormat() throws Exception {
        start(StreamAuthentication.EITHER);
        final String callSid = CallPlan.randomSid("CA");
        admit(callSid);
        try (RawWebSocket ws = upgrade(callSid, null)) {
            ws.sendText(startWithFormat(callSid, null, "z".repeat(60 * 1024)));
            final RawWebSocket.Frame close = ws.readUntilClose();
            assertEquals(1008, close.closeCode());
            assertEquals("call token missing", close.closeReason());
        }
        assertEquals(1, edge.stats().tokensMissing());
        assertEquals(0, edge.stats().streamsRejectedStart());
    }

    @Test
    void shouldNotEchoAnUnsupportedMediaFormatInTheCloseReason() throws Exception {
        start(StreamAuthentication.EITHER);
        final String callSid = CallPlan.randomSid("CA");
        admit(callSid);
        final String token = edge.callTokens().issue(callSid, clock.instant().getEpochSecond());
        try (RawWebSocket ws = upgrade(callSid, null)) {
            ws.sendText(startWithFormat(callSid, token, "evil-" + "z".repeat(60 * 1024)));
            final RawWebSocket.Frame close = ws.readUntilClose();
            assertEquals(1008, close.closeCode());
            assertFalse(close.closeReason().contains("evil"), close.closeReason());
            assertTrue(close.closeReason().startsWith("unsupported media format"), close.closeReason());
        }
        assertEquals(1, edge.stats().streamsRejectedStart());
    }

    @Test
    void shouldAcceptAnUnsignedStreamWithAValidToken() throws Exception {
        start(StreamAuthentication.EITHER);
        final String callSid = CallPlan.randomSid("CA");
        admit(callSid);
        final String token = edge.callTokens().issue(callSid, clock.instant().getEpochSecond());
        try (RawWebSocket ws = upgrade(callSid, null)) {
            ws.sendText(start(callSid, CallPlan.randomSid("MZ"), token));
            // The stream counts itself started just after the call opens, on the event loop: wait for both.
            awaitTrue(() -> calls.starts.size() == 1 && edge.stats().streamsStarted() == 1);
            assertTrue(!calls.starts.get(0).metadata().containsKey("callToken"), "the token never reaches the agent");
        }
    }

    @Test
    void shouldClose1008AStreamWhoseTokenExpired() throws Exception {
        start(StreamAuthentication.EITHER);
        final String callSid = CallPlan.randomSid("CA");
        admit(callSid);
        final String token = edge.callTokens().issue(callSid, clock.instant().getEpochSecond());
        clock.advanceSeconds(TwilioEdgeConfig.DEFAULT_CALL_TOKEN_TTL_SECONDS + 1);
        try (RawWebSocket ws = upgrade(callSid, null)) {
            ws.sendText(start(callSid, CallPlan.randomSid("MZ"), token));
            final RawWebSocket.Frame close = ws.readUntilClose();
            assertEquals(1008, close.closeCode());
            assertEquals("call token expired", close.closeReason());
        }
        assertEquals(1, edge.stats().tokensExpired());
    }

    @Test
    void shouldClose1008AStreamPresentingAnotherCallsToken() throws Exception {
        start(StreamAuthentication.EITHER);
        final String callSid = CallPlan.randomSid("CA");
        admit(callSid);
        final String otherToken = edge.callTokens().issue(CallPlan.randomSid("CA"), clock.instant().getEpochSecond());
        try (RawWebSocket ws = upgrade(callSid, null)) {
            ws.sendText(start(callSid, CallPlan.randomSid("MZ"), otherToken));
            assertEquals("call token forged", ws.readUntilClose().closeReason());
        }
    }

    @Test
    void shouldClose1008AStartWhoseCallSidIsNotTheUrls() throws Exception {
        start(StreamAuthentication.SIGNATURE);
        final String callSid = CallPlan.randomSid("CA");
        try (RawWebSocket ws = upgrade(callSid, signer.sign("wss://gw.example.com/media/" + callSid, Map.of()))) {
            ws.sendText(start(CallPlan.randomSid("CA"), CallPlan.randomSid("MZ"), null));
            final RawWebSocket.Frame close = ws.readUntilClose();
            assertEquals(1008, close.closeCode());
            assertEquals("start callSid does not match the stream URL", close.closeReason());
        }
    }

    @Test
    void shouldRequireASignedUpgradeAndTheTokenByDefault() throws Exception {
        final TwilioEdgeConfig config = TwilioEdgeConfig.builder().publicUrl(PUBLIC_URL).authToken(TOKEN).build();
        assertEquals(StreamAuthentication.BOTH, config.streamAuthentication());
        start(StreamAuthentication.BOTH);
        final String callSid = CallPlan.randomSid("CA");
        admit(callSid);
        try (RawWebSocket ws = upgrade(callSid, null)) {
            assertEquals(403, ws.status(), "a token alone is not enough");
        }
        try (RawWebSocket ws = upgrade(callSid, signedUpgradeSignature(callSid))) {
            ws.sendText(start(callSid, CallPlan.randomSid("MZ"), null));
            assertEquals("call token missing", ws.readUntilClose().closeReason(), "a signature alone is not enough");
        }
    }

    @Test
    void shouldRefuseASignedUpgradeForACallSidTheWebhookNeverAdmitted() throws Exception {
        start(StreamAuthentication.BOTH);
        final String callSid = CallPlan.randomSid("CA");
        try (RawWebSocket ws = upgrade(callSid, signedUpgradeSignature(callSid))) {
            assertEquals(403, ws.status());
        }
        assertEquals(1, edge.stats().upgradesRejectedNotAdmitted());
        assertEquals(0, calls.starts.size());
    }

    @Test
    void shouldStartAtMostOneStreamPerToken() throws Exception {
        start(StreamAuthentication.BOTH);
        final String callSid = CallPlan.randomSid("CA");
        final String token = tokenIn(admit(callSid));
        final RawWebSocket first = upgrade(callSid, signedUpgradeSignature(callSid));
        final RawWebSocket second = upgrade(callSid, signedUpgradeSignature(callSid));
        try (first; second) {
            assertEquals(101, second.status(), "both upgrades came before any start");
            first.sendText(start(callSid, CallPlan.randomSid("MZ"), token));
            awaitTrue(() -> edge.stats().streamsStarted() == 1);
            second.sendText(start(callSid, CallPlan.randomSid("MZ"), token));
            final RawWebSocket.Frame close = second.readUntilClose();
            assertEquals(1008, close.closeCode());
            assertEquals("a stream already started for this call", close.closeReason());
            try (RawWebSocket third = upgrade(callSid, signedUpgradeSignature(callSid))) {
                assertEquals(403, third.status(), "no upgrade once the call streams");
            }
        }
        assertEquals(1, calls.starts.size());
        assertEquals(1, edge.stats().streamsRejectedNotAdmitted());
    }

    @Test
    void shouldAnswerARepeatedWebhookForALiveCallWithTheSameTwiml() throws Exception {
        start(StreamAuthentication.BOTH);
        final String callSid = CallPlan.randomSid("CA");
        final String first = admit(callSid);
        clock.advanceSeconds(5);
        final String again = admit(callSid);
        assertEquals(first, again);
        assertEquals(tokenIn(first), tokenIn(again), "never a second token");
        assertEquals(1, edge.stats().webhooksAnswered());
        assertEquals(1, edge.stats().webhooksRepeated());
    }

    @Test
    void shouldAcceptOneSignedStreamPerCallSidWithoutAWebhookInStartStreamMode() throws Exception {
        start(StreamAuthentication.SIGNATURE);
        final String callSid = CallPlan.randomSid("CA");
        try (RawWebSocket ws = upgrade(callSid, signedUpgradeSignature(callSid))) {
            ws.sendText(start(callSid, CallPlan.randomSid("MZ"), null));
            awaitTrue(() -> edge.stats().streamsStarted() == 1);
            try (RawWebSocket replay = upgrade(callSid, signedUpgradeSignature(callSid))) {
                assertEquals(403, replay.status(), "a replayed signed upgrade starts nothing");
            }
        }
        assertEquals(1, calls.starts.size());
    }

    // ---- whole calls --------------------------------------------------------------------------------------------

    @Test
    void shouldCarryACallEndToEndWithAnEchoAgent() throws Exception {
        start(StreamAuthentication.EITHER);
        final SimulatedAudio said = SimulatedAudio.tone(440, 1_000, 8_000);
        final CallPlan plan = CallPlan.builder().audio(said).dtmf('1', 200).dtmf('#', 400).listenAfterMs(400).build();
        final SimulatedCallResult result = simulator.call(plan).get(20, TimeUnit.SECONDS);

        assertNull(result.error());
        assertTrue(result.ok(), result.toString());
        assertEquals(1000, result.closeCode());
        assertEquals(result.framesSent(), result.framesReceived(), "every frame comes back");
        assertEquals(result.framesSent() * 160, result.bytesReceived(), "160 bytes per 20 ms frame");
        assertArrayEquals(withoutSilence(said.mulaw()), withoutSilence(result.heard()), "heard exactly what was said, in order");
        assertTrue(result.marksReceived() >= 9, "a mark about every 100 ms: " + result.marksReceived());
        // Twilio echoes a mark once the audio before it has played; the last one may still be playing at stop.
        assertTrue(result.marksEchoed() >= result.marksReceived() - 1, "marks came back: " + result);
        assertEquals("1#", calls.digits.get(plan.callSid()).toString());
        assertEquals("stream stopped", calls.endReasons.get(plan.callSid()));
        awaitTrue(() -> edge.stats().streamsActive() == 0);
        assertEquals(0, calls.open.get());
        assertEquals(0, calls.wrongThread.get(), "the call runs on its stream's event loop only");
        assertEquals(result.marksEchoed(), edge.stats().marksPlayed() + edge.stats().marksCleared());
        assertEquals(0, edge.stats().marksCleared(), "no clear was sent, so every echoed mark was played");
    }

    @Test
    void shouldLogEveryCallLineWithItsCallSidAndNeverASecret() throws Exception {
        start(StreamAuthentication.EITHER);
        final ch.qos.logback.classic.Logger root =
            (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        final ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try {
            final CallPlan plan = CallPlan.builder().audio(SimulatedAudio.tone(440, 300, 8_000)).build();
            final SimulatedCallResult result = simulator.call(plan).get(20, TimeUnit.SECONDS);
            assertTrue(result.ok(), result.toString());
            final Map<String, String> params = webhookParams(plan.callSid());
            postWebhook(params, "forged-signature");
            awaitTrue(() -> edge.stats().streamsActive() == 0);
        } finally {
            root.detachAppender(logs);
        }
        final List<ILoggingEvent> twilioLines = new ArrayList<>();
        for (final ILoggingEvent e : logs.list) {
            final String line = e.getFormattedMessage() + " " + e.getMDCPropertyMap();
            assertFalse(line.contains(TOKEN), "auth token in: " + line);
            assertFalse(line.matches(".*v1\\.\\d+\\.[A-Za-z0-9_-]{43}.*"), "call token in: " + line);
            assertFalse(line.contains("forged-signature"), "signature in: " + line);
            if (e.getLoggerName().startsWith("io.voxgate.websocket.twilio")) {
                twilioLines.add(e);
                assertNotNull(e.getMDCPropertyMap().get("callId"), "no CallSid on: " + line);
            }
        }
        assertTrue(twilioLines.size() >= 3, "webhook, start, end and refusal are logged: " + twilioLines.size());
    }

    /** The audio with mu-law zero bytes removed: silence the playout inserted while waiting does not count. */
    static byte[] withoutSilence(final byte[] mulaw) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte b : mulaw) {
            if (b != (byte) 0xFF) {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    static void awaitTrue(final BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
