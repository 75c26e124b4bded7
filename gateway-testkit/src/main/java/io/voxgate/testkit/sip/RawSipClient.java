package io.voxgate.testkit.sip;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Sends raw bytes as SIP over UDP or TCP and returns the first response line, if any arrives in time. */
public final class RawSipClient {
    private final int port;
    private final int waitMs;

    /** A client for {@code 127.0.0.1:port} waiting {@code waitMs} for each response. */
    public RawSipClient(final int port, final int waitMs) {
        this.port = port;
        this.waitMs = waitMs;
    }

    /** The response's status code over UDP, or -1 when none came. */
    public int udp(final byte[] message) throws IOException {
        final String response = udpResponse(message);
        return response == null ? -1 : status(response);
    }

    /** The whole first response over UDP, or null when none came. */
    public String udpResponse(final byte[] message) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(waitMs);
            socket.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(), port));
            final byte[] buf = new byte[65_535];
            final DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(in);
            } catch (final SocketTimeoutException ex) {
                return null;
            }
            return new String(buf, 0, in.getLength(), StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * The final response's status code over UDP (provisional ones are read past), or -1 when no final response came
     * within the wait (counted afresh after each provisional response).
     */
    public int udpFinal(final byte[] message) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(waitMs);
            socket.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(), port));
            final byte[] buf = new byte[65_535];
            while (true) {
                final DatagramPacket in = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(in);
                } catch (final SocketTimeoutException ex) {
                    return -1;
                }
                final int status = status(new String(buf, 0, in.getLength(), StandardCharsets.ISO_8859_1));
                if (status < 100 || status >= 200) {
                    return status;
                }
            }
        }
    }

    /** The response's status code over a fresh TCP connection, or -1 when none came or the gateway closed it. */
    public int tcp(final byte[] message) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), waitMs);
            socket.setSoTimeout(waitMs);
            final OutputStream out = socket.getOutputStream();
            try {
                out.write(message);
                out.flush();
            } catch (final IOException ex) {
                // The gateway closed the connection on an oversized message: that is a refusal.
                return -1;
            }
            final InputStream in = socket.getInputStream();
            final byte[] buf = new byte[4096];
            int n;
            try {
                n = in.read(buf);
            } catch (final IOException ex) {
                return -1;
            }
            return n <= 0 ? -1 : status(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        }
    }

    /** A minimal valid OPTIONS request. */
    public static byte[] options(final String transport, final int port, final String callId) {
        return ("OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\r\n"
            + "Via: SIP/2.0/" + transport + " 127.0.0.1:9;rport;branch=z9hG4bK" + callId + "\r\n"
            + "From: <sip:probe@127.0.0.1>;tag=p1\r\n"
            + "To: <sip:127.0.0.1>\r\n"
            + "Call-ID: " + callId + "\r\n"
            + "CSeq: 1 OPTIONS\r\n"
            + "Max-Forwards: 70\r\n"
            + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int status(final String response) {
        if (!response.startsWith("SIP/2.0 ") || response.length() < 11) {
            return -2;
        }
        try {
            return Integer.parseInt(response.substring(8, 11));
        } catch (final NumberFormatException ex) {
            return -2;
        }
    }

    /**
     * Whether the gateway closes {@code socket} within {@code seconds}: end of stream or a reset. Whatever the gateway
     * sends meanwhile is read and dropped.
     */
    public static boolean closedWithin(final Socket socket, final int seconds) throws IOException {
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        socket.setSoTimeout(200);
        final InputStream in = socket.getInputStream();
        final byte[] buf = new byte[4096];
        while (System.nanoTime() < until) {
            try {
                if (in.read(buf) < 0) {
                    return true;
                }
            } catch (final SocketTimeoutException ex) {
                // still open
            } catch (final IOException ex) {
                return true;
            }
        }
        return false;
    }
}
