package io.voxgate.sip.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code m=} section of a parsed SDP (RFC 4566 §5.14) with the attributes the gateway uses; unknown
 * attributes are skipped.
 *
 * <p>Immutable; safe on any thread.
 */
public final class MediaDescription {
    private final String media;
    private final int port;
    private final String proto;
    private final List<String> formats;
    private final Map<String, String> rtpmaps;
    private final Map<String, String> fmtps;
    private final MediaDirection direction;
    private final String connectionAddress;
    private final int rtcpPort;
    private final String rtcpAddress;
    private final boolean rtcpMux;
    private final int ptimeMs;
    private final List<String> cryptoAttributes;

    MediaDescription(final String media, final int port, final String proto, final List<String> formats,
                     final Map<String, String> rtpmaps, final Map<String, String> fmtps, final MediaDirection direction,
                     final String connectionAddress, final int rtcpPort, final String rtcpAddress, final boolean rtcpMux,
                     final int ptimeMs, final List<String> cryptoAttributes) {
        this.media = media;
        this.port = port;
        this.proto = proto;
        this.formats = List.copyOf(formats);
        this.rtpmaps = Collections.unmodifiableMap(new LinkedHashMap<>(rtpmaps));
        this.fmtps = Collections.unmodifiableMap(new LinkedHashMap<>(fmtps));
        this.direction = direction;
        this.connectionAddress = connectionAddress;
        this.rtcpPort = rtcpPort;
        this.rtcpAddress = rtcpAddress;
        this.rtcpMux = rtcpMux;
        this.ptimeMs = ptimeMs;
        this.cryptoAttributes = List.copyOf(cryptoAttributes);
    }

    /** Media type: {@code audio}, {@code video}, ... */
    public String media() {
        return media;
    }

    /** Transport port; 0 for a rejected or disabled stream. */
    public int port() {
        return port;
    }

    /** Transport protocol, e.g. {@code RTP/AVP}. */
    public String proto() {
        return proto;
    }

    /** Formats (payload types for RTP) in offer order. */
    public List<String> formats() {
        return formats;
    }

    /** The {@code a=rtpmap} value for {@code format} ({@code PCMU/8000}), or {@code null}. */
    public String rtpmap(final String format) {
        return rtpmaps.get(format);
    }

    /** The {@code a=fmtp} parameters for {@code format}, or {@code null}. */
    public String fmtp(final String format) {
        return fmtps.get(format);
    }

    /** The stream's direction attribute, or {@code null} when only the session level (or nothing) gives one. */
    public MediaDirection direction() {
        return direction;
    }

    /** The media-level {@code c=} address, or {@code null}. */
    public String connectionAddress() {
        return connectionAddress;
    }

    /** The {@code a=rtcp} port (RFC 3605), or -1 when absent. */
    public int rtcpPort() {
        return rtcpPort;
    }

    /** The {@code a=rtcp} address (RFC 3605), or {@code null} when absent. */
    public String rtcpAddress() {
        return rtcpAddress;
    }

    /** Whether {@code a=rtcp-mux} (RFC 5761) is present. */
    public boolean rtcpMux() {
        return rtcpMux;
    }

    /** The {@code a=ptime} in ms, or 0 when absent. */
    public int ptimeMs() {
        return ptimeMs;
    }

    /**
     * The {@code a=crypto} values (RFC 4568, the text after {@code crypto:}) in offer order, at most
     * {@link SdpParser#MAX_CRYPTO_ATTRIBUTES}; they carry keys, so never log them.
     */
    public List<String> cryptoAttributes() {
        return cryptoAttributes;
    }

    /** Whether this is an SRTP audio stream (RTP/SAVP or RTP/SAVPF, port set), keyed by SDES if at all. */
    public boolean isSecureRtpAudio() {
        final String p = proto.toUpperCase(Locale.ROOT);
        return "audio".equalsIgnoreCase(media) && port > 0 && ("RTP/SAVP".equals(p) || "RTP/SAVPF".equals(p));
    }

    /** Whether this is an RTP audio stream the gateway could carry (plain RTP/AVP or RTP/AVPF, port set). */
    public boolean isRtpAudio() {
        final String p = proto.toUpperCase(Locale.ROOT);
        return "audio".equalsIgnoreCase(media) && port > 0 && ("RTP/AVP".equals(p) || "RTP/AVPF".equals(p));
    }
}
