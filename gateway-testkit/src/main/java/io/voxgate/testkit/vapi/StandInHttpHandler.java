package io.voxgate.testkit.vapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The stand-in's HTTP side: {@code POST /call} (protocols.md §5.1) and the upgrade of
 * {@code GET /<callId>/transport} to the call's transport socket.
 *
 * <p>Threading: runs on the stand-in's event loop. Ownership: requests are released by
 * {@link SimpleChannelInboundHandler}; a scripted upgrade delay keeps a body-less copy of the request head.
 */
final class StandInHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORG_ID = "00000000-0000-4000-8000-000000000000";

    private final VapiStandIn standIn;

    StandInHttpHandler(final VapiStandIn standIn) {
        this.standIn = standIn;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        final String path = request.uri();
        if (HttpMethod.POST.equals(request.method()) && ("/call".equals(path) || "/call/".equals(path))) {
            createCall(ctx, request);
        } else if (HttpMethod.GET.equals(request.method()) && path.endsWith("/transport")) {
            upgrade(ctx, request);
        } else {
            respond(ctx, HttpResponseStatus.NOT_FOUND, error(404, "Cannot " + request.method() + " " + path), 0);
        }
    }

    private void createCall(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        standIn.createRequested();
        final String auth = request.headers().get(HttpHeaderNames.AUTHORIZATION, "");
        if (!constantTimeEquals(auth, "Bearer " + standIn.apiKey())) {
            respond(ctx, HttpResponseStatus.UNAUTHORIZED, error(401, "Invalid Key. Hot tip, you may be using the private key "
                + "instead of the public key, or vice versa."), 0);
            return;
        }
        final String body = request.content().toString(StandardCharsets.UTF_8);
        final JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (final IOException ex) {
            respond(ctx, HttpResponseStatus.BAD_REQUEST, error(400, "body is not JSON"), 0);
            return;
        }
        if (root == null || !root.isObject() || !"vapi.websocket".equals(root.path("transport").path("provider").asText())) {
            respond(ctx, HttpResponseStatus.BAD_REQUEST, error(400, "transport.provider must be vapi.websocket"), 0);
            return;
        }
        final String assistantId = root.path("assistantId").isTextual() ? root.get("assistantId").asText() : null;
        if (assistantId == null && !root.path("assistant").isObject()) {
            respond(ctx, HttpResponseStatus.BAD_REQUEST, error(400, "assistantId or assistant is required"), 0);
            return;
        }
        final StandInScript script = standIn.scriptFor(assistantId);
        if (script == null) {
            respond(ctx, HttpResponseStatus.NOT_FOUND, error(404, "Couldn't Get Assistant. Assistant Not Found"), 0);
            return;
        }
        if (standIn.rejectNow(assistantId == null ? "" : assistantId, script)) {
            final HttpResponseStatus status = HttpResponseStatus.valueOf(script.rejectStatus());
            respond(ctx, status, error(status.code(), "scripted rejection"), script.restDelayMs());
            return;
        }
        final JsonNode audioFormat = root.path("transport").path("audioFormat");
        // The transport's documented default is 16 kHz raw pcm_s16le (protocols.md §5.1).
        final String format = audioFormat.path("format").asText("pcm_s16le");
        final int sampleRate = audioFormat.path("sampleRate").asInt("mulaw".equals(format) ? 8_000 : 16_000);
        if (!"mulaw".equals(format) && !"pcm_s16le".equals(format) || sampleRate <= 0 || sampleRate > 192_000) {
            respond(ctx, HttpResponseStatus.BAD_REQUEST, error(400, "transport.audioFormat is invalid"), 0);
            return;
        }
        final String callId = UUID.randomUUID().toString();
        standIn.add(new StandInCall(callId, assistantId == null ? "" : assistantId, format, sampleRate, body, script));
        final String now = Instant.now().toString();
        final ObjectNode call = JSON.createObjectNode()
            .put("id", callId)
            .put("assistantId", assistantId)
            .put("type", "vapi.websocketCall")
            .put("createdAt", now)
            .put("updatedAt", now)
            .put("orgId", ORG_ID)
            .put("cost", 0)
            .put("status", "queued");
        call.putObject("transport").put("provider", "vapi.websocket").put("websocketCallUrl", standIn.socketUrl(callId));
        respond(ctx, HttpResponseStatus.CREATED, call.toString(), script.restDelayMs());
    }

    private void upgrade(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        final String path = request.uri();
        final String callId = path.substring(1, path.length() - "/transport".length());
        final StandInCall call = standIn.find(callId);
        if (call == null || call.socketOpened()) {
            respond(ctx, call == null ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.CONFLICT, error(404, "no such call"), 0);
            return;
        }
        // An upgrade request has no body: a copy of its head outlives this read without holding a pooled buffer
        // (a delayed accept may never run if the stand-in stops first).
        final FullHttpRequest head = new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
            Unpooled.EMPTY_BUFFER, request.headers().copy(), request.trailingHeaders().copy());
        final Runnable accept = () -> {
            final WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(standIn.socketUrl(callId), null, false,
                1 << 20).newHandshaker(head);
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            ctx.pipeline().addLast(new StandInSocketHandler(call, handshaker));
            handshaker.handshake(ctx.channel(), head).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess() && call.opened(f.channel())) {
                    ctx.pipeline().remove(StandInHttpHandler.this);
                    ctx.pipeline().get(StandInSocketHandler.class).start(ctx.channel());
                } else {
                    f.channel().close();
                }
            });
        };
        if (call.script().socketDelayMs() > 0) {
            ctx.executor().schedule(accept, call.script().socketDelayMs(), TimeUnit.MILLISECONDS);
        } else {
            accept.run();
        }
    }

    private static void respond(final ChannelHandlerContext ctx, final HttpResponseStatus status, final String json, final int delayMs) {
        final Runnable send = () -> {
            final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            HttpUtil.setContentLength(response, response.content().readableBytes());
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(response);
            } else {
                response.release();
            }
        };
        if (delayMs > 0) {
            ctx.executor().schedule(send, delayMs, TimeUnit.MILLISECONDS);
        } else {
            send.run();
        }
    }

    private static String error(final int status, final String message) {
        return JSON.createObjectNode().put("message", message).put("error", HttpResponseStatus.valueOf(status).reasonPhrase())
            .put("statusCode", status).toString();
    }

    private static boolean constantTimeEquals(final String a, final String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
