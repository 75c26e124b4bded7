package io.voxgate.testkit.websocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A deliberately low-level WebSocket client for tests: it writes any frame a hostile or broken peer could
 * (binary, oversized, cut off mid-frame) and reads the server's frames one by one, with a read timeout so a test
 * never hangs.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class RawWebSocket implements AutoCloseable {
    /** Opcodes of RFC 6455 §5.2. */
    public static final int TEXT = 0x1;
    /** Binary data frame. */
    public static final int BINARY = 0x2;
    /** Close control frame. */
    public static final int CLOSE = 0x8;
    /** Ping control frame. */
    public static final int PING = 0x9;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int status;
    private final String responseHead;

    private RawWebSocket(final Socket socket, final int status, final String responseHead) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.status = status;
        this.responseHead = responseHead;
    }

    /** Sends an upgrade request for {@code path} with {@code headers} and reads the HTTP answer's head. */
    public static RawWebSocket connect(final int port, final String path, final Map<String, String> headers) throws IOException {
        final Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        final byte[] keyBytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(keyBytes);
        final Map<String, String> all = new LinkedHashMap<>();
        all.put("Host", "127.0.0.1:" + port);
        all.put("Upgrade", "websocket");
        all.put("Connection", "Upgrade");
        all.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(keyBytes));
        all.put("Sec-WebSocket-Version", "13");
        all.putAll(headers);
        final StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n");
        all.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("\r\n");
        socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        final String head = readHead(socket.getInputStream());
        final int status = Integer.parseInt(head.substring(9, 12));
        return new RawWebSocket(socket, status, head);
    }

    private static String readHead(final InputStream in) throws IOException {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            final int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside the HTTP response head: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** The HTTP status of the upgrade answer (101 when upgraded). */
    public int status() {
        return status;
    }

    /** The whole HTTP response head. */
    public String responseHead() {
        return responseHead;
    }

    /** Sends one masked text frame. */
    public void sendText(final String text) throws IOException {
        sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** Sends one masked frame with {@code opcode} and {@code payload}; {@code fin} false starts a fragmented message. */
    public void sendFrame(final int opcode, final byte[] payload, final boolean fin) throws IOException {
        out.write(frameHeader(opcode, payload.length, fin));
        final byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        out.write(mask);
        final byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        out.write(masked);
        out.flush();
    }

    /** Writes a frame header announcing {@code length} bytes plus only {@code sentBytes} of them, then nothing more. */
    public void sendTruncatedFrame(final int opcode, final int length, final int sentBytes) throws IOException {
        out.write(frameHeader(opcode, length, true));
        out.write(new byte[4]);
        out.write(new byte[sentBytes]);
        out.flush();
    }

    /** Sends a close frame with {@code code}. */
    public void sendClose(final int code) throws IOException {
        sendFrame(CLOSE, new byte[] {(byte) (code >> 8), (byte) code}, true);
    }

    private static byte[] frameHeader(final int opcode, final long length, final boolean fin) {
        final ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write((fin ? 0x80 : 0) | opcode);
        if (length < 126) {
            h.write(0x80 | (int) length);
        } else if (length < 65_536) {
            h.write(0x80 | 126);
            h.write((int) (length >> 8));
            h.write((int) length);
        } else {
            h.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                h.write((int) (length >> shift));
            }
        }
        return h.toByteArray();
    }

    /** The next frame from the server, or {@code null} when the connection ended or nothing came within the timeout. */
    public Frame read() throws IOException {
        try {
            final int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            final int b1 = in.readUnsignedByte();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            final byte[] payload = new byte[(int) length];
            in.readFully(payload);
            return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, payload);
        } catch (final SocketTimeoutException | EOFException ex) {
            return null;
        } catch (final IOException ex) {
            if (socket.isClosed() || "Connection reset".equals(ex.getMessage())) {
                return null;
            }
            throw ex;
        }
    }

    /** Reads frames until a close frame arrives (returned) or the connection ends ({@code null}). */
    public Frame readUntilClose() throws IOException {
        Frame f;
        while ((f = read()) != null) {
            if (f.opcode() == CLOSE) {
                return f;
            }
        }
        return null;
    }

    /** Whether the server closed the TCP connection (reads end of stream within the timeout). */
    public boolean serverClosedConnection() throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (final SocketTimeoutException ex) {
            return false;
        } catch (final IOException ex) {
            return true;
        }
    }

    /** Closes the TCP connection without a close frame (an abrupt drop). */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** One frame from the server. */
    public record Frame(int opcode, boolean fin, byte[] payload) {
        /** The payload as UTF-8 text. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close status code of a close frame, or -1. */
        public int closeCode() {
            return opcode == CLOSE && payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
        }

        /** The close reason of a close frame, or empty. */
        public String closeReason() {
            return opcode == CLOSE && payload.length > 2
                ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)
                : "";
        }
    }
}
