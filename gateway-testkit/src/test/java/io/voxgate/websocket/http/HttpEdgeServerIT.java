package io.voxgate.websocket.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.voxgate.testkit.websocket.RawWebSocket;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    /** Echoes text frames; counts the handshake. */
    private static final class EchoFrames extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private final CountDownLatch handshakes;

        EchoFrames(final CountDownLatch handshakes) {
            this.handshakes = handshakes;
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final TextWebSocketFrame frame) {
            ctx.writeAndFlush(new TextWebSocketFrame(frame.content().retain()));
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                handshakes.countDown();
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
