package io.voxgate.websocket.http;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches aggregated HTTP requests to the route table, and turns an accepted WebSocket upgrade into a WebSocket
 * pipeline: the {@link WebSocketServerFrames} reader, then the route's frame handler.
 *
 * <p>Threading: sharable; the route table is immutable and each call runs on its connection's event loop.
 * Ownership: releases every request it receives.
 */
@ChannelHandler.Sharable
final class HttpRouterHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpRouterHandler.class);
    /** Names Netty's handshaker gives the frame codec it installs (WebSocketServerHandshaker#handshake). */
    private static final String NETTY_FRAME_DECODER = "wsdecoder";
    private static final String NETTY_FRAME_ENCODER = "wsencoder";
    private static final String FRAME_READER = "ws-frames";
    private static final CharSequence[] FORWARDED_HEADERS = {"Forwarded", "X-Forwarded-For", "X-Forwarded-Host",
        "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Prefix"};

    private final Map<String, PlainRoute> routes;
    private final PlainPrefixRoute[] plainPrefixRoutes;
    private final PrefixRoute[] webSocketRoutes;
    private final int maxWebSocketFrameBytes;
    private final long closeHandshakeTimeoutMs;
    private final TrustedProxies trustedProxies;
    private final HttpEdgeServer.Counters counters;

    HttpRouterHandler(final Map<String, PlainRoute> routes, final List<PlainPrefixRoute> plainPrefixRoutes,
                      final List<PrefixRoute> webSocketRoutes, final int maxWebSocketFrameBytes,
                      final long closeHandshakeTimeoutMs, final TrustedProxies trustedProxies,
                      final HttpEdgeServer.Counters counters) {
        this.trustedProxies = trustedProxies;
        this.routes = new LinkedHashMap<>(routes);
        final List<PlainPrefixRoute> plainSorted = new ArrayList<>(plainPrefixRoutes);
        plainSorted.sort((a, b) -> Integer.compare(b.prefix().length(), a.prefix().length()));
        this.plainPrefixRoutes = plainSorted.toArray(new PlainPrefixRoute[0]);
        final List<PrefixRoute> sorted = new ArrayList<>(webSocketRoutes);
        sorted.sort((a, b) -> Integer.compare(b.prefix().length(), a.prefix().length()));
        this.webSocketRoutes = sorted.toArray(new PrefixRoute[0]);
        this.maxWebSocketFrameBytes = maxWebSocketFrameBytes;
        this.closeHandshakeTimeoutMs = closeHandshakeTimeoutMs;
        this.counters = counters;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        if (!(msg instanceof FullHttpRequest)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        final FullHttpRequest request = (FullHttpRequest) msg;
        try {
            dispatch(ctx, request);
        } finally {
            request.release();
        }
    }

    private void dispatch(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            counters.malformed.increment();
            sendAndClose(ctx, request, HttpResponseStatus.BAD_REQUEST);
            return;
        }
        if (!fromTrustedProxy(ctx)) {
            // Only a listed proxy may say where a request came from; anyone else's claims are dropped here, once,
            // so no route can be fooled by them.
            for (final CharSequence forwarded : FORWARDED_HEADERS) {
                request.headers().remove(forwarded);
            }
        }
        final String path = pathOf(request.uri());
        PlainRoute plain = routes.get(path);
        if (plain == null) {
            for (final PlainPrefixRoute prefixed : plainPrefixRoutes) {
                if (path.startsWith(prefixed.prefix())) {
                    plain = prefixed.route();
                    break;
                }
            }
        }
        if (plain != null) {
            if (!plain.methods().contains(request.method())) {
                methodNotAllowed(ctx, request, plain.methods());
                return;
            }
            counters.routed.increment();
            try {
                plain.route().handle(ctx, request);
            } catch (final RuntimeException ex) {
                counters.routeFailures.increment();
                LOG.error("route {} failed on {}", PeerText.of(path), request.method(), ex);
                sendAndClose(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR);
            }
            return;
        }
        for (final PrefixRoute ws : webSocketRoutes) {
            if (path.startsWith(ws.prefix())) {
                upgrade(ctx, request, ws.route());
                return;
            }
        }
        counters.notFound.increment();
        HttpResponses.send(ctx, request, HttpResponses.status(HttpResponseStatus.NOT_FOUND));
    }

    private void upgrade(final ChannelHandlerContext ctx, final FullHttpRequest request, final WebSocketRoute route) {
        if (!HttpMethod.GET.equals(request.method())) {
            methodNotAllowed(ctx, request, Set.of(HttpMethod.GET));
            return;
        }
        if (!request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            counters.malformed.increment();
            sendAndClose(ctx, request, HttpResponseStatus.BAD_REQUEST);
            return;
        }
        final WebSocketUpgrade decision;
        try {
            decision = route.decide(ctx, request);
        } catch (final RuntimeException ex) {
            counters.routeFailures.increment();
            LOG.error("WebSocket route failed on {}", PeerText.of(pathOf(request.uri())), ex);
            sendAndClose(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR);
            return;
        }
        if (!decision.accepted()) {
            counters.refusals.increment();
            final FullHttpResponse refusal = HttpResponses.text(decision.refusal(), decision.reason() + "\n");
            refusal.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            HttpResponses.send(ctx, request, refusal);
            return;
        }
        // Netty's handshaker checks the request (version 13, key) and writes the 101; the frames are read here.
        final WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(request.uri(), null,
            WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(maxWebSocketFrameBytes).allowExtensions(false).build())
            .newHandshaker(request);
        if (handshaker == null) {
            counters.malformed.increment();
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        counters.upgrades.increment();
        final ChannelPipeline p = ctx.pipeline();
        for (final String perRequest : new String[] {HttpEdgeServer.IDLE_HANDLER, HttpEdgeServer.DEADLINE_HANDLER,
            HttpEdgeServer.PIPELINE_HANDLER}) {
            if (p.get(perRequest) != null) {
                p.remove(perRequest);
            }
        }
        ctx.channel().attr(WebSocketClosing.CLOSE_TIMEOUT_MS).set(closeHandshakeTimeoutMs);
        final ChannelFuture handshake;
        try {
            // Writes the 101, puts Netty's frame decoder and encoder before the HTTP codec and removes the codec once
            // the 101 is written; both are swapped at once for the in-place frame reader, below.
            handshake = handshaker.handshake(ctx.channel(), request);
        } catch (final WebSocketHandshakeException ex) {
            counters.malformed.increment();
            sendAndClose(ctx, request, HttpResponseStatus.BAD_REQUEST);
            return;
        }
        p.replace(NETTY_FRAME_DECODER, FRAME_READER, new WebSocketServerFrames(maxWebSocketFrameBytes, decision.messages()));
        p.remove(NETTY_FRAME_ENCODER);
        p.addAfter(FRAME_READER, "ws-app", decision.frameHandler());
        p.remove(this);
        handshake.addListener(done -> {
            if (done.isSuccess()) {
                decision.messages().onOpen();
            } else {
                ctx.channel().close();
            }
        });
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        LOG.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private boolean fromTrustedProxy(final ChannelHandlerContext ctx) {
        final java.net.SocketAddress peer = ctx.channel().remoteAddress();
        return peer instanceof java.net.InetSocketAddress && ((java.net.InetSocketAddress) peer).getAddress() != null
            && trustedProxies.test(((java.net.InetSocketAddress) peer).getAddress());
    }

    private void methodNotAllowed(final ChannelHandlerContext ctx, final FullHttpRequest request, final Set<HttpMethod> allowed) {
        counters.methodNotAllowed.increment();
        final FullHttpResponse response = HttpResponses.status(HttpResponseStatus.METHOD_NOT_ALLOWED);
        final StringBuilder allow = new StringBuilder();
        for (final HttpMethod m : allowed) {
            if (allow.length() > 0) {
                allow.append(", ");
            }
            allow.append(m.name());
        }
        response.headers().set(HttpHeaderNames.ALLOW, allow.toString());
        HttpResponses.send(ctx, request, response);
    }

    private static void sendAndClose(final ChannelHandlerContext ctx, final FullHttpRequest request, final HttpResponseStatus status) {
        final FullHttpResponse response = HttpResponses.status(status);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpResponses.send(ctx, request, response);
    }

    static String pathOf(final String uri) {
        final int q = uri.indexOf('?');
        final int hash = uri.indexOf('#');
        int end = uri.length();
        if (q >= 0) {
            end = q;
        }
        if (hash >= 0 && hash < end) {
            end = hash;
        }
        return uri.substring(0, end);
    }

    /** A plain route with its allowed methods. */
    record PlainRoute(HttpRoute route, Set<HttpMethod> methods) {
    }

    /** A plain route for every path under a prefix. */
    record PlainPrefixRoute(String prefix, PlainRoute route) {
    }

    /** A WebSocket route for a path prefix. */
    record PrefixRoute(String prefix, WebSocketRoute route) {
    }
}
