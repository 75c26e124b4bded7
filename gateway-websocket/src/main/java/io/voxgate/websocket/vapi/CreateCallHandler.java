package io.voxgate.websocket.vapi;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * One {@code POST /call} exchange (protocols.md §5.1) on a connection from the loop's {@link VapiApiConnections}:
 * sends the request and reports exactly one outcome to the agent: the response, a failure before the request was
 * sent (the agent may retry), or the loss of an exchange whose request was sent (never repeated). After a response
 * the connection goes back to the pool, kept alive unless the server said {@code Connection: close}.
 *
 * <p>Threading: runs on the call's event loop, like the agent it reports to and the pool it borrows from. Ownership:
 * the response is released by {@link SimpleChannelInboundHandler} after its body was copied out.
 */
final class CreateCallHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final VapiAgent agent;
    private final VapiApiConnections connections;
    private final int attempt;
    private final String path;
    private final String hostHeader;
    private final String apiKey;
    private final byte[] body;
    private boolean sent;
    private boolean reported;

    CreateCallHandler(final VapiAgent agent, final VapiApiConnections connections, final int attempt, final String path,
                      final String hostHeader, final String apiKey, final byte[] body) {
        this.agent = agent;
        this.connections = connections;
        this.attempt = attempt;
        this.path = path;
        this.hostHeader = hostHeader;
        this.apiKey = apiKey;
        this.body = body;
    }

    /** Joins {@code ch}, a connection just taken from the pool, and sends the request on it. */
    void send(final Channel ch) {
        ch.pipeline().addBefore(VapiApiConnections.IDLE_GUARD, null, this);
        final FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
            Unpooled.wrappedBuffer(body));
        request.headers()
            .set(HttpHeaderNames.HOST, hostHeader)
            .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + apiKey)
            .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
            .set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        ch.writeAndFlush(request).addListener(f -> {
            if (f.isSuccess()) {
                sent = true;
            } else if (!reported) {
                // The request did not leave whole, so Vapi cannot have acted on it.
                reported = true;
                ch.close();
                agent.onCreateFailure(attempt, "request not sent: " + f.cause().getClass().getSimpleName());
            }
        });
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpResponse response) {
        if (reported) {
            ctx.close();
            return;
        }
        reported = true;
        final Channel ch = ctx.channel();
        final int status = response.status().code();
        final byte[] content = ByteBufUtil.getBytes(response.content());
        ctx.pipeline().remove(this);
        connections.release(ch, HttpUtil.isKeepAlive(response));
        agent.onCreateResponse(attempt, status, content);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) {
        if (!reported) {
            reported = true;
            if (sent) {
                agent.onCreateLost(attempt, "connection closed before a response");
            } else {
                agent.onCreateFailure(attempt, "connection closed before the request was sent");
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        if (!reported) {
            reported = true;
            final String why = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            if (sent) {
                agent.onCreateLost(attempt, why);
            } else {
                agent.onCreateFailure(attempt, why);
            }
        }
        ctx.close();
    }
}
