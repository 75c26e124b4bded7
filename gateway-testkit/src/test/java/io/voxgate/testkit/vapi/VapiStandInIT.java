package io.voxgate.testkit.vapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stand-in's REST side, driven by a plain HTTP client over loopback. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
final class VapiStandInIT {
    private static final String CREATE = "{\"assistantId\":\"a1\",\"transport\":{\"provider\":\"vapi.websocket\","
        + "\"audioFormat\":{\"format\":\"mulaw\",\"container\":\"raw\",\"sampleRate\":8000}}}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private VapiStandIn standIn;

    @BeforeEach
    void start() throws Exception {
        standIn = VapiStandIn.builder().apiKey("k1").assistant("a1", StandInScript.echo())
            .assistant("flaky", StandInScript.echo().withRejectFirst(503, 1)).start();
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    @Test
    void shouldAnswer201WithTheDocumentedCallShape() throws Exception {
        final HttpResponse<String> response = post("k1", CREATE);
        final JsonNode call = new ObjectMapper().readTree(response.body());

        assertEquals(201, response.statusCode());
        assertEquals("vapi.websocketCall", call.path("type").asText());
        assertEquals("queued", call.path("status").asText());
        assertEquals("a1", call.path("assistantId").asText());
        assertEquals("ws://127.0.0.1:" + standIn.port() + "/" + call.path("id").asText() + "/transport",
            call.path("transport").path("websocketCallUrl").asText());
        assertEquals("mulaw/8000", standIn.awaitCall(0, Duration.ofSeconds(1)).audioFormat());
    }

    @Test
    void shouldAnswer401ToAWrongKey() throws Exception {
        assertEquals(401, post("wrong", CREATE).statusCode());
        assertTrue(standIn.calls().isEmpty());
    }

    @Test
    void shouldAnswer404ToAnUnknownAssistant() throws Exception {
        assertEquals(404, post("k1", CREATE.replace("a1", "nobody")).statusCode());
    }

    @Test
    void shouldAnswer400ToAnotherTransport() throws Exception {
        assertEquals(400, post("k1", CREATE.replace("vapi.websocket", "vapi.sip")).statusCode());
    }

    @Test
    void shouldRejectOnlyAsOftenAsScripted() throws Exception {
        final String flaky = CREATE.replace("a1", "flaky");

        assertEquals(503, post("k1", flaky).statusCode());
        assertEquals(201, post("k1", flaky).statusCode());
        assertEquals(2, standIn.createRequests());
    }

    private HttpResponse<String> post(final String key, final String body) throws Exception {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(standIn.apiUrl() + "/call"))
            .timeout(Duration.ofSeconds(5))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
