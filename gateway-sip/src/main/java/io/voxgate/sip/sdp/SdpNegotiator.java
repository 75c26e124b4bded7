package io.voxgate.sip.sdp;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.sip.srtp.SdesCryptoAttribute;
import io.voxgate.sip.srtp.SrtpCryptoSuite;
import io.voxgate.sip.srtp.SrtpMasterKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One call's side of RFC 3264 offer/answer: answers the caller's offer (and later re-offers for hold and
 * resume), or makes the offer itself when the INVITE came without SDP and takes the answer from the ACK.
 *
 * <p>Rules (RFC 3264 §6, protocols.md §6.3): the answer has the offer's {@code m=} sections in the same
 * order and its {@code t=}; a new {@code o=} owned by the gateway whose version grows by one with every SDP
 * it sends (§8); one audio stream is carried, in the first codec of the operator's
 * {@link CodecPreferences} that the offer has (by default PCMU, PCMA, G.722, Opus, whatever the offer order), plus
 * telephone-event with the offered payload type; every other stream is rejected with port 0 and the offer's
 * formats; the direction is the offer's mirrored (§6.1); {@code a=ptime:20} asks for 20 ms packets. A
 * re-offer keeps the codec and the port (§8: the answerer may not change them under the peer's feet); a
 * {@code c=0.0.0.0} re-offer is the RFC 2543 form of hold (§8.4) and is answered as hold.
 *
 * <p>SRTP (RFC 3711, keyed by SDES, RFC 4568) follows the {@link SrtpPolicy}: an {@code RTP/SAVP} stream is
 * answered {@code RTP/SAVP} with the first {@code a=crypto} line we can honour (its tag and suite, our own key,
 * one per call from {@link SecureRandom}); a re-offer may not switch between RTP and SRTP.
 *
 * <p>Threading: methods are synchronized; signalling threads call them, never the media path.
 */
public final class SdpNegotiator {
    /** Payload type of PCMU (RFC 3551 §6). */
    public static final int PT_PCMU = 0;
    /** Payload type of PCMA (RFC 3551 §6). */
    public static final int PT_PCMA = 8;
    /** Payload type the gateway uses for telephone-event when it makes the offer. */
    public static final int PT_TELEPHONE_EVENT_OFFERED = 101;
    private static final String CRLF = "\r\n";
    private static final String NOT_UNICAST = "c= must name one unicast host (or 0.0.0.0 for hold)";
    /** The tag of the one {@code a=crypto} line in our own offers. */
    private static final int OFFER_TAG = 1;

    private final String localAddress;
    private final int rtpPort;
    private final long sessionId;
    private final SrtpPolicy srtpPolicy;
    private final SecureRandom random;
    private final CodecPreferences codecs;
    private SrtpMasterKey localKey;
    private boolean offeredSecure;
    private long version;

    /**
     * A negotiator for one call.
     *
     * @param localAddress address for {@code c=} and {@code o=}: the external IP, or the local address that
     *                     received the INVITE
     * @param rtpPort      the call's RTP port
     * @param sessionId    the {@code o=} session id (random, RFC 4566 §5.2)
     */
    public SdpNegotiator(final String localAddress, final int rtpPort, final long sessionId) {
        this(localAddress, rtpPort, sessionId, SrtpPolicy.OFF, null);
    }

    /**
     * A negotiator for one call that may settle on SRTP.
     *
     * @param srtpPolicy how to treat SRTP and plain RTP offers
     * @param random     where our master key comes from; only used when the policy is not {@link SrtpPolicy#OFF}
     */
    public SdpNegotiator(final String localAddress, final int rtpPort, final long sessionId, final SrtpPolicy srtpPolicy,
                         final SecureRandom random) {
        this(localAddress, rtpPort, sessionId, srtpPolicy, random, CodecPreferences.defaults());
    }

    /**
     * A negotiator for one call with the operator's codec order ({@code --codecs}).
     *
     * @param codecs which codecs to answer with, in which order, and Opus' PCM rate
     */
    public SdpNegotiator(final String localAddress, final int rtpPort, final long sessionId, final SrtpPolicy srtpPolicy,
                         final SecureRandom random, final CodecPreferences codecs) {
        this.codecs = codecs;
        if (srtpPolicy != SrtpPolicy.OFF && random == null) {
            throw new IllegalArgumentException("SRTP needs a SecureRandom for the master key");
        }
        this.srtpPolicy = srtpPolicy;
        this.random = random;
        this.localAddress = localAddress;
        this.rtpPort = rtpPort;
        this.sessionId = sessionId & Long.MAX_VALUE;
        this.version = this.sessionId % 1_000_000_000L;
    }

    /** Answers the initial offer. */
    public synchronized SdpNegotiation answer(final SessionDescription offer) {
        return negotiate(offer, null);
    }

    /** Answers a re-offer (re-INVITE or UPDATE) on a call that already carries {@code current}. */
    public synchronized SdpNegotiation reanswer(final SessionDescription offer, final NegotiatedMedia current) {
        return negotiate(offer, current);
    }

    /**
     * The gateway's offer for an INVITE without SDP: the G.711 laws of the codec order (PCMU and PCMA when it has
     * neither) and telephone-event, sendrecv; RTP/SAVP with one {@code a=crypto} line when SRTP is
     * {@link SrtpPolicy#REQUIRED}. Only G.711 is offered because the call's session is built before the answer
     * arrives, for G.711.
     */
    public synchronized String offer() {
        final StringBuilder sb = sessionHeader("0 0");
        offeredSecure = srtpPolicy == SrtpPolicy.REQUIRED;
        final List<RtpAudioCodec> offered = offeredCodecs();
        sb.append("m=audio ").append(rtpPort).append(offeredSecure ? " RTP/SAVP " : " RTP/AVP ");
        for (final RtpAudioCodec codec : offered) {
            sb.append(codec.staticPayloadType()).append(' ');
        }
        sb.append(PT_TELEPHONE_EVENT_OFFERED).append(CRLF);
        for (final RtpAudioCodec codec : offered) {
            sb.append("a=rtpmap:").append(codec.staticPayloadType()).append(' ').append(codec.rtpmap()).append(CRLF);
        }
        sb.append("a=rtpmap:").append(PT_TELEPHONE_EVENT_OFFERED).append(" telephone-event/8000").append(CRLF);
        sb.append("a=fmtp:").append(PT_TELEPHONE_EVENT_OFFERED).append(" 0-15").append(CRLF);
        sb.append("a=ptime:20").append(CRLF);
        if (offeredSecure) {
            appendCrypto(sb, SdesCryptoAttribute.of(OFFER_TAG, SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_80, localKey())
                .sdpValue());
        }
        sb.append("a=sendrecv").append(CRLF);
        return sb.toString();
    }

    /**
     * The gateway's offer for a re-INVITE without SDP: the call's codec and telephone-event only, so the answer
     * cannot move the call to another codec; sendrecv (the peer mirrors it to hold if it wants).
     */
    public synchronized String reoffer(final NegotiatedMedia current) {
        final StringBuilder sb = sessionHeader("0 0");
        final int pt = current.audioPayloadType();
        final int te = current.telephoneEventPayloadType();
        final NegotiatedSrtp srtp = current.srtp();
        sb.append("m=audio ").append(rtpPort).append(srtp == null ? " RTP/AVP " : " RTP/SAVP ").append(pt);
        if (te >= 0) {
            sb.append(' ').append(te);
        }
        sb.append(CRLF);
        sb.append("a=rtpmap:").append(pt).append(' ').append(current.codec().rtpmap()).append(CRLF);
        appendCodecParameters(sb, Integer.toString(pt), current.codec());
        if (te >= 0) {
            sb.append("a=rtpmap:").append(te).append(" telephone-event/").append(current.codec().clockRateHz()).append(CRLF);
            sb.append("a=fmtp:").append(te).append(" 0-15").append(CRLF);
        }
        sb.append("a=ptime:20").append(CRLF);
        if (srtp != null) {
            appendCrypto(sb, SdesCryptoAttribute.of(srtp.tag(), srtp.suite(), srtp.localKey()).sdpValue());
        }
        sb.append("a=sendrecv").append(CRLF);
        return sb.toString();
    }

    /** Takes the peer's answer to {@link #offer()} (carried in the ACK); the result carries no SDP to send. */
    public synchronized SdpNegotiation acceptAnswer(final SessionDescription answer) {
        if (!answer.valid()) {
            return SdpNegotiation.malformed(answer.error());
        }
        for (final MediaDescription m : answer.media()) {
            if (offeredSecure ? !m.isSecureRtpAudio() : !m.isRtpAudio()) {
                continue;
            }
            final String codec = chooseCodec(m, offeredCodecs());
            if (codec == null) {
                continue;
            }
            final InetSocketAddress[] remote = remoteAddresses(answer, m);
            if (remote == null) {
                return SdpNegotiation.malformed("answer has no usable connection address");
            }
            if (!isUnicastOrHold(remote[0].getAddress())) {
                return SdpNegotiation.notAcceptable(NOT_UNICAST);
            }
            final String te = telephoneEvent(m, codecOf(m, codec).clockRateHz());
            final MediaDirection peer = answer.directionOf(m);
            final MediaDirection local = isHoldAddress(remote[0]) ? MediaDirection.INACTIVE : peer.mirror();
            NegotiatedSrtp srtp = null;
            if (offeredSecure) {
                srtp = answeredSrtp(m);
                if (srtp == null) {
                    return SdpNegotiation.notAcceptable("answer's a=crypto does not accept our offered key");
                }
            }
            return SdpNegotiation.accepted(null, media(codec, m, te, remote, local, srtp));
        }
        return SdpNegotiation.notAcceptable(offeredSecure ? "answer carries no RTP/SAVP stream with PCMU or PCMA"
            : "answer carries neither PCMU nor PCMA");
    }

    private SdpNegotiation negotiate(final SessionDescription offer, final NegotiatedMedia current) {
        if (!offer.valid()) {
            return SdpNegotiation.malformed(offer.error());
        }
        final StringBuilder sb = sessionHeader(offer.timing());
        NegotiatedMedia chosen = null;
        boolean refusedAddress = false;
        final String wanted = current == null ? null : Integer.toString(current.audioPayloadType());
        String srtpRefusal = null;
        for (final MediaDescription m : offer.media()) {
            String codec = null;
            SdesAnswerer.Result sdes = null;
            if (chosen == null && carries(m, current)) {
                codec = current == null ? chooseCodec(m, codecs.order()) : wanted(m, wanted);
                if (codec != null && m.isSecureRtpAudio()) {
                    sdes = SdesAnswerer.answer(m, localKey());
                    if (sdes.srtp() == null) {
                        srtpRefusal = sdes.refusal();
                        codec = null;
                    }
                }
            }
            InetSocketAddress[] remote = codec == null ? null : remoteAddresses(offer, m);
            if (remote != null && (!isUnicastOrHold(remote[0].getAddress()) || !isUnicastOrHold(remote[1].getAddress()))) {
                refusedAddress = true;
                remote = null;
            }
            if (codec == null || remote == null) {
                sb.append("m=").append(m.media()).append(" 0 ").append(m.proto());
                for (final String f : m.formats()) {
                    sb.append(' ').append(f);
                }
                sb.append(CRLF);
                continue;
            }
            final String te = telephoneEvent(m, codecOf(m, codec).clockRateHz());
            final MediaDirection offered = offer.directionOf(m);
            final MediaDirection local = isHoldAddress(remote[0]) ? holdAnswer(offered) : offered.mirror();
            chosen = media(codec, m, te, remote, local, sdes == null ? null : sdes.srtp());
            sb.append("m=audio ").append(rtpPort).append(' ').append(m.proto()).append(' ').append(codec);
            if (te != null) {
                sb.append(' ').append(te);
            }
            sb.append(CRLF);
            sb.append("a=rtpmap:").append(codec).append(' ').append(chosen.codec().rtpmap()).append(CRLF);
            appendCodecParameters(sb, codec, chosen.codec());
            if (te != null) {
                sb.append("a=rtpmap:").append(te).append(" telephone-event/").append(chosen.codec().clockRateHz()).append(CRLF);
                sb.append("a=fmtp:").append(te).append(" 0-15").append(CRLF);
            }
            sb.append("a=ptime:20").append(CRLF);
            if (sdes != null) {
                appendCrypto(sb, sdes.attribute());
            }
            sb.append("a=").append(local.attribute()).append(CRLF);
        }
        if (chosen == null) {
            if (refusedAddress) {
                return SdpNegotiation.notAcceptable(NOT_UNICAST);
            }
            if (srtpRefusal != null) {
                return SdpNegotiation.notAcceptable(srtpRefusal);
            }
            final String transport = transportRefusal(offer, current);
            if (transport != null) {
                return SdpNegotiation.notAcceptable(transport);
            }
            return SdpNegotiation.notAcceptable(current == null ? "no audio stream with a codec of " + codecs.order()
                : "re-offer drops the call's codec");
        }
        return SdpNegotiation.accepted(sb.toString(), chosen);
    }

    /** Whether {@code m} has the transport this call may carry: the policy's, or on a re-offer the call's own. */
    private boolean carries(final MediaDescription m, final NegotiatedMedia current) {
        if (current != null) {
            return current.srtp() == null ? m.isRtpAudio() : m.isSecureRtpAudio();
        }
        if (m.isSecureRtpAudio()) {
            return srtpPolicy != SrtpPolicy.OFF;
        }
        return m.isRtpAudio() && srtpPolicy != SrtpPolicy.REQUIRED;
    }

    /** Why an offer whose audio has the wrong transport for the policy or the call is refused, or {@code null}. */
    private String transportRefusal(final SessionDescription offer, final NegotiatedMedia current) {
        for (final MediaDescription m : offer.media()) {
            if (current != null && (current.srtp() == null ? m.isSecureRtpAudio() : m.isRtpAudio())) {
                return "re-offer switches between RTP and SRTP";
            }
            if (current == null && m.isRtpAudio() && srtpPolicy == SrtpPolicy.REQUIRED) {
                return "SRTP required: no RTP/SAVP audio stream offered";
            }
            if (current == null && m.isSecureRtpAudio() && srtpPolicy == SrtpPolicy.OFF) {
                return "SRTP is off: RTP/SAVP not accepted";
            }
        }
        return null;
    }

    /** The SRTP the peer's answer settles on: its key for our offered tag and suite, or {@code null}. */
    private NegotiatedSrtp answeredSrtp(final MediaDescription m) {
        for (final String value : m.cryptoAttributes()) {
            final SdesCryptoAttribute.Parsed parsed = SdesCryptoAttribute.parse(value);
            if (parsed.accepted() && parsed.attribute().tag() == OFFER_TAG
                    && parsed.attribute().suite() == SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_80) {
                return new NegotiatedSrtp(SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_80, OFFER_TAG, localKey(),
                    parsed.attribute().masterKey());
            }
        }
        return null;
    }

    /** Our master key for this call, made on first use and kept for re-offers (RFC 4568 §7.1.4 allows it). */
    private SrtpMasterKey localKey() {
        if (localKey == null) {
            localKey = SrtpMasterKey.generate(random);
        }
        return localKey;
    }

    private static void appendCrypto(final StringBuilder sb, final String value) {
        sb.append("a=crypto:").append(value).append(CRLF);
    }

    private StringBuilder sessionHeader(final String timing) {
        version++;
        final String addrType = localAddress.indexOf(':') >= 0 ? "IP6" : "IP4";
        final StringBuilder sb = new StringBuilder(320);
        sb.append("v=0").append(CRLF);
        sb.append("o=voxgate ").append(sessionId).append(' ').append(version).append(" IN ").append(addrType).append(' ')
            .append(localAddress).append(CRLF);
        sb.append("s=voxgate").append(CRLF);
        sb.append("c=IN ").append(addrType).append(' ').append(localAddress).append(CRLF);
        sb.append("t=").append(timing).append(CRLF);
        return sb;
    }

    /** The G.711 codecs of the order, which our own offers carry; PCMU and PCMA when it names neither. */
    private List<RtpAudioCodec> offeredCodecs() {
        final List<RtpAudioCodec> g711 = new ArrayList<>(2);
        for (final RtpAudioCodec codec : codecs.order()) {
            if (codec.isG711()) {
                g711.add(codec);
            }
        }
        return g711.isEmpty() ? List.of(RtpAudioCodec.PCMU, RtpAudioCodec.PCMA) : g711;
    }

    /**
     * The codec's {@code a=fmtp} in our SDP: for Opus (RFC 7587 §7) mono both ways, the rate we play and capture at,
     * which is the agent's, and {@code useinbandfec=1}, since our playout rebuilds a lost frame from the next packet's
     * FEC (§6.1); G.711 and G.722 have none.
     */
    private void appendCodecParameters(final StringBuilder sb, final String payloadType, final RtpAudioCodec codec) {
        if (codec == RtpAudioCodec.OPUS) {
            final int rate = codecs.opusRateHz();
            sb.append("a=fmtp:").append(payloadType).append(" maxplaybackrate=").append(rate).append(";sprop-maxcapturerate=")
                .append(rate).append(";stereo=0;sprop-stereo=0;useinbandfec=1").append(CRLF);
        }
    }

    private static MediaDirection holdAnswer(final MediaDirection offered) {
        // c=0.0.0.0: the peer cannot receive; whatever it says it sends, the gateway only receives (or nothing).
        return offered.sends() ? MediaDirection.RECVONLY : MediaDirection.INACTIVE;
    }

    private NegotiatedMedia media(final String format, final MediaDescription m, final String te,
                                  final InetSocketAddress[] remote, final MediaDirection local, final NegotiatedSrtp srtp) {
        final RtpAudioCodec codec = codecOf(m, format);
        final AudioFormat session = codecs.sessionFormat(codec);
        final boolean opus = codec == RtpAudioCodec.OPUS;
        return new NegotiatedMedia(session, Integer.parseInt(format), te == null ? -1 : Integer.parseInt(te), remote[0],
            remote[1], local, srtp, codec, opus ? OpusPeerParameters.parse(m.fmtp(format)) : OpusPeerParameters.NONE);
    }

    /** The first codec of {@code order} that {@code m} carries: its format (payload type), or {@code null}. */
    private static String chooseCodec(final MediaDescription m, final List<RtpAudioCodec> order) {
        for (final RtpAudioCodec codec : order) {
            for (final String f : m.formats()) {
                final int pt = parsePayloadType(f);
                if (pt >= 0 && codec.matches(pt, m.rtpmap(f))) {
                    return f;
                }
            }
        }
        return null;
    }

    /** The codec format {@code format} of {@code m} stands for; PCMU for a payload type we do not know. */
    private static RtpAudioCodec codecOf(final MediaDescription m, final String format) {
        final int pt = parsePayloadType(format);
        for (final RtpAudioCodec codec : RtpAudioCodec.values()) {
            if (codec.matches(pt, m.rtpmap(format))) {
                return codec;
            }
        }
        return RtpAudioCodec.PCMU;
    }

    private static String wanted(final MediaDescription m, final String payloadType) {
        return m.formats().contains(payloadType) ? payloadType : null;
    }

    /**
     * The offer's telephone-event on the audio codec's clock (RFC 4733 §2.1: events share the stream's timestamps,
     * so an Opus call needs {@code telephone-event/48000}), or {@code null}.
     */
    private static String telephoneEvent(final MediaDescription m, final int clockRateHz) {
        final String wanted = "telephone-event/" + clockRateHz;
        for (final String f : m.formats()) {
            final String map = m.rtpmap(f);
            if (map != null && map.toLowerCase(Locale.ROOT).startsWith(wanted) && parsePayloadType(f) >= 96) {
                final String rest = map.substring(wanted.length());
                if (rest.isEmpty() || "/1".equals(rest)) {
                    return f;
                }
            }
        }
        return null;
    }

    private static int parsePayloadType(final String format) {
        if (format.isEmpty() || format.length() > 3) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < format.length(); i++) {
            final char ch = format.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + ch - '0';
        }
        return v <= 127 ? v : -1;
    }

    /** RTP and RTCP addresses of the peer for {@code m}, or {@code null} without a usable literal address. */
    private static InetSocketAddress[] remoteAddresses(final SessionDescription sd, final MediaDescription m) {
        final InetAddress rtpAddress = literal(sd.connectionAddressOf(m));
        if (rtpAddress == null) {
            return null;
        }
        final InetAddress rtcpAddress = m.rtcpAddress() != null ? literal(m.rtcpAddress()) : rtpAddress;
        final int rtcpPort = m.rtcpPort() > 0 ? m.rtcpPort() : m.port() + 1;
        return new InetSocketAddress[] {
            new InetSocketAddress(rtpAddress, m.port()),
            new InetSocketAddress(rtcpAddress == null ? rtpAddress : rtcpAddress, Math.min(rtcpPort, 65535)),
        };
    }

    /**
     * Whether media may be sent to {@code address}: one host (RFC 3264 §5.7), or IPv4 0.0.0.0, the RFC 2543 hold form
     * that RFC 3264 §8.4 still accepts. Multicast, broadcast and IPv6 :: are refused (488): the gateway must never be a
     * way to spray RTP at a group or a network.
     */
    static boolean isUnicastOrHold(final InetAddress address) {
        if (address.isMulticastAddress()) {
            return false;
        }
        final byte[] b = address.getAddress();
        if (b.length == 4) {
            return !(b[0] == -1 && b[1] == -1 && b[2] == -1 && b[3] == -1);
        }
        return !address.isAnyLocalAddress();
    }

    private static boolean isHoldAddress(final InetSocketAddress address) {
        return address.getAddress().isAnyLocalAddress();
    }

    /** Parses an IP literal without ever resolving a host name (no DNS on signalling threads). */
    static InetAddress literal(final String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        boolean ipv4 = true;
        boolean ipv6 = text.indexOf(':') >= 0;
        for (int i = 0; i < text.length(); i++) {
            final char ch = text.charAt(i);
            ipv4 &= ch >= '0' && ch <= '9' || ch == '.';
            ipv6 &= ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f' || ch >= 'A' && ch <= 'F' || ch == ':' || ch == '.';
        }
        if (!ipv4 && !ipv6) {
            return null;
        }
        if (ipv4 && !isDottedQuad(text)) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (final UnknownHostException ex) {
            return null;
        }
    }

    private static boolean isDottedQuad(final String text) {
        final List<String> parts = List.of(text.split("\\.", -1));
        if (parts.size() != 4) {
            return false;
        }
        for (final String p : parts) {
            if (p.isEmpty() || p.length() > 3 || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
