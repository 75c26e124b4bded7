package io.voxgate.websocket.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Builds and sends the HTTP responses routes answer with.
 *
 * <p>Stateless; safe on any thread. Ownership: {@link #send} takes ownership of the response (Netty releases it
 * once written); the responses built here own their content until then.
 */
public final class HttpResponses {
    /** {@code text/plain; charset=UTF-8}. */
    public static final String TEXT_PLAIN = "text/plain; charset=UTF-8";
    /** {@code text/xml}, what Twilio expects TwiML in. */
    public static final String TEXT_XML = "text/xml";
    /** {@code application/json}. */
    public static final String APPLICATION_JSON = "application/json";

    private HttpResponses() {
    }

    /** A response with a UTF-8 {@code body} of {@code contentType}, heap-allocated (answers are small and rare). */
    public static FullHttpResponse of(final HttpResponseStatus status, final String contentType, final String body) {
        final ByteBuf content = body.isEmpty()
            ? Unpooled.EMPTY_BUFFER
            : Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8));
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return response;
    }

    /** A {@code text/plain} response whose body is {@code body}. */
    public static FullHttpResponse text(final HttpResponseStatus status, final String body) {
        return of(status, TEXT_PLAIN, body);
    }

    /** A {@code text/plain} response whose body is the status line's reason phrase plus a newline. */
    public static FullHttpResponse status(final HttpResponseStatus status) {
        return text(status, status.reasonPhrase() + "\n");
    }

    /**
     * Writes {@code response} to the request's connection, keeping the connection open only when the request asked
     * for keep-alive and the response does not say {@code Connection: close}.
     *
     * @return the write's future (the connection is closed after it when not kept alive)
     */
    public static ChannelFuture send(final ChannelHandlerContext ctx, final HttpRequest request, final FullHttpResponse response) {
        if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        }
        final boolean keepAlive = HttpUtil.isKeepAlive(request)
            && !response.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        HttpUtil.setKeepAlive(response, keepAlive);
        final ChannelFuture written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
        return written;
    }

    /** The request body as UTF-8 text (for small form or JSON bodies; allocates). */
    public static String bodyText(final FullHttpRequest request) {
        final ByteBuf content = request.content();
        return content.isReadable() ? content.toString(StandardCharsets.UTF_8) : "";
    }
}
