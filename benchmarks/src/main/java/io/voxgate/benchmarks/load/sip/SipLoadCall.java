package io.voxgate.benchmarks.load.sip;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.voxgate.core.codec.MuLawCodec;
import io.voxgate.sip.srtp.SdesCryptoAttribute;
import io.voxgate.sip.srtp.SrtpContext;
import io.voxgate.sip.srtp.SrtpMasterKey;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One load call: its SIP dialog state (owned by the client's signalling loop) and its RTP endpoint (owned by its
 * media loop). The signalling side hands over to the media side with {@code loop.execute}, which orders every
 * write before it; the outcome is built and completed on the media loop.
 *
 * <p>RTP sent: 20 ms PCMU frames, RFC 3550 §5.1 header with a random initial sequence number, timestamp and SSRC,
 * sequence +1 and timestamp +160 per packet, marker set on the first packet only (the start of the one talkspurt,
 * RFC 3551 §4.1); first {@code toneFrames} of tone, then {@code tailFrames} of silence so the last echoes come back
 * before the BYE. Sending starts when the gateway's first RTP packet arrives (its media is running then), or
 * {@value #START_WITHOUT_RTP_MS} ms after the answer if none has.
 *
 * <p>Ownership: each sent packet is a pooled buffer handed to Netty, which releases it; received packets belong
 * to the channel's inbound handler, which releases them after {@link #onRtp}.
 */
final class SipLoadCall {
    /** States of the dialog, on the signalling loop. */
    enum State { NEW, INVITING, PROCEEDING, CONFIRMED, BYE_SENT, ENDED }

    static final long FRAME_NS = 20_000_000L;
    static final long START_WITHOUT_RTP_MS = 200;
    private static final int RTP_HEADER_BYTES = 12;
    private static final int PAIRING_CAPACITY = 1_024;
    private static final byte[] SILENCE = new byte[PcmuTone.FRAME_BYTES];

    static {
        Arrays.fill(SILENCE, MuLawCodec.INSTANCE.silenceByte());
    }

    final String callId;
    final String fromTag;
    final String inviteBranch;
    final MediaLoop media;
    final CompletableFuture<SipCallOutcome> outcome = new CompletableFuture<>();
    private final SipLoadClient client;
    private final int toneFrames;
    private final int tailFrames;
    private final PcmuTone tone;
    private final EchoPairing pairing = new EchoPairing(PAIRING_CAPACITY);
    private final int ssrc;
    private int sequence;
    private int timestamp;
    Channel rtp;
    int rtpPort;
    /** This caller's SDES master key with {@code --edge sip-srtp}, else null (signalling loop, before the INVITE). */
    SrtpMasterKey localKey;
    private SrtpContext protect;
    private SrtpContext unprotect;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    // Signalling loop.
    State state = State.NEW;
    String inviteText;
    String ackText;
    String byeText;
    String to;
    String remoteTarget;
    long inviteNs;
    long answeredNs;
    long byeSentNs;
    long retransmitAtNs;
    long retransmitIntervalNs;
    long retransmissions;
    int status;
    int byeStatus;
    String error;
    boolean byeFromGateway;

    // Media loop.
    private InetSocketAddress remoteRtp;
    private boolean sending;
    private boolean finished;
    private long nextSendNs;
    private long framesSent;
    private long firstRtpNs;
    private long silentReceived;
    private long packetsReceived;
    private long packetsForeign;

    SipLoadCall(final SipLoadClient client, final MediaLoop media, final String callId, final String fromTag, final String inviteBranch,
                final int toneFrames, final int tailFrames, final PcmuTone tone, final int ssrc,
                final int sequence, final int timestamp) {
        this.client = client;
        this.media = media;
        this.callId = callId;
        this.fromTag = fromTag;
        this.inviteBranch = inviteBranch;
        this.toneFrames = toneFrames;
        this.tailFrames = tailFrames;
        this.tone = tone;
        this.ssrc = ssrc;
        this.sequence = sequence;
        this.timestamp = timestamp;
    }

    /** The answer arrived: start sending to {@code remote}, as SRTP when {@code crypto} is set (media loop). */
    void startMedia(final InetSocketAddress remote, final SdesCryptoAttribute crypto) {
        if (finished) {
            return;
        }
        if (localKey != null && crypto != null) {
            protect = new SrtpContext(crypto.suite(), localKey);
            unprotect = new SrtpContext(crypto.suite(), crypto.masterKey());
        }
        remoteRtp = remote;
        sending = true;
        final long nowNs = System.nanoTime();
        nextSendNs = firstRtpNs != 0 ? nowNs : nowNs + START_WITHOUT_RTP_MS * 1_000_000L;
        media.add(this);
        client.mediaStarted();
    }

    /**
     * Sends every frame whose slot is due (media loop, from the loop's periodic task).
     *
     * @return false when the call has nothing more to send (it then leaves the rotation)
     */
    boolean sendDue(final long nowNs) {
        if (finished) {
            return false;
        }
        while (nextSendNs - nowNs <= 0) {
            if (framesSent == (long) toneFrames + tailFrames) {
                client.mediaDone(this);
                return false;
            }
            media.sendLag(nowNs - nextSendNs);
            sendFrame();
            nextSendNs += FRAME_NS;
        }
        return true;
    }

    private void sendFrame() {
        final boolean isTone = framesSent < toneFrames;
        final int tag = protect == null ? 0 : protect.suite().srtpAuthTagLength();
        final ByteBuf packet = rtp.alloc().directBuffer(RTP_HEADER_BYTES + PcmuTone.FRAME_BYTES + tag);
        packet.writeByte(0x80);
        packet.writeByte(framesSent == 0 ? 0x80 : 0x00);
        packet.writeShort(sequence);
        packet.writeInt(timestamp);
        packet.writeInt(ssrc);
        packet.writeBytes(isTone ? tone.frame(framesSent) : SILENCE);
        sequence = (sequence + 1) & 0xFFFF;
        timestamp += PcmuTone.FRAME_BYTES;
        framesSent++;
        if (protect != null) {
            wrap(packet, 0, packet.capacity());
            packet.writerIndex(protect.protectRtp(view, 0, RTP_HEADER_BYTES + PcmuTone.FRAME_BYTES));
        }
        if (isTone) {
            pairing.sent(System.nanoTime());
        }
        rtp.writeAndFlush(new DatagramPacket(packet, remoteRtp), rtp.voidPromise());
    }

    /** Points {@link #view} at a Netty buffer's bytes, so SRTP works in place. */
    private void wrap(final ByteBuf buffer, final int offset, final int length) {
        if (buffer.hasMemoryAddress()) {
            view.wrap(buffer.memoryAddress() + offset, length);
        } else {
            view.wrap(buffer.nioBuffer(offset, length));
        }
    }

    /** A datagram arrived on the call's RTP socket at {@code nowNs} (media loop; the caller releases it). */
    void onRtp(final DatagramPacket datagram, final long nowNs) {
        if (finished) {
            return;
        }
        if (remoteRtp != null && !remoteRtp.equals(datagram.sender())) {
            packetsForeign++;
            return;
        }
        final ByteBuf b = datagram.content();
        final int offset = b.readerIndex();
        int length = b.readableBytes();
        if (unprotect != null) {
            wrap(b, offset, length);
            length = unprotect.unprotectRtp(view, 0, length);
            if (length < 0) {
                packetsForeign++;
                return;
            }
        }
        if (length < RTP_HEADER_BYTES || (b.getByte(offset) & 0xC0) != 0x80) {
            packetsForeign++;
            return;
        }
        final int payloadType = b.getByte(offset + 1) & 0x7F;
        if (payloadType >= 72 && payloadType <= 76) {
            // RTCP SR..APP (200..204 with the marker bit read as part of the type, RFC 5761 §4).
            packetsForeign++;
            return;
        }
        packetsReceived++;
        if (firstRtpNs == 0) {
            firstRtpNs = nowNs;
            if (sending && framesSent == 0) {
                nextSendNs = nowNs;
            }
        }
        if (payloadType != 0) {
            return;
        }
        int header = RTP_HEADER_BYTES + 4 * (b.getByte(offset) & 0x0F);
        if ((b.getByte(offset) & 0x10) != 0 && header + 4 <= length) {
            header += 4 + 4 * b.getUnsignedShort(offset + header + 2);
        }
        if (header >= length) {
            return;
        }
        if (media.silence.silent(b, offset + header, length - header)) {
            silentReceived++;
            return;
        }
        final long roundTripNs = pairing.echoed(nowNs);
        if (roundTripNs >= 0) {
            media.roundTrip(roundTripNs);
        }
    }

    /** Ends the media side and completes the outcome (media loop; once). */
    void finish() {
        if (finished) {
            return;
        }
        finished = true;
        media.remove(this);
        if (sending) {
            client.mediaEnded();
        }
        if (rtp != null) {
            rtp.close();
        }
        outcome.complete(new SipCallOutcome(status, error, inviteNs, answeredNs, firstRtpNs, byeFromGateway, byeStatus,
            pairing.toneSent(), pairing.echoed(), pairing.unpaired(), silentReceived, packetsReceived, packetsForeign, pairing.overrun(),
            retransmissions));
    }
}
