package io.voxgate.testkit.sip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A SIP user agent's TLS listener on loopback, as a trunk or phone has at its Contact: it accepts connections with
 * the certificate of the {@link SSLContext} it was given, answers every request but ACK with 200 OK (To tag added),
 * and keeps the requests it read and the handshakes that failed, for a test to inspect. Also reads and writes SIP
 * messages on any stream, for the connections a test opens towards the gateway itself.
 *
 * <p>Threading: one daemon thread accepts and serves connections one at a time; the accessors are safe on any thread.
 */
public final class TlsSipPeer implements AutoCloseable {
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^(?:Content-Length|l):\\s*(\\d+)");
    private static final int MAX_HEADER_BYTES = 65_536;

    private final SSLServerSocket server;
    private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
    private final AtomicInteger handshakesFailed = new AtomicInteger();
    private final AtomicInteger handshakesDone = new AtomicInteger();
    private final Thread acceptor;

    /**
     * Listens on {@code 127.0.0.1} (any free port) with {@code context}'s certificate, speaking only {@code protocols}.
     */
    public TlsSipPeer(final SSLContext context, final String... protocols) throws IOException {
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        if (protocols.length > 0) {
            server.setEnabledProtocols(protocols);
        }
        acceptor = new Thread(this::serve, "tls-sip-peer-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The listening port, for the Contact a test puts in its INVITE. */
    public int port() {
        return server.getLocalPort();
    }

    /** The next request the peer was sent, or null when none came within {@code timeoutMs}. */
    public String nextRequest(final long timeoutMs) throws InterruptedException {
        return requests.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Incoming connections whose TLS handshake failed (the gateway refused the certificate, or the reverse). */
    public int handshakesFailed() {
        return handshakesFailed.get();
    }

    /** Incoming connections whose TLS handshake completed. */
    public int handshakesDone() {
        return handshakesDone.get();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (SSLSocket socket = (SSLSocket) server.accept()) {
                socket.setSoTimeout(10_000);
                try {
                    socket.startHandshake();
                } catch (final IOException ex) {
                    handshakesFailed.incrementAndGet();
                    continue;
                }
                handshakesDone.incrementAndGet();
                serveConnection(socket);
            } catch (final IOException ex) {
                if (server.isClosed()) {
                    return;
                }
                // The connection failed or ended; wait for the next one.
            }
        }
    }

    private void serveConnection(final SSLSocket socket) throws IOException {
        final InputStream in = socket.getInputStream();
        final OutputStream out = socket.getOutputStream();
        while (true) {
            final String message = readMessage(in);
            if (message.startsWith("SIP/2.0")) {
                continue;
            }
            requests.add(message);
            if (!message.startsWith("ACK ")) {
                write(out, ok(message));
            }
        }
    }

    /** A 200 OK to {@code request}: its Via, From, Call-ID and CSeq, its To with a tag. */
    private static String ok(final String request) {
        final StringBuilder r = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (final String line : request.split("\r\n")) {
            final String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("via:") || lower.startsWith("v:") || lower.startsWith("from:") || lower.startsWith("f:")
                || lower.startsWith("call-id:") || lower.startsWith("i:") || lower.startsWith("cseq:")) {
                r.append(line).append("\r\n");
            } else if (lower.startsWith("to:") || lower.startsWith("t:")) {
                r.append(line).append(line.contains(";tag=") ? "" : ";tag=peer").append("\r\n");
            }
        }
        return r.append("Content-Length: 0\r\n\r\n").toString();
    }

    /** Writes {@code message} to {@code out} and flushes. */
    public static void write(final OutputStream out, final String message) throws IOException {
        out.write(message.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads one SIP message (headers up to the blank line, then Content-Length bytes) from {@code in}. */
    public static String readMessage(final InputStream in) throws IOException {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            final int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (head.size() == 0 && (b == '\r' || b == '\n')) {
                continue;
            }
            if (head.size() >= MAX_HEADER_BYTES) {
                throw new IOException("headers longer than " + MAX_HEADER_BYTES + " bytes");
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        final String headers = head.toString(StandardCharsets.ISO_8859_1);
        final Matcher length = CONTENT_LENGTH.matcher(headers);
        final int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return headers + new String(in.readNBytes(bodyLength), StandardCharsets.ISO_8859_1);
    }

    /** Reads messages from {@code in} until a final response (200 and above), which it returns. */
    public static String finalResponse(final InputStream in) throws IOException {
        while (true) {
            final String message = readMessage(in);
            if (message.startsWith("SIP/2.0 ") && message.length() > 8 && message.charAt(8) >= '2') {
                return message;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            acceptor.join(5_000);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
