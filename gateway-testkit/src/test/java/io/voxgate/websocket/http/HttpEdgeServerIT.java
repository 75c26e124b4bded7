package io.voxgate.websocket.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.voxgate.testkit.websocket.RawWebSocket;
import io.voxgate.websocket.frame.WebSocketFrameWriter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpEdgeServerIT {
    private final CountDownLatch handshakes = new CountDownLatch(1);
    private HttpEdgeServer server;
    private HttpClient http;

    @BeforeEach
    void start() {
        server = HttpEdgeServer.builder()
            .bindAddress("127.0.0.1")
            .port(0)
            .workerThreads(2)
            .maxRequestBodyBytes(1024)
            .route("/healthz", (ctx, req) -> HttpResponses.send(ctx, req, HttpResponses.text(HttpResponseStatus.OK, "ok\n")),
                HttpMethod.GET)
            .route("/echo-body", (ctx, req) -> HttpResponses.send(ctx, req,
                HttpResponses.text(HttpResponseStatus.OK, HttpResponses.bodyText(req))), HttpMethod.POST)
            .route("/broken", (ctx, req) -> {
                throw new IllegalStateException("route bug");
            }, HttpMethod.GET)
            .webSocketRoute("/ws/", (ctx, req) -> req.uri().endsWith("/forbidden")
                ? WebSocketUpgrade.refuse(HttpResponseStatus.FORBIDDEN, "not signed")
                : WebSocketUpgrade.accept(new EchoFrames(handshakes)))
            .build()
            .start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(final String method, final String path, final String body) throws Exception {
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldBindAnEphemeralPortWhenAskedForPortZero() {
        assertTrue(server.port() > 0, "bound port " + server.port());
    }

    @Test
    void shouldAnswerARegisteredRoute() throws Exception {
        final HttpResponse<String> response = send("GET", "/healthz?probe=1", null);
        assertEquals(200, response.statusCode());
        assertEquals("ok\n", response.body());
    }

    @Test
    void shouldAnswer404ForAnUnknownPath() throws Exception {
        assertEquals(404, send("GET", "/nothing-here", null).statusCode());
        assertEquals(1, server.requestsNotFound());
    }

    @Test
    void shouldAnswer405WithAllowForAWrongMethod() throws Exception {
        final HttpResponse<String> response = send("POST", "/healthz", "x");
        assertEquals(405, response.statusCode());
        assertEquals("GET", response.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void shouldPassABodyWithinTheLimit() throws Exception {
        final HttpResponse<String> response = send("POST", "/echo-body", "a=1&b=2");
        assertEquals(200, response.statusCode());
        assertEquals("a=1&b=2", response.body());
    }

    @Test
    void shouldAnswer413ForABodyOverTheLimit() throws Exception {
        assertEquals(413, send("POST", "/echo-body", "x".repeat(4096)).statusCode());
        assertEquals(1, server.requestsTooLarge());
    }

    @Test
    void shouldAnswer500WhenARouteThrows() throws Exception {
        assertEquals(500, send("GET", "/broken", null).statusCode());
        assertEquals(1, server.routeFailures());
    }

    @Test
    void shouldAnswer400ForAPlainGetOnAWebSocketPath() throws Exception {
        assertEquals(400, send("GET", "/ws/plain", null).statusCode());
    }

    @Test
    void shouldAnswer405ForAPostOnAWebSocketPath() throws Exception {
        assertEquals(405, send("POST", "/ws/plain", "x").statusCode());
    }

    @Test
    void shouldRefuseAnUpgradeWithTheRoutesStatusInsteadOf101() throws IOException {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/forbidden", Map.of())) {
            assertEquals(403, ws.status());
            assertTrue(ws.serverClosedConnection(), "a refused upgrade closes the connection");
        }
        assertEquals(1, server.webSocketRefusals());
    }

    @Test
    void shouldCompleteTheHandshakeAndDeliverFramesToTheRoutesHandler() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/echo", Map.of())) {
            assertEquals(101, ws.status());
            assertTrue(handshakes.await(5, TimeUnit.SECONDS), "the frame handler sees HandshakeComplete");
            ws.sendText("{\"hello\":1}");
            final RawWebSocket.Frame echoed = ws.read();
            assertNotNull(echoed);
            assertEquals("{\"hello\":1}", echoed.text());
        }
    }

    @Test
    void shouldAnswerPingWithPong() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/echo", Map.of())) {
            ws.sendFrame(RawWebSocket.PING, new byte[] {1, 2, 3}, true);
            final RawWebSocket.Frame pong = ws.read();
            assertNotNull(pong);
            assertEquals(0xA, pong.opcode());
        }
    }

    @Test
    void shouldCloseAnOversizedFrameWith1009AndLeaveOtherStreamsAlone() throws Exception {
        try (RawWebSocket victim = RawWebSocket.connect(server.port(), "/ws/a", Map.of());
             RawWebSocket bystander = RawWebSocket.connect(server.port(), "/ws/b", Map.of())) {
            victim.sendFrame(RawWebSocket.TEXT, new byte[1 << 20], true);
            final RawWebSocket.Frame close = victim.readUntilClose();
            assertNotNull(close, "a close frame, not a dropped connection");
            assertEquals(1009, close.closeCode());
            assertTrue(close.closeReason().contains("Max frame length"), close.closeReason());
            bystander.sendText("still here");
            assertEquals("still here", bystander.read().text());
        }
    }

    @Test
    void shouldCloseAnOversizedFragmentedMessageWith1009() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/a", Map.of())) {
            final byte[] part = new byte[40 * 1024];
            ws.sendFrame(RawWebSocket.TEXT, part, false);
            ws.sendFrame(0x0, part, true);
            final RawWebSocket.Frame close = ws.readUntilClose();
            assertNotNull(close);
            assertEquals(1009, close.closeCode());
        }
    }

    @Test
    void shouldCloseAConnectionThatStaysSilentBeforeUpgrading() throws Exception {
        server.close();
        server = HttpEdgeServer.builder().bindAddress("127.0.0.1").port(0).idleTimeoutMs(200).build().start();
        try (Socket silent = new Socket("127.0.0.1", server.port())) {
            silent.setSoTimeout(5_000);
            assertEquals(-1, silent.getInputStream().read(), "the server closed the idle connection");
        }
    }

    @Test
    void shouldKeepOpenStreamsWhenItStopsAccepting() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/echo", Map.of())) {
            server.stopAccepting();
            assertThrows(ConnectException.class, () -> RawWebSocket.connect(server.port(), "/ws/late", Map.of()));
            ws.sendText("after stop");
            assertEquals("after stop", ws.read().text());
        }
    }

    @Test
    void shouldSendGoingAwayToOpenStreamsOnClose() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws/echo", Map.of())) {
            assertTrue(handshakes.await(5, TimeUnit.SECONDS));
            server.close();
            final RawWebSocket.Frame close = ws.readUntilClose();
            assertNotNull(close);
            assertEquals(1001, close.closeCode());
        }
    }

    private HttpEdgeServer restartWith(final java.util.function.UnaryOperator<HttpEdgeServer.Builder> limits) {
        server.close();
        server = limits.apply(HttpEdgeServer.builder().bindAddress("127.0.0.1").port(0).workerThreads(1)
            .route("/healthz", (ctx, req) -> HttpResponses.send(ctx, req, HttpResponses.text(HttpResponseStatus.OK, "ok\n")),
                HttpMethod.GET)
            .route("/big", (ctx, req) -> HttpResponses.send(ctx, req, HttpResponses.text(HttpResponseStatus.OK,
                "b".repeat(64 * 1024))), HttpMethod.GET)).build().start();
        return server;
    }

    private static String firstLine(final Socket socket) throws IOException {
        final StringBuilder line = new StringBuilder();
        int c;
        while ((c = socket.getInputStream().read()) >= 0 && c != '\r') {
            line.append((char) c);
        }
        return line.toString();
    }

    /** Reads one whole response (headers, then Content-Length bytes of body) and returns its status line. */
    private static String readResponse(final Socket socket) throws IOException {
        final String status = firstLine(socket);
        int length = 0;
        String header;
        socket.getInputStream().read();
        while (!(header = firstLine(socket)).isEmpty()) {
            if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(header.substring("content-length:".length()).trim());
            }
            socket.getInputStream().read();
        }
        socket.getInputStream().read();
        socket.getInputStream().readNBytes(length);
        return status;
    }

    private static boolean closedByServer(final Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        try {
            final byte[] sink = new byte[64 * 1024];
            while (true) {
                if (socket.getInputStream().read(sink) < 0) {
                    return true;
                }
            }
        } catch (final java.net.SocketException reset) {
            return true;
        }
    }

    private String forwardedHostSeenThrough(final TrustedProxies proxies) throws Exception {
        server.close();
        server = HttpEdgeServer.builder().bindAddress("127.0.0.1").port(0).workerThreads(1).trustedProxies(proxies)
            .route("/host", (ctx, req) -> HttpResponses.send(ctx, req, HttpResponses.text(HttpResponseStatus.OK,
                String.valueOf(req.headers().get("X-Forwarded-Host")))), HttpMethod.GET)
            .build().start();
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/host"))
            .header("X-Forwarded-Host", "evil.example.com").timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void shouldDropForwardedHeadersFromPeersThatAreNotTrustedProxies() throws Exception {
        assertEquals("null", forwardedHostSeenThrough(TrustedProxies.parse("10.0.0.0/8")));
    }

    @Test
    void shouldKeepForwardedHeadersFromATrustedProxy() throws Exception {
        assertEquals("evil.example.com", forwardedHostSeenThrough(TrustedProxies.parse("127.0.0.0/8")));
    }

    @Test
    void shouldAnswer408AndCloseARequestWhoseHeadersTrickleIn() throws Exception {
        restartWith(b -> b.requestTimeoutMs(300));
        try (Socket slow = new Socket("127.0.0.1", server.port())) {
            slow.setSoTimeout(10_000);
            slow.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: a".getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            assertEquals("HTTP/1.1 408 Request Timeout", firstLine(slow));
            assertTrue(closedByServer(slow));
        }
        assertEquals(1, server.requestsTimedOut());
    }

    @Test
    void shouldNotTimeOutAKeptAliveConnectionBetweenRequests() throws Exception {
        restartWith(b -> b.requestTimeoutMs(200));
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            client.setSoTimeout(10_000);
            final byte[] get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            client.getOutputStream().write(get);
            assertEquals("HTTP/1.1 200 OK", readResponse(client));
            // Three request timeouts of quiet between two requests: only a request under way has a deadline.
            Thread.sleep(600);
            client.getOutputStream().write(get);
            assertEquals("HTTP/1.1 200 OK", readResponse(client));
        }
        assertEquals(0, server.requestsTimedOut());
    }

    @Test
    void shouldCloseConnectionsOverThePerSourceLimitOnAccept() throws Exception {
        restartWith(b -> b.maxConnections(100, 2));
        try (Socket first = new Socket("127.0.0.1", server.port());
             Socket second = new Socket("127.0.0.1", server.port());
             Socket third = new Socket("127.0.0.1", server.port())) {
            assertTrue(first.isConnected());
            assertTrue(closedByServer(third));
            second.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            second.setSoTimeout(10_000);
            assertEquals("HTTP/1.1 200 OK", firstLine(second), "connections within the limit are served");
        }
        assertEquals(1, server.connectionsRefusedPerSource());
    }

    @Test
    void shouldCloseConnectionsOverTheTotalLimitOnAccept() throws Exception {
        restartWith(b -> b.maxConnections(2, 100).perSourceExempt(address -> true));
        try (Socket first = new Socket("127.0.0.1", server.port());
             Socket second = new Socket("127.0.0.1", server.port());
             Socket third = new Socket("127.0.0.1", server.port())) {
            assertTrue(first.isConnected() && second.isConnected());
            assertTrue(closedByServer(third));
        }
        assertEquals(1, server.connectionsRefusedTotal());
        assertEquals(0, server.connectionsRefusedPerSource(), "an exempt source is held to the total only");
    }

    @Test
    void shouldAdmitANewConnectionOnceAnEarlierOneClosed() throws Exception {
        restartWith(b -> b.maxConnections(100, 1));
        try (Socket first = new Socket("127.0.0.1", server.port())) {
            first.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            first.setSoTimeout(10_000);
            assertEquals("HTTP/1.1 200 OK", firstLine(first));
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        try (Socket again = new Socket("127.0.0.1", server.port())) {
            again.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            again.setSoTimeout(10_000);
            assertEquals("HTTP/1.1 200 OK", firstLine(again));
        }
    }

    @Test
    void shouldCloseAConnectionThatPipelinesPastTheCapWithoutReading() throws Exception {
        restartWith(b -> b.maxPipelinedRequests(4));
        try (Socket flood = new Socket("127.0.0.1", server.port())) {
            final byte[] get = "GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            final java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 2_000; i++) {
                burst.write(get);
            }
            try {
                flood.getOutputStream().write(burst.toByteArray());
            } catch (final java.net.SocketException closed) {
                // The server may close the connection before the whole burst is written.
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.connectionsClosedPipelineLimit() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
        assertEquals(1, server.connectionsClosedPipelineLimit());
    }

    /** Echoes text messages; counts the handshake. */
    private static final class EchoFrames extends ChannelInboundHandlerAdapter implements WebSocketMessages {
        private final CountDownLatch handshakes;
        private ChannelHandlerContext ctx;

        EchoFrames(final CountDownLatch handshakes) {
            this.handshakes = handshakes;
        }

        @Override
        public void handlerAdded(final ChannelHandlerContext context) {
            this.ctx = context;
        }

        @Override
        public void onOpen() {
            handshakes.countDown();
        }

        @Override
        public void onText(final DirectBuffer utf8, final int offset, final int length) {
            final byte[] text = new byte[length];
            utf8.getBytes(offset, text);
            ctx.writeAndFlush(WebSocketFrameWriter.textFrame(ctx.alloc(), text));
        }

        @Override
        public void onBinary(final DirectBuffer payload, final int offset, final int length, final boolean last) {
            // Not echoed.
        }
    }
}
