package io.voxgate.websocket.twilio;

import static io.voxgate.websocket.twilio.TwilioEdgeIT.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.tick.LoopTickers;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.TwilioCallSimulator;
import io.voxgate.testkit.twilio.TwilioRequestSigner;
import io.voxgate.testkit.websocket.RawWebSocket;
import io.voxgate.websocket.http.HttpEdgeServer;
import io.voxgate.websocket.twilio.stream.StreamAuthentication;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each bad input has its documented outcome on its own stream while another call carries on untouched. */
class MediaStreamBadInputIT {
    private static final String TOKEN = "test-auth-token-0123456789";
    private static final String PUBLIC_URL = "https://gw.example.com";
    private static final SimulatedAudio BYSTANDER_TONE = SimulatedAudio.tone(700, 1_500, 8_000);
    private static final String PAYLOAD = Base64.getEncoder().encodeToString(SimulatedAudio.tone(500, 20, 8000).mulaw());

    private final EchoAgents calls = new EchoAgents();
    private final TwilioRequestSigner signer = new TwilioRequestSigner(TOKEN);
    private HttpEdgeServer server;
    private TwilioEdge edge;
    private TwilioCallSimulator simulator;
    private CompletableFuture<SimulatedCallResult> bystander;
    private String callSid;
    private String streamSid;

    @BeforeEach
    void start() {
        final TwilioEdgeConfig config = TwilioEdgeConfig.builder()
            .publicUrl(PUBLIC_URL)
            .authToken(TOKEN)
            // The hostile streams open without a webhook, as <Start><Stream> deployments do.
            .streamAuthentication(StreamAuthentication.SIGNATURE)
            .maxRejectedMessages(20)
            .startTimeoutMs(1_000)
            .build();
        edge = new TwilioEdge(config, calls.opener(), new LoopTickers(SystemNanoClock.INSTANCE));
        server = edge.register(HttpEdgeServer.builder().bindAddress("127.0.0.1").port(0).workerThreads(1)).build().start();
        simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", server.port()).publicUrl(PUBLIC_URL).authToken(TOKEN).build();
        // The bystander shares the one event loop with every hostile stream below.
        // Its silent tail lets the tone's last echo come back before the hang-up even on a busy machine.
        bystander = simulator.call(CallPlan.builder().audio(BYSTANDER_TONE).listenAfterMs(1_500).build());
        callSid = CallPlan.randomSid("CA");
        streamSid = CallPlan.randomSid("MZ");
    }

    @AfterEach
    void stop() throws Exception {
        final SimulatedCallResult other = bystander.get(30, TimeUnit.SECONDS);
        assertTrue(other.ok(), "the bystander call is untouched: " + other);
        assertEquals(BYSTANDER_TONE.audibleBytes(), SimulatedAudio.audibleBytes(other.heard()),
            "the bystander heard its whole tone echoed, byte for byte");
        simulator.close();
        server.close();
    }

    private RawWebSocket open() throws Exception {
        final RawWebSocket ws = RawWebSocket.connect(server.port(), "/media/" + callSid,
            Map.of("X-Twilio-Signature", signer.sign("wss://gw.example.com/media/" + callSid, Map.of())));
        assertEquals(101, ws.status());
        ws.sendText("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
        return ws;
    }

    private RawWebSocket openStarted() throws Exception {
        final RawWebSocket ws = open();
        ws.sendText("{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{\"accountSid\":\"AC1\",\"streamSid\":\"" + streamSid
            + "\",\"callSid\":\"" + callSid + "\",\"tracks\":[\"inbound\"],\"customParameters\":{},"
            + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}},\"streamSid\":\"" + streamSid + "\"}");
        return ws;
    }

    private String media(final String sid, final String payload) {
        return "{\"event\":\"media\",\"sequenceNumber\":\"2\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"0\","
            + "\"payload\":\"" + payload + "\"},\"streamSid\":\"" + sid + "\"}";
    }

    /** Sends a good media frame and expects it echoed: the stream survived. */
    private void assertStillServing(final RawWebSocket ws) throws Exception {
        ws.sendText(media(streamSid, PAYLOAD));
        RawWebSocket.Frame frame;
        do {
            frame = ws.read();
            assertNotNull(frame, "the stream still answers");
        } while (!frame.text().contains("\"event\":\"media\""));
        assertTrue(frame.text().contains(PAYLOAD), frame.text());
    }

    @Test
    void shouldDropInvalidJsonAndCarryOn() throws Exception {
        try (RawWebSocket ws = openStarted()) {
            ws.sendText("{\"event\":\"media\",");
            ws.sendText("not json at all");
            assertStillServing(ws);
        }
        assertEquals(2, edge.stats().messagesInvalidJson());
    }

    @Test
    void shouldDropAnUnknownEventAndCarryOn() throws Exception {
        try (RawWebSocket ws = openStarted()) {
            ws.sendText("{\"event\":\"hologram\",\"streamSid\":\"" + streamSid + "\"}");
            assertStillServing(ws);
        }
        assertEquals(1, edge.stats().messagesUnknownEvent());
    }

    @Test
    void shouldDropMediaBeforeStart() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.sendText(media(streamSid, PAYLOAD));
            ws.sendText("{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{\"accountSid\":\"AC1\",\"streamSid\":\"" + streamSid
                + "\",\"callSid\":\"" + callSid + "\",\"customParameters\":{}},\"streamSid\":\"" + streamSid + "\"}");
            assertStillServing(ws);
        }
        assertEquals(1, edge.stats().messagesBeforeStart());
    }

    @Test
    void shouldDropAPayloadThatIsNotBase64() throws Exception {
        try (RawWebSocket ws = openStarted()) {
            ws.sendText(media(streamSid, "!!!notbase64!!!"));
            ws.sendText(media(streamSid, "abc"));
            assertStillServing(ws);
        }
        assertEquals(2, edge.stats().mediaBadBase64());
    }

    @Test
    void shouldDropABinaryFrame() throws Exception {
        try (RawWebSocket ws = openStarted()) {
            ws.sendFrame(RawWebSocket.BINARY, new byte[160], true);
            assertStillServing(ws);
        }
        assertEquals(1, edge.stats().binaryFrames());
    }

    @Test
    void shouldDropMediaForAnotherStreamSid() throws Exception {
        try (RawWebSocket ws = openStarted()) {
            ws.sendText(media(CallPlan.randomSid("MZ"), PAYLOAD));
            assertStillServing(ws);
        }
        assertEquals(1, edge.stats().messagesWrongStreamSid());
    }

    @Test
    void shouldClose1009OnAOneMebibyteFrame() throws Exception {
        try (RawWebSocket ws = openStarted()) {
            ws.sendFrame(RawWebSocket.TEXT, new byte[1 << 20], true);
            final RawWebSocket.Frame close = ws.readUntilClose();
            assertNotNull(close, "closed with a close frame, not a dropped connection");
            assertEquals(1009, close.closeCode());
        }
        awaitTrue(() -> calls.open.get() == 0);
        assertEquals(1, edge.stats().streamsClosedByViolation());
    }

    @Test
    void shouldEndTheCallWhenTheConnectionDropsMidFrame() throws Exception {
        try (RawWebSocket ws = openStarted()) {
            awaitTrue(() -> calls.open.get() == 1);
            ws.sendTruncatedFrame(RawWebSocket.TEXT, 300, 100);
        }
        awaitTrue(() -> calls.open.get() == 0);
        assertEquals("connection lost", calls.endReasons.get(callSid));
        assertEquals(1, edge.stats().streamsDroppedWithoutStop());
    }

    @Test
    void shouldClose1008AStreamThatExhaustsItsErrorBudget() throws Exception {
        try (RawWebSocket ws = openStarted()) {
            for (int i = 0; i < 21; i++) {
                ws.sendText("garbage " + i);
            }
            final RawWebSocket.Frame close = ws.readUntilClose();
            assertEquals(1008, close.closeCode());
            assertTrue(close.closeReason().startsWith("too many invalid messages"), close.closeReason());
        }
        assertEquals(1, edge.stats().streamsOverErrorBudget());
    }

    @Test
    void shouldClose1008AStreamThatNeverStarts() throws Exception {
        try (RawWebSocket ws = open()) {
            final RawWebSocket.Frame close = ws.readUntilClose();
            assertEquals(1008, close.closeCode());
        }
        assertEquals(1, edge.stats().streamsStartTimedOut());
    }

    @Test
    void shouldCloseWith1000AfterStop() throws Exception {
        try (RawWebSocket ws = openStarted()) {
            ws.sendText("{\"event\":\"stop\",\"sequenceNumber\":\"5\",\"stop\":{\"accountSid\":\"AC1\",\"callSid\":\"" + callSid
                + "\"},\"streamSid\":\"" + streamSid + "\"}");
            final RawWebSocket.Frame close = ws.readUntilClose();
            assertEquals(1000, close.closeCode());
            ws.sendClose(1000);
            assertTrue(ws.serverClosedConnection());
        }
        awaitTrue(() -> calls.open.get() == 0);
        assertEquals("stream stopped", calls.endReasons.get(callSid));
    }
}
