package io.voxgate.sip.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The audio codecs the SIP edge can carry on RTP, as SDP names them: encoding name, static payload type (RFC 3551
 * §6) or none, RTP clock rate and channel count of the {@code a=rtpmap}, and the rate of the PCM the codec
 * carries. G.722 is the odd one of RFC 3551 §4.5.2: 16 kHz audio on an 8,000 Hz RTP clock. Opus (RFC 7587 §7) is
 * always {@code opus/48000/2} on a dynamic payload type, whatever is actually sent.
 *
 * <p>Immutable; safe on any thread.
 */
public enum RtpAudioCodec {
    /** G.711 mu-law. */
    PCMU("PCMU", 0, 8_000, 1),
    /** G.711 A-law. */
    PCMA("PCMA", 8, 8_000, 1),
    /** G.722 at 64 kbit/s: 16 kHz audio, 8 kHz RTP clock. */
    G722("G722", 9, 8_000, 1),
    /** Opus: 48 kHz RTP clock, two channels in the rtpmap; mono is decoded at the agent's rate. */
    OPUS("opus", -1, 48_000, 2);

    /** The {@code --codecs} default: G.711 first (zero-copy to a mu-law agent), then the wideband codecs. */
    public static final String DEFAULT_ORDER = "pcmu,pcma,g722,opus";

    private final String encodingName;
    private final int staticPayloadType;
    private final int clockRateHz;
    private final int rtpmapChannels;

    RtpAudioCodec(final String encodingName, final int staticPayloadType, final int clockRateHz, final int rtpmapChannels) {
        this.encodingName = encodingName;
        this.staticPayloadType = staticPayloadType;
        this.clockRateHz = clockRateHz;
        this.rtpmapChannels = rtpmapChannels;
    }

    /** The encoding name of the rtpmap ({@code PCMU}, {@code G722}, {@code opus}). */
    public String encodingName() {
        return encodingName;
    }

    /** The static payload type, or -1 for a codec that only has dynamic ones. */
    public int staticPayloadType() {
        return staticPayloadType;
    }

    /** The RTP timestamp clock rate. */
    public int clockRateHz() {
        return clockRateHz;
    }

    /** RTP timestamp units in one 20 ms packet. */
    public int timestampsPer20Ms() {
        return clockRateHz / 50;
    }

    /** Whether the codec is one of the G.711 laws, which pass through to a session of that law byte for byte. */
    public boolean isG711() {
        return this == PCMU || this == PCMA;
    }

    /** The rtpmap value we write: {@code PCMU/8000}, {@code G722/8000}, {@code opus/48000/2}. */
    public String rtpmap() {
        return encodingName + "/" + clockRateHz + (rtpmapChannels > 1 ? "/" + rtpmapChannels : "");
    }

    /**
     * Whether format {@code payloadType} of an offer is this codec: by its rtpmap when there is one (name case
     * insensitive, RFC 4855 §3; clock rate must match; Opus must say two channels), else by static payload type.
     */
    boolean matches(final int payloadType, final String rtpmap) {
        if (rtpmap == null) {
            return staticPayloadType >= 0 && payloadType == staticPayloadType;
        }
        final String[] parts = rtpmap.trim().split("/", -1);
        if (parts.length < 2 || parts.length > 3 || !parts[0].equalsIgnoreCase(encodingName)) {
            return false;
        }
        if (!parts[1].equals(Integer.toString(clockRateHz))) {
            return false;
        }
        final String channels = parts.length == 3 ? parts[2] : "1";
        return channels.equals(Integer.toString(rtpmapChannels));
    }

    /**
     * Parses the {@code --codecs} list: codec names ({@code pcmu}, {@code pcma}, {@code g722}, {@code opus}, any
     * case), comma separated, in the order of preference.
     *
     * @throws IllegalArgumentException naming the entry when one is unknown or repeated, or the list is empty
     */
    public static List<RtpAudioCodec> parseList(final String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("--codecs: the list is empty (choose from pcmu, pcma, g722, opus)");
        }
        final List<RtpAudioCodec> codecs = new ArrayList<>();
        for (final String part : text.split(",", -1)) {
            final String name = part.trim().toLowerCase(Locale.ROOT);
            final RtpAudioCodec codec;
            switch (name) {
                case "pcmu":
                    codec = PCMU;
                    break;
                case "pcma":
                    codec = PCMA;
                    break;
                case "g722":
                    codec = G722;
                    break;
                case "opus":
                    codec = OPUS;
                    break;
                default:
                    throw new IllegalArgumentException("--codecs: '" + part.trim() + "' is not one of pcmu, pcma, g722, opus");
            }
            if (codecs.contains(codec)) {
                throw new IllegalArgumentException("--codecs: '" + name + "' is listed twice");
            }
            codecs.add(codec);
        }
        return List.copyOf(codecs);
    }
}
