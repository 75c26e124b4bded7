package io.voxgate.websocket.vapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voxgate.core.agent.AgentCall;
import io.voxgate.core.audio.AudioFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts of the adapter: the create-call body and reading the socket URL from the response. */
final class VapiAgentTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldBuildTheDocumentedCreateCallBody() {
        final VapiConfig config = VapiConfig.builder().apiKey("k").assistantId("asst-1").audioFormat(AudioFormat.PCM16_24K).build();
        final AgentCall call = new AgentCall("CA1", "sip", Map.of("X-Account", "42"), Runnable::run);
        final JsonNode body = VapiAgent.createCallRequest(json, config, call);

        assertEquals("asst-1", body.path("assistantId").asText());
        assertEquals("vapi.websocket", body.path("transport").path("provider").asText());
        assertEquals("pcm_s16le", body.path("transport").path("audioFormat").path("format").asText());
        assertEquals("raw", body.path("transport").path("audioFormat").path("container").asText());
        assertEquals(24_000, body.path("transport").path("audioFormat").path("sampleRate").asInt());
        assertEquals("42", body.path("assistantOverrides").path("variableValues").path("X-Account").asText());
        assertEquals("CA1", body.path("assistantOverrides").path("variableValues").path("voxgateCallId").asText());
        assertFalse(body.has("phoneNumberId"));
    }

    @Test
    void shouldSendAnInlineAssistantAsAssistant() {
        final VapiConfig config = VapiConfig.builder().apiKey("k").assistantJson("{\"firstMessage\":\"Hi\"}").build();
        final JsonNode body = VapiAgent.createCallRequest(json, config, new AgentCall("CA1", "twilio", Map.of(), Runnable::run));

        assertEquals("Hi", body.path("assistant").path("firstMessage").asText());
        assertFalse(body.has("assistantId"));
    }

    @Test
    void shouldReadTheDocumentedSocketUrl() throws Exception {
        assertEquals("wss://api.vapi.ai/7420f27a/transport",
            url("{\"transport\":{\"websocketCallUrl\":\"wss://api.vapi.ai/7420f27a/transport\"}}"));
    }

    @Test
    void shouldReadPlainWsUrlsWithPorts() throws Exception {
        assertEquals("ws://127.0.0.1:4000/c1/transport",
            url("{\"transport\":{\"websocketCallUrl\":\"ws://127.0.0.1:4000/c1/transport\"}}"));
    }

    @Test
    void shouldReadHttpsAsWss() throws Exception {
        assertEquals("wss://api.vapi.ai/c1/transport", url("{\"transport\":{\"websocketCallUrl\":\"https://api.vapi.ai/c1/transport\"}}"));
    }

    @Test
    void shouldFallBackToATopLevelUrl() throws Exception {
        assertEquals("wss://api.vapi.ai/c1/transport", url("{\"websocketCallUrl\":\"wss://api.vapi.ai/c1/transport\"}"));
    }

    @Test
    void shouldRefuseMissingOrForeignUrls() throws Exception {
        assertNull(url("{\"transport\":{}}"));
        assertNull(url("{\"transport\":{\"websocketCallUrl\":\"ftp://x/y\"}}"));
        assertNull(url("{\"transport\":{\"websocketCallUrl\":\"wss:///nohost\"}}"));
        assertNull(url("{\"transport\":{\"websocketCallUrl\":42}}"));
    }

    @Test
    void shouldRefuseACallWhoseExecutorIsNotAnEventLoop() {
        final VapiAgentFactory factory = new VapiAgentFactory(VapiConfig.builder().apiKey("k").assistantId("a").build(),
            new VapiAgentStats(), new VapiCallRecords());

        assertThrows(IllegalArgumentException.class, () -> factory.create(new AgentCall("CA1", "twilio", Map.of(), Runnable::run)));
        factory.close();
    }

    private String url(final String response) throws Exception {
        final java.net.URI uri = VapiAgent.parseSocketUrl(json.readTree(response));
        return uri == null ? null : uri.toString();
    }
}
