package io.voxgate.sip.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses SDP (RFC 4566) leniently: CRLF or bare LF line ends, unknown lines and attributes skipped, any number
 * of {@code m=} sections. Only what makes the text unusable is an error: a missing or wrong {@code v=}, no
 * {@code o=}, a malformed {@code m=} or {@code c=} line, or more than {@link #MAX_MEDIA} sections.
 *
 * <p>Stateless; safe on any thread. Runs on signalling threads, never on the media path.
 */
public final class SdpParser {
    /** Most {@code m=} sections accepted; real offers carry one to three. */
    public static final int MAX_MEDIA = 16;
    /** Most {@code a=crypto} lines kept per stream; offers carry one per suite, two or three in practice. */
    public static final int MAX_CRYPTO_ATTRIBUTES = 8;
    /** Longest SDP accepted, in characters. */
    public static final int MAX_LENGTH = 16 * 1024;

    private SdpParser() {
    }

    /** Parses {@code text}; never throws on bad input, see {@link SessionDescription#valid()}. */
    public static SessionDescription parse(final String text) {
        if (text == null || text.isEmpty()) {
            return SessionDescription.invalid("empty SDP");
        }
        if (text.length() > MAX_LENGTH) {
            return SessionDescription.invalid("SDP longer than " + MAX_LENGTH + " characters");
        }
        final String[] lines = text.split("\n", -1);
        boolean sawVersion = false;
        String originAddress = null;
        String sessionConnection = null;
        String timing = null;
        MediaDirection sessionDirection = null;
        final List<MediaDescription> media = new ArrayList<>();
        MediaBuilder current = null;
        for (final String raw : lines) {
            final String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                return SessionDescription.invalid("line is not type=value: " + abbreviate(line));
            }
            final char type = line.charAt(0);
            final String value = line.substring(2).trim();
            if (!sawVersion) {
                if (type != 'v' || !"0".equals(value)) {
                    return SessionDescription.invalid("SDP must start with v=0");
                }
                sawVersion = true;
                continue;
            }
            switch (type) {
                case 'o':
                    final String[] o = value.split(" +");
                    if (o.length != 6) {
                        return SessionDescription.invalid("o= needs 6 fields: " + abbreviate(value));
                    }
                    originAddress = o[5];
                    break;
                case 'c':
                    final String address = connectionAddress(value);
                    if (address == null) {
                        return SessionDescription.invalid("malformed c= line: " + abbreviate(value));
                    }
                    if (current == null) {
                        sessionConnection = address;
                    } else {
                        current.connection = address;
                    }
                    break;
                case 't':
                    if (timing == null) {
                        timing = value;
                    }
                    break;
                case 'm':
                    if (current != null) {
                        media.add(current.build());
                    }
                    if (media.size() == MAX_MEDIA) {
                        return SessionDescription.invalid("more than " + MAX_MEDIA + " m= sections");
                    }
                    current = MediaBuilder.parse(value);
                    if (current == null) {
                        return SessionDescription.invalid("malformed m= line: " + abbreviate(value));
                    }
                    break;
                case 'a':
                    if (current == null) {
                        final MediaDirection d = MediaDirection.ofAttribute(value);
                        if (d != null) {
                            sessionDirection = d;
                        }
                    } else {
                        current.attribute(value);
                    }
                    break;
                default:
                    break;
            }
        }
        if (!sawVersion) {
            return SessionDescription.invalid("SDP must start with v=0");
        }
        if (originAddress == null) {
            return SessionDescription.invalid("SDP has no o= line");
        }
        if (current != null) {
            media.add(current.build());
        }
        return new SessionDescription(originAddress, sessionConnection, timing == null ? "0 0" : timing, sessionDirection,
            media);
    }

    private static String connectionAddress(final String value) {
        final String[] c = value.split(" +");
        if (c.length != 3 || !"IN".equals(c[0]) || !("IP4".equals(c[1]) || "IP6".equals(c[1]))) {
            return null;
        }
        final int slash = c[2].indexOf('/');
        final String address = slash < 0 ? c[2] : c[2].substring(0, slash);
        return address.isEmpty() ? null : address;
    }

    private static String abbreviate(final String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    /** Collects one m= section. */
    private static final class MediaBuilder {
        private String media;
        private int port;
        private String proto;
        private final List<String> formats = new ArrayList<>();
        private final Map<String, String> rtpmaps = new LinkedHashMap<>();
        private final Map<String, String> fmtps = new LinkedHashMap<>();
        private MediaDirection direction;
        private String connection;
        private int rtcpPort = -1;
        private String rtcpAddress;
        private boolean rtcpMux;
        private int ptimeMs;
        private final List<String> cryptoAttributes = new ArrayList<>();

        static MediaBuilder parse(final String value) {
            final String[] m = value.split(" +");
            if (m.length < 4) {
                return null;
            }
            final MediaBuilder b = new MediaBuilder();
            b.media = m[0];
            final String portText = m[1].indexOf('/') < 0 ? m[1] : m[1].substring(0, m[1].indexOf('/'));
            b.port = parsePort(portText);
            if (b.port < 0) {
                return null;
            }
            b.proto = m[2];
            for (int i = 3; i < m.length; i++) {
                b.formats.add(m[i]);
            }
            return b;
        }

        void attribute(final String value) {
            final int colon = value.indexOf(':');
            final String name = colon < 0 ? value : value.substring(0, colon);
            final String arg = colon < 0 ? "" : value.substring(colon + 1).trim();
            switch (name) {
                case "rtpmap":
                case "fmtp":
                    final int space = arg.indexOf(' ');
                    if (space > 0) {
                        (name.equals("rtpmap") ? rtpmaps : fmtps).putIfAbsent(arg.substring(0, space), arg.substring(space + 1).trim());
                    }
                    break;
                case "rtcp":
                    final String[] r = arg.split(" +");
                    rtcpPort = parsePort(r[0]);
                    if (r.length == 4) {
                        rtcpAddress = r[3];
                    }
                    break;
                case "rtcp-mux":
                    rtcpMux = true;
                    break;
                case "ptime":
                    ptimeMs = Math.max(0, parseInt(arg, 1000));
                    break;
                case "crypto":
                    if (cryptoAttributes.size() < MAX_CRYPTO_ATTRIBUTES) {
                        cryptoAttributes.add(arg);
                    }
                    break;
                default:
                    final MediaDirection d = MediaDirection.ofAttribute(name);
                    if (d != null) {
                        direction = d;
                    }
                    break;
            }
        }

        MediaDescription build() {
            return new MediaDescription(media, port, proto, formats, rtpmaps, fmtps, direction, connection, rtcpPort,
                rtcpAddress, rtcpMux, ptimeMs, cryptoAttributes);
        }

        private static int parsePort(final String text) {
            return parseInt(text, 65535);
        }

        private static int parseInt(final String text, final int max) {
            if (text.isEmpty() || text.length() > 5) {
                return -1;
            }
            int v = 0;
            for (int i = 0; i < text.length(); i++) {
                final char ch = text.charAt(i);
                if (ch < '0' || ch > '9') {
                    return -1;
                }
                v = v * 10 + ch - '0';
            }
            return v <= max ? v : -1;
        }
    }
}
