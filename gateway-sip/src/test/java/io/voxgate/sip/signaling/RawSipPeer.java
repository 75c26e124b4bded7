package io.voxgate.sip.signaling;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SIP user agent client written as raw UDP messages from one socket on a chosen loopback address, for the tests
 * that need what SIPp cannot give: a source other than 127.0.0.1, or the arrival time of every retransmission.
 *
 * <p>Confined to the test thread.
 */
final class RawSipPeer implements AutoCloseable {
    private static final Pattern STATUS = Pattern.compile("^SIP/2\\.0 (\\d{3}) ");

    final String host;
    final int port;
    private final DatagramSocket socket;
    private final String gatewayHost;
    private final int gatewayPort;

    /** A peer on {@code host} (any free port) talking to {@code gatewayHost:gatewayPort}. */
    RawSipPeer(final String host, final String gatewayHost, final int gatewayPort) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(host, 0));
        this.host = host;
        this.port = socket.getLocalPort();
        this.gatewayHost = gatewayHost;
        this.gatewayPort = gatewayPort;
    }

    /** Sends {@code message} to the gateway. */
    void send(final String message) throws IOException {
        final byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(gatewayHost, gatewayPort)));
    }

    /** The next message from the gateway, or null when none came within {@code waitMs}. */
    String receive(final int waitMs) throws IOException {
        socket.setSoTimeout(waitMs);
        final byte[] buf = new byte[65_535];
        final DatagramPacket in = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(in);
        } catch (final SocketTimeoutException ex) {
            return null;
        }
        return new String(buf, 0, in.getLength(), StandardCharsets.UTF_8);
    }

    /** The next response with {@code status} (others are read past), or null when none came within {@code waitMs} each. */
    String receiveStatus(final int status, final int waitMs) throws IOException {
        while (true) {
            final String m = receive(waitMs);
            if (m == null || status(m) == status) {
                return m;
            }
        }
    }

    /** The status code of a response, or -1 for a request. */
    static int status(final String message) {
        final Matcher m = STATUS.matcher(message);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The value of header {@code name} in {@code message}, or null. */
    static String header(final String message, final String name) {
        final Matcher m = Pattern.compile("(?mi)^" + Pattern.quote(name) + ":[ \\t]*(.*?)\\r?$").matcher(message);
        return m.find() ? m.group(1) : null;
    }

    /** The CSeq method of a response. */
    static String cseqMethod(final String message) {
        final String cseq = header(message, "CSeq");
        return cseq == null ? null : cseq.substring(cseq.indexOf(' ') + 1).trim();
    }

    /**
     * An INVITE to {@code requestUriHost} offering PCMU with media at {@code connection}:{@code rtpPort}, with
     * {@code extraHeaders} (each ending in CRLF) before the body.
     */
    String invite(final String callId, final String requestUriHost, final String extraHeaders, final String connection,
                  final int rtpPort) {
        final String sdp = "v=0\r\n"
            + "o=peer 1 1 IN IP4 " + host + "\r\n"
            + "s=-\r\n"
            + "c=IN IP4 " + connection + "\r\n"
            + "t=0 0\r\n"
            + "m=audio " + rtpPort + " RTP/AVP 0\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n";
        return "INVITE sip:+14155550100@" + requestUriHost + ":" + gatewayPort + " SIP/2.0\r\n"
            + via(callId + "-1")
            + "From: <sip:+14155550199@" + host + ">;tag=" + callId + "-from\r\n"
            + "To: <sip:+14155550100@" + requestUriHost + ">\r\n"
            + "Call-ID: " + callId + "\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:peer@" + host + ":" + port + ">\r\n"
            + "Max-Forwards: 70\r\n"
            + extraHeaders
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: " + sdp.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n"
            + sdp;
    }

    /** An INVITE to {@code requestUriHost} without SDP (the gateway offers in its 200), with {@code extraHeaders}. */
    String inviteWithoutOffer(final String callId, final String requestUriHost, final String extraHeaders) {
        return "INVITE sip:+14155550100@" + requestUriHost + ":" + gatewayPort + " SIP/2.0\r\n"
            + via(callId + "-1")
            + "From: <sip:+14155550199@" + host + ">;tag=" + callId + "-from\r\n"
            + "To: <sip:+14155550100@" + requestUriHost + ">\r\n"
            + "Call-ID: " + callId + "\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:peer@" + host + ":" + port + ">\r\n"
            + "Max-Forwards: 70\r\n"
            + extraHeaders
            + "Content-Length: 0\r\n\r\n";
    }

    /**
     * A request inside the dialog that {@code response} (to {@code invite}) set up: {@code method} with CSeq
     * {@code cseq} (the INVITE's number for ACK), and {@code extraHeaders} (each ending in CRLF).
     */
    String inDialog(final String invite, final String response, final String method, final long cseq, final String branch,
                    final String extraHeaders) {
        return method + " sip:voxgate@" + gatewayHost + ":" + gatewayPort + " SIP/2.0\r\n"
            + via(branch)
            + "From: " + header(invite, "From") + "\r\n"
            + "To: " + header(response, "To") + "\r\n"
            + "Call-ID: " + header(invite, "Call-ID") + "\r\n"
            + "CSeq: " + cseq + " " + method + "\r\n"
            + "Max-Forwards: 70\r\n"
            + extraHeaders
            + "Content-Length: 0\r\n\r\n";
    }

    private String via(final String branch) {
        return "Via: SIP/2.0/UDP " + host + ":" + port + ";rport;branch=z9hG4bK" + branch + "\r\n";
    }

    @Override
    public void close() {
        socket.close();
    }
}
