package io.voxgate.websocket.vapi;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of the WebSocket opening handshake (RFC 6455 §4.1) on the Vapi transport socket. On a valid
 * {@code 101} it replaces the HTTP codec with a {@link VapiTransportHandler}, so every byte after the handshake
 * (even bytes that arrived with the {@code 101}) is read as WebSocket frames.
 *
 * <p>Threading: runs on the call's event loop. Ownership: the response is released by
 * {@link SimpleChannelInboundHandler}. The request target (the secret part of the socket URL) is never logged.
 */
final class VapiHandshakeHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    /** RFC 6455 §1.3: the GUID appended to the key before hashing. */
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final VapiAgent agent;
    private final String requestTarget;
    private final String hostHeader;
    private final VapiTransportHandler transport;
    private String expectedAccept;

    VapiHandshakeHandler(final VapiAgent agent, final String requestTarget, final String hostHeader,
                         final VapiTransportHandler transport) {
        this.agent = agent;
        this.requestTarget = requestTarget;
        this.hostHeader = hostHeader;
        this.transport = transport;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) {
        final byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        final String key = Base64.getEncoder().encodeToString(nonce);
        expectedAccept = acceptFor(key);
        final FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, requestTarget);
        request.headers()
            .set(HttpHeaderNames.HOST, hostHeader)
            .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
            .set(HttpHeaderNames.SEC_WEBSOCKET_KEY, key)
            .set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13")
            .set(HttpHeaderNames.USER_AGENT, "voxgate");
        ctx.writeAndFlush(request, ctx.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpResponse response) {
        if (!isValidUpgrade(response)) {
            agent.onSocketRejected(response.status().code());
            ctx.close();
            return;
        }
        final ChannelPipeline pipeline = ctx.pipeline();
        pipeline.remove(HttpObjectAggregator.class);
        // The transport handler's handlerAdded tells the agent the socket is open; bytes the HTTP decoder still
        // holds are handed to it when the codec is removed by this replace.
        pipeline.replace(HttpClientCodec.class, "vapi-transport", transport);
        pipeline.remove(this);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) {
        agent.onSocketInactive();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        agent.onSocketException(cause);
        ctx.close();
    }

    private boolean isValidUpgrade(final FullHttpResponse response) {
        return response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()
            && response.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
            && response.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
            && expectedAccept.equals(response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT));
    }

    /** RFC 6455 §4.2.2: base64(SHA-1(key + GUID)). */
    static String acceptFor(final String key) {
        try {
            final byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (final NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every JDK provides SHA-1", ex);
        }
    }
}
