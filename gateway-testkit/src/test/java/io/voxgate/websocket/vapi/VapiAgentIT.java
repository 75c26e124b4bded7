package io.voxgate.websocket.vapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.voxgate.core.agent.AgentCall;
import io.voxgate.core.agent.AgentEvent;
import io.voxgate.core.agent.VoiceAgent;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.codec.MuLawCodec;
import io.voxgate.testkit.vapi.StandInCall;
import io.voxgate.testkit.vapi.StandInScript;
import io.voxgate.testkit.vapi.VapiStandIn;
import io.voxgate.websocket.http.EventLoopTransport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Vapi agent against the local stand-in over real loopback sockets. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class VapiAgentIT {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String KEY = "sk-test-secret-key";
    private static EventLoopGroup callLoops;

    private VapiStandIn standIn;
    private VapiAgentFactory factory;
    private final VapiAgentStats stats = new VapiAgentStats();
    private final VapiCallRecords records = new VapiCallRecords();
    private final RecordingListener listener = new RecordingListener();
    private EventLoop loop;
    private VoiceAgent agent;

    @BeforeAll
    static void startLoops() {
        callLoops = EventLoopTransport.nio().newGroup(1, "call-loop");
    }

    @AfterAll
    static void stopLoops() {
        callLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            onLoop(() -> agent.close("test over", System.nanoTime()));
        }
        if (factory != null) {
            factory.close();
        }
        if (standIn != null) {
            standIn.close();
        }
    }

    @Test
    void shouldCarryMulawAudioByteExactBothWays() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo()), config("a1"));
        assertTrue(listener.awaitConnected(WAIT));
        final byte[] sent = randomAudio(50 * 160);
        sendFrames(sent, 160);

        final StandInCall call = standIn.awaitCall(0, WAIT);
        assertTrue(call.awaitAudioBytes(sent.length, WAIT));
        assertArrayEquals(sent, call.receivedAudio());
        assertTrue(listener.awaitAudioBytes(sent.length, WAIT));
        assertArrayEquals(sent, listener.audio());
        assertEquals("mulaw/8000", call.audioFormat());
    }

    @Test
    void shouldNegotiatePcm16At16kHz() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo()),
            config("a1").audioFormat(AudioFormat.PCM16_16K));
        assertTrue(listener.awaitConnected(WAIT));
        final StandInCall call = standIn.awaitCall(0, WAIT);
        final JsonNode format = new ObjectMapper().readTree(call.requestJson()).path("transport").path("audioFormat");

        assertEquals("pcm_s16le/16000", call.audioFormat());
        assertEquals("raw", format.path("container").asText());
        assertEquals(AudioFormat.PCM16_16K, agent.audioFormat());
    }

    @Test
    void shouldPassCallMetadataAsVariableValues() throws Exception {
        final Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("customerTier", "gold");
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo()), config("a1"), metadata);
        assertTrue(listener.awaitConnected(WAIT));
        final JsonNode variables = new ObjectMapper().readTree(standIn.awaitCall(0, WAIT).requestJson())
            .path("assistantOverrides").path("variableValues");

        assertEquals("gold", variables.path("customerTier").asText());
        assertEquals("CA-test", variables.path("voxgateCallId").asText());
        assertEquals("CA-test", records.find(standIn.awaitCall(0, WAIT).id()).orElseThrow().gatewayCallId());
    }

    @Test
    void shouldSignalInterruptionWhenTheCallerTalksOverTheAssistant() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.interrupt()), config("a1"));
        assertTrue(listener.awaitConnected(WAIT));
        sendFrames(loudMulaw(10 * 160), 160);

        assertTrue(listener.awaitInterruption(WAIT));
        assertTrue(stats.interruptionsReceived() >= 1);
    }

    @Test
    void shouldReportModelOutputAndTranscriptAsEvents() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.speakThenListen()), config("a1"));

        assertTrue(listener.awaitEvent(AgentEvent.Kind.TRANSCRIPT, WAIT));
        assertTrue(listener.awaitEvent(AgentEvent.Kind.MODEL_OUTPUT, WAIT));
        assertTrue(listener.awaitAudioBytes(600 * 8, WAIT));
        assertEquals(0, listener.interruptions());
    }

    @Test
    void shouldSendEndCallAndANormalCloseWhenTheCallerHangsUp() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo()), config("a1"));
        assertTrue(listener.awaitConnected(WAIT));
        onLoop(() -> agent.close("caller hung up", System.nanoTime()));
        final StandInCall call = standIn.awaitCall(0, WAIT);

        assertTrue(call.awaitControl("end-call", WAIT));
        assertTrue(call.awaitSocketClosed(WAIT));
        assertEquals(1000, call.closeCodeReceived());
        assertEquals(0, listener.closedCount());
        assertEquals(1, stats.closed(VapiCloseReason.CALLER_HANGUP));
    }

    @Test
    void shouldForwardCallerDigitsAsAddMessage() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo()), config("a1"));
        assertTrue(listener.awaitConnected(WAIT));
        onLoop(() -> agent.onCallerDigit('7', System.nanoTime()));
        final StandInCall call = standIn.awaitCall(0, WAIT);

        assertTrue(call.awaitControl("add-message", WAIT));
        final JsonNode message = new ObjectMapper().readTree(call.controlMessages().get(0));
        assertEquals("caller pressed 7", message.path("message").path("content").asText());
        assertTrue(message.path("triggerResponseEnabled").asBoolean());
        assertEquals("", listener.digits(), "Vapi is told about the digit; it does not ask to play it back");
    }

    @Test
    void shouldPlayThePromptThenCloseWhenTheKeyIsRefused() throws Exception {
        start(VapiStandIn.builder().apiKey("another-key").assistant("a1", StandInScript.echo()), config("a1"));

        assertTrue(listener.awaitClosed(WAIT));
        assertEquals("vapi-unauthorized", listener.closedReason());
        assertEquals(FailurePrompt.specialInformationTone(AudioFormat.MULAW_8K).length, listener.audio().length);
        assertTrue(listener.connectedToClosedNs() >= factory.failurePromptDurationNs() - TimeUnit.MILLISECONDS.toNanos(20));
        assertEquals(1, stats.promptsPlayed());
        assertEquals(1, stats.closed(VapiCloseReason.CREATE_UNAUTHORIZED));
    }

    @Test
    void shouldPlayThePromptThenCloseWhenTheAssistantIsUnknown() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo()), config("no-such-assistant"));

        assertTrue(listener.awaitClosed(WAIT));
        assertEquals("vapi-assistant-not-found", listener.closedReason());
        assertEquals(FailurePrompt.specialInformationTone(AudioFormat.MULAW_8K).length, listener.audio().length);
        assertEquals(1, standIn.createRequests());
    }

    @Test
    void shouldConnectWhenASlowCreateAnswersWithinTheDeadline() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo().withRestDelayMs(300)),
            config("a1").connectDeadlineMs(3_000).createAttemptTimeoutMs(1_500));

        assertTrue(listener.awaitConnected(WAIT));
        assertEquals(1, stats.connectCount());
        assertTrue(stats.connectMaxNs() >= TimeUnit.MILLISECONDS.toNanos(300));
        assertEquals(0, stats.createRetries());
    }

    @Test
    void shouldNotRepeatACreateThatTimedOut() throws Exception {
        // Issue 12: a create that timed out may have made a call; Vapi documents no idempotency key, so a second
        // POST /call could bill a second call. (This test used to expect two requests and a connect timeout.)
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo().withRestDelayMs(5_000)),
            config("a1").connectDeadlineMs(1_000).createAttemptTimeoutMs(400));

        assertTrue(listener.awaitClosed(WAIT));
        assertEquals("vapi-create-failed", listener.closedReason());
        assertEquals(1, standIn.createRequests());
        assertEquals(1, stats.createsLost());
        assertEquals(0, listener.connected());
    }

    @Test
    void shouldTimeOutWhenTheSocketUpgradeIsSlowerThanTheDeadline() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo().withSocketDelayMs(5_000)),
            config("a1").connectDeadlineMs(1_000).createAttemptTimeoutMs(500));

        assertTrue(listener.awaitClosed(WAIT));
        assertEquals("vapi-connect-timeout", listener.closedReason());
        assertEquals(1, stats.closed(VapiCloseReason.CONNECT_TIMEOUT));
    }

    @Test
    void shouldRetryOnceAfterA500AndConnect() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo().withRejectFirst(500, 1)), config("a1"));

        assertTrue(listener.awaitConnected(WAIT));
        assertEquals(2, standIn.createRequests());
        assertEquals(1, stats.createRetries());
    }

    @Test
    void shouldCloseAfterTwo500s() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo().withRejectFirst(500, 2)), config("a1"));

        assertTrue(listener.awaitClosed(WAIT));
        assertEquals("vapi-create-failed", listener.closedReason());
        assertEquals(2, standIn.createRequests());
        assertEquals(0, listener.connected());
    }

    @Test
    void shouldReportADroppedSocketAndCountIt() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo().withDropAfterFrames(5)), config("a1"));
        assertTrue(listener.awaitConnected(WAIT));
        sendFrames(randomAudio(10 * 160), 160);

        assertTrue(listener.awaitClosed(WAIT));
        assertEquals("vapi-socket-dropped", listener.closedReason());
        assertEquals(1, stats.closed(VapiCloseReason.SOCKET_DROPPED));
    }

    @Test
    void shouldCloseWhenVapiEndsTheCall() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo().withEndAfterFrames(3)), config("a1"));
        assertTrue(listener.awaitConnected(WAIT));
        sendFrames(randomAudio(5 * 160), 160);

        assertTrue(listener.awaitClosed(WAIT));
        assertEquals("vapi-ended", listener.closedReason());
        assertTrue(standIn.awaitCall(0, WAIT).awaitSocketClosed(WAIT));
    }

    @Test
    void shouldCallTheListenerOnlyOnTheCallsEventLoop() throws Exception {
        start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo().withEndAfterFrames(1)), config("a1"));
        assertTrue(listener.awaitConnected(WAIT));
        final String loopThread = loop.submit(() -> Thread.currentThread().getName()).get();
        sendFrames(randomAudio(160), 160);
        assertTrue(listener.awaitClosed(WAIT));

        for (final String thread : listener.callbackThreads()) {
            assertEquals(loopThread, thread);
        }
    }

    @Test
    void shouldNeverLogTheSocketUrlCallIdOrApiKey() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            start(VapiStandIn.builder().apiKey(KEY).assistant("a1", StandInScript.echo().withRejectFirst(503, 1).withDropAfterFrames(2)),
                config("a1"));
            assertTrue(listener.awaitConnected(WAIT));
            sendFrames(randomAudio(4 * 160), 160);
            assertTrue(listener.awaitClosed(WAIT));
            final StandInCall call = standIn.awaitCall(0, WAIT);
            final String url = "ws://127.0.0.1:" + standIn.port() + "/" + call.id() + "/transport";

            assertFalse(logs.lines().isEmpty());
            for (final String line : logs.lines()) {
                assertFalse(line.contains(call.id()), line);
                assertFalse(line.contains(url), line);
                assertFalse(line.contains(KEY), line);
            }
        }
    }

    private void start(final VapiStandIn.Builder standInBuilder, final VapiConfig.Builder configBuilder) throws Exception {
        start(standInBuilder, configBuilder, Map.of());
    }

    private void start(final VapiStandIn.Builder standInBuilder, final VapiConfig.Builder configBuilder, final Map<String, String> metadata)
        throws Exception {
        standIn = standInBuilder.start();
        factory = new VapiAgentFactory(configBuilder.apiUrl(standIn.apiUrl()).build(), stats, records);
        loop = callLoops.next();
        final AgentCall call = new AgentCall("CA-test", "twilio", metadata, loop);
        agent = factory.create(call);
        onLoop(() -> agent.connect(call, listener, System.nanoTime()));
    }

    private static VapiConfig.Builder config(final String assistantId) {
        return VapiConfig.builder().apiKey(KEY).assistantId(assistantId);
    }

    private void sendFrames(final byte[] audio, final int frameBytes) throws Exception {
        final UnsafeBuffer buffer = new UnsafeBuffer(audio);
        onLoop(() -> {
            for (int at = 0; at < audio.length; at += frameBytes) {
                agent.onCallerAudio(buffer, at, Math.min(frameBytes, audio.length - at), System.nanoTime());
            }
        });
    }

    private void onLoop(final Runnable task) throws Exception {
        loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private static byte[] randomAudio(final int length) {
        final byte[] audio = new byte[length];
        new Random(42).nextBytes(audio);
        return audio;
    }

    private static byte[] loudMulaw(final int length) {
        final byte[] audio = new byte[length];
        for (int i = 0; i < length; i++) {
            audio[i] = MuLawCodec.INSTANCE.encode((short) (12_000 * Math.sin(2 * Math.PI * 300 * i / 8_000.0)));
        }
        return audio;
    }
}
