package io.voxgate.websocket.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.voxgate.core.tick.LoopTickers;
import io.voxgate.websocket.http.HttpEdgeServer;
import io.voxgate.testkit.websocket.RawWebSocket;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.TwilioCallSimulator;
import io.voxgate.testkit.twilio.TwilioRequestSigner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's attacks on the public listener, each over real loopback sockets while a healthy call streams on the same
 * single event loop. The healthy call must hear its whole tone echoed and no gap over 100 ms; each test prints its
 * figure.
 */
class HostileEdgeIT {
    private static final String TOKEN = "test-auth-token-0123456789";
    private static final String PUBLIC_URL = "https://gw.example.com";
    private static final long MAX_GAP_MS = 100;
    private static final SimulatedAudio HEALTHY_TONE = SimulatedAudio.tone(500, 4_000, 8_000);

    private final EchoAgents calls = new EchoAgents();
    private final TwilioRequestSigner signer = new TwilioRequestSigner(TOKEN);
    private HttpEdgeServer server;
    private TwilioEdge edge;
    private TwilioCallSimulator simulator;
    private CompletableFuture<SimulatedCallResult> healthy;

    @BeforeEach
    void start() {
        edge = new TwilioEdge(TwilioEdgeConfig.builder().publicUrl(PUBLIC_URL).authToken(TOKEN).build(), calls.opener(),
            new LoopTickers(SystemNanoClock.INSTANCE));
        server = edge.register(HttpEdgeServer.builder().bindAddress("127.0.0.1").port(0).workerThreads(1)
            .requestTimeoutMs(1_000).maxConnections(4_096, 64)
            .route("/healthz", (ctx, req) -> io.voxgate.websocket.http.HttpResponses.send(ctx, req,
                io.voxgate.websocket.http.HttpResponses.text(io.netty.handler.codec.http.HttpResponseStatus.OK, "ok\n")),
                io.netty.handler.codec.http.HttpMethod.GET)).build().start();
        simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", server.port()).publicUrl(PUBLIC_URL).authToken(TOKEN).build();
        // The silent tail lets the last of the tone's echo come back before the hang-up on a machine busy enough to
        // hold it back: the tone is what must not be lost, not the tail's last frames still in flight at the stop.
        healthy = simulator.call(CallPlan.builder().audio(HEALTHY_TONE).listenAfterMs(1_500).build());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            final SimulatedCallResult call = healthy.get(30, TimeUnit.SECONDS);
            assertTrue(call.ok(), call.toString());
            assertEquals(HEALTHY_TONE.audibleBytes(), SimulatedAudio.audibleBytes(call.heard()),
                "the healthy call heard its whole tone echoed, byte for byte");
            final long gapMs = largestGapMs(call.heard());
            System.out.println("HostileEdgeIT: healthy call's largest gap " + gapMs + " ms");
            assertTrue(gapMs <= MAX_GAP_MS, "largest gap " + gapMs + " ms");
        } finally {
            simulator.close();
            server.close();
        }
    }

    /** The longest run of silence between the first and last audible byte (mu-law, 8 bytes per ms). */
    private static long largestGapMs(final byte[] heard) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < heard.length; i++) {
            if (!SimulatedAudio.silent(heard[i])) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        int longest = 0;
        int run = 0;
        for (int i = Math.max(first, 0); i <= last; i++) {
            run = SimulatedAudio.silent(heard[i]) ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest / 8;
    }

    /** Direct memory held by Netty's default allocator (adaptive since Netty 4.2), which the server's connections use. */
    private static long directBytes() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
    }

    private void awaitStreaming() throws InterruptedException {
        TwilioEdgeIT.awaitTrue(() -> edge.stats().streamsStarted() >= 1);
    }

    private void admit(final String callSid) throws Exception {
        final Map<String, String> params = new LinkedHashMap<>();
        params.put("CallSid", callSid);
        params.put("AccountSid", "AC1");
        final StringBuilder form = new StringBuilder();
        params.forEach((k, v) -> form.append(form.length() == 0 ? "" : "&").append(k).append('=')
            .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/voice/inbound"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-Twilio-Signature", signer.sign(PUBLIC_URL + "/voice/inbound", params))
            .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
    }

    @Test
    void shouldRefuseATokenless60KibStartAtOnce() throws Exception {
        awaitStreaming();
        final String callSid = CallPlan.randomSid("CA");
        admit(callSid);
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/media/" + callSid,
            Map.of("X-Twilio-Signature", signer.sign("wss://gw.example.com/media/" + callSid, Map.of())))) {
            assertEquals(101, ws.status());
            final String start = "{\"event\":\"start\",\"start\":{\"streamSid\":\"MZ1\",\"callSid\":\"" + callSid
                + "\",\"customParameters\":{},\"mediaFormat\":{\"encoding\":\"" + "z".repeat(60 * 1024) + "\"}},\"streamSid\":\"MZ1\"}";
            final long sentNs = System.nanoTime();
            ws.sendText(start);
            final RawWebSocket.Frame close = ws.readUntilClose();
            final long refusedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentNs);
            System.out.println("HostileEdgeIT: 60 KiB tokenless start refused in " + refusedMs + " ms");
            assertEquals(1008, close.closeCode());
            assertEquals("call token missing", close.closeReason());
        }
    }

    @Test
    void shouldCloseASlowlorisConnectionAtTheRequestDeadline() throws Exception {
        awaitStreaming();
        try (Socket slow = new Socket("127.0.0.1", server.port())) {
            slow.setSoTimeout(10_000);
            final OutputStream out = slow.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            final long startNs = System.nanoTime();
            try {
                while (slow.getInputStream().read() >= 0) {
                    out.write('X');
                }
            } catch (final IOException closed) {
                // The server closed the connection while a header byte was on its way.
            }
            System.out.println("HostileEdgeIT: slowloris closed after "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs) + " ms");
        }
        assertEquals(1, server.requestsTimedOut());
    }

    @Test
    void shouldCloseIdleConnectionsOverThePerSourceLimit() throws Exception {
        awaitStreaming();
        final List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                idle.add(new Socket("127.0.0.1", server.port()));
            }
            TwilioEdgeIT.awaitTrue(() -> server.connectionsRefusedPerSource() >= 300 - 64);
        } finally {
            for (final Socket s : idle) {
                s.close();
            }
        }
        System.out.println("HostileEdgeIT: idle connections refused " + server.connectionsRefusedPerSource() + " of 300");
    }

    @Test
    void shouldBoundDirectMemoryUnder20000UnreadPipelinedRequests() throws Exception {
        awaitStreaming();
        final long before = directBytes();
        long peak = before;
        try (Socket flood = new Socket("127.0.0.1", server.port())) {
            final ByteArrayOutputStream burst = new ByteArrayOutputStream();
            final byte[] get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 20_000; i++) {
                burst.write(get);
            }
            final byte[] bytes = burst.toByteArray();
            final int chunk = 16 * 1024;
            try {
                for (int off = 0; off < bytes.length; off += chunk) {
                    flood.getOutputStream().write(bytes, off, Math.min(chunk, bytes.length - off));
                    peak = Math.max(peak, directBytes());
                }
            } catch (final IOException closed) {
                // The server closed the connection at the pipelining cap.
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && server.connectionsClosedPipelineLimit() == 0) {
                peak = Math.max(peak, directBytes());
                Thread.sleep(10);
            }
        }
        System.out.printf("HostileEdgeIT: direct memory %.1f MB before, %.1f MB peak under the unread flood; pipeline closes %d%n",
            before / 1e6, peak / 1e6, server.connectionsClosedPipelineLimit());
        assertTrue(peak - before < 16L * 1024 * 1024, "direct memory grew " + (peak - before) + " bytes");
        assertEquals(1, server.connectionsClosedPipelineLimit());
    }
}
