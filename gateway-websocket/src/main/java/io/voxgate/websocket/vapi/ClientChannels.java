package io.voxgate.websocket.vapi;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.voxgate.websocket.http.EventLoopTransport;
import java.net.URI;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * What the Vapi adapter's client channels need to live on a call's event loop: the channel class matching the
 * loop's transport (epoll, io_uring or NIO) and a TLS handler that checks the server's name.
 *
 * <p>Stateless; safe on any thread.
 */
final class ClientChannels {
    private ClientChannels() {
    }

    /** The socket channel class that can register with {@code loop}. */
    static Class<? extends SocketChannel> socketChannelClass(final EventLoop loop) {
        return EventLoopTransport.of(loop).socketChannelClass();
    }

    /**
     * A client TLS handler for {@code host:port} with SNI and host-name verification; Netty's client context
     * does not verify the name by itself, so the engine is told to (RFC 6125 via the JDK's "HTTPS" algorithm).
     */
    static SslHandler sslHandler(final SslContext context, final ByteBufAllocator alloc, final String host, final int port) {
        final SslHandler handler = context.newHandler(alloc, host, port);
        final SSLEngine engine = handler.engine();
        final SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        return handler;
    }

    /** The port of {@code uri}, or the scheme's default. */
    static int port(final URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        final String scheme = uri.getScheme();
        return "https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme) ? 443 : 80;
    }

    /** Whether {@code uri} needs TLS. */
    static boolean secure(final URI uri) {
        return "https".equalsIgnoreCase(uri.getScheme()) || "wss".equalsIgnoreCase(uri.getScheme());
    }

    /** The {@code Host} header for {@code uri} (RFC 9110 §7.2: the port only when it is not the default). */
    static String hostHeader(final URI uri) {
        final String host = uri.getHost().indexOf(':') >= 0 && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
        return uri.getPort() > 0 && uri.getPort() != (secure(uri) ? 443 : 80) ? host + ":" + uri.getPort() : host;
    }
}
