package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.RawSipClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A corpus of malformed SIP (in the spirit of RFC 4475 §3.1.2) thrown at the listeners over UDP and TCP: every
 * request is refused with a 4xx (or 505 for an unknown version), answered normally when it is merely odd, or
 * ignored; never a 500, never a crash; and the gateway still answers OPTIONS afterwards.
 */
class SipTortureIT {
    private static final List<String> CORPUS = List.of(
        "content-length-too-large.sip", "content-length-negative.sip", "missing-call-id.sip", "missing-cseq.sip",
        "missing-via.sip", "missing-from-and-to.sip", "garbage.sip", "unknown-method.sip", "escaped-uri.sip",
        "unknown-sip-version.sip", "cseq-method-mismatch.sip", "unterminated-quote.sip", "garbage-sdp-invite.sip",
        "non-sdp-body-invite.sip", "bye-unknown-dialog.sip", "compact-and-folded-lf.sip", "max-forwards-zero.sip");

    private final int sipPort = FreePorts.udpAndTcp();
    private final RecordingCallHandler handler = new RecordingCallHandler(0);
    private SipSignaling signaling;
    private RawSipClient client;

    @BeforeEach
    void start() {
        signaling = new SipSignaling(new SignalingConfig("127.0.0.1", sipPort, List.of("udp", "tcp"), 0, null, null, null,
            SourceAllowList.parse(SourceAllowList.DEFAULT), null, null, null, 0, 5, 2), handler);
        signaling.start();
        client = new RawSipClient(sipPort, 300);
    }

    @AfterEach
    void stop() {
        signaling.stop();
    }

    private byte[] load(final String name, final String transport, final int index) throws IOException {
        try (InputStream in = SipTortureIT.class.getResourceAsStream("/sip-torture/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)
                .replace("{host}", "127.0.0.1").replace("{port}", Integer.toString(sipPort))
                .replace("{transport}", transport).replace("{branch}", "z9hG4bKtorture" + index + transport)
                .replace("{callid}", "torture-" + index + "-" + transport);
            if (!name.endsWith("-lf.sip")) {
                text = text.replace("\n", "\r\n");
            }
            text = text.replace("\\x00", "\u0000").replace("\\x01", "\u0001").replace("\\xff", "\u00ff").replace("\\xfe", "\u00fe");
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    // Over TCP jain-sip closes the connection on an unparseable message instead of answering: a refusal too.
    private static void assertRefusedOrIgnored(final String what, final int status) {
        assertTrue(status == -1 || status == -2 || status >= 200 && status < 500 || status == 505,
            what + " was answered " + status);
    }

    @Test
    void shouldRefuseOrIgnoreEveryCorpusMessageOverUdp() throws IOException {
        final StringBuilder statuses = new StringBuilder();
        int refused = 0;
        for (int i = 0; i < CORPUS.size(); i++) {
            final int status = client.udp(load(CORPUS.get(i), "UDP", i));
            assertRefusedOrIgnored(CORPUS.get(i) + " over UDP", status);
            statuses.append(CORPUS.get(i)).append('=').append(status).append(' ');
            refused += status >= 400 ? 1 : 0;
        }
        assertTrue(refused >= 8, "most of the corpus must be answered with an error, not lost: " + statuses);
        assertEquals(200, client.udp(RawSipClient.options("UDP", sipPort, "after-udp")));
        assertEquals(0, signaling.requestsFailed());
        assertEquals(0, handler.admitted.size(), "no corpus message may become a call");
    }

    @Test
    void shouldRefuseOrIgnoreEveryCorpusMessageOverTcp() throws IOException {
        final StringBuilder statuses = new StringBuilder();
        int refused = 0;
        for (int i = 0; i < CORPUS.size(); i++) {
            final int status = client.tcp(load(CORPUS.get(i), "TCP", i));
            assertRefusedOrIgnored(CORPUS.get(i) + " over TCP", status);
            statuses.append(CORPUS.get(i)).append('=').append(status).append(' ');
            refused += status >= 400 ? 1 : 0;
        }
        assertTrue(refused >= 5, "most of the corpus must be answered with an error, not lost: " + statuses);
        assertEquals(200, client.tcp(RawSipClient.options("TCP", sipPort, "after-tcp")));
        assertEquals(0, signaling.requestsFailed());
    }

    @Test
    void shouldSurviveAHugeHeaderOverBothTransports() throws IOException {
        final String big = "X-Huge: " + "a".repeat(60_000) + "\r\n";
        final String udp = new String(RawSipClient.options("UDP", sipPort, "huge-udp"), StandardCharsets.ISO_8859_1)
            .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\n" + big);
        assertRefusedOrIgnored("huge header over UDP", client.udp(udp.getBytes(StandardCharsets.ISO_8859_1)));
        final String tcp = new String(RawSipClient.options("TCP", sipPort, "huge-tcp"), StandardCharsets.ISO_8859_1)
            .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nX-Huge: " + "b".repeat(200_000) + "\r\n");
        assertRefusedOrIgnored("huge header over TCP", client.tcp(tcp.getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(200, client.udp(RawSipClient.options("UDP", sipPort, "after-huge")));
        assertEquals(200, client.tcp(RawSipClient.options("TCP", sipPort, "after-huge-tcp")));
    }

    @Test
    void shouldSurviveRandomlyMutatedRequests() throws IOException {
        final Random random = new Random(4475);
        for (int i = 0; i < 150; i++) {
            final byte[] message = RawSipClient.options("UDP", sipPort, "fuzz-" + i);
            final int flips = 1 + random.nextInt(8);
            for (int f = 0; f < flips; f++) {
                message[random.nextInt(message.length)] = (byte) random.nextInt(256);
            }
            assertRefusedOrIgnored("mutation " + i, client.udp(message));
        }
        assertEquals(200, client.udp(RawSipClient.options("UDP", sipPort, "after-fuzz")));
        assertEquals(0, signaling.requestsFailed());
    }
}
