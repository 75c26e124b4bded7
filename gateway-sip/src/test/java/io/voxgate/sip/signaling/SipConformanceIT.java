package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.RawSipClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 3261 conformance points a strict SBC checks, sent as raw messages over loopback. */
class SipConformanceIT {
    private static final Pattern TO_TAG = Pattern.compile("(?m)^To: [^\\r\\n]*;tag=\\S+");

    private final int sipPort = FreePorts.udpAndTcp();
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private SipSignaling signaling;
    private RawSipClient client;

    private void start(final String allow) {
        signaling = new SipSignaling(new SignalingConfig("127.0.0.1", sipPort, List.of("udp", "tcp"), 0, null, null, null,
            SourceAllowList.parse(allow), null, null, null, 0, 5, 2,
            SignalingPolicy.builder().ready(ready::get).build()), new RecordingCallHandler(0));
        signaling.start();
        client = new RawSipClient(sipPort, 500);
    }

    @AfterEach
    void stop() {
        if (signaling != null) {
            signaling.stop();
        }
    }

    private static byte[] options(final String callId, final String extraHeaders, final String version) {
        return new String(RawSipClient.options("UDP", 0, callId), StandardCharsets.ISO_8859_1)
            .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\n" + extraHeaders)
            .replace(" SIP/2.0\r\n", " " + version + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldPutAToTagOnTheAnswerToOptions() throws IOException {
        start(SourceAllowList.DEFAULT);
        final String response = client.udpResponse(RawSipClient.options("UDP", sipPort, "totag-1"));
        assertNotNull(response);
        assertTrue(response.startsWith("SIP/2.0 200"), response);
        assertTrue(TO_TAG.matcher(response).find(), response);
    }

    @Test
    void shouldAnswer420WithUnsupportedForARequiredExtensionItLacks() throws IOException {
        start(SourceAllowList.DEFAULT);
        final String response = client.udpResponse(options("require-1", "Require: 100rel, foo\r\n", "SIP/2.0"));
        assertNotNull(response);
        assertTrue(response.startsWith("SIP/2.0 420"), response);
        assertTrue(response.contains("Unsupported: 100rel") || response.contains("Unsupported: foo"), response);
        assertTrue(TO_TAG.matcher(response).find(), response);
    }

    @Test
    void shouldAnswer505WithAToTagForAnyVersionButSip20() throws IOException {
        start(SourceAllowList.DEFAULT);
        final String response = client.udpResponse(options("version-7", "", "SIP/7.0"));
        assertNotNull(response);
        assertTrue(response.startsWith("SIP/2.0 505"), response);
        assertTrue(TO_TAG.matcher(response).find(), response);
        final byte[] overTcp = new String(options("version-3-tcp", "", "SIP/3.0"), StandardCharsets.ISO_8859_1)
            .replace("SIP/2.0/UDP", "SIP/2.0/TCP").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(505, client.tcp(overTcp));
        assertEquals(200, client.udp(options("version-lower", "", "sip/2.0")), "the literal is case-insensitive");
        assertEquals(2, signaling.counters().rejected(RejectReason.VERSION));
    }

    @Test
    void shouldAnswerOptions503WithRetryAfterWhileNotReady() throws IOException {
        start(SourceAllowList.DEFAULT);
        ready.set(false);
        final String response = client.udpResponse(RawSipClient.options("UDP", sipPort, "notready-1"));
        assertNotNull(response);
        assertTrue(response.startsWith("SIP/2.0 503"), response);
        assertTrue(response.contains("Retry-After: 5"), response);
        ready.set(true);
        assertEquals(200, client.udp(RawSipClient.options("UDP", sipPort, "ready-again")));
    }

    @Test
    void shouldAnswerNothingAndCloseConnectionsFromOutsideTheAllowList() throws IOException {
        start("10.0.0.0/8");
        assertEquals(-1, client.udp(RawSipClient.options("UDP", sipPort, "outsider-udp")));
        assertEquals(-1, client.tcp(RawSipClient.options("TCP", sipPort, "outsider-tcp")));
        assertTrue(signaling.counters().rejected(RejectReason.SOURCE_NOT_ALLOWED) >= 1);
        assertTrue(signaling.counters().rejected(RejectReason.CONNECTION_NOT_ALLOWED) >= 1);
    }
}
