package io.voxgate.websocket.vapi;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

/**
 * One {@code POST /call} exchange (protocols.md §5.1) on its own connection: sends the request when the
 * connection is up and reports exactly one outcome to the agent, the response or the failure.
 *
 * <p>Threading: runs on the call's event loop, like the agent it reports to. Ownership: the response is
 * released by {@link SimpleChannelInboundHandler} after its body was copied out.
 */
final class CreateCallHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final VapiAgent agent;
    private final int attempt;
    private final String path;
    private final String hostHeader;
    private final String apiKey;
    private final byte[] body;
    private boolean reported;

    CreateCallHandler(final VapiAgent agent, final int attempt, final String path, final String hostHeader, final String apiKey,
                      final byte[] body) {
        this.agent = agent;
        this.attempt = attempt;
        this.path = path;
        this.hostHeader = hostHeader;
        this.apiKey = apiKey;
        this.body = body;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) {
        final FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
            Unpooled.wrappedBuffer(body));
        request.headers()
            .set(HttpHeaderNames.HOST, hostHeader)
            .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + apiKey)
            .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
            .set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON)
            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        ctx.writeAndFlush(request, ctx.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpResponse response) {
        if (!reported) {
            reported = true;
            agent.onCreateResponse(attempt, response.status().code(), ByteBufUtil.getBytes(response.content()));
        }
        ctx.close();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) {
        if (!reported) {
            reported = true;
            agent.onCreateLost(attempt, "connection closed before a response");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        if (!reported) {
            reported = true;
            agent.onCreateLost(attempt, cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
        ctx.close();
    }
}
