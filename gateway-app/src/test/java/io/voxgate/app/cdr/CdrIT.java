package io.voxgate.app.cdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voxgate.app.config.GatewayConfig;
import io.voxgate.app.config.GatewayOption;
import io.voxgate.app.config.Secrets;
import io.voxgate.app.runtime.Gateway;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.TwilioCallSimulator;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --cdr-file} on a running node: a simulated Twilio call leaves exactly one record with its figures. */
@Timeout(60)
class CdrIT {
    private static final String TOKEN = "cdr-test-token";
    private static final String PUBLIC_URL = "https://voice.example.test";

    @Test
    void shouldWriteOneRecordForATwilioCall(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("cdr.jsonl");
        final int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
        flags.put(GatewayOption.HTTP_PORT, Integer.toString(port));
        flags.put(GatewayOption.BIND, "127.0.0.1");
        flags.put(GatewayOption.AGENT, "echo");
        flags.put(GatewayOption.CDR_FILE, file.toString());
        final Map<String, String> env = Map.of(Secrets.TWILIO_AUTH_TOKEN, TOKEN);
        final SimulatedCallResult call;
        try (Gateway gateway = Gateway.start(GatewayConfig.load(flags, null, env), PUBLIC_URL, Secrets.fromEnvironment(env));
             TwilioCallSimulator simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", gateway.httpPort())
                 .publicUrl(PUBLIC_URL).authToken(TOKEN).build()) {
            call = simulator.call(CallPlan.builder().audio(SimulatedAudio.tone(440, 1000, 8000)).hangUp(true).build())
                .get(20, TimeUnit.SECONDS);
            assertTrue(call.ok(), call.toString());
            final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (gateway.registry().size() > 0 && System.nanoTime() < giveUp) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
        }

        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(1, lines.size(), lines.toString());
        final JsonNode cdr = new ObjectMapper().readTree(lines.get(0));
        assertEquals(call.callSid(), cdr.get("callId").asText());
        assertEquals("twilio", cdr.get("edge").asText());
        assertEquals(call.framesSent(), cdr.get("framesIn").asLong(), cdr.toString());
        assertTrue(cdr.get("durationMs").asLong() >= 1000, cdr.toString());
        assertTrue(cdr.get("framesOut").asLong() > 0, cdr.toString());
        assertTrue(!cdr.get("endReason").asText().isEmpty(), cdr.toString());
    }
}
