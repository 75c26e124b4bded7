package io.voxgate.sip.sdp;

import io.voxgate.core.audio.AudioEncoding;
import io.voxgate.core.audio.AudioFormat;
import java.net.InetSocketAddress;

/**
 * The audio stream an offer/answer exchange settled on: codec, payload types, where the peer receives RTP
 * and RTCP, and which way media flows from the gateway's point of view.
 *
 * <p>Immutable; safe on any thread; handed from signalling to the call's thread.
 */
public final class NegotiatedMedia {
    private final AudioFormat callerFormat;
    private final int audioPayloadType;
    private final int telephoneEventPayloadType;
    private final InetSocketAddress remoteRtp;
    private final InetSocketAddress remoteRtcp;
    private final MediaDirection localDirection;
    private final NegotiatedSrtp srtp;
    private final RtpAudioCodec codec;
    private final OpusPeerParameters opusPeer;

    /**
     * The settled stream.
     *
     * @param callerFormat              {@link AudioFormat#MULAW_8K} or {@link AudioFormat#ALAW_8K} (the codec is that law)
     * @param audioPayloadType          payload type of the codec on the wire
     * @param telephoneEventPayloadType payload type of RFC 4733 events, or -1
     * @param remoteRtp                 where the peer receives RTP
     * @param remoteRtcp                where the peer receives RTCP
     * @param localDirection            the gateway's direction (what its SDP says)
     */
    public NegotiatedMedia(final AudioFormat callerFormat, final int audioPayloadType, final int telephoneEventPayloadType,
                           final InetSocketAddress remoteRtp, final InetSocketAddress remoteRtcp,
                           final MediaDirection localDirection) {
        this(callerFormat, audioPayloadType, telephoneEventPayloadType, remoteRtp, remoteRtcp, localDirection, null);
    }

    /**
     * The settled stream, with SRTP.
     *
     * @param srtp the settled SRTP keys, or {@code null} for plain RTP
     */
    public NegotiatedMedia(final AudioFormat callerFormat, final int audioPayloadType, final int telephoneEventPayloadType,
                           final InetSocketAddress remoteRtp, final InetSocketAddress remoteRtcp,
                           final MediaDirection localDirection, final NegotiatedSrtp srtp) {
        this(callerFormat, audioPayloadType, telephoneEventPayloadType, remoteRtp, remoteRtcp, localDirection, srtp,
            callerFormat.encoding() == AudioEncoding.ALAW ? RtpAudioCodec.PCMA : RtpAudioCodec.PCMU, OpusPeerParameters.NONE);
    }

    /**
     * The settled stream, with its codec named.
     *
     * @param callerFormat          the format the call session sees: the G.711 law itself, or PCM16 for G.722 (16 kHz)
     *                              and Opus (the agent's rate)
     * @param codec                 the codec on the wire
     * @param opusPeer              what the peer's Opus fmtp asks of what the gateway sends (RFC 7587 §6.1);
     *                              {@link OpusPeerParameters#NONE} for the other codecs
     */
    public NegotiatedMedia(final AudioFormat callerFormat, final int audioPayloadType, final int telephoneEventPayloadType,
                           final InetSocketAddress remoteRtp, final InetSocketAddress remoteRtcp,
                           final MediaDirection localDirection, final NegotiatedSrtp srtp, final RtpAudioCodec codec,
                           final OpusPeerParameters opusPeer) {
        this.codec = codec;
        this.opusPeer = opusPeer;
        this.srtp = srtp;
        this.callerFormat = callerFormat;
        this.audioPayloadType = audioPayloadType;
        this.telephoneEventPayloadType = telephoneEventPayloadType;
        this.remoteRtp = remoteRtp;
        this.remoteRtcp = remoteRtcp;
        this.localDirection = localDirection;
    }

    /** The codec on the wire. */
    public RtpAudioCodec codec() {
        return codec;
    }

    /** What the peer's Opus fmtp asks of the stream the gateway sends; {@link OpusPeerParameters#NONE} for other codecs. */
    public OpusPeerParameters opusPeer() {
        return opusPeer;
    }

    /** The format the call session sees: the G.711 law at 8 kHz, or PCM16 for the wideband codecs (20 ms). */
    public AudioFormat callerFormat() {
        return callerFormat;
    }

    /** Payload type of the audio codec. */
    public int audioPayloadType() {
        return audioPayloadType;
    }

    /** Payload type of telephone-event, or -1 when not negotiated. */
    public int telephoneEventPayloadType() {
        return telephoneEventPayloadType;
    }

    /** Where the peer receives RTP. */
    public InetSocketAddress remoteRtp() {
        return remoteRtp;
    }

    /** Where the peer receives RTCP. */
    public InetSocketAddress remoteRtcp() {
        return remoteRtcp;
    }

    /** The gateway's direction: whether it sends and receives. */
    public MediaDirection localDirection() {
        return localDirection;
    }

    /**
     * The SRTP keys when the stream is RTP/SAVP, or {@code null} for plain RTP: the RTP path must then protect
     * every RTP and RTCP packet it sends and unprotect every one it receives.
     */
    public NegotiatedSrtp srtp() {
        return srtp;
    }

    /** A copy with another local direction (hold and resume change only that). */
    public NegotiatedMedia withLocalDirection(final MediaDirection direction) {
        return new NegotiatedMedia(callerFormat, audioPayloadType, telephoneEventPayloadType, remoteRtp, remoteRtcp, direction,
            srtp, codec, opusPeer);
    }

    @Override
    public String toString() {
        return codec.rtpmap() + " as " + callerFormat + " pt=" + audioPayloadType + " te=" + telephoneEventPayloadType
            + " remote=" + remoteRtp + " " + localDirection.attribute() + (srtp == null ? "" : " srtp=" + srtp);
    }
}
